"""Bad input for the ide role fails playbooks/laptop.yml before anything changes, naming the variable."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.test_bad_input import CaseResult, assert_stopped_in_validation, laptop_check_table, run_laptop_check

BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    # extension ids without a publisher, or not publisher.name
    ({"ide_vscode_extensions": [{"id": "python"}]}, "ide_vscode_extensions[0].id"),
    ({"ide_vscode_extensions": [{"id": "ms-python.python"}, {"id": "ruff"}]}, "ide_vscode_extensions[1].id"),
    ({"ide_vscode_extensions": [{"id": ".python"}]}, "ide_vscode_extensions[0].id"),
    ({"ide_vscode_extensions": [{"id": "ms-python."}]}, "ide_vscode_extensions[0].id"),
    ({"ide_vscode_extensions": [{"id": "ms python.python"}]}, "ide_vscode_extensions[0].id"),
    ({"ide_vscode_extensions": [{"id": "a.b.c"}]}, "ide_vscode_extensions[0].id"),
    ({"ide_vscode_extensions": ["ms-python.python"]}, "ide_vscode_extensions"),
    ({"ide_vscode_extensions": [{"version": "1.0.0"}]}, "id"),
    ({"ide_vscode_extensions": [{"id": "a.b", "pinned": "1.0.0"}]}, "pinned"),
    ({"ide_vscode_extensions": [{"id": "a.b"}, {"id": "A.B"}]}, "ide_vscode_extensions"),
    # versions that are not versions
    ({"ide_vscode_extensions": [{"id": "a.b", "version": "latest"}]}, "ide_vscode_extensions[0].version"),
    ({"ide_vscode_extensions": [{"id": "a.b", "version": "1.2"}]}, "ide_vscode_extensions[0].version"),
    ({"ide_vscode_extensions": [{"id": "a.b", "version": "v1.2.3"}]}, "ide_vscode_extensions[0].version"),
    ({"ide_vscode_extensions": [{"id": "a.b", "version": "1.2.3 "}]}, "ide_vscode_extensions[0].version"),
    ({"ide_vscode_extensions": [{"id": "a.b", "version": "^1.2.3"}]}, "ide_vscode_extensions[0].version"),
    # .vsix sources
    ({"ide_vscode_extensions": [{"id": "a.b", "vsix": "a.vsix"}]}, "ide_vscode_extensions[0].vsix"),
    ({"ide_vscode_extensions": [{"id": "a.b", "vsix": "https://x.test/a.vsix"}]}, "ide_vscode_extensions[0].vsix"),
    ({"ide_vscode_extensions": [{"id": "a.b", "vsix": "https://x.test/a.vsix", "sha256": "abc"}]},
     "ide_vscode_extensions[0].vsix"),
    # settings values that are not JSON
    ({"ide_vscode_settings": {"editor.fontSize": float("nan")}}, "ide_vscode_settings['editor.fontSize']"),
    ({"ide_vscode_settings": {"editor.fontSize": float("inf")}}, "ide_vscode_settings['editor.fontSize']"),
    ({"ide_vscode_settings": {"[python]": {"editor.tabSize": float("-inf")}}}, "ide_vscode_settings['[python]']"),
    ({"ide_vscode_settings": {"files.exclude": [1, float("nan")]}}, "ide_vscode_settings['files.exclude']"),
    ({"ide_vscode_settings": ["python.defaultInterpreterPath"]}, "ide_vscode_settings"),
    ({"ide_vscode_settings": "ruff.enable: true"}, "ide_vscode_settings"),
    # unknown template names
    ({"ide_project_templates": ["launch.json", "Makefile"]}, "ide_project_templates"),
    ({"ide_project_templates": ["launch"]}, "ide_project_templates"),
    ({"ide_project_templates": ["pre-commit-config.yaml"]}, "ide_project_templates"),
    ({"ide_project_templates": {"launch.json": True}}, "ide_project_templates"),
    # pins and paths
    ({"ide_vscode_key_fingerprint": "BC52 8686 B50D 79E3 39D3 721C EB3E 94AD BE12 29CF"}, "ide_vscode_key_fingerprint"),
    ({"ide_vscode_key_fingerprint": "EB3E94ADBE1229CF"}, "ide_vscode_key_fingerprint"),
    ({"ide_vscode_key_sha256": "md5:abc"}, "ide_vscode_key_sha256"),
    ({"ide_vscode_key_url": "packages.microsoft.com/keys/microsoft.asc"}, "ide_vscode_key_url"),
    ({"ide_vscode_apt_url": "ftp://packages.microsoft.com/repos/code"}, "ide_vscode_apt_url"),
    ({"ide_vscode_settings_path": "~/.config/Code/User/settings.json"}, "ide_vscode_settings_path"),
    ({"ide_python_interpreter": "python3"}, "ide_python_interpreter"),
    ({"ide_python_tools_venv": "tools"}, "ide_python_tools_venv"),
    ({"ide_python_tools": {"ruff": "latest"}}, "ide_python_tools"),
    ({"ide_python_tools": {"ruff": ">=0.6"}}, "ide_python_tools"),
    ({"ide_python_tools": {"ruff; rm -rf ~": "0.6.0"}}, "ide_python_tools"),
    ({"ide_python_tools": ["ruff"]}, "ide_python_tools"),
    ({"ide_vscode_enabled": "maybe"}, "ide_vscode_enabled"),
    ({"ide_vscode_remove_unlisted": "sometimes"}, "ide_vscode_remove_unlisted"),
]


@pytest.fixture(scope="module")
def bad_input_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseResult]:
    """The whole table in one run of the playbook (laptop_check_table)."""
    return laptop_check_table(tmp_path_factory, [extra_vars for extra_vars, _ in BAD_INPUTS])


@pytest.mark.bad_input
@pytest.mark.parametrize(("extra_vars", "variable"), BAD_INPUTS, ids=[json.dumps(v) for v, _ in BAD_INPUTS])
def test_bad_ide_input_fails_before_any_change(
    bad_input_results: dict[str, CaseResult], extra_vars: dict[str, Any], variable: str
) -> None:
    assert_stopped_in_validation(extra_vars, variable, bad_input_results)


def test_good_ide_input_passes_validation() -> None:
    result = run_laptop_check({
        "workstation_user": "root",
        "ide_vscode_extensions": [
            {"id": "ms-python.python", "version": "2025.1.0"},
            {"id": "smdev.hello", "vsix": "/srv/vsix/hello-1.0.0.vsix"},
            {"id": "smdev.other", "vsix": "https://x.test/other-1.0.0.vsix", "sha256": "a" * 64},
        ],
        "ide_vscode_settings": {"editor.fontSize": 14, "[python]": {"editor.tabSize": 4}, "x": None},
        "ide_project_templates": ["launch.json", ".pre-commit-config.yaml"],
    })
    output = result.stdout + result.stderr
    assert "Invalid input" not in output, output
    assert "common : Find out who runs the play" in output, output
