"""smdev-parity: an environment against the manifest of the SageMaker release it targets."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = importlib.util.spec_from_file_location("smdev_parity", ROOT / "roles/sagemaker_sdk/files/smdev_parity.py")
assert SPEC and SPEC.loader
parity: Any = importlib.util.module_from_spec(SPEC)
sys.modules["smdev_parity"] = parity  # dataclasses look their module up
SPEC.loader.exec_module(parity)

MANIFEST = {
    "release": "v2.14.10", "python": "3.11.11",
    "packages": {"sagemaker": "2.257.0", "boto3": "1.40.70", "scikit-learn": "1.7.2"},
    "release_pins": {"sagemaker": "2.257.0", "boto3": "1.40.70", "scikit-learn": "1.7.2", "torch": "2.6.0"},
}


def found(python: str = "3.11.2", **packages: str) -> dict[str, Any]:
    base = {"sagemaker": "2.257.0", "boto3": "1.40.70", "scikit_learn": "1.7.2"}
    return {"python": python, "packages": {**base, **packages}}


def test_an_environment_in_parity_has_no_mismatch() -> None:
    report = parity.compare(MANIFEST, found())
    assert report.mismatches == 0
    assert report.ok == ["boto3", "sagemaker", "scikit-learn"]  # PEP 503 names match


def test_a_wrong_version_is_exactly_that_mismatch() -> None:
    report = parity.compare(MANIFEST, found(boto3="1.35.0"))
    assert report.wrong_version == [{"package": "boto3", "expected": "1.40.70", "found": "1.35.0"}]
    assert report.mismatches == 1


def test_a_missing_package_is_reported() -> None:
    environment = found()
    del environment["packages"]["sagemaker"]
    report = parity.compare(MANIFEST, environment)
    assert report.missing == [{"package": "sagemaker", "expected": "2.257.0"}]


def test_an_unpinned_package_that_differs_from_sagemaker_is_a_note_not_a_mismatch() -> None:
    # Only what we pin is ours to hold to; the rest floats with the resolver.
    report = parity.compare(MANIFEST, found(torch="2.9.1"))
    assert report.extra == [{"package": "torch", "expected": "2.6.0", "found": "2.9.1"}]
    assert report.mismatches == 0
    assert parity.compare(MANIFEST, found(torch="2.6.0")).extra == []
    assert parity.compare(MANIFEST, found(lightgbm="4.6.0")).mismatches == 0  # not SageMaker's business


@pytest.mark.parametrize(("python", "strict", "mismatch"), [
    ("3.11.2", False, False), ("3.11.11", True, False), ("3.11.2", True, True),
    ("3.12.13", False, True), ("3.10.14", False, True),
])
def test_python_is_compared_by_minor_version_unless_strict(python: str, strict: bool, mismatch: bool) -> None:
    assert parity.compare(MANIFEST, found(python=python), strict_python=strict).python_mismatch is mismatch


def test_the_table_names_each_mismatch() -> None:
    text = parity.table(parity.compare(MANIFEST, found(python="3.12.1", boto3="1.0.0", torch="2.9.1")))
    assert "2 mismatch(es)" in text
    assert "boto3" in text and "WRONG VERSION" in text
    assert "torch" in text and "note: differs from SageMaker" in text
    assert "python" in text and "MISMATCH" in text


def test_pins_moved_for_pypi_are_shown_with_the_reason_and_hold_parity() -> None:
    because = "sagemaker[local] 2.257.0 on PyPI requires boto3<2.0,>=1.42.2"
    manifest = {**MANIFEST, "packages": {**MANIFEST["packages"], "boto3": "1.42.2"},
                "adjusted": {"boto3": {"sagemaker_runs": "1.40.70", "pinned": "1.42.2", "because": because}}}
    report = parity.compare(manifest, found(boto3="1.42.2"))
    assert report.mismatches == 0
    assert report.adjusted == [{"package": "boto3", "sagemaker_runs": "1.40.70", "pinned": "1.42.2",
                                "because": because}]
    text = parity.table(report)
    assert "OK" in text.splitlines()[0]
    assert "SageMaker runs 1.40.70, pinned 1.42.2: " + because in text


def write_workspace(tmp_path: Path, packages: dict[str, str]) -> Path:
    python = ".".join(map(str, sys.version_info[:3]))
    (tmp_path / ".smdev-manifest.json").write_text(json.dumps(
        {"release": "vtest", "python": python, "packages": packages, "release_pins": packages}))
    return tmp_path


def test_the_command_line_inspects_a_real_interpreter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest_version = importlib.metadata.version("pytest")
    workspace = write_workspace(tmp_path, {"pytest": pytest_version})
    assert parity.main([str(workspace), "--python", sys.executable, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] == ["pytest"]
    # The play shows the JSON's table when its sync did not run: it is what the plain run prints.
    assert parity.main([str(workspace), "--python", sys.executable]) == 0
    assert report["table"] + "\n" == capsys.readouterr().out
    workspace = write_workspace(tmp_path, {"pytest": "0.0.1", "no-such-package": "1.0"})
    assert parity.main([str(workspace), "--python", sys.executable]) == 1
    out = capsys.readouterr().out
    assert "2 mismatch(es)" in out and "MISSING" in out and "WRONG VERSION" in out


def test_the_command_line_says_when_it_cannot_look(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert parity.main([str(tmp_path)]) == 2
    assert "cannot check" in capsys.readouterr().err
    workspace = write_workspace(tmp_path, {})
    assert parity.main([str(workspace), "--python", str(tmp_path / "nope")]) == 2
