"""Build the book without ever publishing stale outputs.

Jupyter Book caches executed notebooks in ``_build/.jupyter_cache`` keyed by a hash of their code
cells only. A change under ``data/``, ``westgov/`` or ``tableaudit/`` (or in the pinned requirements) leaves the code
cells untouched, so the cache would serve old outputs and Sphinx would not even re-read the page.
:func:`build_book` therefore fingerprints those inputs; when the fingerprint differs from the one
recorded by the last successful build, it drops the execution cache and the doctrees, so that every
chapter is executed and rendered afresh. When nothing changed, the cached build is reused (fast).

Chapters are executed in parallel (:func:`execute_chapters`): each notebook that has no entry in
the execution cache is run with nbclient in a pool of processes (one per CPU), and its outputs are
stored in the same jupyter-cache database that myst-nb reads, so ``jupyter-book build`` finds every
chapter in the cache and only renders. Sphinx starts at the same time: while the pool executes, it
loads its extensions and reads the chapters already done. It waits for each chapter before reading
it (``westgov.book.sphinxext`` watches the marker files named by :data:`MARKERS_ENV`). The pool runs the
longest chapters first (:func:`execution_order`, by the seconds each took when it last ran here,
kept in :data:`TIMINGS`), so that no long chapter starts last and leaves one process idle. A
chapter that fails in the pool is left out of the cache, so Sphinx executes it again and reports
the error in its usual way. A Chinese chapter runs in the kernel of its English twin, right after it
(:func:`twin_jobs`, :mod:`westgov.book.twins`): it does not start and import everything again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from ..paths import BUILD_DIR, DATA_DIR, ROOT

STAMP = BUILD_DIR / ".inputs-sha256"
#: Environment variable naming the folder where the pool marks each chapter done (for Sphinx).
MARKERS_ENV = "WESTGOV_EXECUTION_MARKERS"
#: Marker written when the pool has finished (or given up): Sphinx stops waiting.
ALL_DONE = "ALL.done"
#: Seconds a single cell may run (``execute.timeout`` in ``_config.yml``).
CELL_TIMEOUT = 600
#: Seconds each chapter took when it last ran in the pool (``chapters/x.md`` -> seconds), under the
#: build folder; it only orders the pool (a missing or stale file costs time, never correctness).
TIMINGS = Path(".cache") / "execution-seconds.json"
#: Inputs a chapter's output depends on besides its own code cells.
INPUT_GLOBS = ("data/**/*", "westgov/**/*.py", "westgov/**/*.csv", "westgov/**/*.yml", "tableaudit/**/*.py",
               "requirements.txt", "references.bib",
               "chapters/*.json", "tableaudit/real-tables/**/*")  # results that pages read


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


def _read_chapter(path: Path):
    """The notebook exactly as myst-nb reads it, so that its cache key matches the build's."""
    from myst_nb.core.read import myst_nb_reader_plugin

    return myst_nb_reader_plugin(str(path))


def _execute_one(path: str, timeout: int = CELL_TIMEOUT, lang: str = "en"):
    """Worker: execute one chapter in its own folder, its kernel in language ``lang``
    (:envvar:`WESTGOV_LANG`); (path, notebook, seconds, error text or None)."""
    from jupyter_cache.executors.utils import single_nb_execution

    from ..i18n import ENV

    if lang == "en":
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = lang  # the worker runs one chapter at a time; its kernel inherits this
    notebook = _read_chapter(Path(path))
    result = single_nb_execution(
        notebook, cwd=str(Path(path).parent), timeout=timeout, allow_errors=False, meta_override=True
    )
    return path, notebook, result.time, (result.exc_string if result.err is not None else None)


def _execute_twins(chapters_langs: list[tuple[str, str]], timeout: int = CELL_TIMEOUT):
    """Worker: execute chapters ``[(path, language)]`` (an English chapter, then its Chinese twin) in
    one kernel (:mod:`westgov.book.twins`); a chapter that kernel did not reach (the one before it
    failed) is executed on its own. A list of what :func:`_execute_one` returns, one per chapter."""
    from ..i18n import ENV
    from .twins import execute_in_one_kernel

    first_lang = chapters_langs[0][1]
    if first_lang == "en":
        os.environ.pop(ENV, None)
    else:
        os.environ[ENV] = first_lang  # the kernel starts in the first chapter's language
    items = [(_read_chapter(Path(path)), Path(path).parent.resolve(), lang) for path, lang in chapters_langs]
    out = []
    for (path, lang), run in zip(chapters_langs, execute_in_one_kernel(items, timeout)):
        out.append(_execute_one(path, timeout, lang) if run.notebook is None else (path, run.notebook, run.seconds, run.error))
    return out


