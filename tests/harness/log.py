"""One voice for the harness: short, prefixed, flushed lines."""

from __future__ import annotations

import sys
import time

_START = time.monotonic()


def say(message: str) -> None:
    """Print a harness line with the elapsed time, so slow steps stand out."""
    elapsed = time.monotonic() - _START
    print(f"[harness {elapsed:7.1f}s] {message}", flush=True)


def loud(message: str) -> None:
    """Print a line nobody can miss (skips, missing prerequisites)."""
    bar = "=" * 78
    print(f"{bar}\n{message}\n{bar}", file=sys.stdout, flush=True)
