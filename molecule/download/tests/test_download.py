"""What the download scenario left on the host, as `dev` sees it."""

from __future__ import annotations

from typing import Any

FIXTURE_BODY = "smdev.workstation download fixture 1.0\n"


def test_checksummed_download_is_in_place(as_user: Any) -> None:
    fixture = as_user.file("/var/cache/smdev/fixture-1.0.txt")
    assert fixture.content_string == FIXTURE_BODY
    assert (fixture.user, fixture.group, fixture.mode) == ("root", "root", 0o644)


def test_signed_download_has_the_requested_owner_and_mode(as_user: Any) -> None:
    fixture = as_user.file("/var/cache/smdev/fixture-1.0-signed.txt")
    assert fixture.content_string == FIXTURE_BODY
    assert (fixture.user, fixture.group, fixture.mode) == ("dev", "dev", 0o640)


def test_no_temporary_files_are_left(as_user: Any) -> None:
    leftovers = [name for name in as_user.file("/var/cache/smdev").listdir() if name.startswith(".")]
    assert leftovers == []
