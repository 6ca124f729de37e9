"""Exact problems reported by :mod:`westgov.crosschecks` for one corrupted cell or row.

The real data folder is read once; each test corrupts one cell or row of a copy of one table (the
tables are indexed by the line of their file, header = 1) and asserts the complete list of problems
that :func:`cross_checks` or :func:`plausibility` reports: file, line, column and message, written
out by hand. Two tests go through :func:`data.check` on a corrupted scratch copy of ``data/``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tableaudit.problems import Problem
from westgov import crosschecks, data
from westgov.crosschecks import cross_checks, plausibility

OFF = "raw/official_2020.csv"
MISS = "raw/missing_values.csv"
RANKS = "raw/digital_government_ranks_2020.csv"
IDX = "raw/indices_2020.csv"
T2 = "published/table2_descriptives.csv"
T3 = "published/table3_correlations.csv"
T4F = "published/table4_fit.csv"
CB = "codebook.csv"

#: The twelve western regions (data/raw/provinces.csv, region = west), in code order.
WEST = ["150000", "450000", "500000", "510000", "520000", "530000",
        "540000", "610000", "620000", "630000", "640000", "650000"]


@pytest.fixture(scope="module")
def frames() -> dict:
    problems, frames = data.check()
    assert problems == []
    return frames


def with_table(frames: dict, rel: str, table: pd.DataFrame | None) -> dict:
    """A shallow copy of ``frames`` with ``rel`` replaced (the module's frames stay untouched)."""
    copy = dict(frames)
    copy[rel] = table
    return copy


def assert_problems(got: list[Problem], expected: list[Problem]) -> None:
    """The same problems, each once, in any order."""
    listing = "\n".join(str(p) for p in got)
    assert len(got) == len(expected), f"got:\n{listing}"
    assert set(got) == set(expected), f"got:\n{listing}"


def test_real_data_has_no_cross_file_or_plausibility_problem(frames):
    assert cross_checks(frames) == []
    assert plausibility(frames[OFF]) == []


# --- keys: a code in one file that raw/provinces.csv does not have ---------------------------------


def test_official_row_for_a_code_not_among_the_provinces(frames):
    """An extra official row (a copy of Xinjiang's line 32) under code 710000, as line 33; Xinjiang's
    missing tertiary share is documented for 650000 only, so it has no reason under 710000."""
    off = frames[OFF]
    extra = off.loc[[32]].rename(index={32: 33})
    extra.loc[33, "code"] = "710000"
    got = cross_checks(with_table(frames, OFF, pd.concat([off, extra])))
    assert_problems(got, [
        Problem(OFF, 33, "code", "province code 710000 is not in raw/provinces.csv"),
        Problem(OFF, 33, "tertiary_share_pct", "value is missing and raw/missing_values.csv gives no reason"),
    ])


def test_missing_value_reason_for_a_code_not_among_the_provinces(frames):
    miss = frames[MISS]
    extra = pd.DataFrame(
        {"code": ["710000"], "column": ["gdp_per_capita_yuan"], "reason": ["not located"]}, index=[83]
    )
    got = cross_checks(with_table(frames, MISS, pd.concat([miss, extra])))
    assert_problems(got, [Problem(MISS, 83, "code", "province code 710000 is not in raw/provinces.csv")])


def test_rank_for_a_code_not_among_the_provinces(frames):
    ranks = frames[RANKS].copy()
    ranks.loc[2, "code"] = "710000"  # was Shanghai (310000), rank 1
    got = cross_checks(with_table(frames, RANKS, ranks))
    assert_problems(got, [Problem(RANKS, 2, "code", "province code 710000 is not in raw/provinces.csv")])


def test_rank_with_an_unknown_source_id(frames):
    ranks = frames[RANKS].copy()
    ranks.loc[4, "source"] = "T9"
    got = cross_checks(with_table(frames, RANKS, ranks))
    assert_problems(got, [Problem(RANKS, 4, "source", "unknown source id 'T9' (not in sources.csv)")])


# --- sources and reasons of the official statistics --------------------------------------------------


def test_source_given_for_a_missing_official_value(frames):
    off = frames[OFF].copy()
    off.loc[2, "tertiary_va_100m_yuan_source"] = "S8"  # Beijing's tertiary value added is missing
    got = cross_checks(with_table(frames, OFF, off))
    assert_problems(got, [
        Problem(OFF, 2, "tertiary_va_100m_yuan_source", "a source is given for a missing value"),
    ])


def test_source_given_for_a_missing_value_in_the_file(scratch):
    """The same corruption in the file itself: data.check reports exactly this one problem."""
    line = scratch.replace(OFF, "110000,36102.55,S1,2189,S2,7116.18,S3,23265792.6,S4,6.4444,S5,,,,,,",
                           "110000,36102.55,S1,2189,S2,7116.18,S3,23265792.6,S4,6.4444,S5,,S8,,,,")
    assert line == 2
    problems, _ = data.check(scratch.root)
    assert problems == [
        Problem(OFF, 2, "tertiary_va_100m_yuan_source", "a source is given for a missing value"),
    ]


# --- tertiary value added against GDP -----------------------------------------------------------------

TERTIARY_IMPLAUSIBLE = (
    "implausible: tertiary value added / GDP = 1, outside the plausible range [0.2, 0.9] (the tertiary share "
    "of GDP ranged from about 40 % to 84 % (Beijing) across provinces in 2020); check the unit and the "
    "decimal point"
)


def test_tertiary_value_added_equal_to_gdp_is_rejected(frames):
    """Equal to GDP is not below GDP: Chongqing (line 23) with tertiary value added = its GDP 25002.79."""
    off = frames[OFF].copy()
    off.loc[23, "tertiary_va_100m_yuan"] = 25002.79
    got = cross_checks(with_table(frames, OFF, off))
    assert_problems(got, [
        Problem(OFF, 23, "tertiary_va_100m_yuan", "tertiary value added must be below GDP"),
        Problem(OFF, 23, "tertiary_va_100m_yuan", TERTIARY_IMPLAUSIBLE),
    ])


def test_tertiary_value_added_just_below_gdp_is_only_implausible(frames):
    off = frames[OFF].copy()
    off.loc[23, "tertiary_va_100m_yuan"] = 25002.78
    got = cross_checks(with_table(frames, OFF, off))
    assert_problems(got, [Problem(OFF, 23, "tertiary_va_100m_yuan", TERTIARY_IMPLAUSIBLE)])


# --- the optional indices drop-in ---------------------------------------------------------------------


def indices(codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"code": codes}, index=range(2, 2 + len(codes)))


