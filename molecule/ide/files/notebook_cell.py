#!/usr/bin/env python3
"""Run one notebook cell in a real Jupyter kernel and print what the cell printed.

Usage: notebook_cell.py DIRECTORY PORT [KERNEL]
The cell listens for a debugger on 127.0.0.1:PORT, waits for it, then calls
helper.scaled_total, the way a notebook calls into a project's modules.
"""

from __future__ import annotations

import sys

from jupyter_client.manager import start_new_kernel

CELL = """
import debugpy
debugpy.listen(("127.0.0.1", {port}))
debugpy.wait_for_client()
import helper
print("cell result", helper.scaled_total(6, 7.0))
"""


def main(directory: str, port: int, kernel: str = "python3") -> str:
    manager, client = start_new_kernel(kernel_name=kernel, cwd=directory)
    try:
        printed: list[str] = []

        def keep(message: dict) -> None:
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                printed.append("\n".join(message["content"]["traceback"]))

        reply = client.execute_interactive(CELL.format(port=port), timeout=120, output_hook=keep)
        return f"status={reply['content']['status']}\n" + "".join(printed)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    print(main(sys.argv[1], int(sys.argv[2]), *sys.argv[3:4]), flush=True)
