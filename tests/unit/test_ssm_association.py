"""ssm_association against botocore's Stubber, which asserts each exact request.

moto 5.2.5 does not implement ssm.create_association (it answers HTTP 500), so
this is the honest test of that call: the Stubber fails the test on any request
that differs from the expected one, and on any call not expected at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ansible_collections.smdev.workstation.plugins.modules.ssm_association import ensure

ASSOCIATION_ID = "11111111-2222-3333-4444-555555555555"
PARAMS: dict[str, Any] = {
    "association_name": "smdev-drift",
    "document_name": "AWS-ApplyAnsiblePlaybooks",
    "targets": [{"key": "tag:smdev", "values": ["workstation"]}],
    "schedule_expression": "cron(0 3 ? * * *)",
    "parameters": {"SourceType": "S3", "PlaybookFile": "playbooks/ec2.yml", "Check": "False"},
    "state": "present",
}
REQUEST = {
    "Name": "AWS-ApplyAnsiblePlaybooks",
    "AssociationName": "smdev-drift",
    "Targets": [{"Key": "tag:smdev", "Values": ["workstation"]}],
    "Parameters": {"SourceType": ["S3"], "PlaybookFile": ["playbooks/ec2.yml"], "Check": ["False"]},
    "ScheduleExpression": "cron(0 3 ? * * *)",
}
LIST_REQUEST = {"AssociationFilterList": [{"key": "AssociationName", "value": "smdev-drift"}]}


@pytest.fixture
def ssm() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("ssm", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")  # noqa: S106 - stubbed
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def existing(stubber: Stubber, **overrides: Any) -> None:
    stubber.add_response("list_associations", {"Associations": [{"AssociationId": ASSOCIATION_ID}]}, LIST_REQUEST)
    description = {**REQUEST, "AssociationId": ASSOCIATION_ID, **overrides}
    stubber.add_response("describe_association", {"AssociationDescription": description},
                         {"AssociationId": ASSOCIATION_ID})


def missing(stubber: Stubber) -> None:
    stubber.add_response("list_associations", {"Associations": []}, LIST_REQUEST)


def test_creates_the_association_with_the_exact_request(ssm: tuple[Any, Stubber]) -> None:
    client, stubber = ssm
    missing(stubber)
    stubber.add_response("create_association",
                         {"AssociationDescription": {"AssociationId": ASSOCIATION_ID}}, REQUEST)
    assert ensure(client, PARAMS, check_mode=False) == {"changed": True, "association_id": ASSOCIATION_ID}


def test_check_mode_creates_nothing(ssm: tuple[Any, Stubber]) -> None:
    client, stubber = ssm
    missing(stubber)
    assert ensure(client, PARAMS, check_mode=True) == {"changed": True, "association_id": ""}


def test_an_equal_association_is_left_alone(ssm: tuple[Any, Stubber]) -> None:
    client, stubber = ssm
    existing(stubber)
    assert ensure(client, PARAMS, check_mode=False) == {"changed": False, "association_id": ASSOCIATION_ID}


def test_a_changed_schedule_is_updated(ssm: tuple[Any, Stubber]) -> None:
    client, stubber = ssm
    existing(stubber, ScheduleExpression="rate(1 day)")
    stubber.add_response("update_association", {"AssociationDescription": {"AssociationId": ASSOCIATION_ID}},
                         {"AssociationId": ASSOCIATION_ID, **REQUEST})
    assert ensure(client, PARAMS, check_mode=False) == {"changed": True, "association_id": ASSOCIATION_ID}


def test_check_mode_updates_nothing(ssm: tuple[Any, Stubber]) -> None:
    client, stubber = ssm
    existing(stubber, Parameters={"SourceType": ["GitHub"]})
    assert ensure(client, PARAMS, check_mode=True)["changed"] is True


def test_absent_deletes_it(ssm: tuple[Any, Stubber]) -> None:
    client, stubber = ssm
    existing(stubber)
    stubber.add_response("delete_association", {}, {"AssociationId": ASSOCIATION_ID})
    assert ensure(client, {**PARAMS, "state": "absent"}, check_mode=False) == {"changed": True, "association_id": ""}


def test_absent_and_missing_changes_nothing(ssm: tuple[Any, Stubber]) -> None:
    client, stubber = ssm
    missing(stubber)
    assert ensure(client, {**PARAMS, "state": "absent"}, check_mode=False)["changed"] is False
