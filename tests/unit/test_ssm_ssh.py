"""ssm_ssh: the SSH alias and its ProxyCommand, against moto up to the SSM session.

The final `aws ssm start-session` needs a real SSM agent and cannot run here:
the script is tested up to the command it would exec (--dry-run / run()).
moto 5.2.5 answers ssm DescribeInstanceInformation with HTTP 500, so the SSM
wait is tested with botocore's Stubber asserting the exact request.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.unit.moto_server import AMI_PARAMETER, ROOT, Moto, recap_changed, run_playbook, start_moto

SCRIPT = ROOT / "roles" / "ssm_ssh" / "files" / "smdev-ssm-proxy"


def load_script() -> ModuleType:
    loader = SourceFileLoader("smdev_ssm_proxy", str(SCRIPT))
    spec = importlib.util.spec_from_loader("smdev_ssm_proxy", loader)
    assert spec
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


proxy = load_script()


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moto]:
    yield from start_moto(tmp_path_factory.mktemp("moto") / "moto.log")


class Session:
    """boto3 session stand-in: moto for sts/ec2, a stubbed client for ssm."""

    def __init__(self, moto: Moto, ssm: Any) -> None:
        self.moto, self.ssm = moto, ssm

    def client(self, service: str, **_: Any) -> Any:
        return self.ssm if service == "ssm" else self.moto.client(service)


def stubbed_ssm(instance_id: str, statuses: list[str]) -> tuple[Any, Stubber]:
    ssm = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")  # noqa: S106
    stubber = Stubber(ssm)
    request = {"Filters": [{"Key": "InstanceIds", "Values": [instance_id]}]}
    for status in statuses:
        listing = [{"InstanceId": instance_id, "PingStatus": status}] if status else []
        stubber.add_response("describe_instance_information", {"InstanceInformationList": listing}, request)
    stubber.activate()
    return ssm, stubber


def new_instance(moto: Moto, state: str) -> str:
    ec2 = moto.client("ec2")
    instance_id = ec2.run_instances(ImageId=moto.ami_id, MinCount=1, MaxCount=1, InstanceType="t3.micro")[
        "Instances"
    ][0]["InstanceId"]
    if state == "stopped":
        ec2.stop_instances(InstanceIds=[instance_id])
    elif state == "terminated":
        ec2.terminate_instances(InstanceIds=[instance_id])
    return str(instance_id)


def args(instance_id: str, *extra: str) -> argparse.Namespace:
    return proxy.parse([instance_id, "22", "--region", "us-east-1", "--interval", "0", "--timeout", "30", *extra])


def test_a_stopped_vm_is_started_and_waited_for_then_the_ssm_session_opens(
    moto: Moto, capsys: pytest.CaptureFixture[str]
) -> None:
    instance_id = new_instance(moto, "stopped")
    ssm, stubber = stubbed_ssm(instance_id, ["", "ConnectionLost", "Online"])

    command = proxy.run(args(instance_id, "--profile", "dev"), Session(moto, ssm))

    stubber.assert_no_pending_responses()
    state = moto.client("ec2").describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    assert state["State"]["Name"] == "running"
    assert command == [
        "aws", "ssm", "start-session", "--target", instance_id, "--document-name", "AWS-StartSSHSession",
        "--parameters", "portNumber=22", "--region", "us-east-1", "--profile", "dev",
    ]
    progress = capsys.readouterr()
    assert progress.out == "", "stdout is the SSH stream: progress belongs on stderr"
    assert f"{instance_id} is stopped: starting it" in progress.err
    assert "waiting for the SSM agent (not registered yet)" in progress.err
    assert "SSM agent online" in progress.err


def test_a_running_vm_is_not_started_again(moto: Moto) -> None:
    instance_id = new_instance(moto, "running")
    ssm, _ = stubbed_ssm(instance_id, ["Online"])
    ec2 = moto.client("ec2")
    stubber = Stubber(ec2)

    class Watched(Session):
        def client(self, service: str, **kw: Any) -> Any:
            return ec2 if service == "ec2" else super().client(service, **kw)

    real_describe = moto.client("ec2").describe_instances(InstanceIds=[instance_id])
    stubber.add_response("describe_instances", real_describe, {"InstanceIds": [instance_id]})
    stubber.activate()
    proxy.run(args(instance_id), Watched(moto, ssm))
    stubber.assert_no_pending_responses()  # and no start_instances: the stub would have refused it


def test_a_terminated_vm_says_to_recreate_it(moto: Moto) -> None:
    instance_id = new_instance(moto, "terminated")
    ssm, _ = stubbed_ssm(instance_id, [])
    with pytest.raises(proxy.ProxyError, match="make ec2"):
        proxy.run(args(instance_id), Session(moto, ssm))


@pytest.mark.parametrize("code", ["ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId"])
def test_an_expired_session_says_how_to_log_in(code: str) -> None:
    sts = boto3.client("sts", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")  # noqa: S106
    stubber = Stubber(sts)
    stubber.add_client_error("get_caller_identity", service_error_code=code, http_status_code=403)
    stubber.activate()
    with pytest.raises(proxy.ProxyError, match="run aws sso login --profile dev"):
        proxy.check_session(sts, "dev")


def test_the_script_with_an_sso_profile_never_logged_in_says_how_to_log_in(tmp_path: Path) -> None:
    """The real script in a subprocess: an SSO profile without a cached token."""
    (tmp_path / ".aws").mkdir()
    (tmp_path / ".aws" / "config").write_text(
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n"
        "region = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
    )
    env = {
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "AWS_CONFIG_FILE": str(tmp_path / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / ".aws" / "credentials"),
    }
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "i-0123456789abcdef0", "22", "--profile", "dev", "--region", "us-east-1",
         "--endpoint-url", "http://127.0.0.1:9", "--dry-run"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 255, result
    assert "run aws sso login --profile dev" in result.stderr
    assert result.stdout == ""


@pytest.mark.user_data
def test_the_role_writes_a_marked_host_block_and_keeps_the_users_config(moto: Moto, tmp_path: Path) -> None:
    ssh = tmp_path / ".ssh"
    ssh.mkdir(mode=0o700)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(ssh / "id_ed25519")], check=True)
    users_hosts = "Host *\n    AddKeysToAgent yes\n\nHost build\n    HostName build.example.org\n    User ci\n"
    (ssh / "config").write_text(users_hosts)
    settings = tmp_path / ".config" / "Code" / "User" / "settings.json"
    settings.parent.mkdir(parents=True)
    jsonc = '{\n    // my font\n    "editor.fontSize": 14,\n}\n'
    settings.write_text(jsonc)
    extra = {"ec2_vm_name": "vm-ssh", "ec2_vm_endpoint_url": moto.endpoint, "ec2_vm_ami_parameter": AMI_PARAMETER,
             "ec2_vm_configure": False, "ssm_ssh_host_alias": "devbox"}

    first = run_playbook(tmp_path, extra)
    assert first.returncode == 0, first.stdout + first.stderr
    config = (ssh / "config").read_text()
    assert config.startswith(users_hosts)
    assert "# BEGIN smdev.workstation ssm_ssh devbox\nHost devbox\n" in config
    instance = moto.client("ec2").describe_instances(Filters=[{"Name": "tag:Name", "Values": ["vm-ssh"]}])
    instance_id = instance["Reservations"][0]["Instances"][0]["InstanceId"]
    assert f"    HostName {instance_id}\n" in config
    assert f"smdev-ssm-proxy --region us-east-1 --endpoint-url {moto.endpoint} --timeout 300 %h %p" in config
    assert "    ConnectTimeout 240\n" in config
    assert "    ServerAliveInterval 30\n" in config
    assert (ssh / "config").stat().st_mode & 0o077 == 0
    script = tmp_path / ".local" / "bin" / "smdev-ssm-proxy"
    assert script.stat().st_mode & 0o111
    assert script.read_text().startswith(f"#!{sys.executable}") or script.read_text().startswith("#!/")
    merged = settings.read_text()
    assert "// my font" in merged and '"editor.fontSize": 14' in merged, "the user's comment and key must stay"
    assert '"remote.SSH.connectTimeout": 300' in merged

    ssh_g = subprocess.run(
        ["ssh", "-F", str(ssh / "config"), "-G", "devbox"], capture_output=True, text=True, check=True
    )
    assert f"hostname {instance_id}" in ssh_g.stdout
    assert "connecttimeout 240" in ssh_g.stdout

    second = run_playbook(tmp_path, extra)
    assert recap_changed(second.stdout) == 0, second.stdout

    settings.write_text('{"editor.fontSize": 14}')
    third = run_playbook(tmp_path, extra)
    assert third.returncode == 0, third.stdout + third.stderr
    assert '"remote.SSH.connectTimeout": 300' in settings.read_text()
    assert '"editor.fontSize": 14' in settings.read_text()

    gone = run_playbook(tmp_path, {**extra, "ec2_vm_state": "absent"})
    assert gone.returncode == 0, gone.stdout + gone.stderr
    assert (ssh / "config").read_text().rstrip("\n") == users_hosts.rstrip("\n")
