"""smdev.workstation.fast (drift's scheduled runs): linear, with a play's modules in one Mitogen interpreter.

What a user gets from it is speed (the README's figures); what can be checked
here is the mechanism: two tasks of a play run their commands from the same
Python process, where linear starts one per task. Without Mitogen the strategy
must still run the play, as linear, and say why it is slower. The checkout's
ansible.cfg (`make laptop`) keeps Ansible's own linear strategy.
"""

from __future__ import annotations

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


def run_play(tmp_path: Path, **env: str) -> tuple[list[str], subprocess.CompletedProcess[str]]:
    """The play above with the checkout's ansible.cfg; the two PIDs its commands printed, and the run."""
    playbook = tmp_path / "play.yml"
    playbook.write_text(PLAY)
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


def test_it_runs_a_plays_modules_in_one_interpreter(tmp_path: Path) -> None:
    """As drift's runner starts it: ANSIBLE_STRATEGY=smdev.workstation.fast."""
    pids, result = run_play(tmp_path, ANSIBLE_STRATEGY=FAST)
    assert pids[0] == pids[1], f"each task ran in a new Python ({pids}): Mitogen is not in use\n{result.stdout}"
    assert WARNING not in result.stdout + result.stderr


def test_the_checkouts_ansible_cfg_keeps_ansibles_linear_strategy(tmp_path: Path) -> None:
    """`make laptop` and the user's own ansible-playbook runs: no deprecation warning, one Python per task."""
    pids, result = run_play(tmp_path)
    assert pids[0] != pids[1]
    assert "strategy plugins not included in ansible.builtin" not in result.stdout + result.stderr


@pytest.mark.fault
def test_without_mitogen_the_play_runs_as_linear_and_says_why(tmp_path: Path) -> None:
    """A venv without the runtime pins' Mitogen (a stand-in that fails to import shadows it)."""
    shadow = tmp_path / "shadow" / "ansible_mitogen"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('no Mitogen in this test')\n")
    pids, result = run_play(tmp_path, ANSIBLE_STRATEGY=FAST, PYTHONPATH=str(shadow.parent))
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
