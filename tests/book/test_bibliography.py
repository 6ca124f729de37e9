"""The bibliography lists exactly the works the chapters cite (issue 12, item 10).

``chapters/bibliography.md`` uses ``:filter: cited``, so the list follows the citations; this test
reads the citations from the chapter sources and the entries from the built page (``make book``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from pybtex.database import parse_file

from westgov.paths import BUILD_DIR, ROOT

CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def cited_keys() -> set[str]:
    keys = set()
    for path in (ROOT / "chapters").glob("*.md"):
        for group in CITE.findall(path.read_text(encoding="utf-8")):
            keys.update(k.strip() for k in group.split(","))
    return keys


class _Entries(HTMLParser):
    """Text of each bibliography entry (``role="listitem"`` after westgov.book.sphinxext's fix)."""

    def __init__(self):
        super().__init__()
        self.entries, self._depth = [], 0

    def handle_starttag(self, tag, attrs):
        if self._depth:
            self._depth += 1
        elif ("role", "listitem") in attrs or ("role", "doc-biblioentry") in attrs:
            self._depth = 1
            self.entries.append("")

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.entries[-1] += data


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def test_every_citation_has_a_bib_entry():
    bib = parse_file(str(ROOT / "references.bib"))
    assert cited_keys() - set(bib.entries) == set()


def test_bibliography_lists_exactly_the_cited_works():
    page = BUILD_DIR / "html" / "chapters" / "bibliography.html"
    if not page.exists():
        pytest.fail(f"{page} is missing: run `make book` first")
    parser = _Entries()
    parser.feed(page.read_text(encoding="utf-8"))
    entries = [_normal(e) for e in parser.entries]
    bib = parse_file(str(ROOT / "references.bib"))
    cited = cited_keys()
    assert len(entries) == len(cited)
    for key, entry in bib.entries.items():
        title = _normal(entry.fields["title"].replace("{", "").replace("}", ""))[:40]
        listed = any(title in e for e in entries)
        assert listed == (key in cited), f"{key}: cited={key in cited}, listed={listed}"


def test_bibliography_is_in_alphabetical_order_of_first_author():
    """Institutions file under their names ("CCID Think Tank" under C), not after "Z"
    (westgov.book.bibstyle). Each listed entry is matched to references.bib by its title; the
    key is the first author's last name, or an institution's whole name, without braces."""
    page = BUILD_DIR / "html" / "chapters" / "bibliography.html"
    if not page.exists():
        pytest.fail(f"{page} is missing: run `make book` first")
    parser = _Entries()
    parser.feed(page.read_text(encoding="utf-8"))
    bib = parse_file(str(ROOT / "references.bib"))

    def first_author(entry) -> str:
        person = entry.persons["author"][0]
        name = " ".join(person.last_names) if person.first_names else str(person)
        return _normal(name.replace("{", "").replace("}", ""))

    keys = []
    for text in (_normal(e) for e in parser.entries):
        matches = [
            entry
            for entry in bib.entries.values()
            if _normal(entry.fields["title"].replace("{", "").replace("}", ""))[:40] in text
        ]
        assert len(matches) == 1, text[:80]
        keys.append(first_author(matches[0]))
    assert keys == sorted(keys), keys


def test_the_chinese_edition_takes_the_zh_fields_of_the_bibliography():
    from westgov.book.i18n import chinese_bibliography

    text = (
        "@book{a,\n  author = {{National Bureau of Statistics of China}},\n  author_zh = {{国家统计局}},\n"
        "  title  = {Yearbook},\n  note   = {In Chinese.},\n  note_zh = {中文文献。}\n}\n\n"
        "@book{b,\n  title = {Other},\n  note = {Kept}\n}\n"
    )
    chinese = chinese_bibliography(text)
    assert "author = {{国家统计局}}," in chinese and "note   = {中文文献。}" in chinese
    assert "_zh" not in chinese and "National Bureau" not in chinese
    assert "note = {Kept}" in chinese  # an entry without Chinese fields is unchanged
