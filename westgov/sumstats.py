"""Ordinary least squares computed from summary statistics alone.

OLS depends on the data only through the sample size, the means, and the covariance matrix of the
variables. A paper that prints n, the means and standard deviations (its Table 2) and the
correlation matrix (its Table 3) therefore prints everything needed to recompute its regressions.

With covariance matrix S = D R D (D the diagonal of standard deviations, R the correlations),
regressors x and outcome y:

    b     = S_xx^{-1} s_xy                          slopes
    a     = mean(y) - b' mean(x)                    intercept
    R^2   = b' s_xy / s_yy
    s^2   = (n - 1)(s_yy - b' s_xy) / (n - k - 1)   residual variance
    V(b)  = s^2 [(n - 1) S_xx]^{-1}
    V(a)  = s^2 / n + mean(x)' V(b) mean(x)

The functions accept pandas objects keyed by variable name, so the same call works with the
paper's ids (Var1..Var8) or with the book's column names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats


@dataclass
class SummaryOLS:
    """Results of :func:`ols_from_moments`, named like statsmodels' ``RegressionResults``."""

    params: pd.Series
    bse: pd.Series
    tvalues: pd.Series
    pvalues: pd.Series
    std_params: pd.Series
    rsquared: float
    rsquared_adj: float
    fvalue: float
    f_pvalue: float
    nobs: int
    df_model: int
    df_resid: int


def ols_from_moments(n: int, means: pd.Series, sds: pd.Series, corr: pd.DataFrame, y: str, xs: list[str]) -> SummaryOLS:
    """OLS of ``y`` on ``xs`` with an intercept, from n, means, standard deviations and correlations.

    ``means`` and ``sds`` are Series and ``corr`` a square DataFrame, all indexed by variable name.
    The intercept is reported under the name ``const`` (as in statsmodels). Standardized
    coefficients (``std_params``) are the slopes in standard-deviation units, ``b * sd(x) / sd(y)``.
    """
    k = len(xs)
    df_resid = n - k - 1
    if df_resid <= 0:
        raise ValueError(f"{k} regressors and an intercept need more than {k + 1} observations; n = {n}")
    r_xx = corr.loc[xs, xs].to_numpy(float)
    r_xy = corr.loc[xs, y].to_numpy(float)
    sd_x = sds[xs].to_numpy(float)
    sd_y = float(sds[y])
    beta = np.linalg.solve(r_xx, r_xy)  # standardized slopes
    r2 = float(beta @ r_xy)
    slopes = beta * sd_y / sd_x
    mean_x = means[xs].to_numpy(float)
    intercept = float(means[y]) - slopes @ mean_x
    s2 = (n - 1) * sd_y**2 * (1 - r2) / df_resid
    s_xx = r_xx * np.outer(sd_x, sd_x)
    cov_b = s2 * np.linalg.inv((n - 1) * s_xx)
    var_a = s2 / n + mean_x @ cov_b @ mean_x
    index = ["const", *xs]
    params = pd.Series([intercept, *slopes], index=index)
    bse = pd.Series([np.sqrt(var_a), *np.sqrt(np.diag(cov_b))], index=index)
    tvalues = params / bse
    pvalues = pd.Series(2 * stats.t.sf(np.abs(tvalues), df_resid), index=index)
    fvalue = (r2 / k) / ((1 - r2) / df_resid)
    return SummaryOLS(
        params=params,
        bse=bse,
        tvalues=tvalues,
        pvalues=pvalues,
        std_params=pd.Series(beta, index=xs),
        rsquared=r2,
        rsquared_adj=1 - (1 - r2) * (n - 1) / df_resid,
        fvalue=float(fvalue),
        f_pvalue=float(stats.f.sf(fvalue, k, df_resid)),
        nobs=n,
        df_model=k,
        df_resid=df_resid,
    )


def moments_of(frame: pd.DataFrame) -> tuple[int, pd.Series, pd.Series, pd.DataFrame]:
    """``(n, means, sds, corr)`` of a data frame, with sample (n - 1) standard deviations."""
    return len(frame), frame.mean(), frame.std(ddof=1), frame.corr()


def published_moments(table2: pd.DataFrame, table3: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """Means, standard deviations and the full symmetric correlation matrix from the paper's tables.

    ``table2`` and ``table3`` are in the ``data/published`` long format (see ``data/README.md``).
    """
    t2 = table2.set_index("variable")
    ids = list(t2.index)
    corr = pd.DataFrame(np.eye(len(ids)), index=ids, columns=ids)
    for row in table3.itertuples():
        corr.loc[row.row, row.col] = row.r
        corr.loc[row.col, row.row] = row.r
    return t2["mean"].astype(float), t2["sd"].astype(float), corr
