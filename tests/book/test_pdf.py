"""The PDF of the whole book (``make pdf``; ``make test`` builds it first).

Checked with poppler's tools (``pdfinfo``, ``pdftotext``, ``pdfimages``, ``pdftoppm``, ``pdffonts``)
and pypdf, against the HTML build and the chapter sources rather than against the PDF builder: the
PDF opens, holds every chapter title in the order of ``_toc.yml``, each set large at the top of a page
of its own after the contents, with the page numbers of the contents list pointing at those pages;
every figure (its caption; raster images at print resolution; SVG figures print as vector drawings,
which poppler does not list), the bibliography, rendered math (no TeX source left) and the Chinese
terms drawn with real glyphs (no missing-glyph boxes); no interface (icons, toggle texts, heading
anchors) in the text layer; no word outside the text column; the site's typefaces embedded; every
solution printed after its chapter's exercises, linked both ways; every internal link resolving.
Skipped when the PDF was not built.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
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


# --- The book's layout: read from the words' positions (``pdftotext -bbox``) ---------------------

#: A word at least this tall (pt, the box pdftotext gives: about 1.4 x the type size) is display
#: type: a chapter title, not body text (10 pt) or a section heading (14 pt).
TITLE_HEIGHT = 24.0
#: Chinese glyphs (a bibliography entry's Chinese title) come with a tall font box in pdftotext's
#: output; the English titles are never Chinese, so such words are not display type.
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _display(word) -> bool:
    """Is ``word`` (text, x0, y0, x1, y1) set in display type?"""
    return word[4] - word[2] >= TITLE_HEIGHT and not CJK.search(word[0])


@pytest.fixture(scope="module")
def layout() -> list[dict]:
    """Per page: its size and its words, each ``(text, x0, y0, x1, y1)`` in points from the top left."""
    html = _run("pdftotext", "-bbox", str(PDF), "-")
    pages = []
    for chunk in html.split("<page ")[1:]:
        width, height = map(float, re.match(r'width="([\d.]+)" height="([\d.]+)"', chunk).groups())
        words = [(w, *map(float, xy)) for *xy, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', chunk)]
        pages.append({"width": width, "height": height, "words": words})
    return pages


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def _label(number: int, page: str) -> tuple[str, str]:
    return (str(number) if number else "", _flat(_title(page)))


def _title_pages(layout) -> dict[str, int]:
    """``{chapter: page number}`` where the chapter's title is set in display type."""
    found = {}
    for index, page in enumerate(layout, start=1):
        large = [w for w in page["words"] if _display(w)]
        text = _flat(_unescape(" ".join(w[0] for w in large)))
        for name in PAGES:
            if name not in found and text == _flat(_title(name)):
                found[name] = index
    return found


def _contents(layout) -> tuple[list[int], dict[str, int]]:
    """The pages of the contents list and ``{title: page number}`` as printed in it."""
    pages = [i + 1 for i, p in enumerate(layout) if p["words"] and _flat(_unescape(" ".join(
        w[0] for w in p["words"] if _display(w)))) == "Contents"]
    assert pages, "no contents page (a page titled 'Contents' in display type)"
    last = pages[-1]
    while last < len(layout) and layout[last]["words"] and _first_line(layout[last]) == "Contents":
        last += 1
        pages.append(last)
    listed = {}
    for number in pages:
        text = _run("pdftotext", "-layout", "-f", str(number), "-l", str(number), str(PDF), "-")
        for line in text.splitlines():
            match = re.match(r"^\s*(?:\d+\s+)?(\S.*?\S)\s{2,}(\d+)\s*$", line)
            if match:
                listed[_flat(match.group(1))] = int(match.group(2))
    return pages, listed


def _first_line(page: dict) -> str:
    top = min(w[2] for w in page["words"])
    return _flat(" ".join(w[0] for w in page["words"] if abs(w[2] - top) < 2))


def test_every_chapter_starts_a_page_after_the_contents(layout):
    titles = _title_pages(layout)
    assert set(titles) == set(PAGES), f"titles not set in display type: {set(PAGES) - set(titles)}"
    contents, _ = _contents(layout)
    order = [titles[name] for name in PAGES]
    assert order == sorted(order) and len(set(order)) == len(order), "chapters out of order"
    assert min(order) > max(contents), "a chapter starts before the end of the contents"
    for name, number in titles.items():
        page = layout[number - 1]
        title_top = min(w[2] for w in page["words"] if _display(w))
        # Above the title: only the running head and the chapter number, nothing of the chapter before.
        lines_above = {round(w[2]) for w in page["words"] if w[4] < title_top}
        assert len(lines_above) <= 2, f"{name}: text above the title on page {number}"


