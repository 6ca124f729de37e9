"""Sphinx extension: a fast, offline site (math at build time, icons without JavaScript), notebook downloads.

**Math at build time.** Every ``$...$``, ``$$...$$`` and amsmath environment is converted to
MathML by :mod:`latex2mathml` while the pages are written (renderer ``mathml``, selected with
``html_math_renderer`` in ``_config.yml``). Browsers lay MathML out natively, so no math
JavaScript or web font is downloaded at read time and nothing is fetched from outside the site.
Equation numbers and their permalinks are written as Sphinx's MathJax renderer writes them.

**Icons without JavaScript.** pydata-sphinx-theme loads Font Awesome's SVG framework (1.5 MB of
JavaScript, on every page) to draw a dozen icons. :func:`optimize_pages` removes that script and
:func:`write_icon_css` writes ``_static/westgov-icons.css``: for every ``fa-*`` icon named in the
built pages or the theme's scripts, a CSS mask holding the icon's SVG path (taken from the
theme's own copy of Font Awesome Free, CC BY 4.0 for the icons). Icons the theme adds later
from JavaScript (the search dialog's close button) are covered too.

**Nothing blocks rendering that need not.** :func:`optimize_pages` also defers every external
script (their order is kept; Sphinx's tiny ``documentation_options.js`` is inlined because inline
scripts use it), drops the preload hints of scripts that load at the end of the page, and marks
article images for lazy loading. ``favicon.ico`` is written at the site root (browsers ask for
it even when the page names a PNG icon).

**Notebook downloads.** sphinx-book-theme offers a ``.ipynb`` download for MyST Markdown notebooks
only when a launch service (Binder, JupyterHub, ...) is configured. This book has none, so
:func:`offer_notebook_download` writes the page's notebook, with the outputs of its cached
execution, next to the page's source in ``_sources/`` and tells the theme about it, before the theme
assembles its download menu.
"""

from __future__ import annotations

import html as html_lib
import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parents[2] / "assets"
SITE_CSS = "westgov.css"
ICON_CSS = "westgov-icons.css"


# --- Math at build time ----------------------------------------------------------------------

_TEXT = re.compile(r"\\(?:mathrm|text)\{([^{}]*)\}")


#: amsmath environments latex2mathml does not lay out (it writes line breaks that browsers ignore,
#: or a literal "&"), and the one it lays out the same way.
ENVIRONMENTS = {
    "aligned": ("\\begin{align*}", "\\end{align*}"),
    "align": ("\\begin{align*}", "\\end{align*}"),
    "alignat": ("\\begin{align*}", "\\end{align*}"),
    "gather": ("\\begin{array}{c}", "\\end{array}"),
    "gathered": ("\\begin{array}{c}", "\\end{array}"),
    "multline": ("\\begin{array}{c}", "\\end{array}"),
    "equation": ("", ""),
}
_ENV = re.compile(r"\\(begin|end)\{(" + "|".join(ENVIRONMENTS) + r")\*?\}(\{\d+\})?")


def prepare_tex(tex: str) -> str:
    """TeX as latex2mathml reads it best: words in ``\\mathrm``/``\\text`` become one text run
    (``\\_`` unescaped), and amsmath environments become ones it lays out as tables
    (:data:`ENVIRONMENTS`; Sphinx numbers equations, so their own numbering goes)."""

    def word(match: re.Match) -> str:
        inner = match.group(1)
        if match.group(0).startswith("\\mathrm") and len(inner.replace("\\_", "_")) <= 1:
            return match.group(0)
        return "\\text{" + inner.replace("\\_", "_") + "}"

    def environment(match: re.Match) -> str:
        begin, end = ENVIRONMENTS[match.group(2)]
        return begin if match.group(1) == "begin" else end

    return _ENV.sub(environment, _TEXT.sub(word, tex))


