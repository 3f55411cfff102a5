"""The laptop playbook's Python toolchain, as `dev` sees it (details: molecule/python)."""

from __future__ import annotations

from typing import Any


def test_python_is_the_pinned_pyenv_python(login_shell: Any) -> None:
    result = login_shell("python --version && command -v python")
    assert result.rc == 0, result.stderr
    assert result.stdout.split() == ["Python", "3.11.2", "/home/dev/.pyenv/shims/python"]


def test_pipenv_runs_on_the_pyenv_python(login_shell: Any) -> None:
    result = login_shell("pipenv --version && pipx list --short")
    assert result.rc == 0, result.stderr
    assert "pipenv, version 2026.10.3" in result.stdout
