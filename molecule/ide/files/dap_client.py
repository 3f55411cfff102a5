#!/usr/bin/env python3
"""A minimal Debug Adapter Protocol client (stdlib only) that drives debugpy.

Usage: dap_client.py PORT FILE LINE EXPRESSION [--stay]
Attaches to a debugpy listening on 127.0.0.1:PORT, sets a breakpoint at
FILE:LINE, waits until it is hit, evaluates EXPRESSION in the top frame,
continues to the end and disconnects. Prints one JSON object with what it saw.
With --stay the debuggee (a Jupyter kernel) outlives the session: the client
continues and disconnects without waiting for the end.
"""

from __future__ import annotations

import json
import socket
import sys
import time
from typing import Any


class Dap:
    """One DAP connection: numbered requests, responses matched by seq, events kept."""

    def __init__(self, port: int) -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.buffer = b""
        self.seq = 0
        self.events: list[dict[str, Any]] = []
        self.responses: dict[int, dict[str, Any]] = {}

    def send(self, command: str, **arguments: Any) -> int:
        self.seq += 1
        body = json.dumps({"seq": self.seq, "type": "request", "command": command, "arguments": arguments}).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        return self.seq

    def _read(self) -> dict[str, Any]:
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        header, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return json.loads(body)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("debug adapter closed the connection")
        self.buffer += chunk

    def _pump(self) -> None:
        message = self._read()
        if message["type"] == "response":
            self.responses[message["request_seq"]] = message
        elif message["type"] == "event":
            self.events.append(message)

    def response(self, seq: int) -> dict[str, Any]:
        while seq not in self.responses:
            self._pump()
        reply = self.responses.pop(seq)
        if not reply["success"]:
            raise RuntimeError(f"{reply['command']} failed: {reply.get('message')}")
        return reply.get("body") or {}

    def request(self, command: str, **arguments: Any) -> dict[str, Any]:
        return self.response(self.send(command, **arguments))

    def event(self, name: str) -> dict[str, Any]:
        while True:
            for index, event in enumerate(self.events):
                if event["event"] == name:
                    return self.events.pop(index).get("body") or {}
            self._pump()


def main(port: int, path: str, line: int, expression: str, stay: bool = False) -> dict[str, Any]:
    dap = Dap(port)
    dap.request("initialize", clientID="smdev-test", adapterID="debugpy", pathFormat="path",
                linesStartAt1=True, columnsStartAt1=True)
    attach = dap.send("attach", justMyCode=False)
    dap.event("initialized")
    breakpoints = dap.request("setBreakpoints", source={"path": path}, breakpoints=[{"line": line}])
    dap.request("configurationDone")
    dap.response(attach)
    stopped = dap.event("stopped")
    frames = dap.request("stackTrace", threadId=stopped["threadId"], startFrame=0, levels=5)["stackFrames"]
    value = dap.request("evaluate", expression=expression, frameId=frames[0]["id"], context="repl")
    dap.request("continue", threadId=stopped["threadId"])
    if stay:
        dap.event("continued")
        dap.request("disconnect", terminateDebuggee=False)
    else:
        dap.event("terminated")
        dap.send("disconnect", terminateDebuggee=False)
    return {
        "verified": [b["verified"] for b in breakpoints["breakpoints"]],
        "reason": stopped["reason"],
        "frame": {"name": frames[0]["name"], "line": frames[0]["line"], "path": frames[0]["source"]["path"]},
        "caller": frames[1]["name"] if len(frames) > 1 else "",
        "value": value["result"],
        "terminated": not stay,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], "--stay" in sys.argv[5:])))
