"""The Chinese wording of the findings keeps each finding's certainty (issue 27).

The same test as the English one (tests/westgov/test_findings.py): every Chinese wording holds
a marker of its level of the scale and no phrase reserved for another level. The wording shown is
the one for the finding's computed certainty, with the English wording's numbers.
"""

from __future__ import annotations

import pytest

from westgov import findings
from westgov.findings import zh
from westgov.findings.evidence import Finding


@pytest.fixture(scope="module")
def book():
    return findings.ledger()


def _check(text: str, level: str, where: str) -> None:
    assert any(m in text for m in zh.MARKERS[level]), (where, level, text)
    for phrase, only in zh.ONLY_AT.items():
        if phrase in text:
            assert only == level, (where, level, phrase)


def test_every_chinese_wording_keeps_its_certainty(book):
    for fid, entry in zh.table().items():
        _check(entry["zh"], entry["level"], fid)
    for f in book.values():
        for level in zh.SCALE:
            _check(zh.fallback(zh.table().get(f.id, {"statement": f.statement})["statement"], level), level, f.id)
        _check(zh.text(f), f.certainty, f.id)


def test_the_chinese_wording_prints_the_english_numbers(book):
    for f in book.values():
        if zh.current(f):
            numbers = zh.skeleton(f.text)[1]
            chinese = zh.text(f)
            assert all(n in chinese for n in numbers), f.id


def test_an_overstating_chinese_wording_fails():
    with pytest.raises(AssertionError):
        _check("研发系数为负，在整个舍入范围内均成立", zh.AT_PRINTED, "x")


def test_a_changed_english_wording_falls_back_and_is_listed(book):
    f = next(iter(book.values()))
    changed = Finding(f.id, f.home, f.statement, f.certainty, {**f.wording, f.certainty: f.text + " (new words)"})
    assert not zh.current(changed)
    assert zh.text(changed) == zh.fallback(zh.table()[f.id]["statement"], f.certainty)
    assert zh.stale({f.id: changed}) == [f.id]


def test_every_certainty_has_a_chinese_name_and_the_summary_is_chinese(book):
    assert set(zh.CERTAINTY) == set(zh.SCALE)
    summary = zh.official_summary(book)
    assert "人口" in summary and "表 2" in summary
