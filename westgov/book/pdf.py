"""A PDF of the whole book, set as a book: Chromium prints a single-page build with a print stylesheet.

Why Chromium's paged media and not LaTeX: the pipeline and the browser already exist (the browser
tests need Chromium), the pages are laid out for a browser (SVG figures, build-time MathML, the
theme's tables), and Chromium 131+ prints CSS page-margin boxes (running heads, page numbers) and
named pages. Jupyter Book's LaTeX route would need about 2 GB of TeX packages and a second set of
fixes (MathML is HTML-only here; glue, figures and CJK would each need checking). Chromium has no
``target-counter()``, so the contents' page numbers come from a second pass (below).

Steps (``python -m westgov.book.pdf``, called by ``make pdf``):

1. Sphinx's ``singlehtml`` builder writes every chapter into one page, ``_build/singlehtml/book.html``,
   reusing the execution cache of the HTML build (no chapter runs twice), with its own doctrees.
2. Headless Chromium (through Selenium) loads that page from a loopback server; :data:`PREPARE_JS`
   adds the print stylesheet ``pdf.css`` (typefaces, sizes, no interface), a title page and a
   contents list, marks each chapter (a named page per chapter, so that its title is the running
   head), prints folded dropdowns open, moves each chapter's solutions into a "Solutions" section at
   its end ("Solution to Exercise 4.2", linked both ways with its exercise), points cross-references
   (``chapters/x.html#id``) at their anchor in the one page, and sets any code block or table wider
   than the text column in a smaller size instead of wrapping it.
3. First print (DevTools ``Page.printToPDF``, A4, the page size and margin boxes from the CSS);
   pypdf reads the page of every named destination (the anchors the contents and the solution links
   point at); those numbers go into the contents and the "see page" notes, and the book is printed
   again, until the numbers no longer change (two passes; at most four).
4. The PDF is written to ``_build/pdf/westgov-book.pdf`` and copied into ``_build/html/``, where
   the download menu of every page links to it (:func:`setup` adds the entry).
"""

from __future__ import annotations

import base64
import functools
import http.server
import io
import json
import shutil
import sys
import threading
import time
from datetime import date
from pathlib import Path

from ..paths import BUILD_DIR, ROOT

PDF_NAME = "westgov-book.pdf"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
STYLESHEET = Path(__file__).with_name("pdf.css")
MAX_PASSES = 4
#: Smallest size (pt) to which a code block or table wider than the column is set before it wraps.
MIN_FIT_PT = 6.0