def test_indices_of_all_twelve_western_regions_are_accepted(frames):
    assert cross_checks(with_table(frames, IDX, indices(WEST))) == []


def test_indices_without_a_western_region(frames):
    codes = [c for c in WEST if c != "540000"]
    got = cross_checks(with_table(frames, IDX, indices(codes)))
    assert_problems(got, [Problem(IDX, None, "code", "western province 540000 has no row")])


def test_indices_with_an_eastern_region_instead_of_a_western_one(frames):
    codes = ["110000" if c == "540000" else c for c in WEST]  # Beijing on line 8, where Tibet was
    got = cross_checks(with_table(frames, IDX, indices(codes)))
    assert_problems(got, [
        Problem(IDX, 8, "code", "province code 110000 is not one of the 12 western regions"),
        Problem(IDX, None, "code", "western province 540000 has no row"),
    ])


# --- the published tables and the codebook ------------------------------------------------------------


def test_descriptives_without_a_variable(frames):
    t2 = frames[T2].drop(index=9)  # Var8
    got = cross_checks(with_table(frames, T2, t2))
    assert_problems(got, [Problem(T2, None, "variable", "Var8 has no row")])


def test_correlations_without_a_diagonal_entry(frames):
    t3 = frames[T3].drop(index=7)  # Var3 x Var3
    got = cross_checks(with_table(frames, T3, t3))
    assert_problems(got, [Problem(T3, None, "r", "correlation Var3 x Var3 (the diagonal) has no row")])


