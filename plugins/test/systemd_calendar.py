"""Test: is a string a systemd OnCalendar expression (systemd.time(7))?

Validates on the control node, in --check and before anything changes,
without needing systemd-analyze on either side.
"""

from __future__ import annotations

DOCUMENTATION = r"""
---
name: systemd_calendar
short_description: Whether a string is a systemd OnCalendar expression
description:
  - True for expressions systemd accepts in C(OnCalendar=), following systemd.time(7)
    C([weekdays] [[year-]month-day] [hour:minute[:second]] [timezone]), the shorthands
    (C(daily), C(hourly), ...) and C(@epoch).
  - Each date and time field takes C(*), numbers, lists (C(,)), ranges (C(..)) and
    repetitions (C(start/step)), in range for the field. C(~) counts days from the month's end.
options:
  _input:
    description: The expression.
    type: str
    required: true
"""

EXAMPLES = r"""
- ansible.builtin.assert:
    that: drift_schedule is smdev.workstation.systemd_calendar
"""

RETURN = r"""
_value:
  description: Whether the expression is valid.
  type: bool
"""

import re
import zoneinfo
from typing import Any

SHORTHANDS = {
    "minutely", "hourly", "daily", "monthly", "weekly", "yearly", "annually", "quarterly", "semiannually",
}
WEEKDAYS = {
    name: index
    for index, names in enumerate(
        [("mon", "monday"), ("tue", "tuesday"), ("wed", "wednesday"), ("thu", "thursday"),
         ("fri", "friday"), ("sat", "saturday"), ("sun", "sunday")]
    )
    for name in names
}
NUMBER = re.compile(r"^\d+$")
SECONDS = re.compile(r"^\d+(\.\d{1,6})?$")


def _value(text: str, low: int, high: int, fraction: bool = False) -> float | None:
    if not (SECONDS if fraction else NUMBER).match(text):
        return None
    value = float(text) if fraction else int(text)
    return value if low <= value < high + 1 else None


def _field(text: str, low: int, high: int, fraction: bool = False) -> bool:
    """One date/time field: `*`, or a comma list of value, a..b, value/step, a..b/step."""
    if text == "*":
        return True
    for item in text.split(","):
        start_end, _, step = item.partition("/")
        if step and _value(step, 1, high if high > 1 else 1, fraction) is None:
            return False
        start, dots, end = start_end.partition("..")
        first = _value(start, low, high, fraction)
        if first is None:
            return False
        if dots and ((last := _value(end, low, high, fraction)) is None or last < first):
            return False
    return True


def _weekdays(text: str) -> bool:
    for item in text.lower().split(","):
        parts = re.split(r"\.\.|-", item)
        if len(parts) > 2 or not all(part in WEEKDAYS for part in parts):
            return False
    return True


def _date(text: str) -> bool:
    match = re.fullmatch(r"(?:([^-~:]+)-)?([^-~:]+)([-~])([^-~:]+)", text)
    if not match:
        return False
    year, month, _, day = match.groups()
    return (year is None or _field(year, 1970, 2199)) and _field(month, 1, 12) and _field(day, 1, 31)


def _time(text: str) -> bool:
    parts = text.split(":")
    if len(parts) not in (2, 3):
        return False
    hour, minute, *second = parts
    return _field(hour, 0, 23) and _field(minute, 0, 59) and (not second or _field(second[0], 0, 59, fraction=True))


def _timezone(text: str) -> bool:
    if text.upper() == "UTC":
        return True
    try:
        return text in zoneinfo.available_timezones()
    except Exception:
        return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*", text))


def is_calendar(expression: Any) -> bool:
    """Whether systemd would accept expression as OnCalendar= (one expression)."""
    if not isinstance(expression, str):
        return False
    words = expression.split()
    if not words or expression != expression.strip():
        return False
    if len(words) == 1 and re.fullmatch(r"@\d+", words[0]):
        return True
    if len(words) > 1 and _timezone(words[-1]) and not _time(words[-1]):
        words = words[:-1]
    if len(words) == 1 and words[0].lower() in SHORTHANDS:
        return True
    if words and _weekdays(words[0]):
        words = words[1:]
        if not words:
            return True
    if (words and "-" in words[0]) or (words and "~" in words[0]):
        if not _date(words[0]):
            return False
        words = words[1:]
    if words and _time(words[0]):
        words = words[1:]
    elif words:
        return False
    return not words


class TestModule:
    """Jinja2 tests of smdev.workstation."""

    def tests(self) -> dict[str, Any]:
        return {"systemd_calendar": is_calendar}
