"""The Chinese edition's PDF (``make pdf`` prints both; issue 27): it opens, is set in Chinese with
an embedded CJK typeface, holds every chapter of ``zh/_toc.yml`` in order, and is linked from the
Chinese site. Skipped when it was not built."""

from __future__ import annotations

import re
import subprocess

import pytest

from westgov.book import i18n
from westgov.paths import BUILD_DIR, ROOT

PDF = BUILD_DIR / "zh-src" / "_build" / "pdf" / "westgov-book.pdf"

pytestmark = pytest.mark.skipif(not PDF.exists(), reason="no Chinese PDF: run `make pdf`")


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_the_chinese_pdf_is_in_chinese_with_every_typeface_embedded():
    """Chinese text that a reader can search and copy (Chromium embeds the CJK glyphs it uses,
    partly as Type 3 fonts); no font left to the reader's machine."""
    text = _run("pdftotext", str(PDF), "-")
    assert "目录" in text and "前言" in text
    rows = _run("pdffonts", str(PDF)).splitlines()[2:]
    assert rows and not [r for r in rows if re.search(r"\s(no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", r)], rows


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_chapter_title_is_in_the_chinese_pdf_in_order():
    """The title of each page of zh/_toc.yml (its first heading), in the order of the contents."""
    text = _flat(_run("pdftotext", str(PDF), "-"))
    at = 0
    for page in i18n.toc_files(ROOT / "zh" / "_toc.yml"):
        source = (BUILD_DIR / "zh-src" / f"{page}.md").read_text(encoding="utf-8")
        title = next(line[2:] for _, line in i18n.prose_lines(source) if line.startswith("# "))
        # an untranslated English copy keeps its English title, typeset with curly quotes
        variants = {_flat(title), _flat(title).replace("'", "\u2019")}
        found = max(text.find(v, at) for v in variants)
        assert found >= 0, f"{page}: title {title!r} not found after position {at}"
        at = found


def test_the_chinese_site_links_its_pdf():
    assert (BUILD_DIR / "html" / "zh" / "westgov-book.pdf").exists()
