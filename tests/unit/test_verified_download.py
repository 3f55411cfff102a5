"""Failure paths of the shared download mechanism, against the loopback mirror."""

from __future__ import annotations

import contextlib
import hashlib
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ansible_collections.smdev.workstation.plugins.module_utils.verified_download import (
    DownloadError,
    download,
    mirror_url_for,
)
from tests.conftest import Key, certified_copy, make_key
from tests.harness.mirror import MirrorServer

UPSTREAM = "https://downloads.example.org/tool/1.2.3/tool-1.2.3.tar.gz"
MIRROR_PATH = "/downloads.example.org/tool/1.2.3/tool-1.2.3.tar.gz"
FAST = {"retries": 2, "delay": 0.01, "timeout": 2.0}


def publish(mirror: MirrorServer, content: bytes) -> tuple[Path, str]:
    """Put content at the artifact's mirror path; return it and its sha256."""
    path = mirror.root / MIRROR_PATH.lstrip("/")  # type: ignore[attr-defined]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path, hashlib.sha256(content).hexdigest()


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


@pytest.fixture
def installed(tmp_path: Path) -> Path:
    """A previously installed good artifact that failures must not touch."""
    dest = tmp_path / "cache" / "tool.tar.gz"
    dest.parent.mkdir()
    dest.write_bytes(b"old working version")
    return dest


@pytest.mark.parametrize(
    ("url", "mirror", "expected"),
    [
        (UPSTREAM, "", UPSTREAM),
        (UPSTREAM, "http://127.0.0.1:8000", "http://127.0.0.1:8000" + MIRROR_PATH),
        (UPSTREAM, "http://127.0.0.1:8000/base/", "http://127.0.0.1:8000/base" + MIRROR_PATH),
        ("https://h.example/x.zip?sig=1", "file:///srv/m", "file:///srv/m/h.example/x.zip"),
    ],
)
def test_mirror_layout_is_host_then_path(url: str, mirror: str, expected: str) -> None:
    assert mirror_url_for(url, mirror) == expected


def test_good_download_lands_and_second_call_fetches_nothing(mirror: MirrorServer, tmp_path: Path) -> None:
    _, sha = publish(mirror, b"new version")
    dest = tmp_path / "tool.tar.gz"
    first = download(UPSTREAM, str(dest), sha, mirror_url=mirror.url, **FAST)
    assert first["changed"] is True
    assert dest.read_bytes() == b"new version"
    requests_after_first = len(mirror.requests)
    second = download(UPSTREAM, str(dest), sha, mirror_url=mirror.url, **FAST)
    assert second["changed"] is False
    assert len(mirror.requests) == requests_after_first
    assert leftovers(tmp_path) == []


def test_check_mode_reports_change_without_writing(mirror: MirrorServer, tmp_path: Path) -> None:
    _, sha = publish(mirror, b"new version")
    dest = tmp_path / "tool.tar.gz"
    result = download(UPSTREAM, str(dest), sha, mirror_url=mirror.url, check_mode=True, **FAST)
    assert result["changed"] is True
    assert not dest.exists()
    assert mirror.requests == []


@pytest.mark.fault
@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("error500", "HTTP 500"),
        ("hang", "no answer within"),
        ("truncate", "truncated"),
    ],
)
def test_transfer_faults_retry_then_leave_old_file(
    mirror: MirrorServer, installed: Path, fault: str, message: str
) -> None:
    _, sha = publish(mirror, b"new version" * 1000)
    mirror.faults[MIRROR_PATH] = fault
    mirror.hang_seconds = 3
    with pytest.raises(DownloadError, match=message):
        download(UPSTREAM, str(installed), sha, mirror_url=mirror.url, **{**FAST, "timeout": 0.5})
    assert mirror.requests.count(MIRROR_PATH) == FAST["retries"] + 1
    assert installed.read_bytes() == b"old working version"
    assert leftovers(installed.parent) == []


@pytest.mark.fault
def test_wrong_checksum_is_refused(mirror: MirrorServer, installed: Path) -> None:
    publish(mirror, b"tampered")
    pinned = hashlib.sha256(b"what upstream released").hexdigest()
    with pytest.raises(DownloadError, match=f"expected {pinned}"):
        download(UPSTREAM, str(installed), pinned, mirror_url=mirror.url, **FAST)
    assert installed.read_bytes() == b"old working version"
    assert leftovers(installed.parent) == []


