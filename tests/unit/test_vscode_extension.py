"""vscode_extension against a fake VS Code CLI that keeps its state in a file.

The molecule scenario `ide` proves the same module against a real VS Code
server CLI; these tests cover the decisions (what to install, upgrade, remove)
and the failure paths quickly.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.smdev.workstation.plugins.modules import vscode_extension as ve

MODULE = Path(ve.__file__)

FAKE_CLI = """\
#!{python}
import json, re, sys
from pathlib import Path
state = Path(__file__).with_name("state.json")
log = Path(__file__).with_name("calls.log")
installed = json.loads(state.read_text()) if state.exists() else {{}}
args = sys.argv[1:]
with log.open("a") as handle:
    handle.write(" ".join(args) + "\\n")
if args[:2] == ["--list-extensions", "--show-versions"]:
    print("Extensions installed on this machine:" if installed else "", end="")
    for name, version in sorted(installed.items()):
        print(f"\\n{{name}}@{{version}}", end="")
    print()
elif args[0] == "--install-extension":
    target = args[1]
    if target.endswith(".vsix"):
        match = re.match(r"(.+)-(\\d+\\.\\d+\\.\\d+)\\.vsix$", Path(target).name)
        name, version = match.group(1), match.group(2)
    elif "@" in target:
        name, version = target.split("@")
    elif target == "broken.ext":
        print("Extension 'broken.ext' not found.", file=sys.stderr)
        sys.exit(1)
    else:
        name, version = target, "9.9.9"
    installed[name.lower()] = version
elif args[0] == "--uninstall-extension":
    installed.pop(args[1].lower())
