"""What ``westgov.book.build`` promises beyond the happy path (found by mutation testing).

* ``build_book`` validates the data only when the inputs changed, and then never starts Sphinx on
  invalid data; it runs ``jupyter-book build`` (next to the running Python) with ``--all`` only
  when stale, ``-W -n --keep-going`` only when strict, ``--path-output`` only for another build
  folder; it clears the execution cache and the doctrees (nothing else) when stale; it skips the
  pool when nothing changed, hands Sphinx the markers folder, stops Sphinx if the pool fails, and
  writes both stamps (with the right digests) only after a successful build.
* ``_execute_chapters`` (run with an in-process pool here): what it prints (flushed at once), how
  many processes it uses, what it caches (chapters sharing their code, chapters with an empty code
  cell), its report of failed chapters and dead workers, its wall time.
* ``_execute_one`` runs a chapter in its own folder and returns its error text.
* ``save_timings`` writes rounded seconds, sorted, one per line, through a temporary file.

Expectations are literals: the digests below were computed by hand with ``hashlib.sha256`` over
``name NUL bytes NUL`` for each file of the tiny book (see :func:`tiny_book`).
"""

from __future__ import annotations

import json
import os
import sys
import types
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

import westgov.data
from westgov.book import build

#: A MyST notebook chapter (as in test_build.py).
CHAPTER = (
    "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
    "    format_version: 0.13\nkernelspec:\n  display_name: Python 3\n  language: python\n"
    "  name: python3\n---\n\n# {title}\n\n```{{code-cell}} ipython3\n{code}\n```\n"
)

#: sha256(b"data/x.csv\0n\n1\n\0requirements.txt\0pandas\n\0") -- the tiny book's inputs.
INPUTS_SHA = "d5d667338573dc428cc7076f59af19b95b0a373217e878adf6feebff9dcede04"
#: sha256(b"a.md\0# A\n\0b.md\0# B\n\0") -- the tiny book's chapters.
CHAPTERS_SHA = "d48cb6c10d89887544b570cb49195c6269079ce7dc40a674c9416ab4305ca94e"
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
STRICT = ["-W", "-n", "--keep-going"]


def tiny_book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "chapters" / "a.md").write_bytes(b"# A\n")
    (root / "chapters" / "b.md").write_bytes(b"# B\n")
    (root / "data" / "x.csv").write_bytes(b"n\n1\n")
    (root / "requirements.txt").write_bytes(b"pandas\n")
    return root


# --- build_book ----------------------------------------------------------------------------------


class Rig:
    """Records what build_book starts: data.check, subprocess.call/Popen, execute_chapters."""

    def __init__(self, monkeypatch, root: Path, build_dir: Path):
        self.root, self.build_dir = root, build_dir
        self.problems: list[str] = []
        self.checked: list[Path] = []
        self.code = 0
        self.calls: list[tuple] = []  # ("call", cmd) or ("popen", cmd, env)
        self.pool_args: list[tuple] = []
        self.pool_error: BaseException | None = None
        self.run = {"executed": [], "cached": [], "failed": {}, "seconds": 0.0}
        self.sphinx_events: list[str] = []
        rig = self

        class Sphinx:
            def __init__(self, cmd, env=None):
                rig.calls.append(("popen", cmd, env))

            def wait(self):
                rig.sphinx_events.append("wait")
                return rig.code

            def terminate(self):
                rig.sphinx_events.append("terminate")

        def call(cmd):
            rig.calls.append(("call", cmd))
            return rig.code

        def check(folder):
            rig.checked.append(folder)
            return list(rig.problems), None

        def execute_chapters(*args, **kwargs):
            markers = kwargs.get("markers")
            rig.pool_args.append((args, kwargs, markers is not None and Path(markers).is_dir()))
            if rig.pool_error is not None:
                raise rig.pool_error
            return rig.run

        monkeypatch.setattr(build, "subprocess", types.SimpleNamespace(call=call, Popen=Sphinx))
        monkeypatch.setattr(westgov.data, "check", check)
        monkeypatch.setattr(build, "execute_chapters", execute_chapters)

    def stamps(self) -> dict[str, str]:
        return {
            name: (self.build_dir / name).read_text()
            for name in (".inputs-sha256", ".chapters-sha256")
            if (self.build_dir / name).exists()
        }

    def stamp_current(self, chapters: str = CHAPTERS_SHA + "\n") -> None:
        self.build_dir.mkdir(parents=True, exist_ok=True)
        (self.build_dir / ".inputs-sha256").write_text(INPUTS_SHA + "\n")
        (self.build_dir / ".chapters-sha256").write_text(chapters)


