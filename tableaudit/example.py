"""A worked example: true Tables 2-4 computed from a data frame and rounded like a paper."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .format import FORMAT_FILE, Conventions
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
    conventions: Conventions | None = None,
    not_significant: str = "",
) -> Path:
    """Compute Tables 2-4 from a data frame, round them as a journal would, and write them.

    ``frame`` holds the variables (the dependent one included); ``model_terms`` maps a model name to
    its regressors. ``decimals`` overrides the rounding per table (defaults: descriptive statistics 4,
    correlations 3, coefficients 4, F 2, R² 4, p 4; a t statistic in parentheses 2, a p-value 3).
    ``conventions`` prints the tables in a journal's conventions (stars at other levels or
    one-sided, t statistics or p-values in parentheses, thousands separators) and declares them in
    ``table_format.csv``; ``not_significant`` (such as ``"n.s."``) is printed where a number has no
    stars.
    """
    import statsmodels.api as sm

    conv = conventions or Conventions()
    rule = conv.stars
    dec = {"desc": 4, "r": 3, "coef": 4, "f": 2, "r2": 4, "p": 4, "t": 2, "p_coef": 3} | (decimals or {})
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)

    def num(x: float, decimals: int) -> str:
        text = f"{x:,.{decimals}f}" if conv.thousands else f"{x:.{decimals}f}"
        return text.replace(",", conv.thousands) if conv.thousands else text

    def mark(p: float) -> str:
        return stars(p, rule) or not_significant

    variables = [dependent] + [c for c in frame.columns if c != dependent]
    n = len(frame)
    rows = [["variable", "mean", "sd", "min", "max"]]
    for v in variables:
        s = frame[v]
        rows.append([v] + [num(x, dec["desc"]) for x in (s.mean(), s.std(ddof=1), s.min(), s.max())])
    _write(d / "table2_descriptives.csv", rows)
    corr = frame[variables].corr()
    rows = [["row", "col", "r", "stars"]]
    for i, a in enumerate(variables):
        for b in variables[:i]:
            r = corr.loc[a, b]
            rows.append([a, b, f"{r:.{dec['r']}f}", mark(correlation_pvalue(r, n))])
    _write(d / "table3_correlations.csv", rows)
    kind = conv.parentheses
    coef_rows, fit_rows = [["model", "term", "coef", kind, "stars", "note"]], [["model", "n", "f", "r2", "p_value", "note"]]
    for model, terms in model_terms.items():
        res = sm.OLS(frame[dependent], sm.add_constant(frame[terms])).fit()
        for term in terms + ["const"]:
            name = "_Cons" if term == "const" else term
            if kind == "se":
                paren = num(res.bse[term], dec["coef"])
            elif kind == "t":
                paren = f"({res.tvalues[term]:.{dec['t']}f})"
            else:
                p = res.pvalues[term] / (2 if rule.one_sided else 1)
                paren = f"({p:.{dec['p_coef']}f})" if p >= 10 ** -dec["p_coef"] else f"(<{10 ** -dec['p_coef']:.{dec['p_coef']}f})"
            coef_rows.append([model, name, num(res.params[term], dec["coef"]), paren, mark(res.pvalues[term]), ""])
        fit_rows.append([model, str(n), num(res.fvalue, dec["f"]), f"{res.rsquared:.{dec['r2']}f}",
                         f"{res.f_pvalue:.{dec['p']}f}", ""])
    _write(d / "table4_coefficients.csv", coef_rows)
    _write(d / "table4_fit.csv", fit_rows)
    if conv != Conventions():
        _write(d / FORMAT_FILE, [["option", "value"], *_declared(conv)])
    return d


def _declared(conv: Conventions) -> list[list[str]]:
    """The rows of ``table_format.csv`` that declare ``conv`` (only what differs from the default)."""
    default = Conventions()
    rows = []
    if conv.stars.levels != default.stars.levels:
        rows.append(["star_levels", "/".join(f"{lvl * 100:g}" for lvl in conv.stars.levels)])
    if conv.stars.one_sided:
        rows.append(["star_test", "one-sided"])
    if conv.parentheses != "se":
        rows.append(["parentheses", conv.parentheses])
    if conv.thousands:
        rows.append(["thousands_separator", {",": "comma", " ": "space", "'": "apostrophe"}[conv.thousands]])
    return rows


def _write(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
