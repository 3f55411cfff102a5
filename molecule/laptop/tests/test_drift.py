"""drift, as the workstation user sees it: the timer, its runs, their reports, smdev-status.

The tests run in file order and share one converged machine: each starts the
real service (a full run of the laptop playbook inside the container), so
there are only four runs. BREAKS is the table of things users break; each role
adds its own rows (what to break, how to see it is repaired, which task of
which role must report the correction).
"""

from __future__ import annotations

import difflib
import json
import shlex
import time
from dataclasses import dataclass
from typing import Any

import pytest

PASSWORD = "dev"  # noqa: S105 - the throwaway container account's sudo password
RUNNER = "/usr/local/sbin/smdev-drift"
LOCK = "/run/smdev-drift.lock"
TIMER_UNIT = "/etc/systemd/system/smdev-drift.timer"
UNITS_TASK = "Ensure the drift service and timer units are installed"


@dataclass(frozen=True)
class Break:
    """One way a user breaks the workstation, and the task that must correct it."""

    role: str
    task: str
    do: str  # run as root
    repaired: str  # exits 0 once repaired (run as dev in a login shell)
    # (role, task) the repair sets off in turn, a handler, reported as corrections too.
    follows: tuple[tuple[str, str], ...] = ()


BREAKS = [
    Break("common", "Ensure the base packages are installed",
          "DEBIAN_FRONTEND=noninteractive apt-get remove -y -q unzip", "command -v unzip"),
    Break("drift", "Ensure smdev-status is installed", "rm /usr/local/bin/smdev-status",
          "test -x /usr/local/bin/smdev-status"),
    # A user tidying ~/.bashrc by hand takes pyenv (and so python, pipenv, sam) out of new terminals.
    Break("pyenv", "Ensure pyenv's shell init is in each shell's login and interactive files",
          "runuser -u dev -- sed -i '/# BEGIN smdev.workstation pyenv/,/# END smdev.workstation pyenv/d' "
          "/home/dev/.bashrc",
          "grep -q '# BEGIN smdev.workstation pyenv' ~/.bashrc"),
    # `pyenv global system` by mistake, or a tidy-up of ~/.pyenv: python is no longer the pinned one.
    Break("pyenv", "Ensure pyenv_global is the version python means for the workstation user",
          "rm /home/dev/.pyenv/version", '[ "$(pyenv version-name)" = 3.11.2 ]'),
    # A user pip-installs another version of a pinned package into the SageMaker workspace.
    Break("sagemaker_sdk", "Sync the workspace venv with Pipfile.lock",
          "runuser -u dev -- /home/dev/sagemaker/.venv/bin/python -m pip install -q urllib3==1.26.19",
          "smdev-parity ~/sagemaker"),
    # A profile deleted from ~/.aws/config by hand (molecule/laptop/vars/user.yml configures it).
    Break("aws_sso", "Ensure each profile's keys are set in ~/.aws/config (other keys are kept)",
          # (sed, not configparser: that would drop dev's comments, which test_user_data.py looks for)
          "runuser -u dev -- sed -i '/^\\[profile acme-dev\\]/,/^\\[/{/^\\[profile acme-dev\\]/d;/^\\[/!d}'"
          " /home/dev/.aws/config",
          "python3 -c " + shlex.quote(
              "import configparser, os; config = configparser.RawConfigParser();"
              " config.read(os.path.expanduser('~/.aws/config'));"
              " assert config.get('profile acme-dev', 'sso_account_id') == '012345678901'")),
    # A hand edit of a line the role manages in daemon.json (tests/offline-vars.yml sets the option);
    # putting it back restarts the daemon, so that it runs with the managed value again.
    Break("docker", "Ensure daemon.json has docker_daemon_options and log rotation (the file's other keys are kept)",
          """sed -i 's/"max-concurrent-downloads": 4/"max-concurrent-downloads": 9/' /etc/docker/daemon.json""",
          # and the restarted daemon answers (dev's shell has no systemd bus to ask systemctl)
          """grep -q '"max-concurrent-downloads": 4' /etc/docker/daemon.json"""
          """ && docker info --format '{{.ServerVersion}}'""",
          follows=(("docker", "Restart docker"),)),
]
EXPECTED_CORRECTIONS = {(b.role, b.task) for b in BREAKS} | {task for b in BREAKS for task in b.follows}


