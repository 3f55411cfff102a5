"""The ide filler: a stand-in key and signed empty suite for the VS Code apt source."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from tests.harness import fillers_ide


def test_fill_is_idempotent_and_publishes_the_pinned_key(tmp_path: Path) -> None:
    root = tmp_path / "mirror"
    first = fillers_ide.fill(root)
    second = fillers_ide.fill(root)
    assert first == second
    key = root / fillers_ide.KEY_PATH
    assert hashlib.sha256(key.read_bytes()).hexdigest() == first["SMDEV_IDE_KEY_SHA256"]
    (tmp_path / "check").mkdir(exist_ok=True, mode=0o700)
    listing = subprocess.run(["gpg", "--batch", "--homedir", str(tmp_path / "check"), "--with-colons",
                              "--show-keys", str(key)], capture_output=True, text=True, check=True)
    assert f"fpr:::::::::{first['SMDEV_IDE_KEY_FINGERPRINT']}:" in listing.stdout


def test_inrelease_is_signed_and_lists_the_indices(tmp_path: Path) -> None:
    root = tmp_path / "mirror"
    pins = fillers_ide.fill(root)
    dists = root / fillers_ide.REPO_PATH / "dists" / "stable"
    home = tmp_path / "verify"
    home.mkdir(mode=0o700)
    gpg = ["gpg", "--batch", "--homedir", str(home)]
    subprocess.run([*gpg, "--import", str(root / fillers_ide.KEY_PATH)], check=True, capture_output=True)
    verified = subprocess.run([*gpg, "--status-fd", "1", "--verify", str(dists / "InRelease")],
                              capture_output=True, text=True, check=True)
    assert f"VALIDSIG {pins['SMDEV_IDE_KEY_FINGERPRINT']}" in verified.stdout
    release = (dists / "Release").read_text()
    assert "main/binary-amd64/Packages" in release and "Date: " in release
