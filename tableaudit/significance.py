"""Significance conventions: p-values of correlations and stars at the 10 / 5 / 1 % levels.

* :func:`correlation_pvalue` -- two-sided p-value of a Pearson correlation (t test, n - 2 df);
* :func:`stars` -- significance stars at the 10 / 5 / 1 % levels (``*``, ``**``, ``***``).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

#: The usual thresholds of economics journals: * 10 %, ** 5 %, *** 1 %.
STAR_LEVELS = ((0.01, "***"), (0.05, "**"), (0.10, "*"))


def correlation_pvalue(r: float | np.ndarray, n: int) -> float | np.ndarray:
    """Two-sided p-value of H0: rho = 0, from t = r sqrt((n - 2) / (1 - r^2)) with n - 2 df."""
    r = np.asarray(r, dtype=float)
    with np.errstate(divide="ignore"):
        t = r * np.sqrt((n - 2) / np.clip(1 - r**2, 0, None))
    p = 2 * stats.t.sf(np.abs(t), n - 2)
    return float(p) if p.ndim == 0 else p


def stars(p: float) -> str:
    """'***', '**', '*' or '' for a p-value, at the 1 / 5 / 10 % levels."""
    if p is None or np.isnan(p):
        return ""
    for level, mark in STAR_LEVELS:
        if p < level:
            return mark
    return ""
