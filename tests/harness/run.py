"""`make test`: lint, then the unit tests beside every molecule scenario on every platform.

Lint gates the rest. The unit tests then run beside the scenarios rather than
before them (about 13 min alone, 18 min beside them). Both cores are then busy
(96% in a /proc/stat sample of the role-scenario phase), so the order of the
stages moves the load around but only less work shortens the run. Ends with
one line `N passed, N failed` (plus skipped) counting lint checks, unit tests
and scenario runs.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.harness import images, mirror, newcomer, private_index
from tests.harness.engine import Engine, HarnessError
from tests.harness.log import loud, say

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
LOGS = BUILD / "logs"
STAGES = ("lint", "unit", "molecule")
SCENARIO_TIMEOUT = 30 * 60
# Set to run beside another harness on the same Docker engine (container names are global).
INSTANCE_PREFIX = os.environ.get("SMDEV_INSTANCE_PREFIX", "")
NEWCOMER = "newcomer"  # pseudo-scenario: the README's `make laptop` on a fresh container
NEWCOMER_PLATFORM = "ubuntu2404"  # where it runs (else the first platform available)
# Order, longest first so that the two workers finish together: the python
# scenario fills the mirror's team cache, from which the whole-playbook runs
# (laptop, the newcomer) and the EC2 VM's configure play (ec2) install CPython
# instead of compiling it, so those wait for the python run of their platform;
# then the role scenarios, longest first (measured wall times, about 400 s down
# to 100 s). Unlisted scenarios come last.
ORDER = ("python", "laptop", NEWCOMER, "ec2", "aws", "ide", "docker", "common")
NEEDS_PYTHON_CACHE = ("laptop", NEWCOMER, "ec2")  # ec2: its configure play has the pyenv role
# The whole laptop playbook runs once per platform, not twice: the laptop
# scenario on Debian 12, and on Ubuntu 24.04 the newcomer's `make laptop`
# (converge, re-run, --check), whose container then passes the laptop
# scenario's own tests (molecule/laptop/tests), as dev.
SCENARIO_PLATFORMS = {"laptop": ("debian12",), "ec2": ("ubuntu2404",), "common": ("ubuntu2404",),
                      "aws": ("debian12",), "ide": ("ubuntu2404",)}
# Why a scenario skips a platform, printed as a NOT RUN line. The ec2 scenario
# converges the laptop's roles (the laptop scenario proves them on Debian 12)
# with the ec2 profile; it runs once, on the default AMI's Ubuntu 24.04, which
# keeps `make test` in its budget. `--scenario ec2 --platform debian12` runs it there.
# Likewise the common scenario: every whole-playbook run converges common (the
# laptop scenario on Debian 12, the newcomer and ec2 on Ubuntu 24.04); what
# only this scenario adds (a proxy with a password: its files, who can read
# them) has no distribution-specific task, so it runs once.
# The aws and ide scenarios too (stop 24: the official run of stop 23 took
# 2709 s, over the 45 min budget). Both platforms converge their roles in a
# whole-playbook run, and the tests there use them as dev: on Ubuntu 24.04 the
# newcomer's (SAM, the IDE's debugger, analysis and hover) and ec2's (the AWS
# CLI tools, ~/.aws/config); on Debian 12 the laptop scenario's. What only
# these scenarios add (refused releases, the config and settings merges, the
# plain project) has no distribution-specific task: aws runs on Debian 12,
# ide on Ubuntu 24.04.
SCENARIO_PLATFORM_REASONS = {
    "laptop": "the newcomer's `make laptop` converges the whole playbook there",
    "ec2": "the VM's default AMI is Ubuntu 24.04 and the laptop scenario converges its roles on debian12",
    "common": "the laptop scenario converges common on debian12; only the proxy's password files are common's own",
    "aws": "the newcomer and ec2 converge its roles on ubuntu2404 and their tests run the AWS CLI tools and SAM;"
           " only the refused releases and the config merge are this scenario's own",
    "ide": "the laptop scenario converges ide on debian12 and its tests debug, analyse and hover there;"
           " only the settings merge and the plain project are this scenario's own",
}
# ...except the drift tests: they start four full playbook runs through the
# timer (about 450 s); the timer, its lock and its reports do not depend on the
# distribution, and the newcomer's own re-run already proves changed=0 there.
# And the bad-input run on the converged machine (about 30 s): the playbook
# stops in its first play's validation, before any distribution-specific task;
# and the -vvv --check --diff run with planted passwords (about 60 s): what
# Ansible prints does not depend on the distribution.
NEWCOMER_SKIPS = ("test_drift.py", "test_bad_input_converged.py", "test_secrets_in_output.py", "test_private_index.py")
# Lines that say why a run failed (pytest's failures, Ansible's failed tasks), shown
# before the log's tail: the tail alone is often just molecule's recap.
# molecule boxes what it runs in "  │ ", so a line may start with that.
FAILURE_LINE = re.compile(
    r"^(?:\x1b\[[0-9;]*m|\s|│)*(?:(FAILED(?! - RETRYING)|ERROR) |E   |fatal: |>   )|FAILED! =>|failed=[1-9]"
)


@dataclass
class Tally:
    """What ran and how it ended; printed as the closing lines."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    rows: list[tuple[str, str, float]] = field(default_factory=list)
    # What the unit tests proved, by their proof mark (tests/conftest.py): [tried, held].
    proofs: dict[str, list[int]] = field(default_factory=dict)
    # The unit stage records from its own thread, beside the scenarios.
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, name: str, ok: bool | None, seconds: float) -> None:
        outcome = {True: "passed", False: "FAILED", None: "SKIPPED"}[ok]
        with self.lock:
            if ok is None:
                self.skipped += 1
            elif ok:
                self.passed += 1
            else:
                self.failed += 1
            self.rows.append((name, outcome, seconds))

    def add(self, name: str, outcome: str, seconds: float, passed: int, failed: int, skipped: int) -> None:
        """A row that stands for many results (the unit tests)."""
        with self.lock:
            self.passed += passed
            self.failed += failed
            self.skipped += skipped
            self.rows.append((name, outcome, seconds))

    def proof_line(self) -> str:
        """Issue 11's summary: bad inputs, faults and user files, as the tests tried them."""
        words = {"bad_input": ("bad inputs tried", "rejected cleanly"), "fault": ("faults injected", "survived"),
                 "user_data": ("merges into user files", "kept the user's content")}
        parts = [f"{self.proofs[proof][0]} {tried}, {self.proofs[proof][1]} {held}"
                 for proof, (tried, held) in words.items() if proof in self.proofs]
        return "proof (unit tests, the scenarios' marked checks, the newcomer's killed runs): " + "; ".join(parts)

    def merge_proofs(self, proofs: dict[str, list[int]]) -> None:
        with self.lock:
            for proof, (tried, held) in proofs.items():
                counts = self.proofs.setdefault(proof, [0, 0])
                counts[0] += tried
                counts[1] += held

    def summary(self) -> str:
        line = f"{self.passed} passed, {self.failed} failed"
        return line + (f", {self.skipped} skipped" if self.skipped else "")


