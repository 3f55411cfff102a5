"""Ansible's linear strategy, run through Mitogen when it is installed.

Most of a no-op re-run's time is not the work: each task starts a Python on the
target that compiles Ansible's module_utils from source again (about 0.13 s of
the 0.2 s a task takes here). Mitogen keeps one interpreter per target and
user, with the modules it has loaded. The pinned runtime (requirements/runtime.txt)
installs it; where it is missing this is plain `linear`, with a warning.

drift's scheduled runs use it (drift_strategy: fast, the default); interactive
runs stay on Ansible's own linear strategy (ansible.cfg sets none), because
ansible-core 2.19 prints a deprecation warning for every strategy not its own.
`ANSIBLE_STRATEGY=smdev.workstation.fast make laptop` uses it for one run.
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: fast
short_description: The linear strategy, through Mitogen when it is installed
description:
  - Runs tasks like C(ansible.builtin.linear) (each task on every host before the next task).
  - When the C(mitogen) package is importable, module execution goes through Mitogen's
    persistent interpreters (its C(mitogen_linear) strategy), which is what makes a
    no-op re-run of the laptop playbook fast.
  - Without it, this is C(ansible.builtin.linear) and a warning says so.
author: smdev.workstation maintainers
"""

from ansible.plugins.strategy.linear import StrategyModule as _Linear
from ansible.utils.display import Display

try:
    import ansible_mitogen.strategy
except ImportError as error:  # the runtime pins install it; a foreign venv may not
    _MITOGEN_MISSING: ImportError | None = error
else:
    _MITOGEN_MISSING = None


if _MITOGEN_MISSING is None:

    class StrategyModule(ansible_mitogen.strategy.StrategyMixin, _Linear):
        """mitogen_linear."""

else:

    class StrategyModule(_Linear):  # type: ignore[no-redef]
        """linear, saying why it is not faster."""

        def run(self, *args, **kwargs):
            Display().warning(f"smdev.workstation.fast runs as linear: Mitogen is not importable ({_MITOGEN_MISSING})")
            return super().run(*args, **kwargs)
