"""A PDF of the whole book: Chromium prints a single-page build.

Why Chromium and not LaTeX: the pages are already laid out for a browser, with SVG figures,
build-time MathML formulas and the theme's tables; a LaTeX build would need a second set of layout fixes and about
2 GB of TeX packages, while Chromium is already needed for the browser tests. The CJK glyphs come
from Debian's ``fonts-noto-cjk`` through fontconfig, so the Chinese names print in a real font.

Steps (``python -m westgov.book.pdf``, called by ``make pdf``):

1. Sphinx's ``singlehtml`` builder writes every chapter into one page, ``_build/singlehtml/book.html``
   reusing the execution cache of the HTML build (no chapter runs twice). It keeps its own doctrees,
   so the HTML build's incremental state is untouched.
2. Headless Chromium (through Selenium, as in the browser tests) loads that page from a loopback
   server, turns lazy images eager and waits until every image has loaded, adds print styles (a title
   page, each chapter on a new page, no navigation, folded code cells left folded out, no
   shadows) and prints it with DevTools' ``Page.printToPDF`` (A4, page numbers in the footer).
3. The PDF is written to ``_build/pdf/westgov-book.pdf`` and copied into ``_build/html/``, where
   the download menu of every page links to it (:func:`setup` adds the entry).
"""

from __future__ import annotations

import base64
import functools
import http.server
import shutil
import sys
import threading
import time
from pathlib import Path

from ..paths import BUILD_DIR, ROOT

PDF_NAME = "westgov-book.pdf"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

PRINT_CSS = """
/* Shadows would print as grey raster images; folded (hide-input) cells stay out of the book. */
* { box-shadow: none !important; text-shadow: none !important; }
details.above-input, details.below-input { display: none !important; }
/* The theme prints a per-page title and table of contents and hides each page's first h1. */
.onlyprint, #jb-print-docs-body, #jb-print-toc { display: none !important; }
.bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .prev-next-area,
.bd-footer, .bd-footer-content, .footer-article-items, .skip-link, .search-button__wrapper,
#pst-back-to-top, .headerlink, .toggle-details__summary .tooltip { display: none !important; }
.bd-main .bd-content .bd-article-container { max-width: 100% !important; }
.bd-page-width { max-width: 100% !important; }
.bd-article { padding: 0 !important; }
/* singlehtml nests every chapter in the root document, after a marker span. */
span[id^="document-"] + section { break-before: page; }
#westgov-cover { break-after: page; text-align: center; padding-top: 30%; }
#westgov-cover h1 { break-before: avoid; font-size: 2.2em; }
figure, img, svg, table, .cell_output { break-inside: avoid; }
pre { white-space: pre-wrap !important; word-break: break-word; }
html { font-size: 14px; }
"""

PREPARE_JS = """
const done = arguments[arguments.length - 1];
const [css, title, author, url] = arguments;
const style = document.createElement('style');
style.textContent = css;
document.head.appendChild(style);
const cover = document.createElement('div');
cover.id = 'westgov-cover';
cover.innerHTML = `<h1>${title}</h1><p>${author}</p><p>Online edition: <a href="${url}">${url}</a></p>
  <p>Printed ${new Date().toISOString().slice(0, 10)}</p>`;
const article = document.querySelector('article.bd-article') || document.body;
article.prepend(cover);
const mathjax = (window.MathJax && MathJax.startup && MathJax.startup.promise) || Promise.resolve();
// The site loads images lazily (fast pages on a phone); a printed book needs every one now.
document.querySelectorAll('img[loading="lazy"]').forEach(img => { img.loading = 'eager'; });
const images = Array.from(document.images).map(img => img.complete ? Promise.resolve() :
  new Promise(r => { img.onload = img.onerror = r; }));
Promise.all([mathjax, ...images]).then(() => document.fonts.ready).then(() => {
  const broken = Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.src);
  const raw = document.body.innerText.match(/\\\\(frac|hat|beta|sum)\\b/g) || [];
  done({broken, raw: raw.length, images: document.images.length,
        math: document.querySelectorAll('mjx-container, math').length});
});
"""

FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def build_singlehtml(root: Path = ROOT, build_dir: Path = BUILD_DIR) -> Path:
    """Build the whole book as one HTML page; return its folder."""
    from jupyter_book.sphinx import build_sphinx

    out = build_dir / "singlehtml"
    code = build_sphinx(
        str(root),
        str(out),
        noconfig=True,
        path_config=str(root / "_config.yml"),
        confoverrides={
            "external_toc_path": str(root / "_toc.yml"),
            "latex_individualpages": False,
        },
        builder="singlehtml",
        doctreedir=str(build_dir / ".doctrees-singlehtml"),
        quiet=True,
    )
    if code != 0:
        raise SystemExit(f"the single-page build failed (exit {code})")
    # The builder writes the page under the root document's name (chapters/preface.html), but with
    # links relative to the output folder: move it there.
    import yaml

    root_doc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))["root"]
    shutil.copy2(out / f"{root_doc}.html", out / "book.html")
    return out


def _serve(directory: Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def print_pdf(page_dir: Path, target: Path) -> dict:
    """Print ``page_dir/book.html`` with headless Chromium to ``target``; return page facts."""
    import yaml
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--window-size=1100,1400"):
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or CHROMEDRIVER)
    server = _serve(page_dir)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.set_script_timeout(120)
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/book.html")
        facts = driver.execute_async_script(
            PREPARE_JS,
            PRINT_CSS,
            config["title"],
            config.get("author", ""),
            config["sphinx"]["config"]["html_baseurl"],
        )
        if facts["broken"]:
            raise SystemExit(f"images failed to load: {facts['broken']}")
        pdf = driver.execute_cdp_cmd(
            "Page.printToPDF",
            {
                "printBackground": True,
                "preferCSSPageSize": True,
                "displayHeaderFooter": True,
                "headerTemplate": "<span></span>",
                "footerTemplate": FOOTER,
            },
        )
    finally:
        driver.quit()
        server.shutdown()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(pdf["data"]))
    return facts


def build(root: Path = ROOT, build_dir: Path = BUILD_DIR) -> Path:
    start = time.perf_counter()
    page_dir = build_singlehtml(root, build_dir)
    target = build_dir / "pdf" / PDF_NAME
    facts = print_pdf(page_dir, target)
    html = build_dir / "html"
    if html.is_dir():
        shutil.copy2(target, html / PDF_NAME)
    size = target.stat().st_size / 1e6
    print(
        f"wrote {target} ({size:.1f} MB; {facts['images']} images, {facts['math']} formulas) "
        f"in {time.perf_counter() - start:.0f} s"
    )
    return target


# --- Sphinx extension: a link to the PDF in every page's download menu ----------------------


def add_pdf_link(app, pagename, templatename, context, doctree) -> None:
    if app.builder.name != "html":
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"](PDF_NAME, 1),
                    "text": "Book (.pdf)",
                    "tooltip": "The whole book as one PDF",
                    "icon": "fas fa-book",
                    "label": "download-book-pdf-button",
                }
            )


def share_html_handlers(app) -> None:
    """Let the single-page builder render the nodes that extensions registered for ``html`` only.

    myst-nb registers its folded-cell node (``HideCodeCellNode``) for the ``html`` builder; Sphinx
    falls back to those handlers only for builders with no handlers of their own, and
    ``singlehtml`` has some, so without this the single-page build fails on ``hide-input`` cells.
    """
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, functions in handlers.get("html", {}).items():
        single.setdefault(node, functions)


def setup(app):
    app.connect("builder-inited", share_html_handlers)
    app.connect("html-page-context", add_pdf_link, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    build()
    sys.exit(0)
