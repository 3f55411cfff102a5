#!/usr/bin/env python3
"""Turn what a SageMaker environment runs into our release manifests.

Two sources, one manifest format (roles/sagemaker_sdk/files/manifests/*.json):

* ``release``: the build artifacts of a SageMaker Distribution release (the
  image behind Studio's JupyterLab and Code Editor spaces), as the CSV pair
  ``<release>-<flavor>-explicit.csv`` / ``-resolved-all.csv`` kept in
  ../shared/reference/sagemaker-distribution. A new release is one command:
  ``scripts/sagemaker_manifest.py release DIR v4.4.2``.
* ``capture``: what a user exports on a notebook instance or Studio space
  (``pip list --format=json``, optionally ``pip list --not-required
  --format=json`` and ``conda env export --from-history``), so their own
  SageMaker environment becomes the target.

Only what was asked for explicitly is pinned (never the whole lock file: it is
platform-specific and hides what the user chose), under PyPI names.

conda-forge's package metadata is not PyPI's: a release can run versions that
pip refuses to install together (v2.14.10 runs boto3 1.40.70, while sagemaker
2.257.0 on PyPI requires boto3>=1.42.2). So ``release`` also resolves the
workspace pins against PyPI (``pip install --dry-run`` for the release's
Python, wheels only) and, where PyPI's metadata contradicts a pin, moves that
pin to the lowest version PyPI allows, recording it under ``pypi.adjusted``
with the reason. The SDK itself is never moved. ``--no-resolve`` skips this
(offline); the role then pins what SageMaker runs, and Pipenv's lock says
where that fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = ROOT / "roles" / "sagemaker_sdk" / "files" / "manifests"
FORMAT = 1

# conda-forge names whose PyPI distribution is called something else.
CONDA_TO_PYPI = {
    "sagemaker-python-sdk": "sagemaker",
    "pytorch": "torch",
    "matplotlib-base": "matplotlib",
    "py-xgboost-cpu": "xgboost",
    "py-xgboost-gpu": "xgboost",
    "py-xgboost": "xgboost",
    "ray-default": "ray[default]",
    "python-gssapi": "gssapi",
    "pykrb5": "krb5",
    "msgpack-python": "msgpack",
    "docker-py": "docker",
    "seaborn-base": "seaborn",
    "nbconvert-core": "nbconvert",
}
# python-xyz is xyz on PyPI, except where the PyPI name really starts with python-.
KEEP_PYTHON_PREFIX = {"python-dateutil", "python-dotenv", "python-json-logger", "python-multipart", "python-lsp-server"}
NOT_PYPI = re.compile(r"^(python|conda.*|docker-cli|sagemaker-code-editor|supervisor|lib.*|cuda.*|_.*|nodejs|git)$")

# What a user codes against: pinned in the workspace by default. The rest of the
# release's explicit packages are known pins, used when a user adds them by name.
DEFAULT_PACKAGES = (
    "sagemaker", "sagemaker-core", "sagemaker-train", "sagemaker-serve", "sagemaker-mlops",
    "boto3", "botocore", "s3transfer", "urllib3",
    "numpy", "pandas", "scipy", "scikit-learn", "pyarrow", "matplotlib", "ipykernel",
)
# Pinned when the release resolves them, even where they are not asked for
# explicitly (the SDK's own parts and the AWS client stack move together).
RESOLVED_KEYS = (
    "sagemaker-python-sdk", "sagemaker-core", "sagemaker-train", "sagemaker-serve", "sagemaker-mlops",
    "boto3", "botocore", "s3transfer", "urllib3", "numpy", "pandas", "scipy",
    "scikit-learn", "pyarrow", "matplotlib-base", "ipykernel", "ipython", "debugpy",
)
VERSION = re.compile(r"^\d+(\.\d+)*([abc]|rc)?\d*(\.post\d+)?$")


class ManifestError(ValueError):
    """Input that cannot become a manifest; the message says which and why."""


def normalize(name: str) -> str:
    """PEP 503 form (lower case, runs of -_. as one -), extras kept."""
    base, _, extras = name.partition("[")
    return re.sub(r"[-_.]+", "-", base).lower() + (f"[{extras}" if extras else "")


def pypi_name(conda_name: str) -> str | None:
    """The PyPI name of a conda package, or None when it is not a Python package."""
    if NOT_PYPI.match(conda_name.strip().lower()):
        return None
    name = normalize(conda_name.strip())
    if name in CONDA_TO_PYPI:
        return CONDA_TO_PYPI[name]
    if NOT_PYPI.match(name):
        return None
    if name.startswith("python-") and name not in KEEP_PYTHON_PREFIX:
        return name.removeprefix("python-")
    return name


def _check_version(name: str, version: str) -> str:
    if not VERSION.match(version):
        raise ManifestError(f"{name}: version {version!r} is not a plain release version (e.g. 1.26.4)")
    return version


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ManifestError(f"{path}: no such file")
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def sdk_entry(pins: dict[str, str]) -> dict[str, object]:
    version = pins.get("sagemaker")
    if not version:
        raise ManifestError("the environment has no sagemaker (SageMaker Python SDK) package")
    return {"package": "sagemaker", "version": version, "major": int(version.split(".")[0])}


def from_release(directory: Path, release: str, flavor: str = "cpu") -> dict[str, object]:
    """The manifest of one SageMaker Distribution release from its CSV pair."""
    if not re.fullmatch(r"v\d+\.\d+\.\d+", release):
        raise ManifestError(f"release {release!r} is not of the form vMAJOR.MINOR.PATCH")
    explicit = _read_csv(directory / f"{release}-{flavor}-explicit.csv")
    lock = _read_csv(directory / f"{release}-{flavor}-resolved-all.csv")
    resolved = {row["name"].lower(): row["version"] for row in lock}
    python = resolved.get("python")
    if not python:
        raise ManifestError(f"{release}: the resolved lock file has no python")
    pins: dict[str, str] = {}
    conda_names = [row["name"] for row in explicit] + list(RESOLVED_KEYS)
    for conda_name in conda_names:
        name = pypi_name(conda_name)
        version = resolved.get(conda_name.lower())
        if name and version:
            pins[name] = _check_version(name, version)
    return {
        "format": FORMAT,
        "release": release,
        "flavor": flavor,
        "source": f"aws/sagemaker-distribution build_artifacts/{release.split('.')[0]}/"
                  f"{'.'.join(release.split('.')[:2])}/{release} ({flavor}.env.out)",
        "python": _check_version("python", python),
        "sdk": sdk_entry(pins),
        "default_packages": [name for name in DEFAULT_PACKAGES if name in pins],
        "pins": dict(sorted(pins.items(), key=lambda item: item[0].lower())),
    }


def _conda_history_names(text: str) -> list[str]:
    """Package names from `conda env export --from-history` (YAML, parsed without PyYAML)."""
    names = []
    in_deps = False
    for line in text.splitlines():
        if re.match(r"^dependencies:\s*$", line):
            in_deps = True
            continue
        if in_deps and re.match(r"^\S", line):
            in_deps = False
        item = re.match(r"^\s+-\s+([A-Za-z0-9_.:\-]+)", line) if in_deps else None
        if item and not line.strip().startswith("- pip:"):
            names.append(re.split(r"[=<>!~ ]", item.group(1).split("::")[-1])[0])
    return names


def from_capture(pip_list: str, python: str, name: str, conda_history: str = "",
                 not_required: str = "") -> dict[str, object]:
    """A manifest of what a user chose on SageMaker, from their exports.

    Versions come from the full `pip list --format=json`; which packages count
    as chosen comes from `conda env export --from-history` and/or `pip list
    --not-required` (top-level packages), or, without either, the whole list.
    """
    try:
        installed = {normalize(entry["name"]): entry["version"] for entry in json.loads(pip_list)}
    except (ValueError, KeyError, TypeError) as error:
        raise ManifestError(f"pip list export is not `pip list --format=json` output: {error}") from error
    chosen: list[str] = []
    if conda_history:
        chosen += [n for n in (pypi_name(c) for c in _conda_history_names(conda_history)) if n]
    if not_required:
        chosen += [entry["name"] for entry in json.loads(not_required)]
    if not chosen:
        chosen = list(installed)
    pins = {}
    for pkg in map(normalize, chosen):
        base = pkg.split("[")[0]
        if base in installed:
            pins[pkg] = _check_version(pkg, installed[base])
    return {
        "format": FORMAT,
        "release": name,
        "flavor": "captured",
        "source": "captured from a SageMaker environment (pip list / conda --from-history)",
        "python": _check_version("python", python.split()[-1]),
        "sdk": sdk_entry(pins),
        "default_packages": sorted(pins, key=str.lower),
        "pins": dict(sorted(pins.items(), key=lambda item: item[0].lower())),
    }


# pip's ResolutionImpossible explanation, one line per side of the conflict.
REQUESTED = re.compile(r"^\s*The user requested (?P<name>[A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(?P<version>\S+)\s*$")
DEPENDS = re.compile(
    r"^\s*(?P<who>[A-Za-z0-9._-]+(?:\[[^\]]*\])?) (?P<whover>\S+) depends on "
    r"(?P<name>[A-Za-z0-9._-]+)(?:\[[^\]]*\])?(?P<spec>[<>=!~][^;]*?)?\s*$"
)
PYPI = "https://pypi.org/simple"
MAX_ADJUSTMENTS = 12

# (requirements, python "3.11") -> (ok, pip's output)
Resolver = Callable[[list[str], str], tuple[bool, str]]
# package name -> every version the index has
VersionLister = Callable[[str], list[str]]


def workspace_requirements(manifest: dict, pins: dict[str, str]) -> list[str]:
    """The requirements the role's Pipfile asks for by default, at these pins."""
    sdk_major = manifest["sdk"]["major"]
    out = []
    for name in manifest["default_packages"]:
        extras = "[local]" if name == "sagemaker" and sdk_major == 2 else ""
        out.append(f"{name}{extras}=={pins[name]}")
    return out


