"""vscode_settings: the user's settings.json is merged, never clobbered."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.smdev.workstation.plugins.modules import vscode_settings as vs

MODULE = Path(vs.__file__)
OURS = {"python.defaultInterpreterPath": "/home/dev/sagemaker/.venv/bin/python", "ruff.enable": True}

USER_FILE = """\
// dev's settings, kept by hand
{
    // my font
    "editor.fontSize": 15, /* inline */
    "python.defaultInterpreterPath": "/usr/bin/python3", // old
    "files.exclude": {
        "**/.git": true,
    },
}
"""


def strip_jsonc(text: str) -> Any:
    return vs.parse(text).data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("   \n", {}),
        ("// only a comment\n", {}),
        ("{}", {}),
        ('{"a": 1}', {"a": 1}),
        ('{"a": 1,}', {"a": 1}),
        ('{"a": [1, 2,],}', {"a": [1, 2]}),
        ('{"a": "http://x//y"}', {"a": "http://x//y"}),
        ('{"a": "/* not a comment */"}', {"a": "/* not a comment */"}),
        ('{/* c */"a"/* c */:/* c */1/* c */}', {"a": 1}),
        ('{"a": {"b": {"c": null}}}', {"a": {"b": {"c": None}}}),
        ('{"a": -1.5e3, "b": true, "c": false}', {"a": -1500.0, "b": True, "c": False}),
        ('{"a": "\\"quoted\\" \\u00e9"}', {"a": '"quoted" é'}),
        ('\ufeff{"a": 1}', {"a": 1}),
    ],
)
def test_parses_jsonc(text: str, expected: Any) -> None:
    assert strip_jsonc(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "{",
        '{"a": 1',
        '{"a" 1}',
        "{a: 1}",
        '{"a": 1 "b": 2}',
        '{"a": 01x}',
        '{"a": 1} trailing',
        "[1, 2]",
        '{"a": /* unterminated }',
        '{"a": "unterminated}',
        '{"a": undefined}',
        '{"a": [1 2]}',
        '{,}',
    ],
)
def test_invalid_jsonc_is_reported_with_a_position(text: str) -> None:
    with pytest.raises(vs.JsoncError, match="line 1 column"):
        vs.parse(text)


@pytest.mark.user_data
def test_user_keys_and_comments_survive_a_merge() -> None:
    new_text, keys = vs.merge(USER_FILE, OURS)
    assert keys == ["python.defaultInterpreterPath", "ruff.enable"]
    for kept in ["// dev's settings, kept by hand", "// my font", "/* inline */", '"editor.fontSize": 15',
                 '"**/.git": true,', "// old"]:
        assert kept in new_text
    assert strip_jsonc(new_text) == {
        "editor.fontSize": 15,
        "python.defaultInterpreterPath": "/home/dev/sagemaker/.venv/bin/python",
        "files.exclude": {"**/.git": True},
        "ruff.enable": True,
    }
    assert '    "ruff.enable": true\n}' in new_text


def test_a_second_merge_changes_nothing() -> None:
    once, _ = vs.merge(USER_FILE, OURS)
    twice, keys = vs.merge(once, OURS)
    assert keys == []
    assert twice == once


def test_only_the_owned_value_text_is_replaced() -> None:
    new_text, _ = vs.merge(USER_FILE, {"python.defaultInterpreterPath": "/opt/py"})
    assert new_text == USER_FILE.replace('"/usr/bin/python3"', '"/opt/py"')


def test_missing_file_gets_a_new_object() -> None:
    new_text, keys = vs.merge("", {"a": 1, "b": {"c": [1]}})
    assert keys == ["a", "b"]
    assert json.loads(new_text) == {"a": 1, "b": {"c": [1]}}
    assert new_text.endswith("}\n")


def test_comment_only_file_keeps_its_comment() -> None:
    new_text, _ = vs.merge("// hello\n", {"a": 1})
    assert new_text.startswith("// hello\n{")
    assert strip_jsonc(new_text) == {"a": 1}


@pytest.mark.parametrize("text", ["{}", "{ }", "{\n}", "{\n  // nothing yet\n}\n", '{"x": 1}', '{"x": 1,}',
                                  '{\n\t"x": 1 // c\n}', '{"x": 1 /* c */}'])
def test_appending_keeps_valid_jsonc(text: str) -> None:
    new_text, keys = vs.merge(text, {"a": {"b": 1}})
    assert keys == ["a"]
    assert strip_jsonc(new_text)["a"] == {"b": 1}
    assert vs.merge(new_text, {"a": {"b": 1}}) == (new_text, [])


def test_tab_indented_file_stays_tab_indented() -> None:
    new_text, _ = vs.merge('{\n\t"x": 1\n}\n', {"a": 2})
    assert '\n\t"a": 2\n' in new_text


def test_nested_objects_are_merged_not_replaced() -> None:
    text = '{\n    "[python]": {\n        "editor.tabSize": 2,\n        "editor.formatOnSave": false\n    }\n}\n'
    new_text, keys = vs.merge(text, {"[python]": {"editor.formatOnSave": True,
                                                  "editor.defaultFormatter": "charliermarsh.ruff"}})
    assert keys == ["[python]"]
    assert strip_jsonc(new_text) == {"[python]": {"editor.tabSize": 2, "editor.formatOnSave": True,
                                                  "editor.defaultFormatter": "charliermarsh.ruff"}}


def test_nested_object_already_right_is_unchanged() -> None:
    text = '{"[python]": {"editor.tabSize": 2, "editor.formatOnSave": true}}'
    assert vs.merge(text, {"[python]": {"editor.formatOnSave": True}}) == (text, [])


@pytest.mark.parametrize(("old", "new"), [(1, True), (True, 1), (0, False), (1.0, 1), ("1", 1), (None, False)])
def test_type_changes_count_as_changes(old: Any, new: Any) -> None:
    text = json.dumps({"k": old})
    new_text, keys = vs.merge(text, {"k": new})
    assert keys == ["k"]
    assert json.loads(new_text)["k"] == new
    assert type(json.loads(new_text)["k"]) is type(new)


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), -float("inf"), {1: "x"}, [1, float("nan")], {"a": {"b": object()}}, b"bytes",
     {1, 2}, complex(1, 2)],
)
def test_values_that_are_not_json_are_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="ide_vscode_settings"):
        vs.check_json(value, "ide_vscode_settings['k']")


@pytest.mark.parametrize("value", [None, True, 0, -3, 1.5, "x", [], {}, [1, "a", {"b": None}], ("a", "b")])
def test_json_values_are_accepted(value: Any) -> None:
    vs.check_json(value, "settings['k']")


def run_module(tmp_path: Path, args: dict[str, Any]) -> dict[str, Any]:
    """Run the module the way Ansible does, with its arguments in a file."""
    args_file = tmp_path / "args.json"
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    result = subprocess.run([sys.executable, str(MODULE), str(args_file)], capture_output=True, text=True,
                            check=False, timeout=60)
    return json.loads(result.stdout)


@pytest.mark.user_data
def test_module_writes_a_backup_once_and_reports_changed(tmp_path: Path) -> None:
    settings = tmp_path / "Code" / "User" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(USER_FILE)
    first = run_module(tmp_path, {"path": str(settings), "settings": OURS, "mode": "0600"})
    assert first["changed"] is True, first
    assert Path(first["backup_file"]).read_text() == USER_FILE
    assert settings.stat().st_mode & 0o777 == 0o600
    second = run_module(tmp_path, {"path": str(settings), "settings": OURS, "mode": "0600"})
    assert second["changed"] is False, second
    third = run_module(tmp_path, {"path": str(settings), "settings": {"x": 1}, "mode": "0600"})
    assert third["changed"] is True
    assert "backup_file" not in third
    assert Path(first["backup_file"]).read_text() == USER_FILE


def test_module_check_mode_changes_nothing_and_shows_a_diff(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(USER_FILE)
    result = run_module(tmp_path, {"path": str(settings), "settings": OURS, "_ansible_check_mode": True,
                                   "_ansible_diff": True})
    assert result["changed"] is True
    assert '"ruff.enable": true' in result["diff"]["after"]
    assert settings.read_text() == USER_FILE
    assert not (tmp_path / "settings.json.smdev-backup").exists()


def test_module_check_mode_on_a_missing_file(tmp_path: Path) -> None:
    settings = tmp_path / "nowhere" / "settings.json"
    result = run_module(tmp_path, {"path": str(settings), "settings": OURS, "_ansible_check_mode": True})
    assert result["changed"] is True
    assert not settings.parent.exists()


def test_module_creates_a_missing_file(tmp_path: Path) -> None:
    settings = tmp_path / "User" / "settings.json"
    result = run_module(tmp_path, {"path": str(settings), "settings": OURS})
    assert result["changed"] is True
    assert json.loads(settings.read_text()) == OURS
    assert "backup_file" not in result


@pytest.mark.user_data
def test_module_leaves_invalid_json_alone(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text('{"editor.fontSize": 15 "oops"}\n')
    result = run_module(tmp_path, {"path": str(settings), "settings": OURS})
    assert result["failed"] is True
    assert "not valid JSON" in result["msg"] and "line 1 column" in result["msg"]
    assert settings.read_text() == '{"editor.fontSize": 15 "oops"}\n'
    assert not (tmp_path / "settings.json.smdev-backup").exists()


def test_module_validate_only_names_the_variable(tmp_path: Path) -> None:
    result = run_module(tmp_path, {"settings": {"a": float("nan")}, "label": "ide_vscode_settings",
                                   "validate_only": True})
    assert result["failed"] is True
    assert "ide_vscode_settings['a']" in result["msg"]
    ok = run_module(tmp_path, {"settings": {"a": 1}, "validate_only": True})
    assert ok["changed"] is False and not ok.get("failed")
