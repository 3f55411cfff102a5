"""Bad input fails the playbook before anything changes, naming the variable.

Runs playbooks/laptop.yml in check mode against this machine: the pre_tasks
validation must stop the play before any role task runs. A table's cases run
together, one inventory host per case (laptop_check_batch), in one run.
"""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

BAD_INPUTS: list[tuple[dict[str, Any], str]] = [
    ({"workstation_profile": "desktop"}, "workstation_profile"),
    ({"workstation_profile": 3}, "workstation_profile"),
    ({"workstation_user": "Alice Smith"}, "workstation_user"),
    ({"workstation_user": "-rf"}, "workstation_user"),
    ({"workstation_user": ["dev"]}, "workstation_user"),
    ({"workstation_mirror_url": "mirror.example.com/smdev"}, "workstation_mirror_url"),
    ({"workstation_mirror_url": "ftp://mirror.example.com"}, "workstation_mirror_url"),
    ({"workstation_mirror_url": "https://"}, "workstation_mirror_url"),
    ({"workstation_mirror_url": "https://mirror example.com"}, "workstation_mirror_url"),
    ({"workstation_mirror_url": {"url": "https://m.example"}}, "workstation_mirror_url"),
    ({"workstation_pip_index_url": "pypi.org/simple"}, "workstation_pip_index_url"),
    ({"workstation_pip_index_url": "file:///srv/pypi"}, "workstation_pip_index_url"),
    ({"workstation_proxy": "http://proxy:3128"}, "workstation_proxy"),
    ({"workstation_proxy": {"http": "proxy:3128"}}, "workstation_proxy.http"),
    ({"workstation_proxy": {"https": "socks://proxy:1080"}}, "workstation_proxy.https"),
    ({"workstation_proxy": {"htp": "http://proxy:3128"}}, "htp"),
    ({"workstation_proxy": {"no_proxy": {"localhost": True}}}, "no_proxy"),
    ({"common_extra_packages": {"vim": "latest"}}, "common_extra_packages"),
    ({"workstation_user": "dev; rm -rf ~"}, "workstation_user"),
    ({"workstation_ca_certificates": ["/etc/ssl/corp-ca.crt"]}, "workstation_ca_certificates[0]"),
    ({"workstation_ca_certificates": "-----BEGIN CERTIFICATE-----"}, "workstation_ca_certificates"),
    ({"common_apt_cache_valid_time": "an hour"}, "common_apt_cache_valid_time"),
    ({"common_apt_cache_valid_time": -5}, "common_apt_cache_valid_time"),
]


def ansible_env() -> dict[str, str]:
    return {
        **os.environ,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections"),
    }


def run_laptop_check(extra_vars: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "ansible-playbook"), "playbooks/laptop.yml", "--check",
            "-e", json.dumps({**extra_vars, "ansible_become": False}),
        ],
        cwd=ROOT, env=ansible_env(), capture_output=True, text=True, timeout=300, check=False,
    )


# Batching: one ansible-playbook run checks a whole table, one inventory host per
# case with the case's variables as host vars, instead of one run per case.
LAPTOP_PLAYBOOK = ROOT / "playbooks" / "laptop.yml"
# Every case host connects the way the default inventory's localhost does.
CASE_HOST = {
    **yaml.safe_load((ROOT / "inventory" / "localhost.yml").read_text())["laptop"]["hosts"]["localhost"],
    "ansible_become": False,
}
MAX_FORKS = 50
TRACE_TASKS = 25  # the tasks shown before a failure


@dataclasses.dataclass(frozen=True)
class CaseResult:
    """How one case's host fared: its first failed task, that task's message, its recap."""

    failed_task: str | None
    message: str
    changed: int | None
    detail: str = dataclasses.field(repr=False)  # what to show when an assertion fails


def case_key(extra_vars: dict[str, Any]) -> str:
    return json.dumps(extra_vars, sort_keys=True)


