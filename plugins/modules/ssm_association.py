#!/usr/bin/python
"""Ansible module: an SSM State Manager association, with a real `changed` and check mode."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: ssm_association
short_description: Ensure an SSM State Manager association exists with the given document, targets and schedule
description:
  - Finds the association by O(association_name); creates it when missing, updates it when its
    document, targets, schedule or parameters differ, deletes it with O(state=absent).
  - amazon.aws has no module for associations; drift uses this one for C(drift_engine=ssm)
    (document C(AWS-ApplyAnsiblePlaybooks)).
  - Check mode reports what would change without calling a mutating API.
options:
  association_name:
    description: Name of the association, unique in the account and region.
    type: str
    required: true
  document_name:
    description: SSM document the association applies.
    type: str
    default: AWS-ApplyAnsiblePlaybooks
  targets:
    description: 'Targets as SSM takes them, e.g. C([{key: "tag:smdev", values: ["workstation"]}]).'
    type: list
    elements: dict
    default: []
  schedule_expression:
    description: C(cron(...)) or C(rate(...)) expression.
    type: str
    default: ""
  parameters:
    description: Document parameters; each value is a string or a list of strings.
    type: dict
    default: {}
  state:
    description: Whether the association should exist.
    type: str
    choices: [present, absent]
    default: present
  region:
    description: AWS region.
    type: str
  endpoint_url:
    description: Alternative SSM endpoint (tests, VPC endpoints).
    type: str
requirements: [boto3]
"""

EXAMPLES = r"""
- smdev.workstation.ssm_association:
    association_name: smdev-drift
    targets: [{key: "tag:smdev", values: ["workstation"]}]
    schedule_expression: cron(0 3 ? * * *)
    parameters:
      SourceType: S3
      SourceInfo: '{"path": "https://s3.amazonaws.com/bucket/smdev.zip"}'
      PlaybookFile: playbooks/ec2.yml
"""

RETURN = r"""
association_id:
  description: Id of the association (empty when absent or only planned in check mode).
  type: str
  returned: always
"""

from typing import Any

from ansible.module_utils.basic import AnsibleModule


def _targets(targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"Key": t.get("key", t.get("Key")), "Values": list(t.get("values", t.get("Values", [])))}
            for t in targets]


def _parameters(parameters: dict[str, Any]) -> dict[str, list[str]]:
    return {k: [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in parameters.items()}


def desired(params: dict[str, Any]) -> dict[str, Any]:
    """The association as the SSM API spells it."""
    wanted: dict[str, Any] = {
        "Name": params["document_name"],
        "AssociationName": params["association_name"],
        "Targets": _targets(params["targets"]),
        "Parameters": _parameters(params["parameters"]),
    }
    if params["schedule_expression"]:
        wanted["ScheduleExpression"] = params["schedule_expression"]
    return wanted


def _find(client: Any, name: str) -> dict[str, Any] | None:
    found = client.list_associations(AssociationFilterList=[{"key": "AssociationName", "value": name}])
    matches = found.get("Associations", [])
    if not matches:
        return None
    return client.describe_association(AssociationId=matches[0]["AssociationId"])["AssociationDescription"]


def _differs(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return any(current.get(key) != value for key, value in wanted.items())


def ensure(client: Any, params: dict[str, Any], check_mode: bool) -> dict[str, Any]:
    """Make the account match params; return the module result."""
    current = _find(client, params["association_name"])
    if params["state"] == "absent":
        if current and not check_mode:
            client.delete_association(AssociationId=current["AssociationId"])
        return {"changed": current is not None, "association_id": ""}
    wanted = desired(params)
    if current is None:
        if check_mode:
            return {"changed": True, "association_id": ""}
        created = client.create_association(**wanted)["AssociationDescription"]
        return {"changed": True, "association_id": created["AssociationId"]}
    if not _differs(current, wanted):
        return {"changed": False, "association_id": current["AssociationId"]}
    if not check_mode:
        client.update_association(AssociationId=current["AssociationId"], **wanted)
    return {"changed": True, "association_id": current["AssociationId"]}


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "association_name": {"type": "str", "required": True},
            "document_name": {"type": "str", "default": "AWS-ApplyAnsiblePlaybooks"},
            "targets": {"type": "list", "elements": "dict", "default": []},
            "schedule_expression": {"type": "str", "default": ""},
            "parameters": {"type": "dict", "default": {}},
            "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
            "region": {"type": "str"},
            "endpoint_url": {"type": "str"},
        },
        supports_check_mode=True,
    )
    try:  # imported here: only the host that talks to AWS needs boto3
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:
        module.fail_json(msg="ssm_association needs boto3 on the host that runs it")
    client = boto3.client("ssm", region_name=module.params["region"], endpoint_url=module.params["endpoint_url"])
    try:
        module.exit_json(**ensure(client, module.params, module.check_mode))
    except (BotoCoreError, ClientError) as error:
        module.fail_json(msg=f"SSM association {module.params['association_name']}: {error}")


if __name__ == "__main__":
    main()