PREPARE_JS = r"""
const done = arguments[arguments.length - 1];
const [css, meta, parts, minFit] = arguments;
const style = document.createElement('style');
style.id = 'westgov-print';
style.textContent = css;
document.head.appendChild(style);
const article = document.querySelector('article.bd-article') || document.body;
const esc = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

// Interface the scripts added at load time (copy buttons, toggle buttons) goes; folded parts open.
document.querySelectorAll('button, .copybtn, .toggle-button, .headerlink, .sd-summary-state-marker')
  .forEach(e => e.remove());
document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
document.querySelectorAll('details.sd-dropdown').forEach(d => { d.open = true; });
document.querySelectorAll('.admonition.dropdown').forEach(e => e.classList.remove('dropdown', 'toggle'));

// Cross-references point at other HTML pages (chapters/preface.html#id): in one page, at #id.
for (const a of article.querySelectorAll('a[href]')) {
  const href = a.getAttribute('href');
  if (/^[a-z]+:/i.test(href) || href.startsWith('#')) continue;
  const hash = href.indexOf('#');
  let id = hash >= 0 ? decodeURIComponent(href.slice(hash + 1)) : null;
  if (!id) { const m = href.match(/^(?:\.\.\/)*(.+)\.html$/); if (m) id = 'document-' + m[1]; }
  if (id && document.getElementById(id)) a.setAttribute('href', '#' + id);
}

// Chapters: singlehtml puts <span id="document-chapters/x"></span> before each chapter's section.
const root = article.querySelector('section');
root.classList.add('westgov-root');
root.style.page = 'preface';
const chapters = [];
const docs = {};
article.querySelectorAll('span[id^="document-"]').forEach(span => {
  const section = span.nextElementSibling;
  if (!section || section.tagName !== 'SECTION') return;
  const heading = section.querySelector('h2');
  const numberEl = heading.querySelector('.section-number');
  const number = numberEl ? numberEl.textContent.trim().replace(/\.$/, '') : '';
  const title = Array.from(heading.childNodes).filter(n => n !== numberEl)
    .map(n => n.textContent).join('').trim();
  const index = chapters.length + 1;
  // Headings in Chinese get ids such as "id1", which several chapters share in the one page.
  if (!section.id || document.querySelectorAll(`[id="${CSS.escape(section.id)}"]`).length > 1) {
    section.id = `westgov-chapter-${index}`;
  }
  section.classList.add('westgov-chapter');
  section.style.page = `chapter-${index}`;
  section.dataset.chapter = index;
  if (numberEl) numberEl.textContent = meta.words.chapter.replace('{n}', number);
  docs[span.id.slice('document-'.length)] = {index, id: section.id, number, title};
  chapters.push({index, id: section.id, number, title, doc: span.id.slice('document-'.length)});
});
// The marker spans would each leave an empty page between two chapters (a box outside any
// chapter's named page): links to them go to the chapter's section instead, and they go.
article.querySelectorAll('span[id^="document-"]').forEach(span => {
  const section = span.nextElementSibling;
  if (section && section.id) {
    article.querySelectorAll(`a[href="#${CSS.escape(span.id)}"]`).forEach(a => a.setAttribute('href', '#' + section.id));
  }
  span.remove();
});

// Solutions: after the chapter's exercises, in a section of their own, linked both ways.
let solutions = 0;
for (const ch of chapters) {
  const section = document.getElementById(ch.id);
  const found = Array.from(section.querySelectorAll('div.solution'));
  if (!found.length) continue;
  const box = document.createElement('section');
  box.className = 'westgov-solutions';
  box.id = `westgov-solutions-${ch.index}`;
  box.innerHTML = `<h3>${esc(meta.words.solutions.replace('{n}', ch.number))}</h3>`;
  for (const sol of found) {
    solutions += 1;
    const title = sol.querySelector('.admonition-title');
    const link = title.querySelector('a[href^="#"]');
    const exerciseId = link ? link.getAttribute('href').slice(1) : null;
    const label = (title.textContent.match(new RegExp(meta.words.exercise + '\\s*[\\d.]+')) || [meta.words.exercise])[0];
    sol.id = `westgov-solution-${solutions}`;
    title.innerHTML = `${esc(meta.words.solutionTo)}<a href="#${exerciseId}">${esc(label)}</a>` +
      `<span class="westgov-backlink">${meta.words.exerciseOnPage.replace('{page}', `<span class="westgov-pn" data-for="${exerciseId}">?</span>`)}</span>`;
    const exercise = exerciseId && document.getElementById(exerciseId);
    if (exercise) {
      const et = exercise.querySelector('.admonition-title');
      const back = document.createElement('a');
      back.className = 'westgov-backlink';
      back.href = '#' + sol.id;
      back.innerHTML = meta.words.solutionOnPage.replace('{page}', `<span class="westgov-pn" data-for="${sol.id}">?</span>`);
      et.appendChild(back);
    }
    box.appendChild(sol);
  }
  section.appendChild(box);
}

// A heading stays with what follows it: with the next block when that is shorter than a third of
// a page (break-inside: avoid on both); otherwise the stylesheet keeps a few lines' room below it.
const mm = 96 / 25.4;
article.querySelectorAll('h3, h4, h5').forEach(h => {
  const next = h.nextElementSibling;
  if (!next || next.getBoundingClientRect().height > 85 * mm) return;
  const keep = document.createElement('div');
  keep.className = 'westgov-keep';
  h.before(keep);
  keep.append(h, next);
});

// A glossary term stays with its definition (HTML allows a div around a dt/dd group).
article.querySelectorAll('dl > dt').forEach(dt => {
  const group = document.createElement('div');
  group.className = 'westgov-keep';
  dt.before(group);
  group.append(dt);
  while (group.nextElementSibling && group.nextElementSibling.tagName === 'DD') group.append(group.nextElementSibling);
});
// A table shorter than a third of a page is not split (its caption stays with it); a longer one
// may be (moving it whole could leave most of a page empty), and repeats its header row.
article.querySelectorAll('table').forEach(t => {
  if (t.getBoundingClientRect().height < 90 * mm) t.classList.add('westgov-keep');
});
// Likewise a code block: one shorter than a quarter of a page is not split, a longer one may be
// (between lines, never inside one).
article.querySelectorAll('div.highlight').forEach(b => {
  if (b.getBoundingClientRect().height < 65 * mm) b.classList.add('westgov-keep');
});

// Title page and contents, before the preface.
const cover = document.createElement('div');
cover.id = 'westgov-cover';
// A hyphenated word of the title (re-analysis) is not broken at its hyphen.
const unbroken = s => esc(s).replace(/(\S+-\S+)/g, '<span style="white-space: nowrap">$1</span>');
cover.innerHTML = `<h1>${unbroken(meta.title)}</h1><p class="subtitle">${esc(meta.subtitle)}</p>
  <p class="author">${esc(meta.author)}</p>
  <p class="edition">${esc(meta.words.printed.replace('{date}', meta.date))}<br>
  <a href="${meta.url}">${esc(meta.url)}</a></p>`;
const contents = document.createElement('nav');
contents.id = 'westgov-contents';
let items = `<h2>${esc(meta.words.contents)}</h2><ol><li class="chapter"><a href="#${root.id}"><span class="num"></span>` +
  `<span class="title">${esc(root.querySelector('h1').textContent.replace('#', '').trim())}</span>` +
  `<span class="leader"></span><span class="westgov-pn pn" data-for="${root.id}">?</span></a></li></ol>`;
for (const part of parts) {
  items += `<p class="part">${esc(part.caption)}</p><ol>`;
  for (const doc of part.chapters) {
    const ch = docs[doc];
    if (!ch) continue;
    items += `<li class="chapter"><a href="#${ch.id}"><span class="num">${esc(ch.number)}</span>` +
      `<span class="title">${esc(ch.title)}</span><span class="leader"></span>` +
      `<span class="westgov-pn pn" data-for="${ch.id}">?</span></a></li>`;
  }
  items += '</ol>';
}
contents.innerHTML = items;
article.prepend(contents);
article.prepend(cover);

// The site loads images lazily (fast pages on a phone); a printed book needs every one now.
document.querySelectorAll('img[loading="lazy"]').forEach(img => { img.loading = 'eager'; });
const images = Array.from(document.images).map(img => img.complete ? Promise.resolve() :
  new Promise(r => { img.onload = img.onerror = r; }));

// What is wider than the text column is set smaller (down to minFit pt), never wrapped mid-line.
function fit() {
  const column = article.getBoundingClientRect().width;
  const fitted = [], wrapped = [];
  const wide = el => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().width > column + 1;
  for (const el of article.querySelectorAll('pre, table, div.math')) {
    if (!el.getClientRects().length || !wide(el)) continue;
    let size = parseFloat(getComputedStyle(el).fontSize) * 0.75;  // px to pt
    let guard = 0;
    while (wide(el) && size > minFit && guard++ < 40) {
      size = Math.max(minFit, size * 0.95);
      el.style.setProperty('font-size', size.toFixed(2) + 'pt', 'important');
    }
    if (wide(el)) {
      if (el.tagName === 'PRE') el.style.setProperty('white-space', 'pre-wrap', 'important');
      wrapped.push((el.textContent || '').trim().slice(0, 60));
    } else fitted.push(el.tagName.toLowerCase() + ' ' + size.toFixed(1));
  }
  return {fitted, wrapped};
}

Promise.all(images).then(() => document.fonts.ready).then(() => {
  const broken = Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.src);
  const {fitted, wrapped} = fit();
  const raw = document.body.innerText.match(/\\(frac|hat|beta|sum)\b/g) || [];
  done({broken, raw: raw.length, images: document.images.length, chapters, solutions,
        fitted, wrapped,
        math: document.querySelectorAll('mjx-container, math').length});
});
"""

