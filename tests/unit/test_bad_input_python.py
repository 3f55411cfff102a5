"""Bad input to the pyenv, pipenv and sagemaker_sdk roles fails before anything changes, naming the variable.

Two kinds: what the variables alone show is caught by the playbooks'
pre_tasks validation (playbooks/laptop.yml in check mode, as test_bad_input.py
does); what needs pyenv's repository (does the ref exist, does that pyenv
define the version) is caught by the pyenv role's read-only probe, run here
against a throwaway git repository before any task that changes something.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_bad_input import CaseResult, assert_stopped_in_validation, laptop_check_table

ROOT = Path(__file__).resolve().parents[2]

STATIC_BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"pyenv_python_versions": ["latest"]}, "pyenv_python_versions"),
    ({"pyenv_python_versions": ["3.12"]}, "pyenv_python_versions"),
    ({"pyenv_python_versions": ["python3.12.9"]}, "pyenv_python_versions"),
    ({"pyenv_python_versions": ["3.12.9; rm -rf ~"]}, "pyenv_python_versions"),
    ({"pyenv_python_versions": []}, "pyenv_python_versions"),
    ({"pyenv_python_versions": "3.12.9"}, "pyenv_python_versions"),
    ({"pyenv_python_versions": [{"version": "3.12.9"}]}, "pyenv_python_versions"),
    ({"pyenv_global": "3.11.9"}, "pyenv_global"),
    ({"pyenv_global": "three"}, "pyenv_global"),
    ({"pyenv_root": "~/.pyenv"}, "pyenv_root"),
    ({"pyenv_root": ".pyenv"}, "pyenv_root"),
    ({"pyenv_root": "$HOME/.pyenv"}, "pyenv_root"),
    ({"pyenv_root": ["/opt/pyenv"]}, "pyenv_root"),
    ({"pyenv_cache_publish_dir": "cache"}, "pyenv_cache_publish_dir"),
    ({"pyenv_shells": ["fish"]}, "pyenv_shells"),
    ({"pyenv_shells": ["bash", "tcsh"]}, "pyenv_shells"),
    ({"pyenv_shells": "bash,fish"}, "pyenv_shells"),
    ({"pyenv_shells": [["bash"]]}, "pyenv_shells"),
    ({"pyenv_version": ""}, "pyenv_version"),
    ({"pyenv_version": "--upload-pack=touch /tmp/x"}, "pyenv_version"),
    ({"pyenv_version": "v2.6.30 v2.6.29"}, "pyenv_version"),
    ({"pyenv_virtualenv_version": "-x"}, "pyenv_virtualenv_version"),
    ({"pyenv_git_url": "github.com/pyenv/pyenv"}, "pyenv_git_url"),
    ({"pyenv_git_url": "ftp://example.com/pyenv.git"}, "pyenv_git_url"),
    ({"pyenv_virtualenv_git_url": "not a url"}, "pyenv_virtualenv_git_url"),
    ({"pyenv_cache_url": "cache.example.com/pythons"}, "pyenv_cache_url"),
    ({"pyenv_cache_url": "s3://bucket/pythons"}, "pyenv_cache_url"),
    ({"pyenv_python_build_mirror_url": "relative/dir"}, "pyenv_python_build_mirror_url"),
    ({"pyenv_build_jobs": -1}, "pyenv_build_jobs"),
    ({"pyenv_build_jobs": "all"}, "pyenv_build_jobs"),
    ({"pyenv_init_shell": "sometimes"}, "pyenv_init_shell"),
    ({"pyenv_virtualenv_enabled": "maybe"}, "pyenv_virtualenv_enabled"),
    ({"pipenv_version": "latest"}, "pipenv_version"),
    ({"pipenv_version": ">=2024"}, "pipenv_version"),
    ({"pipenv_pipx_version": "1.18.4; curl evil"}, "pipenv_pipx_version"),
    ({"pipenv_init_shell": "yes please"}, "pipenv_init_shell"),
    ({"pipenv_venv_in_project": [True]}, "pipenv_venv_in_project"),
    # sagemaker_sdk
    ({"sagemaker_sdk_release": "v9.9.9"}, "sagemaker_sdk_release"),
    ({"sagemaker_sdk_release": "4.4.1"}, "sagemaker_sdk_release"),
    ({"sagemaker_sdk_release": "latest"}, "sagemaker_sdk_release"),
    ({"sagemaker_sdk_release": ["v4.4.1"]}, "sagemaker_sdk_release"),
    ({"sagemaker_sdk_flavor": "tpu"}, "sagemaker_sdk_flavor"),
    ({"sagemaker_sdk_version": "two"}, "sagemaker_sdk_version"),
    ({"sagemaker_sdk_version": "==2.257.7"}, "sagemaker_sdk_version"),
    ({"sagemaker_sdk_version": "2.257.7; rm -rf ~"}, "sagemaker_sdk_version"),
    ({"sagemaker_sdk_version": 2.257}, "sagemaker_sdk_version"),
    ({"sagemaker_sdk_packages": {"requests": "2.32.3"}}, "sagemaker_sdk_packages"),
    ({"sagemaker_sdk_packages": {"requests": "=>2.32"}}, "sagemaker_sdk_packages"),
    ({"sagemaker_sdk_packages": {"requests": "latest"}}, "sagemaker_sdk_packages"),
    ({"sagemaker_sdk_packages": {"requests": "==2.32.3; os_name"}}, "sagemaker_sdk_packages"),
    ({"sagemaker_sdk_packages": {"bad name!": ""}}, "sagemaker_sdk_packages"),
    ({"sagemaker_sdk_packages": {"requests": 2}}, "sagemaker_sdk_packages"),
    ({"sagemaker_sdk_packages": ["requests==2.32.3"]}, "sagemaker_sdk_packages"),
    ({"sagemaker_sdk_default_packages": ["sagemaker==2"]}, "sagemaker_sdk_default_packages"),
    ({"sagemaker_sdk_workspace": "sagemaker"}, "sagemaker_sdk_workspace"),
    ({"sagemaker_sdk_workspace": "~/sagemaker"}, "sagemaker_sdk_workspace"),
    ({"sagemaker_sdk_workspace": "/home/dev/../../etc"}, "sagemaker_sdk_workspace"),
    ({"sagemaker_sdk_kernel_name": "My Kernel"}, "sagemaker_sdk_kernel_name"),
    ({"sagemaker_sdk_local_mode": "sometimes"}, "sagemaker_sdk_local_mode"),
    ({"sagemaker_sdk_parity_report": "loud"}, "sagemaker_sdk_parity_report"),
]


@pytest.fixture(scope="module")
def bad_input_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseResult]:
    """The whole table in one run of the playbook (laptop_check_table)."""
    return laptop_check_table(tmp_path_factory, [extra_vars for extra_vars, _ in STATIC_BAD_INPUTS])


@pytest.mark.bad_input
@pytest.mark.parametrize(("extra_vars", "variable"), STATIC_BAD_INPUTS,
                         ids=[json.dumps(v) for v, _ in STATIC_BAD_INPUTS])
def test_bad_input_fails_in_validation_before_any_change(
    bad_input_results: dict[str, CaseResult], extra_vars: dict[str, Any], variable: str
) -> None:
    assert_stopped_in_validation(extra_vars, variable, bad_input_results)


@pytest.fixture(scope="module")
def pyenv_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in for pyenv's repository: tag v1.0 defines only Python 3.13.5."""
    repo = tmp_path_factory.mktemp("pyenv-src")
    definitions = repo / "plugins/python-build/share/python-build"
    definitions.mkdir(parents=True)
    (definitions / "3.13.5").write_text('install_package "Python-3.13.5" "https://example.test#00"\n')
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.test"]
    for argv in (["init", "-q"], ["add", "."], ["commit", "-qm", "definitions"], ["tag", "v1.0"]):
        subprocess.run([*git, *argv], check=True, capture_output=True)
    return repo


