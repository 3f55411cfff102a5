"""Bad input on a converged machine: the playbook stops in validation and nothing on disk changes.

The unit tests (tests/unit/test_bad_input*.py) try hundreds of bad inputs in
check mode on the test host. This runs a sample of them for real, on the
converged laptop, with the playbook and Ansible the drift timer uses, and
compares a snapshot of /etc and dev's home taken before and after: every
file's path, mode, owner, size and modification time, and the content of
every file under /etc and of dev's dotfiles (~/.bashrc, ~/.aws/config, ...).

All cases run in one playbook run: one inventory host per case, each the
local machine with the last run's variables (drift-vars.yml) plus its bad one.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

import pytest

PASSWORD = "dev"  # noqa: S105 - the throwaway container account's sudo password
DRIFT_ROOT = "/opt/smdev"
PLAYBOOK = f"{DRIFT_ROOT}/collections/ansible_collections/smdev/workstation/playbooks/laptop.yml"
SESSION = {"name": "acme", "start_url": "https://acme.awsapps.com/start", "region": "eu-west-1"}
PROFILE = {"name": "acme-dev", "sso_session": "acme", "account_id": "012345678901", "role_name": "Dev"}

# (bad input, the variable its message must name): every role's validation, once or more.
CASES: list[tuple[dict[str, Any], str]] = [
    ({"workstation_user": "Alice Smith"}, "workstation_user"),
    ({"workstation_mirror_url": "ftp://mirror.example.com"}, "workstation_mirror_url"),
    ({"workstation_proxy": {"http": "proxy:3128"}}, "workstation_proxy.http"),
    ({"workstation_pip_index_url": "pypi.org/simple"}, "workstation_pip_index_url"),
    ({"pyenv_python_versions": ["3.12"]}, "pyenv_python_versions"),
    ({"docker_source": "snap"}, "docker_source"),
    ({"aws_cli_version": "latest"}, "aws_cli_version"),
    ({"aws_sso_sessions": [SESSION], "aws_sso_profiles": [{**PROFILE, "account_id": "1234-5678-9012"}]},
     "aws_sso_profiles[0]"),
    ({"aws_sso_sessions": [{**SESSION, "region": "eu-west-9"}], "aws_sso_profiles": [PROFILE]},
     "aws_sso_sessions[0]"),
    ({"ide_vscode_extensions": [{"id": "python"}]}, "ide_vscode_extensions[0].id"),
    ({"drift_schedule": "25:00"}, "drift_schedule"),
]

# What a run could touch, as (path, mode, owner, size, mtime) per entry; contents for the small files users edit.
SNAPSHOT = (
    "find /etc /home/dev -xdev -printf '%p %m %u:%g %s %T@\\n' | sort; "
    "find /etc /home/dev -xdev -type f -size -1024k \\( -path '/etc/*' -o -regex '/home/dev/[^/]*' "
    "-o -path '/home/dev/.aws/*' -o -path '/home/dev/.ssh/*' -o -path '/home/dev/.config/*' \\) -print0 "
    "| sort -z | xargs -0 sha256sum"
)


def as_root(host: Any, command: str) -> Any:
    return host.run(f"echo {PASSWORD} | sudo -S -p '' bash -c {shlex.quote(command)}")


def snapshot(host: Any) -> list[str]:
    result = as_root(host, SNAPSHOT)
    assert result.rc == 0, result.stderr
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def bad_input_run(host: Any) -> tuple[dict[str, Any], list[str], list[str]]:
    """Run every case at once; return the JSON report, and the snapshot before and after."""
    # The last run's variables (which may hold a private index's password) go in as the
    # group's, copied on the machine: a command line holding them would land in the
    # journal through sudo's log (test_private_index.py looks there). Each case's host
    # variables override them.
    inventory = {"laptop": {"hosts": {
        f"case{index}": {**case, "ansible_connection": "local",
                         "ansible_python_interpreter": f"{DRIFT_ROOT}/venv/bin/python"}
        for index, (case, _) in enumerate(CASES)}}}
    before = snapshot(host)
    command = (
        "inventory=$(mktemp -d) && mkdir $inventory/group_vars && "
        "cp /etc/smdev/drift-vars.yml $inventory/group_vars/laptop.yml && "
        f"echo {shlex.quote(json.dumps(inventory))} > $inventory/hosts.json && "
        "cd / && ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_NOCOLOR=1 "
        f"ANSIBLE_COLLECTIONS_PATH={DRIFT_ROOT}/collections {DRIFT_ROOT}/venv/bin/ansible-playbook "
        f"-i $inventory/hosts.json --forks 4 {PLAYBOOK}; rc=$?; rm -rf $inventory; exit $rc"
    )
    run = as_root(host, command)
    after = snapshot(host)
    assert run.rc != 0, "the playbook run with bad input did not fail"
    return json.loads(run.stdout[run.stdout.index("{"):]), before, after


@pytest.mark.bad_input
@pytest.mark.parametrize(("case", "variable"), CASES, ids=[variable for _, variable in CASES])
def test_bad_input_stops_in_validation_naming_the_variable(
    bad_input_run: tuple[dict[str, Any], list[str], list[str]], case: dict[str, Any], variable: str
) -> None:
    report, _, _ = bad_input_run
    host = f"case{CASES.index((case, variable))}"
    failed = [(task["task"]["name"], task["hosts"][host]) for play in report["plays"] for task in play["tasks"]
              if task["hosts"].get(host, {}).get("failed")]
    assert len(failed) == 1, f"{host} ({case}) failed in {len(failed)} tasks: {failed}"
    [(task, result)] = failed
    message = json.dumps(result)
    assert "alidate" in task, f"{host} failed outside validation, in {task!r}: {message}"
    assert variable in message, f"the message does not name {variable}: {message}"
    stats = report["stats"][host]
    assert stats["changed"] == 0, f"{host} changed {stats['changed']}"


def test_nothing_on_disk_changed(bad_input_run: tuple[dict[str, Any], list[str], list[str]]) -> None:
    _, before, after = bad_input_run
    assert len(before) > 1000, "the snapshot missed the converged machine's files"
    assert any(line.endswith("  /home/dev/.bashrc") for line in before), "the snapshot hashed no dotfile"
    changed = sorted(set(before) ^ set(after))
    assert not changed, "bad input changed files:\n" + "\n".join(changed[:40])
