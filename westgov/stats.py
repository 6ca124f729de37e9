"""Small statistical helpers shared by the chapters and the audit.

* :func:`correlation_pvalue` -- two-sided p-value of a Pearson correlation (t test, n - 2 df), and
* :func:`stars` -- significance stars at the 10 / 5 / 1 % levels used by the paper, both from
  :mod:`tableaudit` (the paper follows the audit's conventions);
* :func:`vif_table` -- variance inflation factors with statsmodels.
"""

from __future__ import annotations

import pandas as pd
from statsmodels.stats.outliers_influence import variance_inflation_factor
from statsmodels.tools.tools import add_constant

from tableaudit import STAR_LEVELS, correlation_pvalue, stars  # noqa: F401  (the audit's conventions, used by the chapters)


def vif_table(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """VIF of each column when regressed on the others (with a constant), via statsmodels."""
    exog = add_constant(frame[columns].to_numpy(float), has_constant="add")
    values = [variance_inflation_factor(exog, i + 1) for i in range(len(columns))]
    return pd.Series(values, index=columns, name="VIF")
