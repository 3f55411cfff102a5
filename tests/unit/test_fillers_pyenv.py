"""The pyenv mirror filler: re-rooted repositories clone over dumb HTTP, with stable ids."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.harness.fillers_pyenv import publish_rerooted
from tests.harness.mirror import MirrorServer


def _checkout(path: Path) -> Path:
    """A shallow checkout, like the pyenv this machine runs on."""
    origin = path / "origin"
    definitions = origin / "plugins/python-build/share/python-build"
    definitions.mkdir(parents=True)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.test"]
    subprocess.run([*git, "init", "-q", str(origin)], check=True)
    for version in ("3.13.4", "3.13.5"):
        (definitions / version).write_text(f"install_package Python-{version}\n")
        subprocess.run([*git, "-C", str(origin), "add", "."], check=True)
        subprocess.run([*git, "-C", str(origin), "commit", "-qm", version], check=True)
    shallow = path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(shallow)], check=True)
    return shallow


def test_a_shallow_checkout_is_published_cloneable_with_a_stable_commit(
    tmp_path: Path, mirror: MirrorServer
) -> None:
    source = _checkout(tmp_path)
    target = mirror.root / "github.com/pyenv/pyenv.git"  # type: ignore[attr-defined]
    first = publish_rerooted(source, target, tag="v1.0")
    assert publish_rerooted(source, target, tag="v1.0") == first
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--branch", "v1.0", f"{mirror.url}/github.com/pyenv/pyenv.git",
                    str(clone)], check=True, capture_output=True)
    head = subprocess.run(["git", "-C", str(clone), "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    assert head.stdout.strip() == first
    assert (clone / "plugins/python-build/share/python-build/3.13.5").is_file()
