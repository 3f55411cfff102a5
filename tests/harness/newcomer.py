"""The README's promise, tested: on a fresh machine, `make laptop` as a sudo user.

A fresh platform container gets this checkout (tracked files, as they are in
the working tree) in the home of `dev`, plus `make`, the one prerequisite the
README names besides git and python3. `dev` then runs `make laptop` at a
terminal (pexpect), typing its sudo password at each prompt. The first runs
are cut short, as a closed laptop lid or a power cut would: each is killed
(SIGKILL, the run's whole process tree, root's module processes included),
the first while dpkg unpacks the playbook's first packages, each further one when its
Nth task starts, N drawn from a seeded random generator (KILL_SEEDS, or
SMDEV_KILL_SEEDS="3,8" to replay others). The next run must then converge
(changed > 0), the one after must report changed=0, and so must a run with
`--check` (check mode on a converged machine changes nothing). Then the
laptop scenario's testinfra suite runs against the container, as `dev`.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
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
USER_FILES = "molecule/laptop/files/user-files.sh"
PROMPTS = [r"\[sudo\] password for dev: ", r"BECOME password: "]
TASK_BANNER = r"\nTASK \["
# Interrupted runs, first to last: one killed while dpkg unpacks the playbook's
# first packages (on a fresh Ubuntu 24.04, the apt module installing python3-apt
# for itself; dpkg's journal left behind: apt refuses everything until
# `dpkg --configure -a`), then one per seed, killed when the Nth task banner
# appears, N drawn from the seed (which task that is depends on the playbook:
# the log names it). A cold converge prints about 225 banners.
KILL_SEEDS = tuple(int(seed) for seed in os.environ.get("SMDEV_KILL_SEEDS", "44").split(",") if seed)
KILL_RANGE = (10, 210)
# Python run inside the container as root. kill_make() stops the process tree
# under `make laptop` (twice, to catch a child forked meanwhile), then kills it
# all at once: sudo's and the modules' root processes too, as a power cut would.
KILL_MAKE = """
import os, signal, sys, time
def processes():
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{pid}/stat").read()
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read()
        except OSError:
            continue
        found[int(pid)] = (int(stat.rsplit(")", 1)[1].split()[1]), stat.split("(", 1)[1].rsplit(")", 1)[0], cmdline)
    return found
def tree():
    table = processes()
    found = [pid for pid, (_, _, cmdline) in table.items() if cmdline.startswith(b"make\\0laptop")]
    if not found:
        sys.exit("no `make laptop` process to kill")
    for parent in found:
        found += [pid for pid, (ppid, _, _) in table.items() if ppid == parent]
    return found
def kill_make():
    for sig in (signal.SIGSTOP, signal.SIGSTOP, signal.SIGKILL):
        for pid in tree():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
"""
KILLER = KILL_MAKE + "kill_make()\n"
# Started beside the run: once ansible-playbook runs (not make's bootstrap),
# wait for dpkg to unpack packages (not a query such as --print-architecture),
# give it 0.3 s to be mid-way, then kill. (The watcher's own command line
# holds these words: it does not count.)
DPKG_MARK = "/tmp/smdev-killed-in-dpkg"  # noqa: S108 - a path inside the throwaway container
DPKG_WATCHER = KILL_MAKE + f"""
def running(comm, word):
    return any(pid != os.getpid() and comm in (None, name) and word in cmdline
               for pid, (_, name, cmdline) in processes().items())
deadline = time.monotonic() + 1200
while not running(None, b"ansible-playbook"):
    assert time.monotonic() < deadline
    time.sleep(0.1)
while not running("dpkg", b"--unpack"):
    assert time.monotonic() < deadline
    time.sleep(0.02)
time.sleep(0.3)
kill_make()
open("{DPKG_MARK}", "w").write("killed while dpkg ran\\n")
"""

STOP_WATCHER = f"""
import os, signal
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        if int(pid) != os.getpid() and b"{DPKG_MARK}" in open(f"/proc/{{pid}}/cmdline", "rb").read():
            os.kill(int(pid), signal.SIGKILL)
    except OSError:
        pass
