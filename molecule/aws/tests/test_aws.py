"""AWS CLI, session-manager-plugin and SSO profiles, as `dev` sees them."""

from __future__ import annotations

import json
from typing import Any

import pytest

CONFIG = "/home/dev/.aws/config"
BOTOCORE_SCRIPT = r"""
import json, botocore.session
out = {}
for name in ("acme-dev", "acme-prod", "default", "legacy"):
    session = botocore.session.Session(profile=name)
    scoped = session.get_scoped_config()
    out[name] = {"region": session.get_config_variable("region"), **scoped}
out["sso_sessions"] = botocore.session.Session().full_config.get("sso_sessions", {})
print(json.dumps(out))
"""


def real_cli(login_shell: Any) -> bool:
    """Debian 12 has the real CLI from its archive; Ubuntu 24.04 only the signed fixture."""
    version = login_shell("aws --version").stdout
    return "smdev-fixture" not in version


def test_aws_cli_v2_runs_for_dev(login_shell: Any) -> None:
    result = login_shell("aws --version")
    assert result.rc == 0, result.stderr
    assert result.stdout.startswith("aws-cli/2.")


def test_real_cli_lists_the_profiles(login_shell: Any) -> None:
    if not real_cli(login_shell):
        pytest.skip("no AWS CLI v2 package on Ubuntu 24.04 and AWS's site is unreachable: botocore checks below")
    result = login_shell("aws configure list-profiles")
    assert result.rc == 0, result.stderr
    assert set(result.stdout.split()) == {"legacy", "acme-dev", "acme-prod", "default"}


@pytest.mark.parametrize(
    ("profile", "key", "value"),
    [
        ("acme-dev", "sso_session", "acme"),
        ("acme-dev", "sso_account_id", "012345678901"),
        ("acme-dev", "sso_role_name", "DeveloperAccess"),
        ("acme-dev", "region", "eu-west-1"),
        ("acme-prod", "region", "eu-central-1"),
        ("acme-prod", "output", "table"),
        ("default", "sso_session", "lab"),
        ("legacy", "credential_process", "/usr/local/bin/legacy-creds"),
    ],
)
def test_real_cli_reads_each_key(login_shell: Any, profile: str, key: str, value: str) -> None:
    if not real_cli(login_shell):
        pytest.skip("no AWS CLI v2 package on Ubuntu 24.04: botocore checks below")
    result = login_shell(f"aws configure get {key} --profile {profile}")
    assert result.stdout.strip() == value, result.stderr


def test_botocore_resolves_the_sso_profiles(login_shell: Any) -> None:
    result = login_shell(f"python3 -c '{BOTOCORE_SCRIPT}'")
    assert result.rc == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["acme-dev"]["region"] == "eu-west-1"
    assert config["acme-dev"]["sso_session"] == "acme"
    assert config["acme-dev"]["sso_account_id"] == "012345678901"
    assert config["acme-prod"]["region"] == "eu-central-1"
    assert config["default"]["sso_role_name"] == "Admin"
    assert config["legacy"]["credential_process"] == "/usr/local/bin/legacy-creds"
    sessions = config["sso_sessions"]
    assert sessions["acme"]["sso_start_url"] == "https://acme.awsapps.com/start"
    assert sessions["acme"]["sso_region"] == "eu-west-1"
    assert sessions["lab"]["sso_registration_scopes"] == "sso:account:access"


@pytest.mark.user_data
def test_config_is_merged_not_replaced(as_user: Any) -> None:
    config = as_user.file(CONFIG)
    assert (config.user, config.group, config.mode) == ("dev", "dev", 0o600)
    content = config.content_string
    assert "# dev's own comment" in content
    assert "credential_process = /usr/local/bin/legacy-creds" in content
    assert "cli_pager =" in content
    assert content.count("[profile acme-dev]") == 1
    assert "[sso-session acme]" in content
    assert "[default]" in content


def test_aws_dir_is_private(as_user: Any) -> None:
    aws_dir = as_user.file("/home/dev/.aws")
    assert (aws_dir.user, aws_dir.mode) == ("dev", 0o700)


@pytest.mark.user_data
def test_backup_holds_the_config_from_before(as_user: Any) -> None:
    backup = as_user.file("/home/dev/.aws/config.before-smdev")
    assert (backup.user, backup.mode) == ("dev", 0o600)
    assert "sso_session" not in backup.content_string
    assert "[profile legacy]" in backup.content_string


@pytest.mark.user_data
def test_credentials_and_sso_cache_are_untouched(as_user: Any) -> None:
    credentials = as_user.file("/home/dev/.aws/credentials")
    assert credentials.content_string.startswith("[legacy]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n")
    assert credentials.mode == 0o600
    cached = as_user.file("/home/dev/.aws/sso/cache/0123456789abcdef.json")
    assert json.loads(cached.content_string)["expiresAt"] == "2030-01-01T00:00:00Z"


def test_session_manager_plugin_runs_for_dev(login_shell: Any) -> None:
    result = login_shell("session-manager-plugin --version")
    assert result.rc == 0, result.stderr
    assert result.stdout.strip() == "1.2.999.0"


def test_sam_cli_from_the_signed_zip_runs_for_dev(login_shell: Any, host: Any) -> None:
    """The official path: the fixture zip, its signer certified by the fixture primary key."""
    result = login_shell("command -v sam && sam --version")
    assert result.rc == 0, result.stderr
    assert result.stdout.split() == ["/usr/local/bin/sam", "SAM", "CLI,", "version", "1.999.0"]
    assert host.file("/usr/local/bin/sam").linked_to.startswith("/usr/local/aws-sam-cli/1.999.0/")
    verified = host.file("/var/cache/smdev/aws-sam-cli/aws-sam-cli-1.999.0.zip")
    assert (verified.user, verified.group, verified.mode) == ("root", "root", 0o644)


@pytest.mark.fault
def test_refused_releases_left_no_trace_and_the_upgrade_switched(as_user: Any) -> None:
    """side_effect: tampered zip, other key, expired keys and a broken build were each refused
    (each time 2.99.0 kept working); then 2.99.5 was installed beside 2.99.0 and switched to."""
    assert as_user.run("/opt/aws-cli-fixture/bin/aws --version").stdout.startswith("aws-cli/2.99.5 ")
    assert sorted(as_user.file("/opt/aws-cli-fixture").listdir()) == ["2.99.0", "2.99.5", "bin"]
    previous = as_user.run("/opt/aws-cli-fixture/2.99.0/bin/aws --version")
    assert previous.stdout.startswith("aws-cli/2.99.0 ")


@pytest.mark.parametrize("cache", ["/var/cache/smdev/aws-cli", "/var/cache/smdev/aws-sam-cli"])
def test_no_installer_leftovers(host: Any, cache: str) -> None:
    """verified_download's partial files and the unpacked installers are gone."""
    leftovers = [name for name in host.file(cache).listdir() if name.startswith(".") or name.startswith("extract-")]
    assert leftovers == []
