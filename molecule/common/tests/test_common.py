"""The common role, as the workstation user `dev` sees it."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize("tool", ["git", "curl", "unzip", "gpg", "gcc", "make", "xz", "setfacl"])
def test_base_tools_work_in_a_login_shell(login_shell: Any, tool: str) -> None:
    result = login_shell(f"command -v {tool}")
    assert result.rc == 0, f"{tool} is not on dev's PATH: {result.stderr}"


def test_the_proxy_reaches_login_shells(login_shell: Any) -> None:
    env = login_shell("env").stdout
    assert "http_proxy=http://alice:Pr0xyS3cret@proxy.example.test:3128" in env
    assert "no_proxy=localhost,127.0.0.1" in env
    assert "https_proxy" not in env


def test_the_proxy_password_is_readable_by_dev_only(host: Any) -> None:
    """/etc/profile skips what it cannot read, so other users' shells simply lack the proxy."""
    profile = host.file("/etc/profile.d/smdev-proxy.sh")
    assert (profile.user, profile.group, profile.mode) == ("root", "dev", 0o640)
    other = host.run("echo dev | sudo -S -p '' -u nobody bash -lc env")
    assert other.rc == 0, other.stderr
    assert "Pr0xyS3cret" not in other.stdout + other.stderr


def test_apt_uses_the_proxy(host: Any) -> None:
    apt_proxy = host.file("/etc/apt/apt.conf.d/80smdev-proxy")
    assert apt_proxy.user == "root"
    assert apt_proxy.mode == 0o640  # the proxy's password: root's (apt) only
    # testinfra reads it with sudo (dev's password), as root would.
    content = host.run("echo dev | sudo -S -p '' cat /etc/apt/apt.conf.d/80smdev-proxy").stdout
    assert 'Acquire::http::Proxy "http://alice:Pr0xyS3cret@proxy.example.test:3128";' in content


@pytest.mark.user_data
def test_pip_index_is_merged_into_devs_own_pip_conf(as_user: Any) -> None:
    pip_conf = as_user.file("/home/dev/.config/pip/pip.conf")
    assert pip_conf.user == "dev"
    assert pip_conf.group == "dev"
    assert pip_conf.mode == 0o644
    content = pip_conf.content_string
    assert "# dev's own comment" in content
    assert "timeout = 60" in content
    assert "index-url = https://pypi.org/simple" in content
