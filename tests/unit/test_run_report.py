"""The run_report callback, driven by real ansible-playbook runs on localhost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cr3t-token-value"  # noqa: S105 - the string that must never reach a report

PLAYBOOK = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Write the managed file
      ansible.builtin.copy:
        dest: "{{ target }}/managed.conf"
        content: "managed = true\\n"
        mode: "0644"
    - name: Write the looped files
      ansible.builtin.copy:
        dest: "{{ target }}/{{ item }}.conf"
        content: "{{ item }} = true\n"
        mode: "0644"
      loop: [first, second]
    - name: Read something
      ansible.builtin.command: "true"
      changed_when: false
    - name: Skip something
      ansible.builtin.debug:
        msg: never
      when: false
    - name: Write the secret
      ansible.builtin.copy:
        dest: "{{ target }}/secret.conf"
        content: "token = {{ secret }}\\n"
        mode: "0600"
      no_log: true
    - name: Fail when asked
      ansible.builtin.fail:
        msg: "asked to fail"
      when: fail | bool
"""


def run_playbook(tmp_path: Path, mode: str = "converge", fail: bool = False, keep: int = 30,
                 check: bool = False) -> subprocess.CompletedProcess[str]:
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAYBOOK)
    (tmp_path / "target").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "ANSIBLE_CALLBACKS_ENABLED": "smdev.workstation.run_report",
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections"),
        "SMDEV_REPORT_DIR": str(tmp_path / "runs"),
        "SMDEV_REPORT_KEEP": str(keep),
        "SMDEV_RUN_MODE": mode,
    }
    argv = [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook), "--diff", "-i", "localhost,",
            "-e", json.dumps({"target": str(tmp_path / "target"), "secret": SECRET, "fail": fail,
                              "ansible_python_interpreter": sys.executable})]
    return subprocess.run([*argv, *(["--check"] if check else [])], env=env, capture_output=True, text=True,
                          check=False, timeout=120)


def reports(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((tmp_path / "runs").glob("run-*.json"))]


def test_a_converge_reports_counts_and_changed_tasks(tmp_path: Path) -> None:
    assert run_playbook(tmp_path).returncode == 0
    [report] = reports(tmp_path)
    assert report["playbook"] == "play.yml"
    assert report["result"] == "ok"
    assert report["mode"] == "converge"
    assert report["counts"] == {
        "changed": 3, "failed": 0, "unchanged": 1, "skipped": 2, "unreachable": 0, "corrected": 0, "drifted": 0,
    }
    managed = next(t for t in report["tasks"] if t["task"] == "Write the managed file")
    assert managed["status"] == "changed"
    assert "managed = true" in json.dumps(managed["diff"])


def test_no_log_tasks_never_reach_the_report(tmp_path: Path) -> None:
    run_playbook(tmp_path)
    text = next((tmp_path / "runs").glob("run-*.json")).read_text()
    assert SECRET not in text
    secret_task = next(t for t in json.loads(text)["tasks"] if t["task"] == "Write the secret")
    assert secret_task == {"host": "localhost", "role": None, "task": "Write the secret",
                           "status": "changed", "censored": True}


def test_a_second_correct_run_corrects_nothing_then_a_break_is_corrected(tmp_path: Path) -> None:
    run_playbook(tmp_path, mode="correct")
    run_playbook(tmp_path, mode="correct")
    (tmp_path / "target" / "managed.conf").write_text("managed = false\n")
    run_playbook(tmp_path, mode="correct")
    _, quiet, repaired = reports(tmp_path)
    assert quiet["counts"]["corrected"] == 0
    assert repaired["counts"]["corrected"] == 1
    assert [t["task"] for t in repaired["tasks"]] == ["Write the managed file"]


def test_report_mode_counts_drift_without_repairing_it(tmp_path: Path) -> None:
    run_playbook(tmp_path)
    (tmp_path / "target" / "managed.conf").write_text("managed = false\n")
    run_playbook(tmp_path, mode="report", check=True)
    drift = reports(tmp_path)[-1]
    assert drift["check_mode"] is True
    assert drift["counts"]["drifted"] == 1
    assert drift["counts"]["corrected"] == 0
    assert (tmp_path / "target" / "managed.conf").read_text() == "managed = false\n"


def test_report_mode_shows_a_hand_edit_in_a_loop_item_and_only_that(tmp_path: Path) -> None:
    """A loop task's diff is its items' own: the report keeps the changed item's diff."""
    run_playbook(tmp_path)
    (tmp_path / "target" / "second.conf").write_text("second = edited by hand\n")
    run_playbook(tmp_path, mode="report", check=True)
    drift = reports(tmp_path)[-1]
    [looped] = drift["tasks"]
    assert looped["task"] == "Write the looped files"
    [[diff]] = looped["diff"]
    assert diff["before"] == "second = edited by hand\n"
    assert diff["after"].strip() == "second = true"


def test_a_failed_run_says_which_task_and_why(tmp_path: Path) -> None:
    assert run_playbook(tmp_path, fail=True).returncode != 0
    [report] = reports(tmp_path)
    assert report["result"] == "failed"
    failed = [t for t in report["tasks"] if t["status"] == "failed"]
    assert failed == [{"host": "localhost", "role": None, "task": "Fail when asked",
                       "status": "failed", "msg": "asked to fail"}]


@pytest.mark.parametrize("keep", [1, 2])
def test_only_the_newest_reports_are_kept(tmp_path: Path, keep: int) -> None:
    for _ in range(3):
        run_playbook(tmp_path, keep=keep)
    assert len(reports(tmp_path)) == keep


@pytest.mark.parametrize(("directory_mode", "report_mode"), [(0o2750, 0o640), (0o700, 0o600), (0o755, 0o644)])
def test_a_report_is_as_readable_as_its_directory(tmp_path: Path, directory_mode: int, report_mode: int) -> None:
    """drift's root runs write into a 2750 directory of the user's group: the user reads the reports."""
    (tmp_path / "runs").mkdir()
    (tmp_path / "runs").chmod(directory_mode)
    run_playbook(tmp_path)
    [report] = (tmp_path / "runs").glob("run-*.json")
    assert report.stat().st_mode & 0o7777 == report_mode
