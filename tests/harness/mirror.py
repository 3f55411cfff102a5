"""The local artifact mirror: a directory served over HTTP on addresses we own.

Roles download through `workstation_mirror_url`; in tests that URL points
here. The layout is `<host>/<path>` of each upstream URL (what
`wget --force-directories` produces), so a corporate mirror can be filled
the same way. Fault injection lets tests make a path fail on purpose.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.harness import fillers_docker, fillers_drift, fillers_ide
from tests.harness.fillers_aws import fill_aws
from tests.harness.fillers_pyenv import fill_pyenv

FAULTS = ("error500", "hang", "truncate")


class _Handler(SimpleHTTPRequestHandler):
    """Serves files, unless the server was told to fail this path."""

    server: MirrorServer

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        fault = self.server.faults.get(self.path.split("?")[0])
        if fault == "error500":
            self.send_error(500, "injected fault")
        elif fault == "hang":
            time.sleep(self.server.hang_seconds)
            self.send_error(504, "injected hang")
        elif fault == "truncate":
            self._send_truncated()
        else:
            super().do_GET()

    def _send_truncated(self) -> None:
        body = Path(self.translate_path(self.path)).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read server.requests instead of stderr."""


class MirrorServer(ThreadingHTTPServer):
    """A threaded HTTP server over one directory, with per-path faults."""

    daemon_threads = True

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.faults: dict[str, str] = {}
        self.requests: list[str] = []
        self.hang_seconds = 5.0
        super().__init__((host, port), partial(_Handler, directory=str(root)))

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


@contextmanager
def serve(root: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[MirrorServer]:
    """Serve root on host:port in a background thread for the with-block."""
    server = MirrorServer(root, host, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def fill(root: Path) -> dict[str, str]:
    """Fill the mirror from sources reachable here; return env vars for the scenarios.

    Later roles add what they download (CPython sources, pyenv, ...); each
    filler must be idempotent and keep the upstream `<host>/<path>` layout.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "smdev-mirror.txt").write_text("smdev.workstation test mirror\n")
    env = fillers_docker.fill(root)
    env |= fill_aws(root)
    env |= fillers_drift.fill(root)
    env |= fillers_ide.fill(root)
    env |= fill_pyenv(root)
    return env
