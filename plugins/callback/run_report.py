"""Callback: one JSON report per playbook run, the record drift checks are read from."""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: run_report
type: aggregate
short_description: Write one JSON report per playbook run
description:
  - Writes a report of the run to O(report_dir) when the playbook ends. It holds the start and
    end time, the mode, counts of corrected, changed, failed, unchanged and skipped tasks, and each
    changed or failed task with its host, role, message and (unless the task is no_log) its diff.
  - In C(correct) mode every change is counted as corrected drift; in C(report) mode
    (check mode) as drift found but left alone.
  - Tasks with no_log never reach the report beyond their name and status.
  - Only the newest O(keep_runs) reports are kept.
  - A report is as readable as its directory (a directory mode 2750 with the user's group lets that
    user read reports a root run wrote); a directory the callback creates is private (0700).
requirements:
  - Enabled with C(callbacks_enabled = smdev.workstation.run_report).
options:
  report_dir:
    description: Directory of the reports.
    type: path
    default: ~/.local/state/smdev/runs
    env:
      - name: SMDEV_REPORT_DIR
    ini:
      - section: smdev_run_report
        key: report_dir
  keep_runs:
    description: How many reports to keep.
    type: int
    default: 30
    env:
      - name: SMDEV_REPORT_KEEP
    ini:
      - section: smdev_run_report
        key: keep_runs
  mode:
    description: What kind of run this is, C(converge), C(correct) or C(report).
    type: str
    default: converge
    env:
      - name: SMDEV_RUN_MODE
    ini:
      - section: smdev_run_report
        key: mode
"""

import json
import os
import stat
import tempfile
from datetime import UTC, datetime
from typing import Any

from ansible import context
from ansible.plugins.callback import CallbackBase

MAX_DIFF_CHARS = 20000


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _no_log(result: Any) -> bool:
    return bool(result._task.no_log or result._result.get("_ansible_no_log"))


def _diff(raw: Any) -> Any:
    """The task's diff, cut down so one huge file cannot swamp the report."""
    text = json.dumps(raw, default=str)
    if len(text) <= MAX_DIFF_CHARS:
        return raw
    return {"truncated": True, "prefix": text[:MAX_DIFF_CHARS]}


class CallbackModule(CallbackBase):
    """Collect task outcomes; write them as JSON when the playbook ends."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "smdev.workstation.run_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self.started = _now()
        self.playbook = ""
        self.counts = {"changed": 0, "failed": 0, "unchanged": 0, "skipped": 0, "unreachable": 0}
        self.tasks: list[dict[str, Any]] = []

    def v2_playbook_on_start(self, playbook: Any) -> None:
        self.playbook = os.path.basename(playbook._file_name)

    def _entry(self, result: Any, status: str) -> dict[str, Any]:
        task = result._task
        entry: dict[str, Any] = {
            "host": result._host.get_name(),
            "role": task._role.get_name() if task._role else None,
            # The bare name: the role has its own field.
            "task": task.name or task.get_name(),
            "status": status,
        }
        if _no_log(result):
            entry["censored"] = True
            return entry
        if status == "failed":
            entry["msg"] = str(result._result.get("msg", "")).strip()
        # A loop's diffs are its items' own (a template task over two units, say).
        diff = result._result.get("diff") or [
            item["diff"] for item in result._result.get("results", [])
            if isinstance(item, dict) and item.get("changed") and item.get("diff")
        ]
        if diff:
            entry["diff"] = _diff(diff)
        return entry

    def v2_runner_on_ok(self, result: Any) -> None:
        if result._result.get("changed"):
            self.counts["changed"] += 1
            self.tasks.append(self._entry(result, "changed"))
        else:
            self.counts["unchanged"] += 1

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False) -> None:
        if ignore_errors:
            self.counts["unchanged"] += 1
            return
        self.counts["failed"] += 1
        self.tasks.append(self._entry(result, "failed"))

    def v2_runner_on_skipped(self, result: Any) -> None:
        self.counts["skipped"] += 1

    def v2_runner_on_unreachable(self, result: Any) -> None:
        self.counts["unreachable"] += 1
        self.tasks.append(self._entry(result, "failed"))

    def report(self) -> dict[str, Any]:
        mode = self.get_option("mode")
        check = bool(context.CLIARGS.get("check", False))
        changed = self.counts["changed"]
        return {
            "playbook": self.playbook,
            "started": self.started,
            "ended": _now(),
            "mode": mode,
            "check_mode": check,
            "result": "failed" if self.counts["failed"] or self.counts["unreachable"] else "ok",
            "counts": {
                **self.counts,
                "corrected": changed if mode == "correct" and not check else 0,
                "drifted": changed if check else 0,
            },
            "tasks": self.tasks,
        }

    def v2_playbook_on_stats(self, stats: Any) -> None:
        directory = os.path.expanduser(self.get_option("report_dir"))
        os.makedirs(directory, mode=0o700, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        handle, partial = tempfile.mkstemp(prefix=".report-", dir=directory)
        with os.fdopen(handle, "w") as out:
            json.dump(self.report(), out, indent=2, default=str)
        os.chmod(partial, stat.S_IMODE(os.stat(directory).st_mode) & 0o644)
        os.replace(partial, os.path.join(directory, f"run-{stamp}.json"))
        self._prune(directory, max(1, int(self.get_option("keep_runs"))))

    @staticmethod
    def _prune(directory: str, keep: int) -> None:
        reports = sorted(name for name in os.listdir(directory) if name.startswith("run-") and name.endswith(".json"))
        for name in reports[:-keep]:
            os.unlink(os.path.join(directory, name))
