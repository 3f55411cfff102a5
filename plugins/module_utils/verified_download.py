"""The one download mechanism of smdev.workstation.

Pinned version in the URL, sha256 always, a detached GPG signature with a
pinned primary-key fingerprint where upstream signs, retries, and
verify-before-replace: the file at `dest` is only ever swapped, atomically,
for a download that passed every check. Temporary files never outlive a call.

Standard library only: this runs on the managed host's system Python.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
FINGERPRINT_RE = re.compile(r"^[0-9A-F]{40}$")
# gpg --status-fd keywords that mean "do not trust this signature".
_REFUSING_STATUS = {
    "BADSIG": "the signature does not match the file",
    "EXPKEYSIG": "the signing key has expired",
    "REVKEYSIG": "the signing key has been revoked",
    "EXPSIG": "the signature has expired",
    "ERRSIG": "the signature could not be checked (unknown key or algorithm)",
}


class DownloadError(Exception):
    """A download or verification failure, worded for the person at the terminal."""


def normalise_fingerprint(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def mirror_url_for(url: str, mirror_url: str) -> str:
    """Map an upstream URL into the mirror's `<host>/<path>` layout.

    >>> mirror_url_for("https://example.org/a/b.tgz", "http://127.0.0.1:8000/m/")
    'http://127.0.0.1:8000/m/example.org/a/b.tgz'
    """
    if not mirror_url:
        return url
    parts = urllib.parse.urlsplit(url)
    return f"{mirror_url.rstrip('/')}/{parts.netloc}{parts.path}"


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch_once(url: str, path: str, timeout: float) -> None:
    """Write url's body to path, or raise DownloadError saying why not."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            expected = response.headers.get("Content-Length")
            written = 0
            with open(path, "wb") as out:
                for block in iter(lambda: response.read(1 << 16), b""):
                    out.write(block)
                    written += len(block)
    except urllib.error.HTTPError as error:
        raise DownloadError(f"{url}: server answered HTTP {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        raise DownloadError(f"{url}: {error.reason}") from error
    except TimeoutError as error:
        raise DownloadError(f"{url}: no answer within {timeout:g} s") from error
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise DownloadError(
                f"no space left on device while writing {path} "
                f"(free some space in {os.path.dirname(path)})"
            ) from error
        raise DownloadError(f"{url}: {error}") from error
    if expected is not None and written != int(expected):
        raise DownloadError(f"{url}: truncated, got {written} of {expected} bytes")


def fetch(url: str, path: str, sha256: str, retries: int, delay: float, timeout: float) -> int:
    """Download url to path until its sha256 matches; return the attempts used."""
    errors: list[str] = []
    for attempt in range(1, retries + 2):
        try:
            _fetch_once(url, path, timeout)
            actual = sha256_of(path)
            if actual != sha256:
                raise DownloadError(f"{url}: sha256 is {actual}, expected {sha256}")
            return attempt
        except DownloadError as error:
            if "no space left" in str(error):
                raise
            errors.append(f"attempt {attempt}: {error}")
            if attempt <= retries:
                time.sleep(delay)
    raise DownloadError("download failed after retries; " + "; ".join(errors))


def _colon_rows(text: str, record: str) -> list[list[str]]:
    return [line.split(":") for line in text.splitlines() if line.startswith(record + ":")]


def _check_certification(base: list[str], signer: str, certifier: str) -> None:
    """Raise unless the pinned certifier key is valid and has certified the signer key.

    Upstreams that rotate their signing key (the SAM CLI) publish a long-lived
    primary key that certifies each signer: the signer is trusted through that
    certification, never by its fingerprint alone.
    """
    listed = subprocess.run([*base, "--with-colons", "--list-keys", certifier], capture_output=True, text=True,
                            check=False)
    pub = _colon_rows(listed.stdout, "pub")
    if listed.returncode != 0 or not pub:
        raise DownloadError(f"the certifying key {certifier} is not in the given key file")
    if pub[0][1] == "e":
        raise DownloadError(f"the certifying key {certifier} has expired")
    if pub[0][1] == "r":
        raise DownloadError(f"the certifying key {certifier} has been revoked")
    checked = subprocess.run([*base, "--with-colons", "--check-sigs", signer], capture_output=True, text=True,
                             check=False)
    certified, revoked = _certifications(checked.stdout, certifier[-16:])
    if checked.returncode != 0 or not (certified or revoked):
        raise DownloadError(f"the signing key {signer} is not certified by the pinned key {certifier}")
    if not certified:
        raise DownloadError(f"the pinned key {certifier} has revoked its certification of the signing key {signer}")


def _certifications(colons: str, certifier_keyid: str) -> tuple[bool, bool]:
    """(certified, revoked): does a user ID carry a valid certification by the key that no later
    revocation by that key withdraws; and was one withdrawn. gpg lists a revocation of a
    certification as a `rev` row (class 30x) under the user ID, beside the `sig` it withdraws."""
    certified = revoked = False
    blocks: list[list[list[str]]] = []
    for line in colons.splitlines():
        row = line.split(":")
        if row[0] == "uid":
            blocks.append([])
        elif row[0] in ("sig", "rev") and blocks and len(row) > 5 and row[1] == "!" \
                and row[4].upper() == certifier_keyid:
            blocks[-1].append(row)
    for rows in blocks:
        signed = [int(row[5] or 0) for row in rows if row[0] == "sig"]
        withdrawn = [int(row[5] or 0) for row in rows if row[0] == "rev"]
        if signed and (not withdrawn or max(signed) > max(withdrawn)):
            certified = True
        elif signed:
            revoked = True
    return certified, revoked


def verify_signature(path: str, signature: str, key: str, fingerprint: str,
                     certifier_key: str = "", certifier_fingerprint: str = "") -> None:
    """Check a detached signature against the one pinned primary key, or raise.

    The key is imported into a throwaway GnuPG home, so nothing the user
    trusts is read or changed, and only a signature whose primary-key
    fingerprint equals the pin is accepted. With a certifier, the signing key
    must also carry a valid certification by the pinned certifier key.
    """
    pinned = normalise_fingerprint(fingerprint)
    gpg = shutil.which("gpg")
    if gpg is None:
        raise DownloadError("gpg is not installed; it is needed to check the signature")
    home = tempfile.mkdtemp(prefix="smdev-gnupg-")
    try:
        base = [gpg, "--batch", "--no-tty", "--homedir", home]
        for public in filter(None, (key, certifier_key)):
            imported = subprocess.run(
                [*base, "--import", public], capture_output=True, text=True, check=False
            )
            if imported.returncode != 0:
                raise DownloadError(f"the public key {public} could not be imported: {imported.stderr.strip()}")
        if certifier_key:
            _check_certification(base, pinned, normalise_fingerprint(certifier_fingerprint))
        checked = subprocess.run(
            [*base, "--status-fd", "1", "--verify", signature, path],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)
    status = [line.split()[1:] for line in checked.stdout.splitlines() if line.startswith("[GNUPG:] ")]
    for fields in status:
        if fields and fields[0] in _REFUSING_STATUS:
            raise DownloadError(f"signature refused for {path}: {_REFUSING_STATUS[fields[0]]}")
    valid = [fields for fields in status if fields and fields[0] == "VALIDSIG"]
    if checked.returncode != 0 or not valid:
        raise DownloadError(f"signature refused for {path}: gpg said {checked.stderr.strip()!r}")
    primary = valid[0][-1].upper()
    if primary != pinned:
        raise DownloadError(
            f"signature refused for {path}: made by key {primary}, expected the pinned {pinned}"
        )


def download(
    url: str,
    dest: str,
    sha256: str,
    mirror_url: str = "",
    signature_url: str = "",
    gpg_key: str = "",
    gpg_fingerprint: str = "",
    gpg_certifier_key: str = "",
    gpg_certifier_fingerprint: str = "",
    retries: int = 3,
    delay: float = 2.0,
    timeout: float = 30.0,
    check_mode: bool = False,
) -> dict[str, object]:
    """Ensure dest holds the verified file; return an Ansible-style result."""
    sha256 = sha256.lower()
    source = mirror_url_for(url, mirror_url)
    if os.path.isfile(dest) and sha256_of(dest) == sha256:
        return {"changed": False, "url": source, "dest": dest, "sha256": sha256}
    if check_mode:
        return {"changed": True, "url": source, "dest": dest, "sha256": sha256}
    directory = os.path.dirname(os.path.abspath(dest))
    os.makedirs(directory, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{os.path.basename(dest)}.", suffix=".part", dir=directory)
    os.close(handle)
    signature = f"{partial}.sig"
    try:
        attempts = fetch(source, partial, sha256, retries, delay, timeout)
        if signature_url:
            sig_source = mirror_url_for(signature_url, mirror_url)
            _fetch_any(sig_source, signature, retries, delay, timeout)
            verify_signature(partial, signature, gpg_key, gpg_fingerprint,
                             gpg_certifier_key, gpg_certifier_fingerprint)
        os.chmod(partial, 0o644)
        os.replace(partial, dest)
    finally:
        for leftover in (partial, signature):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return {"changed": True, "url": source, "dest": dest, "sha256": sha256, "attempts": attempts}


def _fetch_any(url: str, path: str, retries: int, delay: float, timeout: float) -> None:
    """Fetch a small unpinned companion (a signature) with the same retries."""
    errors: list[str] = []
    for attempt in range(1, retries + 2):
        try:
            _fetch_once(url, path, timeout)
            return
        except DownloadError as error:
            errors.append(f"attempt {attempt}: {error}")
            if attempt <= retries:
                time.sleep(delay)
    raise DownloadError("signature download failed after retries; " + "; ".join(errors))