def test_correlations_above_the_diagonal(frames):
    t3 = frames[T3].copy()
    t3.loc[3, ["row", "col"]] = ["Var1", "Var2"]  # was Var2 x Var1
    got = cross_checks(with_table(frames, T3, t3))
    assert_problems(got, [
        Problem(T3, 3, "col", "the printed table is lower-triangular: col must not come after row"),
    ])


def test_fit_without_a_model(frames):
    fit = frames[T4F].drop(index=5)  # M4
    got = cross_checks(with_table(frames, T4F, fit))
    assert_problems(got, [Problem(T4F, None, "model", "model M4 has no row")])


def test_codebook_without_a_variable(frames):
    cb = frames[CB].drop(index=9)  # Var8
    got = cross_checks(with_table(frames, CB, cb))
    assert_problems(got, [Problem(CB, None, "paper_id", "Var8 has no row")])


# --- plausibility: official GDP per head against GDP / year-end population ---------------------------


def one_row(gdp_per_capita: float, rd_intensity: float = 2.0) -> pd.DataFrame:
    """One region on line 7: GDP 20000 (100 million yuan) and 1000 (10,000 persons), i.e. 200,000 yuan
    per head, and every other ratio well inside its bounds (budget 0.2 of GDP, R&D 2 %, tertiary 0.5)."""
    return pd.DataFrame({
        "gdp_100m_yuan": [20000.0],
        "population_yearend_10k": [1000.0],
        "budget_expenditure_100m_yuan": [4000.0],
        "rd_expenditure_10k_yuan": [4_000_000.0],
        "rd_intensity_pct": [rd_intensity],
        "tertiary_va_100m_yuan": [10000.0],
        "tertiary_share_pct": [50.0],
        "gdp_per_capita_yuan": [gdp_per_capita],
    }, index=[7])


@pytest.mark.parametrize("official", [200_000.0, 219_999.0, 180_001.0])
def test_official_per_head_within_ten_percent_is_accepted(official):
    assert plausibility(one_row(official)) == []


@pytest.mark.parametrize("official, text", [(220_001.0, "220,001"), (179_999.0, "179,999")])
def test_official_per_head_beyond_ten_percent_is_reported(official, text):
    assert plausibility(one_row(official), rel="x.csv") == [
        Problem("x.csv", 7, "gdp_per_capita_yuan", f"official GDP per head {text} differs from GDP / "
                "year-end population 200,000 by more than 10%"),
    ]


@pytest.mark.parametrize("official, beyond, text", [(300_000.0, 300_001.0, "300,001"),
                                                    (100_000.0, 99_999.0, "99,999")])
def test_official_per_head_exactly_at_the_tolerance_is_accepted(monkeypatch, official, beyond, text):
    """'By more than' the tolerance: a gap of exactly the tolerance is not reported. No ratio of floats
    is exactly 10 % away from 1, so the tolerance is set to 50 %, which 300,000 / 200,000 reaches
    exactly."""
    monkeypatch.setattr(crosschecks, "PER_HEAD_TOLERANCE", 0.5)
    assert plausibility(one_row(official)) == []
    assert plausibility(one_row(beyond)) == [
        Problem(OFF, 7, "gdp_per_capita_yuan", f"official GDP per head {text} differs from GDP / year-end "
                "population 200,000 by more than 50%"),
    ]


# --- plausibility: a bound itself is inside the plausible range ---------------------------------------

RD_INTENSITY_REASON = "the published ratio ranged from 0.23 % (Tibet) to 6.44 % (Beijing) in 2020"


@pytest.mark.parametrize("value", [0.05, 10.0])
def test_rd_intensity_exactly_at_a_bound_is_accepted(value):
    assert plausibility(one_row(200_000.0, rd_intensity=value)) == []


@pytest.mark.parametrize("value, text", [(0.0499, "0.0499"), (10.01, "10.01")])
def test_rd_intensity_just_outside_a_bound_is_reported(value, text):
    assert plausibility(one_row(200_000.0, rd_intensity=value)) == [
        Problem(OFF, 7, "rd_intensity_pct", f"implausible: R&D intensity (percent) = {text}, outside the "
                f"plausible range [0.05, 10] ({RD_INTENSITY_REASON}); check the unit and the decimal point"),
    ]
