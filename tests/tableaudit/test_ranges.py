"""Rounding ranges by optimization: right, deterministic, and honest at the edges.

The ranges of :func:`westgov.audit.implied_ranges` must contain every quantity computed from any
positive-definite moment set within the rounding of Tables 2-3 (checked here against an
independent sampler and, for a three-variable model, an exhaustive grid), must reach the extremes
the grid finds, and must turn an empty or singular feasible set into a finding, never a crash or a
false alarm.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import tableaudit as audit
import tableaudit.ranges


@pytest.fixture(scope="module")
def paper_ranges(paper_tables):
    return audit.implied_ranges(paper_tables)


def _moments(tb):
    """Printed moments and their half rounding units, computed here without the audit module."""
    v = tb.variables
    mean = np.array([tb.table2[x]["mean"].value for x in v])
    sd = np.array([tb.table2[x]["sd"].value for x in v])
    sd_half = np.array([tb.table2[x]["sd"].half for x in v])
    corr = np.eye(len(v))
    half = np.zeros((len(v), len(v)))
    for (a, b), (r, _) in tb.table3.items():
        i, j = v.index(a), v.index(b)
        corr[i, j] = corr[j, i] = r.value
        half[i, j] = half[j, i] = r.half
    return mean, sd, sd_half, corr, half


def _ols(corr, sd, y, xs, n):
    """Standardized OLS quantities from one correlation matrix (independent implementation)."""
    rxx = corr[np.ix_(xs, xs)]
    rxy = corr[xs, y]
    inv = np.linalg.inv(rxx)
    beta = inv @ rxy
    r2 = float(rxy @ beta)
    df = n - len(xs) - 1
    se_std = np.sqrt((1 - r2) / df * np.diag(inv))
    return {
        "std_coef": beta,
        "t": beta / se_std,
        "vif": np.diag(inv),
        "coef": beta * sd[y] / sd[xs],
        "se": se_std * sd[y] / sd[xs],
        "r2": r2,
        "f": (r2 / len(xs)) / ((1 - r2) / df),
    }


def test_api_lists_every_quantity(paper_tables, paper_ranges):
    assert list(paper_ranges.columns) == [
        "model",
        "term",
        "quantity",
        "low",
        "high",
        "nominal",
    ]
    for model in paper_tables.coefs:
        rows = paper_ranges[paper_ranges.model == model]
        for term in paper_tables.regressors(model):
            assert set(rows[rows.term == term].quantity) == {
                "coef",
                "se",
                "t",
                "std_coef",
                "vif",
            }
        assert set(rows[rows.term == "_Cons"].quantity) == {"coef", "se"}
        assert set(rows[rows.term == ""].quantity) == {"r2", "f"}
    ok = paper_ranges.low <= paper_ranges.nominal + 1e-12
    ok &= paper_ranges.nominal <= paper_ranges.high + 1e-12
    assert ok.all()


def test_ranges_contain_every_sampled_moment_set(paper_tables, paper_ranges):
    """3000 random moment sets within rounding: every value lies inside the optimized range."""
    tb = paper_tables
    _, sd0, sd_half, corr0, half = _moments(tb)
    rng = np.random.default_rng(7)
    v = tb.variables
    y = v.index(tb.dependent)
    kept = 0
    bounds = {}
    for model in tb.coefs:
        rows = paper_ranges[paper_ranges.model == model].set_index(["term", "quantity"])
        regs = tb.regressors(model)
        bounds[model] = {
            name: (
                rows.loc[[(t, name) for t in regs], "low"].to_numpy(),
                rows.loc[[(t, name) for t in regs], "high"].to_numpy(),
            )
            for name in ("std_coef", "t", "vif", "coef", "se")
        } | {name: tuple(rows.loc[("", name), ["low", "high"]]) for name in ("r2", "f")}
    for _ in range(3000):
        noise = np.triu(rng.uniform(-1, 1, corr0.shape), 1)
        corr = corr0 + (noise + noise.T) * half
        if np.linalg.eigvalsh(corr)[0] <= 0:
            continue
        kept += 1
        sd = sd0 + rng.uniform(-1, 1, len(v)) * sd_half
        for model in tb.coefs:
            q = _ols(corr, sd, y, [v.index(t) for t in tb.regressors(model)], tb.n)
            for name, (lo, hi) in bounds[model].items():
                value = q[name]
                tol = 1e-7 * np.maximum(1.0, np.abs(value))
                assert np.all(lo - tol <= value) and np.all(value <= hi + tol), (
                    model,
                    name,
                    value,
                    lo,
                    hi,
                )
    assert kept > 2000


def test_m1_ranges_reach_the_extremes_of_an_exhaustive_grid(paper_tables, paper_ranges):
    """M1 depends on three correlations: a 21-point grid per axis finds the true extremes."""
    tb = paper_tables
    _, sd0, _, corr0, half = _moments(tb)
    v = tb.variables
    y = v.index(tb.dependent)
    xs = [v.index(t) for t in tb.regressors("M1")]
    idx = [y, *xs]
    pairs = [(i, j) for a, i in enumerate(idx) for j in idx[:a]]
    values: dict = {}
    for steps in itertools.product(np.linspace(-1, 1, 21), repeat=len(pairs)):
        corr = corr0.copy()
        for (i, j), s in zip(pairs, steps):
            corr[i, j] = corr[j, i] = corr0[i, j] + s * half[i, j]
        q = _ols(corr, sd0, y, xs, tb.n)
        for name in ("std_coef", "t", "vif"):
            for term, val in zip(tb.regressors("M1"), q[name]):
                values.setdefault((term, name), []).append(val)
        values.setdefault(("", "r2"), []).append(q["r2"])
    rows = paper_ranges[paper_ranges.model == "M1"].set_index(["term", "quantity"])
    for key, vals in values.items():
        lo, hi = rows.loc[key, ["low", "high"]]
        width = max(vals) - min(vals)
        assert lo <= min(vals) + 1e-9 and hi >= max(vals) - 1e-9, key
        assert lo >= min(vals) - 0.02 * width and hi <= max(vals) + 0.02 * width, key


def test_ranges_are_deterministic_and_the_cache_returns_them(
    paper_tables, paper_ranges
):
    fresh = tableaudit.ranges._ranges_optimized(paper_tables)
    fresh = fresh[fresh.quantity.isin(audit.PUBLIC_QUANTITIES)].reset_index(drop=True)
    pd.testing.assert_frame_equal(fresh, paper_ranges, rtol=1e-6)


def test_one_definition_of_vif(paper_ranges):
    """The VIFs quoted in the book (M3 202.0, M4 296.9 for the big-data index) are the nominal ones."""
    vif = paper_ranges[(paper_ranges.quantity == "vif") & (paper_ranges.term == "Var3")]
    nominal = dict(zip(vif.model, vif.nominal))
    assert nominal["M3"] == pytest.approx(202.04, abs=0.01)
    assert nominal["M4"] == pytest.approx(296.91, abs=0.01)


# --- edges: empty feasible set, near-singular matrices, blank standard errors --------------------


@pytest.fixture
def copper_dir(tmp_path):
    frame = sm.datasets.copper.load_pandas().data.astype(float)
    models = {
        "A": ["COPPERPRICE", "INCOMEINDEX"],
        "C": ["COPPERPRICE", "INCOMEINDEX", "ALUMPRICE", "INVENTORYINDEX", "TIME"],
    }
    return audit.write_example_tables(
        frame, "WORLDCONSUMPTION", models, tmp_path / "published"
    )


def _set_r(directory, a, b, value):
    path = directory / "table3_correlations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    for k, line in enumerate(lines):
        parts = line.split(",")
        if parts[:2] in ([a, b], [b, a]):
            parts[2] = value
            lines[k] = ",".join(parts)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_empty_feasible_set_is_a_finding_not_a_crash(copper_dir):
    tb = audit.read_tables(copper_dir)
    r = (
        tb.table3[("TIME", "INCOMEINDEX")][0]
        if ("TIME", "INCOMEINDEX") in tb.table3
        else tb.table3[("INCOMEINDEX", "TIME")][0]
    )
    assert (
        abs(r.value) > 0.9
    )  # a large correlation: flipping its sign makes the matrix impossible
    _set_r(copper_dir, "TIME", "INCOMEINDEX", f"{-r.value:.3f}")
    assert audit.largest_min_eigenvalue(audit.read_tables(copper_dir)) < 0
    result = audit.run(copper_dir)
    pd_check = result[result.claim == "correlation matrix is positive definite"].iloc[0]
    assert pd_check.verdict == audit.INCONSISTENT
    coef = result[result.claim == "C: coefficient of TIME"].iloc[0]
    assert (
        coef.verdict == audit.UNDECIDABLE and "no positive-definite" in coef.explanation
    )
    ranges = audit.implied_ranges(audit.read_tables(copper_dir))
    assert ranges.low.isna().all() and ranges.high.isna().all()


def _assert_feasible_and_no_alarm(result):
    """The positive-definiteness check passes and no check is inconsistent."""
    pd_check = result[result.claim == "correlation matrix is positive definite"].iloc[0]
    assert pd_check.verdict == audit.CONSISTENT
    assert (result.verdict != audit.INCONSISTENT).all(), result[
        result.verdict == audit.INCONSISTENT
    ].to_string()


def test_longley_rounded_to_three_decimals_raises_no_false_alarm(tmp_path):
    """Rows 1-14 of Longley, all six regressors: the rounded matrix has a negative eigenvalue."""
    frame = sm.datasets.longley.load_pandas().data.iloc[:14]
    regressors = [c for c in frame.columns if c != "TOTEMP"]
    assert (
        np.linalg.eigvalsh(frame.corr().round(3).to_numpy())[0]
        < 0
        < np.linalg.eigvalsh(frame.corr().to_numpy())[0]
    )
    directory = audit.write_example_tables(
        frame, "TOTEMP", {"A": regressors}, tmp_path / "longley"
    )
    _assert_feasible_and_no_alarm(audit.run(directory))


def test_printed_r_of_one_is_not_an_alarm(tmp_path):
    """Two variables correlated 0.99996 print as r = 1.000: a PD matrix within rounding exists."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=30)
    twin = x + 0.009 * rng.normal(size=30)
    z = rng.normal(size=30)
    frame = pd.DataFrame(
        {"y": x + z + rng.normal(size=30), "x": x, "twin": twin, "z": z}
    )
    r = frame.corr().loc["x", "twin"]
    assert 0.9999 < r < 1 and f"{r:.3f}" == "1.000"
    directory = audit.write_example_tables(
        frame, "y", {"A": ["x", "z"], "B": ["twin", "z"]}, tmp_path / "twins"
    )
    _assert_feasible_and_no_alarm(audit.run(directory))


def test_blank_standard_error_makes_its_checks_undecidable(copper_dir):
    tb = audit.read_tables(copper_dir)
    coef, _, mark = tb.coefs["A"]["COPPERPRICE"]
    tb.coefs["A"]["COPPERPRICE"] = (coef, None, mark)
    result = audit.run(tb)
    for claim in (
        "A: standard error of COPPERPRICE",
        "A: t of COPPERPRICE (scale-free)",
        "A: stars of COPPERPRICE",
    ):
        assert result[result.claim == claim].verdict.iloc[0] == audit.UNDECIDABLE, claim
    assert (
        result[result.claim == "A: coefficient of COPPERPRICE"].verdict.iloc[0]
        == audit.CONSISTENT
    )
