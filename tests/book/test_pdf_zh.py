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


def test_the_chinese_pdf_is_in_chinese_with_an_embedded_cjk_typeface():
    text = _run("pdftotext", str(PDF), "-")
    assert "目录" in text and "前言" in text
    fonts = _run("pdffonts", str(PDF))
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(re.search(r"\byes\b", line) for line in cjk), fonts


def test_every_chapter_is_in_the_chinese_pdf_in_order():
    import pypdf

    reader = pypdf.PdfReader(str(PDF))
    names = list(reader.named_destinations)
    pages = i18n.toc_files(ROOT / "zh" / "_toc.yml")
    missing = [p for p in pages if not any(p.replace("/", "-") in n or p in n for n in names)]
    assert missing == [], (missing, names[:10])


def test_the_chinese_site_links_its_pdf():
    assert (BUILD_DIR / "html" / "zh" / "westgov-book.pdf").exists()
