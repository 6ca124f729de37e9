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

The functions accept pandas objects keyed by variable name, so the same call works with a
paper's own ids or with any other column names.

Numerical limits
----------------
Working from moments squares the conditioning of the problem compared with a QR fit on the data:
a relative error of about 1e-16 in the correlations becomes an error of up to
``condition_number * 1e-16`` in the standardized slopes, where ``condition_number`` is that of the
regressors' correlation matrix. :func:`ols_from_moments` therefore measures it and

* warns (:class:`IllConditionedWarning`) above :data:`WARN_CONDITION` (six or more of the 16
  significant digits of a double may be lost), and
* refuses (:class:`IllConditionedError`) above :data:`MAX_CONDITION` (twelve or more lost): no
  digit of the answer could be trusted, so none is given.

A fit whose residual share ``1 - R^2`` is indistinguishable from rounding noise
(``|1 - R^2| <= EXACT_FIT_TOL * condition_number``) is an **exact fit**: R^2 = 1, residual
variance 0, every standard error 0, |t| = inf and F = inf (NIST StRD certifies Wampler1 and
Wampler2 this way). Tested against NIST's certified values in ``tests/tableaudit/test_sumstats.py``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

#: Above this condition number of the regressors' correlation matrix, warn (6+ digits lost).
WARN_CONDITION = 1e6
#: Above this condition number, refuse: 12+ of the 16 significant digits of a double are lost.
MAX_CONDITION = 1e12
#: ``|1 - R^2|`` below ``EXACT_FIT_TOL * condition_number`` is rounding noise: an exact fit.
EXACT_FIT_TOL = 64 * np.finfo(float).eps


class IllConditionedWarning(UserWarning):
    """The regressors' correlation matrix is ill-conditioned: some digits of the result are lost."""


class IllConditionedError(ValueError):
    """The regressors' correlation matrix is too ill-conditioned for any digit to be trusted."""


def digits_lost(condition_number: float) -> float:
    """Significant decimal digits that an error of one unit in the last place can cost."""
    return float(np.log10(max(condition_number, 1.0)))


def _condition_message(condition_number: float, xs: list[str]) -> str:
    if not np.isfinite(condition_number):
        return f"the correlation matrix of the regressors {', '.join(xs)} is singular (condition number inf)"
    lost = digits_lost(condition_number)
    left = max(0.0, -np.log10(np.finfo(float).eps) - lost)
    return (
        f"the correlation matrix of the regressors {', '.join(xs)} has condition number "
        f"{condition_number:.3g}: about {lost:.0f} of the 16 significant digits of a double are "
        f"lost, so the slopes carry at most about {left:.0f} correct digits"
    )


@dataclass
class SummaryOLS:
    """Results of :func:`ols_from_moments`, named like statsmodels' ``RegressionResults``.

    ``condition_number`` is the 2-norm condition number of the regressors' correlation matrix;
    ``exact_fit`` is true when the residual variance is zero to working precision.
    """

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
    condition_number: float = 1.0
    exact_fit: bool = False


def _check_inputs(n, means, sds, corr, y, xs) -> None:
    names = [y, *xs]
    if len(set(names)) != len(names):
        raise ValueError(
            f"a variable appears twice among the outcome and regressors: {names}"
        )
    for name in names:
        for label, table in (("mean", means), ("standard deviation", sds)):
            if name not in table.index:
                raise ValueError(f"no {label} given for {name!r}")
            if not np.isfinite(float(table[name])):
                raise ValueError(
                    f"the {label} of {name!r} is not a finite number: {table[name]}"
                )
        if not float(sds[name]) > 0:
            raise ValueError(
                f"the standard deviation of {name!r} must be positive; got {sds[name]}"
            )
        if name not in corr.index or name not in corr.columns:
            raise ValueError(f"no correlations given for {name!r}")
    block = corr.loc[names, names].to_numpy(float)
    if not np.isfinite(block).all():
        raise ValueError("the correlation matrix has missing or infinite entries")
    if np.abs(block).max() > 1 + 1e-12:
        raise ValueError("a correlation lies outside [-1, 1]")


