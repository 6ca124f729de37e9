"""The built website as readers meet it: headless Chromium against ``_build/html`` on localhost.

For every page in ``_toc.yml``, in English and in Chinese (``zh/``, issue 27): it loads without console errors, every image has loaded, every
internal link and anchor resolves, axe-core finds no serious or critical accessibility violation.
Also: the search page finds "regression", the notebook download is a valid ``.ipynb``, and with
every non-localhost request blocked the pages still render (math included: it is MathML written at
build time), and dark mode switches.

Layout (issue 15): at 1280 px no table, display equation, code cell, output or image in the article
is wider than its box (clipped, or hidden behind a scroll bar of its own); at 390 px the page
never scrolls sideways. ``python tests/browser/test_site.py --report [HTML_DIR]`` prints every such
element per page and width, with counts in the form of issue 15's table, and does not fail.

Needs a built book (``make book``) and Debian's ``chromium`` and ``chromium-driver``
(``make test`` and ``.ci/run`` install them).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml

from westgov.paths import BUILD_DIR, ROOT

HTML = BUILD_DIR / "html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part.get("chapters", [])]
    return [f"{p}.html" for p in pages]


#: Every page of both editions (issue 27): the English ones, then the Chinese ones under ``zh/``.
EN_PAGES = toc_pages()
ZH_PAGES = [f"zh/{p}" for p in EN_PAGES] if (ROOT / "zh" / "_toc.yml").exists() else []
PAGES = EN_PAGES + ZH_PAGES


@pytest.fixture(scope="module")
def site():
    if not (HTML / "index.html").exists():
        pytest.fail(f"{HTML} has no built book: run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _driver(offline: bool = False):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        pytest.fail("Chromium and ChromeDriver are required: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(flag)
    if offline:
        # Every request goes to a closed proxy port and fails, except loopback ones, which Chromium
        # never sends through a proxy: the book is served on 127.0.0.1.
        options.add_argument("--proxy-server=http://127.0.0.1:9")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))


@pytest.fixture(scope="module")
def browser():
    driver = _driver()
    yield driver
    driver.quit()


def _load(driver, url):
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    # Images are lazy for readers; tests load them all (a reader scrolling gets each one), then
    # wait for images and web fonts to settle before anything is checked or measured.
    driver.set_script_timeout(30)
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const images = Array.from(document.images);"
        "images.forEach(i => { i.loading = 'eager'; });"
        "const loaded = images.map(i => i.complete ? Promise.resolve() : new Promise(r => { i.onload = r; i.onerror = r; }));"
        "Promise.all([...loaded, document.fonts ? document.fonts.ready : Promise.resolve()])"
        "  .then(() => requestAnimationFrame(() => done(true)));"
    )


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_without_console_errors(site, browser, page):
    browser.get_log("browser")  # discard entries of earlier pages
    _load(browser, site + page)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, f"{page}: console errors {errors}"
    assert browser.find_elements("css selector", "main h1"), f"{page} has no heading"


@pytest.mark.parametrize("page", PAGES)
def test_every_image_loaded(site, browser, page):
    _load(browser, site + page)
    broken = browser.execute_script(
        "return Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 120));"
    )
    assert broken == [], f"{page}: images that did not load: {broken}"


@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_violations(site, browser, page):
    from axe_selenium_python import Axe

    _load(browser, site + page)
    axe = Axe(browser)
    axe.inject()
    # axe walks every node: the longest chapters take tens of seconds on a busy 2-core machine.
    browser.set_script_timeout(240)
    results = axe.run()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page}:\n" + "\n".join(serious)


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


@functools.lru_cache(maxsize=None)
def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_and_anchors_resolve(site, page):
    status, text = _fetch(site + page)
    assert status == 200
    parser = _LinkParser()
    parser.feed(text)
    problems = []
    for href in sorted(set(parser.links)):
        target = urllib.parse.urljoin(site + page, href)
        if not target.startswith(site):
            continue  # external: repository and issue buttons may point outside
        base, _, fragment = target.partition("#")
        status, body = _fetch(base)
        if status != 200:
            problems.append(f"{href}: HTTP {status}")
            continue
        if fragment and base.endswith(".html"):
            ids = _LinkParser()
            ids.feed(body)
            if urllib.parse.unquote(fragment) not in ids.ids:
                problems.append(f"{href}: no element with id '{fragment}'")
    assert problems == [], f"{page}:\n" + "\n".join(problems)


def test_search_finds_regression(site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(site + "search.html?q=regression")
    WebDriverWait(browser, 30).until(lambda d: len(d.find_elements("css selector", "#search-results ul.search li")) > 0)
    hits = browser.find_elements("css selector", "#search-results ul.search li a")
    assert any("regressions.html" in a.get_attribute("href") for a in hits)


def test_chinese_search_finds_a_chinese_word(site, browser):
    """Sphinx's Chinese search (words segmented by jieba) finds 回归 ("regression")."""
    from selenium.webdriver.support.ui import WebDriverWait

    if not ZH_PAGES:
        pytest.skip("no Chinese edition")
    browser.get(site + "zh/search.html?q=" + urllib.parse.quote("回归"))
    WebDriverWait(browser, 30).until(lambda d: len(d.find_elements("css selector", "#search-results ul.search li")) > 0)
    hits = [a.get_attribute("href") for a in browser.find_elements("css selector", "#search-results ul.search li a")]
    assert any("/zh/chapters/" in h for h in hits), hits


