"""For every pytest run of this checkout (the unit tests and the scenarios' testinfra suites).

The marks below (declared in pyproject.toml) say what a test proves for issue 11;
each marked test's mark goes into the JUnit report, and `make test` sums them up
at the end (tests/harness/run.py, count_proofs).
"""

from __future__ import annotations

import pytest

PROOFS = ("bad_input", "fault", "user_data")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Record each test's proof mark as a JUnit property, for the harness's summary."""
    for item in items:
        for proof in PROOFS:
            if item.get_closest_marker(proof):
                item.user_properties.append(("proof", proof))
