"""Generated table sets are correct, planted errors are what they claim, and the audit catches them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tableaudit as audit
from tableaudit import accuracy, published, tablegen


@pytest.fixture(scope="module")
def stackloss():
    frame = tablegen.load_dataset("stackloss")
    return tablegen.table_set(
        frame, "STACKLOSS", tablegen.DATASETS["stackloss"][1], "4-decimals", "stackloss"
    )


def _coef(tables, model, term):
    row = tables.coefs[
        (tables.coefs.model == model) & (tables.coefs.term == term)
    ].iloc[0]
    return row


def test_stackloss_coefficients_match_the_literature(stackloss):
    """Brownlee's stack-loss regression (Draper and Smith): -39.92 + 0.7156 air + 1.2953 water - 0.1521 acid."""
    expected = {
        "_Cons": ("-39.9197", "11.8960"),
        "AIRFLOW": ("0.7156", "0.1349"),
        "WATERTEMP": ("1.2953", "0.3680"),
        "ACIDCONC": ("-0.1521", "0.1563"),
    }
    for term, (coef, se) in expected.items():
        row = _coef(stackloss, "M2", term)
        assert (row.coef, row.se) == (coef, se), term
    fit = stackloss.fit.set_index("model").loc["M2"]
    assert fit.r2 == "0.9136" and fit.f == "59.90" and int(fit.n) == 21


def test_descriptives_and_correlations_are_rounded_not_truncated(stackloss):
    t2 = stackloss.table2.set_index("variable").loc["STACKLOSS"]
    assert (t2["mean"], t2["sd"], t2["min"], t2["max"]) == (
        "17.5238",
        "10.1716",
        "7.0000",
        "42.0000",
    )
    r = stackloss.table3.set_index(["row", "col"]).loc[("AIRFLOW", "STACKLOSS")]
    assert r.r == "0.920" and r.stars == "***"


@pytest.mark.parametrize("style", list(tablegen.STYLES))
def test_written_sets_are_read_by_the_one_reader(tmp_path, stackloss, style):
    frame = tablegen.load_dataset("cpunish")
    tables = tablegen.table_set(
        frame, "EXECUTIONS", tablegen.DATASETS["cpunish"][1], style
    )
    tb = published.read_tables(tables.write(tmp_path))
    assert tb.dependent == "EXECUTIONS" and tb.n == 17
    decimals = tablegen.STYLES[style]["coef"]
    assert all(
        len(c.text.split(".")[1]) == decimals
        for m in tb.coefs.values()
        for c, _, _ in m.values()
    )


def test_no_negative_zero_is_printed():
    assert (
        tablegen._fmt(-0.0004, 2) == "0.00"
        and tablegen._fmt(-0.004, 2) == "-0.00"[1:]
        and tablegen._fmt(-0.006, 2) == "-0.01"
    )


def test_cases_cover_five_data_sets_two_styles_small_n_and_collinear_regressors():
    all_cases = tablegen.cases(200)
    assert len(all_cases) == 200
    assert len({c.dataset for c in all_cases}) >= 5
    assert {c.style for c in all_cases} >= {"2-decimals", "4-decimals"}
    k_max = {
        name: max(len(xs) for xs in models.values())
        for name, (_, models) in tablegen.DATASETS.items()
    }
    assert any(len(c.rows) <= k_max[c.dataset] + 5 for c in all_cases)  # small n
    assert "longley" in {
        c.dataset for c in all_cases
    }  # GNP, population and year: VIFs in the hundreds
    frame = tablegen.load_dataset("longley")
    assert (
        np.linalg.cond(
            frame[["GNP", "UNEMP", "ARMED", "POP", "YEAR"]].corr().to_numpy()
        )
        > 1e3
    )


@pytest.mark.parametrize(
    "name", ["stackloss", "copper", "statecrime", "ccard", "grunfeld"]
)
@pytest.mark.parametrize("style", ["2-decimals", "4-decimals"])
def test_correct_tables_raise_no_alarm(name, style):
    dependent, models = tablegen.DATASETS[name]
    tables = tablegen.table_set(tablegen.load_dataset(name), dependent, models, style)
    result = accuracy.audit_tables(tables)
    assert not (result.verdict == audit.INCONSISTENT).any(), result[
        result.verdict == audit.INCONSISTENT
    ].to_string()


# --- planted errors: each changes what it says, and the audit catches it where rounding allows -----


def _row_label(frame, **where):
    mask = np.ones(len(frame), bool)
    for column, value in where.items():
        mask &= frame[column] == value
    return frame.index[mask][0]