def marker_name(docname: str) -> str:
    """File name marking a chapter (Sphinx docname such as ``chapters/data``) as done."""
    return docname.replace("/", "__") + ".done"


@dataclass
class Edition:
    """One book the pool executes: chapters under ``root``, cached in ``cache``, marked done in
    ``markers``, executed in language ``lang``; ``prefix`` keeps its timings apart."""

    root: Path
    cache: Path
    markers: Path | None = None
    lang: str = "en"
    prefix: str = ""


def execute_chapters(root: Path = ROOT, build_dir: Path = BUILD_DIR, workers: int | None = None, markers: Path | None = None, others: list[Edition] = ()) -> dict:
    """Execute every chapter missing from the execution cache, in parallel; store the results.

    Chapters run longest first (:func:`execution_order`); each one's seconds are saved to
    :data:`TIMINGS` for the next build. With ``markers``, a file
    :func:`marker_name` is written there for each chapter once it is cached (or has failed), and
    :data:`ALL_DONE` at the end, whatever happens.
    Returns ``{"executed": [...], "cached": [...], "failed": {path: error}, "seconds": wall time}``.
    """
    try:
        return _execute_chapters(root, build_dir, workers, markers, others)
    finally:
        for edition in [Edition(Path(root), Path(build_dir), markers), *others]:
            if edition.markers is not None:
                (edition.markers / ALL_DONE).touch()


def _mark(markers: Path | None, root: Path, path) -> None:
    if markers is not None:
        (markers / marker_name(Path(path).relative_to(root).with_suffix("").as_posix())).touch()


def _execute_chapters(root: Path, build_dir: Path, workers: int | None, markers: Path | None, others: list[Edition] = ()) -> dict:
    """One pool for the chapters of the book under ``root`` and of the ``others`` (longest first
    over all of them)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    start = time.perf_counter()
    editions = [Edition(Path(root), Path(build_dir) / ".jupyter_cache", markers), *others]
    todo, cached, where = [], [], {}
    for edition in editions:
        cache = get_cache(str(edition.cache))
        empty = not cache.list_cache_records()  # a cold build: nothing to match, no source to parse here
        for path in chapters(edition.root):
            try:
                if empty:
                    raise KeyError(path)
                cache.match_cache_notebook(_read_chapter(path))
                cached.append(str(path))
                _mark(edition.markers, edition.root, path)
            except KeyError:
                todo.append(path)
            where[path] = (edition, cache)
    timings = load_timings(root, build_dir)

    def timing_name(path: Path) -> str:
        edition = where[path][0]
        return edition.prefix + Path(path).relative_to(edition.root).as_posix()

    # One job per kernel (a chapter and its Chinese twin, or one chapter), longest first by the
    # seconds its chapters took last time.
    seconds = {p: timings[timing_name(p)] for p in todo if timing_name(p) in timings}
    jobs = {job[0]: job for job in twin_jobs(todo, where)}
    job_seconds = {first: sum(seconds[p] for p in job) for first, job in jobs.items() if all(p in seconds for p in job)}
    jobs = [jobs[first] for first in execution_order(list(jobs), job_seconds)]
    executed, failed = [], {}
    if todo:
        # Imported once here: the pool's processes are forked from this one and inherit them.
        from jupyter_cache.executors.utils import single_nb_execution  # noqa: F401
        from myst_nb.core.read import myst_nb_reader_plugin  # noqa: F401

        workers = workers or min(len(jobs), os.cpu_count() or 1)
        twins = len(todo) - len(jobs)
        shared = f", {twins} Chinese chapter(s) in their English twin's kernel" if twins else ""
        print(f"Executing {len(todo)} chapter(s) in {workers} process(es){shared}...", flush=True)

        def submit(pool, job):
            if len(job) > 1:
                return pool.submit(_execute_twins, [(str(path), where[path][0].lang) for path in job])
            lang = where[job[0]][0].lang
            return pool.submit(_execute_one, str(job[0])) if lang == "en" else pool.submit(_execute_one, str(job[0]), CELL_TIMEOUT, lang)

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {submit(pool, job): job for job in jobs}
            order = list(futures)
            for future in as_completed(order):
                try:
                    results = future.result()
                    results = results if len(futures[future]) > 1 else [results]
                except Exception as exc:  # a worker that died; the build will execute its chapters
                    failed[f"worker {order.index(future)}"] = f"{type(exc).__name__}: {exc}"
                    continue
                for path, notebook, seconds, error in results:
                    path = Path(path)
                    edition, cache = where[path]
                    name = timing_name(path)
                    if error is not None:
                        failed[name] = error
                        print(f"  {name}: failed after {seconds:.1f} s (the build will report the error)", flush=True)
                        _mark(edition.markers, edition.root, path)
                        continue
                    # Only the parent process writes to the cache database.
                    cache.cache_notebook_bundle(
                        CacheBundleIn(notebook, str(path), data={"execution_seconds": seconds}),
                        check_validity=False,
                        overwrite=True,
                    )
                    executed.append(str(path))
                    timings[name] = round(seconds, 2)
                    _mark(edition.markers, edition.root, path)
                    print(f"  {name}: executed in {seconds:.1f} s", flush=True)
        save_timings(timings, build_dir)
    return {"executed": executed, "cached": cached, "failed": failed, "seconds": time.perf_counter() - start}


def twin_jobs(todo: list[Path], where: dict) -> list[list[Path]]:
    """The pool's jobs: each English chapter with its Chinese twin (the same file name under the
    Chinese edition's root), when both are to be executed, as one job for one kernel
    (:mod:`westgov.book.twins`); every other chapter on its own. ``where[path][0]`` is the
    chapter's :class:`Edition`."""
    def relative(path: Path) -> Path:
        return Path(path).relative_to(where[path][0].root)

    chinese = {relative(p): p for p in todo if where[p][0].lang == "zh"}
    english = {relative(p) for p in todo if where[p][0].lang == "en"}
    jobs = []
    for path in todo:
        lang, name = where[path][0].lang, relative(path)
        if lang == "en" and name in chinese:
            jobs.append([path, chinese[name]])
        elif not (lang == "zh" and name in english):
            jobs.append([path])
    return jobs


