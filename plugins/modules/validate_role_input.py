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
"""

RETURN = r"""
msg:
  description: What was checked, or which variables are wrong and why.
  returned: always
  type: str
"""
