"""Fixtures for the testinfra suites: check what the user sees, as the user."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

import pytest

WORKSTATION_USER = "dev"


@pytest.fixture
def as_user(host: Any) -> Any:
    """The testinfra host, asserted to be the non-root workstation user."""
    assert host.user().name == WORKSTATION_USER, "verify must run as the workstation user"
    return host


@pytest.fixture
def login_shell(as_user: Any) -> Callable[..., Any]:
    """Run a command in the workstation user's login shell, as a person would."""

    def run(command: str, shell: str = "bash") -> Any:
        return as_user.run(f"{shell} -lc {shlex.quote(command)}")

    return run
