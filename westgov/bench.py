"""Benchmarks of the build and the test suite (``make bench``), reported as ratios.

Machines here are noisy, so every figure is compared with another measured in the same run:

* **cold build vs bare execution**: a full ``jupyter-book build`` into an empty output folder,
  against executing the same notebooks with nbclient and nothing else (target: at most 1.3x);
* **no-change rebuild vs cold build**: a second build with nothing changed (target: at most 10 %);
* **test suite serial vs parallel**: the unit tests with one process and with ``-n 2``;
* **bytes per page**: each page's HTML plus the images it loads (target: heaviest page at most 1 MB).

Results are printed and written to ``_build/bench.json``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .paths import BUILD_DIR, ROOT

TARGETS = {"cold_over_bare": 1.3, "nochange_over_cold": 0.10, "heaviest_page_bytes": 1_000_000}


def _timed(cmd: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bare_execution(root: Path = ROOT) -> float:
    """Seconds to execute every chapter notebook with nbclient, one after another."""
    import jupytext
    from nbclient import NotebookClient

    from .build import chapters

    start = time.perf_counter()
    for path in chapters(root):
        nb = jupytext.read(path)
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def page_weights(html_dir: Path) -> dict[str, int]:
    """Bytes of each page's HTML plus the local images it references."""
    from .build import chapters

    weights = {}
    for path in chapters():
        page = html_dir / "chapters" / f"{path.stem}.html"
        text = page.read_text(encoding="utf-8")
        total = len(text.encode("utf-8"))
        for src in set(re.findall(r'<img[^>]+src="([^"]+)"', text)):
            if src.startswith("data:"):
                continue  # inline images are already counted in the HTML
            image = (page.parent / src.split("?")[0]).resolve()
            if image.exists():
                total += image.stat().st_size
        weights[f"chapters/{path.stem}.html"] = total
    return weights


def run() -> dict:
    exe = str(Path(sys.executable).parent / "jupyter-book")
    out = Path(tempfile.mkdtemp(prefix="westgov-bench-"))
    try:
        bare = bare_execution()
        cold = _timed([exe, "build", str(ROOT), "--path-output", str(out), "--all"])
        nochange = _timed([exe, "build", str(ROOT), "--path-output", str(out)])
        weights = page_weights(out / "_build" / "html")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--ignore=tests/browser", "tests"]
    serial = _timed(pytest + ["-n", "0"])
    parallel = _timed(pytest + ["-n", "2"])
    heaviest = max(weights, key=weights.get)
    result = {
        "bare_execution_s": round(bare, 1),
        "cold_build_s": round(cold, 1),
        "nochange_rebuild_s": round(nochange, 1),
        "cold_over_bare": round(cold / bare, 2),
        "nochange_over_cold": round(nochange / cold, 3),
        "tests_serial_s": round(serial, 1),
        "tests_parallel_s": round(parallel, 1),
        "parallel_speedup": round(serial / parallel, 2),
        "heaviest_page": heaviest,
        "heaviest_page_bytes": weights[heaviest],
        "page_bytes": weights,
    }
    result["targets_met"] = {
        "cold_over_bare": result["cold_over_bare"] <= TARGETS["cold_over_bare"],
        "nochange_over_cold": result["nochange_over_cold"] <= TARGETS["nochange_over_cold"],
        "heaviest_page_bytes": result["heaviest_page_bytes"] <= TARGETS["heaviest_page_bytes"],
    }
    BUILD_DIR.mkdir(exist_ok=True)
    (BUILD_DIR / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def report(result: dict) -> str:
    lines = [
        f"bare execution (nbclient)   {result['bare_execution_s']:7.1f} s",
        f"cold build (jupyter-book)   {result['cold_build_s']:7.1f} s   ratio {result['cold_over_bare']:.2f}x  (target <= {TARGETS['cold_over_bare']}x)",
        f"no-change rebuild           {result['nochange_rebuild_s']:7.1f} s   {100 * result['nochange_over_cold']:.1f} % of cold  (target <= {100 * TARGETS['nochange_over_cold']:.0f} %)",
        f"unit tests serial/parallel  {result['tests_serial_s']:7.1f} s / {result['tests_parallel_s']:.1f} s   speed-up {result['parallel_speedup']:.2f}x",
        f"heaviest page               {result['heaviest_page']} {result['heaviest_page_bytes'] / 1e6:.2f} MB  (target <= 1 MB)",
    ]
    return "\n".join(lines)
