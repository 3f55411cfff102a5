"""A password in a proxy or package-index URL never reaches the output (issue 11, secrets).

The common role writes those URLs into files. Run with -vvv and --diff (what
a user pastes into a bug report, and what drift's report mode records), the
planted passwords must not appear, whether the URL is accepted or refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.localhost_role import run_role

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
