"""Bad input to the sagemaker_sdk role stops playbooks/laptop.yml before any change."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit.test_bad_input import assert_stopped_in_validation, run_laptop_check

BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
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


@pytest.mark.parametrize(("extra_vars", "variable"), BAD_INPUTS, ids=[json.dumps(v) for v, _ in BAD_INPUTS])
def test_bad_sagemaker_input_fails_before_any_change(extra_vars: dict[str, Any], variable: str) -> None:
    assert_stopped_in_validation(extra_vars, variable)


def test_good_sagemaker_input_passes_validation() -> None:
    result = run_laptop_check({
        "workstation_user": "root",
        "sagemaker_sdk_release": "v2.14.10",
        "sagemaker_sdk_version": "2.257.7",
        "sagemaker_sdk_packages": {"requests": "==2.32.3", "xgboost": "", "ray[default]": ">=2.50,<3", "torch": "*"},
        "sagemaker_sdk_workspace": "/home/dev/projects/sm",
        "sagemaker_sdk_kernel_name": "sm-v2.14.10",
    })
    output = result.stdout + result.stderr
    assert "Invalid input" not in output and "must be" not in output, output
    assert "common : Find out who runs the play" in output, output
