"""Bad drift input fails the playbook before anything changes, naming the variable."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.unit import test_bad_input as common_table

BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"drift_schedule": "every day"}, "drift_schedule"),
    ({"drift_schedule": "dialy"}, "drift_schedule"),
    ({"drift_schedule": "25:00"}, "drift_schedule"),
    ({"drift_schedule": "Mon..Funday 12:00"}, "drift_schedule"),
    ({"drift_schedule": "*-13-01 00:00"}, "drift_schedule"),
    ({"drift_schedule": "*:*/15"}, "drift_schedule"),
    ({"drift_schedule": "daily; rm -rf /"}, "drift_schedule"),
    ({"drift_schedule": ""}, "drift_schedule"),
    ({"drift_schedule": ["daily"]}, "drift_schedule"),
    ({"drift_keep_runs": 0}, "drift_keep_runs"),
    ({"drift_keep_runs": -3}, "drift_keep_runs"),
    ({"drift_keep_runs": "many"}, "drift_keep_runs"),
    ({"drift_randomized_delay": -1}, "drift_randomized_delay"),
    ({"drift_randomized_delay": "1h"}, "drift_randomized_delay"),
    ({"drift_mode": "fix"}, "drift_mode"),
    ({"drift_mode": "Correct"}, "drift_mode"),
    ({"drift_mode": ["correct"]}, "drift_mode"),
    ({"drift_strategy": "mitogen"}, "drift_strategy"),
    ({"drift_strategy": "free"}, "drift_strategy"),
    ({"drift_strategy": True}, "drift_strategy"),
    ({"drift_engine": "cron"}, "drift_engine"),
    ({"drift_engine": "SSM"}, "drift_engine"),
    ({"drift_collection_ref": "v1.0 beta"}, "drift_collection_ref"),
    ({"drift_collection_ref": "main branch"}, "drift_collection_ref"),
    ({"drift_collection_ref": "main..dev"}, "drift_collection_ref"),
    ({"drift_collection_ref": "-rf"}, "drift_collection_ref"),
    ({"drift_collection_ref": ""}, "drift_collection_ref"),
    ({"drift_collection_ref": "v1.0/"}, "drift_collection_ref"),
    ({"drift_collection_git_url": "github.com/smdev/workstation"}, "drift_collection_git_url"),
    ({"drift_collection_git_url": "https://github.com/smdev/work station.git"}, "drift_collection_git_url"),
    ({"drift_collection_git_url": "ftp://example.com/workstation.git"}, "drift_collection_git_url"),
    ({"drift_collection_git_url": ""}, "drift_collection_git_url"),
    # drift_engine ssm: SSM's schedule syntax, not OnCalendar; its minimum is 30 minutes.
    ({"drift_ssm_schedule": "daily"}, "drift_ssm_schedule"),
    ({"drift_ssm_schedule": "rate(15 minutes)"}, "drift_ssm_schedule"),
    ({"drift_ssm_schedule": "rate(1 days)"}, "drift_ssm_schedule"),
    ({"drift_ssm_schedule": "cron(0 3 * *)"}, "drift_ssm_schedule"),
    ({"drift_ssm_schedule": "0 3 * * *"}, "drift_ssm_schedule"),
    ({"drift_ssm_schedule": 86400}, "drift_ssm_schedule"),
    ({"drift_ssm_association_name": "smdev drift"}, "drift_ssm_association_name"),
    ({"drift_ssm_association_name": "sd"}, "drift_ssm_association_name"),
    ({"drift_ssm_endpoint_url": "ssm.eu-west-1.amazonaws.com"}, "drift_ssm_endpoint_url"),
    ({"drift_ssm_endpoint_url": "https://vpce ssm"}, "drift_ssm_endpoint_url"),
]


@pytest.fixture(scope="module")
def bad_input_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, common_table.CaseResult]:
    """The whole table in one run of the playbook (laptop_check_table)."""
    return common_table.laptop_check_table(tmp_path_factory, [extra_vars for extra_vars, _ in BAD_INPUTS])


@pytest.mark.bad_input
@pytest.mark.parametrize(("extra_vars", "variable"), BAD_INPUTS, ids=[json.dumps(v) for v, _ in BAD_INPUTS])
def test_bad_drift_input_fails_before_any_change(
    bad_input_results: dict[str, common_table.CaseResult], extra_vars: dict[str, Any], variable: str
) -> None:
    common_table.assert_stopped_in_validation(extra_vars, variable, bad_input_results)


def test_good_drift_input_passes_validation() -> None:
    """The negative tests mean something only if valid drift input gets past validation."""
    result = common_table.run_laptop_check({
        "workstation_user": "root",
        "drift_schedule": "Mon..Fri *-*-* 12:30:00 UTC",
        "drift_mode": "report",
        "drift_engine": "ssm",
        "drift_keep_runs": 1,
        "drift_randomized_delay": 0,
        "drift_collection_ref": "v1.2.0",
        "drift_collection_git_url": "git@github.com:smdev/workstation.git",
        "drift_ssm_schedule": "cron(0 3 ? * MON-FRI *)",
        "drift_ssm_association_name": "team-a.smdev_drift",
        "drift_ssm_endpoint_url": "https://vpce-0123.ssm.eu-west-1.vpce.amazonaws.com",
    })
    output = result.stdout + result.stderr
    assert "Invalid input" not in output, output
    assert "must be" not in output, output
    assert "common : Find out who runs the play" in output, output
