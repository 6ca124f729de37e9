"""Notebooks that run anywhere: launch buttons (Colab, Binder) and stand-alone downloads.

**Where the buttons point.** ``_config.yml`` names the published repository and, in
``html_theme_options``, the branch ``notebooks`` and the launch services. sphinx-book-theme builds
Binder and Colab links to ``<branch>/chapters/<page>.ipynb``; that branch holds the generated
notebooks (the ``.md`` files stay the single source on ``main``). :func:`write_launch_tree` writes
what the branch holds: the repository's files, every chapter as ``.ipynb`` (with the set-up cell
below), every translated Chinese chapter as ``zh/chapters/<page>.ipynb`` (its set-up cell sets
``WESTGOV_LANG=zh``, so that the code prints and draws Chinese labels) and a ``binder/`` folder for
mybinder.org. On a translated Chinese page the buttons open ``<branch>/zh/chapters/<page>.ipynb``;
an untranslated Chinese page (a copy of the English one) opens the English notebook. ``python -m westgov.book.launch _build/launch``
writes it; the workflow ``.github/workflows/notebooks.yml`` (or ``make launch-branch``) pushes it.

**Stand-alone notebooks.** A chapter imports the helpers in ``westgov`` and reads ``data/``. Each
generated or downloaded notebook starts with a set-up cell (:data:`SETUP_CELL`). Inside the
repository, or wherever ``westgov`` with its data folder is importable, it does nothing. Elsewhere
(Colab, a downloaded file in an empty folder) it fetches the repository archive into
``~/westgov-book``, installs ``westgov`` from it (editable, so ``data/`` comes along) and the
libraries the chapters import that are missing, with the versions pinned in ``requirements.txt``.
``WESTGOV_SOURCE`` overrides the archive's address (tests use a local archive).

**Sphinx extension.** :func:`setup` runs after the theme has built its launch buttons: it points
them at the ``.ipynb`` (the theme links the ``.md`` source, which Colab cannot open) and rewrites
the page's ``.ipynb`` download (the theme copies one without outputs over it) as the cached
notebook plus the set-up cell.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from ..paths import ROOT

#: The repository archive the set-up cell downloads (the ``main`` branch of the published repository).
ARCHIVE_URL = "https://github.com/westgov/westgov-book/archive/refs/heads/main.tar.gz"
#: Libraries the chapters and ``westgov`` import at run time: (import name, name in requirements.txt).
RUNTIME_PACKAGES = (
    ("numpy", "numpy"),
    ("pandas", "pandas"),
    ("scipy", "scipy"),
    ("statsmodels", "statsmodels"),
    ("matplotlib", "matplotlib"),
    ("seaborn", "seaborn"),
    ("pandera", "pandera"),
    ("shapely", "shapely"),
    ("myst_nb", "myst-nb"),
)
SETUP_TAG = "westgov-setup"

SETUP_CELL = f'''\
# Set-up for running this notebook outside the book's repository (Colab, Binder, a download).
# Inside the repository, or where `westgov` and its data are installed, it does nothing.
import importlib.util
import os
import sys
from pathlib import Path
{{language}}

def _westgov_ready():
    spec = importlib.util.find_spec("westgov")
    return spec is not None and (Path(spec.origin).parents[1] / "data").is_dir()


if not _westgov_ready():
    import subprocess
    import tarfile
    import urllib.request

    home = Path(os.environ.get("WESTGOV_HOME", Path.home() / "westgov-book"))
    if not (home / "pyproject.toml").exists():
        home.parent.mkdir(parents=True, exist_ok=True)
        source = os.environ.get("WESTGOV_SOURCE", "{ARCHIVE_URL}")
        print(f"Fetching the book's code and data from {{source}} into {{home}}")
        archive, _ = urllib.request.urlretrieve(source)
        with tarfile.open(archive) as tar:
            top = tar.getmembers()[0].name.split("/")[0]
            try:
                tar.extractall(home.parent, filter="data")
            except TypeError:  # Python without extraction filters
                tar.extractall(home.parent)
        (home.parent / top).rename(home)
    pins = dict(
        line.strip().split("==", 1)
        for line in (home / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    needed = {RUNTIME_PACKAGES!r}
    missing = [
        f"{{dist}}=={{pins[dist]}}" if dist in pins else dist
        for module, dist in needed
        if importlib.util.find_spec(module) is None
    ]
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--ignore-requires-python"]
    subprocess.check_call([*pip, *missing, "--editable", str(home / "tableaudit"), "--editable", str(home)])
    sys.path.insert(0, str(home))  # the editable install takes effect at the next start
    importlib.invalidate_caches()
'''


#: What the set-up cell of a notebook in each language adds (before ``westgov`` is imported).
LANGUAGE_LINES = {
    "en": "",
    "zh": '\n# The Chinese edition: westgov prints and draws Chinese labels.\nos.environ["WESTGOV_LANG"] = "zh"\n',
}


def setup_source(lang: str = "en") -> str:
    """The set-up cell's source for a notebook in ``lang`` (``"en"`` or ``"zh"``)."""
    return SETUP_CELL.replace("{language}", LANGUAGE_LINES[lang])


