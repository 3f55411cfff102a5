"""No task of the whole playbook prints a planted password, at -vvv with --check --diff (issue 11, secrets).

On the converged laptop, the playbook runs once more the way a bug report's
run or drift's report mode would: -vvv, --check, --diff, with the run_report
callback writing its JSON report. A password is planted in the package index
URL and in the proxy (the tasks that write them then have something to show);
neither may appear in the output or in the report. --check: nothing changes.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

import pytest

PASSWORD = "dev"  # noqa: S105 - the throwaway container account's sudo password
DRIFT_ROOT = "/opt/smdev"
PLAYBOOK = f"{DRIFT_ROOT}/collections/ansible_collections/smdev/workstation/playbooks/laptop.yml"
INDEX_TOKEN = "PlantedIndexT0ken"  # noqa: S105 - planted, to be looked for
PROXY_PASSWORD = "PlantedPr0xyPass"  # noqa: S105 - planted, to be looked for
PLANTED = {
    "workstation_pip_index_url": f"https://__token__:{INDEX_TOKEN}@pypi.org/simple",
    "workstation_proxy": {"http": f"http://alice:{PROXY_PASSWORD}@proxy.example.test:3128",
                          "no_proxy": ["localhost", "127.0.0.1"]},
}
REPORTS = "/tmp/smdev-secrets-reports"  # noqa: S108 - a directory inside the throwaway container


def as_root(host: Any, command: str) -> Any:
    return host.run(f"echo {PASSWORD} | sudo -S -p '' bash -c {shlex.quote(command)}")


@pytest.fixture(scope="module")
def verbose_run(host: Any) -> tuple[Any, str]:
    """The playbook at -vvv --check --diff with the planted passwords; its output and its run report."""
    command = (
        f"rm -rf {REPORTS} && cd / && ANSIBLE_NOCOLOR=1 ANSIBLE_COLLECTIONS_PATH={DRIFT_ROOT}/collections "
        f"ANSIBLE_CALLBACKS_ENABLED=smdev.workstation.run_report SMDEV_REPORT_DIR={REPORTS} SMDEV_RUN_MODE=report "
        f"{DRIFT_ROOT}/venv/bin/ansible-playbook -vvv --check --diff "
        f"-i /etc/smdev/drift-inventory.yml -e @/etc/smdev/drift-vars.yml "
        f"-e {shlex.quote(json.dumps(PLANTED))} {PLAYBOOK}"
    )
    run = as_root(host, command)
    report = as_root(host, f"cat {REPORTS}/run-*.json")
    return run, report.stdout


def test_the_run_went_through_and_reported(verbose_run: tuple[Any, str]) -> None:
    run, report = verbose_run
    assert run.rc == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "PLAY RECAP" in run.stdout
    assert json.loads(report)["check_mode"] is True
    # The tasks that hold the planted URLs ran, and said they were censored.
    assert "the output has been hidden due to the fact that 'no_log: true' was specified" in run.stdout


def test_no_planted_password_in_the_output_or_the_report(verbose_run: tuple[Any, str]) -> None:
    run, report = verbose_run
    for secret in (INDEX_TOKEN, PROXY_PASSWORD):
        for where, text in (("output", run.stdout + run.stderr), ("run report", report)):
            assert secret not in text, f"the planted {secret} is in the {where}"
