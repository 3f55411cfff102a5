"""The whole laptop playbook, as the workstation user `dev` sees it."""

from __future__ import annotations

import json
import os
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


def test_https_to_pypi_works_for_dev(login_shell: Any) -> None:
    """Behind this host's TLS-inspecting proxy only workstation_ca_certificates makes this pass."""
    result = login_shell("curl -sS -o /dev/null -w '%{http_code}' https://pypi.org/simple/pip/")
    assert result.stdout == "200", result.stderr


def test_tls_clients_use_the_system_bundle_when_cas_are_added(host: Any, login_shell: Any) -> None:
    added = json.loads(os.environ.get("SMDEV_CA_CERTIFICATES") or "[]")
    # and, in the laptop scenario, the CA of the private index it converges with (vars/user.yml)
    added += [os.environ["SMDEV_PRIVATE_INDEX_CA"]] if os.environ.get("SMDEV_PRIVATE_INDEX_CA") else []
    bundle = login_shell("printenv REQUESTS_CA_BUNDLE").stdout.strip()
    if added:
        assert bundle == "/etc/ssl/certs/ca-certificates.crt"
        # The role's own files (the newcomer's machine also has its IT's, host-N.crt).
        ours = [name for name in host.file("/usr/local/share/ca-certificates").listdir() if name.startswith("smdev-")]
        assert len(ours) == len(added)
        assert "cert = /etc/ssl/certs/ca-certificates.crt" in host.file("/etc/pip.conf").content_string
    else:
        assert bundle == ""
        assert not host.file("/etc/profile.d/smdev-ca.sh").exists
