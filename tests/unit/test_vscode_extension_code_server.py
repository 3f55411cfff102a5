"""vscode_extension against a real VS Code server CLI: code-server from the npm registry.

The marketplace cannot be reached here, so two versions of a tiny extension are
packaged with @vscode/vsce (also from npm) and installed from .vsix: install,
listed with the pinned version, a second run changes nothing, upgrade, removal.

code-server runs on this host (the test side), not in a container: its npm
install builds native modules, which takes minutes per container but once here
(cached in build/). It needs Node 20 with its headers (/usr/include/node);
code-server's postinstall would download ripgrep from GitHub, so the install
skips install scripts and rebuilds only the native modules the CLI loads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.smdev.workstation.plugins.modules import vscode_extension as ve

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build" / "code-server"
CODE_SERVER = "4.100.3"  # the newest that runs on Node 20
VSCE = "3.9.2"
NPM = ["npm", "--no-audit", "--no-fund", "--loglevel=error"]


def _node_major() -> int:
    node = shutil.which("node")
    if not node or not shutil.which("npm"):
        return 0
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True).stdout
    return int(version.strip().lstrip("v").split(".")[0])


def _run(argv: list[str], cwd: Path) -> None:
    env = {**os.environ, "npm_config_nodedir": "/usr"}
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    output = f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0, f"{' '.join(argv)} in {cwd} failed:\n{output}"


@pytest.fixture(scope="session")
def code_server() -> Path:
    """code-server's CLI, installed once into build/ from the npm registry."""
    if _node_major() != 20 or not Path("/usr/include/node/node_version.h").exists():
        pytest.skip(f"code-server {CODE_SERVER} needs Node 20 with headers (apt: nodejs, libnode-dev)")
    home = BUILD / CODE_SERVER
    cli = home / "node_modules" / ".bin" / "code-server"
    if (home / ".ready").exists():
        return cli
    home.mkdir(parents=True, exist_ok=True)
    _run([*NPM, "install", "--ignore-scripts", f"code-server@{CODE_SERVER}"], home)
    _run([*NPM, "rebuild", "argon2", "--build-from-source"], home)
    vscode = home / "node_modules" / "code-server" / "lib" / "vscode"
    _run([*NPM, "install", "--omit=dev", "--ignore-scripts"], vscode)
    _run([*NPM, "rebuild", "@vscode/spdlog", "native-watchdog", "@parcel/watcher"], vscode)
    (home / ".ready").touch()
    return cli


@pytest.fixture(scope="session")
def vsix() -> dict[str, Path]:
    """smdev.hello 1.0.0 and 1.1.0, packaged by @vscode/vsce."""
    if _node_major() < 20:
        pytest.skip("@vscode/vsce needs Node 20 or newer")
    home = BUILD / f"vsce-{VSCE}"
    tool = home / "node_modules" / ".bin" / "vsce"
    if not tool.exists():
        home.mkdir(parents=True, exist_ok=True)
        _run([*NPM, "install", f"@vscode/vsce@{VSCE}"], home)
    built = {}
    for version in ("1.0.0", "1.1.0"):
        out = home / f"smdev.hello-{version}.vsix"
        if not out.exists():
            source = home / f"hello-{version}"
            source.mkdir(exist_ok=True)
            (source / "package.json").write_text(json.dumps({
                "name": "hello", "displayName": "smdev hello", "description": "A tiny test extension",
                "publisher": "smdev", "version": version, "license": "MIT", "engines": {"vscode": "^1.80.0"},
                "repository": {"type": "git", "url": "https://example.test/hello.git"}}))
            (source / "README.md").write_text("# hello\n")
            (source / "LICENSE").write_text("MIT\n")
            _run([str(tool), "package", "--out", str(out)], source)
        built[version] = out
    return built


def run_module(tmp_path: Path, cli: Path, extensions: list[dict[str, Any]], check: bool = False,
               remove_unlisted: bool = False) -> dict[str, Any]:
    args_file = tmp_path / "args.json"
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {
        "cli": str(cli), "extensions": extensions, "remove_unlisted": remove_unlisted,
        "cli_args": ["--extensions-dir", str(tmp_path / "extensions"), "--user-data-dir", str(tmp_path / "data")],
        "_ansible_check_mode": check}}))
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, str(Path(ve.__file__)), str(args_file)], capture_output=True,
                            text=True, check=False, timeout=300, env=env)
    return json.loads(result.stdout)


def test_install_pin_idempotence_upgrade_and_removal(tmp_path: Path, code_server: Path,
                                                      vsix: dict[str, Path]) -> None:
    v1 = [{"id": "smdev.hello", "version": "1.0.0", "vsix": str(vsix["1.0.0"])}]
    v2 = [{"id": "smdev.hello", "version": "1.1.0", "vsix": str(vsix["1.1.0"])}]

    check = run_module(tmp_path, code_server, v1, check=True)
    assert check["changed"] is True and check["extensions"] == {}, check

    installed = run_module(tmp_path, code_server, v1)
    assert installed["changed"] is True, installed
    assert installed["extensions"] == {"smdev.hello": "1.0.0"}

    again = run_module(tmp_path, code_server, v1)
    assert again["changed"] is False, again

    upgraded = run_module(tmp_path, code_server, v2)
    assert upgraded["changed"] is True, upgraded
    assert upgraded["extensions"] == {"smdev.hello": "1.1.0"}
    assert run_module(tmp_path, code_server, v2)["changed"] is False

    removed = run_module(tmp_path, code_server, [], remove_unlisted=True)
    assert removed["changed"] is True and removed["removed"] == ["smdev.hello"], removed
    assert removed["extensions"] == {}
    assert run_module(tmp_path, code_server, [], remove_unlisted=True)["changed"] is False


def test_a_pinned_version_the_vsix_does_not_carry_fails(tmp_path: Path, code_server: Path,
                                                        vsix: dict[str, Path]) -> None:
    result = run_module(tmp_path, code_server, [{"id": "smdev.hello", "version": "2.0.0",
                                                 "vsix": str(vsix["1.0.0"])}])
    assert result["failed"] is True
    assert "wrong version" in result["msg"]
