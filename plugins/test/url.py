"""Jinja tests about URLs, shared by the roles."""

from __future__ import annotations

import urllib.parse
from typing import Any


def url_with_password(value: Any) -> bool:
    """`url is smdev.workstation.url_with_password`: the URL carries a password (scheme://user:password@host).

    The tasks that write or pass such a URL are no_log when this is true.
    """
    if not isinstance(value, str) or "@" not in value:
        return False
    try:
        return bool(urllib.parse.urlsplit(value.strip()).password)
    except ValueError:
        return False


class TestModule:
    def tests(self) -> dict[str, Any]:
        return {"url_with_password": url_with_password}
