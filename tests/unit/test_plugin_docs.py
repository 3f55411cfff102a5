"""Every plugin's documentation parses, so `ansible-doc` works for users: modules, filters and tests."""

from __future__ import annotations

import functools
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ansible.parsing.plugin_docs import read_docstring

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted((ROOT / "plugins" / "modules").glob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=[m.stem for m in MODULES])
def test_module_documentation_parses(module: Path) -> None:
    docs = read_docstring(str(module))
    assert docs["doc"], f"{module.name}: DOCUMENTATION is missing or does not parse as YAML"
    assert docs["doc"]["module"] == module.stem
    assert docs["plainexamples"], f"{module.name}: EXAMPLES is missing"



def jinja_plugins() -> list[tuple[str, str]]:
    """(kind, name) of every filter and test the collection's plugin files export."""
    found = []
    for kind, method in (("filter", "filters"), ("test", "tests")):
        for path in sorted((ROOT / "plugins" / kind).glob("*.py")):
            module = importlib.import_module(f"ansible_collections.smdev.workstation.plugins.{kind}.{path.stem}")
            plugin_class = module.FilterModule if kind == "filter" else module.TestModule
            found += [(kind, name) for name in getattr(plugin_class(), method)()]
    return found


@functools.cache
def ansible_doc(kind: str) -> dict[str, dict]:
    """What `ansible-doc -t <kind> --json` shows for every plugin of that kind (one run per kind)."""
    names = [f"smdev.workstation.{name}" for plugin_kind, name in jinja_plugins() if plugin_kind == kind]
    result = subprocess.run([str(Path(sys.executable).parent / "ansible-doc"), "-t", kind, "--json", *names],
                            capture_output=True, text=True, check=False, timeout=120,
                            env={**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections")})
    # One plugin without docs makes ansible-doc print none: its error names it.
    assert result.returncode == 0 and result.stdout, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(("kind", "name"), jinja_plugins(), ids=[f"{k}-{n}" for k, n in jinja_plugins()])
def test_filter_and_test_documentation_parses(kind: str, name: str) -> None:
    """`ansible-doc -t filter|test smdev.workstation.<name>` (in-file docs, or plugins/<kind>/<name>.yml)."""
    docs = ansible_doc(kind).get(f"smdev.workstation.{name}", {}).get("doc")
    assert docs, f"ansible-doc -t {kind} smdev.workstation.{name} finds no documentation"
    assert docs["name"] == name
    assert docs["description"]
