"""drift, as the workstation user sees it: the timer, its runs, their reports, smdev-status.

The tests run in file order and share one converged machine: each starts the
real service (a full run of the laptop playbook inside the container), so
there are only four runs. BREAKS is the table of things users break; each role
adds its own rows (what to break, how to see it is repaired, which task of
which role must report the correction).
"""

from __future__ import annotations

import json
import shlex
import time
from dataclasses import dataclass
from typing import Any

import pytest

PASSWORD = "dev"  # noqa: S105 - the throwaway container account's sudo password
RUNNER = "/usr/local/sbin/smdev-drift"
LOCK = "/run/smdev-drift.lock"


@dataclass(frozen=True)
class Break:
    """One way a user breaks the workstation, and the task that must correct it."""

    role: str
    task: str
    do: str  # run as root
    repaired: str  # exits 0 once repaired (run as dev in a login shell)
    # (role, task) the repair sets off in turn, a handler, reported as corrections too.
    follows: tuple[tuple[str, str], ...] = ()


BREAKS = [
    Break("common", "Ensure the base packages are installed",
          "DEBIAN_FRONTEND=noninteractive apt-get remove -y -q unzip", "command -v unzip"),
    Break("drift", "Ensure smdev-status is installed", "rm /usr/local/bin/smdev-status",
          "test -x /usr/local/bin/smdev-status"),
    # A user tidying ~/.bashrc by hand takes pyenv (and so python, pipenv, sam) out of new terminals.
    Break("pyenv", "Ensure pyenv's shell init is in each shell's login and interactive files",
          "runuser -u dev -- sed -i '/# BEGIN smdev.workstation pyenv/,/# END smdev.workstation pyenv/d' "
          "/home/dev/.bashrc",
          "grep -q '# BEGIN smdev.workstation pyenv' ~/.bashrc"),
    # `pyenv global system` by mistake, or a tidy-up of ~/.pyenv: python is no longer the pinned one.
    Break("pyenv", "Ensure pyenv_global is the version python means for the workstation user",
          "rm /home/dev/.pyenv/version", '[ "$(pyenv version-name)" = 3.11.2 ]'),
    # A user pip-installs another version of a pinned package into the SageMaker workspace.
    Break("sagemaker_sdk", "Sync the workspace venv with Pipfile.lock",
          "runuser -u dev -- /home/dev/sagemaker/.venv/bin/python -m pip install -q urllib3==1.26.19",
          "smdev-parity ~/sagemaker"),
    # A profile deleted from ~/.aws/config by hand (molecule/laptop/vars/user.yml configures it).
    Break("aws_sso", "Ensure each profile's keys are set in ~/.aws/config (other keys are kept)",
          "runuser -u dev -- python3 -c " + shlex.quote(
              "import configparser, os; path = os.path.expanduser('~dev/.aws/config');"
              " config = configparser.RawConfigParser(); config.read(path);"
              " assert config.remove_section('profile acme-dev'); config.write(open(path, 'w'))"),
          "python3 -c " + shlex.quote(
              "import configparser, os; config = configparser.RawConfigParser();"
              " config.read(os.path.expanduser('~/.aws/config'));"
              " assert config.get('profile acme-dev', 'sso_account_id') == '012345678901'")),
    # A hand edit of a line the role manages in daemon.json (tests/offline-vars.yml sets the option);
    # putting it back restarts the daemon, so that it runs with the managed value again.
    Break("docker", "Ensure daemon.json has docker_daemon_options and log rotation (the file's other keys are kept)",
          """sed -i 's/"max-concurrent-downloads": 4/"max-concurrent-downloads": 9/' /etc/docker/daemon.json""",
          # and the restarted daemon answers (dev's shell has no systemd bus to ask systemctl)
          """grep -q '"max-concurrent-downloads": 4' /etc/docker/daemon.json"""
          """ && docker info --format '{{.ServerVersion}}'""",
          follows=(("docker", "Restart docker"),)),
]
EXPECTED_CORRECTIONS = {(b.role, b.task) for b in BREAKS} | {task for b in BREAKS for task in b.follows}


def as_root(host: Any, command: str) -> Any:
    """What dev does with sudo, password and all."""
    return host.run(f"echo {PASSWORD} | sudo -S -p '' bash -c {shlex.quote(command)}")


def status(login_shell: Any) -> tuple[int, dict[str, Any]]:
    result = login_shell("smdev-status --json")
    return result.rc, json.loads(result.stdout)


def corrections(run: dict[str, Any]) -> set[tuple[str, str]]:
    return {((t.get("role") or "").rsplit(".", 1)[-1], t["task"]) for t in run["changed"]}