PLANTS = {
    "coef_plus_10pct": lambda t: _row_label(t.coefs, model="M2", term="AIRFLOW"),
    "star_off_by_one": lambda t: _row_label(t.coefs, model="M2", term="AIRFLOW"),
    "swapped_ses": lambda t: (
        _row_label(t.coefs, model="M2", term="AIRFLOW"),
        _row_label(t.coefs, model="M2", term="WATERTEMP"),
    ),
    "f_inconsistent": lambda t: _row_label(t.fit, model="M2"),
    "r2_off": lambda t: _row_label(t.fit, model="M1"),
    "corr_sign_flipped": lambda t: _row_label(
        t.table3, row="ACIDCONC", col="WATERTEMP"
    ),
    "impossible_sd": lambda t: _row_label(t.table2, variable="WATERTEMP"),
    "sign_dropped": lambda t: _row_label(t.coefs, model="M2", term="ACIDCONC"),
    "digits_transposed": lambda t: (_row_label(t.coefs, model="M2", term="AIRFLOW"), "coef"),
    "other_model": lambda t: (
        _row_label(t.coefs, model="M1", term="AIRFLOW"),
        _row_label(t.coefs, model="M2", term="AIRFLOW"),
    ),
    "decimal_shifted": lambda t: (_row_label(t.coefs, model="M2", term="WATERTEMP"), "se"),
}
CELLS_CHANGED = {"swapped_ses": 2, "other_model": 2}  # M1's and M2's AIRFLOW share their stars


# A flipped sign usually makes Table 3 impossible (no positive-definite matrix within rounding):
# the audit reports that as a finding, it does not raise.
@pytest.mark.parametrize("kind", list(tablegen.ERROR_KINDS))
def test_each_planted_error_changes_one_cell_and_is_caught(kind, stackloss):
    planted, p = tablegen.plant(
        stackloss, kind, np.random.default_rng(0), choice=PLANTS[kind](stackloss)
    )
    assert p.visible
    changed = sum(
        int(
            (getattr(planted, name).astype(str) != getattr(stackloss, name).astype(str))
            .to_numpy()
            .sum()
        )
        for name in ("table2", "table3", "coefs", "fit")
    )
    assert changed == CELLS_CHANGED.get(kind, 1)
    correct = accuracy.audit_tables(stackloss)
    outcome, reason, checks = accuracy.judge_plant(correct, planted, p)
    assert outcome == "caught", (reason, checks)


def test_planted_values_are_what_they_claim(stackloss):
    rng = np.random.default_rng(1)
    t, p = tablegen.plant(
        stackloss, "coef_plus_10pct", rng, choice=PLANTS["coef_plus_10pct"](stackloss)
    )
    assert float(p.after) == pytest.approx(float(p.before) * 1.1, abs=1e-4)
    t, p = tablegen.plant(stackloss, "r2_off", rng, choice=PLANTS["r2_off"](stackloss))
    assert abs(float(p.after) - float(p.before)) == pytest.approx(0.02, abs=1e-9)
    t, p = tablegen.plant(
        stackloss, "impossible_sd", rng, choice=PLANTS["impossible_sd"](stackloss)
    )
    row = t.table2.set_index("variable").loc["WATERTEMP"]
    n = 21
    assert float(row.sd) > (float(row["max"]) - float(row["min"])) / 2 * np.sqrt(
        n / (n - 1)
    )
    t, p = tablegen.plant(
        stackloss, "star_off_by_one", rng, choice=PLANTS["star_off_by_one"](stackloss)
    )
    levels = ["", "*", "**", "***"]
    assert (
        abs(
            levels.index(p.after.replace("(none)", ""))
            - levels.index(p.before.replace("(none)", ""))
        )
        == 1
    )


def test_errors_are_planted_only_where_they_change_the_printed_text():
    """A slope printed 0.00 stays 0.00 when 10 % larger: a random plant avoids it, a chosen one is invisible."""
    tables = tablegen.table_set(
        pd.DataFrame(
            {
                "y": [1.0, 2.2, 2.9, 4.1, 5.0, 6.2, 6.8],
                "x": [0.001, 0.002, 0.003, 0.0041, 0.005, 0.006, 0.007],
                "z": [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0],
            }
        ),
        "y",
        {"M1": ["x", "z"]},
        "2-decimals",
    )
    tables.coefs.loc[0, "coef"] = "0.00"  # a slope too small for two decimals
    tables.coefs.loc[1, "coef"] = "1.50"  # and one that 10 % moves to 1.65
    for seed in range(20):
        _, p = tablegen.plant(tables, "coef_plus_10pct", np.random.default_rng(seed))
        assert p.visible and p.where == "M1 z", seed
    _, p = tablegen.plant(tables, "coef_plus_10pct", np.random.default_rng(0), choice=0)
    assert not p.visible
    tables.coefs.loc[1, "coef"] = "0.00"
    same, p = tablegen.plant(tables, "coef_plus_10pct", np.random.default_rng(0))
    assert not p.visible and p.claims == []
    assert same.coefs.equals(tables.coefs)


def test_unknown_error_kind_is_an_error(stackloss):
    with pytest.raises(ValueError, match="unknown error kind 'typo'"):
        tablegen.plant(stackloss, "typo", np.random.default_rng(0))


def test_measure_reports_every_kind_with_shares_summing_to_one():
    result = accuracy.measure(n_sets=2)
    assert result["sizes"]["correct_sets"] == 2
    assert 0 <= result["false_alarms"]["rate"] <= 1
    assert set(result["by_kind"]) == set(tablegen.ERROR_KINDS)
    for r in result["by_kind"].values():
        if r["planted"]:
            assert sum(
                r[f"{o.replace(' ', '_')}_share"] for o in accuracy.OUTCOMES
            ) == pytest.approx(1.0)
    assert result["date"].endswith("UTC")