def pip_resolver(index: str = PYPI) -> Resolver:
    """Ask pip whether these pins install together on Linux for that Python (nothing is installed)."""
    def resolve(requirements: list[str], python: str) -> tuple[bool, str]:
        with tempfile.TemporaryDirectory() as target:
            result = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--isolated", "--dry-run", "--ignore-installed",
                 "--disable-pip-version-check", "--target", target, "--python-version", python,
                 "--only-binary=:all:", "--index-url", index, *requirements],
                capture_output=True, text=True, check=False,
            )
        return result.returncode == 0, result.stdout + result.stderr
    return resolve


def pypi_versions(index: str = PYPI) -> VersionLister:
    """The versions an index has of a package (PEP 691 JSON simple API)."""
    if not re.match(r"^https?://", index):
        raise ManifestError(f"--index must be an http(s) URL; got {index!r}")

    def versions(name: str) -> list[str]:
        url = f"{index}/{normalize(name)}/"
        request = urllib.request.Request(url, headers={"Accept": "application/vnd.pypi.simple.v1+json"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (http(s) only, checked above)
            return list(json.load(response).get("versions", []))
    return versions


def conflicts(output: str) -> dict[str, tuple[str, str]]:
    """From pip's explanation: pinned package -> (specifier its dependent needs, who needs it)."""
    requested = {normalize(m["name"]) for m in map(REQUESTED.match, output.splitlines()) if m}
    found: dict[str, tuple[str, str]] = {}
    for line in output.splitlines():
        match = DEPENDS.match(line)
        if not match or normalize(match["name"]) not in requested:
            continue
        spec = (match["spec"] or "").replace(" and ", ",").replace(" ", "")
        found.setdefault(normalize(match["name"]), (spec, f"{match['who']} {match['whover']}"))
    return found


def lowest_allowed(versions: Iterable[str], spec: str, floor: str) -> str | None:
    """The lowest final release that satisfies spec, preferring ones at or above floor."""
    allowed = SpecifierSet(spec)
    good = []
    for text in versions:
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if not version.is_prerelease and not version.is_devrelease and version in allowed:
            good.append(version)
    if not good:
        return None
    above = [v for v in good if v >= Version(floor)]
    return str(min(above) if above else max(good))


def resolve_on_pypi(manifest: dict, resolver: Resolver, versions: VersionLister) -> dict:
    """The manifest with pypi.adjusted: pins moved where PyPI's metadata contradicts SageMaker's."""
    python = ".".join(manifest["python"].split(".")[:2])
    pins = {name: manifest["pins"][name] for name in manifest["default_packages"]}
    adjusted: dict[str, dict[str, str]] = {}
    for _ in range(MAX_ADJUSTMENTS + 1):
        ok, output = resolver(workspace_requirements(manifest, pins), python)
        if ok:
            return {**manifest, "pypi": {"python": python, "adjusted": dict(sorted(adjusted.items()))}}
        found = conflicts(output)
        found.pop("sagemaker", None)  # the SDK version is the point: never moved
        if not found:
            raise ManifestError(f"{manifest['release']}: pip cannot install the pins, and not because of "
                                f"one pin it can name:\n{output.strip()[-2000:]}")
        for name, (spec, who) in found.items():
            if name in adjusted and adjusted[name]["pinned"] == pins[name] and not SpecifierSet(spec).contains(
                    pins[name]):
                raise ManifestError(f"{manifest['release']}: {name} cannot satisfy {who} ({spec})")
            version = lowest_allowed(versions(name), spec, manifest["pins"][name])
            if version is None:
                raise ManifestError(f"{manifest['release']}: PyPI has no {name} that {who} accepts ({spec})")
            pins[name] = version
            adjusted[name] = {"sagemaker_runs": manifest["pins"][name], "pinned": version,
                              "because": f"{who} on PyPI requires {name}{spec}"}
    raise ManifestError(f"{manifest['release']}: still no resolution after {MAX_ADJUSTMENTS} adjustments")


def write(manifest: dict[str, object], out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{manifest['release']}-{manifest['flavor']}.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    return path


def releases_in(directory: Path) -> Iterable[str]:
    return sorted({p.name.split("-")[0] for p in directory.glob("v*-cpu-explicit.csv")})


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    rel = sub.add_parser("release", help="manifest(s) from SageMaker Distribution build artifacts")
    rel.add_argument("directory", type=Path)
    rel.add_argument("releases", nargs="*", help="e.g. v4.4.1 (default: every release in the directory)")
    rel.add_argument("--flavor", default="cpu", choices=["cpu", "gpu"])
    rel.add_argument("--no-resolve", action="store_true",
                     help="do not check the pins against PyPI (offline); the role pins what SageMaker runs")
    rel.add_argument("--index", default=PYPI, help="simple index to resolve against (default: PyPI)")
    cap = sub.add_parser("capture", help="manifest from a user's exports on SageMaker")
    cap.add_argument("name", help="manifest name, e.g. team-notebook-2026-11")
    cap.add_argument("--pip-list", type=Path, required=True, help="pip list --format=json")
    cap.add_argument("--python", required=True, help="the output of `python --version` there")
    cap.add_argument("--conda-history", type=Path, help="conda env export --from-history")
    cap.add_argument("--not-required", type=Path, help="pip list --not-required --format=json")
    for each in (rel, cap):
        each.add_argument("--out", type=Path, default=MANIFESTS, help="output directory")
    args = parser.parse_args(argv)
    try:
        if args.command == "release":
            for release in args.releases or releases_in(args.directory):
                manifest = from_release(args.directory, release, args.flavor)
                if not args.no_resolve:
                    manifest = resolve_on_pypi(manifest, pip_resolver(args.index), pypi_versions(args.index))
                    for name, why in manifest["pypi"]["adjusted"].items():
                        print(f"{release}: {name} {why['sagemaker_runs']} -> {why['pinned']}: {why['because']}",
                              file=sys.stderr)
                print(write(manifest, args.out))
        else:
            manifest = from_capture(
                args.pip_list.read_text(), args.python, args.name,
                args.conda_history.read_text() if args.conda_history else "",
                args.not_required.read_text() if args.not_required else "",
            )
            print(write(manifest, args.out))
    except ManifestError as error:
        print(f"sagemaker_manifest: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
