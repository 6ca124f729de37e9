"""Generated published-table sets: correct ones, planted errors, and the audit's measured accuracy.

The audit (:mod:`tableaudit`) claims that it finds the errors a paper's regression tables can
contain and raises no alarm on correct tables. This module measures both claims instead of
asserting them:

1. :func:`table_set` computes Tables 2-4 (descriptives, correlations with stars, OLS coefficients
   with SEs and stars, fit) from a real data set and prints them the way journals do, in the
   ``data/published/`` format, at a rounding :data:`STYLES` (2, 3 or 4 decimals);
2. :func:`plant` makes one error of a given kind (:data:`ERROR_KINDS`) in a copy of a table set;
3. :func:`tableaudit.accuracy.measure` audits many correct sets (every "inconsistent" verdict
   there is a false alarm) and, for each, one planted error of every kind (caught, legitimately
   undecidable, or missed).

The data are statsmodels' bundled data sets (:data:`DATASETS`): real published data, with small
samples (row subsets down to n = k + 4) and near-collinear regressors (Longley's GNP, population
and year; the credit-card data's income and income squared) among them.

Run ``python -m tableaudit.accuracy [--sets N] [--out FILE]`` to write the measurement as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm

from .significance import correlation_pvalue, stars

#: Decimals printed per kind of number: descriptives, correlations, coefficients and SEs, F, R^2, p.
STYLES = {
    "2-decimals": {"desc": 2, "r": 2, "coef": 2, "f": 2, "r2": 2, "p": 3},
    "3-decimals": {"desc": 3, "r": 3, "coef": 3, "f": 2, "r2": 3, "p": 3},
    "4-decimals": {"desc": 4, "r": 3, "coef": 4, "f": 2, "r2": 4, "p": 4},
}

#: The planted errors, each with what it does to the printed tables.
ERROR_KINDS = {
    "coef_plus_10pct": "one slope printed 10 % too large",
    "star_off_by_one": "one coefficient's stars one level off (none <-> *, * <-> **, ** <-> ***)",
    "swapped_ses": "the standard errors of two regressors of one model swapped",
    "f_inconsistent": "one model's F printed 25 % too large for its R²",
    "r2_off": "one model's R² off by 0.02",
    "corr_sign_flipped": "one correlation printed with the wrong sign",
    "impossible_sd": "one standard deviation larger than its range allows",
}

#: statsmodels data sets: (name, dependent variable, models as name -> regressors, row filter).
DATASETS = {
    "longley": (
        "TOTEMP",
        {
            "M1": ["GNP", "UNEMP", "ARMED"],
            "M2": ["GNP", "UNEMP", "ARMED", "POP", "YEAR"],
        },
    ),
    "stackloss": (
        "STACKLOSS",
        {"M1": ["AIRFLOW"], "M2": ["AIRFLOW", "WATERTEMP", "ACIDCONC"]},
    ),
    "copper": (
        "WORLDCONSUMPTION",
        {
            "M1": ["COPPERPRICE", "INCOMEINDEX"],
            "M2": ["COPPERPRICE", "INCOMEINDEX", "ALUMPRICE", "INVENTORYINDEX"],
        },
    ),
    "cpunish": (
        "EXECUTIONS",
        {
            "M1": ["INCOME", "PERPOVERTY"],
            "M2": ["INCOME", "PERPOVERTY", "PERBLACK", "SOUTH"],
        },
    ),
    "ccard": (
        "AVGEXP",
        {"M1": ["AGE", "INCOME"], "M2": ["AGE", "INCOME", "INCOMESQ", "OWNRENT"]},
    ),
    "statecrime": (
        "violent",
        {"M1": ["poverty", "single"], "M2": ["poverty", "single", "hs_grad", "urban"]},
    ),
    "scotland": (
        "YES",
        {"M1": ["COUTAX", "UNEMPF"], "M2": ["COUTAX", "UNEMPF", "MOR", "ACT", "GDP"]},
    ),
    "fair": (
        "affairs",
        {
            "M1": ["rate_marriage", "age"],
            "M2": ["rate_marriage", "age", "yrs_married", "religious"],
        },
    ),
    "grunfeld": ("invest", {"M1": ["value"], "M2": ["value", "capital"]}),
}


def load_dataset(name: str) -> pd.DataFrame:
    """The variables of :data:`DATASETS` ``name`` used by its models, as floats (rows with gaps dropped)."""
    dependent, models = DATASETS[name]
    columns = [dependent] + list(dict.fromkeys(x for xs in models.values() for x in xs))
    frame = getattr(sm.datasets, name).load_pandas().data[columns]
    return (
        frame.apply(pd.to_numeric, errors="coerce")
        .dropna()
        .astype(float)
        .reset_index(drop=True)
    )


# ---------------------------------------------------------------------------------------------
# Correct table sets
# ---------------------------------------------------------------------------------------------


def _fmt(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0.00"


@dataclass
class TableSet:
    """Printed Tables 2-4 (as text frames in the ``data/published/`` format) and how they were made."""

    table2: pd.DataFrame
    table3: pd.DataFrame
    coefs: pd.DataFrame
    fit: pd.DataFrame
    label: str = ""
    style: str = ""
    truth: dict = field(
        default_factory=dict
    )  # unrounded statistics, keyed like the printed ones

    def copy(self) -> TableSet:
        return TableSet(
            self.table2.copy(),
            self.table3.copy(),
            self.coefs.copy(),
            self.fit.copy(),
            self.label,
            self.style,
            dict(self.truth),
        )

    def write(self, directory: Path | str) -> Path:
        """Write the four CSV files the audit reads."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        for frame, name in (
            (self.table2, "table2_descriptives.csv"),
            (self.table3, "table3_correlations.csv"),
            (self.coefs, "table4_coefficients.csv"),
            (self.fit, "table4_fit.csv"),
        ):
            frame.to_csv(d / name, index=False, lineterminator="\n")
        return d


