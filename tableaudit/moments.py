"""OLS from the printed moments, vectorized over a batch of moment sets.

The rounding ranges (:mod:`tableaudit.ranges`) evaluate every implied quantity of a model at
thousands of moment sets within the rounding of Tables 2-3; these functions do it in one pass.
(:mod:`tableaudit.sumstats` is the one-set version with its numerical safeguards.)
"""

from __future__ import annotations

import numpy as np

from .published import Tables


def _nominal_moments(tb: Tables):
    v = tb.variables
    means = np.array([tb.table2[x]["mean"].value for x in v])
    sds = np.array([tb.table2[x]["sd"].value for x in v])
    corr = np.eye(len(v))
    for (a, b), (r, _) in tb.table3.items():
        i, j = v.index(a), v.index(b)
        corr[i, j] = corr[j, i] = r.value
    return means, sds, corr


def _ols_batch(tb: Tables, model: str, means, sds, corr):
    """Vectorized OLS from moments for a batch of draws. Returns dict of arrays."""
    v = tb.variables
    y = v.index(tb.dependent)
    xs = [v.index(t) for t in tb.regressors(model)]
    n, k = tb.n, len(xs)
    df = n - k - 1
    rxx = corr[:, xs][:, :, xs]
    rxy = corr[:, xs, y]
    beta = np.linalg.solve(rxx, rxy[..., None])[..., 0]
    r2 = np.einsum("ij,ij->i", beta, rxy)
    sd_x, sd_y = sds[:, xs], sds[:, y]
    slopes = beta * sd_y[:, None] / sd_x
    intercept = means[:, y] - np.einsum("ij,ij->i", slopes, means[:, xs])
    s2 = (n - 1) * sd_y**2 * (1 - r2) / df
    inv = np.linalg.inv(rxx * sd_x[:, :, None] * sd_x[:, None, :] * (n - 1))
    cov_b = s2[:, None, None] * inv
    se = np.sqrt(np.diagonal(cov_b, axis1=1, axis2=2))
    mx = means[:, xs]
    se_c = np.sqrt(s2 / n + np.einsum("bi,bij,bj->b", mx, cov_b, mx))
    fval = (r2 / k) / ((1 - r2) / df)
    vif = np.diagonal(np.linalg.inv(rxx), axis1=1, axis2=2)
    return {
        "r2": r2,
        "f": fval,
        "slopes": slopes,
        "std": beta,
        "se": se,
        "intercept": intercept,
        "se_c": se_c,
        "vif": vif,
        "s2": s2,
        "cov_b": cov_b,
    }


def _model_quantities(tb: Tables, model: str, means, sds, corr) -> np.ndarray:
    """All implied quantities of a model for a batch of moments, as columns (see _quantity_labels)."""
    with np.errstate(all="ignore"):
        res = _ols_batch(tb, model, means, sds, corr)
        k = res["std"].shape[1]
        df = tb.n - k - 1
        rxx_inv_diag = res["vif"]
        se_std = np.sqrt(np.clip(1 - res["r2"], 0, None)[:, None] / df * rxx_inv_diag)
        t = res["std"] / se_std
    cols = [
        res["std"],
        se_std,
        t,
        res["vif"],
        res["intercept"][:, None],
        res["se_c"][:, None],
        res["r2"][:, None],
        res["f"][:, None],
    ]
    return np.concatenate(cols, axis=1)


def _quantity_labels(tb: Tables, model: str) -> list[tuple[str, str]]:
    regs = tb.regressors(model)
    return (
        [(t, "std_coef") for t in regs]
        + [(t, "se_std") for t in regs]
        + [(t, "t") for t in regs]
        + [(t, "vif") for t in regs]
        + [("_Cons", "coef"), ("_Cons", "se"), ("", "r2"), ("", "f")]
    )
