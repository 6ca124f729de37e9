"""A seeded random sample of one module's mutants, for a mutation run that must fit a time budget.

mutmut generates every mutant of every module on its first run (``mutants/<package>/**/*.py.meta``).
This prints the names of a random fraction of one module's mutants, one per line, so that
``mutmut run $(python tools/mutation_sample.py tableaudit.optimize 0.25)`` checks only those. The sample is
drawn with a fixed seed: the same module, fraction and seed give the same names.
The score over a sample estimates the module's score; ``tools/mutation_report.py`` gives its 95 %
interval and counts the mutants not checked.

Usage: ``python tools/mutation_sample.py MODULE FRACTION [--seed N]``
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sample(module: str, fraction: float, seed: int = 14, mutants_dir: Path = ROOT / "mutants") -> list[str]:
    meta = mutants_dir / f"{module.replace('.', '/')}.py.meta"
    names = sorted(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    k = max(1, round(fraction * len(names)))
    return sorted(random.Random(f"{module}:{seed}").sample(names, k)) if fraction < 1 else names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", help="dotted module name, e.g. tableaudit.optimize or westgov.data")
    parser.add_argument("fraction", type=float, help="share of its mutants to draw, in (0, 1]")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    if not 0 < args.fraction <= 1:
        print(f"fraction must be in (0, 1], not {args.fraction}", file=sys.stderr)
        return 2
    try:
        names = sample(args.module, args.fraction, args.seed)
    except FileNotFoundError:
        print(f"no mutants of {args.module}: run `make mutation` once to generate them", file=sys.stderr)
        return 2
    print("\n".join(names))
    return 0


if __name__ == "__main__":
    sys.exit(main())