def _roles_of(play: dict[str, Any]) -> list[str]:
    """The roles a play runs: its roles: and the include_role/import_role of its tasks (a templated name: the loop)."""
    roles = [entry["role"] if isinstance(entry, dict) else entry for entry in play.get("roles", [])]
    for task in play.get("pre_tasks", []) + play.get("tasks", []) + play.get("post_tasks", []):
        for action in ("include_role", "import_role"):
            spec = task.get(f"ansible.builtin.{action}") or task.get(action)
            if spec and "{{" in spec["name"]:
                loop = task.get("loop", [])
                # A loop over a play var: the validation loop's __workstation_validated_roles.
                roles += play["vars"][loop.strip("{} ")] if isinstance(loop, str) else loop
            elif spec:
                roles.append(spec["name"])
    return roles


@functools.cache
def vars_above_host_vars() -> frozenset[str]:
    """Variables the laptop play sets at a precedence above inventory host vars.

    A case that sets one of them must go in with -e (extra vars beat them all), not
    as a host var, or the play's own value would silently win. Read from the playbook:
    the laptop play's vars:, and the vars/main.yml of the collection's roles it uses.
    """
    names: set[str] = set()
    for play in yaml.safe_load(LAPTOP_PLAYBOOK.read_text()):
        if "vars_files" in play or "vars_prompt" in play:
            raise NotImplementedError(f"{LAPTOP_PLAYBOOK}: read vars_files/vars_prompt here before batching cases")
        names.update(play.get("vars") or {})
        for role in _roles_of(play):
            role_vars = ROOT / "roles" / role.removeprefix("smdev.workstation.") / "vars" / "main.yml"
            if role_vars.exists():
                names.update(yaml.safe_load(role_vars.read_text()) or {})
    return frozenset(names)


def _case_result(report: dict[str, Any], host: str, extra_vars: dict[str, Any]) -> CaseResult:
    """Read one host's fate from the ansible.posix.json report."""
    trace: list[str] = []
    failed_task, failure, messages = None, None, []
    for play in report["plays"]:
        for task in play["tasks"]:
            result = task["hosts"].get(host)
            if result is None:
                continue
            name = task["task"]["name"]
            if result.get("failed") or result.get("unreachable"):
                failed_task, failure = name, result
                messages = [str(result.get("msg", ""))] + [
                    str(item.get("msg", "")) for item in result.get("results", []) if item.get("failed")
                ]
                trace.append(f"FAILED  {name}")
                break
            status = "skipped" if result.get("skipped") else "changed" if result.get("changed") else "ok"
            trace.append(f"{status:8}{name}")
        if failure is not None:
            break
    stats = report["stats"].get(host)
    changed = stats["changed"] if stats else None
    if len(trace) > TRACE_TASKS:
        trace = [f"... {len(trace) - TRACE_TASKS} tasks before", *trace[-TRACE_TASKS:]]
    detail = (
        f"case {case_key(extra_vars)} (host {host}):\n  " + "\n  ".join(trace)
        + f"\nfailed result: {json.dumps(failure, indent=2, default=str)}\nrecap: {json.dumps(stats)}"
    )
    return CaseResult(failed_task, "\n".join(messages), changed, detail)


def _run_json(argv: list[str]) -> dict[str, Any]:
    env = {**ansible_env(), "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json", "ANSIBLE_JSON_INDENT": "0"}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-playbook"), str(LAPTOP_PLAYBOOK), "--check", *argv],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )
    try:
        return json.loads(result.stdout[result.stdout.index("{"):])
    except ValueError as error:
        raise RuntimeError(
            f"ansible-playbook gave no JSON report (rc={result.returncode}):\n{result.stdout}\n{result.stderr}"
        ) from error


