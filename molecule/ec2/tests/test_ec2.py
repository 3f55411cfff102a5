"""The configure play of ec2.yml, as the VM's user sees it."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import pytest

PASSWORD = "dev"  # noqa: S105 - the throwaway container account's sudo password


def test_the_workstation_user_has_the_base_tools(login_shell: Any) -> None:
    assert login_shell("command -v git && command -v curl").rc == 0


def test_the_python_toolchain_is_the_laptops(login_shell: Any) -> None:
    result = login_shell("python --version && command -v python && pipenv --version")
    assert result.rc == 0, result.stdout + result.stderr
    assert result.stdout.split()[:3] == ["Python", "3.11.2", "/home/dev/.pyenv/shims/python"]
    assert "pipenv, version 2026.10.3" in result.stdout


def test_the_sagemaker_workspace_has_the_release_sdk(login_shell: Any) -> None:
    sdk = login_shell("~/sagemaker/.venv/bin/python -c 'import sagemaker; print(sagemaker.__version__)' 2>/dev/null")
    assert sdk.rc == 0, sdk.stdout + sdk.stderr
    assert sdk.stdout.strip().splitlines()[-1] == "2.257.0"
    kernels = login_shell("~/sagemaker/.venv/bin/python -m jupyter kernelspec list --json")
    assert kernels.rc == 0, kernels.stdout + kernels.stderr
    assert "sagemaker-v2.14.10" in json.loads(kernels.stdout)["kernelspecs"]


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("aws --version", r"^aws-cli/2\.\d+\.\d+ "),
        # No telemetry from the test; sam's first run would otherwise ask about it.
        ("SAM_CLI_TELEMETRY=0 sam --version", r"^SAM CLI, version \d+\.\d+\.\d+$"),
        # The user reaches the VM's Docker daemon (docker group, daemon running).
        ("docker info --format '{{.ServerVersion}}'", r"^\d+\.\d+\.\d+"),
        ("ruff --version", r"^ruff 0\.17\.6$"),
        ("pyright --version", r"pyright 1\.1\.414"),
    ],
)
def test_the_cli_tools_work_for_the_user(login_shell: Any, command: str, expected: str) -> None:
    result = login_shell(command)
    assert result.rc == 0, result.stdout + result.stderr
    assert re.search(expected, result.stdout.strip(), re.MULTILINE), result.stdout


def test_no_vscode_desktop_but_remote_ssh_settings_point_at_the_workspace(host: Any, login_shell: Any) -> None:
    assert login_shell("command -v code").rc != 0
    assert not host.package("code").is_installed
    settings = host.file("/home/dev/.vscode-server/data/Machine/settings.json")
    assert settings.user == "dev"
    interpreter = json.loads(settings.content_string)["python.defaultInterpreterPath"]
    assert interpreter == "/home/dev/sagemaker/.venv/bin/python"


def test_no_sso_profiles_on_the_vm(host: Any) -> None:
    """The instance profile serves on the VM: the aws_sso role is not in its play."""
    config = host.file("/home/dev/.aws/config")
    assert not config.exists or not config.contains("sso-session"), config.content_string


def test_idle_stop_watches_the_vm(host: Any) -> None:
    assert host.file("/etc/systemd/system/timers.target.wants/smdev-idle-stop.timer").is_symlink
    settings = host.file("/etc/default/smdev-idle-stop").content_string
    assert "IDLE_STOP_MINUTES=1" in settings  # the scenario's short limit
    assert "IDLE_STOP_ACTION='touch /var/lib/smdev-idle-stop-fired'" in settings


def test_drift_re_applies_the_configure_play_on_the_vm(host: Any, login_shell: Any) -> None:
    """The VM's drift runs ec2_configure.yml (not ec2.yml, which provisions from a control node)."""
    assert host.file("/etc/systemd/system/timers.target.wants/smdev-drift.timer").is_symlink
    run = host.run(f"echo {PASSWORD} | sudo -S -p '' bash -c {shlex.quote('/usr/local/sbin/smdev-drift --report')}")
    assert run.rc == 0, run.stdout + run.stderr
    assert "ec2_configure.yml" in run.stdout
    status = login_shell("smdev-status --json")
    assert status.rc == 0, status.stdout + status.stderr
    last = json.loads(status.stdout)["last_run"]
    assert last["mode"] == "report"
    assert last["result"] == "ok"
    assert last["counts"]["changed"] == 0, last["changed"]
