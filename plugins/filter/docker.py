"""Filters of the docker role: NVIDIA GPU detection and the runtime's daemon.json keys."""

from __future__ import annotations

from typing import Any

from ansible_collections.smdev.workstation.plugins.module_utils.docker_daemon import (
    nvidia_gpu_present,
    nvidia_runtime_options,
)


def docker_nvidia_gpu_present(proc_driver_nvidia: bool, lspci_output: str = "") -> bool:
    """`{{ proc_stat.stat.exists | smdev.workstation.docker_nvidia_gpu_present(lspci.stdout) }}`."""
    return nvidia_gpu_present(bool(proc_driver_nvidia), lspci_output or "")


def docker_nvidia_runtime_options(runtime_path: str, default_runtime: bool = False) -> dict[str, Any]:
    return nvidia_runtime_options(runtime_path, bool(default_runtime))


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {
            "docker_nvidia_gpu_present": docker_nvidia_gpu_present,
            "docker_nvidia_runtime_options": docker_nvidia_runtime_options,
        }