def laptop_check_batch(cases: list[dict[str, Any]]) -> dict[str, CaseResult]:
    """Run playbooks/laptop.yml in check mode for every case; results by case_key.

    One run for all cases that only set host-level variables: a temporary YAML
    inventory holds one local host per case in the group laptop. A case that sets
    a variable the play sets above host vars runs alone with -e, as before.
    """
    unique = {case_key(case): case for case in cases}
    alone = {key: case for key, case in unique.items() if vars_above_host_vars() & case.keys()}
    batched = [(key, case) for key, case in unique.items() if key not in alone]
    results: dict[str, CaseResult] = {}
    for key, case in alone.items():
        report = _run_json(["-e", json.dumps({**case, "ansible_become": False})])
        results[key] = _case_result(report, "localhost", case)
    if batched:
        hosts = {f"case{index}": {**CASE_HOST, **case} for index, (_, case) in enumerate(batched)}
        with tempfile.TemporaryDirectory(prefix="bad-input-") as tmp:
            inventory = Path(tmp) / "inventory.yml"
            inventory.write_text(yaml.safe_dump({"laptop": {"hosts": hosts}}, sort_keys=False))
            # The default inventory's group_vars apply to the case hosts too.
            (Path(tmp) / "group_vars").symlink_to(ROOT / "inventory" / "group_vars")
            report = _run_json(["-i", str(inventory), "--forks", str(min(len(hosts), MAX_FORKS))])
        for host, (key, case) in zip(hosts, batched, strict=True):
            results[key] = _case_result(report, host, case)
    return results


def laptop_check_table(tmp_path_factory: pytest.TempPathFactory, cases: list[dict[str, Any]]) -> dict[str, CaseResult]:
    """laptop_check_batch of a table, run once per pytest run: the xdist workers share it.

    The first worker to need the table runs it, holding a lock; the others wait
    for it and read its results rather than run the same playbook again.
    """
    shared = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        shared = shared.parent  # this run's temporary directory, above each worker's
    digest = hashlib.sha256(json.dumps([case_key(case) for case in cases]).encode()).hexdigest()[:16]
    store = shared / f"bad-input-{digest}.json"
    with (shared / f"bad-input-{digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if store.exists():
            return {key: CaseResult(**result) for key, result in json.loads(store.read_text()).items()}
        results = laptop_check_batch(cases)
        store.write_text(json.dumps({key: dataclasses.asdict(result) for key, result in results.items()}))
        return results


def assert_stopped_in_validation(
    extra_vars: dict[str, Any], variable: str, results: dict[str, CaseResult] | None = None
) -> None:
    """The play fails in a validation task, names the variable, and changed nothing.

    Every role's bad-input table uses this one check. results: the table's
    laptop_check_table, computed once; without it the case runs on its own.
    """
    result = (results or laptop_check_batch([extra_vars]))[case_key(extra_vars)]
    assert result.failed_task is not None, f"the play did not fail:\n{result.detail}"
    assert "alidate" in result.failed_task, f"failed outside validation, in {result.failed_task!r}:\n{result.detail}"
    assert variable in result.message, f"the message does not name {variable}:\n{result.detail}"
    assert result.changed == 0, f"changed {result.changed}, not 0:\n{result.detail}"


@pytest.fixture(scope="module")
def bad_input_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CaseResult]:
    return laptop_check_table(tmp_path_factory, [extra_vars for extra_vars, _ in BAD_INPUTS])


@pytest.mark.bad_input
@pytest.mark.parametrize(("extra_vars", "variable"), BAD_INPUTS, ids=[json.dumps(v) for v, _ in BAD_INPUTS])
def test_bad_input_fails_before_any_change(
    bad_input_results: dict[str, CaseResult], extra_vars: dict[str, Any], variable: str
) -> None:
    assert_stopped_in_validation(extra_vars, variable, bad_input_results)


def test_good_input_passes_validation() -> None:
    """The negative tests mean something only if valid input gets past validation."""
    result = run_laptop_check(
        {
            "workstation_mirror_url": "http://127.0.0.1:8080/mirror",
            "workstation_proxy": {"http": "http://proxy.example.test:3128", "no_proxy": ["localhost"]},
            "workstation_user": "root",
            "sagemaker_sdk_release": "v2.14.10",
            "sagemaker_sdk_version": "2.257.7",
            "sagemaker_sdk_packages": {"requests": "==2.32.3", "xgboost": "", "ray[default]": ">=2.50,<3",
                                       "torch": "*"},
            "sagemaker_sdk_workspace": "/home/dev/projects/sm",
            "sagemaker_sdk_kernel_name": "sm-v2.14.10",
        }
    )
    output = result.stdout + result.stderr
    assert "Validate every role's input before anything changes" in output
    assert "Invalid input" not in output, output
    assert "common : Find out who runs the play" in output, output
