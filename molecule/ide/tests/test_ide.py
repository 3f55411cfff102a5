"""The ide role, as `dev` sees it: debugger, static analysis, completion and hover work.

The samples (molecule/ide/files) are copied to ~/ide-acceptance by prepare.
The SageMaker SDK is not installed in this scenario (the sagemaker_sdk role is
separate), so hover and completion are proven on a small local module.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from typing import Any

import pytest

HOME = "/home/dev"
WORK = f"{HOME}/ide-acceptance"
PROJECT = f"{WORK}/project"
TOOLS_PYTHON = f"{HOME}/.local/share/smdev/ide-tools/bin/python"
SETTINGS = f"{HOME}/.config/Code/User/settings.json"


def run_ok(login_shell: Any, command: str) -> str:
    result = login_shell(command)
    assert result.rc == 0, f"{command} failed ({result.rc}):\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_vscode_source_is_deb822_with_signed_by(host: Any) -> None:
    source = host.file("/etc/apt/sources.list.d/vscode.sources")
    assert source.user == "root" and source.mode == 0o644
    content = source.content_string
    assert "Types: deb\n" in content
    mirror = os.environ["SMDEV_MIRROR_URL"]
    assert f"URIs: {mirror}/packages.microsoft.com/repos/code\n" in content
    assert "Suites: stable\n" in content and "Components: main\n" in content
    assert "Signed-By: /etc/apt/keyrings/microsoft.asc\n" in content


def test_vscode_key_has_the_pinned_fingerprint(host: Any) -> None:
    key = host.file("/etc/apt/keyrings/microsoft.asc")
    assert key.user == "root" and key.mode == 0o644
    listing = host.run("install -d -m 700 /tmp/ide-test-gnupg && gpg --batch --homedir /tmp/ide-test-gnupg "
                       "--with-colons --show-keys /etc/apt/keyrings/microsoft.asc")
    assert listing.rc == 0, listing.stderr
    fingerprints = [line.split(":")[9] for line in listing.stdout.splitlines() if line.startswith("fpr:")]
    assert fingerprints[0] == os.environ["SMDEV_IDE_KEY_FINGERPRINT"]


def test_apt_accepts_the_signed_repository(host: Any) -> None:
    """apt-get update of just this source verifies its InRelease with the Signed-By key."""
    update = host.run(
        "echo dev | sudo -S -p '' apt-get update -o Dir::Etc::SourceList=/etc/apt/sources.list.d/vscode.sources "
        "-o Dir::Etc::SourceParts=/nonexistent -o APT::Get::List-Cleanup=0"
    )
    output = update.stdout + update.stderr
    assert update.rc == 0, output
    assert "NO_PUBKEY" not in output and "not signed" not in output and "Err:" not in output, output
    assert "W:" not in output, output


@pytest.mark.user_data
def test_settings_are_merged_and_devs_own_survive(as_user: Any) -> None:
    settings = as_user.file(SETTINGS)
    assert settings.user == "dev" and settings.mode == 0o600
    text = settings.content_string
    for kept in ["// dev's own settings", '"editor.fontSize": 15', "/* big */", "// to be replaced"]:
        assert kept in text
    assert '"python.analysis.typeCheckingMode": "strict"' in text
    assert '"debugpy.debugJustMyCode": false' in text
    assert f'"python.defaultInterpreterPath": "{HOME}/sagemaker/.venv/bin/python"' in text
    assert re.search(r'"\[python\]": \{\s*"editor.tabSize": 4,\s*"editor.formatOnSave": true\s*\}', text), text
    backup = as_user.file(SETTINGS + ".smdev-backup")
    assert '"python.analysis.typeCheckingMode": "off"' in backup.content_string


@pytest.mark.parametrize("tool", ["ruff", "mypy", "pyright", "pyright-langserver", "pylsp", "pre-commit"])
def test_dev_tools_are_on_devs_path(login_shell: Any, tool: str) -> None:
    run_ok(login_shell, f"command -v {tool}")


def test_pinned_versions(login_shell: Any) -> None:
    assert "ruff 0.17.6" in run_ok(login_shell, "ruff --version")
    assert "2.4.1" in run_ok(login_shell, "mypy --version")
    assert "1.8.22" in run_ok(login_shell, f"{TOOLS_PYTHON} -m debugpy --version")


def test_debugger_stops_in_a_helper_and_evaluates_locals(login_shell: Any) -> None:
    """debugpy runs main.py, which calls helper.py; the DAP client stops there and evaluates."""
    script = (
        f"cd {PROJECT} && "
        f"(timeout 120 {TOOLS_PYTHON} -m debugpy --listen 127.0.0.1:5890 --wait-for-client main.py "
        f"> {WORK}/debuggee.out 2>&1 &) && "
        f"timeout 120 python3 {WORK}/dap_client.py 5890 {PROJECT}/helper.py "
        f"$(grep -n '# BREAK' helper.py | cut -d: -f1) 'count * weight + offset'"
    )
    seen = json.loads(run_ok(login_shell, script).strip().splitlines()[-1])
    assert seen["verified"] == [True]
    assert seen["reason"] == "breakpoint"
    assert seen["frame"]["name"] == "scaled_total"
    assert seen["frame"]["path"] == f"{PROJECT}/helper.py"
    assert seen["caller"] == "<module>"
    assert seen["value"] == "42.5"
    assert seen["terminated"] is True
    assert run_ok(login_shell, f"sleep 1; cat {WORK}/debuggee.out").strip().endswith("42.5")


def test_debugger_stops_in_a_helper_called_from_a_notebook_cell(debug_a_notebook_cell: Any) -> None:
    """A cell in a real Jupyter kernel (ipykernel of the tools environment) calls helper.py.

    The laptop tests do the same in the SageMaker workspace's own kernel (test_ide_sagemaker.py).
    """
    seen, cell = debug_a_notebook_cell(TOOLS_PYTHON, WORK, 5891)
    assert seen["reason"] == "breakpoint"
    assert seen["frame"]["name"] == "scaled_total"
    assert seen["value"] == "42.5"
    assert "status=ok" in cell and "cell result 42.5" in cell, cell


@pytest.mark.parametrize(
    ("command", "finding"),
    [
        ("ruff check analysis_bad.py", "F821"),
        ("mypy analysis_bad.py", 'incompatible type "str"'),
        ("pyright analysis_bad.py", "reportArgumentType"),
    ],
)
def test_static_analysis_flags_the_mistake_and_passes_the_fix(login_shell: Any, command: str, finding: str) -> None:
    bad = login_shell(f"cd {PROJECT} && {command}")
    assert bad.rc != 0, bad.stdout
    assert finding in bad.stdout, bad.stdout + bad.stderr
    run_ok(login_shell, f"cd {PROJECT} && {command.replace('analysis_bad', 'analysis_good')}")


@pytest.mark.parametrize("server", ["pylsp", "pyright-langserver --stdio"])
def test_language_server_hover_and_completion(login_shell: Any, server: str) -> None:
    # use_estimators.py line 2 (0-based): job = estimators.Estimator(...); hover on Estimator,
    # complete right after `estimators.`.
    output = run_ok(login_shell, f"cd {PROJECT} && timeout 120 python3 {WORK}/lsp_client.py use_estimators.py "
                                 f"2 20 2 17 -- {server}")
    seen = json.loads(output.strip().splitlines()[-1])
    assert "Runs a training job on managed instances" in seen["hover"], seen
    assert "Estimator" in seen["completion"], seen


@pytest.mark.user_data
def test_smdev_ide_init_copies_templates_and_keeps_existing_files(login_shell: Any, as_user: Any) -> None:
    target = f"{WORK}/new-project"
    run_ok(login_shell, f"rm -rf {target} && mkdir -p {target} && echo '# mine' > {target}/pyproject.toml")
    output = run_ok(login_shell, f"smdev-ide-init {shlex.quote(target)}")
    assert f"kept     {target}/pyproject.toml" in output
    assert as_user.file(f"{target}/pyproject.toml").content_string == "# mine\n"
    launch = as_user.file(f"{target}/.vscode/launch.json").content_string
    assert '"justMyCode": false' in launch
    assert '"port": 5890' in launch and '"remoteRoot": "/var/task"' in launch
    tasks = as_user.file(f"{target}/.vscode/tasks.json").content_string
    assert "aws logs tail /aws/sagemaker/TrainingJobs --follow --log-stream-name-prefix" in tasks
    assert as_user.file(f"{target}/.pre-commit-config.yaml").exists
    assert as_user.file(f"{target}/.vscode/settings.json").exists
