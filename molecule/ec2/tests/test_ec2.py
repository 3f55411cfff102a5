"""The configure play of ec2.yml, as the VM's user sees it."""

from __future__ import annotations

from typing import Any


def test_the_workstation_user_has_the_base_tools(login_shell: Any) -> None:
    assert login_shell("command -v git && command -v curl").rc == 0


def test_idle_stop_watches_the_vm(host: Any) -> None:
    assert host.file("/etc/systemd/system/timers.target.wants/smdev-idle-stop.timer").is_symlink
    settings = host.file("/etc/default/smdev-idle-stop").content_string
    assert "IDLE_STOP_MINUTES=1" in settings  # the scenario's short limit
    assert "IDLE_STOP_ACTION='touch /var/lib/smdev-idle-stop-fired'" in settings
