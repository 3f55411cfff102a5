#!/usr/bin/python
"""Ansible module: merge settings into Docker's daemon.json without clobbering the user's."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: docker_daemon_json
short_description: Merge settings into /etc/docker/daemon.json, keeping what the user set
description:
  - Reads the existing daemon.json, merges O(options) over it (nested mappings key by key)
    and O(defaults) under it, and writes it back only when the result differs.
  - Keys the file has that neither O(options) nor O(defaults) name are kept as they are.
  - O(defaults) C(log-opts) apply only when the resulting C(log-driver) is the one O(defaults) names.
  - A file that is not valid JSON, or not a JSON object, is reported and left untouched.
  - Unchanged content is never rewritten, so the user's formatting survives a no-op run.
options:
  path:
    description: The daemon configuration file.
    type: path
    default: /etc/docker/daemon.json
  options:
    description: Settings that win over the file's.
    type: dict
    default: {}
  defaults:
    description: Settings used only where neither the file nor O(options) has one.
    type: dict
    default: {}
  backup:
    description: Keep a timestamped copy of the previous file when it is rewritten.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
author:
  - smdev.workstation maintainers
"""

EXAMPLES = r"""
- name: Ensure log rotation and the user's options are in daemon.json
  smdev.workstation.docker_daemon_json:
    options: {"max-concurrent-uploads": 3}
    defaults: {"log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "3"}}
"""

RETURN = r"""
config:
  description: The merged configuration, as written (or as it would be written in check mode).
  returned: success
  type: dict
backup_file:
  description: Copy of the previous file, when one was made.
  returned: changed and a backup was made
  type: str
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.smdev.workstation.plugins.module_utils.docker_daemon import (
    DaemonConfigError,
    merge_daemon_config,
    parse_daemon_json,
    render_daemon_json,
)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "default": "/etc/docker/daemon.json"},
            "options": {"type": "dict", "default": {}},
            "defaults": {"type": "dict", "default": {}},
            "backup": {"type": "bool", "default": True},
        },
        supports_check_mode=True,
    )
    path = module.params["path"]
    before_text = ""
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            before_text = handle.read()
    try:
        existing = parse_daemon_json(before_text, path)
    except DaemonConfigError as error:
        module.fail_json(msg=str(error), path=path)
    merged = merge_daemon_config(existing, module.params["options"], module.params["defaults"])
    changed = merged != existing or not os.path.exists(path)
    result: dict = {"changed": changed, "config": merged, "path": path}
    if changed:
        after_text = render_daemon_json(merged)
        result["diff"] = {"before": before_text, "after": after_text, "before_header": path, "after_header": path}
        if not module.check_mode:
            if module.params["backup"] and before_text:
                result["backup_file"] = module.backup_local(path)
            directory = os.path.dirname(path)
            tmp_path = os.path.join(directory, f".{os.path.basename(path)}.smdev-tmp")
            with open(tmp_path, "w", encoding="utf-8") as handle:
                handle.write(after_text)
            os.chmod(tmp_path, 0o644)
            module.atomic_move(tmp_path, path)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
