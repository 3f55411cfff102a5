"""A pin Pipenv cannot resolve leaves the SageMaker workspace as it was, and says why.

The role's workspace tasks run on this machine with a stand-in pipenv whose
lock fails the way Pipenv's does for an SDK version the index does not have
(and, like Pipenv, creates the venv first). The real lock and sync run in the
laptop scenario.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.unit import localhost_role

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="the role's tasks become workstation_user (root here)")

PLAY = """\
- hosts: localhost
  gather_subset: [min]
  tasks:
    - name: Work out the pins
      ansible.builtin.include_role:
        name: smdev.workstation.{role}
        tasks_from: manifest
    - name: Set up the workspace
      ansible.builtin.include_role:
        name: smdev.workstation.{role}
        tasks_from: workspace
"""

FAKE_PIPENV = """\
#!/bin/sh
case "$1" in
  verify) echo "Pipfile.lock out of date" >&2; exit 1 ;;
  lock)
    mkdir -p .venv/bin
    cp Pipfile Pipfile.seen-by-lock
    echo "Resolving dependencies..." >&2
    echo "ERROR: No matching distribution found for sagemaker==9.9.9" >&2
    echo "Locking Failed!" >&2
    exit 1 ;;
esac
echo "pipenv $1 should not have run" >&2
exit 3
"""


def run_play(home: Path, **more: object) -> subprocess.CompletedProcess[str]:
    """The role's manifest and workspace tasks only (its main also installs smdev-parity system-wide)."""
    pipenv = home / ".local" / "bin" / "pipenv"
    pipenv.parent.mkdir(parents=True, exist_ok=True)
    pipenv.write_text(FAKE_PIPENV)
    pipenv.chmod(0o755)
    extra_vars = {
        "workstation_user": "root", "workstation_user_home": str(home),
        "sagemaker_sdk_workspace": str(home / "sagemaker"), "sagemaker_sdk_release": "v2.14.10",
        "sagemaker_sdk_version": "9.9.9", "sagemaker_sdk_parity_report": False,
        "pyenv_python_versions": ["3.11.2"], **more,
    }
    return localhost_role.run_role("sagemaker_sdk", extra_vars, home, play=PLAY)


def assert_refused(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Say which pins did not resolve" in output, output
    assert "sagemaker_sdk_version" in output, output
    assert '"sagemaker": "==9.9.9"' in output, output
    assert "No matching distribution found for sagemaker==9.9.9" in output, output
    assert "The workspace is as it was" in output, output


def test_an_sdk_version_the_index_lacks_leaves_a_fresh_workspace_empty(tmp_path: Path) -> None:
    assert_refused(run_play(tmp_path))
    workspace = tmp_path / "sagemaker"
    assert not (workspace / "Pipfile").exists()
    assert not (workspace / ".venv").exists(), "the venv the failed lock made is left behind"
    assert not (workspace / ".smdev-manifest.json").exists()


@pytest.mark.fault
def test_an_sdk_version_the_index_lacks_leaves_a_working_workspace_as_it_was(tmp_path: Path) -> None:
    workspace = tmp_path / "sagemaker"
    (workspace / ".venv" / "bin").mkdir(parents=True)
    python = workspace / ".venv" / "bin" / "python"
    python.write_text("#!/bin/sh\necho 3.11.2\n")  # the venv's Python is the one the role expects
    python.chmod(0o755)
    (workspace / "Pipfile").write_text("# the pins that work\n")
    (workspace / "Pipfile.lock").write_text('{"_meta": {}}\n')
    (workspace / ".smdev-manifest.json").write_text('{"release": "v2.14.10"}\n')
    assert_refused(run_play(tmp_path))
    assert (workspace / "Pipfile").read_text() == "# the pins that work\n"
    assert (workspace / "Pipfile.lock").read_text() == '{"_meta": {}}\n'
    assert (workspace / ".smdev-manifest.json").read_text() == '{"release": "v2.14.10"}\n'
    assert python.exists()


TOKEN = "Wk5pT0tlbg"  # noqa: S105 - planted, to be looked for


@pytest.mark.user_data
def test_a_private_index_password_stays_out_of_the_pipfile_and_in_a_private_env_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Pipfile (which users commit) says ${SMDEV_PIP_INDEX_URL}; the workspace's .env, 0600, holds it."""
    monkeypatch.setenv("ANSIBLE_VERBOSITY", "3")
    workspace = tmp_path / "sagemaker"
    workspace.mkdir()
    (workspace / ".env").write_text("# dev's own\nDATA_BUCKET=s3://acme-data\n")
    (workspace / ".env").chmod(0o644)
    result = run_play(tmp_path, workstation_pip_index_url=f"https://ci:{TOKEN}@pypi.example.test/simple/")
    assert_refused(result)  # the stand-in lock fails: the rescue path, which must not show the token either
    assert TOKEN not in result.stdout + result.stderr
    seen = (workspace / "Pipfile.seen-by-lock").read_text()
    assert 'url = "${SMDEV_PIP_INDEX_URL}"' in seen and TOKEN not in seen, seen
    env = workspace / ".env"
    assert env.read_text() == (
        f"# dev's own\nDATA_BUCKET=s3://acme-data\nSMDEV_PIP_INDEX_URL='https://ci:{TOKEN}@pypi.example.test/simple/'\n")
    assert env.stat().st_mode & 0o777 == 0o600