def table_set(
    frame: pd.DataFrame,
    dependent: str,
    models: dict[str, list[str]],
    style: str = "4-decimals",
    label: str = "",
) -> TableSet:
    """Tables 2-4 of OLS regressions of ``dependent`` on each model's regressors, printed in ``style``.

    Every number is computed from ``frame`` (statsmodels OLS with an intercept; sample SDs; Pearson
    correlations with two-sided t-test stars at 10 / 5 / 1 %) and rounded to the style's decimals.
    """
    dec = STYLES[style]
    n = len(frame)
    variables = [dependent] + [c for c in frame.columns if c != dependent]
    t2 = pd.DataFrame(
        [
            {
                "variable": v,
                "mean": _fmt(frame[v].mean(), dec["desc"]),
                "sd": _fmt(frame[v].std(ddof=1), dec["desc"]),
                "min": _fmt(frame[v].min(), dec["desc"]),
                "max": _fmt(frame[v].max(), dec["desc"]),
            }
            for v in variables
        ]
    )
    corr = frame[variables].corr()
    t3 = pd.DataFrame(
        [
            {
                "row": a,
                "col": b,
                "r": _fmt(corr.loc[a, b], dec["r"]),
                "stars": stars(correlation_pvalue(corr.loc[a, b], n)),
            }
            for i, a in enumerate(variables)
            for b in variables[:i]
        ]
    )
    coef_rows, fit_rows, truth = [], [], {}
    for model, terms in models.items():
        res = sm.OLS(
            frame[dependent], sm.add_constant(frame[terms], has_constant="add")
        ).fit()
        for term in [*terms, "const"]:
            name = "_Cons" if term == "const" else term
            coef_rows.append(
                {
                    "model": model,
                    "term": name,
                    "coef": _fmt(res.params[term], dec["coef"]),
                    "se": _fmt(res.bse[term], dec["coef"]),
                    "stars": stars(res.pvalues[term]),
                    "note": "",
                }
            )
            truth[model, name] = (
                float(res.params[term]),
                float(res.bse[term]),
                float(res.tvalues[term]),
            )
        fit_rows.append(
            {
                "model": model,
                "n": n,
                "f": _fmt(res.fvalue, dec["f"]),
                "r2": _fmt(res.rsquared, dec["r2"]),
                "p_value": _fmt(res.f_pvalue, dec["p"]),
                "note": "",
            }
        )
    return TableSet(
        t2, t3, pd.DataFrame(coef_rows), pd.DataFrame(fit_rows), label, style, truth
    )


