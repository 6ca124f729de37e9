"""Execute a chapter and its Chinese twin in one kernel (issue 27: the Chinese edition's cost).

The two editions run the same code cells; only the language of the labels differs
(:envvar:`WESTGOV_LANG`). Most of a chapter's execution time is the kernel's start and the imports of
its first cell (pandas, statsmodels, matplotlib, the study's packages), and the study's caches
(the findings ledger, the audit's ranges) are kept in the kernel's memory. So the build executes
each English chapter and then, in the same kernel, its Chinese twin, instead of starting a second
kernel that imports and computes everything again.

Between the two, the kernel is put back to the state a new kernel would give the second chapter
(:func:`reset_code`): the user's names are deleted (``%reset -f``), figures closed, matplotlib's
settings and the warning filters restored to what they were before the first chapter ran
(:data:`SNAPSHOT_CODE`), the working folder and the language set, and the study's import-time
language set-up run again (``westgov._set_up_language``). Modules stay imported: that is the saving.
``tests/book/test_twins.py`` executes chapters both ways and requires the same outputs.

Only English-then-Chinese is supported: the Chinese set-up changes seaborn's styles for good, and
nothing here undoes that.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path

#: Run silently before the first chapter: what a chapter may change, saved in a module that
#: ``%reset`` does not touch.
SNAPSHOT_CODE = """
import sys as _sys, types as _types, warnings as _warnings
import matplotlib as _mpl
import matplotlib.pyplot as _plt
_state = _types.ModuleType("_westgov_kernel_state")
_state.rc = dict(_mpl.rcParams)
_state.filters = list(_warnings.filters)
_sys.modules["_westgov_kernel_state"] = _state
del _sys, _types, _warnings, _mpl, _plt, _state
"""

#: The languages in the order one kernel may run them.
ORDER = ("en", "zh")


def reset_code(lang: str, cwd: Path) -> str:
    """Code that gives the next chapter (language ``lang``, folder ``cwd``) a new kernel's state."""
    if lang not in ORDER:
        raise ValueError(f"language {lang!r}: one of {', '.join(ORDER)}")
    return f"""
get_ipython().run_line_magic("reset", "-f")
import os as _os, sys as _sys, warnings as _warnings
import matplotlib as _mpl
import matplotlib.pyplot as _plt
_plt.close("all")
_state = _sys.modules["_westgov_kernel_state"]
dict.update(_mpl.rcParams, _state.rc)
_warnings.filters[:] = _state.filters
getattr(_warnings, "_filters_mutated", lambda: None)()
_os.chdir({str(cwd)!r})
if {lang!r} == "en":
    _os.environ.pop("WESTGOV_LANG", None)
else:
    _os.environ["WESTGOV_LANG"] = {lang!r}
if "westgov" in _sys.modules:
    _sys.modules["westgov"]._set_up_language()
del _os, _sys, _warnings, _mpl, _plt, _state
"""


@dataclass
class Run:
    """One chapter executed: its notebook (with outputs), seconds, and the error text or None."""

    notebook: object
    seconds: float
    error: str | None = None


def _silent(client, code: str) -> None:
    reply = client.wait_for_reply(client.kc.execute(code, silent=True, store_history=False))
    content = reply["content"] if reply else {}
    if content.get("status") != "ok":
        raise RuntimeError("kernel set-up failed: " + "\n".join(content.get("traceback", [])))


def execute_in_one_kernel(items: list[tuple[object, Path, str]], timeout: int) -> list[Run]:
    """Execute notebooks ``(notebook, folder, language)`` one after another in one kernel.

    Languages must follow :data:`ORDER` (English before Chinese). The kernel starts in the first
    notebook's folder and language (the caller's environment: :envvar:`WESTGOV_LANG`). When a
    notebook fails, the ones after it are not run in that kernel: their ``Run`` has
    ``notebook=None``, and the caller executes them on their own.
    """
    from nbclient import NotebookClient

    langs = [lang for _, _, lang in items]
    if sorted(langs, key=ORDER.index) != langs:
        raise ValueError(f"languages {langs}: English before Chinese only")
    first, folder, _ = items[0]
    # record_timing off, as jupyter-cache executes: the timings would go into the cells' metadata,
    # which is part of the execution cache's key, and the build would not find the chapter.
    client = NotebookClient(
        first, timeout=timeout, allow_errors=False, record_timing=False, resources={"metadata": {"path": str(folder)}}
    )
    runs: list[Run] = []
    with client.setup_kernel():
        info = client.wait_for_reply(client.kc.kernel_info())
        _silent(client, SNAPSHOT_CODE)
        for position, (notebook, folder, lang) in enumerate(items):
            if runs and runs[-1].error is not None:
                runs.append(Run(None, 0.0, None))
                continue
            start = time.perf_counter()
            try:
                if position:
                    _silent(client, reset_code(lang, Path(folder)))
                client.nb = notebook
                client.reset_execution_trackers()
                notebook.metadata["language_info"] = info["content"]["language_info"]
                for index, cell in enumerate(notebook.cells):
                    client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                runs.append(Run(notebook, time.perf_counter() - start))
            except Exception:  # noqa: BLE001 -- a cell's error (CellExecutionError) or a dead kernel
                runs.append(Run(notebook, time.perf_counter() - start, traceback.format_exc()))
    return runs
