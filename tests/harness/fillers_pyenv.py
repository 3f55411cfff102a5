"""Mirror fill for the pyenv role: pyenv, pyenv-virtualenv and a CPython source.

GitHub and python.org are unreachable here. This machine runs on a pyenv
checkout (shallow, no tags) with a pyenv-virtualenv checkout (tag v1.4.0), and
Debian's orig tarballs are byte-identical to python.org's. The mirror serves:

- `github.com/pyenv/pyenv.git` and `github.com/pyenv/pyenv-virtualenv.git` as
  bare repositories over dumb HTTP. A shallow history cannot be fetched that
  way, so each is re-rooted: one commit with the checkout's exact tree, made
  with fixed dates so its id is the same on every run. pyenv is pinned by
  that commit id (exported as SMDEV_PYENV_COMMIT), pyenv-virtualenv by its tag.
- `pyenv.github.io/pythons/<sha256>`: python-build's own default mirror
  (what PYTHON_BUILD_MIRROR_URL points at), for each tarball in
  PYTHON_SOURCES; python-build still checks the sha256 of its definition.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.harness.pinned import fetch_pinned

HOST_PYENV = Path(os.environ.get("SMDEV_HOST_PYENV", "/root/.pyenv"))
PYTHON_SOURCES = {
    # version: (Debian orig tarball, sha256 = pyenv's definition for Python-<version>.tgz).
    # The laptop playbook's Python (the SageMaker workspace needs <= 3.12 wheels):
    # Debian's orig is python.org's .tgz, so python-build runs with _PYTHON_BUILD_FORCE_SKIP_XZ.
    "3.11.2": (
        "http://deb.debian.org/debian/pool/main/p/python3.11/python3.11_3.11.2.orig.tar.gz",
        "2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849",
    ),
}
_FIXED_DATE = "2025-01-01T00:00:00+0000"


def _git(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return result.stdout.strip()


def publish_rerooted(source: Path, target: Path, tag: str = "") -> str:
    """Publish source's checked-out tree as a one-commit bare repo; return the commit id."""
    tree = _git("rev-parse", "HEAD^{tree}", cwd=source)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "smdev test mirror", "GIT_AUTHOR_EMAIL": "mirror@example.test",
        "GIT_COMMITTER_NAME": "smdev test mirror", "GIT_COMMITTER_EMAIL": "mirror@example.test",
        "GIT_AUTHOR_DATE": _FIXED_DATE, "GIT_COMMITTER_DATE": _FIXED_DATE,
    }
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        _git("init", "--quiet", "--bare", str(target))
    _git("fetch", "--quiet", "--no-tags", str(source), "HEAD", cwd=target)
    commit = _git("commit-tree", tree, "-m", f"{source.name} {tree[:12]} (history squashed for the test mirror)",
                  cwd=target, env=env)
    _git("update-ref", "refs/heads/master", commit, cwd=target)
    _git("symbolic-ref", "HEAD", "refs/heads/master", cwd=target)
    if tag:
        _git("tag", "--force", tag, commit, cwd=target)
    _git("update-server-info", cwd=target)
    return commit


def publish_python_sources(root: Path) -> None:
    """Download each CPython tarball once, keep it only if its sha256 is pyenv's."""
    for url, sha256 in PYTHON_SOURCES.values():
        fetch_pinned(url, sha256, root / "pyenv.github.io/pythons" / sha256)


def fill_pyenv(root: Path) -> dict[str, str]:
    """Fill pyenv, pyenv-virtualenv and CPython sources; return SMDEV_PYENV_COMMIT."""
    commit = publish_rerooted(HOST_PYENV, root / "github.com/pyenv/pyenv.git")
    virtualenv = HOST_PYENV / "plugins/pyenv-virtualenv"
    publish_rerooted(virtualenv, root / "github.com/pyenv/pyenv-virtualenv.git", tag="v1.4.0")
    publish_python_sources(root)
    return {"SMDEV_PYENV_COMMIT": commit}