@dataclass
class Case:
    """A data set, a subset of its rows and a rounding style: one correct table set to generate."""

    dataset: str
    rows: np.ndarray
    style: str

    @property
    def label(self) -> str:
        return f"{self.dataset} n={len(self.rows)} {self.style}"

    def tables(self) -> TableSet:
        dependent, models = DATASETS[self.dataset]
        frame = load_dataset(self.dataset).iloc[self.rows].reset_index(drop=True)
        return table_set(frame, dependent, models, self.style, self.label)


def cases(n_sets: int = 200, seed: int = 20261130) -> list[Case]:
    """``n_sets`` cases spread over :data:`DATASETS`, each row subset printed in all three styles.

    Per data set: first all rows (when at most 80), then random subsets from small (k + 4 rows, k
    the largest model's number of regressors) to moderate sizes (at most 60 rows).
    """
    rng = np.random.default_rng(seed)
    frames = {name: load_dataset(name) for name in DATASETS}
    out: list[Case] = []
    round_no = 0
    while len(out) < n_sets:
        for name, frame in frames.items():
            size = len(frame)
            k = max(len(xs) for xs in DATASETS[name][1].values())
            if round_no == 0 and size <= 80:
                rows = np.arange(size)
            else:
                low = k + 4
                high = max(low + 1, min(size, 60))
                rows = np.sort(
                    rng.choice(
                        size, size=int(rng.integers(low, high + 1)), replace=False
                    )
                )
            out.extend(Case(name, rows, style) for style in STYLES)
        round_no += 1
    return out[:n_sets]


# ---------------------------------------------------------------------------------------------
# Planted errors
# ---------------------------------------------------------------------------------------------


@dataclass
class Plant:
    """A planted error: its kind, where it is, the printed text before and after."""

    kind: str
    where: str
    before: str
    after: str
    claims: list[
        str
    ]  # audit claims that bear on it (for "undecidable" versus "missed")

    @property
    def visible(self) -> bool:
        """False when rounding swallows the error (the printed text did not change)."""
        return self.before != self.after


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


_STAR_STEP = {"": ["*"], "*": ["", "**"], "**": ["*", "***"], "***": ["**"]}


def _plant_coef_plus_10pct(t: TableSet, rng, choice) -> Plant:
    slopes = t.coefs[t.coefs.term != "_Cons"]
    i = choice if choice is not None else rng.choice(slopes.index)
    row = t.coefs.loc[i]
    after = _fmt(float(row.coef) * 1.1, _decimals(row.coef))
    t.coefs.loc[i, "coef"] = after
    claims = [
        f"{row.model}: coefficient of {row.term}",
        f"{row.model}: stars of {row.term}",
        f"{row.model}: intercept",
    ]
    return Plant("coef_plus_10pct", f"{row.model} {row.term}", row.coef, after, claims)


def _plant_star_off_by_one(t: TableSet, rng, choice) -> Plant:
    i = choice if choice is not None else rng.choice(t.coefs.index)
    row = t.coefs.loc[i]
    after = str(rng.choice(_STAR_STEP[row.stars]))
    t.coefs.loc[i, "stars"] = after
    return Plant(
        "star_off_by_one",
        f"{row.model} {row.term}",
        row.stars or "(none)",
        after or "(none)",
        [f"{row.model}: stars of {row.term}"],
    )


def _plant_swapped_ses(t: TableSet, rng, choice) -> Plant:
    slopes = t.coefs[t.coefs.term != "_Cons"]
    models = [m for m, g in slopes.groupby("model") if g.se.nunique() > 1]
    model = rng.choice(models) if models else rng.choice(slopes.model.unique())
    group = slopes[slopes.model == model]
    pairs = [
        (a, b)
        for a in group.index
        for b in group.index
        if a < b and group.se[a] != group.se[b]
    ]
    a, b = pairs[rng.integers(len(pairs))] if pairs else tuple(group.index[:2])
    if choice is not None:
        a, b = choice
        model = t.coefs.loc[a, "model"]
    if a == b or b is None:
        return Plant("swapped_ses", f"{model}", "", "", [])
    sa, sb = t.coefs.loc[a, "se"], t.coefs.loc[b, "se"]
    t.coefs.loc[a, "se"], t.coefs.loc[b, "se"] = sb, sa
    ta, tb_ = t.coefs.loc[a, "term"], t.coefs.loc[b, "term"]
    claims = [
        f"{model}: standard error of {ta}",
        f"{model}: standard error of {tb_}",
        f"{model}: stars of {ta}",
        f"{model}: stars of {tb_}",
    ]
    return Plant(
        "swapped_ses", f"{model} {ta} <-> {tb_}", f"{sa}, {sb}", f"{sb}, {sa}", claims
    )


