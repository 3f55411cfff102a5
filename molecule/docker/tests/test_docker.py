"""The docker role, as the workstation user `dev` sees it."""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest

IMAGE = "smdev-test/busybox:1"
ROOTFS = "/opt/smdev-test/busybox-rootfs.tar"
DEV_PASSWORD = "dev"  # noqa: S105 - the test image's sudo password for dev (ansible_become_password)


def ensure_test_image(login_shell: Any) -> None:
    """No registry is reachable: import the prepared busybox root filesystem, as dev."""
    result = login_shell(f"docker image inspect {IMAGE} >/dev/null 2>&1 || docker import {ROOTFS} {IMAGE}")
    assert result.rc == 0, result.stderr


def test_docker_info_works_without_sudo_after_a_new_login(as_user: Any) -> None:
    """A fresh login session of dev (su -), started by root, as after logging in again."""
    new_login = "su - dev -c 'id -nG; docker info --format {{.ServerVersion}}'"
    result = as_root(as_user, new_login)
    assert result.rc == 0, result.stderr
    groups, server_version = result.stdout.strip().splitlines()
    assert "docker" in groups.split()
    assert re.match(r"\d+\.\d+", server_version), result.stdout


def test_dev_is_in_the_docker_group(host: Any) -> None:
    assert "docker" in host.user("dev").groups


def as_root(as_user: Any, command: str) -> Any:
    """Run a command through dev's sudo, as dev would (the minimal image has no D-Bus for plain systemctl)."""
    return as_user.run(f"echo {DEV_PASSWORD} | sudo -S -p '' {command}")


def test_the_service_is_enabled_and_running(as_user: Any) -> None:
    assert as_root(as_user, "systemctl is-enabled docker").stdout.strip() == "enabled"
    active = as_root(as_user, "systemctl is-active docker")
    assert active.stdout.strip() == "active", active.stdout + active.stderr


def test_docker_run_prints_the_containers_output(login_shell: Any) -> None:
    ensure_test_image(login_shell)
    result = login_shell(f"docker run --rm {IMAGE} echo hello from the inner daemon")
    assert result.rc == 0, result.stderr
    assert result.stdout.strip() == "hello from the inner daemon"


def test_compose_v2_is_the_docker_compose_plugin(login_shell: Any) -> None:
    result = login_shell("docker compose version")
    assert result.rc == 0, result.stderr
    assert re.search(r"Docker Compose version v?2\.", result.stdout), result.stdout


def test_buildx_is_the_docker_buildx_plugin(login_shell: Any) -> None:
    result = login_shell("docker buildx version")
    assert result.rc == 0, result.stderr
    assert re.search(r"buildx v?0\.\d+", result.stdout), result.stdout


def test_a_compose_service_comes_up_and_down(login_shell: Any) -> None:
    ensure_test_image(login_shell)
    compose = "docker compose --project-directory ~/hello-compose"
    try:
        up = login_shell(f"{compose} up --detach --wait")
        assert up.rc == 0, up.stderr
        running = login_shell(f"{compose} ps --status running --services")
        assert running.stdout.split() == ["hello"], running.stdout + running.stderr
    finally:
        down = login_shell(f"{compose} down --timeout 1")
    assert down.rc == 0, down.stderr
    assert login_shell(f"{compose} ps --all --quiet").stdout.strip() == ""


@pytest.mark.user_data
def test_daemon_json_keeps_the_users_keys_and_has_ours(host: Any) -> None:
    daemon_json = host.file("/etc/docker/daemon.json")
    assert (daemon_json.user, daemon_json.group, daemon_json.mode) == ("root", "root", 0o644)
    config = json.loads(daemon_json.content_string)
    assert config["max-concurrent-downloads"] == 2
    assert config["max-concurrent-uploads"] == 3
    assert config["log-driver"] == "json-file"
    assert config["log-opts"] == {"labels": "team", "max-size": "20m", "max-file": "3"}
    assert "runtimes" not in config, "no GPU here, so no NVIDIA runtime"


def test_the_daemon_runs_with_the_merged_settings(login_shell: Any) -> None:
    result = login_shell("docker info --format '{{.LoggingDriver}}'")
    assert result.stdout.strip() == "json-file", result.stderr


def test_docker_repository_is_a_deb822_source_signed_by_its_key(host: Any) -> None:
    ident = host.system_info
    suite = {"debian": "bookworm", "ubuntu": "noble"}[ident.distribution]
    mirror = os.environ["SMDEV_MIRROR_URL"].rstrip("/")
    source = host.file("/etc/apt/sources.list.d/docker.sources")
    assert (source.user, source.mode) == ("root", 0o644)
    fields = dict(line.split(": ", 1) for line in source.content_string.splitlines() if ": " in line)
    assert fields["Types"] == "deb"
    assert fields["URIs"] == f"{mirror}/download.docker.com/linux/{ident.distribution}"
    assert fields["Suites"] == suite
    assert fields["Components"] == "stable"
    assert fields["Signed-By"] == "/etc/apt/keyrings/docker.asc"
    assert not host.file("/etc/apt/sources.list.d/docker.list").exists


def test_docker_key_has_the_pinned_fingerprint(host: Any) -> None:
    key = host.file("/etc/apt/keyrings/docker.asc")
    assert (key.user, key.group, key.mode) == ("root", "root", 0o644)
    listing = host.check_output("gpg --batch --with-colons --show-keys /etc/apt/keyrings/docker.asc")
    primary = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
    assert primary == os.environ["SMDEV_DOCKER_GPG_FINGERPRINT"]


def test_apt_trusts_docker_repository_but_installed_nothing_from_it(host: Any) -> None:
    """apt keeps a repository's InRelease only after its signature checked out against Signed-By."""
    lists = host.file("/var/lib/apt/lists").listdir()
    assert [name for name in lists if "download.docker.com" in name and name.endswith("_InRelease")], lists
    assert not host.package("docker-ce").is_installed
    assert host.package("docker.io").is_installed
