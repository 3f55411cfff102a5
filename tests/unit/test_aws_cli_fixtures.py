"""The official AWS CLI path's trust checks, against the mirror fixtures the scenario uses.

The real zip and its signature cannot be fetched here; these fixtures have
the same layout and are signed the same way, so what is proven is the
verification logic: the good release is accepted, a tampered zip, another
key and an expired key are each refused, and the file already in place is
never touched by a refusal. The real (expired) copy of the AWS CLI key is
checked directly.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from ansible_collections.smdev.workstation.plugins.module_utils.verified_download import (
    DownloadError,
    download,
)
from tests.harness.fillers_aws import AWS_CLI_FIXTURES, fill_aws, fixture_zip
from tests.harness.mirror import MirrorServer

ROOT = Path(__file__).resolve().parents[2]
REAL_KEY = ROOT / "roles/aws_cli/files/aws-cli-v2.asc"
REAL_EXPIRED_KEY = ROOT / "tests/fixtures/keys/aws-cli-v2-expired-2025-07-24.asc"
AWS_CLI_FINGERPRINT = "FB5DB77FD5C118B80511ADA8A6310ACC4672475C"
FAST = {"retries": 0, "delay": 0.0, "timeout": 5.0}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("build") / "mirror"
    return root, fill_aws(root)


@pytest.fixture
def served(published: tuple[Path, dict[str, str]]) -> MirrorServer:
    from tests.harness.mirror import serve

    root, _ = published
    with serve(root) as server:
        yield server


def fetch(server: MirrorServer, env: dict[str, str], root: Path, version: str, key: str, dest: Path) -> dict:
    url = f"https://awscli.amazonaws.com/awscli-exe-linux-x86_64-{version}.zip"
    return download(
        url, str(dest), env[f"SMDEV_AWS_CLI_SHA256_{version.replace('.', '_')}"],
        mirror_url=server.url, signature_url=url + ".sig",
        gpg_key=str(root / "keys" / f"aws-cli-{key}.asc"),
        gpg_fingerprint=env[f"SMDEV_AWS_CLI_KEY_{key.upper()}_FINGERPRINT"], **FAST,
    )


def test_filling_twice_publishes_the_same_pins(published: tuple[Path, dict[str, str]]) -> None:
    root, env = published
    assert fill_aws(root) == env
    assert set(AWS_CLI_FIXTURES) == {k.removeprefix("SMDEV_AWS_CLI_SHA256_").replace("_", ".")
                                     for k in env if k.startswith("SMDEV_AWS_CLI_SHA256_")}


def test_fixture_zip_has_the_official_layout(tmp_path: Path) -> None:
    archive = tmp_path / "aws.zip"
    archive.write_bytes(fixture_zip("2.99.0"))
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path)
    for path in ("aws/install", "aws/dist/aws"):
        (tmp_path / path).chmod(0o755)
    install = subprocess.run([tmp_path / "aws/install", "-i", tmp_path / "root", "-b", tmp_path / "bin"],
                             capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stderr
    version = subprocess.run([tmp_path / "bin/aws", "--version"], capture_output=True, text=True, check=False)
    assert version.stdout.startswith("aws-cli/2.99.0 ")


def test_good_release_is_accepted(served: MirrorServer, published: tuple[Path, dict[str, str]],
                                  tmp_path: Path) -> None:
    root, env = published
    dest = tmp_path / "aws.zip"
    assert fetch(served, env, root, "2.99.0", "good", dest)["changed"]
    assert dest.exists()


@pytest.mark.parametrize(
    ("version", "key", "reason"),
    [
        ("2.99.1", "good", "the signature does not match the file"),
        ("2.99.2", "good", "unknown key"),
        ("2.99.2", "other", None),
        ("2.99.3", "expired", "the signing key has expired"),
    ],
    ids=["tampered-zip", "wrong-key-not-pinned", "wrong-key-pinned-other", "expired-key"],
)
def test_bad_release_is_refused_and_the_previous_file_kept(
    served: MirrorServer, published: tuple[Path, dict[str, str]], tmp_path: Path,
    version: str, key: str, reason: str | None,
) -> None:
    root, env = published
    dest = tmp_path / "aws.zip"
    dest.write_bytes(b"previous working release")
    if reason is None:
        # The other key's own signature, but the pin is the good key's fingerprint.
        url = f"https://awscli.amazonaws.com/awscli-exe-linux-x86_64-{version}.zip"
        with pytest.raises(DownloadError, match="expected the pinned"):
            download(url, str(dest), env[f"SMDEV_AWS_CLI_SHA256_{version.replace('.', '_')}"],
                     mirror_url=served.url, signature_url=url + ".sig",
                     gpg_key=str(root / "keys/aws-cli-other.asc"),
                     gpg_fingerprint=env["SMDEV_AWS_CLI_KEY_GOOD_FINGERPRINT"], **FAST)
    else:
        with pytest.raises(DownloadError, match=reason):
            fetch(served, env, root, version, key, dest)
    assert dest.read_bytes() == b"previous working release"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["aws.zip"]


def _show_key(path: Path) -> list[list[str]]:
    listing = subprocess.run(["gpg", "--batch", "--with-colons", "--show-keys", str(path)],
                             capture_output=True, text=True, check=True)
    return [line.split(":") for line in listing.stdout.splitlines()]


@pytest.mark.parametrize(("path", "validity"), [(REAL_KEY, "-"), (REAL_EXPIRED_KEY, "e")],
                         ids=["current-copy", "expired-copy"])
def test_real_aws_cli_key_copies_have_the_pinned_fingerprint(path: Path, validity: str) -> None:
    """What the role's key check reads: same fingerprint, only the expired copy marked `e`."""
    lines = _show_key(path)
    assert next(f[9] for f in lines if f[0] == "fpr") == AWS_CLI_FINGERPRINT
    assert next(f[1] for f in lines if f[0] == "pub") == validity
