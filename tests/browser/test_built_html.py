"""Checks over the built HTML (``_build/html``) that need no browser (issue 12, item 10).

* No page shows a path of the build machine: the repository's absolute path, a temporary folder,
  a home folder or an installed package's location (a warning printed by a cell, a traceback, a
  ``__file__``) tells the reader nothing and leaks the build machine.
* No rendered table cell ends in a truncation ellipsis: pandas shortens long strings and wide
  frames with "..." and hides what the table is there to show.
* Page weight (issue 16): every page of ``_toc.yml`` with the scripts, stylesheets and images it
  loads stays within a budget of gzip-compressed bytes (what a phone downloads from a static host),
  and no page loads Font Awesome's or MathJax's JavaScript again.

Needs a built book (``make book``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from westgov.paths import BUILD_DIR, ROOT

HTML = BUILD_DIR / "html"


def machine_path_pattern(root: Path = ROOT) -> re.Pattern:
    """Paths that only exist on the machine that built the book."""
    parts = [
        re.escape(str(root.resolve())),
        re.escape(str(root)),
        r"/tmp/",
        r"/var/tmp/",
        r"/root/",
        r"/home/[A-Za-z0-9_.-]+/",
        r"/Users/[A-Za-z0-9_.-]+/",
        r"site-packages",
        r"dist-packages",
        r"\.venv/",
        r"[A-Za-z]:\\\\Users\\\\",
    ]
    return re.compile("|".join(parts))


def machine_paths(html: str, pattern: re.Pattern | None = None) -> list[str]:
    """Snippets of ``html`` around each machine path (empty when none)."""
    pattern = pattern or machine_path_pattern()
    return [html[max(0, m.start() - 40) : m.end() + 40].replace("\n", " ") for m in pattern.finditer(html)]


ELLIPSIS = re.compile(r"(\.\.\.|…)$")


def truncated_cells(html: str) -> list[str]:
    """Text of every table cell (``td``/``th``) whose text ends in "..." or "…"."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for cell in soup.select("table td, table th"):
        text = " ".join(cell.get_text(" ", strip=True).split())
        if ELLIPSIS.search(text):
            found.append(text[-80:])
    return found


def _pages() -> list[Path]:
    if not (HTML / "index.html").exists():
        pytest.fail(f"{HTML} has no built book: run `make book` first")
    return sorted(p for p in HTML.rglob("*.html") if "_static" not in p.parts)


def test_no_page_shows_a_path_of_the_build_machine():
    offenders = []
    pattern = machine_path_pattern()
    for page in _pages():
        for snippet in machine_paths(page.read_text(encoding="utf-8"), pattern):
            offenders.append(f"{page.relative_to(HTML)}: …{snippet}…")
    assert offenders == [], "machine paths in the built pages:\n" + "\n".join(offenders[:40])


def test_no_table_cell_is_truncated():
    offenders = []
    for page in _pages():
        for cell in truncated_cells(page.read_text(encoding="utf-8")):
            offenders.append(f"{page.relative_to(HTML)}: {cell!r}")
    assert offenders == [], "table cells cut short with an ellipsis:\n" + "\n".join(offenders[:60])


#: Bytes a page may weigh, gzip-compressed: HTML, scripts, stylesheets and images (before the
#: changes of issue 16 the pages weighed about 1.0 MB counted this way; now about 0.2 MB).
PAGE_BUDGET = 600_000
_RESOURCE = re.compile(r'<(?:script|img)\b[^>]*\bsrc="([^"]+)"|<link\b(?=[^>]*\brel="stylesheet")[^>]*\bhref="([^"]+)"')


def page_weight(page: Path) -> tuple[int, dict[str, int]]:
    """Gzip-compressed bytes of ``page`` and of each local resource it loads."""
    import gzip

    text = page.read_text(encoding="utf-8")
    sizes = {page.name: len(gzip.compress(text.encode("utf-8"), 6))}
    for match in _RESOURCE.finditer(text):
        url = match.group(1) or match.group(2)
        if url.startswith(("data:", "http:", "https:", "//")):
            continue
        path = (page.parent / url.split("?")[0].split("#")[0]).resolve()
        if path.is_file():
            data = path.read_bytes()
            sizes[url] = len(gzip.compress(data, 6)) if path.suffix in (".js", ".css", ".svg", ".html") else len(data)
    return sum(sizes.values()), sizes


def test_page_weight_budget():
    from westgov.book.bench import toc_pages

    _pages()
    over = []
    names = toc_pages()
    if (HTML / "zh" / "index.html").exists():  # the Chinese edition (issue 27): the same budget
        names += [f"zh/{name}" for name in toc_pages()]
    for name in names:
        total, sizes = page_weight(HTML / name)
        if total > PAGE_BUDGET:
            heaviest = sorted(sizes.items(), key=lambda kv: -kv[1])[:4]
            over.append(f"{name}: {total / 1e3:.0f} kB (budget {PAGE_BUDGET / 1e3:.0f} kB); heaviest {heaviest}")
    assert over == [], "\n".join(over)


def test_no_page_loads_icon_or_math_javascript():
    offenders = []
    for page in _pages():
        found = re.findall(r'<script[^>]*src="[^"]*(?:fontawesome|mathjax|MathJax|tex-chtml|tex-mml)[^"]*"', page.read_text(encoding="utf-8"))
        if found:
            offenders.append(f"{page.relative_to(HTML)}: {found}")
    assert offenders == []


# Guards: the detectors find what they are meant to find, and nothing else.


def test_machine_path_detector():
    pattern = machine_path_pattern(Path("/srv/build/westgov"))
    assert machine_paths("<pre>/srv/build/westgov/westgov/replica.py:12: RuntimeWarning</pre>", pattern)
    assert machine_paths("<pre>/usr/lib/python3/dist-packages/numpy/core.py</pre>", pattern)
    assert machine_paths("<pre>.venv/lib/python3.11/site-packages/scipy/optimize.py</pre>", pattern)
    assert machine_paths("<pre>File /tmp/ipykernel_123/456.py, line 3</pre>", pattern)
    assert machine_paths("<pre>/root/.cache/matplotlib</pre>", pattern)
    assert machine_paths("<pre>/home/alice/book/data.csv</pre>", pattern)
    assert not machine_paths('<a href="../_static/logo.png">data/raw/official_2020.csv</a>', pattern)


def test_page_weight_counts_what_a_page_loads(tmp_path):
    (tmp_path / "big.js").write_bytes(__import__("os").urandom(50_000))  # incompressible
    (tmp_path / "p.html").write_text('<script defer src="big.js?v=1"></script><img src="data:x">', encoding="utf-8")
    total, sizes = page_weight(tmp_path / "p.html")
    assert sizes["big.js?v=1"] > 49_000 and total == sum(sizes.values()) and len(sizes) == 2


def test_truncation_detector():
    table = (
        "<table><tr><th>source</th><td>China Statistical Yearbook 2021, table 3-9 ...</td></tr>"
        "<tr><td>…</td><td>complete text.</td><td>1.5</td></tr></table><p>Prose may end in ...</p>"
    )
    assert truncated_cells(table) == ["China Statistical Yearbook 2021, table 3-9 ...", "…"]
    assert truncated_cells("<table><tr><td>a.b</td><td>3.14</td></tr></table>") == []
