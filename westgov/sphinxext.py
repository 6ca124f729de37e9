"""Sphinx extension: serve MathJax from the book itself, so that pages render offline.

Jupyter Book loads MathJax from a CDN by default; a reader without a connection then sees raw LaTeX.
This extension copies MathJax 3 (from the ``django-static-mathjax`` package on PyPI, Apache-2.0) into
``_static/mathjax`` of the HTML output: the ``tex-chtml.js`` component and the web fonts it loads.
``_config.yml`` points ``mathjax_path`` at ``mathjax/tex-chtml.js`` (relative to ``_static``).
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


def setup(app):
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