@pytest.mark.fault
def test_unreachable_server_says_so(installed: Path) -> None:
    sha = hashlib.sha256(b"x").hexdigest()
    with pytest.raises(DownloadError, match="Connection refused"):
        download(UPSTREAM, str(installed), sha, mirror_url="http://127.0.0.1:9", **FAST)
    assert installed.read_bytes() == b"old working version"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KiB tmpfs for the download directory (mounting one needs root, as `make test` runs)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(f"cannot mount a small tmpfs to fill (this test needs root): {result.stderr.strip()}")
    try:
        yield mount
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.fault
def test_a_full_disk_says_so_at_once_and_leaves_the_old_file(mirror: MirrorServer, small_disk: Path) -> None:
    installed = small_disk / "cache" / "tool.tar.gz"
    installed.parent.mkdir()
    installed.write_bytes(b"old working version")
    _, sha = publish(mirror, b"new version" * 100_000)  # 1.1 MB, four times the disk
    with pytest.raises(DownloadError, match=f"no space left on device while writing {installed.parent}/"):
        download(UPSTREAM, str(installed), sha, mirror_url=mirror.url, **FAST)
    assert mirror.requests.count(MIRROR_PATH) == 1, "retried a download that cannot fit"
    assert installed.read_bytes() == b"old working version"
    assert leftovers(installed.parent) == []


def signed(mirror: MirrorServer, key: Key, content: bytes, faked_time: str = "") -> str:
    artifact, sha = publish(mirror, content)
    key.sign(artifact, faked_time)
    return sha


def test_good_signature_is_accepted(mirror: MirrorServer, installed: Path, keys: dict[str, Key]) -> None:
    sha = signed(mirror, keys["good"], b"signed release")
    result = download(
        UPSTREAM, str(installed), sha, mirror_url=mirror.url,
        signature_url=UPSTREAM + ".sig", gpg_key=str(keys["good"].public),
        gpg_fingerprint=keys["good"].fingerprint, **FAST,
    )
    assert result["changed"] is True
    assert installed.read_bytes() == b"signed release"
    assert leftovers(installed.parent) == []


@pytest.mark.fault
def test_tampered_file_fails_its_signature(mirror: MirrorServer, installed: Path, keys: dict[str, Key]) -> None:
    signed(mirror, keys["good"], b"signed release")
    _, sha = publish(mirror, b"tampered release")  # the old .sig stays
    with pytest.raises(DownloadError, match="does not match the file"):
        download(
            UPSTREAM, str(installed), sha, mirror_url=mirror.url,
            signature_url=UPSTREAM + ".sig", gpg_key=str(keys["good"].public),
            gpg_fingerprint=keys["good"].fingerprint, **FAST,
        )
    assert installed.read_bytes() == b"old working version"
    assert leftovers(installed.parent) == []


def test_signature_by_another_key_is_refused(mirror: MirrorServer, installed: Path, keys: dict[str, Key]) -> None:
    sha = signed(mirror, keys["other"], b"signed release")
    with pytest.raises(DownloadError, match="expected the pinned"):
        download(
            UPSTREAM, str(installed), sha, mirror_url=mirror.url,
            signature_url=UPSTREAM + ".sig", gpg_key=str(keys["other"].public),
            gpg_fingerprint=keys["good"].fingerprint, **FAST,
        )
    assert installed.read_bytes() == b"old working version"


def test_signature_unknown_to_the_pinned_key_is_refused(
    mirror: MirrorServer, installed: Path, keys: dict[str, Key]
) -> None:
    sha = signed(mirror, keys["other"], b"signed release")
    with pytest.raises(DownloadError, match="could not be checked"):
        download(
            UPSTREAM, str(installed), sha, mirror_url=mirror.url,
            signature_url=UPSTREAM + ".sig", gpg_key=str(keys["good"].public),
            gpg_fingerprint=keys["good"].fingerprint, **FAST,
        )
    assert installed.read_bytes() == b"old working version"


def test_expired_key_is_refused(mirror: MirrorServer, installed: Path, keys: dict[str, Key]) -> None:
    sha = signed(mirror, keys["expired"], b"signed release", faked_time="20200101T120000!")
    with pytest.raises(DownloadError, match="expired"):
        download(
            UPSTREAM, str(installed), sha, mirror_url=mirror.url,
            signature_url=UPSTREAM + ".sig", gpg_key=str(keys["expired"].public),
            gpg_fingerprint=keys["expired"].fingerprint, **FAST,
        )
    assert installed.read_bytes() == b"old working version"
    assert leftovers(installed.parent) == []


