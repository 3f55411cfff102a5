"""The harness's own logic, without Docker: tallies, image recipes, mirror, docs."""

from __future__ import annotations

import base64
import dataclasses
import json
import ssl
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scripts import role_docs
from tests.harness import images, private_index
from tests.harness.mirror import MirrorServer
from tests.harness.run import Tally, count_junit_proofs, count_proofs, running_beside


def test_summary_line_counts_every_outcome() -> None:
    tally = Tally()
    tally.record("lint", True, 1.0)
    tally.record("common on debian12", False, 60.0)
    tally.record("common on ubuntu2404", None, 0.0)
    assert tally.summary() == "1 passed, 1 failed, 1 skipped"


def test_summary_line_omits_skipped_when_none() -> None:
    tally = Tally()
    tally.record("lint", True, 1.0)
    assert tally.summary() == "1 passed, 0 failed"


def test_proof_line_counts_what_each_mark_tried_and_what_held() -> None:
    suite = ET.fromstring(  # noqa: S314 - a literal
        "<testsuite>"
        '<testcase name="a"><properties><property name="proof" value="bad_input"/></properties></testcase>'
        '<testcase name="b"><properties><property name="proof" value="bad_input"/></properties><failure/></testcase>'
        '<testcase name="c"><properties><property name="proof" value="fault"/></properties></testcase>'
        '<testcase name="d"/>'
        "</testsuite>"
    )
    tally = Tally()
    count_proofs(suite, tally)
    assert tally.proofs == {"bad_input": [2, 1], "fault": [1, 1]}
    assert tally.proof_line().endswith("2 bad inputs tried, 1 rejected cleanly; 1 faults injected, 1 survived")


def test_scenario_reports_and_the_newcomers_kills_add_to_the_proofs(tmp_path: Path) -> None:
    report = tmp_path / "laptop-debian12.xml"
    report.write_text(  # pytest's --junitxml: testsuites around one testsuite
        '<testsuites><testsuite name="pytest">'
        '<testcase name="u"><properties><property name="proof" value="user_data"/></properties></testcase>'
        "</testsuite></testsuites>"
    )
    tally = Tally()
    tally.merge_proofs({"fault": [2, 1]})
    count_junit_proofs(report, tally)
    count_junit_proofs(tmp_path / "never-written.xml", tally)  # a scenario that failed before verify
    assert tally.proofs == {"fault": [2, 1], "user_data": [1, 1]}


def test_work_beside_is_waited_for_and_its_error_raised() -> None:
    """The unit stage runs beside the scenarios: the block ends only when it has, and its failure is not lost."""
    done = threading.Event()

    def slow() -> None:
        time.sleep(0.2)
        done.set()

    with running_beside(slow):
        assert not done.is_set()
    assert done.is_set()

    def broken() -> None:
        raise RuntimeError("unit stage crashed")

    with pytest.raises(RuntimeError, match="unit stage crashed"), running_beside(broken):
        pass


def test_image_tag_follows_the_recipe() -> None:
    debian = images.PLATFORMS[0]
    assert debian.tag == f"smdev-test/debian12:{debian.recipe_hash()}"
    assert debian.recipe_hash() == dataclasses.replace(debian).recipe_hash()
    assert debian.recipe_hash() != dataclasses.replace(debian, suite="trixie").recipe_hash()


def test_debian12_is_required_and_ubuntu_optional() -> None:
    required = {p.name: p.required for p in images.PLATFORMS}
    assert required == {"debian12": True, "ubuntu2404": False}


def test_silent_archive_gives_a_reason() -> None:
    silent = dataclasses.replace(images.PLATFORMS[1], mirror="http://127.0.0.1:9/ubuntu")
    reason = images.archive_answers(silent, timeout=2)
    assert "127.0.0.1:9/ubuntu/dists/noble/Release did not answer" in reason


def test_mirror_serves_files_and_injected_faults(mirror: MirrorServer) -> None:
    (mirror.root / "a.txt").write_text("hello")  # type: ignore[attr-defined]
    with urllib.request.urlopen(f"{mirror.url}/a.txt", timeout=5) as response:
        assert response.read() == b"hello"
    mirror.faults["/a.txt"] = "error500"
    with pytest.raises(urllib.error.HTTPError, match="500"):
        urllib.request.urlopen(f"{mirror.url}/a.txt", timeout=5)
    assert mirror.requests == ["/a.txt", "/a.txt"]


def test_role_docs_table_comes_from_argument_specs(tmp_path: Path) -> None:
    spec = tmp_path / "argument_specs.yml"
    spec.write_text(
        "argument_specs:\n  main:\n    short_description: demo\n    options:\n"
        "      demo_mode:\n        type: str\n        default: fast\n        choices: [fast, safe]\n"
        "        description: How C(demo) runs | fast or safe.\n"
        "      demo_items:\n        type: list\n        elements: str\n        required: true\n"
        "        description: [Items., More.]\n"
    )
    table = role_docs.table(spec)
    assert "| `demo_items` | list of str | required |  | Items. More. |" in table
    assert '| `demo_mode` | str | `"fast"` | `fast`, `safe` | How `demo` runs \\| fast or safe. |' in table


def test_role_docs_replaces_only_the_generated_block() -> None:
    readme = f"# role\n\nprose\n\n{role_docs.BEGIN}\nold\n{role_docs.END}\n\nmore prose\n"
    updated = role_docs.render(readme, "new\n")
    assert updated == f"# role\n\nprose\n\n{role_docs.BEGIN}\nnew\n{role_docs.END}\n\nmore prose\n"


def test_private_index_wants_its_password_over_https_and_passes_the_rest_upstream(tmp_path: Path) -> None:
    """tests/harness/private_index.py, before the laptop scenario relies on it: here with a stand-in upstream."""
    upstream_root = tmp_path / "upstream" / "simple" / "six"
    upstream_root.mkdir(parents=True)
    (upstream_root / "index.html").write_text("<a href='six-1.17.0.tar.gz'>six</a>")
    upstream = MirrorServer(tmp_path / "upstream")
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    try:
        with private_index.serve("127.0.0.1", tmp_path / "index", upstream=upstream.url, name="localhost") as index:
            context = ssl.create_default_context(cadata=index.ca_pem)  # only the run's own CA: it must suffice
            base = index.url.replace(f"{private_index.USERNAME}:{index.password}@", "")
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(base + "six/", context=context, timeout=10)
            assert refused.value.code == 401
            token = base64.b64encode(f"{private_index.USERNAME}:{index.password}".encode()).decode()
            request = urllib.request.Request(base + "six/", headers={"Authorization": f"Basic {token}"})
            with urllib.request.urlopen(request, context=context, timeout=10) as answer:
                assert answer.read() == b"<a href='six-1.17.0.tar.gz'>six</a>"
            log = [json.loads(line) for line in index.log.read_text().splitlines()]
            assert [(entry["path"], entry["authorized"]) for entry in log] == [
                ("/simple/six/", False), ("/simple/six/", True)]
            assert index.url.startswith(f"https://{private_index.USERNAME}:{index.password}@localhost:")
    finally:
        upstream.shutdown()
        upstream.server_close()
