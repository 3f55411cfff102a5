"""Run one role of the collection on this machine, the way the official-path tests need it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PLAY = """\
- hosts: localhost
  gather_subset: [min]
  tasks:
    - name: Run the {role} role
      ansible.builtin.include_role:
        name: smdev.workstation.{role}
"""


def run_role(role: str, extra_vars: dict[str, Any], workdir: Path, check: bool = False,
             timeout: float = 180, play: str = PLAY) -> subprocess.CompletedProcess[str]:
    """ansible-playbook of one role against localhost with extra_vars, on this toolchain's Python.

    play: another play text (with {role}) for tests that need only some of the role's task files.
    """
    playbook = workdir / f"{role}.yml"
    playbook.write_text(play.format(role=role))
    environ = {**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
               "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections")}
    argv = [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook),
            "-e", json.dumps({"ansible_python_interpreter": sys.executable, **extra_vars})]
    return subprocess.run([*argv, *(["--check"] if check else [])], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=timeout, check=False)
