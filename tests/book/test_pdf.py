"""The PDF of the whole book (``make pdf``; ``make test`` builds it first).

Checked with poppler's tools (``pdfinfo``, ``pdftotext``, ``pdfimages``, ``pdftoppm``), against the
HTML build and the chapter sources rather than against the PDF builder: the PDF opens, holds every
chapter title in the order of ``_toc.yml``, every figure (its caption, and for raster figures a
colour image; SVG figures print as vector drawings, which poppler does not list), the bibliography, rendered math (no TeX source left) and the Chinese terms drawn
with real glyphs (no missing-glyph boxes). Skipped when the PDF was not built.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import yaml
from PIL import Image

from westgov.paths import BUILD_DIR, ROOT

PDF = BUILD_DIR / "pdf" / "westgov-book.pdf"
HTML = BUILD_DIR / "html"

pytestmark = [
    pytest.mark.skipif(not PDF.exists(), reason="no PDF: run `make pdf` (make test builds it)"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing: make pdf-deps"),
]

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
PAGES = [TOC["root"]] + [c["file"] for part in TOC["parts"] for c in part["chapters"]]
CHINESE_TERMS = ["社会治理现代化", "数字政府", "顶层设计", "共建共治共享"]


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _flat(text: str) -> str:
    """Whitespace folded, and Sphinx's typographic quotes back to ASCII (titles are compared)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def text() -> str:
    return _run("pdftotext", str(PDF), "-")


@pytest.fixture(scope="module")
def pages(text) -> list[str]:
    return text.split("\f")


def _title(page: str) -> str:
    for line in (ROOT / f"{page}.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise AssertionError(f"{page}.md has no title")


def _chapter_texts(pages: list[str]) -> dict[str, str]:
    """The PDF's text of each chapter: every chapter starts a new page with its numbered title."""
    starts = []
    for number, page in enumerate(PAGES):
        label = _title(page) if number == 0 else f"{number}. {_title(page)}"
        found = [i for i, text in enumerate(pages) if _flat(text).startswith(label)]
        assert found, f"no page starts with the chapter title {label!r}"
        starts.append(found[0])
    assert starts == sorted(starts), "chapters out of order"
    return {
        page: _flat(" ".join(pages[a:b]))
        for page, a, b in zip(PAGES, starts, starts[1:] + [len(pages)])
    }


def test_pdf_opens_and_is_a_book():
    info = _run("pdfinfo", str(PDF))
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 60, pages
    assert "A4" in info
    assert "Data intelligence and social governance" in info


def test_every_chapter_title_in_order(pages):
    chapters = _chapter_texts(pages)
    assert list(chapters) == PAGES
    for page, body in chapters.items():
        assert len(body) > 500, f"{page}: chapter text missing from the PDF"


class _Figures(HTMLParser):
    """Images inside the article of a built page, with the caption of their figure."""

    def __init__(self):
        super().__init__()
        self.images, self._in_article, self._caption = [], 0, None

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self._in_article += 1
        elif tag == "img" and self._in_article:
            self.images.append({"src": dict(attrs)["src"], "caption": ""})
        elif tag == "figcaption" and self._in_article:
            self._caption = ""

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article -= 1
        elif tag == "figcaption" and self._caption is not None:
            if self.images:
                self.images[-1]["caption"] = _flat(self._caption)
            self._caption = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption += data


def _figures() -> list[dict]:
    figures = []
    for page in PAGES:
        parser = _Figures()
        parser.feed((HTML / f"{page}.html").read_text(encoding="utf-8"))
        figures += [dict(f, page=page) for f in parser.images]
    return figures


def test_every_figure_is_in_the_pdf(text):
    figures = _figures()
    assert len(figures) >= 6
    flat = _flat(text)
    for figure in figures:
        assert figure["caption"], f"{figure['src']} has no caption"
        words = figure["caption"][:60]
        assert words in flat, f"caption {words!r} ({figure['page']}) not in the PDF"
    # Raster figures (PNG) are embedded as colour images; SVG figures become vector drawings.
    listing = _run("pdfimages", "-list", str(PDF)).splitlines()[2:]
    colour = [line for line in listing if line.split()[5] in {"rgb", "icc"}]
    raster = [f for f in figures if f["src"].endswith(".png")]
    assert len(colour) >= len(raster)


def test_bibliography_is_in_the_pdf(pages):
    body = _chapter_texts(pages)[PAGES[-1]]
    assert "bibliograph" in PAGES[-1]
    for author in ("Wooldridge", "Long", "Luo"):
        assert author in body


# Chapters whose PDF text still shows TeX source, with the reason (fixed on another branch).
KNOWN_RAW_TEX: dict[str, str] = {}


@pytest.mark.parametrize("page", PAGES)
def test_math_is_rendered(pages, page, request):
    if page in KNOWN_RAW_TEX:
        request.applymarker(pytest.mark.xfail(reason=KNOWN_RAW_TEX[page], strict=False))
    body = _chapter_texts(pages)[page]
    raw = re.findall(r"\\(?:frac|hat|bar|beta|sum|mathrm|text|top|varepsilon|dfrac)\b|\$\$", body)
    assert not raw, f"{page}: TeX source in the PDF: {raw[:5]}"


def test_formulas_are_drawn():
    """Formulas (MathML, rendered at build time) reach the PDF as symbols, not TeX source."""
    text = _run("pdftotext", str(PDF), "-")
    for symbol in ("β", "∑", "⊤", "²"):
        assert symbol in text, f"{symbol} missing from the PDF's formulas"


def _word_boxes(page: int) -> list[tuple[str, float, float, float, float]]:
    html = _run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(PDF), "-")
    return [(w, *map(float, xy)) for *xy, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]+)</word>', html)]


