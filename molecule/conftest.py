"""Fixtures for the testinfra suites: check what the user sees, as the user."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from typing import Any

import pytest

WORKSTATION_USER = "dev"
SUDO_PASSWORD = "dev"  # noqa: S105 - the throwaway container account's sudo password


@pytest.fixture
def root_shell(host: Any) -> Callable[[str], Any]:
    """Run a command as root through dev's sudo (the tests connect as dev)."""
    return lambda command: host.run(f"echo {SUDO_PASSWORD} | sudo -S -p '' bash -c {shlex.quote(command)}")


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


@pytest.fixture
def debug_a_notebook_cell(login_shell: Callable[..., Any]) -> Callable[..., tuple[dict[str, Any], str]]:
    """debug(python, work, port, kernel): see _debug_a_notebook_cell."""
    return lambda *args: _debug_a_notebook_cell(login_shell, *args)


def _debug_a_notebook_cell(login_shell: Callable[..., Any], python: str, work: str, port: int,
                           kernel: str = "python3") -> tuple[dict[str, Any], str]:
    """A notebook cell in the Jupyter kernel `kernel` calls project/helper.py under debugpy.

    The DAP client (work/dap_client.py) stops at the helper's `# BREAK` line and
    evaluates an expression of its locals; returns what it saw and what the cell printed.
    The ide scenario and the laptop tests (the SageMaker workspace's kernel) share it.
    """
    project = f"{work}/project"
    script = (
        f"cd {project} && "
        f"(timeout 150 {python} {work}/notebook_cell.py {project} {port} {kernel} > {work}/notebook.out 2>&1 &) && "
        f"timeout 120 python3 {work}/dap_client.py {port} {project}/helper.py "
        f"$(grep -n '# BREAK' helper.py | cut -d: -f1) 'count * weight + offset' --stay"
    )
    debugger = login_shell(script)
    assert debugger.rc == 0, f"{script} failed ({debugger.rc}):\n{debugger.stdout}\n{debugger.stderr}"
    wait = f"for i in $(seq 60); do grep -q '^status=' {work}/notebook.out && break; sleep 1; done"
    cell = login_shell(f"{wait}; cat {work}/notebook.out")
    return json.loads(debugger.stdout.strip().splitlines()[-1]), cell.stdout