def start_service(host: Any) -> Any:
    """systemctl start waits for a oneshot service to finish."""
    return as_root(host, "systemctl start smdev-drift.service")


def test_the_timer_is_enabled_and_waiting(host: Any) -> None:
    assert as_root(host, "systemctl is-enabled smdev-drift.timer").stdout.strip() == "enabled"
    assert as_root(host, "systemctl is-active smdev-drift.timer").stdout.strip() == "active"
    timer = host.file("/etc/systemd/system/smdev-drift.timer").content_string
    assert "Persistent=true" in timer
    assert "OnCalendar=daily" in timer


def test_the_vars_file_is_readable_by_the_user_only(host: Any) -> None:
    vars_file = host.file("/etc/smdev/drift-vars.yml")
    assert vars_file.user == "root"
    assert vars_file.group == "dev"
    assert vars_file.mode == 0o640
    assert "workstation_user: dev" in vars_file.content_string


def test_smdev_status_says_no_run_yet(login_shell: Any) -> None:
    result = login_shell("smdev-status")
    assert result.rc == 0, result.stderr
    assert "No drift run yet" in result.stdout
    assert "smdev-drift.timer: enabled" in result.stdout


@pytest.mark.parametrize("broken", BREAKS, ids=[b.task for b in BREAKS])
def test_each_break_is_real(host: Any, login_shell: Any, broken: Break) -> None:
    as_root(host, broken.do)
    assert login_shell(broken.repaired).rc != 0, f"breaking did not break: {broken.do}"


def test_a_correct_run_repairs_every_break_and_reports_exactly_those(host: Any, login_shell: Any) -> None:
    result = start_service(host)
    assert result.rc == 0, result.stdout + result.stderr
    for broken in BREAKS:
        assert login_shell(broken.repaired).rc == 0, f"not repaired: {broken.do}"
    rc, info = status(login_shell)
    run = info["last_run"]
    assert rc == 0
    assert run["mode"] == "correct"
    assert run["result"] == "ok"
    assert corrections(run) == EXPECTED_CORRECTIONS
    assert run["counts"]["corrected"] == len(EXPECTED_CORRECTIONS)


def test_a_second_run_corrects_nothing(host: Any, login_shell: Any) -> None:
    result = start_service(host)
    assert result.rc == 0, result.stdout + result.stderr
    rc, info = status(login_shell)
    assert rc == 0
    assert info["last_run"]["counts"]["corrected"] == 0, info["last_run"]["changed"]


def test_report_mode_reports_a_break_and_a_second_start_waits_its_turn(host: Any, login_shell: Any) -> None:
    broken = BREAKS[0]
    as_root(host, broken.do)
    as_root(host, f"systemd-run --unit smdev-drift-report-test {RUNNER} --report")
    deadline = time.monotonic() + 60
    while as_root(host, f"flock --nonblock {LOCK} true").rc == 0:
        assert time.monotonic() < deadline, "the report run never took the lock"
        time.sleep(0.5)
    second = as_root(host, f"{RUNNER} --report")
    assert second.rc == 0
    assert "another smdev-drift run holds" in second.stdout
    as_root(host, f"flock --wait 900 {LOCK} true")
    rc, info = status(login_shell)
    run = info["last_run"]
    assert rc == 0
    assert run["mode"] == "report"
    assert run["check_mode"] is True
    assert (broken.role, broken.task) in corrections(run)
    assert run["counts"]["corrected"] == 0
    assert login_shell(broken.repaired).rc != 0, "report mode repaired the break"


def test_a_failed_run_shows_in_smdev_status_and_the_journal(host: Any, login_shell: Any) -> None:
    """unzip is still removed; an apt pin now forbids installing it again, so the run fails."""
    as_root(host, "printf 'Package: unzip\\nPin: release *\\nPin-Priority: -1\\n' > /etc/apt/preferences.d/no-unzip")
    try:
        assert start_service(host).rc != 0
        rc, info = status(login_shell)
        run = info["last_run"]
        assert rc == 1
        assert run["result"] == "failed"
        [failed] = run["failed"]
        assert failed["task"] == BREAKS[0].task
        assert "unzip" in failed["msg"]
        text = login_shell("smdev-status")
        assert text.rc == 1
        assert f"FAILED: [{failed['role']}] {failed['task']}" in text.stdout
        journal = as_root(host, "journalctl --no-pager -t smdev-drift")
        assert "correct run FAILED" in journal.stdout
        assert "unzip" in journal.stdout
    finally:
        as_root(host, "rm -f /etc/apt/preferences.d/no-unzip; systemctl reset-failed smdev-drift.service")
        as_root(host, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q unzip")
