"""Bad input to the docker role fails the playbook before anything changes, naming the variable.

Same method as test_bad_input.py: playbooks/laptop.yml in check mode against
this machine; the pre_tasks validation must stop the play before any role task runs.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.test_bad_input import CaseResult, assert_stopped_in_validation, laptop_check_table, run_laptop_check

BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"docker_source": "snap"}, "docker_source"),
    ({"docker_source": "docker-ce"}, "docker_source"),
    ({"docker_source": ["distro"]}, "docker_source"),
    ({"docker_source": ""}, "docker_source"),
    ({"docker_daemon_options": "log-driver=journald"}, "docker_daemon_options"),
    ({"docker_daemon_options": '{"debug": true}'}, "docker_daemon_options"),
    ({"docker_daemon_options": ["debug"]}, "docker_daemon_options"),
    ({"docker_daemon_options": 3}, "docker_daemon_options"),
    ({"docker_daemon_options": {"log-opts": "max-size=10m"}}, "log-opts"),
    ({"docker_users": ["nosuchuser-smdev"]}, "docker_users"),
    ({"docker_users": ["root", "ghost-smdev"]}, "ghost-smdev"),
    ({"docker_users": ["Alice Smith"]}, "docker_users[0]"),
    ({"docker_users": ["dev; rm -rf ~"]}, "docker_users[0]"),
    ({"docker_users": {"dev": True}}, "docker_users"),
    ({"docker_log_max_size": "10"}, "docker_log_max_size"),
    ({"docker_log_max_size": "10mb"}, "docker_log_max_size"),
    ({"docker_log_max_size": "ten megs"}, "docker_log_max_size"),
    ({"docker_log_max_size": "0m"}, "docker_log_max_size"),
    ({"docker_log_max_size": "-5m"}, "docker_log_max_size"),
    ({"docker_log_max_size": "10 m"}, "docker_log_max_size"),
    ({"docker_log_max_file": 0}, "docker_log_max_file"),
    ({"docker_log_max_file": "three"}, "docker_log_max_file"),
    ({"docker_remove_conflicting": "maybe"}, "docker_remove_conflicting"),
    ({"docker_upstream_repo_url": "download.docker.com/linux/debian"}, "docker_upstream_repo_url"),
    ({"docker_upstream_repo_url": "ftp://mirror.example.com/docker"}, "docker_upstream_repo_url"),
    ({"docker_upstream_gpg_key_url": "https://"}, "docker_upstream_gpg_key_url"),
    ({"docker_upstream_channel": "stable main"}, "docker_upstream_channel"),
    ({"docker_upstream_gpg_key_sha256": "1500c1f56fa9"}, "docker_upstream_gpg_key_sha256"),
    ({"docker_upstream_gpg_fingerprint": "0EBFCD88"}, "docker_upstream_gpg_fingerprint"),
    ({"docker_upstream_gpg_fingerprint": "9DC858229FC7DD38854AE2D88D81803C0EBFCDZZ"},
     "docker_upstream_gpg_fingerprint"),
    ({"docker_nvidia": "if-present"}, "docker_nvidia"),
    ({"docker_nvidia": True, "docker_nvidia_packages": []}, "docker_nvidia_packages"),
    ({"docker_nvidia": True, "docker_nvidia_runtime_path": "nvidia runtime; reboot"}, "docker_nvidia_runtime_path"),
    ({"docker_nvidia_default_runtime": "yes please"}, "docker_nvidia_default_runtime"),
]


@pytest.fixture(scope="module")
def bad_input_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseResult]:
    """The whole table in one run of the playbook (laptop_check_table)."""
    return laptop_check_table(tmp_path_factory, [extra_vars for extra_vars, _ in BAD_INPUTS])


@pytest.mark.bad_input
@pytest.mark.parametrize(("extra_vars", "variable"), BAD_INPUTS, ids=[json.dumps(v) for v, _ in BAD_INPUTS])
def test_bad_docker_input_fails_before_any_change(
    bad_input_results: dict[str, CaseResult], extra_vars: dict[str, Any], variable: str
) -> None:
    assert_stopped_in_validation(extra_vars, variable, bad_input_results)


def test_good_docker_input_passes_validation() -> None:
    """The negative tests mean something only if valid input gets past the docker validation."""
    result = run_laptop_check(
        {
            "workstation_user": "root",
            "docker_source": "distro",
            "docker_users": ["root"],
            "docker_daemon_options": {"log-opts": {"labels": "team"}, "max-concurrent-uploads": 3},
            "docker_log_max_size": "512k",
            "docker_upstream_gpg_fingerprint": "9DC8 5822 9FC7 DD38 854A  E2D8 8D81 803C 0EBF CD88",
        }
    )
    output = result.stdout + result.stderr
    assert "Invalid input" not in output, output
    assert "docker : Validate docker_users exist on this host" in output, output
    assert "common : Find out who runs the play" in output, output
