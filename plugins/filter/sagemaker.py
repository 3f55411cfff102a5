"""Filters of the sagemaker_sdk role: from a release manifest to workspace pins."""

from __future__ import annotations

import re
from typing import Any

DOCUMENTATION = """
name: sagemaker_pins
short_description: The Pipfile specifiers and exact pins of a SageMaker workspace
description:
  - Takes a release manifest (files/manifests/*.json of the sagemaker_sdk role) and the role's
    variables; returns C(specifiers) (package to PEP 440 specifier, for the Pipfile), C(exact)
    (package to version, for the parity check) and C(adjusted) (the pins that differ from what
    SageMaker runs because PyPI's metadata forbids it, with the reason; see the manifest's
    C(pypi.adjusted)).
options: {}
"""

SDK_PARTS = ("sagemaker-core", "sagemaker-train", "sagemaker-serve", "sagemaker-mlops")
EXACT = re.compile(r"^==\s*([^=,*\s]+)$")


def _normalize(name: str) -> str:
    base, _, extras = name.partition("[")
    return re.sub(r"[-_.]+", "-", base).lower() + (f"[{extras}" if extras else "")


def sagemaker_pins(manifest: dict[str, Any], default_packages: list[str] | None = None,
                   sdk_version: str = "", packages: dict[str, str] | None = None) -> dict[str, dict[str, str]]:
    """The release's versions for the default packages, the SDK override, then the user's own.

    Overriding the SDK version unpins its parts (their versions move with it).
    A user's empty specifier means the release's version, or any when the
    release does not ship the package.
    """
    # Where PyPI's metadata contradicts the release, the manifest says which
    # version pip can install instead (scripts/sagemaker_manifest.py).
    moved = {_normalize(name): why for name, why in manifest.get("pypi", {}).get("adjusted", {}).items()}
    release_pins = {_normalize(name): version for name, version in manifest["pins"].items()}
    release_pins.update({name: why["pinned"] for name, why in moved.items()})
    overridden = bool(sdk_version) and sdk_version != manifest["sdk"]["version"]
    defaults = [_normalize(n) for n in (default_packages or manifest["default_packages"])]
    specifiers: dict[str, str] = {}
    for name in defaults:
        if overridden and name in SDK_PARTS:
            continue
        if name not in release_pins:
            raise ValueError(f"sagemaker_sdk_default_packages: {name} is not shipped by {manifest['release']}")
        specifiers[name] = f"=={release_pins[name]}"
    if overridden:
        specifiers["sagemaker"] = f"=={sdk_version}"
    for name, spec in (packages or {}).items():
        key, spec = _normalize(name), str(spec).strip()
        known = release_pins.get(key)
        specifiers[key] = spec or (f"=={known}" if known else "*")
    exact = {name: match.group(1) for name, spec in specifiers.items() if (match := EXACT.match(spec))}
    adjusted = {name: why for name, why in moved.items() if exact.get(name) == why["pinned"]}
    return {"specifiers": specifiers, "exact": exact, "adjusted": adjusted}


class FilterModule:
    def filters(self) -> dict[str, Any]:
        return {"sagemaker_pins": sagemaker_pins}