state.write_text(json.dumps(installed))
"""


@pytest.fixture
def cli(tmp_path: Path) -> Path:
    path = tmp_path / "fake-code"
    path.write_text(FAKE_CLI.format(python=sys.executable))
    path.chmod(0o755)
    return path


def state(cli: Path) -> dict[str, str]:
    return json.loads(cli.with_name("state.json").read_text())


def calls(cli: Path) -> list[str]:
    log = cli.with_name("calls.log")
    return [line for line in log.read_text().splitlines() if not line.startswith("--list")] if log.exists() else []


def run_module(cli: Path, extensions: list[dict[str, Any]], check: bool = False,
               remove_unlisted: bool = False) -> dict[str, Any]:
    args_file = cli.with_name("args.json")
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {
        "cli": str(cli), "extensions": extensions, "remove_unlisted": remove_unlisted,
        "_ansible_check_mode": check}}))
    result = subprocess.run([sys.executable, str(MODULE), str(args_file)], capture_output=True, text=True,
                            check=False, timeout=60)
    return json.loads(result.stdout)


def test_parse_listing_skips_headers_and_lowercases() -> None:
    listing = "Extensions installed on this machine:\nMS-Python.Python@2025.1.0\nsmdev.hello@1.0.0\n\n"
    assert ve.parse_listing(listing) == {"ms-python.python": "2025.1.0", "smdev.hello": "1.0.0"}


@pytest.mark.parametrize(
    ("wanted", "installed", "install", "remove"),
    [
        ([{"id": "a.b"}], {}, ["a.b"], []),
        ([{"id": "a.b"}], {"a.b": "1.0.0"}, [], []),
        ([{"id": "A.B"}], {"a.b": "1.0.0"}, [], []),
        ([{"id": "a.b", "version": "1.0.0"}], {"a.b": "1.0.0"}, [], []),
        ([{"id": "a.b", "version": "2.0.0"}], {"a.b": "1.0.0"}, ["a.b"], []),
        ([{"id": "a.b", "version": "1.0.0"}], {"a.b": "2.0.0"}, ["a.b"], []),
        ([], {"a.b": "1.0.0"}, [], []),
    ],
)
def test_plan(wanted: list[dict[str, Any]], installed: dict[str, str], install: list[str], remove: list[str]) -> None:
    to_install, to_remove = ve.plan(wanted, installed, remove_unlisted=False)
    assert [e["id"] for e in to_install] == install
    assert to_remove == remove


def test_plan_removes_only_unlisted_when_asked() -> None:
    _, to_remove = ve.plan([{"id": "a.b"}], {"a.b": "1.0.0", "c.d": "1.0.0", "e.f": "2.0.0"}, remove_unlisted=True)
    assert to_remove == ["c.d", "e.f"]


@pytest.mark.parametrize(
    ("extensions", "message"),
    [
        ([{"id": "python"}], "[0].id must be publisher.name"),
        ([{"id": ".python"}], "[0].id must be publisher.name"),
        ([{"id": "ms-python."}], "[0].id must be publisher.name"),
        ([{"id": "ms python.python"}], "[0].id must be publisher.name"),
        ([{"id": "a.b.c"}], "[0].id must be publisher.name"),
        ([{"id": "a.b"}, {"id": "A.B"}], "[1].id 'A.B' is listed twice"),
        ([{"id": "a.b", "version": "latest"}], "[0].version must be a version"),
        ([{"id": "a.b", "version": "1.2"}], "[0].version must be a version"),
        ([{"id": "a.b", "version": "v1.2.3"}], "[0].version must be a version"),
    ],
)
def test_bad_entries_are_refused_before_the_cli_runs(cli: Path, extensions: list[dict[str, Any]],
                                                     message: str) -> None:
    result = run_module(cli, extensions)
    assert result["failed"] is True
    assert message in result["msg"]
    assert not cli.with_name("calls.log").exists()


def test_install_pin_upgrade_and_remove(cli: Path, tmp_path: Path) -> None:
    v1, v2 = tmp_path / "smdev.hello-1.0.0.vsix", tmp_path / "smdev.hello-1.1.0.vsix"
    first = run_module(cli, [{"id": "smdev.hello", "version": "1.0.0", "vsix": str(v1)}, {"id": "a.b"}])
    assert first["changed"] is True
    assert state(cli) == {"smdev.hello": "1.0.0", "a.b": "9.9.9"}

    again = run_module(cli, [{"id": "smdev.hello", "version": "1.0.0", "vsix": str(v1)}, {"id": "a.b"}])
    assert again["changed"] is False
    assert len(calls(cli)) == 2

    check = run_module(cli, [{"id": "smdev.hello", "version": "1.1.0", "vsix": str(v2)}, {"id": "a.b"}], check=True)
    assert check["changed"] is True and check["installed"] == ["smdev.hello@1.1.0"]
    assert state(cli)["smdev.hello"] == "1.0.0"

    upgrade = run_module(cli, [{"id": "smdev.hello", "version": "1.1.0", "vsix": str(v2)}, {"id": "a.b"}])
    assert upgrade["changed"] is True
    assert upgrade["extensions"] == {"smdev.hello": "1.1.0", "a.b": "9.9.9"}

    remove = run_module(cli, [{"id": "a.b"}], remove_unlisted=True)
    assert remove["removed"] == ["smdev.hello"]
    assert state(cli) == {"a.b": "9.9.9"}
    assert run_module(cli, [{"id": "a.b"}], remove_unlisted=True)["changed"] is False


def test_a_vsix_with_another_version_than_pinned_fails(cli: Path, tmp_path: Path) -> None:
    vsix = str(tmp_path / "smdev.hello-1.0.0.vsix")
    result = run_module(cli, [{"id": "smdev.hello", "version": "2.0.0", "vsix": vsix}])
    assert result["failed"] is True
    assert "wrong version" in result["msg"]


def test_cli_failure_is_reported_with_its_output(cli: Path) -> None:
    result = run_module(cli, [{"id": "broken.ext"}])
    assert result["failed"] is True
    assert "not found" in result["msg"]


def test_missing_cli_is_reported(tmp_path: Path) -> None:
    result = run_module(tmp_path / "no-such-code", [{"id": "a.b"}])
    assert result["failed"] is True
    assert "was not found" in result["msg"]


def test_missing_cli_in_check_mode_reports_what_would_be_installed(tmp_path: Path) -> None:
    result = run_module(tmp_path / "no-such-code", [{"id": "a.b", "version": "1.0.0"}], check=True)
    assert result["changed"] is True
    assert result["installed"] == ["a.b@1.0.0"]


@pytest.mark.parametrize(
    ("ext", "argument"),
    [
        ({"id": "a.b"}, "a.b"),
        ({"id": "a.b", "version": "1.0.0"}, "a.b@1.0.0"),
        ({"id": "a.b", "version": "1.0.0", "vsix": "/srv/vsix/a.vsix"}, "/srv/vsix/a.vsix"),
        ({"id": "a.b", "vsix": "https://example.test/x/a-1.0.0.vsix"}, "/cache/a-1.0.0.vsix"),
    ],
)
def test_install_argument(ext: dict[str, Any], argument: str) -> None:
    assert ve.install_argument(ext, "/cache") == argument
