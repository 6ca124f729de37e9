"""The intercept identity: intercept = mean(y) - sum_j b_j mean(x_j) from the printed slopes.

Known answers come from outside the code under test: statsmodels' unrounded OLS intercepts of
generated tables, the paper's printed numbers combined by hand, and a minus sign we drop
ourselves from a table set we generated.
"""

from __future__ import annotations

import numpy as np
import pytest

import tableaudit as audit
import tableaudit.checks
from tableaudit import tablegen
from westgov.paths import DATA_DIR


def _tables(ts, tmp_path):
    return audit.read_tables(ts.write(tmp_path / "published"))


@pytest.mark.parametrize("style", list(tablegen.STYLES))
@pytest.mark.parametrize("dataset", ["statecrime", "copper", "scotland"])
def test_the_unrounded_intercept_lies_in_the_identity_interval(dataset, style, tmp_path):
    """Correctly rounded slopes and means always give an interval holding the true intercept."""
    dependent, models = tablegen.DATASETS[dataset]
    frame = tablegen.load_dataset(dataset)
    ts = tablegen.table_set(frame, dependent, models, style)
    tb = _tables(ts, tmp_path)
    for model in models:
        got = tableaudit.checks.intercept_identity(tb, model)
        true_intercept = ts.truth[model, "_Cons"][0]
        assert got["low"] <= true_intercept <= got["high"], (model, got)
        assert got["within"]


def test_paper_m3_by_hand():
    """M3 in the units the search finds (outcome, big-data index, infrastructure z-scored, so
    their means drop out; tertiary share and budget ratio raw; R&D intensity x 10): the printed
    slopes and Table 2's means give 0.9022 with the printed R&D sign and 1.8623 with a minus sign,
    against the printed 1.8625."""
    tb = audit.read_tables(DATA_DIR / "published")
    factors = {"Var1": None, "Var3": None, "Var4": None, "Var2": 1.0, "Var5": 1.0}
    factors["Var6"] = 10.0
    printed = tableaudit.checks.intercept_identity(tb, "M3", factors)
    flipped = tableaudit.checks.intercept_identity(tb, "M3", factors, flip=("Var6",))
    by_hand = -(-5.4334 * 0.5143 + 1.7509 * 0.8065 + 1.9202 * 0.0250 * 10)
    assert printed["nominal"] == pytest.approx(by_hand, abs=1e-12)
    assert flipped["nominal"] == pytest.approx(by_hand + 2 * 1.9202 * 0.25, abs=1e-12)
    # half a unit of the last digit of each printed slope and mean, times the other factor
    half_width = (
        0.00005 * (0.5143 + 0.8065 + 0.25)
        + 0.00005 * (5.4334 + 1.7509)
        + 0.00005 * 10 * 1.9202
    )
    for got in (printed, flipped):
        assert got["high"] - got["low"] == pytest.approx(2 * half_width, rel=1e-3)
    assert not printed["within"] and flipped["within"]


def test_the_paper_check_names_the_lost_signs():
    result = audit.run(DATA_DIR / "published")
    rows = result[result.category == "intercept identity"].set_index("claim")
    assert rows.verdict.to_dict() == {
        "M1: intercept from the printed slopes and means": audit.CONSISTENT,
        "M2: intercept from the printed slopes and means": audit.INCONSISTENT,
        "M3: intercept from the printed slopes and means": audit.INCONSISTENT,
        "M4: intercept from the printed slopes and means": audit.INCONSISTENT,
    }
    for model in ("M2", "M3"):
        why = rows.explanation[f"{model}: intercept from the printed slopes and means"]
        assert "with the sign of Var6 reversed it fits" in why
    assert "reversed" not in rows.explanation["M4: intercept from the printed slopes and means"]


@pytest.fixture
def dropped_minus(tmp_path):
    """statecrime's M1 (3 decimals) with the minus sign of the poverty slope (-3.192, t = -0.49)
    dropped, as in the paper's R&D coefficient."""
    dependent, models = tablegen.DATASETS["statecrime"]
    ts = tablegen.table_set(
        tablegen.load_dataset("statecrime"), dependent, models, "3-decimals"
    )
    at = ts.coefs.index[(ts.coefs.model == "M1") & (ts.coefs.term == "poverty")][0]
    assert ts.coefs.loc[at, "coef"].startswith("-")
    ts.coefs.loc[at, "coef"] = ts.coefs.loc[at, "coef"][1:]
    return ts.write(tmp_path / "published")


def test_a_dropped_minus_sign_makes_the_intercept_inconsistent(dropped_minus):
    """The audit's checks of M1's intercept: the one from the moments cannot see the lost sign
    (its range is wide); the identity from the printed slopes can, and names the slope."""
    result = audit.run(dropped_minus)
    about_intercept = result[
        result.claim.str.startswith("M1: intercept")
    ].set_index("claim")
    assert (about_intercept.verdict == audit.INCONSISTENT).any(), about_intercept
    identity = about_intercept.loc["M1: intercept from the printed slopes and means"]
    assert identity.verdict == audit.INCONSISTENT
    assert "with the sign of poverty reversed it fits" in identity.explanation
    # the other model, untouched, stays consistent
    m2 = result[result.claim == "M2: intercept from the printed slopes and means"]
    assert (m2.verdict == audit.CONSISTENT).all()


def test_the_unit_search_explains_a_dropped_minus_sign(dropped_minus):
    found = {u["model"]: u for u in audit.unit_assignments(audit.read_tables(dropped_minus))}
    m1 = found["M1"]
    assert set(m1["assignment"].values()) == {"raw"}
    assert m1["explained_by"] == "units and a lost sign"
    assert m1["sign_flip"]["terms"] == ["poverty"]
    assert found["M2"]["explained_by"] == "units"


def test_a_slope_off_by_ten_percent_is_no_lost_sign(tmp_path):
    """A wrong slope (not a sign) leaves the identity inconsistent with no sign to reverse."""
    dependent, models = tablegen.DATASETS["statecrime"]
    ts = tablegen.table_set(
        tablegen.load_dataset("statecrime"), dependent, models, "3-decimals"
    )
    planted, _ = tablegen.plant(
        ts, "coef_plus_10pct", np.random.default_rng(0), choice=1
    )  # M1's slope of single, 36.158 -> 39.774
    result = audit.run(planted.write(tmp_path / "published"))
    row = result[result.claim == "M1: intercept from the printed slopes and means"].iloc[0]
    assert row.verdict == audit.INCONSISTENT
    assert "reversed" not in row.explanation
    found = {u["model"]: u for u in audit.unit_assignments(audit.read_tables(tmp_path / "published"))}
    assert found["M1"]["explained_by"] is None


def test_a_missing_mean_is_undecidable(tmp_path):
    """Without a regressor's mean the identity cannot be applied."""
    dependent, models = tablegen.DATASETS["grunfeld"]
    ts = tablegen.table_set(tablegen.load_dataset("grunfeld"), dependent, models)
    tb = _tables(ts, tmp_path)
    del tb.table2["capital"]
    rows = {c.claim: c for c in tableaudit.checks._check_intercept_identity(tb)}
    assert rows["M2: intercept from the printed slopes and means"].verdict == audit.UNDECIDABLE
    assert rows["M1: intercept from the printed slopes and means"].verdict == audit.CONSISTENT
