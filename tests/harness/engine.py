"""A Docker engine for the scenarios: use the one that answers, else start one.

This machine has no systemd, so when no daemon answers the harness installs
Debian's docker.io (as root) and runs dockerd itself, and stops it at the end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from tests.harness.log import say

HOST_PACKAGES = ("docker.io", "debootstrap", "tar", "xz-utils")


class HarnessError(RuntimeError):
    """A prerequisite the harness cannot provide; the message says what to do."""


def docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    result = subprocess.run(
        ["docker", "info", "--format", "{{.ServerVersion}}"],
        capture_output=True,
        check=False,
        timeout=30,
    )
    return result.returncode == 0


def missing_host_tools() -> list[str]:
    wanted = {"dockerd": "docker.io", "debootstrap": "debootstrap", "xz": "xz-utils"}
    return sorted({pkg for tool, pkg in wanted.items() if shutil.which(tool) is None})


def install_host_packages(packages: list[str]) -> None:
    """apt-get install what the harness needs; only root may do that."""
    if not packages:
        return
    if os.geteuid() != 0:
        raise HarnessError(
            "make test needs these Debian packages: "
            + " ".join(packages)
            + ". Run `sudo make test` once, or install them with "
            "`sudo apt-get install " + " ".join(packages) + "`."
        )
    say("installing host packages: " + " ".join(packages))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


class Engine:
    """Context manager: a Docker daemon that answers while the harness runs."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Engine:
        install_host_packages(missing_host_tools())
        if docker_answers():
            say("docker engine: using the one that answers")
            return self
        if os.geteuid() != 0:
            raise HarnessError(
                "No Docker daemon answers and only root can start one. "
                "Start Docker (`sudo systemctl start docker`) and add yourself "
                "to the docker group, or run `sudo make test`."
            )
        say("docker engine: none answers, starting dockerd")
        log = (self.log_dir / "dockerd.log").open("wb")
        self.process = subprocess.Popen(
            ["dockerd"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while not docker_answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise HarnessError(
                    f"dockerd did not start; see {self.log_dir / 'dockerd.log'}"
                )
            time.sleep(1)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process is None:
            return
        say("docker engine: stopping the dockerd this run started")
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def bridge_gateway(self) -> str:
        """The host's address on Docker's default bridge, reachable from containers."""
        result = subprocess.run(
            [
                "docker", "network", "inspect", "bridge",
                "--format", "{{range .IPAM.Config}}{{.Gateway}}{{end}}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip() or "172.17.0.1"