def run_logged(name: str, argv: list[str], env: dict[str, str] | None = None,
               timeout: float | None = None) -> tuple[bool, float, Path]:
    """Run argv with its output in build/logs/<name>.log; show the tail on failure."""
    log_path = LOGS / f"{name}.log"
    start = time.monotonic()
    with log_path.open("w") as log:
        try:
            result = subprocess.run(
                argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env=env, timeout=timeout, check=False,
            )
            ok = result.returncode == 0
        except subprocess.TimeoutExpired:
            log.write(f"\n[harness] timed out after {timeout} s\n")
            ok = False
    seconds = time.monotonic() - start
    if not ok:
        lines = log_path.read_text(errors="replace").splitlines()
        why = [line for line in lines if FAILURE_LINE.search(line)][:40]
        if why:
            loud(f"{name}: what failed, from {log_path}:\n" + "\n".join(why))
        loud(f"{name} FAILED after {seconds:.0f} s; last lines of {log_path}:\n" + "\n".join(lines[-60:]))
    return ok, seconds, log_path


def shadowing_copies() -> list[str]:
    """Other installs of smdev.workstation that tools would load instead of this checkout.

    ansible-lint puts ~/.ansible/collections first, so a stale copy there (left
    by molecule's prerun, or a Galaxy install) would be linted and run instead.
    """
    ours = str(ROOT / ".collections" / "ansible_collections")
    search = f"{Path.home() / '.ansible' / 'collections'}:{os.environ.get('ANSIBLE_COLLECTIONS_PATH', '')}"
    listing = subprocess.run(
        ["ansible-galaxy", "collection", "list", "smdev.workstation", "--format", "json"],
        capture_output=True, text=True, check=False,
        env={**os.environ, "ANSIBLE_COLLECTIONS_PATH": search},
    )
    found = json.loads(listing.stdout or "{}")
    return [path for path in found if path != ours]


