"""A worked example: true Tables 2-4 computed from a data frame and rounded like a paper."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .significance import correlation_pvalue, stars

# ---------------------------------------------------------------------------------------------
# Worked example: true tables computed from a public dataset and rounded like a paper
# ---------------------------------------------------------------------------------------------


def write_example_tables(
    frame: pd.DataFrame,
    dependent: str,
    model_terms: dict[str, list[str]],
    directory: Path | str,
    decimals: dict | None = None,
) -> Path:
    """Compute Tables 2-4 from a data frame, round them as a journal would, and write them.

    ``frame`` holds the variables (the dependent one included); ``model_terms`` maps a model name to
    its regressors. ``decimals`` overrides the rounding per table (defaults: descriptive statistics 4,
    correlations 3, coefficients 4, F 2, R² 4, p 4).
    """
    import statsmodels.api as sm

    dec = {"desc": 4, "r": 3, "coef": 4, "f": 2, "r2": 4, "p": 4} | (decimals or {})
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    variables = [dependent] + [c for c in frame.columns if c != dependent]
    n = len(frame)
    rows = ["variable,mean,sd,min,max"]
    for v in variables:
        s = frame[v]
        rows.append(
            ",".join(
                [v]
                + [
                    f"{x:.{dec['desc']}f}"
                    for x in (s.mean(), s.std(ddof=1), s.min(), s.max())
                ]
            )
        )
    (d / "table2_descriptives.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    corr = frame[variables].corr()
    rows = ["row,col,r,stars"]
    for i, a in enumerate(variables):
        for b in variables[:i]:
            r = corr.loc[a, b]
            rows.append(f"{a},{b},{r:.{dec['r']}f},{stars(correlation_pvalue(r, n))}")
    (d / "table3_correlations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    coef_rows, fit_rows = (
        ["model,term,coef,se,stars,note"],
        ["model,n,f,r2,p_value,note"],
    )
    for model, terms in model_terms.items():
        res = sm.OLS(frame[dependent], sm.add_constant(frame[terms])).fit()
        for term in terms + ["const"]:
            name = "_Cons" if term == "const" else term
            coef_rows.append(
                f"{model},{name},{res.params[term]:.{dec['coef']}f},{res.bse[term]:.{dec['coef']}f},{stars(res.pvalues[term])},"
            )
        fit_rows.append(
            f"{model},{n},{res.fvalue:.{dec['f']}f},{res.rsquared:.{dec['r2']}f},{res.f_pvalue:.{dec['p']}f},"
        )
    (d / "table4_coefficients.csv").write_text(
        "\n".join(coef_rows) + "\n", encoding="utf-8"
    )
    (d / "table4_fit.csv").write_text("\n".join(fit_rows) + "\n", encoding="utf-8")
    return d
