"""Benchmarks of the book (``make bench``), reported as ratios measured in one run.

Machines here are noisy, so every timing is compared with another measured in the same run. Steps:

* **replica construction**: seconds for :func:`westgov.replica.build` (the replica data set);
* **bare execution**: every chapter executed with nbclient, one after another;
* **cold build**: ``python -m westgov book`` into an empty folder (chapters executed in parallel,
  then Sphinx), as a ratio of bare execution (target: at most 0.7x);
* **no-change rebuild**: a second build with nothing changed (target: at most 10 % of cold);
* **unit tests serial vs parallel**: the unit tests with one process and with ``-n 2``;
* **page weight**: each page's HTML plus the images it loads (target: heaviest page at most 1 MB);
* **Lighthouse**: every page of ``_toc.yml``, and of ``zh/_toc.yml`` when the site holds the Chinese
  edition (``zh/...``; ``--pages`` to measure some only), with the mobile preset (simulated slow 4G and a 4x
  slower CPU), median of ``LIGHTHOUSE_RUNS`` runs (default 3) by performance score; the site is
  served from localhost with gzip, as a static host such as GitHub Pages serves it. Target:
  performance at least 90, accessibility, best practices and SEO 100.

A step that fails is reported by name with its error; the other steps still run and print.
Results are printed and written to ``_build/bench.json``.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from ..paths import BUILD_DIR, ROOT

TARGETS = {
    "cold_over_bare": 0.7,
    "nochange_over_cold": 0.10,
    "heaviest_page_bytes": 1_000_000,
    "performance": 90,
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
}
LIGHTHOUSE = ROOT / "_build" / "lighthouse-tool" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
#: Lighthouse audits kept per page (numeric values).
AUDITS = {
    "total-byte-weight": "bytes",
    "total-blocking-time": "tbt_ms",
    "largest-contentful-paint": "lcp_ms",
    "first-contentful-paint": "fcp_ms",
    "speed-index": "si_ms",
    "cumulative-layout-shift": "cls",
}


class StepError(Exception):
    """A benchmark step that ran but could not measure what it should (message says why).

    ``seconds``: how long the step ran before it failed, when that is still a useful figure (a
    test suite with failing tests still took that long).
    """

    def __init__(self, message: str, seconds: float | None = None):
        super().__init__(message)
        self.seconds = seconds


def _timed(cmd: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-5:]
        command = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))
        raise StepError(f"`{command}` exited with {done.returncode}: " + " | ".join(tail), time.perf_counter() - start)
    return time.perf_counter() - start


def replica_construction() -> float:
    """Seconds for :func:`westgov.replica.build` (in a fresh interpreter, data loading excluded)."""
    code = (
        "import time; from westgov import data, replica; ds = data.load(); "
        "t = time.perf_counter(); replica.build(ds); print(time.perf_counter() - t)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise StepError("replica.build failed: " + " | ".join(done.stderr.strip().splitlines()[-3:]))
    return float(done.stdout.strip().splitlines()[-1])


def bare_execution(root: Path = ROOT) -> float:
    """Seconds to execute every chapter notebook with nbclient, one after another."""
    import jupytext
    from nbclient import NotebookClient

    from .build import chapters

    start = time.perf_counter()
    for path in chapters(root):
        nb = jupytext.read(path)
        try:
            NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
        except Exception as exc:
            raise StepError(f"{path.name} failed to execute: {type(exc).__name__}: {str(exc).strip().splitlines()[-1][:200]}") from None
    return time.perf_counter() - start


def cold_build(out: Path, languages: tuple[str, ...] = ("en",)) -> float:
    """Seconds for ``python -m westgov book`` into the empty folder ``out/_build``: the English
    edition alone (the default: the figure the targets were set for), or with the Chinese one
    (``("en", "zh")``, what ``make book`` builds)."""
    code = (
        "import sys; from pathlib import Path; from westgov.book import build; "
        f"sys.exit(build.build_book(build_dir=Path({str(out / '_build')!r}), languages={tuple(languages)!r}))"
    )
    return _timed([sys.executable, "-c", code])


def page_weights(html_dir: Path) -> dict[str, int]:
    """Bytes of each page's HTML plus the local images it references."""
    weights = {}
    for page_name in toc_pages():
        page = html_dir / page_name
        if not page.exists():
            raise StepError(f"{page_name} is missing from {html_dir}")
        text = page.read_text(encoding="utf-8")
        total = len(text.encode("utf-8"))
        for src in set(re.findall(r'<img[^>]+src="([^"]+)"', text)):
            if src.startswith("data:"):
                continue  # inline images are already counted in the HTML
            image = (page.parent / src.split("?")[0]).resolve()
            if image.exists():
                total += image.stat().st_size
        weights[page_name] = total
    return weights


