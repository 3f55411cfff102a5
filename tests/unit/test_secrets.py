"""A password in a proxy or package-index URL never reaches the output (issue 11, secrets).

The common role writes those URLs into files. Run with -vvv and --diff (what
a user pastes into a bug report, and what drift's report mode records), the
planted passwords must not appear, whether the URL is accepted or refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ansible_collections.smdev.workstation.plugins.test.url import url_with_password
from tests.unit.localhost_role import ROOT, run_role

PROXY_PASSWORD = "Pr0xyS3cret"  # noqa: S105 - planted, to be looked for in the output
INDEX_TOKEN = "IndexT0ken42"  # noqa: S105 - planted, to be looked for in the output

def play(tasks_from: str, before: str = "") -> str:
    """A play that runs one task file of {role} on localhost, after `before` (its roles: section)."""
    return f"""\
- hosts: localhost
  gather_facts: false
{before}  tasks:
    - name: Run the {{role}} role's {tasks_from} tasks
      ansible.builtin.include_role:
        name: smdev.workstation.{{role}}
        tasks_from: {tasks_from}
"""


SETTINGS_PLAY = play("settings")
VALIDATE_PLAY = play("validate")
# drift's snapshot holds the inputs of every role of the play: common's too here.
DRIFT_PLAY = play("config", before="  roles:\n    - role: smdev.workstation.common\n      when: false\n")


@pytest.fixture(autouse=True)
def _verbose_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """-vvv: every result with its module arguments (what ends up in bug reports)."""
    monkeypatch.setenv("ANSIBLE_VERBOSITY", "3")


def _verbose(role: str, extra_vars: dict[str, object], tmp_path: Path, play: str) -> str:
    """--check with diff on and -vvv: the most a run prints."""
    result = run_role(role, extra_vars, tmp_path, check=True,
                      play=play.replace("gather_facts: false", "gather_facts: false\n  diff: true"))
    return result.stdout + result.stderr


def test_urls_with_passwords_are_written_without_showing_them(tmp_path: Path) -> None:
    output = _verbose(
        "common",
        {
            "workstation_user": "root",
            "workstation_user_home": str(tmp_path / "home"),
            "workstation_user_group": "root",
            "workstation_proxy": {
                "http": f"http://alice:{PROXY_PASSWORD}@proxy.example.test:3128",
                "https": f"http://alice:{PROXY_PASSWORD}@proxy.example.test:3128",
            },
            "workstation_pip_index_url": f"https://bob:{INDEX_TOKEN}@pypi.example.test/simple",
        },
        tmp_path,
        SETTINGS_PLAY,
    )
    # The tasks ran (a play that failed early would trivially show nothing).
    for task in ("Ensure login shells use the proxy", "Ensure apt uses the proxy",
                 "Ensure pip uses workstation_pip_index_url"):
        assert task in output, output
    assert "censored" in output, output
    assert PROXY_PASSWORD not in output
    assert INDEX_TOKEN not in output


@pytest.mark.bad_input
@pytest.mark.parametrize(
    ("extra_vars", "variable", "shown"),
    [
        ({"workstation_proxy": {"http": f"socks5://alice:{PROXY_PASSWORD}@proxy:1080"}},
         "workstation_proxy.http", "socks5://alice:***@proxy:1080"),
        ({"workstation_proxy": {"https": f"ftp://alice:{PROXY_PASSWORD}@proxy:21"}},
         "workstation_proxy.https", "ftp://alice:***@proxy:21"),
        ({"workstation_pip_index_url": f"file://bob:{INDEX_TOKEN}@pypi.example.test/simple"},
         "workstation_pip_index_url", "file://bob:***@pypi.example.test/simple"),
        ({"workstation_mirror_url": f"ftp://bob:{INDEX_TOKEN}@mirror.example.test/smdev"},
         "workstation_mirror_url", "ftp://bob:***@mirror.example.test/smdev"),
        ({"workstation_mirror_url": f"https://bob:{INDEX_TOKEN}@mirror.example.test/smdev"},
         "workstation_mirror_url", "https://bob:***@mirror.example.test/smdev"),
    ],
)
def test_a_refused_url_is_named_with_its_password_masked(
    tmp_path: Path, extra_vars: dict[str, object], variable: str, shown: str
) -> None:
    output = _verbose("common", extra_vars, tmp_path, VALIDATE_PLAY)
    assert f"{variable} must" in output, output
    assert shown in output, output
    assert PROXY_PASSWORD not in output
    assert INDEX_TOKEN not in output


def test_drift_keeps_the_variables_with_a_password_out_of_its_diff(tmp_path: Path) -> None:
    """drift's report mode runs --check --diff: its copy of the variables must not show the password."""
    output = _verbose(
        "drift",
        {
            "workstation_user": "root",
            "workstation_user_group": "root",
            "workstation_profile": "laptop",
            "workstation_proxy": {"http": f"http://alice:{PROXY_PASSWORD}@proxy.example.test:3128"},
            "workstation_pip_index_url": f"https://bob:{INDEX_TOKEN}@pypi.example.test/simple",
        },
        tmp_path,
        DRIFT_PLAY,
    )
    assert "Ensure the timer's runs use the variables this play resolved" in output, output
    assert "censored" in output, output
    assert PROXY_PASSWORD not in output
    assert INDEX_TOKEN not in output


