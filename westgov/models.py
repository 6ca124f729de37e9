"""The paper's four regression models and their estimation with statsmodels.

Every model has the digital government index (Var1) as outcome; the regressors are those the
paper's Table 4 lists. Chapters and ``python -m westgov results`` call the same functions here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

from . import data as data_mod
from . import replica as replica_mod

OUTCOME = "Var1"
#: Regressors of each model, by paper id (Table 4 of the paper).
MODEL_TERMS = {
    "M1": ["Var2", "Var3"],
    "M2": ["Var4", "Var5", "Var6"],
    "M3": ["Var2", "Var3", "Var4", "Var5", "Var6"],
    "M4": ["Var2", "Var3", "Var4", "Var5", "Var6", "Var7", "Var8"],
}


def formula(model: str, names: dict[str, str]) -> str:
    """The patsy formula of a model, with the book's column names (``names`` maps paper id -> name)."""
    return f"{names[OUTCOME]} ~ " + " + ".join(names[v] for v in MODEL_TERMS[model])


def fit(frame: pd.DataFrame, model: str, names: dict[str, str], cov_type: str = "nonrobust"):
    """Fit one model by OLS on ``frame`` (columns named as in the codebook).

    Inference always uses the t distribution with the residual degrees of freedom, also for
    robust covariances (``cov_type="HC3"``), where statsmodels would otherwise default to the
    normal distribution: with 4 to 9 residual df that default understates p-values by orders of
    magnitude.
    """
    return smf.ols(formula(model, names), data=frame).fit(cov_type=cov_type, use_t=True)


def fit_all(frame: pd.DataFrame, names: dict[str, str], cov_type: str = "nonrobust") -> dict:
    """Fit M1-M4; returns a dict model -> statsmodels results."""
    return {m: fit(frame, m, names, cov_type) for m in MODEL_TERMS}


def summarize(result, names: dict[str, str]) -> dict:
    """Plain-number summary of one fitted model, with terms keyed by paper id (and ``const``)."""
    by_name = {v: k for k, v in names.items()}
    y_sd = result.model.endog.std(ddof=1)
    exog = pd.DataFrame(result.model.exog, columns=result.model.exog_names)
    terms = {}
    for term in result.params.index:
        key = "const" if term == "Intercept" else by_name[term]
        std = None if term == "Intercept" else float(result.params[term] * exog[term].std(ddof=1) / y_sd)
        terms[key] = {
            "coef": float(result.params[term]),
            "se": float(result.bse[term]),
            "t": float(result.tvalues[term]),
            "p": float(result.pvalues[term]),
            "std_coef": std,
        }
    return {
        "n": int(result.nobs),
        "k": int(result.df_model),
        "df_resid": int(result.df_resid),
        "r2": float(result.rsquared),
        "adj_r2": float(result.rsquared_adj),
        "f": float(result.fvalue),
        "f_pvalue": float(result.f_pvalue),
        "terms": terms,
    }


def results_dict(ds: data_mod.Dataset | None = None) -> dict:
    """M1-M4 estimated on the replica, as plain numbers (what ``python -m westgov results --json`` prints)."""
    ds = ds or data_mod.load()
    frame = replica_mod.load(ds)
    return {m: summarize(r, ds.names) for m, r in fit_all(frame, ds.names).items()}


def row_diagnostics(frame: pd.DataFrame, model: str, names: dict[str, str]) -> dict:
    """Row-level diagnostics of one model, computed directly with numpy (fast enough to repeat
    over hundreds of replicas; :mod:`tests.test_models` checks every number against statsmodels).

    Returns a dict with

    * ``leverage``: hat value of each row (Series, index as ``frame``);
    * ``cooks``: Cook's distance of each row;
    * ``hc3_se`` and ``hc3_p``: HC3 standard errors and two-sided p-values from t(n - k - 1),
      by term (``Intercept`` and the regressors' column names);
    * ``loo``: the coefficients with each row left out (one row per left-out row).
    """
    terms = ["Intercept"] + [names[t] for t in MODEL_TERMS[model]]
    x = np.column_stack([np.ones(len(frame)), frame[terms[1:]].to_numpy(float)])
    y = frame[names[OUTCOME]].to_numpy(float)
    n, p = x.shape
    df = n - p
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    resid = y - x @ beta
    h = np.einsum("ij,jk,ik->i", x, xtx_inv, x)
    s2 = resid @ resid / df
    cooks = resid**2 / (p * s2) * h / (1 - h) ** 2
    meat = x.T @ (x * (resid**2 / (1 - h) ** 2)[:, None])
    hc3_se = np.sqrt(np.diag(xtx_inv @ meat @ xtx_inv))
    hc3_p = 2 * stats.t.sf(np.abs(beta / hc3_se), df)
    loo = beta[None, :] - (xtx_inv @ x.T).T * (resid / (1 - h))[:, None]
    return {
        "leverage": pd.Series(h, index=frame.index, name="leverage"),
        "cooks": pd.Series(cooks, index=frame.index, name="cooks"),
        "hc3_se": pd.Series(hc3_se, index=terms, name="hc3_se"),
        "hc3_p": pd.Series(hc3_p, index=terms, name="hc3_p"),
        "loo": pd.DataFrame(loo, index=frame.index, columns=terms),
    }
