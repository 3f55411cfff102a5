"""The user's own files survive the playbook and its drift runs (issue 11, user data).

files/user-files.sh gave dev these before the first run (the scenario's
prepare, and the harness's newcomer run). The files the playbook merges into
keep every line and key of dev's; the ones it rewrites keep a copy of what dev
had; the ones it has no business with are untouched. On Debian 12 the drift
tests (test_drift.py, which sorts first) have run the whole playbook four
times more by now.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

HOME = "/home/dev"
PASSWORD = "dev"  # noqa: S105 - the throwaway container account's sudo password
pytestmark = pytest.mark.user_data


def content(host: Any, path: str) -> str:
    file = host.file(path)
    assert file.exists, f"{path} is gone"
    return file.content_string


def test_shell_rc_files_keep_devs_lines_beside_the_managed_blocks(host: Any) -> None:
    bashrc = content(host, f"{HOME}/.bashrc")
    assert "# dev own bashrc line\nexport DEV_OWN_BASHRC=1\n" in bashrc
    assert "# BEGIN smdev.workstation pyenv" in bashrc
    zshrc = content(host, f"{HOME}/.zshrc")
    assert zshrc.startswith("# dev own zshrc\nexport DEV_OWN_ZSHRC=1\n"), zshrc


def test_aws_config_keeps_devs_profiles_and_comment_and_a_copy_of_the_original(host: Any) -> None:
    config = content(host, f"{HOME}/.aws/config")
    assert "# dev's own comment, above their own profiles" in config
    assert re.search(r"\[default\]\nregion = eu-central-1\noutput = json\n", config), config
    assert "credential_process = /usr/local/bin/get-legacy-creds" in config
    # and the profiles the run configures (the laptop scenario's vars/user.yml; the newcomer's none) beside them
    configured = yaml.safe_load(content(host, "/etc/smdev/drift-vars.yml")).get("aws_sso_profiles", [])
    for profile in configured:
        assert f"[profile {profile['name']}]" in config
    backup = host.file(f"{HOME}/.aws/config.before-smdev")
    assert (backup.user, backup.mode) == ("dev", 0o600)
    assert "[profile legacy-keys]" in backup.content_string


def test_files_the_playbook_has_no_business_with_are_untouched(host: Any) -> None:
    credentials = host.file(f"{HOME}/.aws/credentials")
    assert (credentials.user, credentials.mode) == ("dev", 0o600)
    assert "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" in credentials.content_string
    ssh = host.file(f"{HOME}/.ssh/config")
    assert (ssh.user, ssh.mode) == ("dev", 0o600)
    assert ssh.content_string.startswith("# dev's own hosts\nHost bastion\n    HostName bastion.example.com\n")


def test_vscode_settings_keep_devs_keys_and_comments_with_a_copy_of_the_original(host: Any) -> None:
    path = f"{HOME}/.config/Code/User/settings.json"
    settings = content(host, path)
    assert "// dev's own comment" in settings
    assert '"editor.fontSize": 15, // dev\'s font size' in settings
    assert '"workbench.colorTheme": "Solarized Dark"' in settings
    assert '"python.defaultInterpreterPath"' in settings  # the managed keys beside them
    assert '"editor.fontSize": 15' in content(host, f"{path}.smdev-backup")


def test_daemon_json_keeps_devs_keys_the_daemon_runs_with_them_and_the_original_is_kept(host: Any) -> None:
    daemon = json.loads(content(host, "/etc/docker/daemon.json"))
    assert daemon["labels"] == ["owner=dev"]
    assert daemon["max-concurrent-downloads"] == 4  # managed (tests/offline-vars.yml)
    labels = host.run("bash -lc \"docker info --format '{{json .Labels}}'\"")
    assert labels.rc == 0, labels.stderr
    assert "owner=dev" in labels.stdout
    backups = host.run(f"echo {PASSWORD} | sudo -S -p '' sh -c 'cat /etc/docker/daemon.json.*~'")
    assert backups.rc == 0, "no copy of the daemon.json dev had"
    assert '"labels": ["owner=dev"]' in backups.stdout
