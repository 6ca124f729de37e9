"""What one check of the audit reports: its verdict, and helpers shared by every check.

A :class:`Check` holds the claim, the printed value, the recomputed value or range, a verdict
(:data:`CONSISTENT`, :data:`INCONSISTENT` or :data:`UNDECIDABLE`) and a one-line explanation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .published import Printed

CONSISTENT, INCONSISTENT, UNDECIDABLE = "consistent", "inconsistent", "undecidable"


@dataclass
class Check:
    """One audited claim."""

    category: str
    claim: str
    printed: str
    recomputed: str
    verdict: str
    explanation: str

def _overlaps(p: Printed, lo: float, hi: float) -> bool:
    return p.low <= hi and lo <= p.high


def _fmt_range(lo: float, hi: float, digits: int = 4) -> str:
    """``[lo, hi]`` with ``digits`` decimals, the ends rounded outward: the printed range always
    contains the computed one (0.84163-0.84271 prints as ``[0.8416, 0.8428]``)."""
    return f"[{_fmt_end(lo, digits, up=False)}, {_fmt_end(hi, digits, up=True)}]"


def _fmt_end(value: float, digits: int, up: bool) -> str:
    """One end of a range with ``digits`` decimals, rounded up (``up``) or down, never inward.

    A value within a millionth of a unit of the last digit of a grid point stays on it (its
    distance from the grid is floating-point noise, not a digit).
    """
    import math

    if not math.isfinite(value):
        return f"{value:.{digits}f}"
    scaled = round(value * 10**digits, 6)
    ended = (math.ceil(scaled) if up else math.floor(scaled)) / 10**digits
    return f"{ended + 0.0:.{digits}f}"  # + 0.0: no "-0.000"

def _range_of(
    ranges: pd.DataFrame, model: str, term: str, quantity: str
) -> tuple[float, float, float]:
    row = ranges[
        (ranges.model == model) & (ranges.term == term) & (ranges.quantity == quantity)
    ]
    if row.empty:
        return np.nan, np.nan, np.nan
    r = row.iloc[0]
    return float(r.low), float(r.high), float(r.nominal)


NO_PD = "no positive-definite correlation matrix lies within the rounding of Table 3"
SINGULAR = "a singular correlation matrix lies within the rounding of Table 3: the rounding leaves this free"


def _interval_product(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """The product of two intervals (the smallest and largest product of their ends)."""
    corners = [x * y for x in a for y in b]
    return min(corners), max(corners)