"""


def kill_points(seeds: tuple[int, ...] = KILL_SEEDS) -> list[int]:
    """The task number at which each interrupted run is killed, one per seed."""
    return [random.Random(seed).randint(*KILL_RANGE) for seed in seeds]  # noqa: S311 - a replayable draw, not a secret


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


def make_laptop_at_a_terminal(name: str, env: dict[str, str], args: str = "", timeout: float = 1800,
                              kill_at: int | None = None) -> str:
    """Run `make laptop` as dev at a terminal, typing the password at each prompt.

    The offline settings (tests/offline-vars.yml) point it at the harness
    mirror, as a user behind a corporate mirror would. kill_at: kill the run
    when its kill_at-th task starts.
    """
    command = f"make laptop ARGS='-e @tests/offline-vars.yml {args}'"
    env_args = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
    child = pexpect.spawn(
        "docker", ["exec", "-it", *env_args, "-u", "dev", "-w", "/home/dev/smdev", name, "bash", "-lc", command],
        timeout=timeout, encoding="utf-8", codec_errors="replace",
    )
    transcript = []
    tasks = 0
    while True:
        index = child.expect([*PROMPTS, TASK_BANNER, pexpect.EOF])
        transcript.append(child.before + (child.after if isinstance(child.after, str) else ""))
        if index == len(PROMPTS) + 1:
            break
        if index == len(PROMPTS):
            tasks += 1
            if tasks == kill_at:
                child.expect(r"\n")  # the banner's line, for the transcript
                transcript.append(child.before + f"\n[killed when task {tasks} started]\n")
                _docker("exec", name, "python3", "-c", KILLER)
            continue
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


def verify_suite(name: str, tests: Path, env: dict[str, str], log: object, skip: tuple[str, ...] = (),
                 junit: Path | None = None) -> bool:
    """The given testinfra suite against the container, as dev (what molecule's verify does), but `skip` files."""
    ignored = [f"--ignore={tests / file}" for file in skip]
    report = [f"--junitxml={junit}"] if junit else []
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(tests), "-p", "no:cacheprovider", f"--hosts=docker://dev@{name}",
         *ignored, *report],
        capture_output=True, text=True, env={**os.environ, **env}, check=False, timeout=1800,
    )
    log.write(f"===== testinfra {tests} on {name} =====\n{result.stdout}{result.stderr}\n")  # type: ignore[attr-defined]
    return result.returncode == 0


def run(platform: images.Platform, tag: str, root: Path, env: dict[str, str], log_path: Path,
        verify: Path | None = None, skip: tuple[str, ...] = (), junit: Path | None = None) -> tuple[bool, list[int]]:
    """Whether `make laptop` recovered from the interrupted runs, then changed nothing, and `verify` passed;
    and the kills as [injected, survived] (a kill survived: it struck as meant and the next run converged)."""
    name = f"{os.environ.get('SMDEV_INSTANCE_PREFIX', '')}newcomer-{platform.name}"
    certificates = json.loads(env.get("SMDEV_CA_CERTIFICATES", "[]"))
    with fresh_machine(name, tag, certificates), log_path.open("w") as log:
        _docker("exec", "-i", "-u", "dev", name, "tar", "-C", "/home/dev", "-x", stdin=checkout_tar(root))
        _docker("exec", name, "sh", "-c",
                "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make >/dev/null")
        # dev's own rc files, AWS, SSH, VS Code and Docker settings, as the laptop scenario's prepare gives them.
        _docker("exec", "-i", name, "bash", "-s", "dev", stdin=(root / USER_FILES).read_bytes())
        kills = []
        _docker("exec", "-d", name, "python3", "-c", DPKG_WATCHER)
        output = re.sub(r"\x1b\[[0-9;]*m", "", make_laptop_at_a_terminal(name, env))
        killed = _docker("exec", name, "cat", DPKG_MARK, check=False).stdout.decode()
        _docker("exec", name, "python3", "-c", STOP_WATCHER)  # had it not fired, it must not kill a later run
        # What the kill left: packages dpkg must finish (else the fault was not injected).
        audit = _docker("exec", name, "dpkg", "--audit", check=False).stdout.decode().strip()
        log.write(f"===== make laptop, killed while dpkg ran =====\n{output}\n[{killed.strip() or 'NOT killed'}]\n"
                  f"dpkg --audit after the kill:\n{audit or '(nothing to finish)'}\n")
        # Ended by the kill, not before: a run that fails first would hide the fault.
        kills.append(bool(killed) and bool(audit) and "[exit status 0]" not in output)
        for seed, kill_at in zip(KILL_SEEDS, kill_points(), strict=True):
            output = re.sub(r"\x1b\[[0-9;]*m", "", make_laptop_at_a_terminal(name, env, kill_at=kill_at))
            log.write(f"===== make laptop, killed at task {kill_at} (seed {seed}) =====\n{output}\n")
            kills.append(f"[killed when task {kill_at} started]" in output and "[exit status 0]" not in output)
        outcomes = list(kills)
        for attempt, args in ((1, ""), (2, ""), (3, "--check")):
            output = re.sub(r"\x1b\[[0-9;]*m", "", make_laptop_at_a_terminal(name, env, args))
            log.write(f"===== make laptop {args}, run {attempt} =====\n{output}\n")
            recap = re.search(r"localhost\s*: ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0", output)
            exited = "[exit status 0]" in output
            # After the interrupted runs the first full run still has work to finish; then nothing.
            outcomes.append(exited and recap is not None and (recap.group(1) != "0") == (attempt == 1))
        converged = outcomes[len(kills)]
        if verify is not None and all(outcomes):
            outcomes.append(verify_suite(name, verify, env, log, skip, junit))
        return all(outcomes), [len(kills), sum(kills) if converged else 0]
