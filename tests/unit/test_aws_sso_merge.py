"""aws_sso merges into an existing ~/.aws/config key by key, without a container.

The role runs against this machine with a throwaway home as the workstation
user's: what the `aws` scenario proves as `dev`, checked here in seconds,
including a second run that changes nothing.
"""

from __future__ import annotations

import configparser
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLAY = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Run the aws_sso role
      ansible.builtin.include_role:
        name: smdev.workstation.aws_sso
"""
BEFORE = """\
# my own comment
[profile legacy]
region = us-east-1
credential_process = /usr/local/bin/creds

[profile acme-dev]
region = us-east-1
cli_pager =
"""
VARS = {
    "aws_sso_sessions": [{"name": "acme", "start_url": "https://acme.awsapps.com/start", "region": "eu-west-1"}],
    "aws_sso_profiles": [
        {"name": "acme-dev", "sso_session": "acme", "account_id": "012345678901", "role_name": "Dev"},
        {"name": "default", "sso_session": "acme", "account_id": "111122223333", "role_name": "Admin",
         "region": "eu-central-1", "output": "json"},
    ],
}


def converge(home: Path, extra: dict[str, object]) -> subprocess.CompletedProcess[str]:
    playbook = home.parent / "play.yml"
    playbook.write_text(PLAY)
    facts = {"workstation_user": "root", "workstation_user_group": "root", "workstation_user_home": str(home),
             "ansible_become_method": "su", "ansible_python_interpreter": sys.executable}
    env = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
           "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections")}
    return subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook), "-e", json.dumps({**facts, **extra})],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )


def changed(result: subprocess.CompletedProcess[str]) -> int:
    recap = re.search(r"localhost\s*: ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0", result.stdout)
    assert recap, result.stdout + result.stderr
    return int(recap.group(1))


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / ".aws/sso/cache").mkdir(parents=True)
    (home / ".aws/config").write_text(BEFORE)
    (home / ".aws/config").chmod(0o644)
    (home / ".aws/credentials").write_text("[legacy]\naws_access_key_id = AKIAEXAMPLE\n")
    (home / ".aws/sso/cache/token.json").write_text('{"accessToken": "x"}')
    return home


@pytest.mark.user_data
@pytest.mark.skipif(os.geteuid() != 0, reason="runs the role's become tasks with su, which needs root")
def test_merge_keeps_what_the_user_had_and_a_second_run_changes_nothing(home: Path) -> None:
    assert changed(converge(home, VARS)) > 0
    assert changed(converge(home, VARS)) == 0
    config_path = home / ".aws/config"
    text = config_path.read_text()
    assert "# my own comment" in text
    parsed = configparser.ConfigParser()
    parsed.read_string(text)
    assert parsed["profile legacy"]["credential_process"] == "/usr/local/bin/creds"
    assert parsed["profile acme-dev"]["cli_pager"] == ""
    assert dict(parsed["profile acme-dev"]) == {"region": "eu-west-1", "cli_pager": "", "sso_session": "acme",
                                                 "sso_account_id": "012345678901", "sso_role_name": "Dev"}
    assert parsed["default"]["output"] == "json"
    assert parsed["default"]["region"] == "eu-central-1"
    assert parsed["sso-session acme"]["sso_start_url"] == "https://acme.awsapps.com/start"
    assert parsed["sso-session acme"]["sso_registration_scopes"] == "sso:account:access"
    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    assert stat.S_IMODE((home / ".aws").stat().st_mode) == 0o700
    assert (home / ".aws/config.before-smdev").read_text() == BEFORE
    assert (home / ".aws/credentials").read_text() == "[legacy]\naws_access_key_id = AKIAEXAMPLE\n"
    assert (home / ".aws/sso/cache/token.json").read_text() == '{"accessToken": "x"}'


@pytest.mark.user_data
@pytest.mark.skipif(os.geteuid() != 0, reason="runs the role's become tasks with su, which needs root")
def test_a_changed_start_url_is_updated_and_the_first_backup_kept(home: Path) -> None:
    converge(home, VARS)
    moved = {**VARS, "aws_sso_sessions": [{**VARS["aws_sso_sessions"][0], "start_url": "https://new.awsapps.com/start"}]}
    assert changed(converge(home, moved)) == 1
    assert "sso_start_url = https://new.awsapps.com/start" in (home / ".aws/config").read_text()
    assert (home / ".aws/config.before-smdev").read_text() == BEFORE


@pytest.mark.skipif(os.geteuid() != 0, reason="runs the role's become tasks with su, which needs root")
def test_disabled_writes_nothing(home: Path) -> None:
    assert changed(converge(home, {**VARS, "aws_sso_enabled": False})) == 0
    assert (home / ".aws/config").read_text() == BEFORE
    assert not (home / ".aws/config.before-smdev").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="runs the role's become tasks with su, which needs root")
def test_a_home_without_aws_config_gets_one_and_a_second_run_changes_nothing(home: Path) -> None:
    """The laptop scenario's case: the second run must not back up the file this role wrote."""
    (home / ".aws/config").unlink()
    assert changed(converge(home, VARS)) > 0
    assert changed(converge(home, VARS)) == 0
    assert (home / ".aws/config.before-smdev").read_text() == ""
    assert "[profile acme-dev]" in (home / ".aws/config").read_text()


@pytest.mark.skipif(os.geteuid() != 0, reason="runs the role's become tasks with su, which needs root")
def test_nothing_to_write_leaves_no_copy_for_a_config_the_user_makes_later(home: Path) -> None:
    """The laptop default (no sessions, no profiles): no empty copy that would stand in for the user's file."""
    (home / ".aws/config").unlink()
    converge(home, {**VARS, "aws_sso_sessions": [], "aws_sso_profiles": []})
    assert not (home / ".aws/config").exists()
    assert not (home / ".aws/config.before-smdev").exists()
    (home / ".aws/config").write_text(BEFORE)
    assert changed(converge(home, VARS)) > 0
    assert (home / ".aws/config.before-smdev").read_text() == BEFORE
