"""Small statistical helpers shared by the chapters and the audit.

* :func:`correlation_pvalue` -- two-sided p-value of a Pearson correlation (t test, n - 2 df);
* :func:`stars` -- significance stars at the 10 / 5 / 1 % levels used by the paper;
* :func:`vif_table` -- variance inflation factors with statsmodels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.outliers_influence import variance_inflation_factor
from statsmodels.tools.tools import add_constant

#: The paper's thresholds: * 10 %, ** 5 %, *** 1 %.
STAR_LEVELS = ((0.01, "***"), (0.05, "**"), (0.10, "*"))


def correlation_pvalue(r: float | np.ndarray, n: int) -> float | np.ndarray:
    """Two-sided p-value of H0: rho = 0, from t = r sqrt((n - 2) / (1 - r^2)) with n - 2 df."""
    r = np.asarray(r, dtype=float)
    with np.errstate(divide="ignore"):
        t = r * np.sqrt((n - 2) / np.clip(1 - r**2, 0, None))
    p = 2 * stats.t.sf(np.abs(t), n - 2)
    return float(p) if p.ndim == 0 else p


def stars(p: float) -> str:
    """'***', '**', '*' or '' for a p-value, at the paper's 1 / 5 / 10 % levels."""
    if p is None or np.isnan(p):
        return ""
    for level, mark in STAR_LEVELS:
        if p < level:
            return mark
    return ""


def vif_table(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """VIF of each column when regressed on the others (with a constant), via statsmodels."""
    exog = add_constant(frame[columns].to_numpy(float), has_constant="add")
    values = [variance_inflation_factor(exog, i + 1) for i in range(len(columns))]
    return pd.Series(values, index=columns, name="VIF")