def _plant_f_inconsistent(t: TableSet, rng, choice) -> Plant:
    i = choice if choice is not None else rng.choice(t.fit.index)
    row = t.fit.loc[i]
    after = _fmt(float(row.f) * 1.25, _decimals(row.f))
    t.fit.loc[i, "f"] = after
    k = int((t.coefs[(t.coefs.model == row.model)].term != "_Cons").sum())
    df = int(row.n) - k - 1
    return Plant(
        "f_inconsistent",
        row.model,
        row.f,
        after,
        [
            f"{row.model}: F from R², n = {row.n}, k = {k}",
            f"{row.model}: p-value of F({k}, {df})",
        ],
    )


def _plant_r2_off(t: TableSet, rng, choice) -> Plant:
    i = choice if choice is not None else rng.choice(t.fit.index)
    row = t.fit.loc[i]
    r2 = float(row.r2)
    after = _fmt(r2 + 0.02 if r2 <= 0.97 else r2 - 0.02, _decimals(row.r2))
    t.fit.loc[i, "r2"] = after
    k = int((t.coefs[(t.coefs.model == row.model)].term != "_Cons").sum())
    claims = [
        f"{row.model}: F from R², n = {row.n}, k = {k}",
        f"{row.model}: R² implied by Tables 2-3",
    ]
    return Plant("r2_off", row.model, row.r2, after, claims)


def _plant_corr_sign_flipped(t: TableSet, rng, choice) -> Plant:
    i = choice if choice is not None else rng.choice(t.table3.index)
    row = t.table3.loc[i]
    after = row.r[1:] if row.r.startswith("-") else "-" + row.r
    after = _fmt(float(after), _decimals(row.r))
    t.table3.loc[i, "r"] = after
    claims = [
        f"stars of r({row.row}, {row.col})",
        "correlation matrix is positive definite",
    ]
    return Plant("corr_sign_flipped", f"r({row.row}, {row.col})", row.r, after, claims)


def _plant_impossible_sd(t: TableSet, rng, choice) -> Plant:
    i = choice if choice is not None else rng.choice(t.table2.index)
    row = t.table2.loc[i]
    dec = _decimals(row.sd)
    after = _fmt(float(row["max"]) - float(row["min"]) + 2 * 10.0**-dec, dec)
    t.table2.loc[i, "sd"] = after
    return Plant(
        "impossible_sd",
        row.variable,
        row.sd,
        after,
        [f"{row.variable}: sd possible given the range"],
    )


#: How each error kind is planted: kind -> function(copy, rng, choice) -> Plant.
_PLANTERS = {
    "coef_plus_10pct": _plant_coef_plus_10pct,
    "star_off_by_one": _plant_star_off_by_one,
    "swapped_ses": _plant_swapped_ses,
    "f_inconsistent": _plant_f_inconsistent,
    "r2_off": _plant_r2_off,
    "corr_sign_flipped": _plant_corr_sign_flipped,
    "impossible_sd": _plant_impossible_sd,
}


def plant(
    tables: TableSet, kind: str, rng: np.random.Generator, choice=None
) -> tuple[TableSet, Plant]:
    """A copy of ``tables`` with one error of ``kind`` (see :data:`ERROR_KINDS`).

    The cell is chosen with ``rng``, or given as ``choice``: the row label of the table concerned
    (coefficients for ``coef_plus_10pct`` and ``star_off_by_one``, fit for ``f_inconsistent`` and
    ``r2_off``, Table 3 for ``corr_sign_flipped``, Table 2 for ``impossible_sd``) or, for
    ``swapped_ses``, a pair of coefficient-row labels of one model.
    """
    planter = _PLANTERS.get(kind)
    if planter is None:
        raise ValueError(f"unknown error kind {kind!r}; known: {', '.join(ERROR_KINDS)}")
    t = tables.copy()
    return t, planter(t, rng, choice)