@pytest.mark.parametrize("term", CHINESE_TERMS)
def test_chinese_terms_drawn_with_real_glyphs(pages, term, tmp_path):
    """A missing glyph prints as the same empty box for every character: the glyphs must differ."""
    number = next((i + 1 for i, p in enumerate(pages) if term in p), None)
    assert number, f"{term} not in the PDF"
    box = next(b for b in _word_boxes(number) if b[0].startswith(term))
    word, x0, y0, x1, y1 = box
    dpi = 200
    subprocess.run(["pdftoppm", "-gray", "-png", "-r", str(dpi), "-f", str(number), "-l", str(number),
                    "-singlefile", str(PDF), str(tmp_path / "page")], check=True)
    image = np.asarray(Image.open(tmp_path / "page.png"), dtype=float) / 255
    scale = dpi / 72
    crop = 1 - image[int(y0 * scale):int(y1 * scale) + 1, int(x0 * scale):int(x1 * scale) + 1]
    width = crop.shape[1] / len(word)
    cells = [crop[:, int(i * width):int((i + 1) * width)] for i in range(len(term))]
    cells = [c[:, : min(c.shape[1] for c in cells)] for c in cells]
    assert all(c.mean() > 0.05 for c in cells), "blank glyphs"
    for i in range(len(cells)):
        for j in range(i + 1, len(cells)):
            if term[i] != term[j]:
                assert np.abs(cells[i] - cells[j]).mean() > 0.03, f"{term}: glyphs {i} and {j} look alike"


def test_every_page_links_the_pdf():
    for page in PAGES:
        html = (HTML / f"{page}.html").read_text(encoding="utf-8")
        hrefs = re.findall(r'href="([^"]*westgov-book\.pdf)"', html)
        assert hrefs, f"{page} has no link to the PDF"
        assert all((HTML / Path(page).parent / h).resolve() == (HTML / "westgov-book.pdf").resolve()
                   for h in hrefs)
    assert (HTML / "westgov-book.pdf").read_bytes() == PDF.read_bytes()
