"""The aws_cli role's official path on this machine, against the fixture mirror.

The same walk as the `aws` scenario's side effect, without a container: the
role installs into a throwaway directory (its cache and key paths are pointed
there too), so each refusal and the switch are checked in seconds.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness.fillers_aws import fill_aws
from tests.harness.mirror import serve
from tests.unit import localhost_role

ROOT = Path(__file__).resolve().parents[2]
REAL_EXPIRED_KEY = ROOT / "tests/fixtures/keys/aws-cli-v2-expired-2025-07-24.asc"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the role sets root ownership on what it installs")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str], str]]:
    base = tmp_path_factory.mktemp("aws-official")
    root = base / "build" / "mirror"
    env = fill_aws(root)
    with serve(root) as server:
        yield base, env, server.url


def run_role(site: tuple[Path, dict[str, str], str], version: str, key: str = "good",
             fingerprint: str = "", where: str = "walk") -> subprocess.CompletedProcess[str]:
    """Run the role; `where` keeps each test's installation apart (tests may run in any order)."""
    mirror, env, url = site
    base = mirror / where
    base.mkdir(exist_ok=True)
    key_file = REAL_EXPIRED_KEY if key == "real-expired" else mirror / f"build/mirror/keys/aws-cli-{key}.asc"
    extra = {
        "workstation_mirror_url": url,
        "aws_cli_install_method": "official",
        "aws_cli_session_manager_plugin": False,
        "aws_cli_version": version,
        "aws_cli_sha256": env[f"SMDEV_AWS_CLI_SHA256_{version.replace('.', '_')}"],
        "aws_cli_gpg_key": str(key_file),
        "aws_cli_gpg_fingerprint": fingerprint or env[f"SMDEV_AWS_CLI_KEY_{key.upper()}_FINGERPRINT"],
        "aws_cli_install_root": str(base / "aws-cli"),
        "aws_cli_bin_dir": str(base / "bin"),
        "__aws_cli_cache": str(base / "cache"),
        "__aws_cli_key_path": str(base / "keys/aws-cli-v2.asc"),
    }
    return localhost_role.run_role("aws_cli", extra, base)


def aws_version(site: tuple[Path, dict[str, str], str], where: str = "walk") -> str:
    aws = site[0] / where / "bin/aws"
    return subprocess.run([aws, "--version"], capture_output=True, text=True, check=False).stdout


@pytest.fixture(scope="module")
def installed(site: tuple[Path, dict[str, str], str]) -> tuple[Path, dict[str, str], str]:
    result = run_role(site, "2.99.0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert aws_version(site).startswith("aws-cli/2.99.0 ")
    return site


def test_second_run_changes_nothing(installed: tuple[Path, dict[str, str], str]) -> None:
    result = run_role(installed, "2.99.0")
    assert "changed=0" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("version", "key", "pin", "expected"),
    [
        ("2.99.1", "good", "", "the signature does not match the file"),
        ("2.99.2", "good", "", "signature could not be checked"),
        ("2.99.2", "other", "good", "is refused: it must be the current public key with the pinned fingerprint"),
        ("2.99.3", "expired", "", "EXPIRED on 2020-01-02"),
        ("2.99.0", "real-expired", "FB5DB77FD5C118B80511ADA8A6310ACC4672475C", "EXPIRED on 2025-07-24"),
        ("2.99.4", "good", "", "still points to the previous release"),
    ],
    ids=["tampered-zip", "other-key-signed", "other-key-under-pin", "expired-fixture-key", "expired-real-aws-key",
         "release-that-does-not-run"],
)
def test_bad_release_is_refused_and_the_previous_cli_keeps_working(
    installed: tuple[Path, dict[str, str], str], version: str, key: str, pin: str, expected: str,
) -> None:
    env = installed[1]
    base = installed[0] / "walk"
    fingerprint = env[f"SMDEV_AWS_CLI_KEY_{pin.upper()}_FINGERPRINT"] if pin == "good" else pin
    result = run_role(installed, version, key, fingerprint)
    assert result.returncode != 0
    assert expected in " ".join(result.stdout.split()), result.stdout
    assert aws_version(installed).startswith("aws-cli/2.99.0 ")
    assert sorted(p.name for p in (base / "aws-cli").iterdir()) == ["2.99.0"]


def test_next_good_release_is_installed_beside_and_switched_to(site: tuple[Path, dict[str, str], str]) -> None:
    base = site[0] / "upgrade"
    for version in ("2.99.0", "2.99.5"):
        result = run_role(site, version, where="upgrade")
        assert result.returncode == 0, result.stdout
        assert aws_version(site, "upgrade").startswith(f"aws-cli/{version} ")
    assert sorted(p.name for p in (base / "aws-cli").iterdir()) == ["2.99.0", "2.99.5"]
    assert [p.name for p in (base / "cache").iterdir() if p.name.startswith((".", "extract-"))] == []
