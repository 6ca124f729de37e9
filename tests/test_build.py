"""Book-building helpers: stale-output detection and notebook export."""

from __future__ import annotations

import shutil

import nbformat

from westgov import build
from westgov.paths import ROOT


def _mini_root(tmp_path):
    root = tmp_path / "book"
    for sub in ("data", "westgov", "chapters"):
        shutil.copytree(ROOT / sub, root / sub, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "requirements.txt", root / "requirements.txt")
    return root


def test_digest_changes_when_one_data_value_changes(tmp_path):
    root = _mini_root(tmp_path)
    before = build.inputs_digest(root)
    path = root / "data" / "raw" / "official_2020.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("1902.74", "1902.75"), encoding="utf-8")
    assert build.inputs_digest(root) != before


def test_digest_changes_when_helper_code_changes(tmp_path):
    root = _mini_root(tmp_path)
    before = build.inputs_digest(root)
    with open(root / "westgov" / "models.py", "a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert build.inputs_digest(root) != before


def test_digest_ignores_chapters(tmp_path):
    """Chapter edits are tracked by Jupyter Book's own cache, not by the fingerprint."""
    root = _mini_root(tmp_path)
    before = build.inputs_digest(root)
    with open(root / "chapters" / "model.md", "a", encoding="utf-8") as fh:
        fh.write("\nMore prose.\n")
    assert build.inputs_digest(root) == before


def test_stale_until_a_stamp_is_written(tmp_path):
    root = _mini_root(tmp_path)
    build_dir = tmp_path / "_build"
    assert build.stale(root, build_dir)
    build_dir.mkdir()
    (build_dir / build.STAMP.name).write_text(build.inputs_digest(root) + "\n")
    assert not build.stale(root, build_dir)
    path = root / "data" / "codebook.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build.stale(root, build_dir)


def test_every_notebook_chapter_exports_to_valid_ipynb(tmp_path):
    written = build.export_notebooks(tmp_path / "nb")
    assert {p.stem for p in written} >= {"preface", "model", "data"}
    for path in written:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert any(cell.cell_type == "code" for cell in nb.cells)
