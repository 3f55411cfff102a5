"""scripts/sagemaker_manifest.py: release artifacts and user exports become manifests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import sagemaker_manifest as sm  # noqa: E402

# The release facts the shipped manifests come from (see its README).
REFERENCE = ROOT / "tests" / "fixtures" / "sagemaker-distribution"
FIXTURES = ROOT / "tests" / "fixtures" / "sagemaker"
SHIPPED = ROOT / "roles" / "sagemaker_sdk" / "files" / "manifests"


def write_release(tmp_path: Path, release: str, explicit: list[str], resolved: list[str]) -> Path:
    header_e = "name,channel,spec,build_spec,source,resolved_version,resolved_build,pypi_name,not_pypi_note"
    header_r = "name,version,build,subdir,channel,md5,looks_like_python_pkg,pypi_name_guess"
    (tmp_path / f"{release}-cpu-explicit.csv").write_text("\n".join([header_e, *explicit]) + "\n")
    (tmp_path / f"{release}-cpu-resolved-all.csv").write_text("\n".join([header_r, *resolved]) + "\n")
    return tmp_path


@pytest.mark.parametrize(("conda", "pypi"), [
    ("sagemaker-python-sdk", "sagemaker"), ("pytorch", "torch"), ("matplotlib-base", "matplotlib"),
    ("py-xgboost-cpu", "xgboost"), ("ray-default", "ray[default]"), ("python-gssapi", "gssapi"),
    ("msgpack-python", "msgpack"), ("docker-py", "docker"), ("python-dateutil", "python-dateutil"),
    ("amazon_sagemaker_sql_editor", "amazon-sagemaker-sql-editor"), ("PyYAML", "pyyaml"),
    ("python", None), ("conda", None), ("conda-libmamba-solver", None), ("libgcc", None),
    ("cuda-nvcc", None), ("docker-cli", None), ("sagemaker-code-editor", None), ("_openmp_mutex", None),
])
def test_conda_names_map_to_pypi_names(conda: str, pypi: str | None) -> None:
    assert sm.pypi_name(conda) == pypi


def test_a_release_pins_what_it_resolved_not_what_it_asked_for(tmp_path: Path) -> None:
    directory = write_release(tmp_path, "v9.0.0", [
        'python,conda-forge,">=3.12.1,<3.13",,cpu.env.in,3.12.13,h_cpython,,interpreter',
        'sagemaker-python-sdk,conda-forge,">=3.11.0",,cpu.env.in,3.12.0,h0,sagemaker,',
        'pytorch,conda-forge,">=2.7",,cpu.env.in,2.8.0,h0,torch,',
        'conda,conda-forge,"",,cpu.env.in,26.7.0,h0,,not a PyPI package',
    ], [
        "python,3.12.13,h,linux-64,conda-forge,x,False,",
        "sagemaker-python-sdk,3.12.0,h,noarch,conda-forge,x,True,sagemaker",
        "sagemaker-core,2.20.0,h,noarch,conda-forge,x,True,sagemaker-core",
        "pytorch,2.8.0,h,linux-64,conda-forge,x,True,torch",
        "boto3,1.43.56,h,noarch,conda-forge,x,True,boto3",
        "conda,26.7.0,h,linux-64,conda-forge,x,False,",
        "zstd,1.5.7,h,linux-64,conda-forge,x,False,",
    ])
    manifest = sm.from_release(directory, "v9.0.0")
    assert manifest["python"] == "3.12.13"
    assert manifest["sdk"] == {"package": "sagemaker", "version": "3.12.0", "major": 3}
    # Explicit packages and the SDK's own parts; never the whole lock file.
    assert manifest["pins"] == {"boto3": "1.43.56", "sagemaker": "3.12.0", "sagemaker-core": "2.20.0", "torch": "2.8.0"}
    assert manifest["default_packages"] == ["sagemaker", "sagemaker-core", "boto3"]


@pytest.mark.parametrize(("release", "message"), [
    ("4.4.1", "vMAJOR.MINOR.PATCH"), ("v4.4", "vMAJOR.MINOR.PATCH"), ("v4.4.1; rm", "vMAJOR.MINOR.PATCH"),
    ("v0.0.1", "no such file"),
])
def test_bad_release_names_are_refused(tmp_path: Path, release: str, message: str) -> None:
    with pytest.raises(sm.ManifestError, match=message):
        sm.from_release(tmp_path, release)


def test_a_release_without_the_sdk_is_refused(tmp_path: Path) -> None:
    directory = write_release(tmp_path, "v9.0.0", [], ["python,3.12.13,h,linux-64,conda-forge,x,False,"])
    with pytest.raises(sm.ManifestError, match="no sagemaker"):
        sm.from_release(directory, "v9.0.0")


def test_a_non_release_version_is_refused(tmp_path: Path) -> None:
    directory = write_release(tmp_path, "v9.0.0", [], [
        "python,3.12.13,h,linux-64,conda-forge,x,False,",
        "sagemaker-python-sdk,3.12.0.dev0+local,h,noarch,conda-forge,x,True,sagemaker",
    ])
    with pytest.raises(sm.ManifestError, match="sagemaker: version"):
        sm.from_release(directory, "v9.0.0")


@pytest.mark.parametrize("manifest_path", sorted(SHIPPED.glob("*.json")), ids=lambda p: p.name)
def test_shipped_manifests_are_what_the_script_makes_of_the_reference(manifest_path: Path) -> None:
    release, flavor = manifest_path.stem.rsplit("-", 1)
    shipped = json.loads(manifest_path.read_text())
    pypi = shipped.pop("pypi")  # the PyPI check needs the network; its logic is tested below
    assert sm.from_release(REFERENCE, release, flavor) == shipped
    assert "sagemaker" not in pypi["adjusted"]
    assert set(pypi["adjusted"]) <= set(shipped["default_packages"])
    for name, why in pypi["adjusted"].items():
        assert why["sagemaker_runs"] == shipped["pins"][name]


@pytest.mark.parametrize(("release", "python", "sdk"), [
    ("v4.4.1", "3.12.13", "3.12.0"), ("v4.3.3", "3.12.13", "3.12.0"),
    ("v3.9.10", "3.12.9", "2.245.0"), ("v2.14.10", "3.11.11", "2.257.0"),
])
def test_shipped_manifests_carry_the_facts_of_each_release(release: str, python: str, sdk: str) -> None:
    manifest = json.loads((SHIPPED / f"{release}-cpu.json").read_text())
    assert manifest["python"] == python
    assert manifest["sdk"]["version"] == sdk
    assert manifest["pins"]["urllib3"] == "1.26.20"
    assert set(manifest["default_packages"]) <= set(manifest["pins"])
    if manifest["sdk"]["major"] >= 3:
        # The v3 meta-package pulls newer parts unless they are pinned too.
        parts = {"sagemaker-core", "sagemaker-train", "sagemaker-serve", "sagemaker-mlops"}
        assert parts <= set(manifest["default_packages"])


def test_capture_pins_only_what_the_user_chose_at_the_versions_installed() -> None:
    manifest = sm.from_capture(
        (FIXTURES / "notebook-pip-list.json").read_text(), "Python 3.10.14", "team-notebook",
        conda_history=(FIXTURES / "notebook-conda-history.yml").read_text(),
        not_required=(FIXTURES / "notebook-not-required.json").read_text(),
    )
    assert manifest["python"] == "3.10.14"
    assert manifest["pins"] == {
        "ipykernel": "7.3.0", "lightgbm": "4.6.0", "matplotlib": "3.10.9",
        "sagemaker": "2.257.0", "scikit-learn": "1.7.2", "xgboost": "2.1.4",
    }
    assert manifest["sdk"]["major"] == 2
    assert "six" not in manifest["pins"]  # a dependency nobody asked for


def test_capture_from_pip_list_alone_pins_everything_listed() -> None:
    manifest = sm.from_capture((FIXTURES / "notebook-pip-list.json").read_text(), "3.10.14", "all")
    assert len(manifest["pins"]) == 13


@pytest.mark.parametrize(("pip_list", "python", "message"), [
    ("not json", "3.10.14", "pip list --format=json"),
    ('{"sagemaker": "2.1"}', "3.10.14", "pip list --format=json"),
    ('[{"name": "boto3", "version": "1.0"}]', "3.10.14", "no sagemaker"),
    ('[{"name": "sagemaker", "version": "2.257.0"}]', "Python three", "python: version"),
])
def test_capture_refuses_what_is_not_an_export(pip_list: str, python: str, message: str) -> None:
    with pytest.raises(sm.ManifestError, match=message):
        sm.from_capture(pip_list, python, "x")


def test_the_command_line_writes_one_file_per_release(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sagemaker_manifest.py"), "release", str(REFERENCE),
         "v4.4.1", "v2.14.10", "--no-resolve", "--out", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v2.14.10-cpu.json", "v4.4.1-cpu.json"]


def test_the_command_line_says_what_is_wrong(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sagemaker_manifest.py"), "release", str(tmp_path), "v1.2"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 2
    assert "vMAJOR.MINOR.PATCH" in result.stderr


# What pip 23 printed here for v2.14.10's pins (abridged).
PIP_CONFLICT = """\
ERROR: Cannot install boto3==1.40.70 and sagemaker[local]==2.257.0 because these package versions have \
conflicting dependencies.

