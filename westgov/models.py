"""The paper's four regression models and their estimation with statsmodels.

Every model has the digital government index (Var1) as outcome; the regressors are those the
paper's Table 4 lists. Chapters and ``python -m westgov results`` call the same functions here.
"""

from __future__ import annotations

import pandas as pd
import statsmodels.formula.api as smf

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
    """Fit one model by OLS on ``frame`` (columns named as in the codebook)."""
    return smf.ols(formula(model, names), data=frame).fit(cov_type=cov_type)


def fit_all(frame: pd.DataFrame, names: dict[str, str], cov_type: str = "nonrobust") -> dict:
    """Fit M1-M4; returns a dict model -> statsmodels results."""
    return {m: fit(frame, m, names, cov_type) for m in MODEL_TERMS}


def summarize(result, model: str, names: dict[str, str]) -> dict:
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
    return {m: summarize(r, m, ds.names) for m, r in fit_all(frame, ds.names).items()}
