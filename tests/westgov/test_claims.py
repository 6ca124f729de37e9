"""The guard for prose claims (westgov.claims): what a reader of a failed claim learns."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from westgov.claims import ADVICE, ClaimNoLongerHolds, claim, claims_for
from westgov.paths import ROOT

ON_PAGE = {"page": "chapters/x.md", "section": "Recap"}


def test_a_true_claim_passes_silently():
    assert claim(True, "Tibet spends most", **ON_PAGE) is None
    assert claim(np.bool_(True), "Tibet spends most", **ON_PAGE) is None


def test_a_false_claim_names_page_section_sentence_data_and_advice():
    with pytest.raises(ClaimNoLongerHolds) as info:
        claim(False, "Tibet spends most", now="Qinghai spends most", **ON_PAGE)
    message = str(info.value)
    assert message.splitlines() == [
        "A sentence on a page no longer holds for the data.",
        "  page:      chapters/x.md",
        "  section:   Recap",
        '  sentence:  "Tibet spends most"',
        "  data now:  Qinghai spends most",
        ADVICE,
    ]
    assert (info.value.page, info.value.section) == ("chapters/x.md", "Recap")
    assert (info.value.sentence, info.value.now) == ("Tibet spends most", "Qinghai spends most")


def test_the_advice_says_to_rewrite_the_sentence_and_rebuild():
    assert "Rewrite the sentence" in ADVICE and "make book" in ADVICE


def test_without_what_the_data_say_the_line_is_left_out():
    with pytest.raises(ClaimNoLongerHolds) as info:
        claim(np.bool_(False), "s", **ON_PAGE)
    assert "  data now:" not in str(info.value)
    assert info.value.now is None


def test_what_the_data_say_is_computed_only_when_the_claim_fails():
    calls = []

    def now():
        calls.append(1)
        return "computed"

    claim(True, "s", now=now, **ON_PAGE)
    assert calls == []
    with pytest.raises(ClaimNoLongerHolds, match="data now:  computed"):
        claim(False, "s", now=now, **ON_PAGE)
    assert calls == [1]


@pytest.mark.parametrize(
    "condition", [pd.Series([True, False]), np.array([True]), 1, "yes", None]
)
def test_a_condition_that_is_not_true_or_false_is_refused(condition):
    with pytest.raises(TypeError, match=r"must be True or False.*\.all\(\) or \.any\(\)"):
        claim(condition, "s", **ON_PAGE)


def test_claims_for_binds_the_page():
    page_claim = claims_for("chapters/correlations.md")
    with pytest.raises(ClaimNoLongerHolds, match=r"page:      chapters/correlations\.md"):
        page_claim(False, "s", section="Recap")


# -- a valid data edit that flips a sentence -----------------------------------------------------


def test_a_data_edit_that_flips_a_sentence_stops_the_chapter_with_its_words(tmp_path):
    """Sichuan's budget expenditure raised in data/raw (checksums updated, data still valid):
    the correlations chapter stops at the sentence about which pair Pearson and Spearman
    disagree on, naming the page, the section, the sentence and what the data now say."""
    root = tmp_path / "book"
    root.mkdir()
    for name in ("data", "chapters"):
        shutil.copytree(ROOT / name, root / name)
    raw = root / "data" / "raw" / "official_2020.csv"
    text = raw.read_text(encoding="utf-8")
    sichuan = re.compile(r"^(510000,[^,]*,S1,[^,]*,S2,)([^,]*)(,)", re.M)
    assert len(sichuan.findall(text)) == 1
    raw.write_text(sichuan.sub(r"\g<1>30000.00\g<3>", text), encoding="utf-8")
    env = {**os.environ, "WESTGOV_ROOT": str(root)}
    python = sys.executable
    update = [python, "-m", "westgov", "checksums", "--update"]
    subprocess.run(update, env=env, check=True, capture_output=True)
    check = subprocess.run(
        [python, "-m", "westgov", "check-data"], env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr  # a valid edit
    script = (
        "import jupytext, nbclient\n"
        "nb = jupytext.read('correlations.md')\n"
        "nbclient.NotebookClient(nb, timeout=300, kernel_name='python3').execute()\n"
    )
    done = subprocess.run(
        [python, "-c", script],
        cwd=root / "chapters",
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
    assert "ClaimNoLongerHolds: A sentence on a page no longer holds for the data." in output
    assert "page:      chapters/correlations.md" in output
    assert "section:   Exercises (solution: Pearson and Spearman on official data)" in output
    assert "while its GDP per head is close to the mean" in output
    assert "data now:  the pair with the largest Pearson-Spearman gap is pop. × budget" in output
    assert ADVICE in output
