"""The systemd_calendar test plugin agrees with systemd on what OnCalendar accepts."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

from ansible_collections.smdev.workstation.plugins.test import systemd_calendar
from ansible_collections.smdev.workstation.plugins.test.systemd_calendar import is_calendar

VALID = [
    "daily", "hourly", "minutely", "weekly", "monthly", "yearly", "annually", "quarterly", "semiannually",
    "Daily", "daily UTC", "Mon..Fri 12:30", "Mon-Fri 12:00", "Sat,Sun 10:00", "mon 3:5", "Monday *-*-* 00:00:00",
    "*-*-* 03:00:00", "*-*-* 03:00:00 UTC", "*-*-* 03:00 Europe/Berlin", "*:0/15", "*:00", "12:30",
    "*-*-01 00:00:00", "*-02~03", "*~*", "Mon  12:00", "2024-*-* 1:2:3.5", "2030-01-01",
    "*-1,4,7,10-1 06:00", "Mon,Wed..Fri *-*-* 8:00",
    "*-*-1..7 9:00", "0/2:00", "*:*:0/10", "@1700000000", "Thu 04:00", "*-12-25", "08..18:00",
]
INVALID = [
    "", " ", "daily ", " daily", "dialy", "every day", "25:00", "12:60", "*:*/15", "Mon..Funday", "Mon...Fri",
    "13-01", "*-13-01", "*-*-32", "1969-01-01", "*-*-* 03:00:00 Mars/Olympus", "12:30:61", "12", "*-*-* *-*-*",
    "Mon 12:00 13:00", "12:00 Mon", "daily weekly", "0..", "12:30; rm -rf /", "*-*-5..1", "1:2:3:4",
    "@", "@x", "12:0/0", "Mon,,Tue 10:00", "Mon..Fri..Sun",
]


def systemd_accepts(expression: str) -> bool:
    return subprocess.run(["systemd-analyze", "calendar", expression], capture_output=True, check=False).returncode == 0


@pytest.mark.parametrize("expression", VALID)
def test_valid_expressions_pass(expression: str) -> None:
    assert is_calendar(expression)


@pytest.mark.parametrize("expression", INVALID)
def test_invalid_expressions_fail(expression: str) -> None:
    assert not is_calendar(expression)


@pytest.mark.parametrize("value", [None, 3, ["daily"], {"daily": True}])
def test_non_strings_fail(value: Any) -> None:
    assert not is_calendar(value)


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed here")
@pytest.mark.parametrize("expression", [e for e in VALID + INVALID if e.strip() == e and e])
def test_systemd_agrees(expression: str) -> None:
    """Where systemd-analyze exists, the table itself is checked against systemd."""
    assert systemd_accepts(expression) == is_calendar(expression)


def test_registered_as_a_jinja_test() -> None:
    assert systemd_calendar.TestModule().tests()["systemd_calendar"] is is_calendar
