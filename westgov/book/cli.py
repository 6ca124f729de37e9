"""The book's commands of ``python -m westgov``: ``bench``, ``book`` and ``notebooks``.

:func:`add_commands` adds them to the command line of :mod:`westgov.cli`.
"""

from __future__ import annotations

from pathlib import Path


def _bench(args) -> int:
    from . import bench

    return bench.main([])  # main() hands `bench ...` its own options before this parser sees them


def _book(args) -> int:
    from . import build

    return build.build_book(strict=not args.lenient, languages=tuple(args.languages.split(",")))


def _notebooks(args) -> int:
    from . import build

    for path in build.export_notebooks(Path(args.outdir)):
        print(path)
    return 0


def bench_main(argv: list[str]) -> int:
    """``bench`` parses its own options (--only, --runs, --site)."""
    from . import bench

    return bench.main(argv)


def add_commands(sub) -> None:
    """Add ``bench``, ``book`` and ``notebooks`` to the subcommands ``sub`` of an argparse parser."""
    p = sub.add_parser("bench", help="benchmark build, tests and pages; writes _build/bench.json (see bench --help)")
    p.set_defaults(func=_bench)
    p = sub.add_parser("book", help="build the book (strict: warnings are errors)")
    p.add_argument("--lenient", action="store_true", help="do not turn warnings into errors")
    p.add_argument(
        "--languages",
        default="en,zh",
        help="editions to build (default en,zh: English into _build/html, Chinese into _build/html/zh)",
    )
    p.set_defaults(func=_book)
    p = sub.add_parser("notebooks", help="convert chapters to .ipynb")
    p.add_argument("outdir")
    p.set_defaults(func=_notebooks)
