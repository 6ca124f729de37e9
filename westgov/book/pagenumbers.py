"""The numbers on the pages, read back after the build: glued values and printed outputs.

myst-nb writes each executed chapter's glued values to ``_build/jupyter_execute/chapters/
<chapter>.glue.json``; every other number a reader sees is in a cell's output on the built page
(a ``print``, a DataFrame, a Series). This module reads both, compares them with the committed
snapshots ``tests/snapshots/glue.json`` and ``tests/snapshots/outputs.json``, and writes new
snapshots after a deliberate change (``make snapshot``). Figures are recorded by kind only (an
image changes with the renderer); every other value by its text, tables included.

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
HTML_DIR = BUILD_DIR / "html" / "chapters"
SNAPSHOT = ROOT / "tests" / "snapshots" / "glue.json"
OUTPUTS_SNAPSHOT = ROOT / "tests" / "snapshots" / "outputs.json"
#: Below this magnitude a printed or glued number would be round-off, which differs between
#: processors: pages state a bound instead, and no snapshot may hold such a number.
ROUND_OFF_LEVEL = 1e-10
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_BOUND = re.compile(r"1[eE]-\d+")
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


def output_texts(html: str) -> dict[str, str]:
    """Every cell output a reader sees on one built page: key -> its text.

    The key is the id of the section the output sits in and its ordinal there
    (``"ols-from-summary-statistics #2"``), so that a cell added in one section does not rename
    the outputs of the others. Whitespace is collapsed; an output that is an image reads
    ``<image>`` (its pixels depend on the renderer). The output of a cell tagged
    ``machine-dependent`` (the Python version of the machine that built the page) is left out.
    """
    from bs4 import BeautifulSoup  # imported here: only the tests and `make snapshot` need it

    soup = BeautifulSoup(html, "html.parser")
    out: dict[str, str] = {}
    counts: dict[str, int] = {}
    for output in soup.select("div.cell_output"):
        cell = output.find_parent("div", class_="cell")
        if cell is not None and "tag_machine-dependent" in cell.get("class", []):
            continue
        section = output.find_parent("section")
        where = section.get("id", "page") if section is not None else "page"
        counts[where] = counts.get(where, 0) + 1
        parts = []
        for block in output.find_all(recursive=False):
            if block.find("img") is not None or block.name == "img":
                parts.append("<image>")
            else:
                parts.append(" ".join(block.get_text(" ").split()))
        out[f"{where} #{counts[where]}"] = " ".join(p for p in parts if p)
    return out


def collect_outputs(html_dir: Path = HTML_DIR) -> dict[str, dict[str, str]]:
    """Chapter name -> output key -> text, for every chapter page of the built site."""
    if not html_dir.is_dir():
        raise FileNotFoundError(f"{html_dir} does not exist: build the book first (make book)")
    out = {}
    for path in sorted(html_dir.glob("*.html")):
        texts = output_texts(path.read_text(encoding="utf-8"))
        if texts:
            out[path.stem] = texts
    return out


def round_off_values(values: dict[str, dict[str, str]]) -> list[str]:
    """``chapter: key: number`` for every nonzero number below :data:`ROUND_OFF_LEVEL`.

    A power of ten written as such (``1e-12``) is a bound a page states, not a value, and passes.
    """
    found = []
    for chapter, by_key in sorted(values.items()):
        for key, text in sorted(by_key.items()):
            for token in _NUMBER.findall(text):
                number = float(token)
                if _BOUND.fullmatch(token) is None and 0 < abs(number) < ROUND_OFF_LEVEL:
                    found.append(f"{chapter}: {key}: {token}")
    return found


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


def differences(snapshot: dict, current: dict, what: str = "glue key") -> list[str]:
    """Human-readable list of every value that differs from the snapshot (``what``: its kind)."""
    out = []
    for chapter in sorted(set(snapshot) | set(current)):
        old, new = snapshot.get(chapter, {}), current.get(chapter, {})
        for key in sorted(set(old) - set(new)):
            out.append(f"{chapter}: {what} {key!r} is gone")
        for key in sorted(set(new) - set(old)):
            out.append(f"{chapter}: {what} {key!r} is new")
        for key in sorted(set(old) & set(new)):
            if not values_agree(old[key], new[key]):
                out.append(f"{chapter}: {key} was {old[key][:200]!r}, now {new[key][:200]!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare or rewrite the snapshots of the pages' numbers.")
    parser.add_argument(
        "--write", action="store_true", help="rewrite tests/snapshots/glue.json and outputs.json"
    )
    args = parser.parse_args(argv)
    try:
        snapshots = {SNAPSHOT: collect(), OUTPUTS_SNAPSHOT: collect_outputs()}
    except FileNotFoundError as err:
        print(err, file=sys.stderr)
        return 2
    status = 0
    for path, current in snapshots.items():
        name = path.relative_to(ROOT)
        if args.write:
            tiny = round_off_values(current)
            if tiny:
                print(f"not written: round-off-level numbers would enter {name}:", *tiny, sep="\n  ")
                status = 1
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"wrote {name}: {sum(map(len, current.values()))} values")
            continue
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        diffs = differences(old, current, "glue key" if path == SNAPSHOT else "output")
        print("\n".join(diffs) if diffs else f"every value matches {name}")
        status = status or (1 if diffs else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
