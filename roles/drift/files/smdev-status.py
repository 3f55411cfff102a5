#!/usr/bin/python3
"""smdev-status: what the last drift run of this workstation did.

Reads the newest JSON report the smdev.workstation run_report callback wrote
(/var/lib/smdev/runs), and asks systemd whether the drift timer is enabled.
Exit status: 0 when the last run succeeded or there was none yet, 1 when it
failed, 2 when the reports cannot be read.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

DEFAULT_DIR = "/var/lib/smdev/runs"
TIMER = "smdev-drift.timer"
UNIT_FILE = Path("/etc/systemd/system") / TIMER
WANTS_LINK = Path("/etc/systemd/system/timers.target.wants") / TIMER
CHANGE_WORD = {"correct": "corrected", "report": "drift found (left alone)"}


def newest_report(directory: Path) -> tuple[Path | None, dict[str, Any] | None]:
    """The newest run-*.json (names sort by time) and its content."""
    reports = sorted(directory.glob("run-*.json")) if directory.is_dir() else []
    if not reports:
        return None, None
    return reports[-1], json.loads(reports[-1].read_text())


def timer_state() -> str:
    """`systemctl is-enabled` of the drift timer: enabled, disabled, not-found, ...

    Without a D-Bus system bus (minimal machines, containers) systemctl cannot
    answer a normal user; the timers.target.wants link says the same thing.
    """
    if shutil.which("systemctl"):
        result = subprocess.run(["systemctl", "is-enabled", TIMER], capture_output=True, text=True, check=False)
        if result.stdout.strip():
            return result.stdout.strip().splitlines()[0]
    if WANTS_LINK.exists():
        return "enabled"
    return "disabled" if UNIT_FILE.exists() else "not-found"


def status(directory: Path) -> dict[str, Any]:
    """Everything smdev-status prints, as one JSON-able dict."""
    path, report = newest_report(directory)
    out: dict[str, Any] = {"timer": TIMER, "timer_enabled": timer_state(), "report_dir": str(directory)}
    if report is None:
        return {**out, "last_run": None}
    tasks = report.get("tasks", [])
    return {
        **out,
        "last_run": {
            "report": str(path),
            "started": report.get("started"),
            "ended": report.get("ended"),
            "mode": report.get("mode"),
            "check_mode": report.get("check_mode", False),
            "result": report.get("result"),
            "counts": report.get("counts", {}),
            "changed": [t for t in tasks if t.get("status") == "changed"],
            "failed": [t for t in tasks if t.get("status") == "failed"],
        },
    }


def _task(entry: dict[str, Any]) -> str:
    role = f"[{entry['role']}] " if entry.get("role") else ""
    return f"{role}{entry.get('task', '?')}"


def render(info: dict[str, Any]) -> str:
    """The human-readable form."""
    lines = []
    run = info["last_run"]
    if run is None:
        lines.append(f"No drift run yet (no report in {info['report_dir']}).")
    else:
        counts = run["counts"]
        word = CHANGE_WORD.get(run["mode"], "changed")
        lines.append(f"Last drift run: {run['ended']} ({run['mode']} mode): {run['result'].upper()}")
        count_of = counts.get("drifted") if run["check_mode"] else counts.get("changed")
        lines.append(
            f"  {word}: {count_of or 0}, failed: {counts.get('failed', 0)}, "
            f"unchanged: {counts.get('unchanged', 0)}, skipped: {counts.get('skipped', 0)}"
        )
        lines += [f"  {word}: {_task(t)}" for t in run["changed"]]
        lines += [f"  FAILED: {_task(t)}: {t.get('msg') or '(no message)'}" for t in run["failed"]]
    lines.append(f"Timer {info['timer']}: {info['timer_enabled']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="smdev-status", description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the status as JSON, for scripts")
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("SMDEV_REPORT_DIR", DEFAULT_DIR)),
                        help=f"report directory (default {DEFAULT_DIR})")
    args = parser.parse_args(argv)
    try:
        info = status(args.dir)
    except (OSError, ValueError) as error:
        print(f"smdev-status: cannot read the run reports in {args.dir}: {error}", file=sys.stderr)
        return 2
    print(json.dumps(info, indent=2) if args.json else render(info))
    run = info["last_run"]
    return 1 if run is not None and run["result"] != "ok" else 0


if __name__ == "__main__":
    sys.exit(main())
