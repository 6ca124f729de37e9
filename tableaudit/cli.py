"""Command line: ``python -m tableaudit [--json] [--all] DIR``.

Audits the folder of tables ``DIR`` and prints a report to read: per model, the verdict counts,
the explanation found (units, a lost sign, a swap, the numbers nothing explains) and every check
that is inconsistent or undecidable, in a sentence with the printed value, what the other tables
imply and the reason (``--all`` lists the consistent checks too). ``--json`` prints everything as
JSON: the checks, the scale-free checks, the units found per model and the swaps.

Exit status: 0 when every check is consistent or undecidable, 1 when some check is inconsistent,
2 when the tables cannot be audited (a missing or malformed file: every problem is printed with
its file, row and column on stderr, and as JSON with ``--json``; never a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import pandas as pd

from .problems import DataError, sort_problems
from .published import read_tables
from .report import ClaimChecks, run, summary, text_report
from .verdicts import INCONSISTENT

#: Exit statuses of the command line.
EXIT_CONSISTENT, EXIT_INCONSISTENT, EXIT_BAD_INPUT = 0, 1, 2


def report_problems(problems, where, as_json: bool = False, status: int = EXIT_BAD_INPUT) -> int:
    """Print every problem (file, row, column, reason) to stderr, and as JSON to stdout if asked;
    return ``status`` (2, bad input, unless the caller says otherwise)."""
    problems = sort_problems(problems)
    print(f"{len(problems)} problem(s) in {where}:", file=sys.stderr)
    for p in problems:
        print(f"  - {p}", file=sys.stderr)
    if as_json:
        print(json.dumps({"summary": None, "problems": [p.to_dict() for p in problems]}, indent=2, ensure_ascii=False))
    return status


def audit_folder(
    directory: Path | str,
    as_json: bool = False,
    fail_on_inconsistent: bool = True,
    official: pd.DataFrame | None = None,
    approximate: tuple[str, ...] = (),
    claim_checks: ClaimChecks | None = None,
    every_check: bool = False,
) -> int:
    """Audit ``directory`` and print the result; the exit status of the command line (0, 1 or 2).

    ``fail_on_inconsistent=False`` returns 0 even when a check is inconsistent (for callers that
    only want the report; the command line always fails on an inconsistent check).
    """
    directory = Path(directory)
    try:
        tables = read_tables(directory)
        result = run(tables, official=official, approximate=approximate, claim_checks=claim_checks)
    except DataError as err:
        return report_problems(err.problems, directory, as_json=as_json)
    counts = summary(result)
    if as_json:
        payload = {"summary": counts, "problems": [], "checks": result.to_dict(orient="records")} | result.attrs
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        try:
            print(text_report(result, tables, where=str(directory), every_check=every_check))
        except BrokenPipeError:  # the reader closed the pipe (``| head``): not an error of the audit
            sys.stdout = open(os.devnull, "w")
    if fail_on_inconsistent and (result.verdict == INCONSISTENT).any():
        return EXIT_INCONSISTENT
    return EXIT_CONSISTENT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tableaudit", description=__doc__.split("\n")[0],
        epilog="Exit status: 0 no check inconsistent, 1 some check inconsistent, 2 the tables cannot be "
               "audited (every problem named by file, row and column). Table format: see the README of "
               "the tableaudit package.")
    parser.add_argument("dir", help="folder of table files (table2_descriptives.csv, ...)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--all", action="store_true", help="list the consistent checks too, each with its reason")
    parser.add_argument("--fail-on-inconsistent", action="store_true",
                        help="accepted for older scripts: the exit status is 1 on an inconsistent check anyway")
    args = parser.parse_args(argv)
    return audit_folder(args.dir, as_json=args.json, every_check=args.all)
