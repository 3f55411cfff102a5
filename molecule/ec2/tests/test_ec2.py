"""The configure play of ec2.yml, as the VM's user sees it."""

from __future__ import annotations

import json
import shlex
from typing import Any

PASSWORD = "dev"  # noqa: S105 - the throwaway container account's sudo password


def test_the_workstation_user_has_the_base_tools(login_shell: Any) -> None:
    assert login_shell("command -v git && command -v curl").rc == 0


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