def as_root(host: Any, command: str) -> Any:
    """What dev does with sudo, password and all."""
    return host.run(f"echo {PASSWORD} | sudo -S -p '' bash -c {shlex.quote(command)}")


def status(login_shell: Any) -> tuple[int, dict[str, Any]]:
    result = login_shell("smdev-status --json")
    return result.rc, json.loads(result.stdout)


def corrections(run: dict[str, Any]) -> set[tuple[str, str]]:
    return {((t.get("role") or "").rsplit(".", 1)[-1], t["task"]) for t in run["changed"]}


def start_service(host: Any) -> Any:
    """systemctl start waits for a oneshot service to finish."""
    return as_root(host, "systemctl start smdev-drift.service")


def test_the_timer_is_enabled_and_waiting(host: Any) -> None:
    assert as_root(host, "systemctl is-enabled smdev-drift.timer").stdout.strip() == "enabled"
    assert as_root(host, "systemctl is-active smdev-drift.timer").stdout.strip() == "active"
    timer = host.file("/etc/systemd/system/smdev-drift.timer").content_string
    assert "Persistent=true" in timer
    assert "OnCalendar=daily" in timer


def test_the_vars_file_is_readable_by_the_user_only(host: Any) -> None:
    vars_file = host.file("/etc/smdev/drift-vars.yml")
    assert vars_file.user == "root"
    assert vars_file.group == "dev"
    assert vars_file.mode == 0o640
    assert "workstation_user: dev" in vars_file.content_string


def test_smdev_status_says_no_run_yet(login_shell: Any) -> None:
    result = login_shell("smdev-status")
    assert result.rc == 0, result.stderr
    assert "No drift run yet" in result.stdout
    assert "smdev-drift.timer: enabled" in result.stdout


@pytest.mark.parametrize("broken", BREAKS, ids=[b.task for b in BREAKS])
def test_each_break_is_real(host: Any, login_shell: Any, broken: Break) -> None:
    as_root(host, broken.do)
    assert login_shell(broken.repaired).rc != 0, f"breaking did not break: {broken.do}"


# Holds dpkg's frontend lock (as apt and dpkg take it: fcntl) from before the run starts until the
# run has been in common's apt task for HOLD_AFTER_APT s, as unattended-upgrades might on a fresh laptop.
HOLD_AFTER_APT = 15
LOCK_HOLDER = f"""
import fcntl, subprocess, sys, time
lock = open("/var/lib/dpkg/lock-frontend", "w")
fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
log = open("/run/smdev-test-dpkg-lock", "w", buffering=1)
log.write("held\\n")
banner = "TASK [smdev.workstation.common : {BREAKS[0].task}]"
for _ in range(600):
    journal = subprocess.run(["journalctl", "-u", "smdev-drift.service", "--since", sys.argv[1], "-o", "cat"],
                             capture_output=True, text=True).stdout
    if banner in journal:
        time.sleep({HOLD_AFTER_APT})
        log.write("released while the apt task waited\\n")
        break
    time.sleep(1)
"""


@pytest.mark.fault
def test_a_correct_run_repairs_every_break_and_reports_exactly_those(host: Any, login_shell: Any) -> None:
    """...while another process holds dpkg's lock when the run needs apt: the run waits, then installs."""
    since = as_root(host, "date '+%Y-%m-%d %H:%M:%S'").stdout.strip()
    as_root(host, f"nohup python3 -c {shlex.quote(LOCK_HOLDER)} {shlex.quote(since)} >/dev/null 2>&1 &")
    deadline = time.monotonic() + 30
    while "held" not in as_root(host, "cat /run/smdev-test-dpkg-lock 2>/dev/null").stdout:
        assert time.monotonic() < deadline, "the lock holder never took dpkg's lock"
        time.sleep(0.5)
    result = start_service(host)
    assert result.rc == 0, result.stdout + result.stderr
    holder = as_root(host, "cat /run/smdev-test-dpkg-lock").stdout
    assert "released while the apt task waited" in holder, f"the run never met the held lock: {holder}"
    for broken in BREAKS:
        assert login_shell(broken.repaired).rc == 0, f"not repaired: {broken.do}"
    rc, info = status(login_shell)
    run = info["last_run"]
    assert rc == 0
    assert run["mode"] == "correct"
    assert run["result"] == "ok"
    assert corrections(run) == EXPECTED_CORRECTIONS
    assert run["counts"]["corrected"] == len(EXPECTED_CORRECTIONS)