def execution_order(paths: list[Path], seconds: dict[Path, float]) -> list[Path]:
    """The pool's order: longest first (longest processing time first, the classic rule for
    finishing a set of jobs on a few processors early).

    ``seconds`` gives each chapter's last execution time; a chapter without one counts as the
    largest known time (a new chapter may be long: better started early). When no time is known
    at all (the first build on a machine), the largest file goes first. Ties keep file-name order.
    """
    known = [seconds[p] for p in paths if p in seconds]
    if not known:
        return sorted(paths, key=lambda p: (-p.stat().st_size, p.name))
    default = max(known)
    return sorted(paths, key=lambda p: (-seconds.get(p, default), p.name))


def load_timings(root: Path = ROOT, build_dir: Path = BUILD_DIR) -> dict[str, float]:
    """Seconds per chapter (``chapters/x.md``) from :data:`TIMINGS` under ``build_dir``; for a new
    build folder of this repository, those of its default build folder; ``{}`` when none or unreadable."""
    for folder in (Path(build_dir), Path(root) / "_build"):
        try:
            data = json.loads((folder / TIMINGS).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            return {str(k): float(v) for k, v in data.items() if isinstance(v, (int, float))}
    return {}


def save_timings(timings: dict[str, float], build_dir: Path = BUILD_DIR) -> None:
    """Write :data:`TIMINGS` (atomically; a read-only folder only loses the ordering hint)."""
    path = Path(build_dir) / TIMINGS
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(dict(sorted(timings.items())), indent=1) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def build_book(strict: bool = True, root: Path = ROOT, build_dir: Path = BUILD_DIR, parallel: bool = True, languages: tuple[str, ...] = ("en", "zh")) -> int:
    """Validate the data, invalidate caches if inputs changed, execute chapters, build the HTML book.

    ``build_dir`` must be called ``_build``; a folder other than the default one is passed to
    ``jupyter-book`` as ``--path-output`` (its parent). Returns the exit code of
    ``jupyter-book build`` (or 1 if the data are invalid).

    With ``"zh"`` in ``languages`` and a ``zh/_toc.yml`` under ``root``, the Chinese edition is
    built too (:mod:`westgov.book.i18n`): its source tree is generated into ``_build/zh-src``, its
    chapters are executed by the same pool with ``WESTGOV_LANG=zh`` (their own execution cache:
    the outputs differ in their labels), a second Sphinx process builds it while the English one
    does, and the site is copied into ``_build/html/zh``.
    """
    # The inputs as they are when the build starts: a file changed while it runs is stale next time.
    digest_at_start = inputs_digest(root)
    was_stale = stale(root, build_dir)
    # The data passed this check in the last successful build; unchanged inputs need no second check.
    problems = []
    if was_stale:
        from .. import data

        problems, _ = data.check(DATA_DIR if root == ROOT else root / "data")
    if problems:
        print("The data are invalid; the book is not built:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    label_problem = label_table_problem() if was_stale else None
    if label_problem:
        print(f"The label table is invalid; the book is not built:\n  - {label_problem}", file=sys.stderr)
        return 1
    extra = []
    if was_stale:
        print("Data, helper code or requirements changed since the last build: re-executing every chapter.")
        for sub in (".jupyter_cache", ".doctrees"):
            shutil.rmtree(build_dir / sub, ignore_errors=True)
        extra.append("--all")
    if Path(build_dir).resolve() != (Path(root) / "_build").resolve():
        if Path(build_dir).name != "_build":
            raise ValueError(f"build folder must be called _build, not {build_dir}")
        extra += ["--path-output", str(Path(build_dir).parent)]
    chapters_stamp = Path(build_dir) / ".chapters-sha256"
    chapters_now = chapters_digest(root)
    unchanged = not was_stale and chapters_stamp.exists() and chapters_stamp.read_text().strip() == chapters_now
    exe = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(exe), "build", str(root), "--builder", "html", *extra]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    zh = None
    if languages and "zh" in languages and (Path(root) / "zh" / "_toc.yml").exists():
        try:
            zh = _prepare_zh(root, build_dir, was_stale, strict, exe)
        except ValueError as err:  # the editions are out of step (a file's code cells)
            print(f"The Chinese edition cannot be built: {err}", file=sys.stderr)
            return 1
    if not parallel or (unchanged and (zh is None or zh["unchanged"])):
        code = subprocess.call(cmd)
        if zh is not None and code == 0:
            code = subprocess.call(zh["cmd"], env={**os.environ, LANG_ENV: "zh"})
    else:
        with tempfile.TemporaryDirectory(prefix="westgov-markers-") as markers, tempfile.TemporaryDirectory(prefix="westgov-markers-zh-") as zh_markers:
            # Sphinx starts now and waits for each chapter before reading it.
            sphinx = subprocess.Popen(cmd, env={**os.environ, MARKERS_ENV: markers})
            others, started = [], [sphinx]
            if zh is not None:
                started.append(subprocess.Popen(zh["cmd"], env={**os.environ, MARKERS_ENV: zh_markers, LANG_ENV: "zh"}))
                others.append(Edition(zh["src"], zh["build"] / ".jupyter_cache", Path(zh_markers), "zh", "zh:"))
            try:
                run = execute_chapters(root, build_dir, markers=Path(markers), **({"others": others} if others else {}))
            except BaseException:
                for process in started:
                    process.terminate()
                    process.wait()
                raise
            if run["executed"] or run["failed"]:
                print(f"Executed {len(run['executed'])} chapter(s) in {run['seconds']:.1f} s; {len(run['failed'])} failed.", flush=True)
            codes = [process.wait() for process in started]
            code = next((c for c in codes if c != 0), 0)
    if code == 0:
        build_dir.mkdir(parents=True, exist_ok=True)
        if zh is not None:
            _publish_zh(zh, build_dir)
        (build_dir / STAMP.name).write_text(digest_at_start + "\n")
        chapters_stamp.write_text(chapters_now + "\n")
    return code


def label_table_problem() -> str | None:
    """What is wrong with ``westgov/labels.csv`` (a row, a label or a sentence pattern; the message
    names file, row or key, and column), read afresh as every chapter will read it; None when
    nothing is. Checked before any chapter runs, so that a bad label is one message, not a
    traceback in each chapter."""
    from .. import i18n

    for cached in (i18n.table, i18n.sentence_patterns):
        cached.cache_clear()
    try:
        i18n.table()
        i18n.sentence_patterns()
    except ValueError as err:
        return str(err)
    return None


#: Environment variable of the output language (:mod:`westgov.i18n`).
LANG_ENV = "WESTGOV_LANG"
#: Where the Chinese edition is published inside the English site.
ZH_SITE = "zh"


def _prepare_zh(root: Path, build_dir: Path, was_stale: bool, strict: bool, exe: Path) -> dict:
    """Write the Chinese source tree (:func:`westgov.book.i18n.write_tree`) into
    ``build_dir/zh-src``; its own execution cache and doctrees are in ``zh-src/_build``.
    Returns the command that builds it and whether its chapters are unchanged."""
    from . import i18n

    src = Path(build_dir) / "zh-src"
    i18n.write_tree(src, Path(root))
    zh_build = src / "_build"
    extra = []
    if was_stale:
        for sub in (".jupyter_cache", ".doctrees"):
            shutil.rmtree(zh_build / sub, ignore_errors=True)
        extra.append("--all")
    cmd = [str(exe), "build", str(src), "--builder", "html", *extra]
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    stamp = zh_build / ".chapters-sha256"
    now = chapters_digest(src) + _digest_of(src / "_config.yml", src / "_toc.yml")
    unchanged = not was_stale and stamp.exists() and stamp.read_text().strip() == now and (Path(build_dir) / "html" / ZH_SITE).exists()
    shutil.rmtree(Path(build_dir) / "html" / ZH_SITE, ignore_errors=True)
    return {"src": src, "build": zh_build, "cmd": cmd, "unchanged": unchanged, "digest": now}


def _digest_of(*paths: Path) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:16]


