"""Book-building helpers: stale-output detection and notebook export."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from westgov.book import build
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


CHAPTER = (
    "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
    "    format_version: 0.13\nkernelspec:\n  display_name: Python 3\n  language: python\n"
    "  name: python3\n---\n\n# {title}\n\n```{{code-cell}} ipython3\n{code}\n```\n"
)


def test_chapters_execute_in_parallel_into_the_cache_myst_nb_reads(tmp_path):
    """Executed once in a pool, found in the cache afterwards under myst-nb's own reading of the
    source (so ``jupyter-book build`` only renders); a failing chapter is reported, not cached."""
    from jupyter_cache import get_cache

    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "chapters" / "one.md").write_text(CHAPTER.format(title="One", code="from pathlib import Path\nprint(Path.cwd().name)"), encoding="utf-8")
    (root / "chapters" / "two.md").write_text(CHAPTER.format(title="Two", code="x = 6 * 7\nx"), encoding="utf-8")
    (root / "chapters" / "bad.md").write_text(CHAPTER.format(title="Bad", code="1 / 0"), encoding="utf-8")
    build_dir = root / "_build"
    markers = tmp_path / "markers"
    markers.mkdir()
    first = build.execute_chapters(root, build_dir, workers=2, markers=markers)
    timed = build.load_timings(root, build_dir)
    assert set(timed) == {"chapters/one.md", "chapters/two.md"} and all(s > 0 for s in timed.values()), "each executed chapter's seconds are kept for the next build's order"
    assert sorted(p.name for p in markers.iterdir()) == sorted(
        [build.ALL_DONE] + [build.marker_name(f"chapters/{n}") for n in ("bad", "one", "two")]
    ), "Sphinx waits for one marker per chapter, failed ones included"
    assert sorted(Path(p).name for p in first["executed"]) == ["one.md", "two.md"]
    assert list(first["failed"]) == ["chapters/bad.md"] and "ZeroDivisionError" in first["failed"]["chapters/bad.md"]
    cache = get_cache(str(build_dir / ".jupyter_cache"))
    _, merged = cache.merge_match_into_notebook(build._read_chapter(root / "chapters" / "one.md"))
    outputs = [o for cell in merged.cells if cell.cell_type == "code" for o in cell.outputs]
    assert outputs and outputs[0]["text"].strip() == "chapters", "chapters run in their own folder"
    second = build.execute_chapters(root, build_dir, workers=2)
    assert second["executed"] == [] and sorted(Path(p).name for p in second["cached"]) == ["one.md", "two.md"]
    assert list(second["failed"]) == ["chapters/bad.md"]


def test_build_folder_must_be_called_build(tmp_path):
    import pytest

    with pytest.raises(ValueError, match="must be called _build"):
        build.build_book(root=ROOT, build_dir=tmp_path / "out", parallel=False)


def _sized(folder: Path, sizes: dict[str, int]) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, size in sizes.items():
        paths[name] = folder / f"{name}.md"
        paths[name].write_text("x" * size, encoding="utf-8")
    return paths


def test_pool_runs_the_longest_chapter_first_by_its_last_time(tmp_path):
    """Longest processing time first: a long chapter started last would leave a process idle."""
    p = _sized(tmp_path, {"a": 10, "b": 30, "c": 20, "d": 5})
    seconds = {p["a"]: 1.0, p["b"]: 2.0, p["c"]: 9.5, p["d"]: 9.6}
    assert build.execution_order(list(p.values()), seconds) == [p["d"], p["c"], p["b"], p["a"]]
    # A chapter never timed (new) counts as the longest known time: it goes with the long ones.
    del seconds[p["c"]]
    assert build.execution_order(list(p.values()), seconds)[:2] == [p["c"], p["d"]]


def test_first_build_orders_by_file_size_then_name(tmp_path):
    p = _sized(tmp_path, {"a": 10, "b": 30, "c": 30, "d": 5})
    assert build.execution_order(list(p.values()), {}) == [p["b"], p["c"], p["a"], p["d"]]


def test_timings_round_trip_and_fall_back_to_the_repository_build(tmp_path):
    root = tmp_path / "book"
    other = tmp_path / "bench" / "_build"
    assert build.load_timings(root, other) == {}, "no timings anywhere: nothing known"
    build.save_timings({"chapters/a.md": 3.5}, root / "_build")
    assert build.load_timings(root, other) == {"chapters/a.md": 3.5}, "a new build folder uses the repository's"
    build.save_timings({"chapters/a.md": 1.25, "chapters/b.md": 2.0}, other)
    assert build.load_timings(root, other) == {"chapters/a.md": 1.25, "chapters/b.md": 2.0}
    (other / build.TIMINGS).write_text("{not json", encoding="utf-8")
    assert build.load_timings(root, other) == {"chapters/a.md": 3.5}, "an unreadable file is skipped"