@pytest.fixture
def rig(monkeypatch, tmp_path):
    root = tiny_book(tmp_path)
    return Rig(monkeypatch, root, root / "_build")


def test_an_invalid_label_table_returns_1_with_one_message_and_never_starts_sphinx(rig, capsys, monkeypatch):
    from westgov import i18n

    def bad_table(path=i18n.TABLE):
        raise ValueError(f"{path}: row 7, column 4: 4 fields where 3 columns are named")

    bad_table.cache_clear = lambda: None
    monkeypatch.setattr(i18n, "table", bad_table)
    assert build.build_book(root=rig.root, build_dir=rig.build_dir) == 1
    _, err = capsys.readouterr()
    assert err == (
        "The label table is invalid; the book is not built:\n"
        f"  - {i18n.TABLE}: row 7, column 4: 4 fields where 3 columns are named\n"
    )
    assert rig.calls == [] and rig.pool_args == [] and rig.stamps() == {}


def test_invalid_data_return_1_print_the_problems_on_stderr_and_never_start_sphinx(rig, capsys):
    rig.problems = ["x.csv: line 2: not a number", "codebook.csv: missing"]
    assert build.build_book(root=rig.root, build_dir=rig.build_dir) == 1
    assert rig.checked == [rig.root / "data"], "the book's own data folder is checked"
    out, err = capsys.readouterr()
    assert err == (
        "The data are invalid; the book is not built:\n"
        "  - x.csv: line 2: not a number\n"
        "  - codebook.csv: missing\n"
    )
    assert "x.csv" not in out
    assert rig.calls == [] and rig.pool_args == [] and rig.stamps() == {}


def test_the_repository_checks_its_data_folder(monkeypatch, tmp_path):
    rig = Rig(monkeypatch, build.ROOT, tmp_path / "_build")
    rig.problems = ["bad"]
    assert build.build_book(root=build.ROOT, build_dir=rig.build_dir) == 1
    assert rig.checked == [build.DATA_DIR]


def test_stale_build_clears_the_caches_executes_all_and_stamps_both_digests(rig, capsys):
    """Strict by default; ``--all`` because the inputs changed; only the execution cache and the
    doctrees go (the timings under ``.cache`` and the HTML stay); both stamps hold the digests."""
    for sub in (".jupyter_cache", ".doctrees", ".cache", "html"):
        (rig.build_dir / sub).mkdir(parents=True)
        (rig.build_dir / sub / "f").write_text("old")
    assert build.build_book(root=rig.root, build_dir=rig.build_dir, parallel=False) == 0
    assert rig.checked == [rig.root / "data"]
    cmd = [JUPYTER_BOOK, "build", str(rig.root), "--builder", "html", "--all", *STRICT]
    assert rig.calls == [("call", cmd)]
    assert sorted(p.name for p in rig.build_dir.iterdir() if p.is_dir()) == [".cache", "html"]
    assert (rig.build_dir / ".cache" / "f").read_text() == "old"
    assert rig.stamps() == {".inputs-sha256": INPUTS_SHA + "\n", ".chapters-sha256": CHAPTERS_SHA + "\n"}
    assert "re-executing every chapter" in capsys.readouterr().out


def test_a_first_build_creates_the_build_folder_for_its_stamps(rig):
    assert not rig.build_dir.exists()
    assert build.build_book(root=rig.root, build_dir=rig.build_dir, parallel=False) == 0
    assert rig.stamps() == {".inputs-sha256": INPUTS_SHA + "\n", ".chapters-sha256": CHAPTERS_SHA + "\n"}


