"""What the audit reports, row by row, re-derived by hand from the printed tables.

Written for the mutants that survived a random sample of ``westgov/audit.py``: a check is only as
good as the row a reader sees (its category, the printed value, the recomputed value and the
explanation), and the structured outputs (``scale_free``, ``unit_assignments``) are read by the
book's chapters and by ``python -m westgov audit --json``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import tableaudit as audit
import tableaudit.ranges
import tableaudit.report
from tableaudit import tablegen
from westgov.paths import DATA_DIR


@pytest.fixture  # per test: mutation testing links a test only to the code it runs itself
def paper_rows(paper_tables):
    return audit.run(paper_tables).set_index("claim")


def _down(x: float, digits: int) -> str:
    """The lower end of a range, rounded down to ``digits`` decimals."""
    return f"{math.floor(x * 10**digits) / 10**digits:.{digits}f}"


def _up(x: float, digits: int) -> str:
    """The upper end of a range, rounded up to ``digits`` decimals."""
    return f"{math.ceil(x * 10**digits) / 10**digits:.{digits}f}"


def _printed(table: str, key: str, column: str) -> str:
    frame = pd.read_csv(DATA_DIR / "published" / table, dtype=str, keep_default_na=False)
    return frame.set_index(frame.columns[0]).loc[key, column]


# --- Table 2 and Table 3 rows -------------------------------------------------------------------


def test_table2_rows_name_their_table_and_the_largest_possible_sd(paper_rows, paper_tables):
    lo, hi = (float(_printed("table2_descriptives.csv", "Var1", c)) for c in ("min", "max"))
    n = paper_tables.n
    bound = ((hi + 0.005) - (lo - 0.005)) / 2 * math.sqrt(n / (n - 1))  # min and max printed to 2 decimals
    row = paper_rows.loc["Var1: sd possible given the range"]
    assert (row.category, row.printed, row.recomputed) == ("table 2", "10.24", f"≤ {_up(bound, 4)}")
    row = paper_rows.loc["Var1: min ≤ mean ≤ max"]
    assert (row.category, row.printed, row.verdict) == ("table 2", "39.60 ≤ 51.34 ≤ 68.60", audit.CONSISTENT)


def test_a_correlation_star_row_shows_the_correlation_with_its_stars(paper_rows):
    row = paper_rows.loc["stars of r(Var3, Var1)"]
    assert (row.category, row.printed) == ("table 3", "0.845***")
    assert row.explanation == "two-sided t test of r with n - 2 = 10 df"


def test_the_mean_vif_claim_is_checked(paper_rows):
    row = paper_rows.loc["mean VIF is 4.320"]
    assert (row.category, row.printed) == ("text", "4.320")
    assert row.recomputed.startswith("M1: mean ")


# --- the scale-free check -----------------------------------------------------------------------


def test_scale_free_rows_carry_the_printed_t_interval_and_the_implied_range(paper_tables, paper_rows):
    frame = audit.scale_free(paper_tables).set_index(["model", "term"])
    m1 = frame.loc[("M1", "Var3")]
    coef, se = 0.8416, 0.1783
    low, high = (coef - 5e-5) / (se + 5e-5), (coef + 5e-5) / (se - 5e-5)
    assert m1.t_printed_low == pytest.approx(low) and m1.t_printed_high == pytest.approx(high)
    row = paper_rows.loc["M1: t of Var3 (scale-free)"]
    # range ends rounded outward: the printed interval contains the computed one
    assert row.printed == f"{coef / se:.3f} [{_down(low, 3)}, {_up(high, 3)}]"
    assert row.recomputed == f"[{_down(m1.t_implied_low, 3)}, {_up(m1.t_implied_high, 3)}]"


def test_a_model_we_ran_ourselves_is_as_printed(tmp_path):
    frame = tablegen.load_dataset("stackloss")[["STACKLOSS", "AIRFLOW", "WATERTEMP"]]
    d = audit.write_example_tables(frame, "STACKLOSS", {"M1": ["AIRFLOW", "WATERTEMP"]}, tmp_path / "t")
    rows = audit.run(d).set_index("claim")
    row = rows.loc["M1: t of AIRFLOW (scale-free)"]
    assert (row.verdict, row.explanation) == (audit.CONSISTENT, "t, coefficient and standard error all agree")


def test_one_infinite_end_of_the_implied_t_still_decides(paper_tables, monkeypatch):
    """A t range open on one side ([low, inf)) decides; only a range open on both sides does not."""
    ranges = tableaudit.ranges._all_ranges(paper_tables).copy()
    at = (ranges.model == "M2") & (ranges.term == "Var6") & (ranges.quantity == "t")
    ranges.loc[at, "high"] = np.inf
    monkeypatch.setattr(tableaudit.ranges, "_all_ranges", lambda tables: ranges)
    row = audit.scale_free(paper_tables).set_index(["model", "term"]).loc[("M2", "Var6")]
    assert row.kind != audit.UNDECIDABLE and row.t_agrees is not None
    ranges.loc[at, "low"] = -np.inf
    row = audit.scale_free(paper_tables).set_index(["model", "term"]).loc[("M2", "Var6")]
    assert row.kind == audit.UNDECIDABLE


# --- the unit search ----------------------------------------------------------------------------


def test_the_unit_search_counts_the_intercept(paper_units):
    m1 = paper_units["M1"]
    terms = [(n["term"], n["quantity"], n["printed"]) for n in m1["numbers"]]
    assert ("_Cons", "coef", "1.0654") in terms and ("_Cons", "se", "4.2258") in terms
    assert m1["total"] == 6  # two slopes and the intercept, each with a coefficient and an SE


def test_every_reproduced_number_lies_in_its_range(tmp_path):
    """Table 4 from a regression on a regressor x 100: the best units reproduce each number at the
    printed moments, inside its rounding range."""
    regs = ["AIRFLOW", "WATERTEMP"]
    frame = tablegen.load_dataset("stackloss")[["STACKLOSS", *regs]]
    raw = audit.write_example_tables(frame, "STACKLOSS", {"M1": regs}, tmp_path / "raw")
    scaled = frame.assign(AIRFLOW=frame.AIRFLOW * 100)
    other = audit.write_example_tables(scaled, "STACKLOSS", {"M1": regs}, tmp_path / "scaled")
    (raw / "table4_coefficients.csv").write_bytes((other / "table4_coefficients.csv").read_bytes())
    [m1] = audit.unit_assignments(audit.read_tables(raw))
    assert m1["assignment"]["AIRFLOW"] == "×100" and m1["works"]
    for n in m1["numbers"]:
        assert n["low"] <= n["reproduced"] <= n["high"], n


def test_a_singular_model_is_explained_as_singular(paper_tables, monkeypatch):
    ranges = tableaudit.ranges._all_ranges(paper_tables).copy()
    at = (ranges.model == "M1") & (ranges.quantity == "std_coef")
    ranges.loc[at, ["low", "high"]] = [-np.inf, np.inf]
    monkeypatch.setattr(tableaudit.ranges, "_all_ranges", lambda tables: ranges)
    m1 = {u["model"]: u for u in audit.unit_assignments(paper_tables)}["M1"]
    assert (m1["assignment"], m1["works"], m1["note"]) == (None, False, audit.SINGULAR)


@pytest.fixture  # per test: mutation testing links a test only to the code it runs itself
def paper_units(paper_tables):
    return {u["model"]: u for u in audit.unit_assignments(paper_tables)}


def test_json_output_is_plain_python():
    safe = tableaudit.report._json_safe({"a": np.int64(3), "b": [np.float64(np.nan), np.bool_(True)], "c": (np.float32(1.5),)})
    assert safe == {"a": 3, "b": [None, True], "c": [1.5]}
    assert type(safe["a"]) is int and type(safe["b"][1]) is bool


@pytest.mark.parametrize("model", ["M1", "M2", "M3", "M4"])
def test_implied_f_follows_from_implied_r2(paper_tables, model):
    """F = (R² / k) / ((1 - R²) / (n - k - 1)) at the printed moments, for every k."""
    ranges = audit.implied_ranges(paper_tables).set_index(["model", "term", "quantity"])
    r2 = ranges.loc[(model, "", "r2"), "nominal"]
    k, n = len(paper_tables.regressors(model)), paper_tables.n
    assert ranges.loc[(model, "", "f"), "nominal"] == pytest.approx((r2 / k) / ((1 - r2) / (n - k - 1)), rel=1e-9)