def run_pyenv_role_check(tmp_path: Path, extra_vars: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    """The pyenv role alone in check mode, for root with a pyenv_root under tmp_path."""
    playbook = tmp_path / "pyenv.yml"
    playbook.write_text(
        "- hosts: localhost\n  gather_subset: [min]\n  roles:\n    - role: smdev.workstation.pyenv\n"
    )
    facts = {
        "ansible_become": False, "workstation_user": "root", "workstation_user_home": str(tmp_path),
        "workstation_user_group": "root", "workstation_mirror_url": "", "pyenv_root": str(tmp_path / "pyenv"),
        "pyenv_virtualenv_enabled": False,
    }
    env = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections")}
    return subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook), "--check",
         "-e", json.dumps({**facts, **extra_vars})],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def runtime_cases(repo: str) -> list[tuple[dict[str, Any], str, str]]:
    """(extra vars, variable named, phrase) that only pyenv's repository can refute."""
    return [
        ({"pyenv_git_url": repo, "pyenv_version": "v9.9.9", "pyenv_python_versions": ["3.13.5"]},
         "pyenv_version", "is no tag, branch or commit"),
        ({"pyenv_git_url": repo, "pyenv_version": "0" * 40, "pyenv_python_versions": ["3.13.5"]},
         "pyenv_version", "is no tag, branch or commit"),
        ({"pyenv_git_url": repo, "pyenv_version": "release/none", "pyenv_python_versions": ["3.13.5"]},
         "pyenv_version", "is no tag, branch or commit"),
        ({"pyenv_git_url": repo, "pyenv_version": "v1.0", "pyenv_python_versions": ["3.99.1"]},
         "pyenv_python_versions", "3.99.1"),
        ({"pyenv_git_url": repo, "pyenv_version": "v1.0", "pyenv_python_versions": ["3.13.5", "3.12.99"]},
         "pyenv_python_versions", "3.12.99"),
        ({"pyenv_git_url": repo + "-missing", "pyenv_version": "v1.0", "pyenv_python_versions": ["3.13.5"]},
         "pyenv_git_url", "cannot be cloned"),
        ({"pyenv_git_url": repo, "pyenv_version": "v1.0", "pyenv_python_versions": ["3.13.5"],
          "pyenv_virtualenv_enabled": True, "pyenv_virtualenv_git_url": repo, "pyenv_virtualenv_version": "v0.0.1"},
         "pyenv_virtualenv_version", "cannot be had"),
    ]


