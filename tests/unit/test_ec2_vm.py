"""ec2_vm against moto: the provisioned VM is hardened, found again, and removed cleanly.

Every AWS call goes to moto on 127.0.0.1 through ec2_vm_endpoint_url; the
results are read back with boto3, as an auditor would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.unit.moto_server import (
    FAKE_CREDENTIALS,
    ROOT,
    Moto,
    control_node_home,
    recap_changed,
    run_playbook,
    start_moto,
    vm_vars,
)


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moto]:
    yield from start_moto(tmp_path_factory.mktemp("moto") / "moto.log")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return control_node_home(tmp_path)


def provision(moto: Moto, home: Path, name: str, *args: str, **extra: Any) -> subprocess.CompletedProcess[str]:
    result = run_playbook(home, vm_vars(moto, name, **extra), *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def instances(moto: Moto, name: str) -> list[dict[str, Any]]:
    reservations = moto.client("ec2").describe_instances(
        Filters=[
            {"Name": "tag:Name", "Values": [name]},
            {"Name": "instance-state-name", "Values": ["pending", "running", "stopping", "stopped"]},
        ]
    )["Reservations"]
    return [instance for reservation in reservations for instance in reservation["Instances"]]


def security_group(moto: Moto, name: str) -> dict[str, Any]:
    groups = moto.client("ec2").describe_security_groups(Filters=[{"Name": "group-name", "Values": [name]}])
    (group,) = groups["SecurityGroups"]
    return group


def ingress_cidrs(group: dict[str, Any]) -> list[str]:
    return [
        cidr
        for permission in group["IpPermissions"]
        for cidr in [r["CidrIp"] for r in permission.get("IpRanges", [])]
        + [r["CidrIpv6"] for r in permission.get("Ipv6Ranges", [])]
    ]


def test_provisioned_vm_is_hardened_and_a_rerun_changes_nothing(moto: Moto, home: Path) -> None:
    first = provision(moto, home, "vm-hardened")
    assert recap_changed(first.stdout) > 0

    (instance,) = instances(moto, "vm-hardened")
    tags = {tag["Key"]: tag["Value"] for tag in instance["Tags"]}
    assert tags == tags | {"Project": "smdev-workstation", "Owner": "dev", "ManagedBy": "smdev.workstation",
                           "AutoStop": "true", "Name": "vm-hardened"}
    assert instance["State"]["Name"] == "running"
    assert instance["ImageId"] == moto.ami_id
    assert instance["MetadataOptions"]["HttpTokens"] == "required"
    assert instance["MetadataOptions"]["HttpPutResponseHopLimit"] == 2
    assert instance["IamInstanceProfile"]["Arn"].endswith(":instance-profile/vm-hardened-instance")
    assert instance["KeyName"] == "vm-hardened"
    ec2 = moto.client("ec2")
    shutdown = ec2.describe_instance_attribute(
        InstanceId=instance["InstanceId"], Attribute="instanceInitiatedShutdownBehavior"
    )
    assert shutdown["InstanceInitiatedShutdownBehavior"]["Value"] == "stop"
    volumes = ec2.describe_volumes(Filters=[{"Name": "attachment.instance-id", "Values": [instance["InstanceId"]]}])
    assert volumes["Volumes"], "no volume attached"
    assert all(volume["Encrypted"] for volume in volumes["Volumes"])
    assert {volume["VolumeType"] for volume in volumes["Volumes"]} == {"gp3"}

    group = security_group(moto, "vm-hardened")
    assert [g["GroupId"] for g in instance["SecurityGroups"]] == [group["GroupId"]]
    assert group["IpPermissions"] == [], "ssm access must open no inbound port"
    assert {t["Key"]: t["Value"] for t in group["Tags"]}["ManagedBy"] == "smdev.workstation"

    iam = moto.client("iam")
    attached = iam.list_attached_role_policies(RoleName="vm-hardened-instance")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]
    inline = iam.get_role_policy(RoleName="vm-hardened-instance", PolicyName="stop-only-itself")["PolicyDocument"]
    (statement,) = inline["Statement"]
    assert statement["Action"] == ["ec2:StopInstances"]
    assert statement["Resource"].endswith(f":instance/{instance['InstanceId']}")

    (alarm,) = moto.client("cloudwatch").describe_alarms(AlarmNames=["vm-hardened-idle-stop"])["MetricAlarms"]
    assert alarm["AlarmActions"] == ["arn:aws:automate:us-east-1:ec2:stop"]
    assert alarm["ComparisonOperator"] == "LessThanThreshold"
    assert alarm["Dimensions"] == [{"Name": "InstanceId", "Value": instance["InstanceId"]}]

    second = provision(moto, home, "vm-hardened")
    assert recap_changed(second.stdout) == 0, second.stdout
    assert len(instances(moto, "vm-hardened")) == 1


def test_check_mode_before_the_vm_exists_says_what_it_would_create_and_creates_nothing(
    moto: Moto, home: Path
) -> None:
    result = provision(moto, home, "smdev-check-first", "--check")
    assert "smdev-check-first does not exist yet: a run without --check creates it" in result.stdout
    assert instances(moto, "smdev-check-first") == []
    groups = moto.client("ec2").describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["smdev-check-first"]}])["SecurityGroups"]
    assert groups == []
    assert not (home / ".ssh" / "config").exists() or "smdev-check-first" not in (home / ".ssh" / "config").read_text()


def test_ip_mode_opens_ssh_to_the_caller_only_and_replaces_a_stale_address(moto: Moto, home: Path) -> None:
    provision(moto, home, "vm-ip", ec2_vm_access="ip", ec2_vm_caller_cidr="198.51.100.7/32")
    assert ingress_cidrs(security_group(moto, "vm-ip")) == ["198.51.100.7/32"]

    provision(moto, home, "vm-ip", ec2_vm_access="ip", ec2_vm_caller_cidr="203.0.113.9/32")
    group = security_group(moto, "vm-ip")
    assert ingress_cidrs(group) == ["203.0.113.9/32"]
    (permission,) = group["IpPermissions"]
    assert (permission["IpProtocol"], permission["FromPort"], permission["ToPort"]) == ("tcp", 22, 22)

    provision(moto, home, "vm-ip", ec2_vm_access="ssm")
    assert ingress_cidrs(security_group(moto, "vm-ip")) == []


def test_stopped_state_stops_the_vm(moto: Moto, home: Path) -> None:
    provision(moto, home, "vm-stop")
    provision(moto, home, "vm-stop", ec2_vm_state="stopped")
    (instance,) = instances(moto, "vm-stop")
    assert instance["State"]["Name"] == "stopped"


def test_absent_leaves_no_resource_of_the_vm_and_nothing_else_removed(moto: Moto, home: Path) -> None:
    provision(moto, home, "vm-gone")
    provision(moto, home, "vm-kept")

    removed = provision(moto, home, "vm-gone", ec2_vm_state="absent")
    assert recap_changed(removed.stdout) > 0

    ec2, iam = moto.client("ec2"), moto.client("iam")
    assert instances(moto, "vm-gone") == []
    assert ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["vm-gone"]}])["SecurityGroups"] == []
    assert ec2.describe_key_pairs(Filters=[{"Name": "key-name", "Values": ["vm-gone"]}])["KeyPairs"] == []
    assert "vm-gone-instance" not in [r["RoleName"] for r in iam.list_roles()["Roles"]]
    profiles = iam.list_instance_profiles()["InstanceProfiles"]
    assert "vm-gone-instance" not in [p["InstanceProfileName"] for p in profiles]
    alarms = moto.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert "vm-gone-idle-stop" not in [a["AlarmName"] for a in alarms]

    assert len(instances(moto, "vm-kept")) == 1
    assert security_group(moto, "vm-kept")
    assert "vm-kept-instance" in [p["InstanceProfileName"] for p in profiles]
    assert "vm-kept-idle-stop" in [a["AlarmName"] for a in alarms]

    again = provision(moto, home, "vm-gone", ec2_vm_state="absent")
    assert recap_changed(again.stdout) == 0, again.stdout


def test_the_aws_ec2_inventory_selects_the_managed_vms(moto: Moto, home: Path, tmp_path: Path) -> None:
    provision(moto, home, "vm-fleet")
    (instance,) = instances(moto, "vm-fleet")
    unmanaged = moto.client("ec2").run_instances(ImageId=moto.ami_id, MinCount=1, MaxCount=1)["Instances"][0]
    source = yaml.safe_load((ROOT / "inventory" / "aws_ec2.yml").read_text())
    inventory = tmp_path / "test.aws_ec2.yml"
    inventory.write_text(yaml.safe_dump({**source, "endpoint_url": moto.endpoint}))

    listing = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-inventory"), "-i", str(inventory), "--list"],
        env={**os.environ, **FAKE_CREDENTIALS, "ANSIBLE_INVENTORY_ENABLED": "amazon.aws.aws_ec2"},
        capture_output=True, text=True, timeout=120, check=True,
    )
    found = json.loads(listing.stdout)
    hosts = found["ec2"]["hosts"]
    assert instance["InstanceId"] in hosts
    assert unmanaged["InstanceId"] not in hosts
    hostvars = {
        name: value.get("__ansible_unsafe", value) if isinstance(value, dict) else value
        for name, value in found["_meta"]["hostvars"][instance["InstanceId"]].items()
    }
    assert hostvars["ansible_user"] == "ubuntu"
    assert "smdev-ssm-proxy --region us-east-1 %h %p" in hostvars["ansible_ssh_common_args"]


def test_absent_keeps_a_key_pair_of_the_same_name_it_did_not_create(moto: Moto, home: Path) -> None:
    public_key = (home / ".ssh" / "id_ed25519.pub").read_text()
    moto.client("ec2").import_key_pair(KeyName="vm-users-key", PublicKeyMaterial=public_key.encode())
    provision(moto, home, "vm-users-key", ec2_vm_state="absent")
    assert moto.client("ec2").describe_key_pairs(KeyNames=["vm-users-key"])["KeyPairs"]
