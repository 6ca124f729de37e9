"""Chapter code cells are formatted by ruff at 88 columns (issue 15, item 3).

Each notebook chapter is converted with jupytext to a notebook (``.ipynb``) in a temporary folder
and checked with ``ruff format --check``, which formats a notebook cell by cell (magics included);
``jupytext --pipe-fmt ipynb --pipe "ruff format --line-length 88 {}" chapters/NAME.md`` fixes a
chapter the same way. (A ``py:percent`` script would be stricter than any chapter can be: ruff
wants two blank lines before a cell that starts with ``def``, which jupytext does not keep.) Ruff does not split long strings or comments, so every line of every code
cell is also checked against 88 columns. Markdown cells are prose and are not checked.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

from westgov.book.build import chapters

LINE_LENGTH = 88
RUFF = [sys.executable, "-m", "ruff"]
CHAPTERS = chapters()


def _ruff_format_diff(script: Path) -> str:
    """Ruff's diff for ``script`` ('' when already formatted); isolated from any project config."""
    cmd = [*RUFF, "format", "--isolated", "--no-cache", "--line-length", str(LINE_LENGTH), "--diff", str(script)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError(f"ruff failed on {script.name}: {done.stderr.strip()}")
    return done.stdout if done.returncode == 1 else ""


def long_lines(path: Path, limit: int = LINE_LENGTH) -> list[str]:
    """``cell N, line M (L columns)`` for every code-cell line longer than ``limit``."""
    notebook = jupytext.read(path)
    found = []
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code_cells, start=1):
        for line_number, line in enumerate(cell.source.splitlines(), start=1):
            if len(line) > limit:
                found.append(f"code cell {number}, line {line_number} ({len(line)} columns): {line.strip()[:60]}")
    return found


def unformatted(path: Path, workdir: Path) -> str:
    """Ruff's diff for the chapter's code cells, checked as a notebook ('' when formatted)."""
    notebook = workdir / f"{path.stem}.ipynb"
    jupytext.write(jupytext.read(path), notebook, fmt="ipynb")
    return _ruff_format_diff(notebook)


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_code_cells_are_ruff_formatted(path, tmp_path):
    diff = unformatted(path, tmp_path)
    assert diff == "", (
        f"{path.name}: code cells are not ruff-formatted at {LINE_LENGTH} columns; run\n"
        f'  .venv/bin/jupytext --pipe-fmt ipynb --pipe ".venv/bin/ruff format --line-length {LINE_LENGTH} {{}}" {path}\n'
        f"{diff[:3000]}"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_code_line_longer_than_88(path):
    found = long_lines(path)
    assert found == [], f"{path.name}: lines over {LINE_LENGTH} columns:\n" + "\n".join(found)


# Guards: the checks above must catch what they are meant to catch.

HEADER = (
    "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
    "    format_version: 0.13\nkernelspec:\n  display_name: Python 3\n  language: python\n"
    "  name: python3\n---\n\n"
)


def test_check_catches_unformatted_code(tmp_path):
    chapter = tmp_path / "planted.md"
    chapter.write_text(
        HEADER +
        "# Planted\n\n```{code-cell} ipython3\nx = {'a':1,   'b':2}\n```\n",
        encoding="utf-8",
    )
    work = tmp_path / "work"
    work.mkdir()
    assert "x = {'a':1,   'b':2}" in unformatted(chapter, work)


def test_check_passes_formatted_code_and_flags_long_lines(tmp_path):
    long_string = 's = "' + "x" * 100 + '"'
    chapter = tmp_path / "planted.md"
    chapter.write_text(
        HEADER
        + "A markdown line that is longer than eighty-eight columns is prose and is not checked at all.\n\n"
        + f'```{{code-cell}} ipython3\nx = {{"a": 1, "b": 2}}\n{long_string}\n```\n',
        encoding="utf-8",
    )
    work = tmp_path / "work"
    work.mkdir()
    assert unformatted(chapter, work) == ""
    assert long_lines(chapter) == ["code cell 1, line 2 (106 columns): " + long_string[:60]]