def test_a_lenient_build_drops_the_strict_flags(rig):
    assert build.build_book(strict=False, root=rig.root, build_dir=rig.build_dir, parallel=False) == 0
    assert rig.calls == [("call", [JUPYTER_BOOK, "build", str(rig.root), "--builder", "html", "--all"])]


def test_another_build_folder_is_passed_as_path_output(monkeypatch, tmp_path):
    root = tiny_book(tmp_path)
    rig = Rig(monkeypatch, root, tmp_path / "bench" / "_build")
    rig.build_dir.mkdir(parents=True)
    assert build.build_book(root=root, build_dir=rig.build_dir, parallel=False) == 0
    assert rig.calls == [
        ("call", [JUPYTER_BOOK, "build", str(root), "--builder", "html", "--all",
                  "--path-output", str(tmp_path / "bench"), *STRICT])
    ]
    assert rig.stamps() == {".inputs-sha256": INPUTS_SHA + "\n", ".chapters-sha256": CHAPTERS_SHA + "\n"}
    assert not (root / "_build").exists()


def test_a_failed_build_writes_no_stamp(rig):
    rig.code = 2
    rig.build_dir.mkdir()
    assert build.build_book(root=rig.root, build_dir=rig.build_dir, parallel=False) == 2
    assert rig.stamps() == {}, "the next build must see the inputs as changed again"


def test_a_failed_build_keeps_the_previous_stamps(rig):
    rig.stamp_current(chapters="old chapters\n")
    rig.code = 1
    assert build.build_book(root=rig.root, build_dir=rig.build_dir) == 1
    assert rig.stamps() == {".inputs-sha256": INPUTS_SHA + "\n", ".chapters-sha256": "old chapters\n"}


def test_an_unchanged_build_skips_the_data_check_the_caches_and_the_pool(rig):
    rig.stamp_current()
    (rig.build_dir / ".jupyter_cache").mkdir()
    assert build.build_book(root=rig.root, build_dir=rig.build_dir) == 0
    assert rig.checked == [] and rig.pool_args == []
    assert rig.calls == [("call", [JUPYTER_BOOK, "build", str(rig.root), "--builder", "html", *STRICT])]
    assert (rig.build_dir / ".jupyter_cache").is_dir()


def test_changed_chapters_start_sphinx_with_the_markers_and_run_the_pool(rig, capsys):
    """Sphinx gets the whole environment plus the markers folder the pool writes to."""
    rig.stamp_current(chapters="chapters of the last build\n")
    assert build.build_book(root=rig.root, build_dir=rig.build_dir) == 0
    assert rig.checked == []
    [(kind, cmd, env)] = rig.calls
    assert kind == "popen"
    assert cmd == [JUPYTER_BOOK, "build", str(rig.root), "--builder", "html", *STRICT]
    markers = env[build.MARKERS_ENV]
    assert env["PATH"] == os.environ["PATH"] and set(env) == set(os.environ) | {build.MARKERS_ENV}
    assert Path(markers).name.startswith("westgov-markers-"), "a leftover folder says whose it is"
    assert rig.pool_args == [((rig.root, rig.build_dir), {"markers": Path(markers)}, True)]
    assert not Path(markers).exists(), "the markers folder is removed after the build"
    assert rig.sphinx_events == ["wait"]
    assert rig.stamps() == {".inputs-sha256": INPUTS_SHA + "\n", ".chapters-sha256": CHAPTERS_SHA + "\n"}
    assert "Executed" not in capsys.readouterr().out, "nothing executed: no summary"


def test_the_pool_summary_line(rig, capsys):
    rig.run = {"executed": ["a", "b"], "cached": [], "failed": {"c": "boom"}, "seconds": 3.54}
    rig.code = 1
    assert build.build_book(root=rig.root, build_dir=rig.build_dir) == 1
    assert "Executed 2 chapter(s) in 3.5 s; 1 failed.\n" in capsys.readouterr().out
    assert rig.stamps() == {}


