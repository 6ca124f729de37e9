"""The numbers on the pages: every value a chapter glues, read back after the build.

myst-nb writes each executed chapter's glued values to ``_build/jupyter_execute/chapters/
<chapter>.glue.json``. This module reads them, compares them with the committed snapshot
``tests/snapshots/glue.json`` and writes a new snapshot after a deliberate change
(``make snapshot``). Figures are recorded by kind only (an image changes with the renderer);
every other value by its text, tables included.

Comparison is tolerant where machines legitimately differ and strict elsewhere: the words of
two values must be identical, and each number must agree to a relative 1e-5 or, for a number
printed with few decimals, to one unit of its last printed digit (a table printed to 4 decimals
may flip its last digit on another machine's BLAS; a changed confidence level, degree of freedom
or threshold moves it much further).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

from ..paths import BUILD_DIR, ROOT

GLUE_DIR = BUILD_DIR / "jupyter_execute" / "chapters"
SNAPSHOT = ROOT / "tests" / "snapshots" / "glue.json"
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg")


def value_text(output: dict) -> str:
    """The text a glued output stands for: markdown if any, an image marker, else plain text."""
    data = output.get("data", {})
    for mime in _IMAGE_TYPES:
        if mime in data:
            return f"<figure {mime}>"
    if "text/markdown" in data:
        return data["text/markdown"]
    if "text/html" in data and "text/plain" not in data:
        return data["text/html"]
    return data.get("text/plain", "")


def collect(glue_dir: Path = GLUE_DIR) -> dict[str, dict[str, str]]:
    """Chapter name -> glue key -> value text, for every ``*.glue.json`` of the build."""
    if not glue_dir.is_dir():
        raise FileNotFoundError(f"{glue_dir} does not exist: build the book first (make book)")
    out: dict[str, dict[str, str]] = {}
    for path in sorted(glue_dir.glob("*.glue.json")):
        chapter = path.name.removesuffix(".glue.json")
        raw = json.loads(path.read_text(encoding="utf-8"))
        out[chapter] = {key: value_text(output) for key, output in sorted(raw.items())}
    return out


def _last_digit_unit(token: str) -> float:
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return 10.0 ** (-decimals + (int(exponent) if exponent else 0))


def numbers_agree(expected: str, actual: str, rtol: float = 1e-5) -> bool:
    """One number printed as ``expected`` and recomputed as ``actual`` agree (see module doc)."""
    a, b = float(expected), float(actual)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    tol = rtol * max(abs(a), abs(b))
    mantissa = expected.lower().partition("e")[0]
    if "." in mantissa and len(mantissa.split(".")[1]) <= 6:  # printed, not a full float repr
        tol = max(tol, 1.0001 * _last_digit_unit(expected))
    return abs(a - b) <= tol


def values_agree(expected: str, actual: str) -> bool:
    """Same words, and every number within tolerance (see :func:`numbers_agree`)."""
    if _NUMBER.sub("#", expected) != _NUMBER.sub("#", actual):
        return False
    return all(numbers_agree(x, y) for x, y in zip(_NUMBER.findall(expected), _NUMBER.findall(actual)))


def differences(snapshot: dict, current: dict) -> list[str]:
    """Human-readable list of every glued value that differs from the snapshot."""
    out = []
    for chapter in sorted(set(snapshot) | set(current)):
        old, new = snapshot.get(chapter, {}), current.get(chapter, {})
        for key in sorted(set(old) - set(new)):
            out.append(f"{chapter}: glue key {key!r} is gone")
        for key in sorted(set(new) - set(old)):
            out.append(f"{chapter}: glue key {key!r} is new")
        for key in sorted(set(old) & set(new)):
            if not values_agree(old[key], new[key]):
                out.append(f"{chapter}: {key} was {old[key][:200]!r}, now {new[key][:200]!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare or rewrite the snapshot of glued values.")
    parser.add_argument("--write", action="store_true", help="rewrite tests/snapshots/glue.json")
    args = parser.parse_args(argv)
    try:
        current = collect()
    except FileNotFoundError as err:
        print(err, file=sys.stderr)
        return 2
    if args.write:
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {SNAPSHOT.relative_to(ROOT)}: {sum(map(len, current.values()))} values")
        return 0
    old = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}
    diffs = differences(old, current)
    print("\n".join(diffs) if diffs else "every glued value matches the snapshot")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
