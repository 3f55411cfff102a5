"""idle_stop on the ec2 scenario's systemd container: the timer's check decides when to power off.

The poweroff is injected as `touch MARKER`; each test backdates the last
activity past the limit and runs the check service the timer runs.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from typing import Any

import pytest

MARKER = "/var/lib/smdev-idle-stop-fired"
STATE = "/run/smdev-idle-stop/last-active"
KEEP_AWAKE = "/home/dev/.smdev-keep-awake"
# The decision the script took in the service's run (the journal may lag behind
# a finished oneshot on a loaded machine; this file is written by the run itself).
LAST_DECISION = "cat /run/smdev-idle-stop/last-decision"
SUDO_PASSWORD = "dev"  # the test image's sudo user's password  # noqa: S105


def root(host: Any, command: str) -> Any:
    return host.run(f"echo {SUDO_PASSWORD} | sudo -S -p '' sh -c {shlex.quote(command)}")


@pytest.fixture
def timer_paused(host: Any) -> Iterator[None]:
    """The timer's own run (every 30 s here) must not decide between a test's setup and its check."""
    assert root(host, "systemctl stop smdev-idle-stop.timer").rc == 0
    yield
    assert root(host, "systemctl start smdev-idle-stop.timer").rc == 0


def check_after_idle(host: Any) -> Any:
    """Forget the last decision, backdate the last activity 5 minutes, run the check."""
    result = root(
        host,
        f"rm -f {MARKER} && mkdir -p /run/smdev-idle-stop && touch -d '-5 min' {STATE}"
        " && systemctl start smdev-idle-stop.service"
        f" && {LAST_DECISION}",
    )
    assert result.rc == 0, result.stderr
    return result


@pytest.fixture
def ssh_session(host: Any) -> Iterator[None]:
    """An established TCP connection to port 22, as an SSM-tunnelled SSH session makes."""
    server = (
        "import socket,time;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);"
        "s.bind(('127.0.0.1',22));s.listen();c=socket.create_connection(('127.0.0.1',22));"
        "a=s.accept();open('/run/fake-ssh.ready','w').close();time.sleep(120)"
    )
    start = f"nohup python3 -c {shlex.quote(server)} >/dev/null 2>&1 & echo $! > /run/fake-ssh.pid"
    root(host, f"rm -f /run/fake-ssh.ready; {start}")
    assert root(host, "for i in $(seq 50); do [ -e /run/fake-ssh.ready ] && exit 0; sleep 0.1; done; exit 1").rc == 0
    yield
    root(host, "kill $(cat /run/fake-ssh.pid); rm -f /run/fake-ssh.ready /run/fake-ssh.pid")


def test_the_timer_is_enabled_and_running(host: Any) -> None:
    assert root(host, "systemctl is-enabled smdev-idle-stop.timer").stdout.strip() == "enabled"
    assert root(host, "systemctl is-active smdev-idle-stop.timer").stdout.strip() == "active"


def test_no_session_past_the_limit_powers_off(host: Any, timer_paused: None) -> None:
    result = check_after_idle(host)
    assert host.file(MARKER).exists, result.stdout
    assert "without SSH sessions" in result.stdout


def test_an_ssh_session_keeps_the_vm_on(host: Any, timer_paused: None, ssh_session: None) -> None:
    result = check_after_idle(host)
    assert not host.file(MARKER).exists
    assert "active: 1 SSH connection(s)" in result.stdout


def test_the_keep_awake_file_keeps_the_vm_on(as_user: Any, timer_paused: None) -> None:
    assert as_user.run(f"touch {KEEP_AWAKE}").rc == 0, "dev must be able to keep its VM awake"
    try:
        result = check_after_idle(as_user)
        assert not as_user.file(MARKER).exists
        assert f"awake: {KEEP_AWAKE} exists" in result.stdout
    finally:
        as_user.run(f"rm -f {KEEP_AWAKE}")


def test_idle_time_below_the_limit_does_not_power_off(host: Any, timer_paused: None) -> None:
    result = root(
        host,
        f"rm -f {MARKER} && touch {STATE} && systemctl start smdev-idle-stop.service"
        f" && {LAST_DECISION}",
    )
    assert result.rc == 0, result.stderr
    assert not host.file(MARKER).exists
    assert "idle for 0 of 1 minutes" in result.stdout
