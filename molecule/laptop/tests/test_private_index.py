"""A private package index that wants a password (issue 11, secrets).

The laptop scenario converges with workstation_pip_index_url pointing at the
harness's https index, token included (vars/user.yml; tests/harness/private_index.py
logs every request it gets). Everything that installs Python packages must have
gone through it, the user's own pip and Pipenv must work with it from a login
shell without asking for the password, and the password must be only in files
that dev alone (or root, for root's tools) can read: never in the Pipfile or
its lock, which users commit, in the shell files, or in the journal.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

HOME = "/home/dev"
WORKSPACE = f"{HOME}/sagemaker"
# Where the playbook may write secrets: everything but the system's own files and images.
SEARCHED = ("/home", "/root", "/etc", "/opt", "/usr/local", "/var/log", "/var/lib/smdev", "/var/tmp", "/tmp")  # noqa: S108


@pytest.fixture(scope="module")
def index() -> dict[str, Any]:
    url = os.environ.get("SMDEV_PRIVATE_INDEX_URL", "")
    assert url, "SMDEV_PRIVATE_INDEX_URL is unset: run the laptop scenario through the harness (make test)"
    return {"url": url, "password": urlsplit(url).password, "log": Path(os.environ["SMDEV_PRIVATE_INDEX_LOG"])}


def requests(index: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in index["log"].read_text().splitlines()]


def test_the_playbook_installed_through_the_private_index(index: dict[str, Any]) -> None:
    seen = {entry["path"] for entry in requests(index) if entry["authorized"]}
    # pipx for Pipenv and the SAM CLI, the IDE's tools, and Pipenv's lock of the workspace
    for project in ("pipenv", "aws-sam-cli", "debugpy", "sagemaker"):
        assert f"/simple/{project}/" in seen, f"nothing asked the private index for {project}: {sorted(seen)[:40]}"
    refused = [entry for entry in requests(index) if not entry["authorized"]]
    assert not refused, f"requests without the password (or failed handshakes): {refused[:10]}"


def test_pip_in_a_login_shell_uses_it_without_asking(index: dict[str, Any], login_shell: Callable[..., Any]) -> None:
    before = len(requests(index))
    pip = login_shell("cd $(mktemp -d) && python -m pip download --no-deps --no-cache-dir six==1.17.0 < /dev/null")
    assert pip.rc == 0, pip.stdout + pip.stderr
    assert index["password"] not in pip.stdout + pip.stderr
    assert {"path": "/simple/six/", "authorized": True} in [
        {key: entry[key] for key in ("path", "authorized")} for entry in requests(index)[before:]]


def test_pipenv_in_a_login_shell_has_the_mirror_and_the_workspace_its_source(
    index: dict[str, Any], login_shell: Callable[..., Any]
) -> None:
    mirror = login_shell('printf %s "$PIPENV_PYPI_MIRROR"')
    assert mirror.stdout == index["url"], "PIPENV_PYPI_MIRROR is not the private index in dev's login shell"
    verify = login_shell(f"cd {WORKSPACE} && pipenv verify")
    assert verify.rc == 0, verify.stdout + verify.stderr  # the lock matches the Pipfile with its ${...} source
    pipfile = login_shell(f"cat {WORKSPACE}/Pipfile").stdout
    assert 'url = "${SMDEV_PIP_INDEX_URL}"' in pipfile, pipfile
    lock = json.loads(login_shell(f"cat {WORKSPACE}/Pipfile.lock").stdout)
    assert [source["url"] for source in lock["_meta"]["sources"]] == ["${SMDEV_PIP_INDEX_URL}"]


def test_devs_own_pipenv_lock_resolves_through_it_with_the_workspaces_env(
    index: dict[str, Any], login_shell: Callable[..., Any]
) -> None:
    """What dev does for a project of their own: the workspace's .env and its kind of source, then `pipenv lock`."""
    before = len(requests(index))
    pipfile = ('[[source]]\nurl = "${SMDEV_PIP_INDEX_URL}"\nverify_ssl = true\nname = "pypi"\n\n'
               '[packages]\nsix = "==1.17.0"\n')
    project = login_shell(
        f"d=$(mktemp -d) && cp {WORKSPACE}/.env $d/ && cd $d && printf %s {shlex.quote(pipfile)} > Pipfile"
        " && pipenv lock < /dev/null > lock.out 2>&1; rc=$?"
        "; cat lock.out >&2; cat Pipfile.lock; cd / && rm -rf $d; exit $rc")
    assert project.rc == 0, project.stderr
    assert index["password"] not in project.stdout + project.stderr
    lock = json.loads(project.stdout)
    assert [source["url"] for source in lock["_meta"]["sources"]] == ["${SMDEV_PIP_INDEX_URL}"]
    assert lock["default"]["six"]["version"] == "==1.17.0"
    assert {"path": "/simple/six/", "authorized": True} in [
        {key: entry[key] for key in ("path", "authorized")} for entry in requests(index)[before:]]


def test_the_password_is_only_in_files_their_owner_alone_reads(
    index: dict[str, Any], root_shell: Callable[[str], Any]
) -> None:
    # The password goes in base64: a command line with it would land in the journal
    # (sudo and Ansible's modules log theirs) and be found there.
    password = f'"$(echo {base64.b64encode(index["password"].encode()).decode()} | base64 -d)"'
    found = root_shell(f"grep -rlsF --null -e {password} {' '.join(SEARCHED)} | xargs -0 -r stat -c '%U %G %a %n'")
    files = {line.split(" ", 3)[3]: line.split(" ", 3)[:3] for line in found.stdout.splitlines()}
    for expected in (f"{HOME}/.config/pip/pip.conf", f"{WORKSPACE}/.env", f"{HOME}/.config/smdev/pypi-mirror.sh",
                     "/etc/smdev/drift-vars.yml"):
        assert expected in files, f"{expected} does not hold the index URL: {files}"
    for path, (user, group, mode) in files.items():
        private = int(mode, 8) & 0o077 == 0 and user in ("dev", "root")
        # drift's copy of the variables: root's, for the timer, and readable by dev's own group
        dev_group = user == "root" and group == "dev" and int(mode, 8) & 0o037 == 0
        assert private or dev_group, f"{path} ({user}:{group} {mode}) holds the index password"
    # (a token_urlsafe password: no sed metacharacters)
    journal = root_shell(f"P={password}; journalctl --no-pager -q -o short | grep -F -e \"$P\" | sed \"s/$P/***/g\"")
    assert journal.stdout == "", f"the journal holds the index password:\n{journal.stdout[-3000:]}"
