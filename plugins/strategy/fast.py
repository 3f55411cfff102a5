"""Ansible's linear strategy, run through Mitogen when it is installed.

Most of a no-op re-run's time is not the work: each task starts a Python on the
target that compiles Ansible's module_utils from source again (about 0.13 s of
the 0.2 s a task takes here). Mitogen keeps one interpreter per target and
user, with the modules it has loaded. The pinned runtime (requirements/runtime.txt)
installs it; where it is missing this is plain `linear`, with a warning.

The checkout's ansible.cfg selects it (`make laptop`, the user's own runs) and
drift's runner exports it (drift_strategy: fast, the default).
ANSIBLE_STRATEGY=ansible.builtin.linear runs the playbook without it.
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

import getpass

from ansible.plugins.strategy.linear import StrategyModule as _Linear
from ansible.utils.display import Display

try:
    import ansible_mitogen.affinity
    import ansible_mitogen.strategy
except ImportError as error:  # the runtime pins install it; a foreign venv may not
    _MITOGEN_MISSING: ImportError | None = error
else:
    _MITOGEN_MISSING = None
    # Mitogen pins its processes to CPUs, and what they start keeps the mask
    # (ansible_mitogen/affinity.py). With the local connection the target is this
    # machine, so on 2 cores CPython's build, pip and every other command got one
    # core: the cold converge's CPython build took 232 s instead of 161 s. Leave
    # scheduling to the kernel, as Ansible's own strategy does. Set before the
    # strategy starts Mitogen's processes, which read it then.
    ansible_mitogen.affinity.policy = ansible_mitogen.affinity.Policy()


if _MITOGEN_MISSING is None:

    class StrategyModule(ansible_mitogen.strategy.StrategyMixin, _Linear):
        """mitogen_linear, with the remote user Ansible's own connections assume."""

        def run(self, iterator, play_context):
            # Without a remote user, Ansible's local and ssh connections act as the
            # user running Ansible, and skip become when that is the become_user.
            # Mitogen compares become_user with the unset value and runs sudo even
            # root to root (and dev to dev): it fails where there is no sudo, and
            # costs a process where there is. Give it the user Ansible assumes.
            if not play_context.remote_user:
                play_context.remote_user = getpass.getuser()
            return super().run(iterator, play_context)

else:

    class StrategyModule(_Linear):  # type: ignore[no-redef]
        """linear, saying why it is not faster."""

        def run(self, *args, **kwargs):
            Display().warning(f"smdev.workstation.fast runs as linear: Mitogen is not importable ({_MITOGEN_MISSING})")
            return super().run(*args, **kwargs)
