"""Fetch a file pinned by sha256 into the test mirror, once; the mirror fillers share it."""

from __future__ import annotations

import hashlib
import urllib.request
from pathlib import Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_pinned(url: str, sha256: str, target: Path) -> None:
    """Keep target if it already has sha256; else download it, refusing other bytes."""
    if target.exists() and sha256_of(target) == sha256:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part")
    with urllib.request.urlopen(url, timeout=300) as response:  # noqa: S310 - pinned http(s) URL
        partial.write_bytes(response.read())
    if sha256_of(partial) != sha256:
        partial.unlink()
        raise RuntimeError(f"{url} does not have the pinned sha256 {sha256}")
    partial.rename(target)
