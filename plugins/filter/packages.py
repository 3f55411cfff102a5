"""Filters shared by the roles that install Debian packages."""

from __future__ import annotations

from typing import Any

# The roles probe with: dpkg-query --show --showformat='${db:Status-Abbrev}${Package}=${Version}\n' NAME...
# Status-Abbrev is three characters: the wanted state (i install, h hold, ...),
# the package's state (i: installed), and an error flag.
ABBREV = 3


def dpkg_missing(wanted: list[str], dpkg_query_stdout: str) -> list[str]:
    """The entries of `wanted` (`name` or `name=version`) the probe's output does not show installed.

    `{{ packages | smdev.workstation.dpkg_missing(probe.stdout) }}`: apt runs only
    when this is not empty. An entry dpkg does not list as such (`name:arch`,
    a virtual package, another version) counts as missing, so apt decides.
    """
    installed = set()
    for line in (dpkg_query_stdout or "").splitlines():
        if len(line) > ABBREV and line[1] == "i" and line[2] == " ":
            package = line[ABBREV:].strip()
            installed |= {package, package.partition("=")[0]}
    return [entry for entry in wanted if entry not in installed]


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {"dpkg_missing": dpkg_missing}
