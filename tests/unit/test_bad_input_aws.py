"""Bad input to aws_cli, sam_cli and aws_sso fails the playbook before anything changes, naming the variable."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_bad_input import (
    ROOT,
    CaseResult,
    assert_stopped_in_validation,
    laptop_check_table,
    run_laptop_check,
)

SESSION = {"name": "acme", "start_url": "https://acme.awsapps.com/start", "region": "eu-west-1"}
PROFILE = {"name": "acme-dev", "sso_session": "acme", "account_id": "012345678901", "role_name": "Dev"}


def sso(sessions: list[dict[str, Any]] | None = None, profiles: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"aws_sso_sessions": [SESSION] if sessions is None else sessions,
            "aws_sso_profiles": [PROFILE] if profiles is None else profiles}


SAM_OFFICIAL = {"sam_cli_install_method": "official", "sam_cli_official_sha256": "a" * 64}

BAD_INPUTS: list[tuple[str, dict[str, Any], str]] = [
    # aws_sso: sessions
    ("http start URL", sso([{**SESSION, "start_url": "http://acme.awsapps.com/start"}]), "aws_sso_sessions[0]"),
    ("start URL without scheme", sso([{**SESSION, "start_url": "acme.awsapps.com/start"}]), "aws_sso_sessions[0]"),
    ("start URL with a space", sso([{**SESSION, "start_url": "https://acme awsapps.com"}]), "aws_sso_sessions[0]"),
    ("unknown region", sso([{**SESSION, "region": "eu-west-9"}]), "aws_sso_sessions[0]"),
    ("region in capitals", sso([{**SESSION, "region": "EU-WEST-1"}]), "aws_sso_sessions[0]"),
    ("availability zone for a region", sso([{**SESSION, "region": "eu-west-1a"}]), "aws_sso_sessions[0]"),
    ("session name with a bracket", sso([{**SESSION, "name": "acme]"}], []), "aws_sso_sessions[0]"),
    ("session name with a space", sso([{**SESSION, "name": "acme corp"}], []), "aws_sso_sessions[0]"),
    ("session without start_url", sso([{"name": "acme", "region": "eu-west-1"}], []), "start_url"),
    ("sessions not a list", {"aws_sso_sessions": "acme"}, "aws_sso_sessions"),
    ("duplicate session names", sso([SESSION, SESSION], []), "aws_sso_sessions names must be unique"),
    ("bad registration scope", sso([{**SESSION, "registration_scopes": ["sso account"]}], []), "aws_sso_sessions[0]"),
    # aws_sso: profiles
    ("profile to a missing session", sso(profiles=[{**PROFILE, "sso_session": "acmee"}]), "aws_sso_profiles[0]"),
    ("profile with no sessions at all", sso([], [PROFILE]), "aws_sso_profiles[0]"),
    ("11-digit account", sso(profiles=[{**PROFILE, "account_id": "12345678901"}]), "aws_sso_profiles[0]"),
    ("13-digit account", sso(profiles=[{**PROFILE, "account_id": "1234567890123"}]), "aws_sso_profiles[0]"),
    ("account as a number", sso(profiles=[{**PROFILE, "account_id": 123456789012}]), "aws_sso_profiles[0]"),
    ("account with dashes", sso(profiles=[{**PROFILE, "account_id": "1234-5678-9012"}]), "aws_sso_profiles[0]"),
    ("role name with a space", sso(profiles=[{**PROFILE, "role_name": "Dev Access"}]), "aws_sso_profiles[0]"),
    ("role name with a slash", sso(profiles=[{**PROFILE, "role_name": "team/Dev"}]), "aws_sso_profiles[0]"),
    ("role name too long", sso(profiles=[{**PROFILE, "role_name": "R" * 65}]), "aws_sso_profiles[0]"),
    ("profile region unknown", sso(profiles=[{**PROFILE, "region": "moon-1"}]), "aws_sso_profiles[0]"),
    ("duplicate profile names", sso(profiles=[PROFILE, {**PROFILE, "role_name": "Admin"}]),
     "aws_sso_profiles names must be unique"),
    ("profile output format unknown", sso(profiles=[{**PROFILE, "output": "xml"}]), "output"),
    ("profile without account", sso(profiles=[{k: v for k, v in PROFILE.items() if k != "account_id"}]), "account_id"),
    ("profile name with a bracket", sso(profiles=[{**PROFILE, "name": "[x"}]), "aws_sso_profiles[0]"),
    ("enabled not a boolean", {"aws_sso_enabled": "sometimes"}, "aws_sso_enabled"),
    ("extra region not a region", {"aws_sso_extra_regions": ["mars"]}, "aws_sso_extra_regions[0]"),
    # aws_cli
    ("unknown install method", {"aws_cli_install_method": "snap"}, "aws_cli_install_method"),
    ("install method pip", {"aws_cli_install_method": "pip"}, "aws_cli_install_method"),
    ("version latest", {"aws_cli_version": "latest"}, "aws_cli_version"),
    ("version with a v", {"aws_cli_version": "v2.36.11"}, "aws_cli_version"),
    ("version with two parts", {"aws_cli_version": "2.36"}, "aws_cli_version"),
    ("version with a suffix", {"aws_cli_version": "2.36.11; rm -rf /"}, "aws_cli_version"),
    ("sha256 too short", {"aws_cli_sha256": "abc123"}, "aws_cli_sha256"),
    ("sha256 not hex", {"aws_cli_sha256": "z" * 64}, "aws_cli_sha256"),
    ("fingerprint short", {"aws_cli_gpg_fingerprint": "4672475C"}, "aws_cli_gpg_fingerprint"),
    ("install root relative", {"aws_cli_install_root": "aws-cli"}, "aws_cli_install_root"),
    ("bin dir is the root", {"aws_cli_bin_dir": "/"}, "aws_cli_bin_dir"),
    ("plugin version not a version", {"aws_cli_session_manager_plugin_version": "1.2"},
     "aws_cli_session_manager_plugin_version"),
    ("plugin sha256 bad", {"aws_cli_session_manager_plugin_sha256": "0" * 63},
     "aws_cli_session_manager_plugin_sha256"),
    ("plugin switch not a boolean", {"aws_cli_session_manager_plugin": "maybe"}, "aws_cli_session_manager_plugin"),
    # sam_cli
    ("sam version latest", {"sam_cli_version": "latest"}, "sam_cli_version"),
    ("sam version as a number", {"sam_cli_version": 1.17}, "sam_cli_version"),
    ("sam version with an operator", {"sam_cli_version": ">=1.170.0"}, "sam_cli_version"),
    ("sam version with a suffix", {"sam_cli_version": "1.170.0 --index-url http://evil"}, "sam_cli_version"),
    ("sam pipx relative", {"sam_cli_pipx": "bin/pipx"}, "sam_cli_pipx"),
    ("sam pipx a list", {"sam_cli_pipx": ["/usr/bin/pipx"]}, "sam_cli_pipx"),
    ("sam unknown install method", {"sam_cli_install_method": "brew"}, "sam_cli_install_method"),
    ("sam official without a sha256", {"sam_cli_install_method": "official"}, "sam_cli_official_sha256"),
    ("sam official sha256 not hex", {**SAM_OFFICIAL, "sam_cli_official_sha256": "g" * 64}, "sam_cli_official_sha256"),
    ("sam official URL ftp", {**SAM_OFFICIAL, "sam_cli_official_url": "ftp://example.org/sam.zip"},
     "sam_cli_official_url"),
    ("sam official URL without host", {**SAM_OFFICIAL, "sam_cli_official_url": "https:///sam.zip"},
     "sam_cli_official_url"),
    ("sam primary fingerprint short", {**SAM_OFFICIAL, "sam_cli_gpg_primary_fingerprint": "73AD885A"},
     "sam_cli_gpg_primary_fingerprint"),
    ("sam signer fingerprint not hex", {**SAM_OFFICIAL, "sam_cli_gpg_signer_fingerprint": "X" * 40},
     "sam_cli_gpg_signer_fingerprint"),
    ("sam install root relative", {**SAM_OFFICIAL, "sam_cli_install_root": "aws-sam-cli"}, "sam_cli_install_root"),
    ("sam bin dir with a space", {**SAM_OFFICIAL, "sam_cli_bin_dir": "/usr/local/my bin"}, "sam_cli_bin_dir"),
]


@pytest.fixture(scope="module")
def bad_input_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseResult]:
    """The whole table in one run of the playbook (laptop_check_table)."""
    return laptop_check_table(tmp_path_factory, [extra_vars for _, extra_vars, _ in BAD_INPUTS])


@pytest.mark.bad_input
@pytest.mark.parametrize(("extra_vars", "variable"), [(v, n) for _, v, n in BAD_INPUTS],
                         ids=[case for case, _, _ in BAD_INPUTS])
def test_bad_aws_input_fails_before_any_change(
    bad_input_results: dict[str, CaseResult], extra_vars: dict[str, Any], variable: str
) -> None:
    assert_stopped_in_validation(extra_vars, variable, bad_input_results)


def test_good_aws_input_passes_validation() -> None:
    """The negative cases mean something only if valid input gets past validation."""
    result = run_laptop_check({**sso(profiles=[PROFILE, {**PROFILE, "name": "default", "region": "us-east-1",
                                                         "output": "json"}]),
                               "aws_sso_extra_regions": ["xx-east-1"], "workstation_user": "root",
                               **SAM_OFFICIAL, "sam_cli_version": "1.170.0"})
    output = result.stdout + result.stderr
    assert "Invalid input" not in output, output
    assert "common : Find out who runs the play" in output, output


SSO_PLAY = """\
- hosts: localhost
  become: false
  gather_subset: [min]
  roles:
    - smdev.workstation.common
    - smdev.workstation.aws_sso
"""


def test_sso_is_off_by_default_on_the_ec2_profile(tmp_path: Any) -> None:
    """The ec2 profile relies on the instance profile: aws_sso_enabled defaults to false there.

    common + aws_sso alone, in check mode: the whole laptop play would first
    reach roles (docker) whose check mode needs a service manager this host lacks.
    """
    playbook = tmp_path / "sso.yml"
    playbook.write_text(SSO_PLAY)
    env = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections")}
    extra = {**sso(), "workstation_profile": "ec2", "workstation_user": "root"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook), "--check", "-e", json.dumps(extra)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    output = result.stdout + result.stderr
    assert "Invalid input" not in output, output
    assert re.search(r"aws_sso : Merge the SSO sessions.*\n.*skipping", output), json.dumps(output[-3000:])
