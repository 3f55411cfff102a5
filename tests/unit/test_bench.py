"""make bench's bookkeeping (tests/harness/bench.py): task times, the raw baseline's parameters, the table."""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import bench


def _task(name: str, start: str, end: str, result: dict[str, Any]) -> dict[str, Any]:
    return {"task": {"name": name, "duration": {"start": f"2026-12-05T04:{start}Z", "end": f"2026-12-05T04:{end}Z"}},
            "hosts": {"localhost": result}}


def _command(cmd: list[str], **args: Any) -> dict[str, Any]:
    return {"changed": True, "cmd": cmd, "invocation": {"module_args": {"argv": cmd, **args}}}


PYTHON = "/home/dev/.pyenv/versions/3.11.2/bin/python"
INSTALLER = "/var/cache/smdev/aws-cli/unpacked/aws/install"
REPORT = {
    "plays": [{"tasks": [
        _task("Validate every role's input before anything changes", "00:00.000000", "00:01.500000", {}),
        _task("smdev.workstation.pyenv : Ensure pyenv is checked out at pyenv_version", "00:01.5", "00:03.5",
              {"changed": True, "invocation": {"module_args": {
                  "repo": "https://github.com/pyenv/pyenv.git", "version": "abc123", "dest": "/home/dev/.pyenv"}}}),
        _task("smdev.workstation.pyenv : Ensure this Python is built from its checksummed source for 3.11.2",
              "00:03.5", "02:03.5", _command(["/home/dev/.pyenv/bin/pyenv", "install", "--skip-existing", "3.11.2"])),
        _task("smdev.workstation.pyenv : Ensure pyenv_global is the version python means for the workstation user",
              "02:03.5", "02:04.0", {"changed": True, "invocation": {"module_args": {
                  "dest": "/home/dev/.pyenv/version", "content": "3.11.2\n"}}}),
        _task("smdev.workstation.pipenv : Ensure pipx is installed in its virtual environment at version 1.18.4",
              "02:04.0", "02:10.0", _command(["/x/bin/python", "-m", "pip", "install", "pipx==1.18.4"])),
        _task("smdev.workstation.pipenv : Ensure Pipenv is installed with pipx on the pyenv global Python at version 1",
              "02:10.0", "02:20.0", _command(["/x/bin/pipx", "install", "--force", "--python", PYTHON,
                                                "pipenv==2026.10.3"])),
        _task("smdev.workstation.sagemaker_sdk : Sync the workspace venv with Pipfile.lock", "02:20.0", "03:20.0",
              {"changed": True, "cmd": "/home/dev/.local/bin/pipenv sync",
               "invocation": {"module_args": {"chdir": "/home/dev/sagemaker"}}}),
        _task("smdev.workstation.sagemaker_sdk : Register the workspace as a Jupyter kernel", "03:20.0", "03:22.0",
              _command(["/home/dev/sagemaker/.venv/bin/python", "-m", "ipykernel", "install", "--user"])),
        _task("smdev.workstation.aws_cli : Ensure the AWS CLI zip is downloaded and its signature verified, version 2",
              "03:22.0", "03:23.0", {"changed": True, "invocation": {"module_args": {
                  "url": "https://awscli.amazonaws.com/awscli-exe-linux-x86_64-2.99.0.zip",
                  "dest": "/var/cache/smdev/aws-cli/awscli.zip", "sha256": "a" * 64}}}),
        _task("smdev.workstation.versioned_install : Unpack the verified zip", "03:23.0", "03:25.0",
              {"changed": True, "invocation": {"module_args": {
                  "src": "/var/cache/smdev/aws-cli/awscli.zip", "dest": "/var/cache/smdev/aws-cli/unpacked",
                  "list_files": False}}}),
        _task("smdev.workstation.versioned_install : Run the vendor's installer into the versioned directory",
              "03:25.0", "03:30.0", _command([INSTALLER, "--install-dir", "/opt"])),
        _task("smdev.workstation.ide : Ensure the tools environment exists", "03:30.0", "03:33.0",
              _command([PYTHON, "-m", "venv", "/home/dev/.local/share/smdev/python-tools"])),
        _task("smdev.workstation.ide : Ensure the Python dev tools are installed at their pinned versions",
              "03:33.0", "04:00.0", _command(["/t/bin/python", "-m", "pip", "install", "ruff==0.17.6"])),
        _task("smdev.workstation.ide : Ensure the tools' commands are on the user's PATH (~/.local/bin)",
              "04:00.0", "04:01.0", {"changed": True, "results": [
                  {"changed": True, "invocation": {"module_args": {
                      "src": "/t/bin/ruff", "path": "/home/dev/.local/bin/ruff", "state": "link"}}},
                  {"changed": False, "invocation": {"module_args": {
                      "src": "/t/bin/mypy", "path": "/home/dev/.local/bin/mypy", "state": "link"}}}]}),
        _task("smdev.workstation.drift : Install the pinned runtime into the venv", "04:01.0", "04:31.0",
              {"changed": True, "invocation": {"module_args": {
                  "virtualenv": "/opt/smdev/drift/venv",
                  "requirements": "/opt/smdev/drift/collection/requirements/runtime.txt"}}}),
    ]}],
    "stats": {"localhost": {"ok": 14, "changed": 13, "failures": 0, "unreachable": 0}},
}


