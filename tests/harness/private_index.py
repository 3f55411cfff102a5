"""A private package index that wants a password, as a company's index does.

`workstation_pip_index_url` with a token in it is what many users set; the
laptop scenario converges with one, so that every pip, pipx and Pipenv call
the playbook makes (and the drift timer's runs) must authenticate, and the
tests can check where the token lands on disk. The index is a pass-through
to PyPI's simple API (which answers here), served over https with a CA made
for the run, on the address the containers reach (Docker's bridge). Every
request is logged, with whether it carried the credentials, for the tests.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import secrets
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

UPSTREAM = "https://pypi.org"
# The index's host name; the laptop scenario's prepare maps it to the bridge
# address in /etc/hosts, as a company's DNS would. (A bare IP address is not
# enough: pip's truststore refuses to connect without a server name for SNI.)
HOSTNAME = "pypi.smdev.test"
USERNAME = "smdev-ci"
# What a client's request may ask of the upstream, and what of its answer goes back.
FORWARDED_REQUEST_HEADERS = ("Accept", "Accept-Encoding", "If-None-Match", "If-Modified-Since")
FORWARDED_RESPONSE_HEADERS = ("Content-Type", "Content-Encoding", "Cache-Control", "ETag", "Last-Modified")


@dataclass
class PrivateIndex:
    """What the tests and the scenarios need to know of a running index."""

    url: str  # with the credentials, as a user puts it in workstation_pip_index_url
    password: str
    ca_pem: str
    log: Path  # one JSON object per request: path, authorized, user agent
    address: str  # where name must resolve to


def _certificates(name: str, address: str) -> tuple[str, bytes, bytes]:
    """A CA (PEM) and a server certificate and key for name and address, valid for a day."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "smdev test private index CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name), x509.IPAddress(ipaddress.ip_address(address))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return (
        ca.public_bytes(serialization.Encoding.PEM).decode(),
        server.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )


class _Handler(BaseHTTPRequestHandler):
    server: _IndexServer
    protocol_version = "HTTP/1.1"
    timeout = 120

    def do_GET(self) -> None:
        authorized = self.headers.get("Authorization", "") == self.server.expected_authorization
        self.server.record(self.path, authorized, self.headers.get("User-Agent", ""))
        if not authorized:
            self._answer(401, {"WWW-Authenticate": 'Basic realm="smdev private index"'}, b"credentials required\n")
            return
        status, headers, body = self.server.fetch(self.path, {
            name: self.headers[name] for name in FORWARDED_REQUEST_HEADERS if self.headers.get(name)})
        self._answer(status, headers, body)

    def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record."""


class _IndexServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, upstream: str, password: str, log: Path) -> None:
        super().__init__((host, 0), _Handler)
        token = base64.b64encode(f"{USERNAME}:{password}".encode()).decode()
        self.expected_authorization = f"Basic {token}"
        self.upstream = upstream.rstrip("/")
        self.log = log
        self.lock = threading.Lock()
        # Simple pages change rarely within a run; every platform and rerun asks again.
        self.cache: dict[tuple[str, str, str], tuple[int, dict[str, str], bytes]] = {}

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that refused our certificate or hung up: logged, not printed."""
        self.record(f"(error from {client_address[0]})", False, "")

    def record(self, path: str, authorized: bool, agent: str) -> None:
        with self.lock, self.log.open("a") as log:
            log.write(json.dumps({"path": path, "authorized": authorized, "agent": agent}) + "\n")

    def fetch(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        key = (path, headers.get("Accept", ""), headers.get("Accept-Encoding", ""))
        conditional = "If-None-Match" in headers or "If-Modified-Since" in headers
        if not conditional and key in self.cache:
            return self.cache[key]
        request = urllib.request.Request(self.upstream + path, headers=headers)  # noqa: S310 - fixed https upstream
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - fixed https upstream
                status, body, got = answer.status, answer.read(), answer.headers
        except urllib.error.HTTPError as error:
            status, body, got = error.code, error.read(), error.headers
        except OSError as error:
            return 502, {"Content-Type": "text/plain"}, f"upstream {self.upstream} unreachable: {error}\n".encode()
        result = (status, {name: got[name] for name in FORWARDED_RESPONSE_HEADERS if got.get(name)}, body)
        if status == 200 and not conditional:
            self.cache[key] = result
        return result


@contextmanager
def serve(address: str, workdir: Path, upstream: str = UPSTREAM, name: str = HOSTNAME) -> Iterator[PrivateIndex]:
    """Serve a password-protected pass-through index over https on address, known as name."""
    workdir.mkdir(parents=True, exist_ok=True)
    ca_pem, certificate, key = _certificates(name, address)
    (workdir / "server.pem").write_bytes(certificate + key)
    (workdir / "server.pem").chmod(0o600)
    log = workdir / "requests.jsonl"
    log.write_text("")
    password = secrets.token_urlsafe(18)
    server = _IndexServer(address, upstream, password, log)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(workdir / "server.pem")
    # The handshake happens in each request's thread, not in the accepting loop.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield PrivateIndex(f"https://{USERNAME}:{password}@{name}:{server.server_address[1]}/simple/",
                           password, ca_pem, log, address)
    finally:
        server.shutdown()
        server.server_close()
