"""The SageMaker workspace, as `dev` uses it: pinned SDK, parity, a Jupyter kernel."""

from __future__ import annotations

import json
from typing import Any

WORKSPACE = "/home/dev/sagemaker"


def workspace_manifest(as_user: Any) -> dict[str, Any]:
    return json.loads(as_user.file(f"{WORKSPACE}/.smdev-manifest.json").content_string)


def test_the_sdk_in_the_workspace_is_the_release_version(as_user: Any, login_shell: Any) -> None:
    manifest = workspace_manifest(as_user)
    result = login_shell(
        f"cd {WORKSPACE} && pipenv run python -c 'import sagemaker, boto3; print(sagemaker.__version__)'"
    )
    assert result.rc == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == manifest["packages"]["sagemaker"]


def test_the_workspace_venv_runs_on_the_pyenv_python(login_shell: Any) -> None:
    venv_python = login_shell(f"readlink -f {WORKSPACE}/.venv/bin/python").stdout.strip()
    assert venv_python.startswith("/home/dev/.pyenv/versions/"), venv_python


def test_the_pipfile_pins_only_what_was_chosen(as_user: Any) -> None:
    pipfile = as_user.file(f"{WORKSPACE}/Pipfile")
    assert pipfile.user == "dev"
    packages = pipfile.content_string.split("[packages]")[1].split("[requires]")[0]
    lines = [line for line in packages.splitlines() if line.strip()]
    assert len(lines) == len(workspace_manifest(as_user)["packages"])
    assert all('"==' in line for line in lines), lines


def test_parity_holds_and_breaks_exactly_where_the_user_broke_it(login_shell: Any) -> None:
    assert login_shell(f"smdev-parity {WORKSPACE}").rc == 0
    report = json.loads(login_shell(f"smdev-parity {WORKSPACE} --json").stdout)
    assert report["mismatches"] == 0
    broken = login_shell(f"cd {WORKSPACE} && pipenv run pip install -q six==1.16.0 'urllib3==1.26.19'")
    assert broken.rc == 0, broken.stderr
    try:
        result = login_shell(f"smdev-parity {WORKSPACE} --json")
        assert result.rc == 1
        report = json.loads(result.stdout)
        assert report["wrong_version"] == [{"package": "urllib3", "expected": "1.26.20", "found": "1.26.19"}]
        assert report["missing"] == []
    finally:
        login_shell(f"cd {WORKSPACE} && pipenv sync")
    assert login_shell(f"smdev-parity {WORKSPACE}").rc == 0


def test_the_kernel_is_registered_for_jupyter(login_shell: Any) -> None:
    result = login_shell(f"{WORKSPACE}/.venv/bin/jupyter kernelspec list")
    assert result.rc == 0, result.stderr
    assert "sagemaker-v" in result.stdout


def test_pins_pypi_forbids_are_moved_and_the_report_says_why(as_user: Any, login_shell: Any) -> None:
    # v2.14.10 runs boto3 1.40.70; sagemaker 2.257.0 on PyPI requires boto3>=1.42.2.
    manifest = workspace_manifest(as_user)
    assert manifest["adjusted"]["boto3"]["sagemaker_runs"] == "1.40.70"
    assert manifest["packages"]["boto3"] == manifest["adjusted"]["boto3"]["pinned"]
    report = login_shell(f"smdev-parity {WORKSPACE}")
    assert report.rc == 0, report.stdout + report.stderr
    assert "SageMaker runs 1.40.70, pinned 1.42.2" in report.stdout
