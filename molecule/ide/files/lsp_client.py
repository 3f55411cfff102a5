#!/usr/bin/env python3
"""A minimal Language Server Protocol client over stdio (stdlib only).

Usage: lsp_client.py FILE HOVER_LINE HOVER_COL COMPLETION_LINE COMPLETION_COL -- SERVER ARGS...
Opens FILE, asks for hover and completion at the given 0-based positions,
prints one JSON object {"hover": text, "completion": [labels]}. With LSP_PYTHON set,
the server's python.pythonPath is that interpreter, as VS Code's selected interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


class Lsp:
    """A server process spoken to over its stdin/stdout with Content-Length framing."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.seq = 0

    def send(self, method: str, params: Any, notify: bool = False) -> int:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if not notify:
            self.seq += 1
            message["id"] = self.seq
        body = json.dumps(message).encode()
        assert self.process.stdin
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return self.seq

    def read(self) -> dict[str, Any]:
        assert self.process.stdout
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise ConnectionError("language server exited")
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            elif line in (b"\r\n", b"\n") and length:
                break
        return json.loads(self.process.stdout.read(length))

    def request(self, method: str, params: Any) -> Any:
        seq = self.send(method, params)
        while True:
            message = self.read()
            if message.get("id") == seq and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result")
            if "method" in message and "id" in message:
                # A request from the server (configuration, progress): answer it plainly.
                self._answer(message)

    def _answer(self, message: dict[str, Any]) -> None:
        result: Any = None
        if message["method"] == "workspace/configuration":
            # As VS Code answers: the interpreter of python.defaultInterpreterPath (LSP_PYTHON), if any.
            python = os.environ.get("LSP_PYTHON")
            result = [{"pythonPath": python} if python and item.get("section") == "python" else None
                      for item in message["params"]["items"]]
        body = json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result}).encode()
        assert self.process.stdin
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()


def position(line: int, character: int) -> dict[str, int]:
    return {"line": line, "character": character}


def hover_text(result: Any) -> str:
    contents = (result or {}).get("contents", "")
    if isinstance(contents, dict):
        return contents.get("value", "")
    if isinstance(contents, list):
        return "\n".join(c if isinstance(c, str) else c.get("value", "") for c in contents)
    return str(contents)


def main(path: Path, hover: tuple[int, int], completion: tuple[int, int], argv: list[str]) -> dict[str, Any]:
    lsp = Lsp(argv)
    uri = path.resolve().as_uri()
    capabilities: dict[str, Any] = {"textDocument": {"hover": {"contentFormat": ["plaintext"]}}}
    if os.environ.get("LSP_PYTHON"):
        capabilities["workspace"] = {"configuration": True}  # the server asks for python.pythonPath
    lsp.request("initialize", {"processId": None, "rootUri": path.resolve().parent.as_uri(),
                               "capabilities": capabilities,
                               "workspaceFolders": [{"uri": path.resolve().parent.as_uri(), "name": "project"}]})
    lsp.send("initialized", {}, notify=True)
    lsp.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1,
                                                       "text": path.read_text()}}, notify=True)
    doc = {"uri": uri}
    hovered = lsp.request("textDocument/hover", {"textDocument": doc, "position": position(*hover)})
    completed = lsp.request("textDocument/completion", {"textDocument": doc, "position": position(*completion)})
    items = completed.get("items", []) if isinstance(completed, dict) else (completed or [])
    lsp.request("shutdown", None)
    lsp.send("exit", None, notify=True)
    lsp.process.wait(timeout=30)
    return {"hover": hover_text(hovered), "completion": sorted({item["label"] for item in items})}


if __name__ == "__main__":
    args = sys.argv[1:]
    split = args.index("--")
    file, hl, hc, cl, cc = args[:split]
    print(json.dumps(main(Path(file), (int(hl), int(hc)), (int(cl), int(cc)), args[split + 1:])))
