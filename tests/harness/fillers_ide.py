"""Mirror content for the ide role: a stand-in for Microsoft's VS Code apt repository.

packages.microsoft.com cannot be reached from the tests, so its signing key is
replaced by a throwaway key made once per build directory, published where the
role fetches Microsoft's (`packages.microsoft.com/keys/microsoft.asc`), and an
empty `stable` suite signed with it makes `apt-get update` prove the deb822
source and its Signed-By key work. The scenario pins this key's fingerprint and
sha256 instead of Microsoft's.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

KEY_PATH = "packages.microsoft.com/keys/microsoft.asc"
REPO_PATH = "packages.microsoft.com/repos/code"


def _gpg(home: Path) -> list[str]:
    return ["gpg", "--batch", "--homedir", str(home)]


def _fingerprint(home: Path) -> str:
    listing = subprocess.run([*_gpg(home), "--with-colons", "--list-keys"], check=True, capture_output=True,
                             text=True).stdout
    return next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))


def _release(dists: Path) -> str:
    """A Release file listing the (empty) Packages indices with their hashes."""
    lines = ["Origin: smdev test stand-in for code", "Label: code", "Suite: stable", "Codename: stable",
             "Date: Sat, 01 Nov 2025 00:00:00 UTC", "Architectures: amd64 arm64 armhf", "Components: main",
             "SHA256:"]
    for index in sorted(dists.rglob("Packages*")):
        data = index.read_bytes()
        lines.append(f" {hashlib.sha256(data).hexdigest()} {len(data)} {index.relative_to(dists)}")
    return "\n".join(lines) + "\n"


def fill(root: Path) -> dict[str, str]:
    """Publish the stand-in key and signed empty repository; return the pins for the scenario."""
    home = root.parent / "ide-gnupg"
    if not home.exists():
        home.mkdir(mode=0o700)
        subprocess.run([*_gpg(home), "--passphrase", "", "--quick-gen-key",
                        "smdev stand-in for Microsoft <ide-fixture@example.test>", "rsa3072", "sign", "never"],
                       check=True, capture_output=True)
    fingerprint = _fingerprint(home)
    key = root / KEY_PATH
    key.parent.mkdir(parents=True, exist_ok=True)
    armored = subprocess.run([*_gpg(home), "--armor", "--export", fingerprint], check=True,
                             capture_output=True).stdout
    if not key.exists() or key.read_bytes() != armored:
        key.write_bytes(armored)
    dists = root / REPO_PATH / "dists" / "stable"
    for arch in ("amd64", "arm64", "armhf"):
        packages = dists / "main" / f"binary-{arch}" / "Packages"
        packages.parent.mkdir(parents=True, exist_ok=True)
        packages.write_bytes(b"")
    release = dists / "Release"
    release.write_text(_release(dists))
    subprocess.run([*_gpg(home), "--yes", "--local-user", fingerprint, "--clearsign", "--output",
                    str(dists / "InRelease"), str(release)], check=True, capture_output=True)
    return {
        "SMDEV_IDE_KEY_FINGERPRINT": fingerprint,
        "SMDEV_IDE_KEY_SHA256": hashlib.sha256(armored).hexdigest(),
    }