@pytest.fixture(scope="module")
def sam_like(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A primary key that certifies a signer (the SAM CLI's scheme), and a signer it never certified."""
    base = tmp_path_factory.mktemp("sam-keys")
    primary, signer, rogue = make_key(base, "primary"), make_key(base, "signer"), make_key(base, "rogue")
    # A signer from 2020, certified then by the key that expired since (keys["expired"]'s day).
    old_signer = make_key(base, "old-signer", faked_time="20200101T000000!")
    return {"primary": primary, "signer": signer, "rogue": rogue, "old_signer": old_signer,
            "certified": certified_copy(primary, signer, base)}


def two_level(mirror: MirrorServer, installed: Path, sha: str, signer_key: Path, signer: str,
              certifier_key: Path, certifier: str) -> dict[str, object]:
    return download(
        UPSTREAM, str(installed), sha, mirror_url=mirror.url, signature_url=UPSTREAM + ".sig",
        gpg_key=str(signer_key), gpg_fingerprint=signer,
        gpg_certifier_key=str(certifier_key), gpg_certifier_fingerprint=certifier, **FAST,
    )


def test_signer_certified_by_the_pinned_primary_is_accepted(
    mirror: MirrorServer, installed: Path, sam_like: dict
) -> None:
    sha = signed(mirror, sam_like["signer"], b"sam release")
    result = two_level(mirror, installed, sha, sam_like["certified"], sam_like["signer"].fingerprint,
                       sam_like["primary"].public, sam_like["primary"].fingerprint)
    assert result["changed"] is True
    assert installed.read_bytes() == b"sam release"


def test_signer_the_primary_never_certified_is_refused(
    mirror: MirrorServer, installed: Path, sam_like: dict
) -> None:
    """A rogue signer pinned by fingerprint alone is not enough: the primary must vouch for it."""
    sha = signed(mirror, sam_like["rogue"], b"sam release")
    with pytest.raises(DownloadError, match="is not certified by the pinned key"):
        two_level(mirror, installed, sha, sam_like["rogue"].public, sam_like["rogue"].fingerprint,
                  sam_like["primary"].public, sam_like["primary"].fingerprint)
    assert installed.read_bytes() == b"old working version"
    assert leftovers(installed.parent) == []


def test_certifier_key_other_than_the_pin_is_refused(
    mirror: MirrorServer, installed: Path, sam_like: dict
) -> None:
    sha = signed(mirror, sam_like["signer"], b"sam release")
    with pytest.raises(DownloadError, match="is not in the given key file"):
        two_level(mirror, installed, sha, sam_like["certified"], sam_like["signer"].fingerprint,
                  sam_like["rogue"].public, sam_like["primary"].fingerprint)
    assert installed.read_bytes() == b"old working version"


@pytest.mark.fault
def test_tampered_file_is_refused_even_with_a_certified_signer(
    mirror: MirrorServer, installed: Path, sam_like: dict
) -> None:
    signed(mirror, sam_like["signer"], b"sam release")
    _, sha = publish(mirror, b"tampered sam release")
    with pytest.raises(DownloadError, match="does not match the file"):
        two_level(mirror, installed, sha, sam_like["certified"], sam_like["signer"].fingerprint,
                  sam_like["primary"].public, sam_like["primary"].fingerprint)
    assert installed.read_bytes() == b"old working version"


def test_expired_certifier_is_refused(mirror: MirrorServer, installed: Path, keys: dict[str, Key],
                                      sam_like: dict) -> None:
    signer = sam_like["old_signer"]
    certified = certified_copy(keys["expired"], signer, signer.home.parent, faked_time="20200101T120000!")
    sha = signed(mirror, signer, b"sam release")
    with pytest.raises(DownloadError, match="has expired"):
        two_level(mirror, installed, sha, certified, signer.fingerprint,
                  keys["expired"].public, keys["expired"].fingerprint)
    assert installed.read_bytes() == b"old working version"


def test_signer_whose_certification_the_primary_revoked_is_refused(
    mirror: MirrorServer, installed: Path, sam_like: dict
) -> None:
    """A signer the primary certified and then withdrew (a rotated-out or leaked key) is not trusted."""
    primary = sam_like["primary"]
    signer = make_key(primary.home.parent, "withdrawn")
    certified_copy(primary, signer, primary.home.parent)
    argv = ["gpg", "--batch", "--homedir", str(primary.home), "--yes"]
    subprocess.run([*argv, "--faked-system-time", f"{int(time.time()) + 60}!", "--quick-revoke-sig",
                    signer.fingerprint, primary.fingerprint], check=True, capture_output=True)
    withdrawn = primary.home.parent / "withdrawn-revoked.asc"
    subprocess.run([*argv, "--armor", "--output", str(withdrawn), "--export", signer.fingerprint],
                   check=True, capture_output=True)
    sha = signed(mirror, signer, b"sam release")
    with pytest.raises(DownloadError, match="has revoked its certification"):
        two_level(mirror, installed, sha, withdrawn, signer.fingerprint, primary.public, primary.fingerprint)
    assert installed.read_bytes() == b"old working version"
    assert leftovers(installed.parent) == []
