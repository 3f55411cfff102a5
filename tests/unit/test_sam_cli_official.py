"""The sam_cli role's official path on this machine, against the fixture mirror.

GitHub (where AWS publishes the SAM CLI zip) is unreachable here: the mirror's
fixtures (tests/harness/fillers_aws.py) have the zip's layout and are signed
the SAM CLI's way, by a signer key that a primary key certified. The role
installs into a throwaway directory (its cache and key paths are pointed
there too), so each refusal and the switch are checked in seconds. The real
keys the role ships are checked directly: AWS's primary key certifies AWS's
signer key.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from ansible_collections.smdev.workstation.plugins.module_utils import verified_download
from tests.harness.fillers_aws import fill_aws
from tests.harness.mirror import serve
from tests.unit import localhost_role

ROOT = Path(__file__).resolve().parents[2]
FILES = ROOT / "roles/sam_cli/files"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the role sets root ownership on what it installs")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str], str]]:
    base = tmp_path_factory.mktemp("sam-official")
    root = base / "build" / "mirror"
    env = fill_aws(root)
    with serve(root) as server:
        yield base, env, server.url


def run_role(site: tuple[Path, dict[str, str], str], version: str, signer: str = "signer",
             where: str = "walk", check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the role; `where` keeps each test's installation apart (tests may run in any order)."""
    mirror, env, url = site
    base = mirror / where
    base.mkdir(exist_ok=True)
    keys = mirror / "build/mirror/keys"
    extra = {
        "workstation_mirror_url": url,
        "workstation_user": "root",
        "workstation_user_home": "/root",
        "sam_cli_install_method": "official",
        "sam_cli_version": version,
        "sam_cli_official_sha256": env[f"SMDEV_SAM_CLI_SHA256_{version.replace('.', '_')}"],
        "sam_cli_gpg_primary_key": str(keys / "sam-cli-primary.asc"),
        "sam_cli_gpg_primary_fingerprint": env["SMDEV_SAM_CLI_KEY_PRIMARY_FINGERPRINT"],
        "sam_cli_gpg_signer_key": str(keys / f"sam-cli-{signer}.asc"),
        "sam_cli_gpg_signer_fingerprint": env[f"SMDEV_SAM_CLI_KEY_{signer.upper()}_FINGERPRINT"],
        "sam_cli_install_root": str(base / "aws-sam-cli"),
        "sam_cli_bin_dir": str(base / "bin"),
        "__sam_cli_cache": str(base / "cache"),
        "__sam_cli_key_dir": str(base / "keys"),
    }
    return localhost_role.run_role("sam_cli", extra, base, check=check)


def sam_version(site: tuple[Path, dict[str, str], str], where: str = "walk") -> str:
    sam = site[0] / where / "bin/sam"
    return subprocess.run([sam, "--version"], capture_output=True, text=True, check=False).stdout.strip()


@pytest.fixture(scope="module")
def installed(site: tuple[Path, dict[str, str], str]) -> tuple[Path, dict[str, str], str]:
    result = run_role(site, "1.999.0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert sam_version(site) == "SAM CLI, version 1.999.0"
    return site


def test_second_run_and_check_mode_change_nothing(installed: tuple[Path, dict[str, str], str]) -> None:
    for check in (False, True):
        result = run_role(installed, "1.999.0", check=check)
        assert result.returncode == 0, result.stdout
        assert "changed=0" in result.stdout, result.stdout


@pytest.mark.fault
@pytest.mark.parametrize(
    ("version", "signer", "expected"),
    [
        ("1.999.1", "signer", "the signature does not match the file"),
        ("1.999.2", "rogue", "is not certified by the pinned key"),
        ("1.999.3", "signer", "still points to the previous release"),
    ],
    ids=["tampered-zip", "signer-the-primary-never-certified", "release-that-does-not-run"],
)
def test_bad_release_is_refused_and_the_previous_sam_keeps_working(
    installed: tuple[Path, dict[str, str], str], version: str, signer: str, expected: str,
) -> None:
    base = installed[0] / "walk"
    result = run_role(installed, version, signer)
    assert result.returncode != 0
    assert expected in " ".join(result.stdout.split()), result.stdout
    assert sam_version(installed) == "SAM CLI, version 1.999.0"
    assert sorted(p.name for p in (base / "aws-sam-cli").iterdir()) == ["1.999.0"]


def test_next_good_release_is_installed_beside_and_switched_to(site: tuple[Path, dict[str, str], str]) -> None:
    base = site[0] / "upgrade"
    for version in ("1.999.0", "1.999.5"):
        result = run_role(site, version, where="upgrade")
        assert result.returncode == 0, result.stdout
        assert sam_version(site, "upgrade") == f"SAM CLI, version {version}"
    assert sorted(p.name for p in (base / "aws-sam-cli").iterdir()) == ["1.999.0", "1.999.5"]
    assert [p.name for p in (base / "cache").iterdir() if p.name.startswith((".", "extract-"))] == []


def test_the_shipped_aws_primary_key_certifies_the_shipped_signer_key() -> None:
    """The real keys: what the role's defaults pin is a chain that holds today."""
    home = tempfile.mkdtemp()
    try:
        base = [shutil.which("gpg") or "gpg", "--batch", "--no-tty", "--homedir", home]
        for key in ("sam-cli-primary.asc", "sam-cli-signer.asc"):
            subprocess.run([*base, "--import", str(FILES / key)], check=True, capture_output=True)
        verified_download._check_certification(base, "EF463E86CA31933BB688CC1A4094ABB1BEDFDAB4",
                                                "DE299ABF8479DD37BE09095942FD5F7A73AD885A")
    finally:
        shutil.rmtree(home, ignore_errors=True)
