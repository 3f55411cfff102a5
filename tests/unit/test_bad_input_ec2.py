"""Bad input to playbooks/ec2.yml fails before any AWS call, naming the variable.

Runs the playbook in check mode with an endpoint nobody answers on: the
validation in the first play's pre_tasks must stop it before the first AWS
task, with changed=0.
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
NOBODY = "http://127.0.0.1:9"

BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"ec2_vm_state": "started"}, "ec2_vm_state"),
    ({"ec2_vm_state": "terminated"}, "ec2_vm_state"),
    ({"ec2_vm_state": ["running"]}, "ec2_vm_state"),
    ({"ec2_vm_instance_type": "large"}, "ec2_vm_instance_type"),
    ({"ec2_vm_instance_type": "t3-large"}, "ec2_vm_instance_type"),
    ({"ec2_vm_instance_type": "T3.LARGE"}, "ec2_vm_instance_type"),
    ({"ec2_vm_instance_type": "t3.huge"}, "ec2_vm_instance_type"),
    ({"ec2_vm_instance_type": "t3.large; rm -rf /"}, "ec2_vm_instance_type"),
    ({"ec2_vm_access": "ip", "ec2_vm_caller_cidr": "203.0.113.0/24"}, "ec2_vm_caller_cidr"),
    ({"ec2_vm_access": "ip", "ec2_vm_caller_cidr": "0.0.0.0/0"}, "ec2_vm_caller_cidr"),
    ({"ec2_vm_access": "ip", "ec2_vm_caller_cidr": "203.0.113.7"}, "ec2_vm_caller_cidr"),
    ({"ec2_vm_access": "ip", "ec2_vm_caller_cidr": "203.0.113.256/32"}, "ec2_vm_caller_cidr"),
    ({"ec2_vm_access": "ip", "ec2_vm_caller_cidr": "2001:db8::1/128"}, "ec2_vm_caller_cidr"),
    ({"ec2_vm_access": "open"}, "ec2_vm_access"),
    ({"idle_stop_minutes": 0}, "idle_stop_minutes"),
    ({"idle_stop_minutes": -5}, "idle_stop_minutes"),
    ({"idle_stop_minutes": "half an hour"}, "idle_stop_minutes"),
    ({"idle_stop_check_seconds": 5}, "idle_stop_check_seconds"),
    ({"idle_stop_keep_awake_name": "../etc/passwd"}, "idle_stop_keep_awake_name"),
    ({"idle_stop_action": " "}, "idle_stop_action"),
    ({"ec2_vm_ami_id": "ami-123"}, "ec2_vm_ami_id"),
    ({"ec2_vm_ami_id": "ami-0123456789ABCDEF0"}, "ec2_vm_ami_id"),
    ({"ec2_vm_ami_id": "0123456789abcdef0"}, "ec2_vm_ami_id"),
    ({"ec2_vm_ami_id": "ubuntu-24.04"}, "ec2_vm_ami_id"),
    ({"ec2_vm_region": "mars-north-1"}, "ec2_vm_region"),
    ({"ec2_vm_region": "us-east-9"}, "ec2_vm_region"),
    ({"ec2_vm_region": "US-EAST-1"}, "ec2_vm_region"),
    ({"ec2_vm_region": "eu-west"}, "ec2_vm_region"),
    ({"ec2_vm_os": "centos7"}, "ec2_vm_os"),
    ({"ec2_vm_subnet_id": "default"}, "ec2_vm_subnet_id"),
    ({"ec2_vm_root_volume_gb": 4}, "ec2_vm_root_volume_gb"),
    ({"ec2_vm_root_volume_gb": "big"}, "ec2_vm_root_volume_gb"),
    ({"ec2_vm_name": "my vm"}, "ec2_vm_name"),
    ({"ec2_vm_name": "-vm"}, "ec2_vm_name"),
    ({"ec2_vm_idle_alarm_cpu_percent": 0}, "ec2_vm_idle_alarm_cpu_percent"),
    ({"ec2_vm_idle_alarm_cpu_percent": 150}, "ec2_vm_idle_alarm_cpu_percent"),
    ({"ec2_vm_idle_alarm_periods": 0}, "ec2_vm_idle_alarm_periods"),
    ({"ec2_vm_idle_alarm_period_seconds": 90}, "ec2_vm_idle_alarm_period_seconds"),
    ({"ec2_vm_endpoint_url": "localhost:5000"}, "ec2_vm_endpoint_url"),
    ({"ec2_vm_checkip_url": "http://checkip.amazonaws.com"}, "ec2_vm_checkip_url"),
    ({"ec2_vm_checkip_url": "checkip.amazonaws.com"}, "ec2_vm_checkip_url"),
    ({"ec2_vm_extra_tags": ["team=ml"]}, "ec2_vm_extra_tags"),
    ({"ssm_ssh_host_alias": "dev box"}, "ssm_ssh_host_alias"),
    ({"ssm_ssh_host_alias": "*"}, "ssm_ssh_host_alias"),
    ({"ssm_ssh_instance_id": "vm-1"}, "ssm_ssh_instance_id"),
    ({"ssm_ssh_connect_timeout": 0}, "ssm_ssh_connect_timeout"),
    ({"ssm_ssh_server_alive_interval": -1}, "ssm_ssh_server_alive_interval"),
    ({"workstation_profile": "desktop"}, "workstation_profile"),
]


def run_ec2_check(home: Path, extra_vars: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(home / "aws-config"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections"),
        "ANSIBLE_LOCAL_TEMP": str(home / ".ansible-tmp"),
    }
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "ansible-playbook"), "playbooks/ec2.yml", "--check",
            "-e", json.dumps({"ec2_vm_endpoint_url": NOBODY, **extra_vars}),
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )


@pytest.mark.bad_input
@pytest.mark.parametrize(("extra_vars", "variable"), BAD_INPUTS, ids=[json.dumps(v) for v, _ in BAD_INPUTS])
def test_bad_input_fails_before_any_aws_call(tmp_path: Path, extra_vars: dict[str, Any], variable: str) -> None:
    result = run_ec2_check(tmp_path, extra_vars)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    failure = re.search(r"^(fatal|failed): \[localhost\]", output, re.MULTILINE)
    assert failure, output
    before_fatal, after_fatal = output[: failure.start()], output[failure.start() :]
    failed_task = re.findall(r"TASK \[([^\]]*)\]", before_fatal)[-1]
    assert "alidat" in failed_task, f"failed outside validation, in {failed_task!r}:\n{output}"
    assert "Find the account" not in before_fatal, output
    assert variable in after_fatal, f"message does not name {variable}:\n{output}"
    recap = re.search(r"localhost\s*: ok=\d+\s+changed=(\d+)", output)
    assert recap and recap.group(1) == "0", output
    assert not (tmp_path / ".ssh").exists(), "nothing may be written before validation passes"


def test_good_input_passes_validation(tmp_path: Path) -> None:
    """The negative tests mean something only if valid input gets past validation (to the first AWS call)."""
    result = run_ec2_check(
        tmp_path,
        {
            "ec2_vm_region": "eu-west-1",
            "ec2_vm_instance_type": "m7i.2xlarge",
            "ec2_vm_ami_id": "ami-0123456789abcdef0",
            "ec2_vm_access": "ip",
            "ec2_vm_caller_cidr": "203.0.113.7/32",
            "idle_stop_minutes": 45,
            "ssm_ssh_host_alias": "devbox",
        },
    )
    output = result.stdout + result.stderr
    assert "Invalid input" not in output, output
    assert "ec2_vm : Find the account the VM lives in" in output, output