class _HtmlLang(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang, self.switch = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "a" and "westgov-language" in (attrs.get("class") or "") and self.switch is None:
            self.switch = attrs.get("href")


@pytest.mark.parametrize("page", EN_PAGES)
def test_the_language_switch_leads_to_the_same_page_and_back(site, page):
    """English page -> the same page in Chinese (lang="zh-CN") -> back to the English page."""
    if not ZH_PAGES:
        pytest.skip("no Chinese edition")
    seen = []
    url = site + page
    for expected_lang in ("en", "zh-CN", "en"):
        status, text = _fetch(url)
        assert status == 200, url
        parser = _HtmlLang()
        parser.feed(text)
        assert parser.lang == expected_lang, (url, parser.lang)
        assert parser.switch, f"{url}: no language switch"
        seen.append(url)
        url = urllib.parse.urljoin(url, parser.switch)
    assert seen == [site + page, site + "zh/" + page, site + page]


def test_notebook_download_is_valid_ipynb(site, browser):
    _load(browser, site + "chapters/regressions.html")
    links = [a.get_attribute("href") for a in browser.find_elements("css selector", "a[href$='.ipynb']")]
    assert links, "no .ipynb download link on the page"
    status, text = _fetch(links[0])
    assert status == 200
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    assert sum(cell.cell_type == "code" for cell in notebook.cells) > 5
    assert any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "the download should carry outputs"


class _ResourceParser(HTMLParser):
    """URLs that a page makes the browser load (scripts, styles, icons, images, frames, media)."""

    LOADING_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut icon", "apple-touch-icon"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and (attrs.get("rel") or "").lower() in self.LOADING_RELS and attrs.get("href"):
            self.urls.append(attrs["href"])


def test_pages_reference_no_external_resources():
    """No script, stylesheet, icon, image or frame is loaded from outside the book.

    Metadata links (``rel="canonical"``, OpenGraph ``<meta>``) may name the published address.
    """
    offenders = []
    for page in HTML.rglob("*.html"):
        parser = _ResourceParser()
        parser.feed(page.read_text(encoding="utf-8"))
        external = [u for u in parser.urls if u.startswith(("http://", "https://", "//"))]
        if external:
            offenders.append(f"{page.relative_to(HTML)}: {external}")
    assert offenders == []


@pytest.fixture(scope="module")
def offline_browser():
    driver = _driver(offline=True)
    yield driver
    driver.quit()


@pytest.mark.parametrize("page, has_math", [("chapters/model.html", True), ("chapters/primer.html", True), ("chapters/dilemmas.html", False)])
def test_renders_with_network_blocked(site, offline_browser, page, has_math):
    _load(offline_browser, site + page)
    math = offline_browser.execute_script(
        "return Array.from(document.querySelectorAll('math')).filter(m => m.getBoundingClientRect().width > 0).length"
    )
    assert (math > 0) == has_math, "no rendered MathML on a page with math (or MathML on one without)"
    raw_tex = offline_browser.execute_script(
        "const a = document.querySelector('article').cloneNode(true);"
        "a.querySelectorAll('pre, code').forEach(e => e.remove());"
        "return /\\\\(begin|beta|mathrm|frac)\\b/.test(a.textContent);"
    )
    assert not raw_tex, "raw TeX shows in the page"
    resources = offline_browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    external = [r for r in resources if not r.startswith(site) and not r.startswith("data:")]
    assert external == [], f"requests outside the book: {external}"
    broken = offline_browser.execute_script("return Array.from(document.images).filter(i => !(i.naturalWidth > 0)).length")
    assert broken == 0


def test_offline_blocking_really_blocks(offline_browser):
    """Guard for the test above: with the proxy, an outside address must fail to load."""
    from selenium.common.exceptions import WebDriverException

    with pytest.raises(WebDriverException, match="ERR_PROXY_CONNECTION_FAILED"):
        offline_browser.get("http://example.com/")



def test_dark_mode_switches(site, browser):
    """The theme's switch still works without Font Awesome's script: the page turns dark."""
    _load(browser, site + "chapters/preface.html")
    browser.execute_script("localStorage.removeItem('mode'); localStorage.removeItem('theme');")
    _load(browser, site + "chapters/preface.html")
    light = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    button = browser.find_element("css selector", "button.theme-switch-button")
    icon_width = browser.execute_script(
        "const i = Array.from(arguments[0].querySelectorAll('.theme-switch')).find(e => e.offsetParent);"
        "return i ? parseFloat(getComputedStyle(i, '::before').width) : 0;",
        button,
    )
    assert icon_width > 5, "the dark-mode button shows no icon"
    for _ in range(3):  # light -> dark -> auto -> light ...: stop on dark
        button.click()
        if browser.execute_script("return document.documentElement.dataset.theme") == "dark":
            break
    dark = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    browser.execute_script("localStorage.removeItem('mode'); localStorage.removeItem('theme');")
    assert browser.execute_script("return document.documentElement.dataset.theme") == "dark" or dark != light
    assert dark != light, f"background stayed {light} in dark mode"


# --- Layout: nothing wider than its box (issue 15) ----------------------------------------------

WIDTHS = (1280, 390)
KINDS = ("tables", "display equations", "code cells and outputs", "images")

#: Measures, in the page, every element of the article that is wider than its box: its content is
#: wider than the element (clipped, or scrolled inside it), or the element is wider than the box it
#: sits in (the nearest ancestor that clips or scrolls, else the article column). An element that
#: only overflows because a descendant of the same measurement overflows is not counted twice.
OVERFLOW_JS = r"""
const article = document.querySelector('article.bd-article') || document.querySelector('main article') || document.querySelector('main');
const column = article.getBoundingClientRect();
const kindOf = el => {
  if (el.matches('table')) return 'tables';
  if (el.matches('div.math, math[display="block"]')) return 'display equations';
  if (el.matches('img')) return 'images';
  return 'code cells and outputs';
};
const selector = 'table, div.math, math[display="block"], img, div.cell_input, div.cell_output, div.highlight, pre, div.output';
const boxOf = el => {
  for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
    const o = getComputedStyle(a).overflowX;
    if (o !== 'visible') return a;
  }
  return article;
};
const describe = el => {
  const caption = el.closest('figure, table, div.cell, div.math, section');
  let label = '';
  if (el.matches('table') && el.querySelector('caption')) label = el.querySelector('caption').innerText;
  else if (el.id) label = '#' + el.id;
  else if (caption && caption.id) label = '#' + caption.id;
  const section = el.closest('section');
  const heading = section && section.querySelector('h1, h2, h3');
  return (label || el.tagName.toLowerCase() + '.' + (el.className || '').toString().split(' ')[0]).slice(0, 70)
    + (heading ? ' (in "' + heading.innerText.replace(/#$/, '').trim().slice(0, 40) + '")' : '');
};
const found = [];
for (const el of article.querySelectorAll(selector)) {
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) continue;            // hidden (folded) content
  if (el.closest('details:not([open])')) continue;
  const box = boxOf(el);
  const boxRect = box === article ? column : box.getBoundingClientRect();
  const boxWidth = box === article ? column.width : box.clientWidth;
  const inner = el.matches('img') ? 0 : el.scrollWidth - el.clientWidth;   // content wider than the element
  const outer = Math.max(rect.width - boxWidth, rect.right - Math.min(boxRect.right, column.right));
  const excess = Math.max(inner, outer);
  if (excess > 1) found.push({el, kind: kindOf(el), excess: Math.round(excess), width: Math.round(Math.max(rect.width, el.scrollWidth)), box: Math.round(boxWidth), what: describe(el)});
}
const innermost = found.filter(f => !found.some(g => g !== f && g.kind === f.kind && f.el.contains(g.el))
                                  && !found.some(g => g !== f && f.el.contains(g.el) && f.kind === 'code cells and outputs' && g.kind !== f.kind));
const page = document.documentElement.scrollWidth - document.documentElement.clientWidth;
return {page_scroll: page, offenders: innermost.map(({el, ...rest}) => rest)};
"""


def _set_width(driver, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def measure_overflow(driver, url: str, width: int) -> dict:
    """``{"page_scroll": px, "offenders": [{kind, excess, width, box, what}, ...]}`` for one page."""
    _set_width(driver, width)
    _load(driver, url)
    return driver.execute_script(OVERFLOW_JS)


@pytest.fixture(scope="module")
def layout_browser():
    driver = _driver()
    yield driver
    driver.quit()


def _format(page: str, width: int, result: dict) -> str:
    lines = [f"{page} at {width} px: page scrolls sideways by {result['page_scroll']} px" if result["page_scroll"] > 0 else f"{page} at {width} px:"]
    for o in result["offenders"]:
        lines.append(f"  {o['kind']:24s} {o['width']:5d} px in a {o['box']} px box: {o['what']}")
    return "\n".join(lines)


@pytest.mark.parametrize("page", PAGES)
def test_nothing_wider_than_its_box_at_1280(site, layout_browser, page):
    result = measure_overflow(layout_browser, site + page, 1280)
    assert result["offenders"] == [] and result["page_scroll"] <= 0, _format(page, 1280, result)


@pytest.mark.parametrize("page", PAGES)
def test_no_sideways_page_scroll_at_390(site, layout_browser, page):
    result = measure_overflow(layout_browser, site + page, 390)
    assert result["page_scroll"] <= 0, _format(page, 390, result)


def test_overflow_measure_catches_planted_wide_content(site, layout_browser):
    """Guard: a planted wide table, equation, code block and image are each found, and a page
    pushed wider than the phone is reported as scrolling sideways."""
    _set_width(layout_browser, 390)
    _load(layout_browser, site + "chapters/preface.html")
    layout_browser.execute_script(
        "const a = document.querySelector('article.bd-article');"
        "const t = document.createElement('div'); t.style.overflowX = 'auto';"
        "t.innerHTML = '<table><tr>' + '<td>column_with_a_long_name</td>'.repeat(12) + '</tr></table>'; a.appendChild(t);"
        "const m = document.createElement('div'); m.className = 'math'; m.style.overflowX = 'auto';"
        "m.innerHTML = '<math display=\"block\"><mi>' + 'x'.repeat(300) + '</mi></math>'; a.appendChild(m);"
        "const p = document.createElement('div'); p.className = 'highlight';"
        "p.innerHTML = '<pre style=\"overflow-x:auto\">' + 'y'.repeat(400) + '</pre>'; a.appendChild(p);"
        "const w = document.createElement('p'); w.innerHTML = '<img src=\"../_static/favicon.png\" style=\"width:2000px;max-width:none\">'; a.appendChild(w);"
    )
    result = layout_browser.execute_script(OVERFLOW_JS)
    kinds = sorted({o["kind"] for o in result["offenders"]})
    assert kinds == ["code cells and outputs", "display equations", "images", "tables"], result
    assert result["page_scroll"] > 0


def test_an_88_column_code_line_fits_at_1280(site, layout_browser):
    """Chapters' code is formatted at 88 columns (tests/book/test_code_format.py); such a line must fit
    its code block at 1280 px, in a code cell and in a text output."""
    _set_width(layout_browser, 1280)
    _load(layout_browser, site + "chapters/data.html")
    widths = layout_browser.execute_script(
        "return ['div.cell_input pre', 'div.cell_output pre'].map(s => {"
        "  const pre = document.querySelector(s); pre.textContent = 'x'.repeat(88);"
        "  return [s, pre.scrollWidth, pre.clientWidth]; });"
    )
    too_wide = [w for w in widths if w[1] > w[2]]
    assert too_wide == [], f"88 characters do not fit (selector, content px, box px): {too_wide}"


def overflow_report(html_dir: Path = HTML, pages: list[str] | None = None) -> dict:
    """Offenders on every page at both widths; prints them and a table in issue 15's form."""
    global HTML
    HTML = html_dir
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    driver = _driver()
    counts = {w: dict.fromkeys(KINDS, 0) for w in WIDTHS}
    scrolling = {w: [] for w in WIDTHS}
    results = {}
    try:
        for page in pages or PAGES:
            for width in WIDTHS:
                result = measure_overflow(driver, base + page, width)
                results[(page, width)] = result
                for o in result["offenders"]:
                    counts[width][o["kind"]] += 1
                if result["page_scroll"] > 0:
                    scrolling[width].append(page)
                if result["offenders"] or result["page_scroll"] > 0:
                    print(_format(page, width, result), flush=True)
    finally:
        driver.quit()
        server.shutdown()
    print("\n| | " + " | ".join(KINDS) + " | pages scrolling sideways |")
    print("|---" * (len(KINDS) + 2) + "|")
    for width in WIDTHS:
        print(f"| {width} px | " + " | ".join(str(counts[width][k]) for k in KINDS) + f" | {len(scrolling[width])} |")
    return {"counts": counts, "scrolling": scrolling}


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Print the elements wider than their box on every page (does not fail).")
    parser.add_argument("--report", action="store_true", help="print offenders per page and width, and the counts table")
    parser.add_argument("html", nargs="?", type=Path, default=HTML, help="built HTML folder (default _build/html)")
    parser.add_argument("--page", action="append", help="only this page (repeatable), e.g. chapters/model.html")
    args = parser.parse_args()
    if not (args.html / "index.html").exists():
        raise SystemExit(f"{args.html} has no index.html: build the book first (make book)")
    overflow_report(args.html, args.page)