def test_contents_page_numbers_match_the_titles(layout):
    titles = _title_pages(layout)
    _, listed = _contents(layout)
    for name in PAGES:
        title = _flat(_title(name))
        assert title in listed, f"{title!r} not in the contents list"
        assert listed[title] == titles[name], (
            f"contents: {title!r} on page {listed[title]}, but its title is on page {titles[name]}"
        )


def test_running_heads_and_page_numbers(layout):
    """Every page of a chapter but its first... carries the chapter's title above and its number below."""
    titles = _title_pages(layout)
    starts = sorted((number, name) for name, number in titles.items())
    for (start, name), (end, _) in zip(starts, starts[1:] + [(len(layout) + 1, None)]):
        label = _flat(_title(name))
        for number in range(start + 1, end):
            page = layout[number - 1]
            if not page["words"]:
                continue
            assert label in _first_line(page), f"page {number}: running head is {_first_line(page)!r}"
            bottom = max(w[4] for w in page["words"])
            last = [w[0] for w in page["words"] if abs(w[4] - bottom) < 2]
            assert last == [str(number)], f"page {number}: last line {last}, not its number"


def test_no_word_runs_into_the_margin(layout):
    """The text column: where most lines start (the left margin), mirrored on the right (A4,
    equal side margins). No word, code line or table cell may leave it by more than a point."""
    starts = Counter(round(w[1]) for page in layout for w in page["words"])
    left = starts.most_common(1)[0][0] - 1.0
    assert 40 < left < 80, f"left margin at {left} pt"
    offenders = []
    for number, page in enumerate(layout, start=1):
        right = page["width"] - left
        for word in page["words"]:
            if word[1] < left - 1 or word[3] > right + 1:
                offenders.append(f"page {number}: {word[0]!r} at x {word[1]:.0f}-{word[3]:.0f} (column {left:.0f}-{right:.0f})")
    assert offenders == [], "\n".join(offenders[:30])
    # Chromium shrinks every page when something is wider than the page: the column would then end
    # well short of the right margin. Full lines of text must reach it.
    reach = max(w[3] for page in layout for w in page["words"])
    assert reach > layout[0]["width"] - left - 6, f"text ends at {reach:.0f} pt: the pages were shrunk"


#: What the website's interface prints when it is left in: icons from icon fonts land in Unicode's
#: private use area; the rest are the labels of the theme's buttons, toggles and menus.
INTERFACE_TEXT = [
    "Copy to clipboard", "Copied!", "Click to show", "Click to hide", "Show code cell",
    "Hide code cell", "Toggle hidden content", "Skip to main content", "Back to top", "Ctrl+K",
    "Toggle primary sidebar", "Toggle secondary sidebar", "Download source file",
    "Download notebook file", "Print to PDF", "Fullscreen mode", "Open issue", "Open an issue",
    "Launch on Colab", "Launch on Binder", "Source repository", "Color mode",
    "Link to this heading", "Link to this table", "previous page", "next page", "Search...",
]


def test_no_interface_in_the_text_layer(text):
    icons = sorted({c for c in text if 0xE000 <= ord(c) <= 0xF8FF})
    assert not icons, f"icon-font glyphs in the text: {[hex(ord(c)) for c in icons]}"
    for label in INTERFACE_TEXT:
        assert label not in text, f"interface text {label!r} in the PDF"
    # Heading anchors (the site's '#' after every heading) and dropdown chevrons.
    anchored = [line for line in text.splitlines() if re.search(r"\S\s*[#¶›]$", line) and "  " not in line]
    assert not [a for a in anchored if not re.search(r"[=(,]\s*#$", a)][:1], anchored[:5]


