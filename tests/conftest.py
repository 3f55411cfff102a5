"""Shared pytest fixtures: the loopback mirror and throwaway GnuPG keys."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The collection is importable as ansible_collections.smdev.workstation through
# the link `make` keeps in .collections (see the Makefile's collection target).
sys.path.insert(0, str(ROOT / ".collections"))

from tests.harness.mirror import MirrorServer, serve  # noqa: E402


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[MirrorServer]:
    """A mirror on 127.0.0.1 over an empty directory, torn down after the test."""
    root = tmp_path / "mirror"
    root.mkdir()
    with serve(root) as server:
        server.root = root  # type: ignore[attr-defined]
        yield server


@dataclass
class Key:
    """A GnuPG key in its own home: armored public key file and fingerprint."""

    home: Path
    public: Path
    fingerprint: str

    def sign(self, path: Path, faked_time: str = "") -> Path:
        signature = path.with_name(path.name + ".sig")
        argv = ["gpg", "--batch", "--homedir", str(self.home), "--yes"]
        if faked_time:
            argv += ["--faked-system-time", faked_time]
        argv += ["--local-user", self.fingerprint, "--output", str(signature), "--detach-sign", str(path)]
        subprocess.run(argv, check=True, capture_output=True)
        return signature


def make_key(base: Path, name: str, faked_time: str = "", expire: str = "never") -> Key:
    """Generate a passphrase-less signing key, optionally in the past."""
    home = base / f"gnupg-{name}"
    home.mkdir(mode=0o700)
    argv = ["gpg", "--batch", "--homedir", str(home), "--passphrase", ""]
    if faked_time:
        argv += ["--faked-system-time", faked_time]
    subprocess.run(
        [*argv, "--quick-gen-key", f"{name} <{name}@example.test>", "ed25519", "sign", expire],
        check=True,
        capture_output=True,
    )
    listing = subprocess.run(
        ["gpg", "--batch", "--homedir", str(home), "--with-colons", "--list-keys"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    fingerprint = next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))
    public = base / f"{name}.asc"
    subprocess.run(
        ["gpg", "--batch", "--homedir", str(home), "--armor", "--output", str(public), "--export", fingerprint],
        check=True,
        capture_output=True,
    )
    return Key(home, public, fingerprint)


def certified_copy(certifier: Key, signer: Key, base: Path, faked_time: str = "") -> Path:
    """The signer's public key as the certifier has certified it (what the SAM CLI publishes)."""
    argv = ["gpg", "--batch", "--homedir", str(certifier.home), "--yes"]
    if faked_time:
        argv += ["--faked-system-time", faked_time]
    subprocess.run([*argv, "--import", str(signer.public)], check=True, capture_output=True)
    subprocess.run([*argv, "--local-user", certifier.fingerprint, "--quick-sign-key", signer.fingerprint],
                   check=True, capture_output=True)
    out = base / f"{signer.public.stem}-certified-by-{certifier.public.stem}.asc"
    subprocess.run([*argv, "--armor", "--output", str(out), "--export", signer.fingerprint],
                   check=True, capture_output=True)
    return out


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Key]:
    """A trusted key, an unrelated key, and a key that expired in 2020."""
    base = tmp_path_factory.mktemp("keys")
    return {
        "good": make_key(base, "good"),
        "other": make_key(base, "other"),
        "expired": make_key(base, "expired", faked_time="20200101T000000!", expire="1d"),
    }