def tex_to_mathml(tex: str, display: bool) -> str:
    """MathML for ``tex`` (a ``<math>`` element); raises ValueError when it cannot be converted,
    or when the result would show a stray alignment ``&`` or a line break browsers ignore."""
    from latex2mathml.converter import convert

    try:
        mathml = convert(prepare_tex(tex.strip()), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises its own exception types
        raise ValueError(f"{type(exc).__name__}: {exc}") from None
    if re.search(r"<mi>&(amp;)?</mi>|linebreak=", mathml):
        raise ValueError("an alignment & or \\\\ outside an environment that lays out rows (use split or align)")
    unknown = re.search(r"<m[io]>(\\[A-Za-z]+)</m[io]>", mathml)
    if unknown:
        raise ValueError(f"unknown command {unknown.group(1)}")
    return mathml.replace(' xmlns="http://www.w3.org/1998/Math/MathML"', "", 1)


def _math_or_warn(self, node, tex: str, display: bool) -> str:
    try:
        return tex_to_mathml(tex, display)
    except ValueError as exc:
        logger.warning(f"cannot render math as MathML ({exc}): {tex!r}", location=node, type="westgov", subtype="math")
        return f"<code>{self.encode(tex)}</code>"


def visit_math(self, node: nodes.math) -> None:
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_math_or_warn(self, node, node.astext(), display=False) + "</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.math_block) -> None:
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    tex = node.astext()
    if not node["nowrap"]:
        if node["number"]:
            number = get_node_equation_number(self, node)
            self.body.append(f'<span class="eqno">({number})')
            self.add_permalink_ref(node, _("Link to this equation"))
            self.body.append("</span>")
        parts = [part for part in tex.split("\n\n") if part.strip()]
        wrapped = [f"\\begin{{split}}{p}\\end{{split}}" if "\\\\" in p and "\\begin{" not in p else p for p in parts]
        tex = "\\begin{align*}" + " \\\\ ".join(wrapped) + "\\end{align*}" if len(parts) > 1 else wrapped[0] if wrapped else ""
    self.body.append(_math_or_warn(self, node, tex, display=True) + "</div>\n")
    raise nodes.SkipNode


def notebook_for_download(app, pagename: str):
    """The page's notebook (from its MyST source) with the outputs of its cached execution, if any.

    myst-nb writes ``_build/jupyter_execute/<page>.ipynb`` *without* outputs when a page comes from
    the execution cache, so the download is assembled here from the source and the cache instead.
    """
    import jupytext
    from jupyter_cache import get_cache

    notebook = jupytext.read(Path(app.srcdir) / f"{pagename}.md")
    cache_path = app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    try:
        _, notebook = get_cache(str(cache_path)).merge_match_into_notebook(notebook)
    except KeyError:
        pass  # not executed through the cache: the download carries the code only
    return notebook


def offer_notebook_download(app, pagename, templatename, context, doctree) -> None:
    import nbformat

    from .build import is_notebook_source

    if context.get("ipynb_source") or not is_notebook_source(Path(app.srcdir) / f"{pagename}.md"):
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook_for_download(app, pagename), str(target))
    context["ipynb_source"] = f"{pagename}.ipynb"


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Drop repeated <script> entries.

    With Jupyter Book 1.0.4 and Sphinx 7.4 the inline scripts of sphinx-thebe and
    sphinx-togglebutton are registered twice, so every page declared ``const THEBE_JS_URL`` twice
    and the browser logged a SyntaxError. Identical entries (same file, same inline body) are kept once.
    It runs after the theme's handlers (priority 500 and 501), which add assets of their own.
    """
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # The same inline script arrives once with filename None and once with "" (the builder's copy).
        key = (str(getattr(script, "filename", script) or ""), repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def fix_citation_roles(app, exception) -> None:
    """Give bibliography entries an ARIA role that their list parent allows.

    Sphinx writes ``<div role="list" class="citation-list">`` around entries marked
    ``role="doc-biblioentry"``; axe-core reports that pair as critical (a list must contain list
    items, and ``doc-biblioentry`` is deprecated in DPUB-ARIA 1.1). The entries become list items.
    """
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if 'role="doc-biblioentry"' in text:
            page.write_text(text.replace('role="doc-biblioentry"', 'role="listitem"'), encoding="utf-8")


# --- Icons without JavaScript -------------------------------------------------------------------

FA_PREFIXES = {"fab": "fa-brands", "far": "fa-regular", "fas": "fa-solid"}
_FA_ENTRY = re.compile(r'(?:"([a-z0-9-]+)"|\b([a-z][a-z0-9]*)):\[(\d+),(\d+),\[([^\]]*)\],"([0-9a-f]+)",("[^"]*"|\[[^\]]*\])\]')
_FA_DEFINE = re.compile(r'\b[A-Za-z_$][\w$]*\("(fab|far|fas)",[A-Za-z_$][\w$]*\)')
_FA_CLASS = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")
#: Classes of Font Awesome that are modifiers, not icons.
FA_MODIFIERS = {"solid", "regular", "brands", "lg", "xs", "sm", "xl", "2xl", "fw", "spin", "pulse", "border", "inverse", "flip", "beat", "fade", "shake", "bounce"}


def fontawesome_js(app=None) -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts" / "fontawesome.js"


@lru_cache(maxsize=2)
def fontawesome_icons(path: Path) -> dict[tuple[str, str], tuple[int, int, str]]:
    """``{(prefix, name): (width, height, svg path)}`` parsed from Font Awesome's SVG framework.

    The script defines the brands, regular and solid sets one after another, each closed by a
    call such as ``d("fab", icons)``; an entry reads ``name:[width,height,[aliases],"unicode","path"]``.
    """
    text = path.read_text(encoding="utf-8")
    bounds, seen = [], set()
    for match in _FA_DEFINE.finditer(text):
        if match.group(1) not in seen:
            seen.add(match.group(1))
            bounds.append((match.start(), match.group(1)))
    icons: dict[tuple[str, str], tuple[int, int, str]] = {}
    for match in _FA_ENTRY.finditer(text):
        prefix = next((p for end, p in bounds if match.start() < end), None)
        if prefix is None:
            continue
        name = match.group(1) or match.group(2)
        d = match.group(7)
        if d.startswith("["):  # duotone: two paths
            d = " ".join(re.findall(r'"([^"]*)"', d))
        else:
            d = d.strip('"')
        aliases = re.findall(r'"([a-z0-9-]+)"', match.group(5))  # older names, e.g. "search"
        for alias in [name, *aliases]:
            icons.setdefault((prefix, alias), (int(match.group(3)), int(match.group(4)), d))
    return icons


def cached_fontawesome_icons(path: Path, cache: Path) -> dict:
    """:func:`fontawesome_icons`, kept in a JSON file beside the output (parsing takes a second)."""
    import json

    key = f"{path}:{path.stat().st_size}:{path.stat().st_mtime_ns}"
    try:
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored["key"] == key:
            return {tuple(k.split(" ", 1)): tuple(v) for k, v in stored["icons"].items()}
    except (OSError, ValueError, KeyError):
        pass
    icons = fontawesome_icons(path)
    try:
        cache.write_text(json.dumps({"key": key, "icons": {f"{p} {n}": v for (p, n), v in icons.items()}}), encoding="utf-8")
    except OSError:
        pass  # a read-only output folder only costs the second
    return icons


def icon_css(names: set[str], icons: dict) -> str:
    """CSS drawing each ``fa-NAME`` icon as a mask of its SVG path in the current text colour."""
    from urllib.parse import quote

    rules = [
        "/* Font Awesome Free icons (https://fontawesome.com/license/free, icons CC BY 4.0), drawn with CSS masks",
        "   by westgov.book.sphinxext instead of Font Awesome's JavaScript. Generated at build time. */",
        ".fa-solid,.fas,.fa-regular,.far,.fa-brands,.fab,.fa{display:inline-block;font-style:normal;line-height:1;"
        "text-rendering:auto}",
        ".fa-lg{font-size:1.25em;line-height:.05em;vertical-align:-.075em}.fa-fw{text-align:center;width:1.25em}",
    ]
    for name in sorted(names):
        for prefix, long in FA_PREFIXES.items():
            if (prefix, name) not in icons:
                continue
            width, height, d = icons[(prefix, name)]
            svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{d}'/></svg>"
            url = 'url("data:image/svg+xml,' + quote(svg, safe=" /:=',") + '")'
            selector = f".{long}.fa-{name}::before,.{prefix}.fa-{name}::before"
            rules.append(
                f"{selector}{{content:'';display:inline-block;height:1em;width:{width / height:.4f}em;"
                f"vertical-align:-0.125em;background-color:currentColor;mask:center/contain no-repeat {url}}}"
            )
    return "\n".join(rules) + "\n"


def used_icon_names(outdir: Path) -> set[str]:
    """Every ``fa-NAME`` class named in the built pages and in the site's own scripts."""
    names: set[str] = set()
    files = [p for p in outdir.rglob("*.html") if p.relative_to(outdir).parts[0] != ZH_FOLDER] + [p for p in (outdir / "_static").rglob("*.js") if p.name != "fontawesome.js"]
    for path in files:
        names.update(_FA_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names - FA_MODIFIERS


def write_icon_css(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    icons = cached_fontawesome_icons(fontawesome_js(), outdir.parent / ".westgov-fontawesome-icons.json")
    names = used_icon_names(outdir)
    known = {name for _, name in icons}
    missing = sorted(n for n in names if n not in known and not n.startswith(("pull-", "rotate-", "stack", "flip-")))
    if missing:
        logger.info(f"westgov: no Font Awesome icon for class(es) {', '.join(missing)} (not icons, or not used)")
    (outdir / "_static" / ICON_CSS).write_text(icon_css(names & known, icons), encoding="utf-8")


# --- Nothing blocks rendering that need not ------------------------------------------------------

_FA_SCRIPT = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
_PRELOAD_SCRIPT = re.compile(r'\s*<link rel="preload" as="script" href="[^"]*"\s*/>')
_BLOCKING_SCRIPT = re.compile(r'<script(?![^>]*\b(?:defer|async)\b)(?=[^>]*\bsrc=")([^>]*)></script>')
_DOC_OPTIONS = re.compile(r'<script src="[^"]*_static/documentation_options\.js[^"]*"></script>')
_IMG = re.compile(r"<img(?![^>]*\bloading=)([^>]*)>")


def optimize_html(text: str, documentation_options: str | None) -> str:
    """The page with Font Awesome's script removed and every other external script deferred.

    Idempotent: an already optimized page is returned unchanged.
    """
    text = _FA_SCRIPT.sub("", text)
    text = _PRELOAD_SCRIPT.sub("", text)
    if documentation_options is not None:
        text = _DOC_OPTIONS.sub(lambda m: "<script>" + documentation_options.strip() + "</script>", text)
    text = _BLOCKING_SCRIPT.sub(r"<script defer\1></script>", text)
    head, sep, body = text.partition("</head>")
    if sep:  # images in the page body load lazily (the browser still loads those in view first)
        text = head + sep + _IMG.sub(r'<img loading="lazy" decoding="async"\1>', body)
    return text


def optimize_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    options_file = outdir / "_static" / "documentation_options.js"
    options = options_file.read_text(encoding="utf-8") if options_file.exists() else None
    if options is not None and "</script" in options.lower():
        options = None  # never inline text that could close the script element
    referenced: set[str] = set()
    for page in outdir.rglob("*.html"):
        if "_static" in page.parts or page.relative_to(outdir).parts[0] == ZH_FOLDER:
            continue
        text = page.read_text(encoding="utf-8")
        new = bundle_stylesheets(optimize_html(text, options), page, outdir)
        if new != text:
            page.write_text(new, encoding="utf-8")
        referenced.update(re.findall(BUNDLE_PREFIX + r"[0-9a-f]+\.css", new))
    for bundle in (outdir / "_static").glob(BUNDLE_PREFIX + "*.css"):
        if bundle.name not in referenced:
            bundle.unlink()  # left over from an earlier build


# --- One stylesheet instead of a dozen ----------------------------------------------------------

_STYLESHEET = re.compile(r'[ \t]*<link (?=[^>]*\brel="stylesheet")[^>]*\bhref="([^"]+)"[^>]*/?>\n?')
_CSS_IMPORT = re.compile(r'@import\s+(?:url\()?\s*["\']?([^"\')\s;]+)["\']?\s*\)?\s*;')
_CSS_URL = re.compile(r'url\(\s*(["\']?)([^"\')]+)\1\s*\)')
BUNDLE_PREFIX = "westgov-bundle-"
_FA_CLASS_RULE = re.compile(r'(?:\.fa-[a-z0-9-]+:{1,2}before,?)+\{content:"[^"]*"\}')


def _css_with_imports(path: Path, static: Path, seen: set[Path]) -> str:
    """The text of a stylesheet with its ``@import`` rules inlined and relative ``url()`` values rebased
    to ``static`` (where the bundle lives)."""
    import os

    if path in seen or not path.exists():
        return ""
    seen.add(path)
    text = path.read_text(encoding="utf-8")

    def rebase(match: re.Match) -> str:
        quote, url = match.groups()
        if url.startswith(("data:", "http:", "https:", "//", "/", "#")):
            return match.group(0)
        target, _, suffix = url.partition("?")
        rebased = os.path.relpath((path.parent / target).resolve(), static.resolve()).replace(os.sep, "/")
        return f"url({quote}{rebased}{'?' + suffix if suffix else ''}{quote})"

    text = _CSS_IMPORT.sub(lambda m: _css_with_imports((path.parent / m.group(1)).resolve(), static, seen), text)
    text = re.sub(r'@charset\s+"[^"]*";', "", text)
    return _CSS_URL.sub(rebase, text)


_BUNDLES: dict[tuple, str] = {}


def bundle_css(outdir: Path, hrefs: list[str], page: Path) -> str:
    """Write the concatenation of ``hrefs`` (as linked from ``page``) to ``_static``; its name."""
    import hashlib

    static = outdir / "_static"
    files = [(page.parent / href.split("?")[0]).resolve() for href in hrefs]
    key = "\n".join(p.relative_to(outdir.resolve()).as_posix() for p in files)
    stamp = (str(outdir.resolve()), key, tuple(p.stat().st_mtime_ns if p.exists() else 0 for p in files))
    if stamp in _BUNDLES and (static / _BUNDLES[stamp]).exists():
        return _BUNDLES[stamp]
    seen: set[Path] = set()
    parts = [f"/* {p.relative_to(outdir.resolve()).as_posix()} */\n" + _css_with_imports(p, static, seen) for p in files]
    # Font Awesome's 1,400 per-icon rules (.fa-x:before{content:"\f0c9"}) are replaced by
    # westgov-icons.css for the icons the site uses: 20 kB less to download before the first paint.
    text = _FA_CLASS_RULE.sub("", "\n".join(parts))
    name = BUNDLE_PREFIX + hashlib.sha256((key + "\0" + text).encode()).hexdigest()[:12] + ".css"
    target = static / name
    if not target.exists():
        target.write_text(text, encoding="utf-8")
    _BUNDLES[stamp] = name
    return name


def bundle_stylesheets(text: str, page: Path, outdir: Path) -> str:
    """Replace the page's stylesheet links (in order) by one link to their bundle."""
    import os

    head, sep, body = text.partition("</head>")
    links = _STYLESHEET.findall(head)
    local = [h for h in links if not h.startswith(("http:", "https:", "//"))]
    if len(local) < 2 or any(BUNDLE_PREFIX in h for h in local):
        return text
    name = bundle_css(outdir, local, page)
    href = os.path.relpath(outdir / "_static" / name, page.parent).replace(os.sep, "/")
    first = True

    def replace(match: re.Match) -> str:
        nonlocal first
        if match.group(1) not in local:
            return match.group(0)
        if first:
            first = False
            return f'    <link rel="stylesheet" href="{href}" />\n'
        return ""

    return _STYLESHEET.sub(replace, head) + sep + body


# --- Icon fonts cut to the glyphs the stylesheets use --------------------------------------------

FA_FONTS = ("fa-solid-900", "fa-regular-400", "fa-brands-400")


def css_icon_codepoints(css: str) -> set[int]:
    """Private-use code points named in stylesheets, outside Font Awesome's per-class rules
    (``.fa-x:before{content:"\\f0c9"}``), which :func:`icon_css` replaces."""
    css = _FA_CLASS_RULE.sub("", css)
    points = {int(h, 16) for h in re.findall(r"\\(f[0-9a-f]{3}|e[0-9a-f]{3})\b", css, flags=re.I)}
    points |= {ord(c) for c in set(re.findall("[\ue000-\uf8ff]", css))}
    return points


def subset_icon_fonts(app, exception) -> None:
    """Cut Font Awesome's web fonts (275 kB) in the output down to the glyphs the CSS uses."""
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset

    outdir = Path(app.outdir)
    static = outdir / "_static"
    css = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in static.rglob("*.css") if BUNDLE_PREFIX not in p.name)
    points = css_icon_codepoints(css)
    source_dir = fontawesome_js().parent.parent / "vendor" / "fontawesome" / "webfonts"
    cache_dir = outdir.parent / ".westgov-font-cache"
    cache_dir.mkdir(exist_ok=True)
    for name in FA_FONTS:
        source, target = source_dir / f"{name}.woff2", static / "vendor" / "fontawesome" / "webfonts" / f"{name}.woff2"
        if not source.exists() or not target.parent.exists():
            continue
        import hashlib
        import shutil

        key = hashlib.sha256(source.read_bytes() + repr(sorted(points)).encode()).hexdigest()[:16]
        cached = cache_dir / f"{name}-{key}.woff2"
        if cached.exists():
            shutil.copyfile(cached, target)
            for ttf in target.parent.glob(f"{name}.ttf"):
                ttf.unlink()
            continue
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(points))
        subsetter.subset(font)
        subset.save_font(font, str(target), options)
        shutil.copyfile(target, cached)
        for ttf in target.parent.glob(f"{name}.ttf"):
            ttf.unlink()  # only the woff2 is ever loaded by a browser that reads woff2


