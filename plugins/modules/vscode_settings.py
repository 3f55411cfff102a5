#!/usr/bin/python
"""Ansible module: merge keys into a VS Code settings.json without clobbering the user's."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: vscode_settings
short_description: Merge settings into a VS Code settings.json (JSONC), keeping the user's keys and comments
description:
  - >-
    VS Code's C(settings.json) is JSON with comments (C(//) and C(/* */)) and trailing commas.
    Rewriting it from a parsed dict would drop the user's comments, so this module edits the
    text in place: only the value of each top-level key it owns is replaced, missing keys are
    appended before the closing brace. Everything else, comments included, stays byte for byte.
  - A value that is an object is merged into the user's object of the same key (our keys win);
    comments inside that one object are not kept.
  - A file that is not valid JSONC is reported and left untouched.
  - Before the first rewrite of an existing file a copy is kept as C(<path>.smdev-backup).
  - With O(validate_only) nothing is read or written; O(settings) is only checked, so a play
    can refuse bad input before it changes anything.
options:
  path:
    description: The settings.json to merge into; created (with its parent directory) when missing.
    type: path
  settings:
    description: Top-level keys and the values they must have. Values must be JSON (no NaN or Infinity).
    type: dict
    required: true
  label:
    description: Name of the variable O(settings) came from, used in error messages.
    type: str
    default: settings
  backup:
    description: Keep a copy of the file as it was before the first rewrite.
    type: bool
    default: true
  validate_only:
    description: Only check O(settings); O(path) is not needed.
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.files
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
author:
  - smdev.workstation maintainers
"""

EXAMPLES = r"""
- name: Ensure VS Code uses the SageMaker workspace interpreter
  smdev.workstation.vscode_settings:
    path: /home/dev/.config/Code/User/settings.json
    settings:
      python.defaultInterpreterPath: /home/dev/sagemaker/.venv/bin/python
      "[python]":
        editor.defaultFormatter: charliermarsh.ruff
"""

RETURN = r"""
backup_file:
  description: Where the copy of the original file was written, when it was written in this run.
  type: str
  returned: when a backup was made
keys_changed:
  description: The top-level keys whose value was added or changed.
  type: list
  elements: str
  returned: always
"""

import json
import math
import os
import re
import tempfile
from dataclasses import dataclass, field
from typing import Any

from ansible.module_utils.basic import AnsibleModule

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
BACKUP_SUFFIX = ".smdev-backup"


class JsoncError(ValueError):
    """The text is not JSON with comments; carries the line and column."""


@dataclass
class Member:
    """One top-level `"key": value` of the settings object, as text offsets."""

    key: str
    value_start: int
    value_end: int


@dataclass
class Document:
    """A parsed JSONC settings object: its values and where each top-level member sits."""

    text: str
    data: dict[str, Any]
    members: list[Member] = field(default_factory=list)
    open_brace: int = -1
    close_brace: int = -1


class _Parser:
    """A small JSONC reader: comments and trailing commas allowed, offsets remembered."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> JsoncError:
        line = self.text.count("\n", 0, self.pos) + 1
        column = self.pos - (self.text.rfind("\n", 0, self.pos) + 1) + 1
        return JsoncError(f"{what} at line {line} column {column}")

    def skip(self) -> None:
        """Skip whitespace and comments."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t\r\n\ufeff":
                self.pos += 1
            elif text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end + 1
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    raise self.fail("unterminated /* comment")
                self.pos = end + 2
            else:
                return

    def peek(self) -> str:
        self.skip()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def value(self, members: list[Member] | None = None) -> Any:
        char = self.peek()
        if char == "{":
            return self.obj(members)
        if char == "[":
            return self.array()
        if char == '"':
            return self.string()
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return literal
        match = _NUMBER.match(self.text, self.pos)
        if match:
            self.pos = match.end()
            return json.loads(match.group())
        raise self.fail("expected a value" if char else "unexpected end of text")

    def string(self) -> str:
        try:
            result, self.pos = json.decoder.scanstring(self.text, self.pos + 1)
        except json.JSONDecodeError as error:
            raise self.fail(f"bad string ({error.msg})") from None
        return result

    def obj(self, members: list[Member] | None) -> dict[str, Any]:
        self.pos += 1
        result: dict[str, Any] = {}
        while self.peek() != "}":
            if self.peek() != '"':
                raise self.fail("expected a key in double quotes or }")
            key = self.string()
            if self.peek() != ":":
                raise self.fail("expected :")
            self.pos += 1
            self.skip()
            start = self.pos
            result[key] = self.value()
            if members is not None:
                members.append(Member(key, start, self.pos))
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "}":
                raise self.fail("expected , or }")
        self.pos += 1
        return result

    def array(self) -> list[Any]:
        self.pos += 1
        result: list[Any] = []
        while self.peek() != "]":
            result.append(self.value())
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "]":
                raise self.fail("expected , or ]")
        self.pos += 1
        return result


def parse(text: str) -> Document:
    """Parse a settings.json; empty (or comment-only) text is an empty object."""
    parser = _Parser(text)
    if parser.peek() == "":
        return Document(text, {})
    if parser.peek() != "{":
        raise parser.fail("settings.json must be one JSON object")
    document = Document(text, {}, open_brace=parser.pos)
    document.data = parser.obj(document.members)
    document.close_brace = parser.pos - 1
    if parser.peek() != "":
        raise parser.fail("text after the closing }")
    return document


