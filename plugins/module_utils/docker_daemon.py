"""daemon.json merging and NVIDIA GPU detection for the docker role.

Pure functions, standard library only: they run on the managed host's
Python inside the docker_daemon_json module and on the controller inside the
docker filters, and are unit-tested without a container.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

# `lspci -n` prints "00:1e.0 0302: 10de:1eb8 (rev a1)"; `lspci -nn` prints
# "... 3D controller [0302]: NVIDIA Corporation TU104GL [10de:1eb8]".
# Display controllers are class 03xx; 10de is NVIDIA's PCI vendor id.
_LSPCI_NVIDIA_DISPLAY = re.compile(r"\b03[0-9a-f]{2}\]?:.*\b10de:[0-9a-f]{4}\b", re.IGNORECASE)
NVIDIA_RUNTIME = "nvidia"


class DaemonConfigError(Exception):
    """The existing daemon.json cannot be merged; worded for the person at the terminal."""


def parse_daemon_json(text: str, path: str) -> dict[str, Any]:
    """Parse an existing daemon.json; empty or blank text counts as `{}`."""
    if not text.strip():
        return {}
    try:
        config = json.loads(text)
    except ValueError as error:
        raise DaemonConfigError(
            f"{path} is not valid JSON ({error}); it was left as it is. "
            "Fix or move it away, then run again."
        ) from error
    if not isinstance(config, dict):
        raise DaemonConfigError(
            f"{path} must hold a JSON object ({{...}}), not a {type(config).__name__}; it was left as it is."
        )
    return config


def _deep_update(target: dict[str, Any], updates: dict[str, Any]) -> None:
    for key, value in updates.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_update(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _deep_setdefault(target: dict[str, Any], defaults: dict[str, Any]) -> None:
    for key, value in defaults.items():
        if key not in target:
            target[key] = copy.deepcopy(value)
        elif isinstance(value, dict) and isinstance(target[key], dict):
            _deep_setdefault(target[key], value)


def merge_daemon_config(
    existing: dict[str, Any], options: dict[str, Any], defaults: dict[str, Any]
) -> dict[str, Any]:
    """What daemon.json should hold: the user's file, our options over it, defaults under both.

    Keys only the file has survive. `options` (docker_daemon_options) win over
    the file, nested mappings merged key by key. `defaults` fill in only what
    neither sets; their `log-opts` apply only when the resulting log driver is
    the one the defaults name, because options such as max-size make dockerd
    refuse to start under drivers that do not know them (journald, syslog).
    """
    merged = copy.deepcopy(existing)
    _deep_update(merged, options)
    default_driver = defaults.get("log-driver")
    driver = merged.get("log-driver", default_driver)
    applicable = {k: v for k, v in defaults.items() if k != "log-opts" or driver == default_driver}
    _deep_setdefault(merged, applicable)
    return merged


def render_daemon_json(config: dict[str, Any]) -> str:
    return json.dumps(config, indent=2) + "\n"


def nvidia_gpu_present(proc_driver_nvidia: bool, lspci_output: str = "") -> bool:
    """Whether this host has an NVIDIA GPU the container toolkit can use.

    A loaded NVIDIA kernel driver (/proc/driver/nvidia exists) is proof; so is
    an NVIDIA display or 3D controller on the PCI bus (the driver may come later
    in the same run, e.g. from an AMI's own setup).
    """
    if proc_driver_nvidia:
        return True
    return any(_LSPCI_NVIDIA_DISPLAY.search(line) for line in lspci_output.splitlines())


def nvidia_runtime_options(runtime_path: str, default_runtime: bool) -> dict[str, Any]:
    """The daemon.json keys `nvidia-ctk runtime configure --runtime=docker` would write."""
    options: dict[str, Any] = {"runtimes": {NVIDIA_RUNTIME: {"path": runtime_path, "args": []}}}
    if default_runtime:
        options["default-runtime"] = NVIDIA_RUNTIME
    return options