@pytest.mark.bad_input
@pytest.mark.parametrize("case", range(7))
def test_what_only_pyenvs_repository_refutes_fails_before_any_change(
    pyenv_repo: Path, tmp_path: Path, case: int
) -> None:
    extra_vars, variable, phrase = runtime_cases(f"file://{pyenv_repo}")[case]
    result = run_pyenv_role_check(tmp_path, extra_vars)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    failed_task = re.findall(r"TASK \[([^\]]*)\]", output.split("fatal:", 1)[0])[-1]
    assert "pyenv : Validate" in failed_task, f"failed outside validation, in {failed_task!r}:\n{output}"
    assert variable in output and phrase in output, f"message does not say {variable} / {phrase}:\n{output}"
    assert "Nothing was changed" in output
    recap = re.search(r"localhost\s*: ok=\d+\s+changed=(\d+)", output)
    assert recap and recap.group(1) == "0", output
    assert not (tmp_path / "pyenv").exists(), "the probe must not create pyenv_root"


def test_a_good_pin_passes_the_probe(pyenv_repo: Path, tmp_path: Path) -> None:
    """The refusals mean something only if a ref and version that exist get past the probe."""
    result = run_pyenv_role_check(
        tmp_path, {"pyenv_git_url": f"file://{pyenv_repo}", "pyenv_version": "v1.0",
                   "pyenv_python_versions": ["3.13.5"]},
    )
    output = result.stdout + result.stderr
    assert "Validate pyenv_python_versions are defined by pyenv at pyenv_version" in output, output
    assert "Nothing was changed" not in output, output
    assert not (tmp_path / "pyenv").exists()
