"""The whole laptop playbook, as the workstation user `dev` sees it."""

from __future__ import annotations

from typing import Any


def test_dev_owns_its_home(as_user: Any) -> None:
    home = as_user.file("/home/dev")
    assert home.user == "dev"
    assert home.group == "dev"


def test_git_and_a_compiler_work_for_dev(login_shell: Any) -> None:
    result = login_shell("git --version && cc --version")
    assert result.rc == 0, result.stderr


def test_no_proxy_settings_without_a_proxy(host: Any) -> None:
    assert not host.file("/etc/profile.d/smdev-proxy.sh").exists
    assert not host.file("/etc/apt/apt.conf.d/80smdev-proxy").exists
