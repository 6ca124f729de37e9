"""After ``make book``: the finding texts glued on the pages are the ledger's texts at their
computed certainty (issue 24). Needs the built book, so it is left out under mutation."""

from __future__ import annotations

import pytest

from westgov import findings
from westgov.book import pagenumbers


@pytest.fixture(scope="module")
def book():
    return findings.compute()


def test_pages_glue_the_ledger_words(book):
    try:
        glued = pagenumbers.collect()
    except FileNotFoundError:
        pytest.fail("build the book first (make book)")
    cached = findings.ledger()
    seen = 0
    for chapter, values in glued.items():
        for key, value in values.items():
            if not key.startswith("finding_") or key.endswith("_certainty"):
                continue
            fid = key.removeprefix("finding_").replace("_", "-")
            if fid == "official-summary":
                assert value.strip("'\"") == findings.official_summary(book)
                continue
            assert value.strip("'\"") == book[fid].text, (chapter, fid)
            assert cached[fid].certainty == book[fid].certainty
            seen += 1
    assert seen > 0
