"""Build the book without ever publishing stale outputs.

Jupyter Book caches executed notebooks in ``_build/.jupyter_cache`` keyed by a hash of their code
cells only. A change under ``data/`` or ``westgov/`` (or in the pinned requirements) leaves the code
cells untouched, so the cache would serve old outputs and Sphinx would not even re-read the page.
:func:`build_book` therefore fingerprints those inputs; when the fingerprint differs from the one
recorded by the last successful build, it drops the execution cache and the doctrees, so that every
chapter is executed and rendered afresh. When nothing changed, the cached build is reused (fast).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

from .paths import BUILD_DIR, DATA_DIR, ROOT

STAMP = BUILD_DIR / ".inputs-sha256"
#: Inputs a chapter's output depends on besides its own code cells.
INPUT_GLOBS = ("data/**/*", "westgov/**/*.py", "requirements.txt", "references.bib")


def inputs_digest(root: Path = ROOT) -> str:
    """SHA-256 over the names and bytes of every input file in :data:`INPUT_GLOBS`."""
    h = hashlib.sha256()
    files = sorted({p for g in INPUT_GLOBS for p in root.glob(g) if p.is_file() and "__pycache__" not in p.parts})
    for path in files:
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def stale(root: Path = ROOT, build_dir: Path = BUILD_DIR) -> bool:
    """True when the inputs changed since the last successful build (or there was none)."""
    stamp = build_dir / STAMP.name
    return not stamp.exists() or stamp.read_text().strip() != inputs_digest(root)


def build_book(strict: bool = True, root: Path = ROOT, build_dir: Path = BUILD_DIR) -> int:
    """Validate the data, invalidate caches if inputs changed, and build the HTML book.

    Returns the exit code of ``jupyter-book build`` (or 1 if the data are invalid).
    """
    from . import data

    problems, _ = data.check(DATA_DIR if root == ROOT else root / "data")
    if problems:
        print("The data are invalid; the book is not built:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    extra = []
    if stale(root, build_dir):
        print("Data, helper code or requirements changed since the last build: re-executing every chapter.")
        for sub in (".jupyter_cache", ".doctrees"):
            shutil.rmtree(build_dir / sub, ignore_errors=True)
        extra.append("--all")
    exe = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(exe), "build", str(root), "--builder", "html", *extra]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    code = subprocess.call(cmd)
    if code == 0:
        build_dir.mkdir(parents=True, exist_ok=True)
        (build_dir / STAMP.name).write_text(inputs_digest(root) + "\n")
    return code


def is_notebook_source(path: Path) -> bool:
    """True for a MyST Markdown notebook: a ``.md`` file whose front matter declares a kernelspec."""
    path = Path(path)
    return path.suffix == ".md" and path.exists() and "kernelspec" in path.read_text(encoding="utf-8")[:600]


def chapters(root: Path = ROOT) -> list[Path]:
    """Chapter sources that are notebooks, in file-name order."""
    return [path for path in sorted((root / "chapters").glob("*.md")) if is_notebook_source(path)]


def export_notebooks(outdir: Path, root: Path = ROOT) -> list[Path]:
    """Convert every notebook chapter to ``.ipynb`` in ``outdir`` (the ``.md`` stays the source)."""
    import jupytext

    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in chapters(root):
        nb = jupytext.read(path)
        target = outdir / (path.stem + ".ipynb")
        jupytext.write(nb, target)
        written.append(target)
    return written
