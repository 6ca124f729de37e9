"""The numbers on the pages (issue: tests that catch real bugs).

After ``make book``, every value a chapter glues is read back from the build. Two kinds of test:

* statistical values are recomputed independently (scipy for critical values and tail areas,
  the paper's printed tables for "as printed" values), see ``INDEPENDENT``;
* every glued value is compared with the committed snapshot ``tests/snapshots/glue.json``; a
  deliberate change of data or method updates it with ``make snapshot`` in the same commit.
"""

from __future__ import annotations

import json

import pytest

from westgov.book import pagenumbers

# -- the comparison itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expected, actual, agree",
    [
        ("0.7151", "0.7151", True),
        ("0.7151", "0.7152", True),  # one unit of the last printed digit
        ("0.7151", "0.7153", False),  # two units
        ("12", "12", True),
        ("12", "13", False),  # counts are exact
        ("2.7764451051977934", "2.7764451051977934", True),
        ("2.7764451051977934", "2.7764451051", True),  # 1e-11 relative
        ("2.7764451051977934", "2.5705818366147395", False),  # t(5) instead of t(4)
        ("1.959963984540054", "1.6448536269514722", False),  # 90 % instead of 95 %
        ("nan", "nan", True),
        ("nan", "0.1", False),
        ("inf", "inf", True),
        ("1e-05", "1.00001e-05", True),
    ],
)
def test_numbers_agree(expected, actual, agree):
    assert pagenumbers.numbers_agree(expected, actual) is agree


def test_values_agree_needs_the_same_words():
    assert pagenumbers.values_agree("| M1 | 0.7151 |", "| M1 | 0.7152 |")
    assert not pagenumbers.values_agree("| M1 | 0.7151 |", "| M2 | 0.7151 |")
    assert not pagenumbers.values_agree("'Sichuan'", "'Tibet'")
    assert not pagenumbers.values_agree("1 2 3", "1 2")


def test_differences_name_missing_new_and_changed_keys():
    old = {"ch": {"a": "1", "b": "0.50", "gone": "x"}}
    new = {"ch": {"a": "1", "b": "0.60", "new": "y"}}
    diffs = pagenumbers.differences(old, new)
    assert any("'gone' is gone" in d for d in diffs)
    assert any("'new' is new" in d for d in diffs)
    assert any(d.startswith("ch: b was") for d in diffs)
    assert len(diffs) == 3


def test_value_text_prefers_markdown_and_marks_figures():
    assert pagenumbers.value_text({"data": {"text/plain": "x", "text/markdown": "| a |"}}) == "| a |"
    assert pagenumbers.value_text({"data": {"image/png": "...", "text/plain": "<Figure>"}}).startswith("<figure")
    assert pagenumbers.value_text({"data": {"text/plain": "3"}}) == "3"


# -- the built book -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def glued():
    if not pagenumbers.GLUE_DIR.is_dir():
        pytest.fail("no executed chapters in _build/jupyter_execute: run `make book` first")
    return pagenumbers.collect()


def test_every_glued_value_matches_the_snapshot(glued):
    snapshot = json.loads(pagenumbers.SNAPSHOT.read_text(encoding="utf-8"))
    diffs = pagenumbers.differences(snapshot, glued)
    assert not diffs, (
        "glued values differ from tests/snapshots/glue.json (if the change is deliberate, "
        "run `make snapshot` and commit the snapshot with it):\n" + "\n".join(diffs[:40])
    )
