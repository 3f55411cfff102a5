"""Mirror content for the docker role: Debian 12's missing compose v2 and buildx, and Docker's repository.

Debian 12 has no compose v2 and no buildx; the role installs Debian trixie's
builds, pinned by sha256, and the mirror serves the very same files, fetched
here from Debian's archive. Docker's own repository (download.docker.com) is
unreachable, so the mirror serves a stand-in at its layout: a valid, signed,
empty apt repository and its release key. The key is a throwaway fixture (the
real Docker key cannot be fetched here to sign with); the scenarios pin its
sha256 and fingerprint the way the role's defaults pin Docker's. apt then
proves the deb822 source, Signed-By and the key all fit, without a package
being installed from it.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from tests.harness.pinned import fetch_pinned

DEBIAN_ARCHIVE = "http://deb.debian.org/debian"
MIRRORED_DEBIAN_HOST = "deb.debian.org/debian"
# Same pins as roles/docker/vars/main.yml (__docker_distro_debs_map), for amd64, the test host's architecture.
TRIXIE_DEBS = {
    "pool/main/d/docker-compose/docker-compose_2.26.1-4_amd64.deb":
        "47681197cb2b1ab88206b42a1a92fc75f50d9530a6322d03494a473eed0408ea",
    "pool/main/d/docker-buildx/docker-buildx_0.13.1+ds1-3_amd64.deb":
        "fcf8c48204d1603c8f209451d7827eb91bf30759578baf7704e9e1a87e5f1d7f",
}
DOCKER_REPOSITORIES = {"debian": "bookworm", "ubuntu": "noble"}
DOCKER_COMPONENT = "stable"
ARCHITECTURES = ("amd64", "arm64")
# Fixed, in the past: apt refuses a Release file dated in the future.
RELEASE_DATE = "Thu, 01 Jan 2026 00:00:00 UTC"


def _write_if_changed(path: Path, content: bytes) -> bool:
    if path.exists() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return True


def fill_trixie_debs(root: Path) -> None:
    """Fetch the pinned trixie packages once; refuse a file whose sha256 differs."""
    for path, sha256 in TRIXIE_DEBS.items():
        fetch_pinned(f"{DEBIAN_ARCHIVE}/{path}", sha256, root / MIRRORED_DEBIAN_HOST / path)


def _fixture_key(home: Path) -> tuple[list[str], str]:
    gpg = ["gpg", "--batch", "--homedir", str(home)]
    if not home.exists():
        home.mkdir(mode=0o700)
        subprocess.run([*gpg, "--passphrase", "", "--quick-gen-key", "smdev docker fixture <docker@example.test>",
                        "ed25519", "sign", "never"], check=True, capture_output=True)
    listing = subprocess.run([*gpg, "--with-colons", "--list-keys"], check=True, capture_output=True, text=True)
    fingerprint = next(line.split(":")[9] for line in listing.stdout.splitlines() if line.startswith("fpr:"))
    return gpg, fingerprint


def _release(suite: str, files: dict[str, bytes]) -> bytes:
    lines = [
        "Origin: Docker", "Label: Docker CE", f"Suite: {suite}", f"Codename: {suite}",
        f"Architectures: {' '.join(ARCHITECTURES)}", f"Components: {DOCKER_COMPONENT}",
        f"Date: {RELEASE_DATE}", "SHA256:",
    ]
    lines += [f" {hashlib.sha256(body).hexdigest()} {len(body)} {name}" for name, body in sorted(files.items())]
    return ("\n".join(lines) + "\n").encode()


def fill_docker_repository(root: Path) -> dict[str, str]:
    """Publish the fixture key and a signed, empty repository per distribution; return the key's pins."""
    gpg, fingerprint = _fixture_key(root.parent / "docker-fixture-gnupg")
    key = subprocess.run([*gpg, "--armor", "--export", fingerprint], check=True, capture_output=True).stdout
    for distribution, suite in DOCKER_REPOSITORIES.items():
        base = root / "download.docker.com" / "linux" / distribution
        _write_if_changed(base / "gpg", key)
        dists = base / "dists" / suite
        files = {f"{DOCKER_COMPONENT}/binary-{arch}/Packages": b"" for arch in ARCHITECTURES}
        for name, body in files.items():
            _write_if_changed(dists / name, body)
        release = _release(suite, files)
        stamp = dists / ".signed-with"
        changed = _write_if_changed(dists / "Release", release)
        if changed or not (dists / "InRelease").exists() or not stamp.exists() or stamp.read_text() != fingerprint:
            subprocess.run([*gpg, "--yes", "--local-user", fingerprint, "--output", str(dists / "InRelease"),
                            "--clearsign", str(dists / "Release")], check=True, capture_output=True)
            stamp.write_text(fingerprint)
    return {
        "SMDEV_DOCKER_GPG_FINGERPRINT": fingerprint,
        "SMDEV_DOCKER_GPG_SHA256": hashlib.sha256(key).hexdigest(),
    }


def fill(root: Path) -> dict[str, str]:
    """The docker role's part of the mirror; idempotent. Returns the fixture key's pins."""
    fill_trixie_debs(root)
    return fill_docker_repository(root)
