"""The drift filler publishes this working tree, uncommitted changes included, as a git repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.harness import fillers_drift
from tests.harness.mirror import serve


def test_the_working_tree_is_published_and_clonable_over_dumb_http(tmp_path: Path) -> None:
    first = fillers_drift.fill(tmp_path / "mirror")["SMDEV_DRIFT_REF"]
    assert fillers_drift.fill(tmp_path / "mirror")["SMDEV_DRIFT_REF"] == first, "same tree, same commit"
    with serve(tmp_path / "mirror") as server:
        subprocess.run(["git", "clone", "--quiet", f"{server.url}/{fillers_drift.UPSTREAM_PATH}", str(tmp_path / "c")],
                       check=True, capture_output=True)
    head = subprocess.run(["git", "-C", str(tmp_path / "c"), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    assert head == first
    this_file = Path(__file__).relative_to(fillers_drift.ROOT)
    assert (tmp_path / "c" / this_file).read_text() == Path(__file__).read_text()
    assert not (tmp_path / "c" / "build").exists()


def test_a_snapshot_stays_fetchable_when_a_run_beside_it_publishes_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two harness runs at once (SMDEV_INSTANCE_PREFIX) share the mirror: main moves, the first pin must not vanish."""
    first = fillers_drift.fill(tmp_path / "mirror")["SMDEV_DRIFT_REF"]
    tree = subprocess.run(["git", "rev-parse", f"{first}^{{tree}}"], cwd=fillers_drift.ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()
    other = subprocess.run(["git", "commit-tree", tree, "-m", "another run's tree"], cwd=fillers_drift.ROOT,
                           env={**os.environ, **fillers_drift.COMMIT_ENV}, check=True, capture_output=True,
                           text=True).stdout.strip()
    monkeypatch.setattr(fillers_drift, "snapshot_commit", lambda: other)
    assert fillers_drift.fill(tmp_path / "mirror")["SMDEV_DRIFT_REF"] == other
    with serve(tmp_path / "mirror") as server:
        subprocess.run(["git", "clone", "--quiet", f"{server.url}/{fillers_drift.UPSTREAM_PATH}", str(tmp_path / "c")],
                       check=True, capture_output=True)
    for commit in (first, other):
        assert subprocess.run(["git", "-C", str(tmp_path / "c"), "cat-file", "-e", f"{commit}^{{commit}}"],
                              check=False).returncode == 0, f"{commit} is gone from the clone"
