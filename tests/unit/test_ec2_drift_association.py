"""ec2.yml with drift_engine ssm: the VM gets a State Manager association that runs smdev-drift.

EC2, IAM and CloudWatch are moto's, on 127.0.0.1. moto 5.2.5 answers every
SSM association call with HTTP 500, so drift_ssm_endpoint_url points at a
stand-in here: a small SSM (JSON 1.1 protocol) that keeps associations in
memory and records each request, so the test reads exactly what the play
asked AWS for, as CloudTrail would show it.
"""

from __future__ import annotations

import http.server
import itertools
import json
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.unit.moto_server import Moto, control_node_home, recap_changed, run_playbook, start_moto, vm_vars


class FakeSSM(http.server.ThreadingHTTPServer):
    """Just the association calls of SSM, in memory."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.associations: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def answer(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        self.calls.append((action, body))
        if action == "ListAssociations":
            [wanted] = [f["value"] for f in body.get("AssociationFilterList", []) if f["key"] == "AssociationName"]
            return {"Associations": [{"AssociationId": a["AssociationId"], "Name": a["Name"]}
                                     for a in self.associations.values() if a["AssociationName"] == wanted]}
        if action == "DescribeAssociation":
            return {"AssociationDescription": self.associations[body["AssociationId"]]}
        if action == "CreateAssociation":
            created = {**body, "AssociationId": str(uuid.uuid4())}
            self.associations[created["AssociationId"]] = created
            return {"AssociationDescription": created}
        if action == "UpdateAssociation":
            self.associations[body["AssociationId"]].update(body)
            return {"AssociationDescription": self.associations[body["AssociationId"]]}
        if action == "DeleteAssociation":
            del self.associations[body["AssociationId"]]
            return {}
        raise KeyError(action)

    def mutations(self) -> list[str]:
        return [action for action, _ in self.calls if not action.startswith(("List", "Describe"))]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FakeSSM

    def do_POST(self) -> None:
        action = self.headers["X-Amz-Target"].removeprefix("AmazonSSM.")
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        try:
            status, reply = 200, self.server.answer(action, body)
        except KeyError as error:
            status, reply = 400, {"__type": "InvalidRequest", "message": f"the stand-in has no {error}"}
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Moto]:
    yield from start_moto(tmp_path_factory.mktemp("moto") / "moto.log")


@pytest.fixture
def ssm() -> Iterator[FakeSSM]:
    server = FakeSSM()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return control_node_home(tmp_path)


_names = itertools.count()


def ec2_play(moto: Moto, ssm: FakeSSM, home: Path, name: str, *args: str, **extra: Any) -> str:
    extra_vars = vm_vars(moto, name, **{"drift_engine": "ssm", "drift_ssm_endpoint_url": ssm.endpoint, **extra})
    result = run_playbook(home, extra_vars, *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_vm_gets_an_association_that_runs_smdev_drift_and_a_rerun_changes_nothing(
    moto: Moto, ssm: FakeSSM, home: Path
) -> None:
    name = f"drift-ssm-{next(_names)}"
    ec2_play(moto, ssm, home, name, drift_ssm_schedule="cron(0 3 ? * * *)")
    [association] = ssm.associations.values()
    assert association["AssociationName"] == f"smdev-drift-{name}"
    assert association["Name"] == "AWS-RunShellScript"
    assert association["Targets"] == [{"Key": "tag:Name", "Values": [name]}]
    assert association["ScheduleExpression"] == "cron(0 3 ? * * *)"
    assert association["Parameters"]["commands"] == ["/usr/local/sbin/smdev-drift"]
    instances = moto.client("ec2").describe_instances(Filters=[{"Name": "tag:Name", "Values": [name]}])
    assert instances["Reservations"], "the association targets a Name tag that no instance has"

    ssm.calls.clear()
    output = ec2_play(moto, ssm, home, name, drift_ssm_schedule="cron(0 3 ? * * *)")
    assert recap_changed(output) == 0, output
    assert ssm.mutations() == []

    ec2_play(moto, ssm, home, name, drift_ssm_schedule="rate(12 hours)")
    assert ssm.mutations() == ["UpdateAssociation"]
    [association] = ssm.associations.values()
    assert association["ScheduleExpression"] == "rate(12 hours)"

    ec2_play(moto, ssm, home, name, ec2_vm_state="absent")
    assert ssm.associations == {}


def test_check_mode_reports_a_new_schedule_and_changes_nothing(moto: Moto, ssm: FakeSSM, home: Path) -> None:
    # On a VM that exists: ec2_vm's own --check on a fresh account fails before this task (see the issue note).
    name = f"drift-ssm-{next(_names)}"
    ec2_play(moto, ssm, home, name)
    [before] = ssm.associations.values()
    ssm.calls.clear()
    output = ec2_play(moto, ssm, home, name, "--check", "--diff", drift_ssm_schedule="rate(2 days)")
    assert "Ensure the VM's SSM association runs smdev-drift" in output
    assert recap_changed(output) > 0, output
    assert ssm.mutations() == []
    assert list(ssm.associations.values()) == [before]


def test_the_timer_engine_makes_no_ssm_call(moto: Moto, ssm: FakeSSM, home: Path) -> None:
    ec2_play(moto, ssm, home, f"drift-ssm-{next(_names)}", drift_engine="timer")
    assert ssm.calls == []
