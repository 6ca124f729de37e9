"""The letter to the authors in Chinese (westgov/findings/letter_zh.py)."""

from __future__ import annotations

import collections
import re

import pytest

from westgov import i18n
from westgov.findings import letter_zh, ledger, render


@pytest.fixture(scope="module")
def book():
    return ledger()


def values():
    return collections.defaultdict(lambda: "0.123")


def test_every_question_has_a_chinese_wording(book, monkeypatch):
    monkeypatch.setenv(i18n.ENV, "zh")
    text = render.letter(book, values())
    assert letter_zh.MISSING_NOTE not in text
    assert len(re.findall(r"^\d+\. ", text, flags=re.M)) == len(letter_zh.table()) == 14
    assert "一、数据与变量" in text and "Would you share" not in text
    assert not re.search(r"\{(v|t|link|doc):", text)  # every placeholder filled


def test_a_missing_wording_falls_back_to_english_with_a_note(book, monkeypatch):
    monkeypatch.setenv(i18n.ENV, "zh")
    partial = {k: v for k, v in letter_zh.table().items() if k != "data"}
    monkeypatch.setattr(letter_zh, "table", lambda: partial)
    text = render.letter(book, values())
    assert f"1. {letter_zh.MISSING_NOTE}*Would you share the data?*" in text
    assert text.count(letter_zh.MISSING_NOTE) == 1


def test_english_letter_has_no_chinese(book, monkeypatch):
    monkeypatch.delenv(i18n.ENV, raising=False)
    text = render.letter(book, values())
    assert "**A. Data and variables**" in text
    assert not re.search(r"[\u4e00-\u9fff]", text)


def test_unknown_placeholder_names_the_question(book, monkeypatch):
    monkeypatch.setattr(letter_zh, "table", lambda: {"data": "{v:nonesuch}"})
    with pytest.raises(KeyError, match="question 'data': unknown v 'nonesuch'"):
        letter_zh.question("data", book, {}, "English")


def test_no_space_between_chinese_characters():
    for qid, text in letter_zh.table().items():
        assert not re.search(r"[\u4e00-\u9fff，。；：？）]\s+[\u4e00-\u9fff，。；（]", text), qid
