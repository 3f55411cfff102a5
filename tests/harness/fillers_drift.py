"""Publish this checkout, as it is now, as the git repository drift's timer pins.

The drift role clones the collection from drift_collection_git_url at
drift_collection_ref. In tests that must be the code under test, uncommitted
changes included: the working tree (minus .gitignore'd files) becomes one
commit, pushed to a bare repository in the mirror at the upstream's path and
served over git's dumb HTTP protocol. The same tree always gives the same
commit, so filling again changes nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM_PATH = "github.com/smdev/workstation.git"
# Fixed identity and dates: the commit id depends on the tree only.
COMMIT_ENV = {
    "GIT_AUTHOR_NAME": "smdev test", "GIT_AUTHOR_EMAIL": "test@example.test",
    "GIT_COMMITTER_NAME": "smdev test", "GIT_COMMITTER_EMAIL": "test@example.test",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}


def _git(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **(env or {})},
                            capture_output=True, text=True, check=True)
    return result.stdout.strip()


def snapshot_commit() -> str:
    """A commit of the working tree as it is (tracked and untracked, not ignored)."""
    with tempfile.TemporaryDirectory(prefix="smdev-drift-index-") as tmp:
        index = Path(tmp) / "index"
        shutil.copy(_git("rev-parse", "--path-format=absolute", "--git-path", "index"), index)
        env = {"GIT_INDEX_FILE": str(index)}
        _git("add", "--all", env=env)
        tree = _git("write-tree", env=env)
    return _git("commit-tree", tree, "-m", "smdev.workstation working tree under test", env=COMMIT_ENV)


def fill(root: Path) -> dict[str, str]:
    """Push the snapshot to <root>/github.com/smdev/workstation.git as main; return SMDEV_DRIFT_REF."""
    commit = snapshot_commit()
    bare = root / UPSTREAM_PATH
    if not (bare / "HEAD").exists():
        bare.mkdir(parents=True, exist_ok=True)
        _git("init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    # main moves to this snapshot; a ref per snapshot keeps the commit another
    # harness run beside this one (SMDEV_INSTANCE_PREFIX) pinned fetchable.
    _git("push", "--quiet", "--force", str(bare), f"{commit}:refs/heads/main",
         f"{commit}:refs/heads/snapshot-{commit[:12]}")
    _git("update-server-info", cwd=bare)
    return {"SMDEV_DRIFT_REF": commit}