def download_play(target: Path) -> str:
    """A verified_download through a mirror whose URL has a password (nothing listens on port 9)."""
    return f"""\
- hosts: localhost
  gather_facts: false
  tasks:
    - name: Download through a mirror whose URL has a password
      smdev.workstation.verified_download:
        url: https://downloads.example.org/tool.tar.gz
        dest: "{target}/tool.tar.gz"
        sha256: "{'0' * 64}"
        mirror_url: "http://bob:{INDEX_TOKEN}@127.0.0.1:9/smdev"
        retries: 0
        timeout: 1
"""


def test_verified_download_never_shows_a_password_in_a_url(tmp_path: Path) -> None:
    """The module masks a URL's password in its result, its error and its echoed arguments (-vvv)."""
    result = run_role("common", {}, tmp_path, play=download_play(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode != 0, output  # nothing listens on port 9
    assert "http://bob:********@127.0.0.1:9/smdev/downloads.example.org/tool.tar.gz" in output, output
    assert "mirror_url: http://bob:********@127.0.0.1:9/smdev" in output, output  # the echoed arguments
    assert INDEX_TOKEN not in output


SECRET_VARIABLES = ("workstation_pip_index_url", "workstation_proxy")
# Keys whose values Ansible never prints: what remains is what a result or --diff may show.
UNPRINTED_KEYS = {"name", "when", "no_log", "environment", "loop_control", "tags", "register", "changed_when",
                  "failed_when", "become", "become_user", "check_mode"}


def tasks_passing_secrets() -> list[tuple[str, dict[str, object]]]:
    """Every role task whose arguments, or the template it renders, hold a URL that may carry a password."""
    found = []

    def walk(tasks: list[dict[str, object]] | None, path: Path) -> None:
        for task in tasks or []:
            for section in ("block", "rescue", "always"):
                walk(task.get(section), path)  # type: ignore[arg-type]
            if "block" in task:
                continue
            text = yaml.safe_dump({key: value for key, value in task.items() if key not in UNPRINTED_KEYS})
            for template in re.findall(r"[\w.-]+\.j2", text):
                source = path.parents[1] / "templates" / template
                text += source.read_text() if source.exists() else ""
            if any(variable in text for variable in SECRET_VARIABLES):
                found.append((f"{path.relative_to(ROOT)}: {task.get('name')}", task))

    for path in sorted((ROOT / "roles").glob("*/tasks/*.yml")):
        walk(yaml.safe_load(path.read_text()), path)
    return found


# Tasks whose template writes the URL only when it has no password (and a reference
# to a private file otherwise), so their diffs may show: the laptop scenario converges
# with a private index and checks that no file readable by others holds its password
# (molecule/laptop/tests/test_private_index.py).
RENDERED_WITHOUT_PASSWORD = {
    "Ensure the Pipfile pins what SageMaker runs",  # url = "${SMDEV_PIP_INDEX_URL}", from the workspace's .env
    "Ensure the Pipenv settings are in the shell files pyenv initialises",  # sources ~/.config/smdev/pypi-mirror.sh
}


def test_every_task_that_passes_a_url_with_a_possible_password_is_no_log_or_masks_it() -> None:
    """A static guard for new tasks: no_log (conditional on a password), or validation that masks it itself."""
    found = tasks_passing_secrets()
    assert len(found) >= 6, found  # the proxy and index files, pip.conf, Pipenv's mirror file, the workspace's .env
    for where, task in found:
        if "smdev.workstation.validate_role_input" in task or task.get("name") in RENDERED_WITHOUT_PASSWORD:
            continue  # its messages mask the password (test_a_refused_url_is_named_with_its_password_masked)
        assert "no_log" in task, f"{where} passes a URL that may carry a password without no_log"


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://u:p@host/simple", True), ("http://alice:s3cret@proxy:3128", True), ("https://token@host/simple", False),
     ("https://host/simple", False), ("", False), ("http://[::1", False)],
)
def test_url_with_password(url: str, expected: bool) -> None:
    assert url_with_password(url) is expected
