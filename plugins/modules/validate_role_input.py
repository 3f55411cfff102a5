#!/usr/bin/python
"""Documentation for the validate_role_input action (the work is in plugins/action)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: validate_role_input
short_description: Check a role's variables against its meta/argument_specs.yml
description:
  - Validates the variables of a role, as the play sees them, against the role's
    C(meta/argument_specs.yml), and fails with one short line per wrong variable
    (where M(ansible.builtin.validate_argument_spec) prints the whole spec).
  - Runs on the controller only; nothing on the managed host is read or changed.
options:
  role_path:
    description: The role's directory. Defaults to the current role's C(role_path).
    type: path
  entry_point:
    description: The argument_specs entry point to check against.
    type: str
    default: main
  checks:
    description:
      - The role's own checks, run in order after the spec check passes; the first
        that fails fails the task with its C(msg).
      - Each is templated only when reached, so a check may assume the ones before it passed.
      - C(name) says what is checked; C(that) is a conditional or a list of them (all must
        hold); C(msg) names the variable, the expected form and what was given; an optional
        C(when) (a conditional or a list) skips the check when false.
      - With C(loop) (a list, or a template giving one), the check runs for each element,
        as C(item) (or C(loop_var)), with its position in C(index_var) if given.
      - C(vars) names values for the check's expressions, as a task's C(vars) would.
    type: list
    elements: dict
    default: []
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
author:
  - smdev.workstation maintainers
"""

EXAMPLES = r"""
- name: Validate the role's variables against meta/argument_specs.yml
  smdev.workstation.validate_role_input:

- name: Validate the variables, then what their types cannot say
  smdev.workstation.validate_role_input:
    checks:
      - name: docker_log_max_size is a size with a unit
        that: docker_log_max_size is match('^[1-9][0-9]*[kmg]$')
        msg: >-
          docker_log_max_size must be a whole number followed by k, m or g (e.g. 10m);
          got {{ docker_log_max_size | to_json }}.
"""

RETURN = r"""
msg:
  description: What was checked, or which variables are wrong and why.
  returned: always
  type: str
"""
