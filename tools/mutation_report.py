"""Score of the last ``mutmut run``, per module of ``westgov/`` and ``tableaudit/``.

Reads mutmut's result files (``mutants/<package>/**/*.py.meta``), counts per module the mutants
killed (a test failed, or the mutant timed out), survived (every test passed) and not covered
(no test ran the mutated function), and subtracts the mutants listed in
``tests/mutation-equivalent.csv`` (with the reason each is equivalent or harmless). Prints a
table and the survivors, and writes both to ``_build/mutation.json``. When only a sample of a
module's mutants was run (``tools/mutation_sample.py``), its score estimates the module's and
comes with a 95 % Wilson interval.

Usage: ``python tools/mutation_report.py [--min-score 0.85]`` (exit 1 when a module is below).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KILLED = {1, 3, 24, -24, 36, 37, 152, 255}  # test failure, pytest error, timeout, type check
SURVIVED = {0}
NOT_COVERED = {5, 33}
#: The mutated packages (``[tool.mutmut] source_paths`` in pyproject.toml).
PACKAGES = ("westgov", "tableaudit")


def load_equivalent(path: Path) -> dict[str, str]:
    """Mutant name -> reason, from the reviewed list of equivalent or harmless mutants."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {row["mutant"]: row["reason"] for row in csv.DictReader(fh)}


def collect(mutants_dir: Path, equivalent: dict[str, str]) -> dict:
    modules: dict[str, dict] = defaultdict(
        lambda: {"killed": 0, "survived": 0, "not_covered": 0, "not_checked": 0,
                 "equivalent": 0, "survivors": []}
    )
    metas = [meta for package in PACKAGES for meta in sorted((mutants_dir / package).rglob("*.py.meta"))]
    for meta in metas:
        module = meta.relative_to(mutants_dir).as_posix().removesuffix(".py.meta").replace("/", ".")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        for name, code in codes.items():
            m = modules[module]
            if name in equivalent and code is not None:
                m["equivalent"] += 1
            elif code in KILLED:
                m["killed"] += 1
            elif code in SURVIVED:
                m["survived"] += 1
                m["survivors"].append(name)
            elif code in NOT_COVERED:
                m["not_covered"] += 1
                m["survivors"].append(name)
            else:
                m["not_checked"] += 1
    for m in modules.values():
        tried = m["killed"] + m["survived"] + m["not_covered"]
        m["score"] = m["killed"] / tried if tried else None
        m["interval"] = None
        if tried and m["not_checked"]:
            from statsmodels.stats.proportion import proportion_confint

            low, high = proportion_confint(m["killed"], tried, alpha=0.05, method="wilson")
            m["interval"] = [round(float(low), 4), round(float(high), 4)]
    return dict(modules)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-score", type=float, default=0.85)
    parser.add_argument("--mutants", type=Path, default=ROOT / "mutants")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "mutation.json")
    args = parser.parse_args(argv)
    if not any((args.mutants / package).is_dir() for package in PACKAGES):
        print(f"no mutmut results in {args.mutants}: run `make mutation` first", file=sys.stderr)
        return 2
    equivalent = load_equivalent(ROOT / "tests" / "mutation-equivalent.csv")
    modules = collect(args.mutants, equivalent)
    print(f"{'module':<24} {'killed':>7} {'survived':>9} {'uncovered':>10} {'equiv.':>7} {'score':>7}")
    low = []
    for name, m in sorted(modules.items()):
        score = "—" if m["score"] is None else f"{m['score']:.0%}"
        print(f"{name:<24} {m['killed']:>7} {m['survived']:>9} {m['not_covered']:>10} "
              f"{m['equivalent']:>7} {score:>7}")
        if m["not_checked"]:
            ci = f"; score of a sample, 95 % interval {m['interval'][0]:.0%}-{m['interval'][1]:.0%}" if m["interval"] else ""
            print(f"{'':<24} ({m['not_checked']} mutants not checked{ci})")
        if m["score"] is not None and m["score"] < args.min_score:
            low.append(name)
    survivors = [s for m in modules.values() for s in m["survivors"]]
    if survivors:
        print(f"\n{len(survivors)} survivors (inspect one with `.venv/bin/mutmut show NAME`):")
        for s in survivors:
            print("  " + s)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "min_score": args.min_score, "modules": modules}, indent=2), encoding="utf-8")
    print(f"\nwritten {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    if low:
        print(f"below {args.min_score:.0%}: {', '.join(low)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
