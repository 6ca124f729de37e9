"""Command line: ``python -m tableaudit [--json] [--fail-on-inconsistent] DIR``.

Audits the folder of tables ``DIR`` and prints one line per check (claim, printed, recomputed,
verdict) and the verdict counts; ``--json`` prints the checks, the scale-free checks and the units
found per model as JSON. A malformed table set gets every problem with file, row and column on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from .problems import DataError, sort_problems
from .report import run, summary
from .verdicts import INCONSISTENT


def report_problems(problems, where, as_json: bool = False) -> int:
    """Print every problem (file, row, column, reason) to stderr, and as JSON to stdout if asked; exit 1."""
    problems = sort_problems(problems)
    print(f"{len(problems)} problem(s) in {where}:", file=sys.stderr)
    for p in problems:
        print(f"  - {p}", file=sys.stderr)
    if as_json:
        print(json.dumps({"summary": None, "problems": [p.to_dict() for p in problems]}, indent=2, ensure_ascii=False))
    return 1


def audit_folder(
    directory: Path | str,
    as_json: bool = False,
    fail_on_inconsistent: bool = False,
    official: pd.DataFrame | None = None,
    approximate: tuple[str, ...] = (),
) -> int:
    """Audit ``directory`` and print the result; the exit status of the command line."""
    directory = Path(directory)
    try:
        result = run(directory, official=official, approximate=approximate)
    except DataError as err:
        return report_problems(err.problems, directory, as_json=as_json)
    counts = summary(result)
    if as_json:
        payload = {"summary": counts, "problems": [], "checks": result.to_dict(orient="records")} | result.attrs
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        with pd.option_context("display.max_rows", None, "display.max_colwidth", 60, "display.width", 200):
            print(result[["claim", "printed", "recomputed", "verdict"]].to_string(index=False))
        print(f"\n{counts['total']} checks: " + ", ".join(f"{n} {v}" for v, n in counts["verdicts"].items()))
    if fail_on_inconsistent and (result.verdict == INCONSISTENT).any():
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tableaudit", description=__doc__.split("\n")[0],
                                     epilog="Table format: see the README of the tableaudit package.")
    parser.add_argument("dir", help="folder of table files (table2_descriptives.csv, ...)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--fail-on-inconsistent", action="store_true", help="exit 1 if any check is inconsistent")
    args = parser.parse_args(argv)
    return audit_folder(args.dir, as_json=args.json, fail_on_inconsistent=args.fail_on_inconsistent)
