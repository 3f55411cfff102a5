"""Every module's documentation parses, so `ansible-doc smdev.workstation.<module>` works for users."""

from __future__ import annotations

from pathlib import Path

import pytest
from ansible.parsing.plugin_docs import read_docstring

MODULES = sorted((Path(__file__).resolve().parents[2] / "plugins" / "modules").glob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=[m.stem for m in MODULES])
def test_module_documentation_parses(module: Path) -> None:
    docs = read_docstring(str(module))
    assert docs["doc"], f"{module.name}: DOCUMENTATION is missing or does not parse as YAML"
    assert docs["doc"]["module"] == module.stem
    assert docs["plainexamples"], f"{module.name}: EXAMPLES is missing"
