"""smdev.workstation.fast: linear, with a play's modules in one Mitogen interpreter.

The checkout's ansible.cfg selects it (`make laptop`, the user's own runs), and
drift's runner exports it.

What a user gets from it is speed (the README's figures); what can be checked
here is the mechanism: two tasks of a play run their commands from the same
Python process, where linear starts one per task. Without Mitogen the strategy
must still run the play, as linear, and say why it is slower.
ANSIBLE_STRATEGY=ansible.builtin.linear is the way back for one run.
"""

from __future__ import annotations

import getpass
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE_BIN = Path(sys.executable).parent
PLAY = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Print the PID of the process that runs this task's command
      ansible.builtin.command: sh -c 'echo $PPID'
      register: first
      changed_when: false
    - name: Print it again in a second task
      ansible.builtin.command: sh -c 'echo $PPID'
      register: second
      changed_when: false
    - name: Show both
      ansible.builtin.debug:
        msg: "PIDS {{ [first.stdout, second.stdout] | to_json }}"
"""
FAST = "smdev.workstation.fast"
WARNING = "smdev.workstation.fast runs as linear: Mitogen is not importable"


def run_play(tmp_path: Path, play: str = PLAY, **env: str) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    """A play with the checkout's ansible.cfg; the two PIDs its commands printed, and the run."""
    playbook = tmp_path / "play.yml"
    playbook.write_text(play)
    environ = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
               "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections"), **env}
    result = subprocess.run(
        [str(ANSIBLE_BIN / "ansible-playbook"), str(playbook), "-e",
         json.dumps({"ansible_python_interpreter": sys.executable})],
        cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next(line for line in result.stdout.splitlines() if "PIDS [" in line)
    return json.loads(line[line.index("["):].rstrip('"')), result


def test_the_checkouts_ansible_cfg_runs_a_plays_modules_in_one_interpreter(tmp_path: Path) -> None:
    """`make laptop` and the user's own ansible-playbook runs, quietly: no deprecation warning at the top."""
    pids, result = run_play(tmp_path)
    assert pids[0] == pids[1], f"each task ran in a new Python ({pids}): Mitogen is not in use\n{result.stdout}"
    output = result.stdout + result.stderr
    assert WARNING not in output
    assert "DEPRECATION" not in output


def test_drifts_runner_environment_selects_it(tmp_path: Path) -> None:
    """drift's runner does not read the checkout's ansible.cfg; it exports ANSIBLE_STRATEGY."""
    empty = tmp_path / "empty.cfg"
    empty.write_text("[defaults]\n")
    pids, result = run_play(tmp_path, ANSIBLE_CONFIG=str(empty), ANSIBLE_STRATEGY=FAST,
                            ANSIBLE_CALLBACK_RESULT_FORMAT="yaml")
    assert pids[0] == pids[1], result.stdout


def test_ansible_strategy_linear_turns_it_off_for_a_run(tmp_path: Path) -> None:
    pids, _ = run_play(tmp_path, ANSIBLE_STRATEGY="ansible.builtin.linear")
    assert pids[0] != pids[1]


def test_become_to_the_user_it_runs_as_needs_no_sudo(tmp_path: Path) -> None:
    """As Ansible's own connections do: root's become to root (drift's timer) and dev's become_user dev.

    Mitogen alone runs sudo even then; this host has none, so the play fails if it does.
    """
    user = getpass.getuser()
    play = PLAY.replace("gather_facts: false", f"gather_facts: false\n  become: true\n  become_user: {user}")
    pids, result = run_play(tmp_path, play=play)
    assert pids[0] == pids[1], result.stdout


def test_the_commands_it_runs_may_use_every_cpu(tmp_path: Path) -> None:
    """Mitogen alone pins its processes to CPUs and what they start inherits it: on 2 cores, one for CPython's build."""
    command = "python3 -c 'import os; print(os.getppid(), len(os.sched_getaffinity(0)))'"
    play = PLAY.replace("sh -c 'echo $PPID'", command)
    pids, result = run_play(tmp_path, play=play)
    (first_ppid, cpus), (second_ppid, _) = (pid.split() for pid in pids)
    assert first_ppid == second_ppid, result.stdout
    assert int(cpus) == len(os.sched_getaffinity(0)), f"the task's command may use {cpus} CPU(s)\n{result.stdout}"


@pytest.mark.fault
def test_without_mitogen_the_play_runs_as_linear_and_says_why(tmp_path: Path) -> None:
    """A venv without the runtime pins' Mitogen (a stand-in that fails to import shadows it)."""
    shadow = tmp_path / "shadow" / "ansible_mitogen"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('no Mitogen in this test')\n")
    pids, result = run_play(tmp_path, PYTHONPATH=str(shadow.parent))
    assert pids[0] != pids[1]
    assert WARNING in result.stdout + result.stderr


def test_ansible_doc_documents_it() -> None:
    result = subprocess.run(
        [str(ANSIBLE_BIN / "ansible-doc"), "-t", "strategy", "--json", "smdev.workstation.fast"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections")},
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)["smdev.workstation.fast"]["doc"]
    assert doc["name"] == "fast"
    assert doc["description"]