def _publish_zh(zh: dict, build_dir: Path) -> None:
    """Copy the Chinese site into ``html/zh`` of the English one; record its chapters."""
    target = Path(build_dir) / "html" / ZH_SITE
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(zh["build"] / "html", target)
    (zh["build"] / ".chapters-sha256").write_text(zh["digest"] + "\n")


def chapters_digest(root: Path = ROOT) -> str:
    """SHA-256 over the chapter sources: when it and :func:`inputs_digest` are unchanged since the
    last successful build, every chapter is in the execution cache and the parallel step is skipped."""
    h = hashlib.sha256()
    for path in sorted((Path(root) / "chapters").glob("*.md")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def is_notebook_source(path: Path) -> bool:
    """True for a MyST Markdown notebook: a ``.md`` file whose front matter declares a kernelspec."""
    path = Path(path)
    return path.suffix == ".md" and path.exists() and "kernelspec" in path.read_text(encoding="utf-8")[:600]


def chapters(root: Path = ROOT) -> list[Path]:
    """Chapter sources that are notebooks, in file-name order."""
    return [path for path in sorted((root / "chapters").glob("*.md")) if is_notebook_source(path)]


#: First cell of a Chinese chapter's notebook for nbval: the kernel runs in Chinese, as the build's.
ZH_KERNEL_CELL = 'import os\n\nos.environ["WESTGOV_LANG"] = "zh"  # the Chinese edition (issue 27)'


def export_notebooks(outdir: Path, root: Path = ROOT, languages: tuple[str, ...] = ("en", "zh")) -> list[Path]:
    """Convert every notebook chapter to ``.ipynb`` in ``outdir`` (the ``.md`` stays the source);
    with a Chinese edition, its chapters (:func:`westgov.book.i18n.write_tree`) into ``outdir/zh``,
    each with :data:`ZH_KERNEL_CELL` first."""
    import jupytext
    import nbformat

    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in chapters(root):
        nb = jupytext.read(path)
        target = outdir / (path.stem + ".ipynb")
        jupytext.write(nb, target)
        written.append(target)
    if "zh" in languages and (Path(root) / "zh" / "_toc.yml").exists():
        from . import i18n

        tree = Path(outdir) / ".zh-src"
        i18n.write_tree(tree, Path(root))
        (outdir / "zh").mkdir(exist_ok=True)
        for path in chapters(tree):
            nb = jupytext.read(path)
            nb.cells.insert(0, nbformat.v4.new_code_cell(ZH_KERNEL_CELL))
            target = outdir / "zh" / (path.stem + ".ipynb")
            jupytext.write(nb, target)
            written.append(target)
        shutil.rmtree(tree, ignore_errors=True)
    return written
