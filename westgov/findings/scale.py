"""The certainty scale of the findings, and range ends rounded outward.

``SCALE`` orders the five levels. Two of them are *universal* (HOLDS: true at every point of
the rounding range) or about one point (AT_PRINTED: true at the printed values, the centre of
the range); SOMEWHERE is an *existence* result: true at some point of the range (often an edge),
not at the printed values and not everywhere. A range check that finds a printed number
"consistent" with an implied range is an existence result; it says "whatever the rounding" only
when the implied range lies inside the printed number's rounding interval.
``wording_problems`` says what is wrong with a wording at a level; ``ONLY_AT`` and ``MARKERS`` are the phrases a wording may, or
must, use at each level (tests/westgov/test_findings.py checks them). ``fmt_range`` rounds the
ends of a range outward, so that a range printed to fewer digits always contains the exact one.
"""

from __future__ import annotations

import math

HOLDS = "holds over the whole rounding range"
AT_PRINTED = "holds at the printed values but not over the whole range"
SOMEWHERE = "holds at some point of the rounding range, not at the printed values"
UNDECIDABLE = "undecidable"
CONTRADICTED = "contradicted"
SCALE = (HOLDS, AT_PRINTED, SOMEWHERE, UNDECIDABLE, CONTRADICTED)

# Phrases a wording may use only at one level of the scale (tests/westgov/test_findings.py checks them).
ONLY_AT = {
    "whatever the rounding": HOLDS,
    "over the whole rounding range": HOLDS,
    "at the printed values, not at every point of the rounding range": AT_PRINTED,
    "at some point of the rounding range": SOMEWHERE,
    "cannot be decided": UNDECIDABLE,
}
# Phrases a wording must contain at its level (one of them).
MARKERS = {
    HOLDS: (
        "whatever the rounding",
        "over the whole rounding range",
        "every ordering",
        "every data set",
        "in full",
        "every printed digit",
    ),
    AT_PRINTED: ("at the printed values, not at every point of the rounding range",),
    SOMEWHERE: ("at some point of the rounding range",),
    UNDECIDABLE: ("cannot be decided",),
    CONTRADICTED: ("not ", "no "),
}


# Phrases that state a result for every point of the rounding range: never in an existence
# wording (SOMEWHERE) or a one-point wording (AT_PRINTED).
UNIVERSAL = ("whatever the rounding", "over the whole rounding range", "in full")


def wording_problems(level: str, text: str) -> list[str]:
    """What is wrong with ``text`` as the wording of a finding at ``level`` (empty: nothing).

    A wording must carry one of its level's markers (``MARKERS``) and no phrase reserved for
    another level (``ONLY_AT``); at a level below HOLDS it may not use a universal phrase
    (``UNIVERSAL``), so that an existence result cannot read as true whatever the rounding."""
    lower = text.lower()
    problems = []
    if level not in MARKERS:
        return [f"unknown level {level!r}"]
    if not any(m in lower for m in MARKERS[level]):
        problems.append(f"none of {MARKERS[level]} in a wording at {level!r}")
    for phrase, only in ONLY_AT.items():
        if phrase in lower and only != level:
            problems.append(f"{phrase!r} is reserved for {only!r}, not {level!r}")
    if level != HOLDS:
        for phrase in UNIVERSAL:
            if phrase in lower:
                problems.append(f"{phrase!r} states a universal result at {level!r}")
    return problems


# -- rounding and formatting --------------------------------------------------------------------


def outward(low: float, high: float, digits: int) -> tuple[float, float]:
    """The ends of [low, high] rounded outward to ``digits`` decimals (never inward)."""
    scale = 10.0**digits
    lo = math.floor(round(low * scale, 6)) / scale
    hi = math.ceil(round(high * scale, 6)) / scale
    return lo, hi


def fmt_range(low: float, high: float, digits: int) -> str:
    """'low to high' rounded outward; ``-0.000`` is written ``0.000``."""
    lo, hi = outward(low, high, digits)
    return f"{_fmt(lo, digits)} to {_fmt(hi, digits)}"


def range_text(low: float, high: float, digits: int) -> str:
    """:func:`fmt_range` in the reader's language, for ranges glued into a page or a table:
    ``low to high`` in English, ``low 至 high`` in Chinese (``WESTGOV_LANG``). The ledger's
    wordings keep :func:`fmt_range` (their Chinese comes from ``wording_zh.yml``)."""
    from westgov.i18n import language

    text = fmt_range(low, high, digits)
    return text.replace(" to ", " 至 ") if language() == "zh" else text


def _fmt(x: float, digits: int) -> str:
    text = f"{x:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _count_words(k: int) -> str:
    return {3: "all three", 2: "two", 1: "one", 0: "none"}.get(k, str(k))


def sign_certainty(nominal: float, low: float, high: float, sign: int) -> str:
    """Certainty that a quantity has ``sign`` (+1 or -1), from its value and rounding range."""
    if sign * low > 0 and sign * high > 0:
        return HOLDS
    if sign * low < 0 and sign * high < 0:
        return CONTRADICTED
    if sign * nominal > 0:
        return AT_PRINTED
    return UNDECIDABLE


def above_certainty(nominal: float, low: float, high: float, bound: float) -> str:
    """Certainty that a quantity exceeds ``bound``."""
    return sign_certainty(nominal - bound, low - bound, high - bound, +1)


# -- the ledger's types -------------------------------------------------------------------------


def supported_decimals(low: float, high: float, most: int = 4) -> int:
    """Decimals a value can carry when the rounding leaves it anywhere in [low, high]: the
    position of the range's first varying digit (negative: tens, hundreds), at most ``most``."""
    width = abs(high - low)
    if not math.isfinite(width) or width == 0:
        return most
    return min(most, -math.floor(math.log10(width)))


def fmt_supported(value: float, low: float, high: float, most: int = 4) -> str:
    """``value`` with no more digits than its rounding range [low, high] supports."""
    digits = supported_decimals(low, high, most)
    if digits >= 0:
        return _fmt(value, digits)
    return _fmt(round(value, digits), 0)