def test_only_failures_still_print_the_summary(rig, capsys):
    rig.run = {"executed": [], "cached": ["a"], "failed": {"c": "boom"}, "seconds": 0.26}
    build.build_book(root=rig.root, build_dir=rig.build_dir)
    assert "Executed 0 chapter(s) in 0.3 s; 1 failed.\n" in capsys.readouterr().out


def test_sphinx_is_stopped_when_the_pool_fails(rig):
    rig.pool_error = KeyboardInterrupt()
    with pytest.raises(KeyboardInterrupt):
        build.build_book(root=rig.root, build_dir=rig.build_dir)
    assert rig.sphinx_events == ["terminate", "wait"]
    assert rig.stamps() == {}


# --- _execute_chapters with an in-process pool --------------------------------------------------


def _read(path) -> object:
    from myst_nb.core.read import myst_nb_reader_plugin

    return myst_nb_reader_plugin(str(path))


class Pool:
    """Stands for ProcessPoolExecutor: runs each job at once, in this process."""

    def __init__(self, log: list, max_workers=None):
        self.log, self.max_workers = log, max_workers
        log.append(("pool", max_workers))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def submit(self, fn, *args):
        self.log.append(("submit", Path(args[0]).name))
        future = Future()
        try:
            future.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001 -- the future carries it, as in a real pool
            future.set_exception(exc)
        return future


class Out:
    """A stdout that remembers what had been written each time it was flushed."""

    def __init__(self):
        self.text, self.flushed = "", []

    def write(self, s):
        self.text += s
        return len(s)

    def flush(self):
        self.flushed.append(self.text)


@pytest.fixture
def pool(monkeypatch):
    """In-process pool, futures handled in submission order; returns its log."""
    log: list = []
    monkeypatch.setattr(build, "ProcessPoolExecutor", lambda max_workers=None: Pool(log, max_workers))
    monkeypatch.setattr(build, "as_completed", lambda futures: list(futures))
    return log


def fake_worker(seconds: dict[str, float], errors: dict[str, str] | None = None, dead: tuple = ()):
    """Stands for _execute_one: the chapter as read, unexecuted, with the given time or error."""

    def run(path, timeout=build.CELL_TIMEOUT):
        name = Path(path).name
        if name in dead:
            raise BrokenProcessPool("A process in the process pool was terminated abruptly")
        return path, _read(path), seconds[name], (errors or {}).get(name)

    return run


def chapter(root: Path, name: str, code: str, pad: int = 0) -> Path:
    path = root / "chapters" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CHAPTER.format(title=name + " " * pad, code=code), encoding="utf-8")
    return path


def test_progress_lines_are_printed_and_flushed_as_chapters_finish(tmp_path, monkeypatch, pool):
    """One line per chapter, flushed at once (the log shows progress while the pool runs); a
    failure does not stop the pool from caching the chapters after it."""
    root = tmp_path / "book"
    chapter(root, "bad.md", "1 / 0", pad=200)  # the largest file: first in a first build
    chapter(root, "ok.md", "x = 1")
    worker = fake_worker({"bad.md": 0.46, "ok.md": 1.234}, {"bad.md": "Error"})
    monkeypatch.setattr(build, "_execute_one", worker)
    monkeypatch.setattr(build.os, "cpu_count", lambda: None)  # unknown: one process
    out = Out()
    monkeypatch.setattr(sys, "stdout", out)
    run = build._execute_chapters(root, root / "_build", None, None)
    lines = [
        "Executing 2 chapter(s) in 1 process(es)...\n",
        "  chapters/bad.md: failed after 0.5 s (the build will report the error)\n",
        "  chapters/ok.md: executed in 1.2 s\n",
    ]
    assert out.text == "".join(lines)
    for i in range(1, 4):
        assert "".join(lines[:i]) in out.flushed, f"line {i} not flushed when printed"
    assert pool == [("pool", 1), ("submit", "bad.md"), ("submit", "ok.md")]
    assert run["executed"] == [str(root / "chapters" / "ok.md")]
    assert run["failed"] == {"chapters/bad.md": "Error"}
    timings = json.loads((root / "_build" / build.TIMINGS).read_text(encoding="utf-8"))
    assert timings == {"chapters/ok.md": 1.23}


