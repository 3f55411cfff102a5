#!/usr/bin/python
"""Documentation for the warn action (the work is in plugins/action)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: warn
short_description: Print a warning without failing or changing anything
description:
  - Shows O(msg) as an Ansible warning, which the end of the run repeats, for advice the
    user should act on (for example a Python version that differs from SageMaker's).
  - Runs on the controller only.
options:
  msg:
    description: The warning.
    type: str
    required: true
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
author:
  - smdev.workstation maintainers
"""

EXAMPLES = r"""
- name: Warn about a Python that differs from SageMaker's
  smdev.workstation.warn:
    msg: SageMaker v4.4.1 runs Python 3.12.13; this workspace uses 3.11.2.
"""
