"""smdev-status: the user's view of the last drift run, from the run reports."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "roles/drift/files/smdev-status.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("smdev_status", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    module = load()
    monkeypatch.setattr(module, "timer_state", lambda: "enabled")
    return module


def report(mode: str = "correct", failed: bool = False, check: bool = False, ended: str = "2026-11-29T02:10:00+00:00",
           ) -> dict[str, Any]:
    tasks: list[dict[str, Any]] = [
        {"host": "localhost", "role": "common", "task": "Ensure the base packages are installed", "status": "changed"},
    ]
    if failed:
        tasks.append({"host": "localhost", "role": "common", "task": "Ensure the proxy settings",
                      "status": "failed", "msg": "No package matching 'unzip' is available"})
    return {
        "playbook": "laptop.yml", "started": "2026-11-29T02:09:00+00:00", "ended": ended, "mode": mode,
        "check_mode": check, "result": "failed" if failed else "ok",
        "counts": {"changed": 1, "failed": int(failed), "unchanged": 40, "skipped": 7, "unreachable": 0,
                   "corrected": 0 if check else 1, "drifted": 1 if check else 0},
        "tasks": tasks,
    }


def write(directory: Path, name: str, content: dict[str, Any]) -> None:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(json.dumps(content))


def run(cli: ModuleType, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_no_run_yet(cli: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(cli, capsys, "--dir", str(tmp_path / "runs"))
    assert code == 0
    assert "No drift run yet" in out
    assert "Timer smdev-drift.timer: enabled" in out


def test_no_run_yet_as_json(cli: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(cli, capsys, "--json", "--dir", str(tmp_path))
    assert code == 0
    info = json.loads(out)
    assert info["last_run"] is None
    assert info["timer_enabled"] == "enabled"


def test_a_good_run_lists_what_was_corrected(cli: ModuleType, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "run-20261129T021000000000Z.json", report())
    code, out = run(cli, capsys, "--dir", str(tmp_path))
    assert code == 0
    assert "Last drift run: 2026-11-29T02:10:00+00:00 (correct mode): OK" in out
    assert "corrected: 1, failed: 0" in out
    assert "corrected: [common] Ensure the base packages are installed" in out


def test_a_failed_run_exits_1_with_the_task_message(cli: ModuleType, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "run-20261129T021000000000Z.json", report(failed=True))
    code, out = run(cli, capsys, "--dir", str(tmp_path))
    assert code == 1
    assert "FAILED: [common] Ensure the proxy settings: No package matching 'unzip' is available" in out


def test_json_carries_the_failures(cli: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "run-20261129T021000000000Z.json", report(failed=True))
    code, out = run(cli, capsys, "--json", "--dir", str(tmp_path))
    info = json.loads(out)
    assert code == 1
    assert info["last_run"]["result"] == "failed"
    assert [t["msg"] for t in info["last_run"]["failed"]] == ["No package matching 'unzip' is available"]
    assert [t["task"] for t in info["last_run"]["changed"]] == ["Ensure the base packages are installed"]


def test_the_newest_report_counts(cli: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "run-20261129T010000000000Z.json", report(failed=True, ended="old"))
    write(tmp_path, "run-20261129T020000000000Z.json", report(ended="new"))
    code, out = run(cli, capsys, "--dir", str(tmp_path))
    assert code == 0
    assert "Last drift run: new" in out


def test_report_mode_says_drift_was_left_alone(cli: ModuleType, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "run-20261129T021000000000Z.json", report(mode="report", check=True))
    code, out = run(cli, capsys, "--dir", str(tmp_path))
    assert code == 0
    assert "drift found (left alone): 1" in out
    assert "drift found (left alone): [common] Ensure the base packages are installed" in out


def test_a_garbled_report_exits_2(cli: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "run-20261129T021000000000Z.json").write_text("{not json")
    assert cli.main(["--dir", str(tmp_path)]) == 2
    assert "cannot read the run reports" in capsys.readouterr().err


def test_other_files_are_ignored(cli: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".report-partial").write_text("{")
    code, out = run(cli, capsys, "--dir", str(tmp_path))
    assert code == 0
    assert "No drift run yet" in out


@pytest.mark.parametrize(("link", "unit", "state"), [(True, True, "enabled"), (False, True, "disabled"),
                                                      (False, False, "not-found")])
def test_timer_state_without_systemctl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, link: bool, unit: bool,
                                       state: str) -> None:
    """No systemctl (or no D-Bus for a normal user): the unit files tell."""
    module = load()
    monkeypatch.setattr(module.shutil, "which", lambda _: None)
    monkeypatch.setattr(module, "WANTS_LINK", tmp_path / "wants")
    monkeypatch.setattr(module, "UNIT_FILE", tmp_path / "unit")
    if link:
        (tmp_path / "wants").touch()
    if unit:
        (tmp_path / "unit").touch()
    assert module.timer_state() == state


def test_the_report_dir_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    module = load()
    monkeypatch.setattr(module, "timer_state", lambda: "disabled")
    monkeypatch.setenv("SMDEV_REPORT_DIR", str(tmp_path))
    write(tmp_path, "run-20261129T021000000000Z.json", report())
    code, out = run(module, capsys)
    assert code == 0
    assert "Timer smdev-drift.timer: disabled" in out
