"""The IDE on the real SageMaker workspace, as `dev` uses it (issue 7's acceptance, whole playbook).

The ide scenario proves the tools on a stand-in module and kernel; here they
meet what the laptop playbook built: the workspace's Jupyter kernel (its
Pipenv venv, with the pinned SageMaker SDK) and the interpreter VS Code is
configured with (settings.json's python.defaultInterpreterPath). The DAP and
LSP clients and the samples are the ide scenario's (molecule/ide/files).
"""

from __future__ import annotations

import base64
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

HOME = "/home/dev"
WORK = f"{HOME}/ide-sagemaker"
FILES = Path(__file__).resolve().parents[2] / "ide" / "files"
SETTINGS = f"{HOME}/.config/Code/User/settings.json"
# A script that uses the SDK: the wrong type for instance_count, and a name never defined.
SDK_BAD = """from sagemaker.estimator import Estimator

job = Estimator(image_uri="image", role="role", instance_count="two", instance_type="ml.m5.large")
print(undefined_job)
"""
# The fix, in the SDK's own idiom: sagemaker.Session() must not read as a private import
# (the SDK re-exports it without `as`/__all__; the project template's pyright config allows it).
SDK_GOOD = """import sagemaker
from sagemaker.estimator import Estimator

session = sagemaker.Session()
job = Estimator(image_uri="image", role="role", instance_count=2, instance_type="ml.m5.large")
print(job.instance_count, session)
"""
# Hover on Estimator (line 2, column 6); completion after `sagemaker.session.` (line 3, column 28).
# Not after `sagemaker.` itself: the SDK ships py.typed, so pyright (and Pylance) list only the
# names its __init__ defines or re-exports with `as`/__all__, and it re-exports with neither:
# the server offers just the module's dunders there, by the typing spec's library rules.
SDK_USE = """import sagemaker.session
from sagemaker.estimator import Estimator
job = Estimator(image_uri="image", role="role", instance_count=1, instance_type="ml.m5.large")
session = sagemaker.session.Session
"""


def run_ok(login_shell: Any, command: str) -> str:
    result = login_shell(command)
    assert result.rc == 0, f"{command} failed ({result.rc}):\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def work(host: Any) -> str:
    """The clients and samples in dev's home, written as dev."""
    files = {name: (FILES / name).read_text() for name in ("dap_client.py", "lsp_client.py", "notebook_cell.py")}
    files |= {"project/helper.py": (FILES / "project" / "helper.py").read_text(),
              "project/sdk_bad.py": SDK_BAD, "project/sdk_good.py": SDK_GOOD, "project/sdk_use.py": SDK_USE}
    for name, text in files.items():
        encoded = base64.b64encode(text.encode()).decode()
        result = host.run(f"mkdir -p {WORK}/project && echo {encoded} | base64 -d > {WORK}/{name}")
        assert result.rc == 0, result.stderr
    return WORK


@pytest.fixture(scope="module")
def interpreter(host: Any) -> str:
    """The Python VS Code is configured with: the workspace venv's.

    settings.json is JSONC (dev's own comments stay in it: test_user_data.py), so not json.load.
    """
    settings = host.file(SETTINGS).content_string
    found = re.search(r'^\s*"python\.defaultInterpreterPath"\s*:\s*"([^"]*)"', settings, re.M)
    assert found, f"no python.defaultInterpreterPath in {SETTINGS}:\n{settings}"
    return found.group(1)


def test_vscode_is_configured_with_the_workspace_interpreter(interpreter: str) -> None:
    assert interpreter == f"{HOME}/sagemaker/.venv/bin/python"


def test_debugger_stops_in_a_helper_called_from_a_cell_of_the_workspace_kernel(
    login_shell: Any, debug_a_notebook_cell: Any, work: str, interpreter: str
) -> None:
    kernels = json.loads(run_ok(login_shell, f"{interpreter} -m jupyter kernelspec list --json"))["kernelspecs"]
    kernel = next(name for name in kernels if name.startswith("sagemaker-"))
    seen, cell = debug_a_notebook_cell(interpreter, work, 5892, kernel)
    assert seen["reason"] == "breakpoint"
    assert seen["frame"]["name"] == "scaled_total"
    assert seen["value"] == "42.5"
    assert "status=ok" in cell and "cell result 42.5" in cell, cell


@pytest.fixture
def project(login_shell: Any, work: str, interpreter: str) -> str:
    """The samples' directory as a user's project: smdev-ide-init's templates, and a .venv
    that is the workspace's (the templates' pyright config reads ./.venv)."""
    venv = str(Path(interpreter).parents[1])
    run_ok(login_shell, f"smdev-ide-init {work}/project && ln -sfn {venv} {work}/project/.venv")
    return f"{work}/project"


@pytest.mark.parametrize(("command", "finding"), [("ruff check", "F821"), ("pyright", "reportArgumentType")])
def test_static_analysis_flags_a_wrong_sdk_call_and_passes_the_fix(
    login_shell: Any, project: str, command: str, finding: str
) -> None:
    # The project's own configuration (pyproject.toml from smdev-ide-init), as the editor and pre-commit run them.
    bad = login_shell(f"cd {project} && {command} sdk_bad.py")
    assert bad.rc != 0, bad.stdout
    assert finding in bad.stdout, bad.stdout + bad.stderr
    run_ok(login_shell, f"cd {project} && {command} sdk_good.py")


def test_hover_documents_the_sdk_class(
    login_shell: Any, work: str, interpreter: str
) -> None:
    # The SDK logs its config lookup on import: the docstrings' first lines are marked. Pyright shows
    # the class's or its __init__'s, as plain text (reST markup such as ``Estimator`` dropped).
    docs = run_ok(login_shell, f"{interpreter} -c 'import sagemaker.estimator as e; "
                               f"[print(\"DOC:\", d.strip().splitlines()[0]) for d in "
                               f"(e.Estimator.__doc__, e.Estimator.__init__.__doc__) if d]' 2>/dev/null")
    first_lines = [plain(line.removeprefix("DOC: ")) for line in docs.splitlines() if line.startswith("DOC: ")]
    output = run_ok(login_shell, f"cd {work}/project && LSP_PYTHON={shlex.quote(interpreter)} timeout 180 "
                                 f"python3 {work}/lsp_client.py sdk_use.py 2 6 3 28 -- pyright-langserver --stdio")
    seen = json.loads(output.strip().splitlines()[-1])
    # The real SDK's signature: the server resolved the import in the configured interpreter.
    assert "class Estimator(" in seen["hover"] and "image_uri" in seen["hover"], seen
    assert any(line in plain(seen["hover"]) for line in first_lines), (first_lines, seen)
    # Completion lists the SDK module's members.
    assert {"Session", "get_execution_role"} <= set(seen["completion"]), seen["completion"]


def plain(text: str) -> str:
    """Text without reST/markdown emphasis and with single spaces, to compare docstrings."""
    return " ".join(text.replace("`", "").replace("*", "").split())