def stage_lint(tally: Tally) -> None:
    shadows = shadowing_copies()
    if shadows:
        raise HarnessError(
            "another copy of smdev.workstation would be used instead of this checkout: "
            + ", ".join(f"{path}/smdev/workstation" for path in shadows)
            + ". Remove it (it is not part of this checkout) and run again."
        )
    checks = {
        "lint-yamllint": ["yamllint", "--strict", "."],
        "lint-ansible-lint": ["ansible-lint", "--offline"],
        "lint-ruff": ["ruff", "check", "."],
        "lint-role-docs": [sys.executable, "scripts/role_docs.py", "--check"],
        # IaC scan (its own venv, see the Makefile); findings that do not apply are skipped in
        # .checkov.yaml or at the task, each with its reason.
        "lint-checkov": [str(ROOT / ".venv-checkov" / "bin" / "checkov"), "--config-file", ".checkov.yaml"],
    }
    # checkov asks PyPI for a newer release at import unless told not to: offline, it hangs on a silent network.
    offline = {**os.environ, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"}
    for name, argv in checks.items():
        say(f"{name}: {' '.join(argv)}")
        ok, seconds, _ = run_logged(name, argv, env=offline)
        tally.record(name, ok, seconds)


def stage_unit(tally: Tally) -> None:
    junit = BUILD / "junit-unit.xml"
    say("unit tests: pytest tests/unit")
    ok, seconds, _ = run_logged(
        "unit", [sys.executable, "-m", "pytest", "tests/unit", "-p", "no:cacheprovider",
                 "-n", "2", f"--junitxml={junit}"],
    )
    if not junit.exists():
        tally.record("unit (pytest did not run)", False, seconds)
        return
    suite = ET.parse(junit).getroot()  # noqa: S314 - pytest's own report
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    assert suite is not None
    total, failures, errors, skips = (int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
    # pytest failing with no failed test (a crash, a collection error) still counts once.
    failed = failures + errors or (0 if ok else 1)
    count_proofs(suite, tally)
    tally.add(f"unit ({total} tests)", "passed" if ok else "FAILED", seconds,
              passed=total - failures - errors - skips, failed=failed, skipped=skips)




def count_proofs(suite: ET.Element, tally: Tally) -> None:
    """Add the JUnit report's tests with a `proof` property to tally.proofs: [tried, held]."""
    proofs: dict[str, list[int]] = {}
    for case in suite.iter("testcase"):
        held = not any(child.tag in ("failure", "error", "skipped") for child in case)
        for prop in case.iter("property"):
            if prop.get("name") == "proof":
                counts = proofs.setdefault(prop.get("value", "?"), [0, 0])
                counts[0] += 1
                counts[1] += held
    tally.merge_proofs(proofs)


def junit_path(instance: str) -> Path:
    """Where a scenario's (or the newcomer's) testinfra run writes its JUnit report."""
    return BUILD / "junit" / f"{instance}.xml"


def count_junit_proofs(path: Path, tally: Tally) -> None:
    """count_proofs of a testinfra run's report, if it got that far."""
    if path.exists():
        root = ET.parse(path).getroot()  # noqa: S314 - pytest's own report
        suite = root if root.tag == "testsuite" else root.find("testsuite")
        if suite is not None:
            count_proofs(suite, tally)


def scenarios(selected: list[str]) -> list[str]:
    found = sorted(p.parent.name for p in (ROOT / "molecule").glob("*/molecule.yml"))
    wanted = [s for s in selected if s != NEWCOMER]
    unknown = set(wanted) - set(found)
    if unknown:
        raise HarnessError(f"no such scenario: {', '.join(sorted(unknown))} (have: {', '.join(found)})")
    if not selected:
        return found
    return [s for s in found if s in wanted]


def available_platforms(selected: list[str], tally: Tally, names: list[str]) -> list[images.Platform]:
    """Platforms to run; a non-required one whose archive is silent is skipped loudly."""
    chosen = []
    for platform in images.PLATFORMS:
        if selected and platform.name not in selected:
            continue
        reason = images.archive_answers(platform)
        if reason and platform.required:
            raise HarnessError(f"{platform.name} is required but its archive does not answer: {reason}")
        if reason:
            loud(f"SKIPPED: every scenario on {platform.name}, because {reason}")
            for name in names:
                tally.record(f"{name} on {platform.name}", None, 0.0)
            continue
        chosen.append(platform)
    return chosen


def run_scenario(scenario: str, platform: images.Platform, env: dict[str, str]) -> tuple[bool, float, dict]:
    """`molecule test` of one scenario on one platform, logged to build/logs; its JUnit report in build/junit."""
    instance = f"{INSTANCE_PREFIX}{scenario}-{platform.name}"
    subprocess.run(["docker", "rm", "-f", instance], capture_output=True, check=False)
    junit = junit_path(instance)
    junit.parent.mkdir(parents=True, exist_ok=True)
    junit.unlink(missing_ok=True)
    job_env = {**env, "MOLECULE_EPHEMERAL_DIRECTORY": str(BUILD / "molecule" / instance), "SMDEV_JUNIT": str(junit)}
    say(f"scenario {scenario} on {platform.name}: molecule test")
    ok, seconds, log_path = run_logged(
        f"molecule-{instance}",
        ["molecule", "test", "--scenario-name", scenario, "--platform-name", instance],
        env=job_env,
        timeout=SCENARIO_TIMEOUT,
    )
    say(f"scenario {scenario} on {platform.name}: {'passed' if ok else 'FAILED'} in {seconds:.0f} s ({log_path.name})")
    return ok, seconds, {}


def host_ca_certificates() -> list[str]:
    """PEM certificates this host trusts beyond its distribution's own.

    Where outbound https is inspected by a proxy (as on this sandbox), the
    containers need the proxy's CA just as a corporate laptop does; the roles
    take it through workstation_ca_certificates.
    """
    local = Path("/usr/local/share/ca-certificates")
    return [pem.read_text() for pem in sorted(local.glob("*.crt"))] if local.is_dir() else []


def stage_molecule(tally: Tally, args: argparse.Namespace, beside: Callable[[], None] | None = None) -> None:
    """Every scenario on every platform; `beside` (the unit stage) runs alongside, once the engine is up.

    It starts after Engine has installed the host's packages (apt's lock) and
    started dockerd, and is waited for before this returns, whatever happens.
    """
    names = scenarios(args.scenario)
    with Engine(LOGS) as engine, running_beside(beside):
        platforms = available_platforms(args.platform, tally, names)
        with concurrent.futures.ThreadPoolExecutor(len(platforms) or 1) as pool:
            start = time.monotonic()
            built = pool.map(lambda p: images.ensure(p, LOGS), platforms)
            tags = dict(zip([p.name for p in platforms], built, strict=True))
        tally.rows.append(("base images", "ready", time.monotonic() - start))
        mirror_root = BUILD / "mirror"
        mirror_env = mirror.fill(mirror_root)
        with mirror.serve(mirror_root, host=engine.bridge_gateway()) as server, \
                private_index.serve(engine.bridge_gateway(), BUILD / "private-index") as index:
            say(f"mirror: {mirror_root} served at {server.url} for the containers")
            masked = index.url.replace(index.password, "***")
            say(f"private index: {masked} (https, with a password) for the laptop scenario")
            certificates = host_ca_certificates()
            if certificates:
                say(f"passing this host's {len(certificates)} extra CA certificate(s) to the scenarios")
            env = {
                **os.environ,
                "SMDEV_MIRROR_URL": server.url,
                "SMDEV_CA_CERTIFICATES": json.dumps(certificates),
                # molecule's interpolation has no empty default: always set it.
                "SMDEV_INSTANCE_PREFIX": INSTANCE_PREFIX,
                "SMDEV_PRIVATE_INDEX_URL": index.url,
                "SMDEV_PRIVATE_INDEX_ADDRESS": index.address,
                "SMDEV_PRIVATE_INDEX_CA": index.ca_pem,
                "SMDEV_PRIVATE_INDEX_LOG": str(index.log),
                **mirror_env,
            }
            env.update({f"SMDEV_IMAGE_{name.upper()}": tag for name, tag in tags.items()})
            # Asked for by name (scenario and platform), a pair runs even where it is not usual.
            explicit = bool(args.scenario and args.platform)
            jobs = [(run_scenario, s, p, env) for s in names for p in platforms
                    if explicit or p.name in SCENARIO_PLATFORMS.get(s, (p.name,))]
            for s in names:
                for p in platforms:
                    if not explicit and p.name not in SCENARIO_PLATFORMS.get(s, (p.name,)) and s != "laptop":
                        loud(f"NOT RUN: {s} on {p.name}, because {SCENARIO_PLATFORM_REASONS[s]}"
                             f" (`--scenario {s} --platform {p.name}` runs it)")
            if platforms and (not args.scenario or NEWCOMER in args.scenario):
                test_env = {k: v for k, v in env.items() if k.startswith("SMDEV_")
                            and not k.startswith(("SMDEV_IMAGE", "SMDEV_PRIVATE_INDEX"))}
                # One platform: the laptop scenario converges the playbook on the other; this
                # adds what only a newcomer meets (the Makefile, its venv, sudo's prompt, local runs).
                newcomer_platform = min(platforms, key=lambda p: p.name != NEWCOMER_PLATFORM)
                jobs += [(run_newcomer, NEWCOMER, newcomer_platform, tags[newcomer_platform.name], test_env)]
            jobs.sort(key=lambda job: ORDER.index(job[1]) if job[1] in ORDER else len(ORDER))
            with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
                futures: dict[concurrent.futures.Future, tuple] = {}
                python_runs: dict[str, concurrent.futures.Future] = {}
                for job in jobs:
                    waits = python_runs.get(job[2].name) if job[1] in NEEDS_PYTHON_CACHE else None
                    future = pool.submit(after, waits, *job)
                    futures[future] = job
                    if job[1] == "python":
                        python_runs[job[2].name] = future
                for future in concurrent.futures.as_completed(futures):
                    _, what, platform = futures[future][:3]
                    if future.cancelled():
                        loud(f"NOT RUN: {what} on {platform.name}, because an earlier scenario failed (--fail-fast)")
                        tally.record(f"{what} on {platform.name} (not run)", None, 0.0)
                        continue
                    ok, seconds, proofs = future.result()
                    tally.record(f"{what} on {platform.name}", ok, seconds)
                    tally.merge_proofs(proofs)
                    count_junit_proofs(junit_path(f"{INSTANCE_PREFIX}{what}-{platform.name}"), tally)
                    if not ok and args.fail_fast:
                        for other in futures:
                            other.cancel()


@contextlib.contextmanager
def running_beside(work: Callable[[], None] | None) -> Iterator[None]:
    """Run work in a thread for the duration of the block; wait for it at the end."""
    if work is None:
        yield
        return
    errors: list[BaseException] = []

    def guarded() -> None:
        try:
            work()
        except BaseException as error:  # re-raised in the caller's thread below
            errors.append(error)

    thread = threading.Thread(target=guarded, name="beside", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if errors:
        raise errors[0]


def after(first: concurrent.futures.Future | None, run: Any, *args: Any) -> tuple[bool, float, dict]:
    """run(*args) once `first` (the python run that fills the team cache) has ended, pass or fail."""
    if first is not None:
        concurrent.futures.wait([first])
    return run(*args)


def run_newcomer(_: str, platform: images.Platform, tag: str, env: dict[str, str]) -> tuple[bool, float, dict]:
    """The README's first command, as a new user on a fresh machine (tests/harness/newcomer.py)."""
    seeds = ",".join(map(str, newcomer.KILL_SEEDS))
    say(f"make laptop as dev on a fresh {platform.name}: killed while dpkg runs, then at tasks"
        f" {newcomer.kill_points()} (seeds {seeds}), then converge; re-run and --check must then change nothing;"
        " then the laptop scenario's tests")
    log_path = LOGS / f"newcomer-{platform.name}.log"
    start = time.monotonic()
    loud(f"NOT RUN on {platform.name}: molecule/laptop/tests/{', '.join(NEWCOMER_SKIPS)} (drift's timer runs, the"
         " bad-input run, the -vvv secrets run on a converged machine, and the private index, which the newcomer's"
         " public one replaces: the laptop scenario on debian12 only)")
    junit = junit_path(f"{INSTANCE_PREFIX}{NEWCOMER}-{platform.name}")
    junit.parent.mkdir(parents=True, exist_ok=True)
    junit.unlink(missing_ok=True)
    ok, kills = newcomer.run(platform, tag, ROOT, env, log_path, verify=ROOT / "molecule" / "laptop" / "tests",
                             skip=NEWCOMER_SKIPS, junit=junit)
    seconds = time.monotonic() - start
    if not ok:
        tail = log_path.read_text(errors="replace").splitlines()[-60:]
        loud(f"make laptop on {platform.name} FAILED; last lines of {log_path}:\n" + "\n".join(tail))
    say(f"make laptop on {platform.name}: {'passed' if ok else 'FAILED'} in {seconds:.0f} s")
    return ok, seconds, {"fault": kills}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="make test ARGS=...", description=__doc__)
    parser.add_argument("--only", choices=STAGES, action="append", default=[], help="run only these stages")
    parser.add_argument("--scenario", action="append", default=[],
                        help=f"run only these molecule scenarios ({NEWCOMER}: the README's make laptop check)")
    parser.add_argument("--platform", action="append", default=[], help="run only these platforms")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("SMDEV_TEST_WORKERS", "2")),
                        help="molecule runs in parallel (default 2, one per core)")
    # Every scenario runs by default: CI's one report should show every failure, not the first.
    parser.add_argument("--fail-fast", action="store_true", help="stop starting scenarios after the first failure")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    LOGS.mkdir(parents=True, exist_ok=True)
    stages = args.only or list(STAGES)
    tally = Tally()
    started = time.monotonic()
    try:
        if "lint" in stages:
            stage_lint(tally)
        if tally.failed:
            loud(f"stages {', '.join(s for s in stages if s != 'lint')} not run: lint failed")
        elif "molecule" in stages:
            stage_molecule(tally, args, beside=(lambda: stage_unit(tally)) if "unit" in stages else None)
        elif "unit" in stages:
            stage_unit(tally)
    except (HarnessError, subprocess.CalledProcessError) as error:
        loud(f"HARNESS ERROR: {error}")
        tally.failed += 1
    except KeyboardInterrupt:
        loud("interrupted")
        tally.failed += 1
    print("\nwhat ran                                   result     time")
    for name, outcome, seconds in tally.rows:
        print(f"  {name:<40} {outcome:<9} {seconds:6.0f} s")
    total = time.monotonic() - started
    print(f"  {'total wall time':<40} {'':<9} {total:6.0f} s")
    (BUILD / "test-report.json").write_text(json.dumps(
        {"passed": tally.passed, "failed": tally.failed, "skipped": tally.skipped,
         "seconds": round(total, 1), "rows": tally.rows, "proofs": tally.proofs}, indent=2))
    if tally.proofs:
        print(tally.proof_line())
    print(tally.summary(), flush=True)
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