The conflict is caused by:
    The user requested boto3==1.40.70
    sagemaker[local] 2.257.0 depends on boto3<2.0 and >=1.42.2

To fix this you could try to:
"""


def test_pips_conflict_explanation_names_the_pin_and_what_it_must_satisfy() -> None:
    assert sm.conflicts(PIP_CONFLICT) == {"boto3": ("<2.0,>=1.42.2", "sagemaker[local] 2.257.0")}
    assert sm.conflicts("ERROR: No matching distribution found for numpy==9.9") == {}


@pytest.mark.parametrize(("spec", "floor", "expected"), [
    ("<2.0,>=1.42.2", "1.40.70", "1.42.2"),   # the lowest PyPI allows: closest to SageMaker
    (">=1.0", "1.42.5", "1.42.5"),            # SageMaker's own version when allowed
    ("<1.42", "1.42.5", "1.41.0"),            # the highest below, when it must go down
    (">=9", "1.0", None),
])
def test_the_adjusted_version_is_the_closest_pypi_allows(spec: str, floor: str, expected: str | None) -> None:
    versions = ["1.40.70", "1.41.0", "1.42.2", "1.42.3rc1", "1.42.5", "1.43.0", "not-a-version"]
    assert sm.lowest_allowed(versions, spec, floor) == expected


def chain_manifest() -> dict:
    return {"release": "v9.0.0", "python": "3.11.11", "sdk": {"package": "sagemaker", "version": "2.257.0", "major": 2},
            "default_packages": ["sagemaker", "boto3", "botocore"],
            "pins": {"sagemaker": "2.257.0", "boto3": "1.40.70", "botocore": "1.40.70", "torch": "2.6.0"}}


def test_resolution_moves_each_contradicted_pin_until_pip_agrees() -> None:
    asked: list[list[str]] = []

    def resolver(requirements: list[str], python: str) -> tuple[bool, str]:
        asked.append(requirements)
        assert python == "3.11"
        if "boto3==1.40.70" in requirements:
            return False, PIP_CONFLICT
        if "botocore==1.40.70" in requirements:
            return False, ("The user requested botocore==1.40.70\n"
                           "    boto3 1.42.2 depends on botocore<1.43.0 and >=1.42.2\n")
        return True, ""

    manifest = sm.resolve_on_pypi(chain_manifest(), resolver, lambda name: ["1.40.70", "1.42.2", "1.42.9"])
    assert asked[0] == ["sagemaker[local]==2.257.0", "boto3==1.40.70", "botocore==1.40.70"]
    assert asked[-1] == ["sagemaker[local]==2.257.0", "boto3==1.42.2", "botocore==1.42.2"]
    assert manifest["pypi"]["python"] == "3.11"
    assert manifest["pypi"]["adjusted"]["botocore"] == {
        "sagemaker_runs": "1.40.70", "pinned": "1.42.2",
        "because": "boto3 1.42.2 on PyPI requires botocore<1.43.0,>=1.42.2"}
    assert manifest["pins"]["boto3"] == "1.40.70"  # what SageMaker runs stays on record


def test_resolution_never_moves_the_sdk_and_says_what_pip_said() -> None:
    def resolver(requirements: list[str], python: str) -> tuple[bool, str]:
        return False, "The user requested sagemaker==2.257.0\n    foo 1.0 depends on sagemaker<2\nERROR: nope"

    with pytest.raises(sm.ManifestError, match="not because of one pin it can name"):
        sm.resolve_on_pypi(chain_manifest(), resolver, lambda name: [])


def test_resolution_gives_up_when_pypi_has_no_acceptable_version() -> None:
    with pytest.raises(sm.ManifestError, match=r"PyPI has no boto3 that sagemaker\[local\] 2\.257\.0 accepts"):
        sm.resolve_on_pypi(chain_manifest(), lambda reqs, py: (False, PIP_CONFLICT), lambda name: ["1.0.0"])
