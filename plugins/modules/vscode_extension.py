#!/usr/bin/python
"""Ansible module: a declarative list of VS Code extensions, installed only when needed."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vscode_extension
short_description: Ensure VS Code extensions are installed at the listed versions
description:
  - The C(code --install-extension) CLI reinstalls on every call and says nothing about
    what changed. This module lists what is installed (C(--list-extensions --show-versions)),
    installs only what is missing or at another version, optionally removes what is not
    listed, and reports a real C(changed). Check mode reports what it would do.
  - Works with any CLI that speaks VS Code's extension flags, such as C(code),
    C(code-server) or C(codium).
options:
  extensions:
    description: The extensions wanted.
    type: list
    elements: dict
    required: true
    suboptions:
      id:
        description: Extension id, C(publisher.name).
        type: str
        required: true
      version:
        description: Pinned version (C(1.2.3)). Empty means any installed version is fine.
        type: str
        default: ""
      vsix:
        description:
          - A .vsix to install from instead of the marketplace, as a path on the host, or as the
            http(s) URL it was downloaded from into O(vsix_dir) (download and verify it first).
        type: str
      sha256:
        description: sha256 of a .vsix given as URL; the download step checks it, this module ignores it.
        type: str
  vsix_dir:
    description: Where .vsix files given as URLs were downloaded to (under their URL's file name).
    type: path
  cli:
    description: The VS Code CLI to run (name on PATH or absolute path).
    type: str
    default: code
  cli_args:
    description: Extra arguments for every CLI call, e.g. C(--extensions-dir).
    type: list
    elements: str
    default: []
  remove_unlisted:
    description: Uninstall extensions that are installed but not in O(extensions).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
author:
  - smdev.workstation maintainers
"""

EXAMPLES = r"""
- name: Ensure the Python extensions are installed
  smdev.workstation.vscode_extension:
    extensions:
      - id: ms-python.python
      - id: charliermarsh.ruff
        version: 2025.24.0
      - id: smdev.hello
        vsix: /var/cache/smdev/hello-1.0.0.vsix
"""

RETURN = r"""
installed:
  description: Extensions installed or changed in version, as C(id@version).
  type: list
  elements: str
  returned: always
removed:
  description: Extensions uninstalled.
  type: list
  elements: str
  returned: always
extensions:
  description: Installed extensions and their versions after the run (lower-case ids).
  type: dict
  returned: always
"""

import re
from typing import Any

from ansible.module_utils.basic import AnsibleModule

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*\.[A-Za-z0-9][A-Za-z0-9-]*$")
VERSION_PATTERN = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")


def parse_listing(stdout: str) -> dict[str, str]:
    """`publisher.name@1.2.3` lines to {lower-case id: version}; other lines are ignored."""
    installed = {}
    for line in stdout.splitlines():
        name, sep, version = line.strip().rpartition("@")
        if sep and ID_PATTERN.match(name):
            installed[name.lower()] = version
    return installed


def problems(extensions: list[dict[str, Any]], label: str = "extensions") -> list[str]:
    """What is wrong with the wanted list, one message per entry."""
    errors = []
    seen: set[str] = set()
    for index, ext in enumerate(extensions):
        ext_id, version = ext.get("id") or "", ext.get("version") or ""
        if not ID_PATTERN.match(ext_id):
            errors.append(f"{label}[{index}].id must be publisher.name (e.g. ms-python.python); got {ext_id!r}")
        elif ext_id.lower() in seen:
            errors.append(f"{label}[{index}].id {ext_id!r} is listed twice")
        seen.add(ext_id.lower())
        if version and not VERSION_PATTERN.match(version):
            errors.append(f"{label}[{index}].version must be a version like 1.2.3; got {version!r}")
    return errors


def plan(wanted: list[dict[str, Any]], installed: dict[str, str],
         remove_unlisted: bool) -> tuple[list[dict[str, Any]], list[str]]:
    """What to install (missing or at another version) and what to remove."""
    to_install = []
    for ext in wanted:
        have = installed.get(ext["id"].lower())
        if have is None or (ext.get("version") and have != ext["version"]):
            to_install.append(ext)
    listed = {ext["id"].lower() for ext in wanted}
    to_remove = sorted(ext_id for ext_id in installed if ext_id not in listed) if remove_unlisted else []
    return to_install, to_remove


def install_argument(ext: dict[str, Any], vsix_dir: str | None = None) -> str:
    vsix = ext.get("vsix") or ""
    if re.match(r"^https?://", vsix):
        return f"{vsix_dir or '.'}/{vsix.rstrip('/').rsplit('/', 1)[-1]}"
    if vsix:
        return vsix
    return f"{ext['id']}@{ext['version']}" if ext.get("version") else ext["id"]


class Cli:
    """The VS Code CLI, failing the module with its output when a call fails."""

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module
        self.base = [module.params["cli"], *module.params["cli_args"]]

    def run(self, *args: str) -> str:
        rc, out, err = self.module.run_command([*self.base, *args])
        if rc != 0:
            self.module.fail_json(msg=f"{' '.join([*self.base, *args])} failed (rc={rc}): {(err or out).strip()}")
        return out

    def installed(self) -> dict[str, str]:
        return parse_listing(self.run("--list-extensions", "--show-versions"))


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "extensions": {
                "type": "list", "elements": "dict", "required": True,
                "options": {
                    "id": {"type": "str", "required": True},
                    "version": {"type": "str", "default": ""},
                    "vsix": {"type": "str"},
                    "sha256": {"type": "str"},
                },
            },
            "vsix_dir": {"type": "path"},
            "cli": {"type": "str", "default": "code"},
            "cli_args": {"type": "list", "elements": "str", "default": []},
            "remove_unlisted": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
    )
    wanted = module.params["extensions"]
    errors = problems(wanted)
    if errors:
        module.fail_json(msg="; ".join(errors))
    if not module.get_bin_path(module.params["cli"]):
        if module.check_mode:
            # On a fresh machine in check mode the editor is not installed yet: all would be installed.
            module.exit_json(changed=bool(wanted), installed=[f"{e['id']}@{e['version'] or 'latest'}" for e in wanted],
                             removed=[], extensions={}, msg=f"{module.params['cli']} is not installed yet")
        module.fail_json(msg=f"The VS Code CLI {module.params['cli']!r} was not found; install VS Code "
                             "(ide_vscode_install_package) or point ide_vscode_cli at code, code-server or codium.")
    cli = Cli(module)
    to_install, to_remove = plan(wanted, cli.installed(), module.params["remove_unlisted"])
    installed_labels = [f"{e['id']}@{e['version'] or 'latest'}" for e in to_install]
    if module.check_mode or not (to_install or to_remove):
        module.exit_json(changed=bool(to_install or to_remove), installed=installed_labels, removed=to_remove,
                         extensions=cli.installed())
    for ext in to_install:
        cli.run("--install-extension", install_argument(ext, module.params["vsix_dir"]), "--force")
    for ext_id in to_remove:
        cli.run("--uninstall-extension", ext_id)
    after = cli.installed()
    still_wrong, still_there = plan(wanted, after, module.params["remove_unlisted"])
    if still_wrong or still_there:
        module.fail_json(msg="after installing, the CLI still lists "
                             f"{[e['id'] for e in still_wrong] + still_there} at the wrong version or present: "
                             f"{after}. Does the .vsix carry the version that is pinned?")
    module.exit_json(changed=True, installed=installed_labels, removed=to_remove, extensions=after)


if __name__ == "__main__":
    main()