def test_task_times_carry_their_role_and_the_plays_own_tasks_count_as_play() -> None:
    tasks = bench.tasks_of(REPORT)
    assert tasks[0] == ("play", "Validate every role's input before anything changes", 1.5)
    assert tasks[2][0] == "pyenv" and tasks[2][2] == pytest.approx(120.0)
    run = bench.Run("converge", 300.0, ok=True, changed=13, tasks=tasks)
    assert next(iter(run.by_role())) == "pyenv"  # the slowest role first
    assert run.slowest(1)[0][1].startswith("Ensure this Python is built")


def test_the_raw_baseline_replays_what_the_converge_resolved() -> None:
    params = bench.raw_params(REPORT, "http://mirror.test")
    assert params["clones"] == [{"repo": "https://github.com/pyenv/pyenv.git", "version": "abc123",
                                 "dest": "/home/dev/.pyenv"}]
    assert params["python_version"] == "3.11.2"
    assert params["pipx_version"] == "1.18.4"
    assert params["pipenv_version"] == "2026.10.3"
    assert params["workspace"] == "/home/dev/sagemaker"
    assert params["downloads"][0]["sha256"] == "a" * 64
    assert params["installers"] == [{"zip": "/var/cache/smdev/aws-cli/awscli.zip",
                                     "dir": "/var/cache/smdev/aws-cli/unpacked",
                                     "argv": [INSTALLER, "--install-dir", "/opt"]}]
    assert params["links"] == [{"src": "/t/bin/ruff", "dest": "/home/dev/.local/bin/ruff"}]  # only the changed
    assert params["drift_collection"] == "/opt/smdev/drift/collection"


def test_written_files_are_the_file_modules_destinations_only() -> None:
    assert bench.written_files(REPORT) == ["/home/dev/.pyenv/version"]


def test_a_missing_command_task_is_named() -> None:
    with pytest.raises(bench.HarnessError, match="no command task named"):
        bench.raw_params({"plays": [{"tasks": []}]}, "http://mirror.test")


def test_the_table_has_the_ratio_and_the_targets() -> None:
    tasks = bench.tasks_of(REPORT)
    runs = {name: bench.Run(name, seconds, ok=True, changed=changed, on_machine=150, tasks=tasks)
            for name, seconds, changed in (("converge", 300.0, 13), ("noop", 14.0, 0), ("noop_linear", 30.0, 0),
                                           ("timer", 12.0, 0),
                                           ("check", 25.0, 0), ("cache", 200.0, 13))}
    runs["raw"] = bench.Run("raw", 250.0, ok=True, steps={"apt": 60.0, "python": 120.0})
    runs["noop"].samples, runs["noop_linear"].samples = [14.0, 13.2, 16.0], [30.0, 29.0, 31.5]
    row = bench.summary("debian12", runs)
    assert row["converge_over_raw"] == 1.2
    markdown = bench.table([row], {"debian12": runs})
    assert ("| debian12 | 300 s | 250 s | 1.20x | 14 s (changed=0) | 30 s (changed=0) | 12 s (corrected=0) "
            "| 25 s (changed=0) |") in markdown
    assert "no-op re-run under 20 s" in markdown
    assert "apt 60 s, python 120 s" in markdown
    assert "no-op re-runs took 14.0, 13.2, 16.0 s (30.0, 29.0, 31.5 s with linear)" in markdown
    assert "debian12: the no-op re-run started 150 modules on the machine (150 with linear)" in markdown


def test_modules_on_the_machine_count_loop_items_and_leave_out_skips_and_the_controllers_own() -> None:
    report = {"plays": [{"tasks": [
        _task("Validate every role's input", "00:00", "00:01", {"action": "ansible.builtin.assert"}),
        _task("common : Probe", "00:01", "00:02", {"action": "ansible.builtin.command", "changed": False}),
        _task("common : Not this time", "00:02", "00:03", {"action": "ansible.builtin.apt", "skipped": True}),
        _task("common : Remember", "00:03", "00:04", {"action": "set_fact"}),
        _task("ide : Links", "00:04", "00:05", {"action": "ansible.builtin.file", "results": [
            {"changed": False}, {"skipped": True}, {"changed": True}]}),
        _task("ide : Includes", "00:05", "00:06", {"action": "ansible.builtin.include_tasks"}),
        {"task": {"name": "other host", "duration": {"start": "2026-12-05T04:00:06Z"}}, "hosts": {}},
    ]}]}
    assert bench.on_machine(report) == 3  # the probe, and two of the three links


def test_a_repeated_no_op_counts_its_median_run_and_fails_if_any_run_did(monkeypatch: pytest.MonkeyPatch) -> None:
    seconds = iter([21.0, 17.0, 19.0])
    oks = iter([True, True, False])
    changed = iter([0, 0, 2])
    steps: list[str] = []

    def playbook(step: str, host: str, playbook: str, *args: str, strategy: str = "") -> bench.Run:
        steps.append(step)
        return bench.Run(step, next(seconds), ok=next(oks), changed=next(changed))

    runner = bench.Bench.__new__(bench.Bench)
    monkeypatch.setattr(runner, "playbook", playbook)
    run = runner.repeated("noop", "host")
    assert steps == ["noop", "noop-2", "noop-3"]  # each run keeps its own log
    assert (run.seconds, run.samples) == (19.0, [21.0, 17.0, 19.0])
    assert not run.ok
    assert run.changed == 2
