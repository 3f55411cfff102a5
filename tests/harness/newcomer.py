"""The README's promise, tested: on a fresh machine, `make laptop` as a sudo user.

A fresh platform container gets this checkout (tracked files, as they are in
the working tree) in the home of `dev`, plus `make`, the one prerequisite the
README names besides git and python3. `dev` then runs `make laptop` twice at a
terminal (pexpect), typing its sudo password at each prompt: the first run
must succeed, the second must report changed=0, and so must a third run with
`--check` (check mode on a converged machine changes nothing). Then the
laptop scenario's testinfra suite runs against the container, as `dev`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect

from tests.harness import images

RUN_OPTIONS = [
    "--cap-add", "SYS_ADMIN", "--cap-add", "NET_ADMIN",
    "--security-opt", "seccomp=unconfined", "--security-opt", "apparmor=unconfined",
    "--tmpfs", "/run", "--tmpfs", "/run/lock", "--tmpfs", "/tmp",  # noqa: S108 - tmpfs mounts in the container
    "--cgroupns", "host", "-v", "/sys/fs/cgroup:/sys/fs/cgroup:rw",
]
PROMPTS = [r"\[sudo\] password for dev: ", r"BECOME password: "]


def _docker(*argv: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["docker", *argv], input=stdin, capture_output=True, check=check)


@contextlib.contextmanager
def fresh_machine(name: str, tag: str, certificates: list[str]) -> Iterator[str]:
    """A fresh platform container named name, removed afterwards. It trusts this host's
    extra CAs in the system store and in pip (/etc/pip.conf), as IT would have installed a
    corporate one; `make bench` starts its machines the same way."""
    _docker("rm", "-f", name, check=False)
    _docker("run", "-d", "--name", name, *RUN_OPTIONS, tag, "/lib/systemd/systemd")
    try:
        time.sleep(2)
        for index, pem in enumerate(certificates):
            _docker("exec", "-i", name, "sh", "-c",
                    f"cat > /usr/local/share/ca-certificates/host-{index}.crt", stdin=pem.encode())
        if certificates:
            _docker("exec", name, "sh", "-c", "update-ca-certificates >/dev/null && "
                    "printf '[global]\\ncert = /etc/ssl/certs/ca-certificates.crt\\n' > /etc/pip.conf")
        yield name
    finally:
        _docker("rm", "-f", name, check=False)


def make_laptop_at_a_terminal(name: str, env: dict[str, str], args: str = "", timeout: float = 1800) -> str:
    """Run `make laptop` as dev at a terminal, typing the password at each prompt.

    The offline settings (tests/offline-vars.yml) point it at the harness
    mirror, as a user behind a corporate mirror would.
    """
    command = f"make laptop ARGS='-e @tests/offline-vars.yml {args}'"
    env_args = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
    child = pexpect.spawn(
        "docker", ["exec", "-it", *env_args, "-u", "dev", "-w", "/home/dev/smdev", name, "bash", "-lc", command],
        timeout=timeout, encoding="utf-8", codec_errors="replace",
    )
    transcript = []
    while True:
        index = child.expect([*PROMPTS, pexpect.EOF])
        transcript.append(child.before + (child.after if isinstance(child.after, str) else ""))
        if index == len(PROMPTS):
            break
        child.sendline(images.TEST_USER_PASSWORD)
    child.close()
    transcript.append(f"\n[exit status {child.exitstatus}]")
    return "".join(transcript)


def checkout_tar(root: Path) -> bytes:
    """The tracked files of the working tree, under smdev/."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    return subprocess.run(
        ["tar", "--null", "-T", "-", "--transform", "s,^,smdev/,", "-c"],
        cwd=root, input=files, capture_output=True, check=True,
    ).stdout


def verify_suite(name: str, tests: Path, env: dict[str, str], log: object, skip: tuple[str, ...] = ()) -> bool:
    """The given testinfra suite against the container, as dev (what molecule's verify does), but `skip` files."""
    ignored = [f"--ignore={tests / file}" for file in skip]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(tests), "-p", "no:cacheprovider", f"--hosts=docker://dev@{name}",
         *ignored],
        capture_output=True, text=True, env={**os.environ, **env}, check=False, timeout=1800,
    )
    log.write(f"===== testinfra {tests} on {name} =====\n{result.stdout}{result.stderr}\n")  # type: ignore[attr-defined]
    return result.returncode == 0


def run(platform: images.Platform, tag: str, root: Path, env: dict[str, str], log_path: Path,
        verify: Path | None = None, skip: tuple[str, ...] = ()) -> bool:
    """Return whether `make laptop` worked twice (changed=0 the second time), and `verify` passed."""
    name = f"{os.environ.get('SMDEV_INSTANCE_PREFIX', '')}newcomer-{platform.name}"
    certificates = json.loads(env.get("SMDEV_CA_CERTIFICATES", "[]"))
    with fresh_machine(name, tag, certificates), log_path.open("w") as log:
        _docker("exec", "-i", "-u", "dev", name, "tar", "-C", "/home/dev", "-x", stdin=checkout_tar(root))
        _docker("exec", name, "sh", "-c",
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make >/dev/null")
        outcomes = []
        for attempt, args in ((1, ""), (2, ""), (3, "--check")):
            output = re.sub(r"\x1b\[[0-9;]*m", "", make_laptop_at_a_terminal(name, env, args))
            log.write(f"===== make laptop {args}, run {attempt} =====\n{output}\n")
            recap = re.search(r"localhost\s*: ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0", output)
            exited = "[exit status 0]" in output
            outcomes.append(exited and recap is not None and (attempt == 1 or recap.group(1) == "0"))
        if verify is not None and all(outcomes):
            outcomes.append(verify_suite(name, verify, env, log, skip))
        return all(outcomes)
