"""daemon.json merging and NVIDIA detection of the docker role, without a container."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ansible_collections.smdev.workstation.plugins.filter.docker import (
    docker_nvidia_gpu_present,
    docker_nvidia_runtime_options,
)
from ansible_collections.smdev.workstation.plugins.module_utils.docker_daemon import (
    DaemonConfigError,
    merge_daemon_config,
    parse_daemon_json,
)

ROOT = Path(__file__).resolve().parents[2]
LOG_DEFAULTS = {"log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "3"}}

# Real `lspci -n` / `lspci -nn` lines: an EC2 g4dn (Tesla T4), a p3 (V100), a laptop with
# Intel graphics and an NVIDIA audio function, and an ordinary VM.
LSPCI_T4 = "00:1e.0 0302: 10de:1eb8 (rev a1)\n00:1f.0 0108: 1d0f:8061\n"
LSPCI_V100_NN = "00:1e.0 3D controller [0302]: NVIDIA Corporation GV100GL [Tesla V100 SXM2 16GB] [10de:1db1] (rev a1)\n"
LSPCI_LAPTOP_RTX = "01:00.0 0300: 10de:2560 (rev a1)\n01:00.1 0403: 10de:228e (rev a1)\n00:02.0 0300: 8086:a7a0\n"
LSPCI_NVIDIA_AUDIO_ONLY = "01:00.1 0403: 10de:228e (rev a1)\n00:02.0 0300: 8086:a7a0 (rev 04)\n"
LSPCI_PLAIN_VM = "00:00.0 0600: 8086:1237 (rev 02)\n00:02.0 0300: 1234:1111 (rev 02)\n00:03.0 0200: 1af4:1000\n"


@pytest.mark.user_data
def test_user_keys_survive_and_defaults_fill_in() -> None:
    existing = {"max-concurrent-downloads": 2, "log-opts": {"labels": "team"}}
    merged = merge_daemon_config(existing, {"max-concurrent-uploads": 3}, LOG_DEFAULTS)
    assert merged == {
        "max-concurrent-downloads": 2,
        "log-opts": {"labels": "team", "max-size": "10m", "max-file": "3"},
        "max-concurrent-uploads": 3,
        "log-driver": "json-file",
    }


def test_existing_values_beat_defaults_and_options_beat_existing() -> None:
    existing = {"log-opts": {"max-size": "100m"}, "debug": True}
    merged = merge_daemon_config(existing, {"debug": False}, LOG_DEFAULTS)
    assert merged["log-opts"] == {"max-size": "100m", "max-file": "3"}
    assert merged["debug"] is False


def test_log_rotation_defaults_skip_other_log_drivers() -> None:
    """max-size under journald makes dockerd refuse to start."""
    merged = merge_daemon_config({"log-driver": "journald"}, {}, LOG_DEFAULTS)
    assert merged == {"log-driver": "journald"}
    merged = merge_daemon_config({}, {"log-driver": "syslog"}, LOG_DEFAULTS)
    assert "log-opts" not in merged


def test_merge_does_not_alias_its_inputs() -> None:
    options = {"runtimes": {"nvidia": {"path": "nvidia-container-runtime", "args": []}}}
    merged = merge_daemon_config({}, options, LOG_DEFAULTS)
    merged["runtimes"]["nvidia"]["args"].append("x")
    merged["log-opts"]["max-size"] = "1k"
    assert options["runtimes"]["nvidia"]["args"] == []
    assert LOG_DEFAULTS["log-opts"]["max-size"] == "10m"


def test_nested_options_merge_with_existing_runtimes() -> None:
    existing = {"runtimes": {"runsc": {"path": "/usr/bin/runsc"}}}
    merged = merge_daemon_config(existing, docker_nvidia_runtime_options("nvidia-container-runtime"), {})
    assert set(merged["runtimes"]) == {"runsc", "nvidia"}
    assert "default-runtime" not in merged


def test_nvidia_can_be_the_default_runtime() -> None:
    assert docker_nvidia_runtime_options("/usr/bin/nvidia-container-runtime", True)["default-runtime"] == "nvidia"


@pytest.mark.parametrize("text", ["", "  \n"])
def test_missing_or_blank_file_is_an_empty_config(text: str) -> None:
    assert parse_daemon_json(text, "/etc/docker/daemon.json") == {}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"debug": true,}', "not valid JSON"),
        ("{'debug': true}", "not valid JSON"),
        ('["debug"]', "JSON object"),
        ("true", "JSON object"),
    ],
)
def test_unparsable_file_is_reported(text: str, says: str) -> None:
    with pytest.raises(DaemonConfigError, match=says) as raised:
        parse_daemon_json(text, "/etc/docker/daemon.json")
    assert "/etc/docker/daemon.json" in str(raised.value)
    assert "left as it is" in str(raised.value)


@pytest.mark.parametrize(
    ("proc", "lspci", "present"),
    [
        (True, "", True),
        (False, LSPCI_T4, True),
        (False, LSPCI_V100_NN, True),
        (False, LSPCI_LAPTOP_RTX, True),
        (False, LSPCI_NVIDIA_AUDIO_ONLY, False),
        (False, LSPCI_PLAIN_VM, False),
        (False, "", False),
    ],
    ids=["driver-loaded", "g4dn-t4", "p3-v100-nn", "laptop-rtx", "nvidia-audio-only", "plain-vm", "no-lspci"],
)
def test_gpu_detection(proc: bool, lspci: str, present: bool) -> None:
    assert docker_nvidia_gpu_present(proc, lspci) is present


def run_module(path: Path, args: dict[str, Any], check: bool = False) -> dict[str, Any]:
    """Run the module through ansible's ad-hoc command, as a play would."""
    env = {**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(ROOT / ".collections"), "ANSIBLE_NOCOLOR": "1",
           "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1", "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.json"}
    argv = [str(Path(sys.executable).parent / "ansible"), "localhost", "-c", "local",
            "-m", "smdev.workstation.docker_daemon_json", "-a", json.dumps({"path": str(path), **args})]
    result = subprocess.run([*argv, *(["--check"] if check else [])], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    return json.loads(result.stdout)["plays"][0]["tasks"][0]["hosts"]["localhost"]


def test_module_merges_then_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "daemon.json"
    path.write_text('{\n  "max-concurrent-downloads": 2\n}\n')
    args = {"options": {"debug": False}, "defaults": LOG_DEFAULTS}
    assert run_module(path, args, check=True)["changed"] is True
    assert json.loads(path.read_text()) == {"max-concurrent-downloads": 2}
    first = run_module(path, args)
    assert first["changed"] is True
    assert json.loads(path.read_text())["max-concurrent-downloads"] == 2
    assert Path(first["backup_file"]).read_text().startswith('{\n  "max-concurrent-downloads": 2')
    assert run_module(path, args)["changed"] is False


@pytest.mark.user_data
def test_module_refuses_invalid_json_and_leaves_it(tmp_path: Path) -> None:
    path = tmp_path / "daemon.json"
    path.write_text('{"debug": true,\n')
    result = run_module(path, {"defaults": LOG_DEFAULTS})
    assert result["failed"] is True
    assert "not valid JSON" in result["msg"]
    assert path.read_text() == '{"debug": true,\n'