def write_favicon(app, exception) -> None:
    """``favicon.ico`` (16, 32 and 48 px) at the site root, made from the configured PNG icon."""
    if exception is not None or app.builder.format != "html":
        return
    from PIL import Image

    source = Path(app.srcdir) / (app.config.html_favicon or "assets/favicon.png")
    if not source.exists():
        logger.warning(f"favicon source {source} not found", type="westgov", subtype="favicon")
        return
    with Image.open(source) as image:
        image.convert("RGBA").save(Path(app.outdir) / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


def add_static_path(app, config) -> None:
    """Serve ``assets/css`` (the site-wide stylesheet) from ``_static``."""
    path = str(ASSETS / "css")
    if path not in config.html_static_path:
        config.html_static_path.append(path)


# --- The two editions: a language switch on every page (issue 27) ------------------------------

#: Edition of the book per Sphinx language: (code, lang attribute, switch text, folder of the
#: Chinese site inside the English one).
ZH_FOLDER = "zh"
_HEADER_BUTTONS = '<div class="article-header-buttons">'


def edition(app) -> str:
    """``"zh"`` for the Chinese edition (``language: zh_CN``), else ``"en"``."""
    return "zh" if (app.config.language or "en").lower().startswith("zh") else "en"


def other_edition_url(pagename: str, lang: str) -> str:
    """Relative URL of the same page in the other edition (the Chinese site is published in
    ``zh/`` of the English one)."""
    up = "../" * pagename.count("/")
    return f"{up}{ZH_FOLDER}/{pagename}.html" if lang == "en" else f"{up}../{pagename}.html"


def switch_html(pagename: str, lang: str) -> str:
    if lang == "en":
        return (
            f'<a class="btn btn-sm westgov-language" href="{other_edition_url(pagename, lang)}" '
            'hreflang="zh-CN" lang="zh-CN" title="本页的中文版">中文</a>'
        )
    return (
        f'<a class="btn btn-sm westgov-language" href="{other_edition_url(pagename, lang)}" '
        'hreflang="en" lang="en" title="This page in English">English</a>'
    )


def alternate_url(baseurl: str, pagename: str, lang: str) -> str:
    """Absolute URL of the same page in the other edition (search engines, and Lighthouse's
    ``hreflang`` audit, want a fully qualified address). ``baseurl`` is this edition's
    ``html_baseurl``; the Chinese site is ``zh/`` of the English one.

    >>> alternate_url("https://x.io/book/", "chapters/audit", "en")
    'https://x.io/book/zh/chapters/audit.html'
    >>> alternate_url("https://x.io/book/zh/", "chapters/audit", "zh")
    'https://x.io/book/chapters/audit.html'
    """
    root = baseurl.rstrip("/")
    if lang == "zh":
        root = root.removesuffix(f"/{ZH_FOLDER}")
        return f"{root}/{pagename}.html"
    return f"{root}/{ZH_FOLDER}/{pagename}.html"


def add_alternate_link(app, pagename, templatename, context, doctree) -> None:
    """``<link rel="alternate" hreflang>`` to the same page in the other edition (absolute when
    ``html_baseurl`` is set, else relative)."""
    if app.builder.format != "html" or app.builder.name != "html":
        return
    lang = edition(app)
    other = "zh-CN" if lang == "en" else "en"
    base = app.config.html_baseurl
    href = alternate_url(base, pagename, lang) if base else other_edition_url(pagename, lang)
    link = f'<link rel="alternate" hreflang="{other}" href="{href}" />\n'
    context["metatags"] = context.get("metatags", "") + link


def add_language_switch(app, exception) -> None:
    """Put the language switch first among every page's header buttons."""
    if exception is not None or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    lang = edition(app)
    for page in outdir.rglob("*.html"):
        rel = page.relative_to(outdir)
        if rel.parts[0] in ("_static", ZH_FOLDER, "_sources"):
            continue
        text = page.read_text(encoding="utf-8")
        if _HEADER_BUTTONS not in text or "westgov-language" in text:
            continue
        pagename = rel.with_suffix("").as_posix()
        page.write_text(text.replace(_HEADER_BUTTONS, _HEADER_BUTTONS + "\n" + switch_html(pagename, lang), 1), encoding="utf-8")


# --- Waiting for chapters executed in parallel -------------------------------------------------


def wait_for_execution(app, docname: str, source: list) -> None:
    """Before Sphinx reads a chapter, wait until the build's pool has executed it (see
    :mod:`westgov.book.build`); only when the build started Sphinx alongside the pool."""
    import os
    import time

    from .build import ALL_DONE, MARKERS_ENV, is_notebook_source, marker_name

    folder = os.environ.get(MARKERS_ENV)
    if not folder or not docname.startswith("chapters/") or not is_notebook_source(Path(app.srcdir) / f"{docname}.md"):
        return
    markers = Path(folder)
    deadline = time.monotonic() + 3600
    while not (markers / marker_name(docname)).exists() and not (markers / ALL_DONE).exists():
        if not markers.exists() or time.monotonic() > deadline:
            return  # the pool is gone: myst-nb executes the chapter itself if it is not cached
        time.sleep(0.1)


#: Glue keys that name the ends of a range: their printed digits are rounded outward (issue 24).
RANGE_LOW_SUFFIXES = ("_low", "_lo")
RANGE_HIGH_SUFFIXES = ("_high", "_hi")


def outward_format(key: str, text: str, fmt_spec: str, plain_format):
    """``plain_format(text, fmt_spec)``, except that the lower end of a range (a key ending in
    ``_low`` or ``_lo``) is rounded down and the upper end (``_high``, ``_hi``) up to the digits of
    a fixed-point format (``.3f``): a printed range then always contains the computed one."""
    import math
    import re

    match = re.fullmatch(r"([^.]*)\.(\d+)f", fmt_spec or "")
    down = key.endswith(RANGE_LOW_SUFFIXES)
    up = key.endswith(RANGE_HIGH_SUFFIXES)
    if not match or not (down or up):
        return plain_format(text, fmt_spec)
    try:
        value = float(text)
    except ValueError:
        return plain_format(text, fmt_spec)
    if not math.isfinite(value):
        return plain_format(text, fmt_spec)
    scale = 10 ** int(match.group(2))
    scaled = round(value * scale, 6)  # a value already on the grid stays put
    ended = (math.floor(scaled) if down else math.ceil(scaled)) / scale
    return format(ended, fmt_spec)


def _round_range_ends_outward():
    """Make myst-nb's ``{glue:text}`` role round range ends outward (see ``outward_format``)."""
    from myst_nb.ext.glue import roles

    if getattr(roles.PasteTextRole, "_westgov_outward", False):
        return
    original_run = roles.PasteTextRole.run
    plain_format = roles.format_plain_text

    def run(self):
        key = self.text.rsplit(":", 1)[0].split("::")[-1] if ":" in self.text else self.text
        roles.format_plain_text = lambda text, spec: outward_format(key, text, spec, plain_format)
        try:
            return original_run(self)
        finally:
            roles.format_plain_text = plain_format

    roles.PasteTextRole.run = run
    roles.PasteTextRole._westgov_outward = True


def setup(app):
    from . import bibstyle, cjk

    bibstyle.register()  # `bibtex_default_style: westgov` (institutions sorted by name)
    cjk.setup(app)  # Chinese pages: no space between Chinese text and a Chinese glued value or link
    _round_range_ends_outward()
    app.connect("source-read", wait_for_execution)
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    app.connect("config-inited", add_static_path)
    app.add_css_file(SITE_CSS)
    app.add_css_file(ICON_CSS)
    app.connect("build-finished", fix_citation_roles)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    # The theme builds its header buttons at priority 501; run just before it.
    app.connect("html-page-context", offer_notebook_download, priority=500)
    # Icon CSS first: the bundles that optimize_pages writes include it.
    app.connect("build-finished", write_icon_css, priority=600)
    app.connect("build-finished", subset_icon_fonts, priority=650)
    app.connect("build-finished", add_language_switch, priority=690)
    app.connect("html-page-context", add_alternate_link)
    app.connect("build-finished", optimize_pages, priority=700)
    app.connect("build-finished", write_favicon)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
