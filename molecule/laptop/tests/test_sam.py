"""The SAM CLI, as `dev` uses it: version, and validate/build of a Python function offline."""

from __future__ import annotations

import shlex
from typing import Any

import pytest

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: {runtime}
      CodeUri: hello/
"""
HANDLER = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'hello'}\n"
ENV = "export SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=eu-west-1; "


@pytest.fixture
def project(login_shell: Any) -> str:
    """A small SAM app in dev's home, for the Python the machine has."""
    runtime = login_shell("python3 -c 'import sys; print(f\"python3.{sys.version_info[1]}\")'").stdout.strip()
    directory = "/home/dev/sam-app"
    script = (
        f"rm -rf {directory} && mkdir -p {directory}/hello && cd {directory} && "
        f"printf %s {shlex.quote(TEMPLATE.format(runtime=runtime))} > template.yaml && "
        f"printf %s {shlex.quote(HANDLER)} > hello/app.py && : > hello/requirements.txt"
    )
    assert login_shell(script).rc == 0
    return directory


def test_sam_version_for_dev(login_shell: Any) -> None:
    result = login_shell(ENV + "sam --version")
    assert result.rc == 0, result.stderr
    assert result.stdout.strip() == "SAM CLI, version 1.170.0"


def test_sam_is_isolated_in_its_own_pipx_environment(as_user: Any) -> None:
    assert as_user.file("/home/dev/.local/share/pipx/venvs/aws-sam-cli").is_directory
    assert as_user.file("/home/dev/.local/bin/sam").user == "dev"


def test_sam_validate_offline(login_shell: Any, project: str) -> None:
    result = login_shell(f"{ENV}cd {project} && sam validate")
    assert result.rc == 0, result.stdout + result.stderr
    assert "is a valid SAM Template" in result.stdout + result.stderr


def test_sam_build_offline(login_shell: Any, project: str) -> None:
    result = login_shell(f"{ENV}cd {project} && sam build")
    assert result.rc == 0, result.stdout + result.stderr
    assert login_shell(f"test -f {project}/.aws-sam/build/Hello/app.py").rc == 0
