"""The sagemaker_pins filter: release versions, the SDK override, the user's own pins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plugins.filter.sagemaker import sagemaker_pins

ROOT = Path(__file__).resolve().parents[2]
V4 = json.loads((ROOT / "roles/sagemaker_sdk/files/manifests/v4.4.1-cpu.json").read_text())
V2 = json.loads((ROOT / "roles/sagemaker_sdk/files/manifests/v2.14.10-cpu.json").read_text())


def test_defaults_pin_the_release_versions() -> None:
    pins = sagemaker_pins(V4)
    assert pins["specifiers"]["sagemaker"] == "==3.12.0"
    assert pins["specifiers"]["sagemaker-train"] == "==1.14.0"
    assert pins["specifiers"]["urllib3"] == "==1.26.20"
    assert set(pins["specifiers"]) == set(V4["default_packages"])
    assert pins["exact"]["boto3"] == "1.43.56"


def test_overriding_the_sdk_unpins_its_parts() -> None:
    pins = sagemaker_pins(V2, sdk_version="2.257.7")
    assert pins["specifiers"]["sagemaker"] == "==2.257.7"
    assert "sagemaker-core" not in pins["specifiers"]
    assert pins["specifiers"]["boto3"] == "==1.42.2"


def test_the_release_version_of_the_sdk_is_not_an_override() -> None:
    assert "sagemaker-core" in sagemaker_pins(V2, sdk_version="2.257.0")["specifiers"]


@pytest.mark.parametrize(("packages", "name", "spec", "exact"), [
    ({"xgboost": ""}, "xgboost", "==2.1.4", "2.1.4"),          # the release's version
    ({"lightgbm": ""}, "lightgbm", "*", None),                  # not shipped: any
    ({"requests": "==2.32.3"}, "requests", "==2.32.3", "2.32.3"),
    ({"requests": ">=2.31,<3"}, "requests", ">=2.31,<3", None),  # not exact: not parity-checked
    ({"Scikit_Learn": "==1.7.1"}, "scikit-learn", "==1.7.1", "1.7.1"),  # the user wins, PEP 503 name
    ({"ray[default]": ""}, "ray[default]", "==2.55.1", "2.55.1"),
])
def test_user_packages(packages: dict[str, str], name: str, spec: str, exact: str | None) -> None:
    pins = sagemaker_pins(V4, packages=packages)
    assert pins["specifiers"][name] == spec
    assert pins["exact"].get(name) == exact


def test_a_default_package_the_release_does_not_ship_is_refused() -> None:
    with pytest.raises(ValueError, match="sagemaker_sdk_default_packages: lightgbm"):
        sagemaker_pins(V4, default_packages=["sagemaker", "lightgbm"])


def test_a_smaller_default_list() -> None:
    assert set(sagemaker_pins(V2, default_packages=["sagemaker", "boto3"])["specifiers"]) == {"sagemaker", "boto3"}


def test_pins_pypi_forbids_move_to_what_the_manifest_resolved_and_say_why() -> None:
    # v2.14.10 runs boto3 1.40.70, but sagemaker 2.257.0 on PyPI requires boto3>=1.42.2.
    pins = sagemaker_pins(V2)
    assert pins["specifiers"]["sagemaker"] == "==2.257.0"  # the SDK itself never moves
    assert pins["specifiers"]["boto3"] == "==1.42.2"
    assert pins["specifiers"]["numpy"] == "==1.26.4"
    assert set(pins["adjusted"]) == {"boto3", "botocore", "s3transfer"}
    assert pins["adjusted"]["boto3"]["sagemaker_runs"] == "1.40.70"
    assert "requires boto3" in pins["adjusted"]["boto3"]["because"]


def test_a_user_pin_replaces_an_adjusted_one_and_its_note() -> None:
    pins = sagemaker_pins(V2, packages={"boto3": "==1.42.9"})
    assert pins["specifiers"]["boto3"] == "==1.42.9"
    assert "boto3" not in pins["adjusted"]


def test_a_release_pypi_accepts_has_no_adjustments() -> None:
    assert sagemaker_pins(V4)["adjusted"] == {}
