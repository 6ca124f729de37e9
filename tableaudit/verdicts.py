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
    return f"[{lo:.{digits}f}, {hi:.{digits}f}]"

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
