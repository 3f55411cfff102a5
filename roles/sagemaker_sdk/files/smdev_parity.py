#!/usr/bin/env python3
"""smdev-parity: does this Python environment match what SageMaker runs?

Compares an environment (the project venv of the SageMaker workspace by
default) with the manifest the sagemaker_sdk role wrote next to it
(.smdev-manifest.json): the packages we pinned (missing / wrong version) and
the Python version are mismatches. Two kinds of difference are shown but are
not mismatches: packages the release pins that are installed at another
version although we did not pin them (extra; pin them with
sagemaker_sdk_packages to make them count), and pins that had to differ from
SageMaker because PyPI's metadata forbids its versions together (adjusted).
Prints a table, or JSON with --json (the report's fields, and the table as
"table"); exits 1 on any mismatch, 2 when it cannot look.

Standard library only: it runs with whatever python3 the machine has.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_NAME = ".smdev-manifest.json"
PROBE = (
    "import json, sys, importlib.metadata as m\n"
    "print(json.dumps({'python': '.'.join(map(str, sys.version_info[:3])),\n"
    "  'packages': {d.metadata['Name']: d.version for d in m.distributions() if d.metadata['Name']}}))"
)


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


@dataclass
class Report:
    manifest: str
    release: str
    python_expected: str
    python_found: str
    ok: list[str] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    wrong_version: list[dict[str, str]] = field(default_factory=list)
    extra: list[dict[str, str]] = field(default_factory=list)
    adjusted: list[dict[str, str]] = field(default_factory=list)
    python_mismatch: bool = False

    @property
    def mismatches(self) -> int:
        return len(self.missing) + len(self.wrong_version) + int(self.python_mismatch)


def compare(manifest: dict, found: dict, strict_python: bool = False) -> Report:
    """The parity report of an environment (probe output) against a manifest."""
    installed = {normalize(name): version for name, version in found["packages"].items()}
    wanted = {normalize(name): version for name, version in manifest["packages"].items()}
    known = {normalize(name): version for name, version in manifest.get("release_pins", {}).items()}
    report = Report(
        manifest=manifest.get("path", ""), release=manifest["release"],
        python_expected=manifest["python"], python_found=found["python"],
    )
    depth = 3 if strict_python else 2
    expected_python = manifest["python"].split(".")[:depth]
    report.python_mismatch = found["python"].split(".")[:depth] != expected_python
    for name, version in sorted(wanted.items()):
        have = installed.get(name)
        if have is None:
            report.missing.append({"package": name, "expected": version})
        elif have != version:
            report.wrong_version.append({"package": name, "expected": version, "found": have})
        else:
            report.ok.append(name)
    for name, version in sorted(known.items()):
        have = installed.get(name)
        if name not in wanted and have is not None and have != version:
            report.extra.append({"package": name, "expected": version, "found": have})
    for name, why in sorted(manifest.get("adjusted", {}).items()):
        report.adjusted.append({"package": normalize(name), **why})
    return report


def probe(python: Path) -> dict:
    result = subprocess.run([str(python), "-c", PROBE], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{python} could not list its packages: {result.stderr.strip()}")
    return json.loads(result.stdout)


def table(report: Report) -> str:
    lines = [f"SageMaker parity against {report.release}: "
             + ("OK" if not report.mismatches else f"{report.mismatches} mismatch(es)")]
    mark = "MISMATCH" if report.python_mismatch else "ok"
    lines.append(f"  {'python':<28} expected {report.python_expected:<12} found {report.python_found:<12} {mark}")
    for row in report.missing:
        lines.append(f"  {row['package']:<28} expected {row['expected']:<12} found {'-':<12} MISSING")
    for row in report.wrong_version:
        lines.append(f"  {row['package']:<28} expected {row['expected']:<12} found {row['found']:<12} WRONG VERSION")
    for row in report.extra:
        lines.append(f"  {row['package']:<28} expected {row['expected']:<12} found {row['found']:<12} "
                     "note: differs from SageMaker, not pinned here")
    for row in report.adjusted:
        lines.append(f"  {row['package']:<28} SageMaker runs {row['sagemaker_runs']}, pinned {row['pinned']}: "
                     f"{row['because']}")
    lines.append(f"  {len(report.ok)} pinned package(s) match")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="smdev-parity", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workspace", nargs="?", type=Path, default=Path.cwd(),
                        help=f"directory holding {MANIFEST_NAME} (default: the current one)")
    parser.add_argument("--manifest", type=Path, help=f"manifest file (default: <workspace>/{MANIFEST_NAME})")
    parser.add_argument("--python", type=Path, help="interpreter to inspect (default: <workspace>/.venv/bin/python)")
    parser.add_argument("--strict-python", action="store_true", help="compare the Python patch version too")
    parser.add_argument("--json", action="store_true", help="machine-readable output (with the table as \"table\")")
    args = parser.parse_args(argv)
    manifest_path = args.manifest or args.workspace / MANIFEST_NAME
    python = args.python or args.workspace / ".venv" / "bin" / "python"
    try:
        manifest = json.loads(manifest_path.read_text())
        manifest["path"] = str(manifest_path)
        report = compare(manifest, probe(python), args.strict_python)
    except (OSError, ValueError, KeyError, RuntimeError) as error:
        print(f"smdev-parity: cannot check: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({**asdict(report), "mismatches": report.mismatches, "table": table(report)}, indent=2))
    else:
        print(table(report))
    return 1 if report.mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
