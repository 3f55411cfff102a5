"""Action: check a role's variables against its meta/argument_specs.yml, tersely,
then the role's own checks (what a spec cannot say: patterns, ranges, relations).

ansible.builtin.validate_argument_spec does the same check but prints the
whole spec with every failure; users need one line per wrong variable.
The checks run here, in order and each templated only when reached, instead of
as one assert task each: a task costs a worker fork per host (about 20-40 ms),
which the bad-input tables and every playbook run paid some 70 times.
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

    @classmethod
    def finalize_task_arg(cls, name: str, value: Any, templar: Any, context: Any) -> Any:
        # The checks stay raw here: run() templates each one when it is reached, so a
        # check may rely on the ones before it (and on the spec check) having passed.
        if name == "checks":
            return value
        return super().finalize_task_arg(name, value, templar, context)

    def _failed_check(self, checks: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The first check (or loop element of one) that fails, with its message templated."""
        for check in checks:
            if "loop" not in check:
                failed = self._failed(check, self._templar)
            else:
                base = self._templar.available_variables
                failed = None
                for index, element in enumerate(self._templar.template(check["loop"])):
                    names = {check.get("loop_var", "item"): element}
                    if "index_var" in check:
                        names[check["index_var"]] = index
                    templar = self._templar.copy_with_new_env(available_variables={**base, **names})
                    if failed := self._failed(check, templar):
                        break
            if failed:
                return failed
        return None

    @staticmethod
    def _failed(check: dict[str, Any], templar: Any) -> dict[str, Any] | None:
        if "vars" in check:  # as a task's vars: names for this check's expressions
            names = {name: templar.template(value) for name, value in check["vars"].items()}
            templar = templar.copy_with_new_env(available_variables={**templar.available_variables, **names})
        when = check.get("when", [])
        if not all(templar.evaluate_conditional(c) for c in (when if isinstance(when, list) else [when])):
            return None
        that = check["that"]
        for conditional in that if isinstance(that, list) else [that]:
            if not templar.evaluate_conditional(conditional):
                return {"check": check["name"], "assertion": conditional,
                        "msg": " ".join(str(templar.template(check["msg"])).split())}
        return None

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
        elif failed := self._failed_check(self._task.args.get("checks") or []):
            result.update(failed, failed=True)
        else:
            result["msg"] = f"role {role_path.name}: {len(provided)} variables valid"
        result["changed"] = False
        return result
