"""The filter that lets a role skip apt when dpkg already has every package."""

from __future__ import annotations

from ansible_collections.smdev.workstation.plugins.filter.packages import dpkg_missing

PROBE = "\n".join([
    "ii git=1:2.39.5-0+deb12u3",
    "hi curl=7.88.1-10+deb12u14",  # held, installed
    "rc docker.io=20.10.24+dfsg1-1",  # removed, its configuration left
    "iU nodejs=18.19.0+dfsg-6",  # unpacked, not configured
    "ii docker-compose=2.26.1-4",
])


def test_installed_names_and_pinned_versions_are_not_missing() -> None:
    assert dpkg_missing(["git", "curl", "docker-compose=2.26.1-4"], PROBE) == []


def test_removed_half_installed_unknown_and_other_versions_are_missing() -> None:
    wanted = ["docker.io", "nodejs", "unzip", "docker-compose=2.26.1-5", "git:amd64"]
    assert dpkg_missing(wanted, PROBE) == wanted


def test_an_empty_probe_means_everything_is_missing() -> None:
    assert dpkg_missing(["git"], "") == ["git"]
