"""Sphinx extension: offline MathJax and notebook downloads.

**Offline MathJax.**
Jupyter Book loads MathJax from a CDN by default; a reader without a connection then sees raw LaTeX.
This extension copies MathJax 3 (from the ``django-static-mathjax`` package on PyPI, Apache-2.0) into
``_static/mathjax`` of the HTML output: the ``tex-chtml.js`` component and the web fonts it loads.
``_config.yml`` points ``mathjax_path`` at ``mathjax/tex-chtml.js`` (relative to ``_static``).

**Notebook downloads.** sphinx-book-theme offers a ``.ipynb`` download for MyST Markdown notebooks
only when a launch service (Binder, JupyterHub, ...) is configured. This book has none, so
:func:`offer_notebook_download` writes the page's notebook, with the outputs of its cached
execution, next to the page's source in ``_sources/`` and tells the theme about it, before the theme
assembles its download menu.
"""

from __future__ import annotations

import shutil
from pathlib import Path

MATHJAX_FILES = ("tex-chtml.js", "output/chtml/fonts/woff-v2")


def mathjax_source() -> Path:
    """Folder of the MathJax 3 ES5 build shipped by the ``django-static-mathjax`` package."""
    import mathjax  # the import name of django-static-mathjax

    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source()
    target = Path(app.outdir) / "_static" / "mathjax"
    for rel in MATHJAX_FILES:
        src, dst = source / rel, target / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    shutil.copy2(source.parent / "LICENSE", target / "LICENSE")


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


def setup(app):
    app.connect("build-finished", fix_citation_roles)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("build-finished", copy_mathjax)
    # The theme builds its header buttons at priority 501; run just before it.
    app.connect("html-page-context", offer_notebook_download, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