def toc_pages(root: Path = ROOT) -> list[str]:
    """Every page of ``_toc.yml`` as a path relative to the HTML root (``chapters/x.html``)."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part.get("chapters", [])]
    pages += [c["file"] for c in toc.get("chapters", [])]
    return [f"{p}.html" for p in pages]


def site_pages(html_dir: Path, root: Path = ROOT) -> list[str]:
    """The English pages (:func:`toc_pages`), then the Chinese edition's pages (``zh/...``, from
    ``zh/_toc.yml``) that ``html_dir`` holds (``make book`` builds both; the bench's own cold build
    only the English)."""
    pages = toc_pages(root)
    if (Path(root) / "zh" / "_toc.yml").exists():
        pages += [f"zh/{p}" for p in toc_pages(Path(root) / "zh") if (Path(html_dir) / "zh" / p).exists()]
    return pages


# --- Lighthouse -------------------------------------------------------------------------------

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".txt", ".xml", ".ipynb", ".map")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed where the client accepts it (as static hosts do)."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (
            path.suffix in COMPRESSIBLE
            and path.is_file()
            and "gzip" in self.headers.get("Accept-Encoding", "")
        ):
            body = gzip.compress(path.read_bytes(), compresslevel=6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            import io

            return io.BytesIO(body)
        return super().send_head()


def serve(html_dir: Path):
    """Start a local gzip-capable server for ``html_dir``; returns (server, base URL)."""
    handler = functools.partial(_GzipHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not path:
        raise StepError("no Chromium found (apt-get install chromium)")
    return path


def lighthouse_page(url: str, base: str, lighthouse: Path = LIGHTHOUSE) -> dict:
    """One Lighthouse run (mobile preset) of ``url``: category scores and the audits in :data:`AUDITS`.

    Chromium gets a closed proxy, so any request that would leave ``base`` (the local site) fails
    and is listed in ``external_requests``.
    """
    flags = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --proxy-server=http://127.0.0.1:9"
    with tempfile.TemporaryDirectory(prefix="westgov-lh-") as tmp:
        report = Path(tmp) / "report.json"
        cmd = [
            str(lighthouse), url, "--quiet", "--output=json", f"--output-path={report}",
            f"--chrome-flags={flags}", "--only-categories=" + ",".join(CATEGORIES),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "CHROME_PATH": _chromium()}, timeout=300)
        if done.returncode != 0 or not report.exists():
            raise StepError(f"lighthouse failed on {url}: " + " | ".join(done.stderr.strip().splitlines()[-3:]))
        data = json.loads(report.read_text(encoding="utf-8"))
    if data.get("runtimeError"):
        raise StepError(f"lighthouse on {url}: {data['runtimeError'].get('message')}")
    result = {c: round(100 * (data["categories"][c]["score"] or 0)) for c in CATEGORIES}
    for audit, key in AUDITS.items():
        value = data["audits"].get(audit, {}).get("numericValue")
        result[key] = round(value, 3 if key == "cls" else 0) if value is not None else None
    requests = data["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    result["requests"] = len(requests)
    result["external_requests"] = sorted({r["url"] for r in requests if not r["url"].startswith((base, "data:"))})
    blocking = data["audits"].get("render-blocking-resources", {}).get("details", {}).get("items", [])
    result["render_blocking"] = len(blocking)
    failed = [
        a for c in CATEGORIES[1:] for ref in data["categories"][c]["auditRefs"]
        if ref.get("weight") and (a := data["audits"][ref["id"]]).get("score") is not None and a["score"] < 1
    ]
    result["failed_audits"] = sorted({a["id"] for a in failed})
    return result


def lighthouse_site(html_dir: Path, runs: int = 3, pages: list[str] | None = None, lighthouse: Path = LIGHTHOUSE) -> dict:
    """Lighthouse on every page: the run with the median performance score out of ``runs``."""
    if not Path(lighthouse).exists():
        raise StepError(f"Lighthouse is not installed at {lighthouse} (`make bench` installs it from npm)")
    server, base = serve(html_dir)
    results, errors = {}, {}
    try:
        for page in pages or site_pages(html_dir):
            try:
                measured = sorted((lighthouse_page(base + page, base, lighthouse) for _ in range(runs)), key=lambda r: r["performance"])
            except (StepError, subprocess.TimeoutExpired) as exc:
                errors[page] = str(exc)
                print(f"  lighthouse {page}: FAILED {exc}", flush=True)
                continue
            median = measured[len(measured) // 2]
            median["performance_runs"] = [r["performance"] for r in measured]
            results[page] = median
            print(f"  lighthouse {page}: " + _lighthouse_line(median), flush=True)
    finally:
        server.shutdown()
    if errors and not results:
        raise StepError("; ".join(f"{p}: {e}" for p, e in errors.items()))
    return {"pages": results, "errors": errors, "runs": runs}


def _lighthouse_line(r: dict) -> str:
    return (
        f"perf {r['performance']:3d} a11y {r['accessibility']:3d} bp {r['best-practices']:3d} seo {r['seo']:3d}  "
        f"{(r['bytes'] or 0) / 1e3:7.0f} kB {r['requests']:3d} req  TBT {r['tbt_ms'] or 0:5.0f} ms  "
        f"LCP {(r['lcp_ms'] or 0) / 1e3:4.1f} s  blocking {r['render_blocking']}"
    )


# --- Running and reporting --------------------------------------------------------------------


def _step(result: dict, name: str, func, *args, keep_time: bool = False):
    """Run one step; on failure record ``result['failed'][name]`` and return None (or, with
    ``keep_time``, the seconds the failing step took)."""
    print(f"[bench] {name} ...", flush=True)
    start = time.perf_counter()
    try:
        value = func(*args)
    except Exception as exc:  # a benchmark reports and goes on
        message = str(exc) if isinstance(exc, StepError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, StepError):
            message += " (at " + traceback.extract_tb(exc.__traceback__)[-1].name + ")"
        result.setdefault("failed", {})[name] = message
        print(f"[bench] {name} FAILED after {time.perf_counter() - start:.0f} s: {message}", flush=True)
        if keep_time and getattr(exc, "seconds", None) is not None:
            return exc.seconds
        return None
    return value


def run(
    steps: set[str] | None = None, lighthouse_runs: int | None = None, site: Path | None = None,
    pages: list[str] | None = None,
) -> dict:
    """Run the benchmark steps (all by default) and write ``_build/bench.json``.

    ``site``: run only the page steps (weights, Lighthouse) on an already built HTML folder.
    ``pages``: the pages Lighthouse measures (default: :func:`site_pages`).
    """
    every = {"replica", "build", "tests", "pages", "lighthouse"}
    steps = set(steps or every) if site is None else ({"pages", "lighthouse"} & set(steps or every))
    runs = lighthouse_runs or int(os.environ.get("LIGHTHOUSE_RUNS", "3"))
    result: dict = {"failed": {}, "targets": TARGETS}
    if "replica" in steps:
        seconds = _step(result, "replica construction", replica_construction)
        if seconds is not None:
            result["replica_construction_s"] = round(seconds, 2)
    out = Path(tempfile.mkdtemp(prefix="westgov-bench-"))
    html = site
    try:
        if "build" in steps:
            bare = _step(result, "bare execution", bare_execution)
            cold = _step(result, "cold build", cold_build, out)
            if cold is not None:
                html = out / "_build" / "html"
                nochange = _step(result, "no-change rebuild", cold_build, out)
            else:
                nochange = None
            for key, value in (("bare_execution_s", bare), ("cold_build_s", cold), ("nochange_rebuild_s", nochange)):
                if value is not None:
                    result[key] = round(value, 1)
            if bare and cold:
                result["cold_over_bare"] = round(cold / bare, 2)
            # Both editions, as `make book` builds them, in a folder of their own (issue 27).
            both_out = Path(tempfile.mkdtemp(prefix="westgov-bench-both-"))
            try:
                both = _step(result, "cold build, both languages", cold_build, both_out, ("en", "zh"))
            finally:
                shutil.rmtree(both_out, ignore_errors=True)
            if both is not None:
                result["cold_build_both_s"] = round(both, 1)
                if cold:
                    result["both_over_english"] = round(both / cold, 2)
            if cold and nochange is not None:
                result["nochange_over_cold"] = round(nochange / cold, 3)
        if html is None and (BUILD_DIR / "html" / "index.html").exists():
            html = BUILD_DIR / "html"
            result["site_note"] = "pages measured on _build/html (no fresh build in this run)"
        if "pages" in steps:
            weights = _step(result, "page weight", lambda: page_weights(html) if html else _no_site())
            if weights:
                heaviest = max(weights, key=weights.get)
                result.update(heaviest_page=heaviest, heaviest_page_bytes=weights[heaviest], page_bytes=weights)
        if "lighthouse" in steps:
            lh = _step(result, "lighthouse", lambda: lighthouse_site(html, runs, pages) if html else _no_site())
            if lh:
                result["lighthouse"] = lh
                for page, err in lh["errors"].items():
                    result["failed"][f"lighthouse {page}"] = err
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if "tests" in steps:
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--ignore=tests/browser", "tests"]
        # A suite with failing tests still took its time: the figures are kept, the failure named.
        serial = _step(result, "unit tests serial", _timed, pytest + ["-n", "0"], keep_time=True)
        parallel = _step(result, "unit tests parallel", _timed, pytest + ["-n", "2"], keep_time=True)
        if serial:
            result["tests_serial_s"] = round(serial, 1)
        if parallel:
            result["tests_parallel_s"] = round(parallel, 1)
        if serial and parallel:
            result["parallel_speedup"] = round(serial / parallel, 2)
    result["targets_met"] = targets_met(result)
    BUILD_DIR.mkdir(exist_ok=True)
    (BUILD_DIR / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def _no_site():
    raise StepError("no built site to measure (the cold build failed and _build/html is empty)")


def targets_met(result: dict) -> dict:
    met = {}
    for key in ("cold_over_bare", "nochange_over_cold", "heaviest_page_bytes"):
        if key in result:
            met[key] = result[key] <= TARGETS[key]
    pages = result.get("lighthouse", {}).get("pages", {})
    if pages:
        for category in CATEGORIES:
            met[f"lighthouse_{category}"] = all(r[category] >= TARGETS[category] for r in pages.values())
    return met


def report(result: dict) -> str:
    """Human-readable summary: every figure measured, then every failed step with its error."""
    lines = []
    if "replica_construction_s" in result:
        lines.append(f"replica construction        {result['replica_construction_s']:7.2f} s   (westgov.replica.build)")
    if "bare_execution_s" in result:
        lines.append(f"bare execution (nbclient)   {result['bare_execution_s']:7.1f} s   chapters one after another")
    if "cold_build_s" in result:
        ratio = f"   ratio {result['cold_over_bare']:.2f}x  (target <= {TARGETS['cold_over_bare']}x)" if "cold_over_bare" in result else ""
        lines.append(f"cold build (westgov book)   {result['cold_build_s']:7.1f} s{ratio}")
    if "cold_build_both_s" in result:
        ratio = f"   {result['both_over_english']:.2f}x the English alone" if "both_over_english" in result else ""
        lines.append(f"cold build, English + 中文   {result['cold_build_both_s']:7.1f} s{ratio}")
    if "nochange_rebuild_s" in result:
        share = f"   {100 * result['nochange_over_cold']:.1f} % of cold  (target <= {100 * TARGETS['nochange_over_cold']:.0f} %)" if "nochange_over_cold" in result else ""
        lines.append(f"no-change rebuild           {result['nochange_rebuild_s']:7.1f} s{share}")
    if "tests_serial_s" in result or "tests_parallel_s" in result:
        serial, parallel = result.get("tests_serial_s"), result.get("tests_parallel_s")
        speedup = f"   speed-up {result['parallel_speedup']:.2f}x" if "parallel_speedup" in result else ""
        note = "  (tests failed: see below)" if any(k.startswith("unit tests") for k in result.get("failed", {})) else ""
        lines.append(f"unit tests serial/parallel  {serial if serial else 'failed'} s / {parallel if parallel else 'failed'} s{speedup}{note}")
    if "heaviest_page" in result:
        lines.append(f"heaviest page               {result['heaviest_page']} {result['heaviest_page_bytes'] / 1e6:.2f} MB  (target <= 1 MB)")
    pages = result.get("lighthouse", {}).get("pages", {})
    if pages:
        lines.append(f"Lighthouse, mobile preset, median of {result['lighthouse']['runs']} (targets: perf >= 90, others 100):")
        for page, r in pages.items():
            lines.append(f"  {page:32s} " + _lighthouse_line(r))
            if r.get("failed_audits"):
                lines.append(f"  {'':32s} failing audits: {', '.join(r['failed_audits'])}")
            if r.get("external_requests"):
                lines.append(f"  {'':32s} requests leaving the site: {r['external_requests']}")
    for name, error in result.get("failed", {}).items():
        lines.append(f"FAILED {name}: {error}")
    missed = [k for k, ok in result.get("targets_met", {}).items() if not ok]
    if missed:
        lines.append("targets missed: " + ", ".join(missed))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="westgov bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=["replica", "build", "tests", "pages", "lighthouse"], help="run only these steps")
    parser.add_argument("--runs", type=int, default=None, help="Lighthouse runs per page (default 3 or $LIGHTHOUSE_RUNS)")
    parser.add_argument("--site", type=Path, default=None, help="measure an already built HTML folder (pages and Lighthouse only)")
    parser.add_argument(
        "--pages", nargs="+", default=None, metavar="PAGE",
        help="pages Lighthouse measures, relative to the site (e.g. zh/index.html zh/chapters/audit.html); "
        "default: every page of _toc.yml and of zh/_toc.yml that the site holds",
    )
    args = parser.parse_args(argv)
    if args.site is not None and not (args.site / "index.html").exists():
        print(f"bench: {args.site} has no index.html (not a built book)", file=sys.stderr)
        return 2
    if args.pages:
        html = args.site or BUILD_DIR / "html"
        missing = [p for p in args.pages if not (html / p).is_file()]
        if missing:
            print(f"bench: {html} has no page {', '.join(missing)}", file=sys.stderr)
            return 2
    result = run(set(args.only) if args.only else None, args.runs, args.site, args.pages)
    print(report(result))
    return 1 if result.get("failed") else 0