#: Writes the page numbers found in the last print into the contents and the "see page" notes.
NUMBER_JS = r"""
const pages = arguments[0];
let missing = [];
document.querySelectorAll('.westgov-pn').forEach(el => {
  const page = pages[el.dataset.for];
  if (page === undefined) missing.push(el.dataset.for); else el.textContent = String(page);
});
return missing;
"""


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


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def chapter_pages_css(chapters: list[dict]) -> str:
    """A named page per chapter, whose running head is the chapter's number and title.

    The chapter's opening page carries it too: Chromium applies ``:first`` only to the document's
    first page, not to the first page of a named page, and has no ``string-set``.
    """
    rules = []
    for ch in chapters:
        head = f"{ch['number']}. {ch['title']}" if ch["number"] else ch["title"]
        rules.append(f"@page chapter-{ch['index']} {{ @top-center {{ content: {_css_string(head)}; }} }}")
    rules.append('@page preface { @top-center { content: "Preface"; } }')
    return "\n".join(rules)


def destination_pages(pdf: bytes) -> dict[str, int]:
    """``{named destination: page number (1-based)}`` of a PDF (Chromium names them by anchor id)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages = {}
    for name, dest in reader.named_destinations.items():
        try:
            pages[str(name).removeprefix("/")] = reader.get_destination_page_number(dest) + 1
        except (KeyError, ValueError, TypeError):  # a destination without a page: not one of ours
            continue
    return pages


def _driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--window-size=1100,1400", "--font-render-hinting=none"):
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or CHROMEDRIVER)
    return webdriver.Chrome(options=options, service=service)


def _print(driver) -> bytes:
    pdf = driver.execute_cdp_cmd(
        "Page.printToPDF",
        {
            "printBackground": True,
            "preferCSSPageSize": True,
            "displayHeaderFooter": False,
            "generateTaggedPDF": True,
            "generateDocumentOutline": True,
        },
    )
    return base64.b64decode(pdf["data"])


#: The PDF's own words per language (the Chinese edition: issue 27).
WORDS = {
    "en": {
        "chapter": "Chapter {n}",
        "solutions": "Solutions to the exercises of chapter {n}",
        "exercise": "Exercise",
        "solutionTo": "Solution to ",
        "printed": "Printed from the online edition, {date}:",
        "contents": "Contents",
        "exerciseOnPage": "(exercise on page {page})",
        "solutionOnPage": "(solution on page {page})",
        "subtitle": "A literate replication of Luo, Yuan, Huang and Qian, “A Study on the Factors "
        "Influencing the Modernization of Social Governance Based on Data Intelligence: "
        "Take Western China as an Example”",
    },
    "zh": {
        "chapter": "第 {n} 章",
        "solutions": "第 {n} 章练习解答",
        "exercise": "练习",
        "solutionTo": "解答：",
        "printed": "印自网络版，{date}：",
        "contents": "目录",
        "exerciseOnPage": "（练习见第 {page} 页）",
        "solutionOnPage": "（解答见第 {page} 页）",
        "subtitle": "对 Luo、Yuan、Huang 和 Qian 的论文“A Study on the Factors Influencing the "
        "Modernization of Social Governance Based on Data Intelligence: Take Western China as an "
        "Example”（《基于数据智能的社会治理现代化影响因素研究——以中国西部地区为例》）的可执行复现",
    },
}


def print_pdf(page_dir: Path, target: Path, root: Path = ROOT, lang: str = "en") -> dict:
    """Print ``page_dir/book.html`` with headless Chromium to ``target``; return page facts."""
    import yaml

    config = yaml.safe_load((Path(root) / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    parts = [
        {"caption": part["caption"], "chapters": [c["file"] for c in part["chapters"]]}
        for part in toc["parts"]
    ]
    meta = {
        "title": config["title"],
        "subtitle": WORDS[lang]["subtitle"],
        "words": WORDS[lang],
        "author": config.get("author", ""),
        "url": config["sphinx"]["config"]["html_baseurl"],
        "date": date.today().isoformat(),
    }
    server = _serve(page_dir)
    driver = _driver()
    try:
        driver.set_script_timeout(180)
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/book.html")
        # Measure what is too wide in the print layout, not the screen's.
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        facts = driver.execute_async_script(
            PREPARE_JS, STYLESHEET.read_text(encoding="utf-8"), meta, parts, MIN_FIT_PT
        )
        if facts["broken"]:
            raise SystemExit(f"images failed to load: {facts['broken']}")
        driver.execute_script(
            "const s = document.createElement('style'); s.textContent = arguments[0];"
            "document.head.appendChild(s);",
            chapter_pages_css(facts["chapters"]),
        )
        previous: dict[str, int] | None = None
        for passes in range(1, MAX_PASSES + 1):
            pdf = _print(driver)
            pages = destination_pages(pdf)
            if pages == previous:
                break
            missing = driver.execute_script(NUMBER_JS, pages)
            if missing:
                raise SystemExit(f"no page found for the anchors {missing[:5]} (named destinations)")
            previous = pages
        else:
            raise SystemExit(f"the page numbers did not settle in {MAX_PASSES} passes")
    finally:
        driver.quit()
        server.shutdown()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    facts["passes"] = passes
    facts["pages"] = {ch["id"]: pages.get(ch["id"]) for ch in facts["chapters"]}
    return facts


def build(root: Path = ROOT, build_dir: Path = BUILD_DIR, *, reuse_html: bool = False, lang: str = "en", html: Path | None = None) -> Path:
    """Build the PDF; ``reuse_html`` prints the last single-page build again (for work on the styles).

    ``lang="zh"``: the Chinese edition, from its generated source tree (``root``), with its own
    build folder (``root/_build``, where its execution cache is), copied into ``html``
    (``_build/html/zh``)."""
    import os

    start = time.perf_counter()
    if lang == "zh":
        os.environ["WESTGOV_LANG"] = "zh"  # a chapter missing from the cache executes in Chinese
    page_dir = build_dir / "singlehtml"
    if not (reuse_html and (page_dir / "book.html").exists()):
        page_dir = build_singlehtml(root, build_dir)
    target = build_dir / "pdf" / PDF_NAME
    facts = print_pdf(page_dir, target, root, lang)
    html = build_dir / "html" if html is None else html
    if html.is_dir():
        shutil.copy2(target, html / PDF_NAME)
    size = target.stat().st_size / 1e6
    pages = max(facts["pages"].values() or [0])
    print(
        f"wrote {target} ({size:.1f} MB; {len(facts['chapters'])} chapters, {facts['solutions']} "
        f"solutions, {facts['images']} images, {facts['math']} formulas, {len(facts['fitted'])} wide blocks "
        f"set smaller, {len(facts['wrapped'])} wrapped; page numbers settled in {facts['passes']} "
        f"passes; last chapter starts on page {pages}) in {time.perf_counter() - start:.0f} s"
    )
    for text in facts["wrapped"]:
        print(f"  wrapped (wider than the column at {MIN_FIT_PT} pt): {text!r}")
    (build_dir / "pdf" / "facts.json").write_text(json.dumps(facts, indent=1), encoding="utf-8")
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


def build_chinese(reuse_html: bool = False) -> Path | None:
    """The Chinese edition's PDF (``_build/zh-src/_build/pdf``, copied to ``_build/html/zh``);
    None when there is no Chinese edition."""
    from . import i18n

    if not (ROOT / "zh" / "_toc.yml").exists():
        return None
    tree = BUILD_DIR / "zh-src"
    i18n.write_tree(tree, ROOT)
    return build(tree, tree / "_build", reuse_html=reuse_html, lang="zh", html=BUILD_DIR / "html" / "zh")


if __name__ == "__main__":
    reuse = "--reuse-html" in sys.argv[1:]
    if "--zh-only" not in sys.argv[1:]:
        build(reuse_html=reuse)
    if "--en-only" not in sys.argv[1:]:
        build_chinese(reuse_html=reuse)
    sys.exit(0)