def test_the_pool_has_one_process_per_chapter_up_to_the_cpus(tmp_path, monkeypatch, pool, capsys):
    root = tmp_path / "book"
    for name in ("a.md", "b.md"):
        chapter(root, name, f"print('{name}')")
    monkeypatch.setattr(build, "_execute_one", fake_worker({"a.md": 1.0, "b.md": 1.0}))
    monkeypatch.setattr(build.os, "cpu_count", lambda: 8)
    build._execute_chapters(root, root / "_build", None, None)
    assert pool[0] == ("pool", 2)
    assert capsys.readouterr().out.startswith("Executing 2 chapter(s) in 2 process(es)...\n")


def test_a_dead_worker_is_reported_by_its_place_in_the_pool(tmp_path, monkeypatch, pool):
    root = tmp_path / "book"
    chapter(root, "a.md", "x = 1", pad=100)
    chapter(root, "b.md", "x = 2")
    monkeypatch.setattr(build, "_execute_one", fake_worker({"a.md": 1.0, "b.md": 1.0}, dead=("b.md",)))
    run = build._execute_chapters(root, root / "_build", 2, None)
    died = "BrokenProcessPool: A process in the process pool was terminated abruptly"
    assert run["failed"] == {"worker 1": died}
    assert run["executed"] == [str(root / "chapters" / "a.md")]


def test_the_cache_keeps_each_chapter_with_its_seconds_even_when_two_share_their_code(
    tmp_path, monkeypatch, pool
):
    """Two chapters with the same code cells have one cache key: the second overwrites the first
    rather than failing, and both are found in the cache afterwards."""
    from jupyter_cache import get_cache

    root = tmp_path / "book"
    chapter(root, "a.md", "x = 1", pad=100)
    chapter(root, "b.md", "x = 1")
    monkeypatch.setattr(build, "_execute_one", fake_worker({"a.md": 1.5, "b.md": 2.5}))
    first = build._execute_chapters(root, root / "_build", 2, None)
    assert first["executed"] == [str(root / "chapters" / n) for n in ("a.md", "b.md")]
    [record] = get_cache(str(root / "_build" / ".jupyter_cache")).list_cache_records()
    assert record.data == {"execution_seconds": 2.5} and record.uri == str(root / "chapters" / "b.md")
    second = build._execute_chapters(root, root / "_build", 2, None)
    assert second["executed"] == []
    assert second["cached"] == [str(root / "chapters" / n) for n in ("a.md", "b.md")]


def test_the_wall_time_is_the_elapsed_time(tmp_path, monkeypatch):
    ticks = iter([100.0, 103.5])
    monkeypatch.setattr(build, "time", types.SimpleNamespace(perf_counter=lambda: next(ticks)))
    (tmp_path / "book" / "chapters").mkdir(parents=True)
    run = build._execute_chapters(tmp_path / "book", tmp_path / "book" / "_build", None, None)
    assert run == {"executed": [], "cached": [], "failed": {}, "seconds": 3.5}


def test_a_really_executed_chapter_with_an_empty_code_cell_is_cached(tmp_path, pool):
    """nbclient leaves an empty code cell unnumbered, which jupyter-cache's validity check would
    reject: the chapter must still be cached, with its outputs, executed in its own folder."""
    from jupyter_cache import get_cache

    root = tmp_path / "book"
    # a chapter whose second code cell is empty:
    code = "from pathlib import Path\nprint(Path.cwd().name)\n```\n\n```{code-cell} ipython3\n"
    path = chapter(root, "one.md", code)
    run = build._execute_chapters(root, root / "_build", 1, None)
    assert run["failed"] == {} and run["executed"] == [str(path)]
    cache = get_cache(str(root / "_build" / ".jupyter_cache"))
    _, merged = cache.merge_match_into_notebook(_read(path))
    outputs = [o for cell in merged.cells if cell.cell_type == "code" for o in cell.outputs]
    assert [o["text"] for o in outputs] == ["chapters\n"]
    assert 0 < build.load_timings(root, root / "_build")["chapters/one.md"] < 60