def setup_cell(lang: str = "en"):
    """The set-up cell as an nbformat code cell, input hidden, tagged ``westgov-setup``."""
    import nbformat

    cell = nbformat.v4.new_code_cell(setup_source(lang))
    cell.metadata["tags"] = [SETUP_TAG, "hide-input"]
    cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


def with_setup_cell(notebook, lang: str = "en"):
    """The notebook with the set-up cell (for ``lang``) as its first cell (once)."""
    cells = [c for c in notebook.cells if SETUP_TAG not in c.get("metadata", {}).get("tags", [])]
    notebook.cells = [setup_cell(lang), *cells]
    return notebook


def standalone_notebook(md_path: Path, lang: str = "en"):
    """A chapter's MyST source as a notebook that runs outside the repository."""
    import jupytext

    return with_setup_cell(jupytext.read(md_path), lang)


def zh_standalone_notebook(page: str, root: Path = ROOT):
    """The Chinese page ``page`` (``chapters/x``) as it is built (Chinese prose, the English code
    cells) as a notebook that runs with Chinese labels outside the repository."""
    import jupytext

    from .i18n import page_source

    return with_setup_cell(jupytext.reads(page_source(page, root), fmt="md:myst"), "zh")


def export_standalone(outdir: Path, root: Path = ROOT) -> list[Path]:
    """Write every notebook chapter as ``outdir/chapters/<name>.ipynb`` with the set-up cell, and
    every translated one as ``outdir/zh/chapters/<name>.ipynb`` with the Chinese set-up cell."""
    import nbformat

    from .build import chapters, is_notebook_source

    written = []
    for path in chapters(root):
        target = Path(outdir) / "chapters" / f"{path.stem}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(standalone_notebook(path), str(target))
        written.append(target)
    from .i18n import ZH, translated

    for page in translated(root):
        if not is_notebook_source(Path(root) / f"{page}.md"):
            continue
        target = Path(outdir) / ZH / f"{page}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(zh_standalone_notebook(page, root), str(target))
        written.append(target)
    return written


BINDER_FILES = {
    "runtime.txt": "python-3.11\n",
    # repo2docker installs requirements.txt from the repository root, then runs postBuild.
    "requirements.txt": "-r ../requirements.txt\n",
    "postBuild": "#!/bin/bash\nset -e\npip install --no-deps -e ./tableaudit -e .\n",
}


def write_launch_tree(outdir: Path, root: Path = ROOT) -> Path:
    """Write the content of the ``notebooks`` branch: tracked files, notebooks, ``binder/``."""
    outdir = Path(outdir)
    if outdir.exists():
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True)
    tracked = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z"], check=True, capture_output=True
    ).stdout.decode().split("\0")
    for rel in filter(None, tracked):
        src = root / rel
        if src.is_file():
            (outdir / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, outdir / rel)
    export_standalone(outdir, root)
    binder = outdir / "binder"
    binder.mkdir()
    for name, text in BINDER_FILES.items():
        (binder / name).write_text(text)
    (binder / "postBuild").chmod(0o755)
    return outdir


# --- Sphinx extension -----------------------------------------------------------------------


def build_language(app) -> str:
    """``"zh"`` when Sphinx builds the Chinese edition (``language: zh_CN``), else ``"en"``."""
    return "zh" if (app.config.language or "").startswith("zh") else "en"


def launch_path(app, pagename: str, source: Path) -> str:
    """The notebook a page's buttons open, relative to the branch: ``chapters/x.ipynb``, or
    ``zh/chapters/x.ipynb`` for a translated page of the Chinese edition."""
    from .i18n import UNTRANSLATED, ZH

    if build_language(app) == "zh" and UNTRANSLATED not in source.read_text(encoding="utf-8"):
        return f"{ZH}/{pagename}.ipynb"
    return f"{pagename}.ipynb"


def fix_launch_buttons(app, pagename, templatename, context, doctree) -> None:
    """Point the theme's launch links at the generated ``.ipynb``; rewrite the download notebook."""
    from .build import is_notebook_source

    source = Path(app.srcdir) / f"{pagename}.md"
    if not is_notebook_source(source):
        return
    buttons = context.get("header_buttons", [])
    launch = [group for group in buttons if group.get("label") == "launch-buttons"]
    target_path = launch_path(app, pagename, source)
    for group in launch:
        for button in group.get("buttons", []):
            url = button.get("url", "")
            # Colab: .../blob/<branch>/chapters/x.md; Binder: ...?urlpath=lab/tree/chapters/x.md
            button["url"] = url.replace(f"{pagename}.md", target_path)
    # After the download menu, so that the page's first link to a .ipynb is its own download.
    buttons[:] = [group for group in buttons if group not in launch] + launch
    if app.builder.format == "html" and context.get("ipynb_source"):
        import nbformat

        from .sphinxext import notebook_for_download

        target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        lang = "zh" if target_path.startswith("zh/") else "en"
        nbformat.write(with_setup_cell(notebook_for_download(app, pagename), lang), str(target))


def setup(app):
    # The theme adds its launch buttons at priority 501 (and copies its own notebook download).
    app.connect("html-page-context", fix_launch_buttons, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m westgov.book.launch OUTDIR", file=sys.stderr)
        return 2
    out = write_launch_tree(Path(argv[0]))
    print(f"wrote {out} ({len(list((out / 'chapters').glob('*.ipynb')))} notebooks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