def check_json(value: Any, where: str) -> None:
    """Refuse anything that json.dumps would not turn into plain JSON."""
    if value is None or isinstance(value, (bool, int, str)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where} must be a JSON value; got {value!r} (JSON has no NaN or Infinity)")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            check_json(item, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where} keys must be strings; got {key!r}")
            check_json(item, f"{where}[{key!r}]")
        return
    raise ValueError(f"{where} must be a JSON value (string, number, boolean, null, list, object); "
                     f"got {type(value).__name__} {value!r}")


def deep_merge(current: Any, wanted: Any) -> Any:
    """Objects merge key by key (wanted wins); anything else is replaced."""
    if isinstance(current, dict) and isinstance(wanted, dict):
        merged = dict(current)
        for key, value in wanted.items():
            merged[key] = deep_merge(current.get(key), value)
        return merged
    return wanted


def _indent_unit(document: Document) -> str:
    """The indentation the user's file uses for its top-level keys (VS Code's own: 4 spaces)."""
    text = document.text
    for member in document.members:
        line_start = text.rfind("\n", 0, member.value_start) + 1
        indent = re.match(r"[ \t]*", text[line_start:]).group()  # type: ignore[union-attr]
        if indent and text[line_start + len(indent)] == '"':
            return indent
    return "    "


def _dump(value: Any, unit: str) -> str:
    """JSON for a top-level value, nested lines indented one level below the key."""
    rendered = json.dumps(value, indent=unit if unit != "\t" else "\t", ensure_ascii=False)
    return rendered.replace("\n", "\n" + unit)


def merge(text: str, settings: dict[str, Any]) -> tuple[str, list[str]]:
    """Return the new text and the keys that changed; the rest of the text is kept as it is."""
    document = parse(text)
    unit = _indent_unit(document)
    changes: list[tuple[str, Any]] = []
    for key, wanted in settings.items():
        merged = deep_merge(document.data.get(key), wanted)
        if key not in document.data or document.data[key] != merged or type(document.data[key]) is not type(merged):
            changes.append((key, merged))
    if not changes:
        return text, []
    if document.open_brace < 0:
        body = ",\n".join(f"{unit}{json.dumps(k)}: {_dump(v, unit)}" for k, v in changes)
        return text.rstrip() + ("\n" if text.strip() else "") + "{\n" + body + "\n}\n", [k for k, _ in changes]

    existing = {m.key: m for m in document.members}
    edits: list[tuple[int, int, str]] = []
    added = []
    for key, value in changes:
        member = existing.get(key)
        if member:
            edits.append((member.value_start, member.value_end, _dump(value, unit)))
        else:
            added.append(f"{unit}{json.dumps(key)}: {_dump(value, unit)}")
    if added:
        edits.extend(_append_edits(document, added))
    new_text = text
    # From the end backwards so offsets stay valid; at one offset, later edits go after earlier ones.
    ordered = sorted(enumerate(edits), key=lambda e: (e[1][0], e[0]), reverse=True)
    for _, (start, end, replacement) in ordered:
        new_text = new_text[:start] + replacement + new_text[end:]
    return new_text, [k for k, _ in changes]


def _append_edits(document: Document, lines: list[str]) -> list[tuple[int, int, str]]:
    """Insert new members before the closing brace, adding the comma the last member needs."""
    text = document.text
    edits = []
    if document.members:
        last = document.members[-1]
        parser = _Parser(text)
        parser.pos = last.value_end
        if parser.peek() != ",":
            edits.append((last.value_end, last.value_end, ","))
    close = document.close_brace
    line_start = text.rfind("\n", 0, close) + 1
    block = ",\n".join(lines)
    if text[line_start:close].strip() == "" and line_start > document.open_brace:
        edits.append((line_start, line_start, block + "\n"))
    else:
        edits.append((close, close, "\n" + block + "\n"))
    return edits


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path"},
            "settings": {"type": "dict", "required": True},
            "label": {"type": "str", "default": "settings"},
            "backup": {"type": "bool", "default": True},
            "validate_only": {"type": "bool", "default": False},
        },
        required_if=[("validate_only", False, ("path",))],
        add_file_common_args=True,
        supports_check_mode=True,
    )
    label = module.params["label"]
    settings = module.params["settings"]
    try:
        for key, value in settings.items():
            check_json(value, f"{label}[{key!r}]")
    except ValueError as error:
        module.fail_json(msg=str(error))
    if module.params["validate_only"]:
        module.exit_json(changed=False, keys_changed=[], msg=f"{label}: {len(settings)} keys are valid JSON")

    path = module.params["path"]
    exists = os.path.exists(path)
    text = ""
    if exists:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    try:
        new_text, keys = merge(text, settings)
    except JsoncError as error:
        module.fail_json(msg=f"{path} is not valid JSON with comments ({error}); it was left as it is. "
                             "Fix it by hand, then run again.")
    result: dict[str, Any] = {"changed": bool(keys), "keys_changed": keys, "path": path}
    if module._diff:
        result["diff"] = {"before": text, "after": new_text, "before_header": path, "after_header": path}
    if keys and not module.check_mode:
        directory = os.path.dirname(path) or "."
        os.makedirs(directory, exist_ok=True)
        backup = path + BACKUP_SUFFIX
        if module.params["backup"] and exists and not os.path.exists(backup):
            module.preserved_copy(path, backup)
            result["backup_file"] = backup
        handle, temp = tempfile.mkstemp(dir=directory, prefix=".settings-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(new_text)
        module.atomic_move(temp, path)
    if exists or not module.check_mode:
        file_args = module.load_file_common_arguments(module.params, path=path)
        result["changed"] = module.set_fs_attributes_if_different(file_args, result["changed"])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