# --- _execute_one ---------------------------------------------------------------------------------


def test_execute_one_returns_the_error_text_of_a_failing_chapter(tmp_path):
    path = chapter(tmp_path, "bad.md", "print('before')\n1 / 0")
    got, notebook, seconds, error = build._execute_one(str(path))
    assert got == str(path) and seconds > 0
    assert "ZeroDivisionError" in error
    assert notebook.cells[1].outputs[0]["text"] == "before\n", "the notebook returned is the executed one"


# --- small helpers --------------------------------------------------------------------------------


def test_marker_names(tmp_path):
    assert build.marker_name("chapters/data") == "chapters__data.done"
    assert build.marker_name("index") == "index.done"


def test_save_timings_writes_rounded_sorted_seconds_one_per_line(tmp_path):
    build.save_timings({"chapters/b.md": 2.0, "chapters/a.md": 1.25}, tmp_path)
    text = (tmp_path / ".cache" / "execution-seconds.json").read_text(encoding="utf-8")
    assert text == '{\n "chapters/a.md": 1.25,\n "chapters/b.md": 2.0\n}\n'


def test_save_timings_replaces_a_leftover_temporary_file(tmp_path):
    """The file is written beside it and renamed: an interrupted save leaves no trace after the next."""
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "execution-seconds.tmp").write_text("{", encoding="utf-8")
    build.save_timings({"chapters/a.md": 1.0}, tmp_path)
    assert sorted(p.name for p in (tmp_path / ".cache").iterdir()) == ["execution-seconds.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_save_timings_in_a_read_only_folder_does_not_raise(tmp_path):
    """The timings only order the pool: failing to save them must not fail the build."""
    tmp_path.chmod(0o500)
    try:
        build.save_timings({"chapters/a.md": 1.0}, tmp_path)
    finally:
        tmp_path.chmod(0o700)
    assert not (tmp_path / ".cache").exists()


def test_save_timings_where_the_cache_folder_cannot_be_made_does_not_raise(tmp_path):
    (tmp_path / ".cache").write_text("a file where the folder should be", encoding="utf-8")
    build.save_timings({"chapters/a.md": 1.0}, tmp_path)
    assert (tmp_path / ".cache").read_text(encoding="utf-8") == "a file where the folder should be"


def test_inputs_digest_ignores_pycache_folders(tmp_path):
    root = tmp_path / "book"
    (root / "data" / "__pycache__").mkdir(parents=True)
    (root / "data" / "x.csv").write_bytes(b"n\n1\n")
    (root / "data" / "__pycache__" / "x.cpython-312.pyc").write_bytes(b"\x00compiled")
    # sha256(b"data/x.csv\0n\n1\n\0"): the compiled file is not an input
    assert build.inputs_digest(root) == "a8bc40ea856fa706a152866b7c6235b40cbff5f936cf10c6630ec4ab246ee515"


def test_only_the_first_600_characters_can_make_a_notebook(tmp_path):
    """A prose page that mentions ``kernelspec`` further down is not a notebook."""
    inside, outside = tmp_path / "in.md", tmp_path / "out.md"
    inside.write_text("x" * 590 + "kernelspec", encoding="utf-8")  # ends at character 600
    outside.write_text("x" * 591 + "kernelspec", encoding="utf-8")
    assert build.is_notebook_source(inside) and not build.is_notebook_source(outside)


def test_export_notebooks_into_an_existing_folder(tmp_path):
    root = tmp_path / "book"
    chapter(root, "one.md", "x = 1")
    (tmp_path / "nb").mkdir()
    assert build.export_notebooks(tmp_path / "nb", root) == [tmp_path / "nb" / "one.ipynb"]
    assert (tmp_path / "nb" / "one.ipynb").exists()
