"""Action: print a warning in the play's output (and its summary) without failing or changing."""

from __future__ import annotations

from typing import Any

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        message = str(self._task.args.get("msg", "")).strip()
        Display().warning(message)
        result.update(changed=False, msg=message, warnings=[])
        return result
