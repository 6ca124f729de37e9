"""Generated published-table sets: correct ones, planted errors, and the audit's measured accuracy.

The audit (:mod:`tableaudit`) claims that it finds the errors a paper's regression tables can
contain and raises no alarm on correct tables. This module measures both claims instead of
asserting them:

1. :func:`table_set` computes Tables 2-4 (descriptives, correlations with stars, OLS coefficients
   with SEs and stars, fit) from a real data set and prints them the way journals do, in the
   ``data/published/`` format, at a rounding :data:`STYLES` (2, 3 or 4 decimals);
2. :func:`plant` makes one error of a given kind (:data:`ERROR_KINDS`) in a copy of a table set;
3. :func:`tableaudit.accuracy.measure` audits many correct sets (every "inconsistent" verdict
   there is a false alarm) and, for each, one planted error of every kind, classified by the
   verdicts the audit gave on the checks that bear on the planted number (caught, flagged
   undecidable, or missed).

The data are statsmodels' bundled data sets (:data:`DATASETS`): real published data, with small
samples (row subsets down to n = k + 4) and near-collinear regressors (Longley's GNP, population
and year; the credit-card data's income and income squared) among them.

Run ``python -m tableaudit.accuracy --out FILE`` to write the measurement as JSON.
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

#: The planted errors, each with what it does to the printed tables. Every kind is planted only
#: in a cell where it changes the printed text (a set with no such cell is "not plantable").
ERROR_KINDS = {
    "coef_plus_10pct": "one slope printed 10 % too large",
    "star_off_by_one": "one coefficient's stars one level off (none <-> *, * <-> **, ** <-> ***)",
    "swapped_ses": "the standard errors of two regressors of one model swapped",
    "f_inconsistent": "one model's F printed 25 % too large for its R²",
    "r2_off": "one model's R² off by 0.02",
    "corr_sign_flipped": "one correlation printed with the wrong sign",
    "impossible_sd": "one standard deviation larger than its range allows",
    "sign_dropped": "one negative coefficient printed without its minus sign",
    "digits_transposed": "two adjacent digits of one coefficient or standard error swapped",
    "other_model": "one slope's coefficient, SE and stars copied from another model's column",
    "decimal_shifted": "one coefficient or standard error with its decimal point one place off (x10 or /10)",
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
    """A planted error: its kind, where it is, the printed text before and after.

    ``claims`` names the audit checks that take the planted number as an input by construction
    (its own range check, its t, its stars, ...). :func:`tableaudit.accuracy.judge_plant` adds
    every check whose printed or recomputed text the plant changed, so that a check added later
    (an identity that uses the number) counts without being listed here.
    """

    kind: str
    where: str
    before: str
    after: str
    claims: list[str]

    @property
    def visible(self) -> bool:
        """False when no cell could take the error (the printed text did not change)."""
        return self.before != self.after


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _coef_claims(model: str, term: str) -> list[str]:
    """Checks that read a printed coefficient: its range, its t, its stars."""
    if term == "_Cons":
        return [f"{model}: intercept", f"{model}: stars of _Cons"]
    return [
        f"{model}: coefficient of {term}",
        f"{model}: t of {term} (scale-free)",
        f"{model}: stars of {term}",
    ]


def _se_claims(model: str, term: str) -> list[str]:
    """Checks that read a printed standard error: its range, the t it gives, the stars."""
    if term == "_Cons":
        return [f"{model}: standard error of the intercept", f"{model}: stars of _Cons"]
    return [
        f"{model}: standard error of {term}",
        f"{model}: t of {term} (scale-free)",
        f"{model}: stars of {term}",
    ]


def _pick(rng, candidates: list, choice=None):
    """``choice`` when given, else one of ``candidates`` (None when there is none)."""
    if choice is not None:
        return choice
    if not candidates:
        return None
    return candidates[int(rng.integers(len(candidates)))]


def _not_plantable(kind: str) -> Plant:
    return Plant(kind, "(no cell where this error changes the printed text)", "", "", [])


_STAR_STEP = {"": ["*"], "*": ["", "**"], "**": ["*", "***"], "***": ["**"]}


def _plant_coef_plus_10pct(t: TableSet, rng, choice) -> Plant:
    slopes = t.coefs[t.coefs.term != "_Cons"]
    visible = [
        i
        for i in slopes.index
        if _fmt(float(slopes.coef[i]) * 1.1, _decimals(slopes.coef[i]))
        != slopes.coef[i]
    ]
    i = _pick(rng, visible, choice)
    if i is None:
        return _not_plantable("coef_plus_10pct")
    row = t.coefs.loc[i]
    after = _fmt(float(row.coef) * 1.1, _decimals(row.coef))
    t.coefs.loc[i, "coef"] = after
    return Plant(
        "coef_plus_10pct",
        f"{row.model} {row.term}",
        row.coef,
        after,
        _coef_claims(row.model, row.term),
    )


def _plant_star_off_by_one(t: TableSet, rng, choice) -> Plant:
    i = _pick(rng, list(t.coefs.index), choice)
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
    claims = list(dict.fromkeys(_se_claims(model, ta) + _se_claims(model, tb_)))
    return Plant(
        "swapped_ses", f"{model} {ta} <-> {tb_}", f"{sa}, {sb}", f"{sb}, {sa}", claims
    )


def _plant_f_inconsistent(t: TableSet, rng, choice) -> Plant:
    visible = [
        i
        for i in t.fit.index
        if _fmt(float(t.fit.f[i]) * 1.25, _decimals(t.fit.f[i])) != t.fit.f[i]
    ]
    i = _pick(rng, visible, choice)
    if i is None:
        return _not_plantable("f_inconsistent")
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
    i = _pick(rng, list(t.fit.index), choice)
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
    visible = [i for i in t.table3.index if float(t.table3.r[i]) != 0]
    i = _pick(rng, visible, choice)
    if i is None:
        return _not_plantable("corr_sign_flipped")
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
    i = _pick(rng, list(t.table2.index), choice)
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


def _plant_sign_dropped(t: TableSet, rng, choice) -> Plant:
    negative = [i for i in t.coefs.index if t.coefs.coef[i].startswith("-")]
    i = _pick(rng, negative, choice)
    if i is None:
        return _not_plantable("sign_dropped")
    row = t.coefs.loc[i]
    after = row.coef[1:] if row.coef.startswith("-") else row.coef
    t.coefs.loc[i, "coef"] = after
    return Plant(
        "sign_dropped",
        f"{row.model} {row.term}",
        row.coef,
        after,
        _coef_claims(row.model, row.term),
    )


def transpositions(text: str) -> list[str]:
    """Every text made by swapping two adjacent, different digits of ``text``.

    The decimal point and the sign stay in place, and no integer part gains a leading zero
    (``10.5`` does not become ``01.5``).
    """
    out = []
    for j in range(len(text) - 1):
        a, b = text[j], text[j + 1]
        if not (a.isdigit() and b.isdigit()) or a == b:
            continue
        swapped = text[:j] + b + a + text[j + 2 :]
        integer = swapped.lstrip("-").split(".")[0]
        if len(integer) > 1 and integer.startswith("0"):
            continue
        out.append(swapped)
    return out


def shift_decimal_point(text: str, places: int) -> str:
    """``text`` with its decimal point moved ``places`` (+1: right, x10; -1: left, /10)."""
    sign = "-" if text.startswith("-") else ""
    integer, _, fraction = text.lstrip("-").partition(".")
    if places > 0:
        integer, fraction = integer + (fraction[:1] or "0"), fraction[1:]
    else:
        integer, fraction = integer[:-1], integer[-1:] + fraction
    integer = integer.lstrip("0") or "0"
    return sign + integer + ("." + fraction if fraction else "")


_NUMBER_CELLS = ("coef", "se")


def _plant_digits_transposed(t: TableSet, rng, choice) -> Plant:
    cells = [
        (i, column, swapped)
        for i in t.coefs.index
        for column in _NUMBER_CELLS
        for swapped in transpositions(str(t.coefs.loc[i, column]))
    ]
    if choice is not None:  # a (row, column) pair: the first transposition of that cell
        i, column = choice
        options = transpositions(str(t.coefs.loc[i, column]))
        choice = (i, column, options[0]) if options else None
        if choice is None:
            return _not_plantable("digits_transposed")
    picked = _pick(rng, cells, choice)
    if picked is None:
        return _not_plantable("digits_transposed")
    i, column, after = picked
    row = t.coefs.loc[i]
    t.coefs.loc[i, column] = after
    claims = (_coef_claims if column == "coef" else _se_claims)(row.model, row.term)
    what = "coefficient" if column == "coef" else "SE"
    return Plant(
        "digits_transposed",
        f"{row.model} {row.term} {what}",
        row[column],
        after,
        claims,
    )


def _cell_text(row) -> str:
    """A coefficient as a journal prints it: ``0.092*** (0.007)``, or without a blank SE."""
    se = f" ({row.se})" if str(row.se).strip() else ""
    return f"{row.coef}{row.stars}{se}"


def _plant_other_model(t: TableSet, rng, choice) -> Plant:
    slopes = t.coefs[t.coefs.term != "_Cons"]
    pairs = [
        (i, j)
        for i in slopes.index
        for j in slopes.index
        if slopes.term[i] == slopes.term[j]
        and slopes.model[i] != slopes.model[j]
        and (slopes.coef[i], slopes.se[i]) != (slopes.coef[j], slopes.se[j])
    ]
    picked = _pick(rng, pairs, choice)
    if picked is None:
        return _not_plantable("other_model")
    i, j = picked  # row i takes the numbers of row j
    row, source = t.coefs.loc[i], t.coefs.loc[j]
    for column in ("coef", "se", "stars"):
        t.coefs.loc[i, column] = source[column]
    claims = list(
        dict.fromkeys(
            _coef_claims(row.model, row.term) + _se_claims(row.model, row.term)
        )
    )
    return Plant(
        "other_model",
        f"{row.model} {row.term} (from {source.model})",
        _cell_text(row),
        _cell_text(source),
        claims,
    )


def _plant_decimal_shifted(t: TableSet, rng, choice) -> Plant:
    cells = [
        (i, column)
        for i in t.coefs.index
        for column in _NUMBER_CELLS
        if str(t.coefs.loc[i, column]).strip() not in ("",)
        and float(t.coefs.loc[i, column]) != 0
    ]
    picked = _pick(rng, cells, choice)
    if picked is None:
        return _not_plantable("decimal_shifted")
    i, column = picked
    places = 1 if rng.integers(2) else -1
    row = t.coefs.loc[i]
    after = shift_decimal_point(row[column], places)
    t.coefs.loc[i, column] = after
    claims = (_coef_claims if column == "coef" else _se_claims)(row.model, row.term)
    what = "coefficient" if column == "coef" else "SE"
    return Plant(
        "decimal_shifted",
        f"{row.model} {row.term} {what} ({'x10' if places > 0 else '/10'})",
        row[column],
        after,
        claims,
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
    "sign_dropped": _plant_sign_dropped,
    "digits_transposed": _plant_digits_transposed,
    "other_model": _plant_other_model,
    "decimal_shifted": _plant_decimal_shifted,
}


def plant(
    tables: TableSet, kind: str, rng: np.random.Generator, choice=None
) -> tuple[TableSet, Plant]:
    """A copy of ``tables`` with one error of ``kind`` (see :data:`ERROR_KINDS`).

    The cell is chosen with ``rng`` among the cells where the error changes the printed text
    (when there is none the copy is unchanged and the plant is not :attr:`Plant.visible`), or
    given as ``choice``: the row label of the table concerned (coefficients for
    ``coef_plus_10pct``, ``star_off_by_one`` and ``sign_dropped``, fit for ``f_inconsistent``
    and ``r2_off``, Table 3 for ``corr_sign_flipped``, Table 2 for ``impossible_sd``); for
    ``swapped_ses`` a pair of coefficient-row labels of one model; for ``other_model`` a pair
    (row that receives, row copied) of one term in two models; for ``digits_transposed`` and
    ``decimal_shifted`` a pair (coefficient-row label, ``"coef"`` or ``"se"``).
    """
    planter = _PLANTERS.get(kind)
    if planter is None:
        raise ValueError(f"unknown error kind {kind!r}; known: {', '.join(ERROR_KINDS)}")
    t = tables.copy()
    return t, planter(t, rng, choice)