def test_a_second_run_corrects_nothing(host: Any, login_shell: Any) -> None:
    """...and, as drift_strategy fast says, the run went through Mitogen (smdev.workstation.fast)."""
    since = as_root(host, "date '+%Y-%m-%d %H:%M:%S'").stdout.strip()
    result = start_service(host)
    assert result.rc == 0, result.stdout + result.stderr
    rc, info = status(login_shell)
    assert rc == 0
    assert info["last_run"]["counts"]["corrected"] == 0, info["last_run"]["changed"]
    journal = as_root(host, f"journalctl --no-pager -u smdev-drift.service -o cat --since '{since}'").stdout
    # ansible-core's warning for a strategy not its own: the runner set ANSIBLE_STRATEGY.
    assert "strategy plugins not included in ansible.builtin" in journal, journal[-3000:]
    assert "Mitogen is not importable" not in journal, journal[-3000:]


def edit_lines(diff: dict[str, str]) -> list[str]:
    """The lines a diff's before and after differ in, as -old and +new."""
    lines = difflib.unified_diff(diff["before"].splitlines(), diff["after"].splitlines(), lineterm="", n=0)
    return [line for line in lines if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_report_mode_reports_a_break_and_a_second_start_waits_its_turn(host: Any, login_shell: Any) -> None:
    """--check --diff (report mode) after a package removal and a hand edit: it shows those, and only those."""
    broken = BREAKS[0]
    as_root(host, broken.do)
    as_root(host, f"sed -i 's/^OnCalendar=daily$/OnCalendar=hourly/' {TIMER_UNIT}")
    try:
        report_run_sees_exactly_the_edits(host, login_shell, broken)
    finally:
        as_root(host, f"sed -i 's/^OnCalendar=hourly$/OnCalendar=daily/' {TIMER_UNIT}")


def report_run_sees_exactly_the_edits(host: Any, login_shell: Any, broken: Break) -> None:
    as_root(host, f"systemd-run --unit smdev-drift-report-test {RUNNER} --report")
    deadline = time.monotonic() + 60
    while as_root(host, f"flock --nonblock {LOCK} true").rc == 0:
        assert time.monotonic() < deadline, "the report run never took the lock"
        time.sleep(0.5)
    second = as_root(host, f"{RUNNER} --report")
    assert second.rc == 0
    assert "another smdev-drift run holds" in second.stdout
    as_root(host, f"flock --wait 900 {LOCK} true")
    rc, info = status(login_shell)
    run = info["last_run"]
    assert rc == 0
    assert run["mode"] == "report"
    assert run["check_mode"] is True
    assert corrections(run) == {(broken.role, broken.task), ("drift", UNITS_TASK)}
    [units] = [t for t in run["changed"] if t["task"] == UNITS_TASK]
    [[diff]] = units["diff"]  # the loop's one changed item: the timer
    assert edit_lines(diff) == ["-OnCalendar=hourly", "+OnCalendar=daily"]
    assert run["counts"]["corrected"] == 0
    assert login_shell(broken.repaired).rc != 0, "report mode repaired the break"
    assert "OnCalendar=hourly" in host.file(TIMER_UNIT).content_string, "report mode undid the hand edit"


@pytest.mark.fault
def test_a_failed_run_shows_in_smdev_status_and_the_journal(host: Any, login_shell: Any) -> None:
    """unzip is still removed; an apt pin now forbids installing it again, so the run fails."""
    as_root(host, "printf 'Package: unzip\\nPin: release *\\nPin-Priority: -1\\n' > /etc/apt/preferences.d/no-unzip")
    try:
        assert start_service(host).rc != 0
        rc, info = status(login_shell)
        run = info["last_run"]
        assert rc == 1
        assert run["result"] == "failed"
        [failed] = run["failed"]
        assert failed["task"] == BREAKS[0].task
        assert "unzip" in failed["msg"]
        text = login_shell("smdev-status")
        assert text.rc == 1
        assert f"FAILED: [{failed['role']}] {failed['task']}" in text.stdout
        journal = as_root(host, "journalctl --no-pager -t smdev-drift")
        assert "correct run FAILED" in journal.stdout
        assert "unzip" in journal.stdout
    finally:
        as_root(host, "rm -f /etc/apt/preferences.d/no-unzip; systemctl reset-failed smdev-drift.service")
        as_root(host, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q unzip")
