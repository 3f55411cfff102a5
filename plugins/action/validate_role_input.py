"""Action: check a role's variables against its meta/argument_specs.yml, tersely.

ansible.builtin.validate_argument_spec does the same check but prints the
whole spec with every failure; users need one line per wrong variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase


def _spec_options(spec_file: Path, entry_point: str) -> dict[str, Any]:
    specs = yaml.safe_load(spec_file.read_text())["argument_specs"]
    return specs[entry_point].get("options", {})


def _drop_docs(options: dict[str, Any]) -> dict[str, Any]:
    """argument_specs carries docs keys that ArgumentSpecValidator does not know."""
    cleaned = {}
    for name, option in options.items():
        kept = {k: v for k, v in option.items() if k not in ("description", "version_added")}
        if "options" in kept:
            kept["options"] = _drop_docs(kept["options"])
        cleaned[name] = kept
    return cleaned


class ActionModule(ActionBase):
    """Validate the role's variables as the play sees them; fail with one line each."""

    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp: str | None = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        role_path = Path(self._task.args.get("role_path") or task_vars["role_path"])
        entry_point = self._task.args.get("entry_point", "main")
        options = _drop_docs(_spec_options(role_path / "meta" / "argument_specs.yml", entry_point))
        provided = {name: self._templar.template(task_vars[name]) for name in options if name in task_vars}
        validation = ArgumentSpecValidator(options).validate(provided)
        errors = [str(error).rstrip(".") for error in validation.errors]
        if errors:
            result["failed"] = True
            result["msg"] = (
                f"Invalid input for role {role_path.name}: " + "; ".join(errors)
                + f". The variables and their expected forms are in roles/{role_path.name}/README.md."
            )
        else:
            result["msg"] = f"role {role_path.name}: {len(provided)} variables valid"
        result["changed"] = False
        return result