def test_solutions_follow_their_chapters_exercises(pages, layout):
    """Each folded solution prints as "Solution to Exercise N.M" after the exercise, in the same
    chapter, with a link to the exercise and one back to it."""
    expected = sum(len(re.findall(r"^```\{solution(?:-start)?\}", (ROOT / f"{p}.md").read_text(encoding="utf-8"), re.MULTILINE))
                   for p in PAGES)
    assert expected > 0
    titles = _title_pages(layout)
    starts = sorted(titles.values())
    exercise_at, solution_at = {}, {}
    for number, page in enumerate(pages, start=1):
        for line in page.splitlines():
            if m := re.match(r"^Solution to Exercise (\d+\.\d+)", line):
                solution_at.setdefault(m.group(1), number)
            elif m := re.match(r"^Exercise (\d+\.\d+)\b", line):
                exercise_at.setdefault(m.group(1), number)
    assert len(solution_at) == expected, f"{len(solution_at)} solutions printed, {expected} in the sources"

    def chapter_of(n: int) -> int:
        return max(i for i, s in enumerate(starts) if s <= n)

    links = _links()
    for label, page in solution_at.items():
        assert label in exercise_at, f"solution to {label} without its exercise"
        assert exercise_at[label] <= page, f"solution to {label} before its exercise"
        assert chapter_of(page) == chapter_of(exercise_at[label]), f"solution to {label} outside its chapter"
        assert (page, exercise_at[label]) in links, f"no link from the solution to exercise {label}"
        assert (exercise_at[label], page) in links, f"no link from exercise {label} to its solution"


def _links() -> set[tuple[int, int]]:
    """``(page, target page)`` of every internal link (pypdf)."""
    from pypdf import PdfReader

    reader = PdfReader(str(PDF))
    names = {str(k).removeprefix("/"): reader.get_destination_page_number(v) + 1
             for k, v in reader.named_destinations.items()}
    links = set()
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                links.add((number, names[str(annot["/Dest"]).removeprefix("/")]))
    return links


def test_internal_links_resolve():
    from pypdf import PdfReader

    reader = PdfReader(str(PDF))
    names = {str(k).removeprefix("/") for k in reader.named_destinations}
    targets = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                targets.append(str(annot["/Dest"]).removeprefix("/"))
            elif annot.get("/Subtype") == "/Link":
                uri = str(annot.get("/A", {}).get("/URI", ""))
                assert uri.startswith(("http://", "https://")), f"a link to {uri!r}: not in the book"
                assert "127.0.0.1" not in uri and "localhost" not in uri, uri
    assert len(targets) >= 100, f"only {len(targets)} internal links"
    missing = sorted(set(targets) - names)
    assert not missing, f"links to missing anchors: {missing[:10]}"


def test_the_sites_typefaces_are_embedded():
    """Text in Noto Sans, code in DejaVu Sans Mono, formulas in DejaVu Math TeX Gyre; no other
    text font (a fallback would mean a glyph or a family that the stylesheet does not name)."""
    fonts = Counter(re.sub(r"^[A-Z]{6}\+", "", line.split()[0])
                    for line in _run("pdffonts", str(PDF)).splitlines()[2:])
    families = {name.split("-")[0] for name in fonts if name != "[none]"}
    assert {"NotoSans", "DejaVuSansMono", "DejaVuMathTeXGyre"} <= families, families
    assert families <= {"NotoSans", "DejaVuSansMono", "DejaVuMathTeXGyre", "DejaVuSans", "NotoSansCJKsc"}, families


def test_code_lines_are_never_wrapped(text):
    """Every long code line of a chapter (at most 88 columns, ruff) that prints prints on one line."""
    layout_text = _run("pdftotext", "-layout", str(PDF), "-")
    flat_lines = {_flat(line) for line in layout_text.splitlines()}
    checked = 0
    for page in PAGES:
        source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
        for cell in re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", source, re.MULTILINE | re.DOTALL):
            options = [line for line in cell.splitlines() if line.startswith(":")]
            if any("remove-input" in o or "remove-cell" in o for o in options):
                continue  # its code is not printed (a shown cell may begin the same way)
            lines = [line for line in cell.splitlines() if not line.startswith((":", "%", "#|"))]
            for line in lines:
                if len(line) < 70 or line.strip().startswith("#"):
                    continue
                # Printed (not folded away) if its first words are in the text at all.
                head = _flat(line)[:40]
                if head not in _flat(text):
                    continue
                checked += 1
                assert _flat(line) in flat_lines, f"{page}: code line wrapped in the PDF: {line!r}"
    assert checked >= 20, f"only {checked} long code lines found in the PDF"


def test_raster_images_at_print_resolution():
    """Pictures (not thin colour-bar strips) are embedded at 200 ppi or more at their printed size."""
    listing = _run("pdfimages", "-list", str(PDF)).splitlines()[2:]
    low = []
    for line in listing:
        cols = line.split()
        width, height, xppi = int(cols[3]), int(cols[4]), float(cols[12])
        if min(width, height) >= 100 and xppi < 200:
            low.append(line)
    assert not low, "images below print resolution:\n" + "\n".join(low)