def ols_from_moments(
    n: int,
    means: pd.Series,
    sds: pd.Series,
    corr: pd.DataFrame,
    y: str,
    xs: list[str],
    *,
    warn_condition: float = WARN_CONDITION,
    max_condition: float = MAX_CONDITION,
) -> SummaryOLS:
    """OLS of ``y`` on ``xs`` with an intercept, from n, means, standard deviations and correlations.

    ``means`` and ``sds`` are Series and ``corr`` a square DataFrame, all indexed by variable name.
    The intercept is reported under the name ``const`` (as in statsmodels). Standardized
    coefficients (``std_params``) are the slopes in standard-deviation units, ``b * sd(x) / sd(y)``.

    Raises :class:`IllConditionedError` when the condition number of the regressors' correlation
    matrix exceeds ``max_condition`` and warns (:class:`IllConditionedWarning`) above
    ``warn_condition``; both messages name the condition number. An exact fit gives R^2 = 1,
    standard errors 0 and F = inf (see the module docstring).
    """
    k = len(xs)
    df_resid = n - k - 1
    if df_resid <= 0:
        raise ValueError(
            f"{k} regressors and an intercept need more than {k + 1} observations; n = {n}"
        )
    _check_inputs(n, means, sds, corr, y, xs)
    r_xx = corr.loc[xs, xs].to_numpy(float)
    r_xy = corr.loc[xs, y].to_numpy(float)
    sd_x = sds[xs].to_numpy(float)
    sd_y = float(sds[y])
    condition_number = float(
        np.linalg.cond(r_xx)
    )  # ratio of extreme singular values; inf if singular
    if condition_number > max_condition:
        raise IllConditionedError(
            f"OLS from moments refused: {_condition_message(condition_number, xs)} "
            f"(limit {max_condition:.0e}). Fit from the data with a QR-based method, or "
            "centre / orthogonalize the regressors (e.g. orthogonal polynomials)."
        )
    if condition_number > warn_condition:
        warnings.warn(
            f"OLS from moments: {_condition_message(condition_number, xs)}",
            IllConditionedWarning,
            stacklevel=2,
        )
    beta = np.linalg.solve(r_xx, r_xy)  # standardized slopes
    inv_r_xx = np.linalg.inv(r_xx)
    resid_share = 1.0 - float(beta @ r_xy)
    tolerance = EXACT_FIT_TOL * max(condition_number, 1.0)
    if resid_share < -tolerance:
        raise ValueError(
            f"the correlations are impossible: they imply R^2 = {1 - resid_share:.6g} > 1 "
            f"(the correlation matrix of {', '.join([y, *xs])} is not positive semi-definite)"
        )
    exact_fit = resid_share <= tolerance
    if exact_fit:
        resid_share = 0.0
    r2 = 1.0 - resid_share
    slopes = beta * sd_y / sd_x
    mean_x = means[xs].to_numpy(float)
    intercept = float(means[y]) - slopes @ mean_x
    s2 = (n - 1) * sd_y**2 * resid_share / df_resid
    cov_b = s2 * inv_r_xx / np.outer(sd_x, sd_x) / (n - 1)
    var_a = s2 / n + mean_x @ cov_b @ mean_x
    index = ["const", *xs]
    params = pd.Series([intercept, *slopes], index=index)
    bse = pd.Series(np.sqrt(np.clip([var_a, *np.diag(cov_b)], 0, None)), index=index)
    with np.errstate(divide="ignore", invalid="ignore"):
        tvalues = params / bse
        fvalue = np.inf if exact_fit else (r2 / k) / (resid_share / df_resid)
    pvalues = pd.Series(2 * stats.t.sf(np.abs(tvalues), df_resid), index=index)
    return SummaryOLS(
        params=params,
        bse=bse,
        tvalues=tvalues,
        pvalues=pvalues,
        std_params=pd.Series(beta, index=xs),
        rsquared=r2,
        rsquared_adj=1 - resid_share * (n - 1) / df_resid,
        fvalue=float(fvalue),
        f_pvalue=float(stats.f.sf(fvalue, k, df_resid)),
        nobs=n,
        df_model=k,
        df_resid=df_resid,
        condition_number=condition_number,
        exact_fit=bool(exact_fit),
    )


def moments_of(frame: pd.DataFrame) -> tuple[int, pd.Series, pd.Series, pd.DataFrame]:
    """``(n, means, sds, corr)`` of a data frame, with sample (n - 1) standard deviations."""
    return len(frame), frame.mean(), frame.std(ddof=1), frame.corr()


def published_moments(
    table2: pd.DataFrame, table3: pd.DataFrame
) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
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
