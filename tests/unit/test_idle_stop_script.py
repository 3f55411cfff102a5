"""The idle check script's decisions, without a container.

The session count (connections to port 22) is tested in the idle_stop
molecule scenario; here the script runs with a config, state file and home
directories of the test's own, so this machine's sessions must not exist
for the "power off" case: it is skipped when this machine has SSH sessions.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import jinja2
import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "roles" / "idle_stop" / "templates" / "smdev-idle-stop.j2"


@pytest.fixture
def script(tmp_path: Path) -> Path:
    rendered = jinja2.Template(TEMPLATE.read_text()).render(ansible_managed="test")
    path = tmp_path / "smdev-idle-stop"
    path.write_text(rendered)
    path.chmod(0o755)
    marker = tmp_path / "fired"
    (tmp_path / "config").write_text(f"IDLE_STOP_MINUTES=10\nIDLE_STOP_ACTION='touch {marker}'\n")
    (tmp_path / "home" / "dev").mkdir(parents=True)
    return path


def check(script: Path, idle_minutes: float) -> subprocess.CompletedProcess[str]:
    base = script.parent
    state = base / "run" / "last-active"
    state.parent.mkdir(exist_ok=True)
    state.touch()
    past = time.time() - idle_minutes * 60
    os.utime(state, (past, past))
    env = {
        "PATH": "/usr/bin:/bin",
        "SMDEV_IDLE_STOP_CONFIG": str(base / "config"),
        "SMDEV_IDLE_STOP_STATE": str(state),
        "SMDEV_IDLE_STOP_HOMES": str(base / "home" / "*"),
    }
    return subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=30, check=True)


def this_machine_has_sessions() -> bool:
    result = subprocess.run(["who"], capture_output=True, text=True, check=False)
    tcp = "".join(Path(p).read_text() for p in ("/proc/net/tcp", "/proc/net/tcp6") if Path(p).exists())
    rows = [line.split() for line in tcp.splitlines()]
    established_22 = [row for row in rows if row[1].endswith(":0016") and row[3] == "01"]
    return bool(result.stdout.strip()) or bool(established_22)


@pytest.mark.skipif(this_machine_has_sessions(), reason="this machine has SSH sessions or logged-in users")
def test_idle_past_the_limit_runs_the_action(script: Path) -> None:
    result = check(script, idle_minutes=11)
    assert (script.parent / "fired").exists(), result.stdout
    assert "without SSH sessions: running touch" in result.stdout


def test_idle_below_the_limit_does_nothing(script: Path) -> None:
    result = check(script, idle_minutes=3)
    assert not (script.parent / "fired").exists()
    assert "of 10 minutes" in result.stdout or "active:" in result.stdout


def test_the_keep_awake_file_wins(script: Path) -> None:
    (script.parent / "home" / "dev" / ".smdev-keep-awake").touch()
    result = check(script, idle_minutes=60)
    assert not (script.parent / "fired").exists()
    assert "awake:" in result.stdout
