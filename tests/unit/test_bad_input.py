"""Bad input fails the playbook before anything changes, naming the variable.

Runs playbooks/laptop.yml in check mode against this machine: the pre_tasks
validation must stop the play before any role task runs.
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

ROOT = Path(__file__).resolve().parents[2]

BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"workstation_profile": "desktop"}, "workstation_profile"),
    ({"workstation_profile": 3}, "workstation_profile"),
    ({"workstation_user": "Alice Smith"}, "workstation_user"),
    ({"workstation_user": "-rf"}, "workstation_user"),
    ({"workstation_user": ["dev"]}, "workstation_user"),
    ({"workstation_mirror_url": "mirror.example.com/smdev"}, "workstation_mirror_url"),
    ({"workstation_mirror_url": "ftp://mirror.example.com"}, "workstation_mirror_url"),
    ({"workstation_mirror_url": "https://"}, "workstation_mirror_url"),
    ({"workstation_mirror_url": "https://mirror example.com"}, "workstation_mirror_url"),
    ({"workstation_mirror_url": {"url": "https://m.example"}}, "workstation_mirror_url"),
    ({"workstation_pip_index_url": "pypi.org/simple"}, "workstation_pip_index_url"),
    ({"workstation_pip_index_url": "file:///srv/pypi"}, "workstation_pip_index_url"),
    ({"workstation_proxy": "http://proxy:3128"}, "workstation_proxy"),
    ({"workstation_proxy": {"http": "proxy:3128"}}, "workstation_proxy.http"),
    ({"workstation_proxy": {"https": "socks://proxy:1080"}}, "workstation_proxy.https"),
    ({"workstation_proxy": {"htp": "http://proxy:3128"}}, "htp"),
    ({"workstation_proxy": {"no_proxy": {"localhost": True}}}, "no_proxy"),
    ({"common_extra_packages": {"vim": "latest"}}, "common_extra_packages"),
    ({"workstation_user": "dev; rm -rf ~"}, "workstation_user"),
    ({"workstation_ca_certificates": ["/etc/ssl/corp-ca.crt"]}, "workstation_ca_certificates[0]"),
    ({"workstation_ca_certificates": "-----BEGIN CERTIFICATE-----"}, "workstation_ca_certificates"),
    ({"common_apt_cache_valid_time": "an hour"}, "common_apt_cache_valid_time"),
    ({"common_apt_cache_valid_time": -5}, "common_apt_cache_valid_time"),
]


def run_laptop_check(extra_vars: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections"),
    }
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "ansible-playbook"), "playbooks/laptop.yml", "--check",
            "-e", json.dumps({**extra_vars, "ansible_become": False}),
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def assert_stopped_in_validation(extra_vars: dict[str, Any], variable: str) -> None:
    """The play fails in a validation task, names the variable, and changed nothing.

    Every role's bad-input table uses this one check.
    """
    result = run_laptop_check(extra_vars)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    before_fatal = output.split("fatal:", 1)[0]
    failed_task = re.findall(r"TASK \[([^\]]*)\]", before_fatal)[-1]
    assert "alidate" in failed_task, f"failed outside validation, in {failed_task!r}:\n{output}"
    assert variable in output, f"message does not name {variable}:\n{output}"
    recap = re.search(r"localhost\s*: ok=\d+\s+changed=(\d+)", output)
    assert recap and recap.group(1) == "0", output


@pytest.mark.parametrize(("extra_vars", "variable"), BAD_INPUTS, ids=[json.dumps(v) for v, _ in BAD_INPUTS])
def test_bad_input_fails_before_any_change(extra_vars: dict[str, Any], variable: str) -> None:
    assert_stopped_in_validation(extra_vars, variable)


def test_good_input_passes_validation() -> None:
    """The negative tests mean something only if valid input gets past validation."""
    result = run_laptop_check(
        {
            "workstation_mirror_url": "http://127.0.0.1:8080/mirror",
            "workstation_proxy": {"http": "http://proxy.example.test:3128", "no_proxy": ["localhost"]},
            "workstation_user": "root",
        }
    )
    output = result.stdout + result.stderr
    assert "Validate every role's input before anything changes" in output
    assert "Invalid input" not in output, output
    assert "common : Find out who runs the play" in output, output
