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


# -- printed outputs: what a reader sees that is not glued ---------------------------------------

PAGE = """
<section id="intro"><div class="cell_output"><div class="output stream highlight-myst-ansi">
<pre>critical value t(4):   2.776</pre></div></div>
<div class="cell_output"><div class="output text_html"><table class="dataframe">
<tr><th>M1</th><td>0.7151</td></tr></table></div></div>
<section id="inner"><div class="cell_output"><div class="output"><img src="x.png"/></div></div>
</section></section>
<div class="cell_output"><div class="output"><pre>top level</pre></div></div>
<div class="cell tag_machine-dependent"><div class="cell_output"><pre>Python 3.11.7</pre></div></div>
"""


def test_output_texts_key_each_output_by_its_section_and_ordinal():
    assert pagenumbers.output_texts(PAGE) == {
        "intro #1": "critical value t(4): 2.776",
        "intro #2": "M1 0.7151",
        "inner #1": "<image>",
        "page #1": "top level",
    }


def test_a_changed_printed_number_is_named():
    """A critical value printed with the wrong degrees of freedom (t(5) instead of t(4))."""
    old = {"regressions": pagenumbers.output_texts(PAGE)}
    changed = PAGE.replace("2.776", "2.571")
    diffs = pagenumbers.differences(old, {"regressions": pagenumbers.output_texts(changed)})
    assert diffs == [
        "regressions: intro #1 was 'critical value t(4): 2.776', "
        "now 'critical value t(4): 2.571'"
    ]


def test_round_off_values_are_found_and_stated_bounds_pass():
    values = {"data": {"a #1": "gap 5.6e-15, p 1.5e-08", "b #1": "agree within 1e-12: True"}}
    assert pagenumbers.round_off_values(values) == ["data: a #1: 5.6e-15"]


@pytest.fixture(scope="module")
def printed_outputs():
    if not pagenumbers.HTML_DIR.is_dir():
        pytest.fail("no built pages in _build/html: run `make book` first")
    return pagenumbers.collect_outputs()


def test_every_printed_output_matches_the_snapshot(printed_outputs):
    """Every number printed in a cell output (not glued) is where the snapshot has it, within
    the tolerance of :func:`westgov.book.pagenumbers.numbers_agree` (one unit of the last printed
    digit, so that another CPU's last-digit rounding passes and a changed method does not)."""
    snapshot = json.loads(pagenumbers.OUTPUTS_SNAPSHOT.read_text(encoding="utf-8"))
    diffs = pagenumbers.differences(snapshot, printed_outputs, "output")
    assert not diffs, (
        "printed outputs differ from tests/snapshots/outputs.json (if the change is "
        "deliberate, run `make snapshot` and commit the snapshot with it):\n"
        + "\n".join(diffs[:40])
    )


def test_no_snapshot_holds_a_round_off_level_number(printed_outputs, glued):
    """Round-off differs between processors: pages state a bound (1e-12), never the value."""
    assert pagenumbers.round_off_values(glued) == []
    assert pagenumbers.round_off_values(printed_outputs) == []
    for path in (pagenumbers.SNAPSHOT, pagenumbers.OUTPUTS_SNAPSHOT):
        stored = json.loads(path.read_text(encoding="utf-8"))
        assert pagenumbers.round_off_values(stored) == [], path.name
