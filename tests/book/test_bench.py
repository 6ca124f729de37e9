"""``make bench`` reports every figure it measured and names each step that failed."""

from __future__ import annotations

import json
import subprocess

from westgov.book import bench


def _fake_steps(monkeypatch, tmp_path, *, replica_fails=False, tests_fail=False):
    monkeypatch.setattr(bench, "BUILD_DIR", tmp_path)

    def replica():
        if replica_fails:
            raise bench.StepError("replica.build failed: ValueError: planted")
        return 1.25

    def timed(cmd, cwd=None):
        if tests_fail:
            raise bench.StepError("`python -m pytest` exited with 1: 1 failed, 80 passed", 33.0)
        return 40.0 if "0" in cmd else 20.0

    monkeypatch.setattr(bench, "replica_construction", replica)
    monkeypatch.setattr(bench, "_timed", timed)


def test_a_failing_step_is_named_and_the_others_still_report(monkeypatch, tmp_path):
    _fake_steps(monkeypatch, tmp_path, replica_fails=True)
    result = bench.run({"replica", "tests"})
    text = bench.report(result)
    assert "FAILED replica construction: replica.build failed: ValueError: planted" in text
    assert "unit tests serial/parallel  40.0 s / 20.0 s   speed-up 2.00x" in text
    written = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert written["failed"] == {"replica construction": "replica.build failed: ValueError: planted"}
    assert written["parallel_speedup"] == 2.0


def test_failing_tests_do_not_hide_the_replica_time(monkeypatch, tmp_path):
    _fake_steps(monkeypatch, tmp_path, tests_fail=True)
    text = bench.report(bench.run({"replica", "tests"}))
    assert "replica construction           1.25 s" in text
    assert "FAILED unit tests serial: `python -m pytest` exited with 1: 1 failed, 80 passed" in text
    assert "FAILED unit tests parallel" in text
    assert "unit tests serial/parallel  33.0 s / 33.0 s   speed-up 1.00x  (tests failed: see below)" in text


def test_an_unexpected_exception_is_reported_not_raised(monkeypatch, tmp_path):
    _fake_steps(monkeypatch, tmp_path)
    monkeypatch.setattr(bench, "replica_construction", lambda: {}["missing"])
    result = bench.run({"replica"})
    assert result["failed"]["replica construction"].startswith("KeyError: 'missing' (at <lambda>)")


def test_timed_turns_a_failing_command_into_a_step_error(tmp_path):
    import sys

    import pytest

    with pytest.raises(bench.StepError, match=r"exited with 3: .*boom"):
        bench._timed([sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"], cwd=tmp_path)
    assert bench._timed([sys.executable, "-c", "pass"], cwd=tmp_path) >= 0


def test_cli_reports_bad_site_folder_without_traceback(tmp_path):
    import sys

    done = subprocess.run([sys.executable, "-m", "westgov", "bench", "--site", str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 2
    assert "has no index.html" in done.stderr and "Traceback" not in done.stderr


def test_the_cold_build_is_timed_for_english_alone_and_for_both_languages(monkeypatch, tmp_path):
    """`make bench` reports the cold build of both editions against the English alone (issue 27)."""
    from westgov.book import bench

    seen = []

    def cold_build(out, languages=("en",)):
        seen.append(tuple(languages))
        return {("en",): 100.0, ("en", "zh"): 130.0}[tuple(languages)]

    monkeypatch.setattr(bench, "bare_execution", lambda: 80.0)
    monkeypatch.setattr(bench, "cold_build", cold_build)
    result = bench.run({"build"})
    assert seen == [("en",), ("en",), ("en", "zh")]
    assert result["cold_build_s"] == 100.0 and result["cold_build_both_s"] == 130.0
    assert result["both_over_english"] == 1.3
    assert "English + 中文     130.0 s   1.30x the English alone" in bench.report(result)


def test_lighthouse_measures_the_chinese_pages_the_site_holds(tmp_path):
    """Every English page of _toc.yml, then the Chinese pages of zh/_toc.yml that were built."""
    from westgov.paths import ROOT

    english = bench.toc_pages(ROOT)
    assert bench.site_pages(tmp_path) == english  # a site without the Chinese edition
    built = ["chapters/regressions.html", "chapters/audit.html"]
    for page in built:
        (tmp_path / "zh" / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "zh" / page).write_text("<html></html>")
    pages = bench.site_pages(tmp_path)
    assert pages[: len(english)] == english
    assert sorted(pages[len(english):]) == sorted(f"zh/{p}" for p in built)
