"""moto in server mode on 127.0.0.1: the AWS the ec2 tests provision against.

A subprocess per test module keeps its state apart from other modules and
pytest-xdist workers; each gets a free port from the kernel.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

ROOT = Path(__file__).resolve().parents[2]
REGION = "us-east-1"
# moto cannot hold /aws/service/... parameters (reserved names), so the tests
# point ec2_vm_ami_parameter at a parameter of their own.
AMI_PARAMETER = "/smdev-test/ubuntu-24.04/ami-id"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Moto:
    """A running moto server and what the tests need to talk to it."""

    endpoint: str
    ami_id: str

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )


def start_moto(log: Path) -> Iterator[Moto]:
    """Start moto_server, wait until it answers, seed the AMI parameter."""
    port = _free_port()
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}
    moto_server = str(Path(sys.executable).parent / "moto_server")
    with log.open("w") as out:
        process = subprocess.Popen([moto_server, "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=out, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"moto_server did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        moto = Moto(endpoint=f"http://127.0.0.1:{port}", ami_id="")
        images = moto.client("ec2").describe_images(Owners=["099720109477"])["Images"] or moto.client(
            "ec2"
        ).describe_images()["Images"]
        moto.ami_id = sorted(image["ImageId"] for image in images)[0]
        moto.client("ssm").put_parameter(Name=AMI_PARAMETER, Value=moto.ami_id, Type="String")
        yield moto
    finally:
        process.terminate()
        process.wait(timeout=10)


def vm_vars(moto: Moto, name: str, **extra: Any) -> dict[str, Any]:
    """ec2.yml's variables for a VM in this moto: provisioning only (the configure play needs a real VM)."""
    return {
        "ec2_vm_name": name,
        "ec2_vm_endpoint_url": moto.endpoint,
        "ec2_vm_ami_parameter": AMI_PARAMETER,
        "ec2_vm_owner": "dev",
        "ec2_vm_configure": False,
        **extra,
    }


def control_node_home(path: Path) -> Path:
    """A user's home with an SSH key pair, standing in for the control node user's."""
    (path / ".ssh").mkdir(mode=0o700)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path / ".ssh" / "id_ed25519")], check=True)
    return path


def run_playbook(
    home: Path, extra_vars: dict[str, Any], *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """ansible-playbook playbooks/ec2.yml as a user whose HOME is a temp dir."""
    full_env = {
        **os.environ,
        **FAKE_CREDENTIALS,
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections"),
        "ANSIBLE_LOCAL_TEMP": str(home / ".ansible" / "tmp"),
        **(env or {}),
    }
    playbook = [str(Path(sys.executable).parent / "ansible-playbook"), "playbooks/ec2.yml"]
    return subprocess.run(
        [*playbook, "-e", json.dumps(extra_vars), *args],
        cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=600, check=False,
    )


def recap_changed(output: str) -> int:
    """changed= of localhost in the play recap."""
    found = re.search(r"localhost\s*: ok=\d+\s+changed=(\d+)", output)
    assert found, output
    return int(found.group(1))
