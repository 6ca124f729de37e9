"""The data validator accepts the real data and rejects each kind of corruption with a precise message.

Each corrupted-input case edits one file of a scratch copy of ``data/`` and names the file, the
line (header = 1) and the column that the validator must report, plus a fragment of the reason.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from westgov import data

OFF = "raw/official_2020.csv"
PROV = "raw/provinces.csv"
T2 = "published/table2_descriptives.csv"
T3 = "published/table3_correlations.csv"
T4C = "published/table4_coefficients.csv"
T4F = "published/table4_fit.csv"
REP = "derived/replica_2020.csv"


def assert_reported(problems, file, row, column, fragment):
    matches = [p for p in problems if p.file == file and p.row == row and p.column == column and fragment in p.reason]
    listing = "\n".join(str(p) for p in problems)
    assert matches, f"expected {file} row {row} column {column} '{fragment}', got:\n{listing}"
    text = str(matches[0])
    assert file in text
    if row is not None:
        assert f"row {row}" in text
    if column is not None:
        assert f"column '{column}'" in text


def test_real_data_is_valid():
    problems, _ = data.check()
    assert problems == []


def test_load_returns_all_tables():
    ds = data.load()
    assert len(ds.provinces) == 31
    assert (ds.provinces.region == "west").sum() == 12
    assert ds.names["Var5"] == "budget_expenditure_share"
    assert ds.replica is not None and len(ds.replica) == 12


# --- one test per corruption ---------------------------------------------------------------


def test_missing_province_row(scratch):
    text = scratch.text(OFF)
    tibet = next(line for line in text.splitlines() if line.startswith("540000,"))
    scratch.write(OFF, text.replace(tibet + "\n", ""))
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, None, "code", "540000 (Tibet) has no row")


def test_duplicate_key(scratch):
    text = scratch.text(OFF)
    first = text.splitlines()[1]
    scratch.write(OFF, text + first + "\n")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, len(text.splitlines()) + 1, "code", "duplicate value '110000'")


def test_share_above_one(scratch):
    text = scratch.text(REP)
    line = text.splitlines()[1].split(",")
    line[2] = "1.2"  # tertiary_share
    row = ",".join(line)
    scratch.write(REP, text.replace(text.splitlines()[1], row))
    problems, _ = data.check(scratch.root)
    assert_reported(problems, REP, 2, "tertiary_share", "a share must lie in [0, 1]")


def test_negative_value(scratch):
    line = scratch.replace(OFF, "540000,1902.74", "540000,-1902.74")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "gdp_100m_yuan", "must be positive")


def test_population_in_persons(scratch):
    line = scratch.replace(OFF, "1902.74,S1,366,S2", "1902.74,S1,3660000,S2")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "population_yearend_10k", "is it in persons?")


def test_non_numeric_cell(scratch):
    line = scratch.replace(OFF, "5739.50,S3", "5739.50*,S3")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "budget_expenditure_100m_yuan", "'5739.50*' is not a number")


def test_thousands_separator_is_not_a_number(scratch):
    line = scratch.replace(T2, "3192.33,2253.00", '"3,192.33",2253.00')
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T2, line, "mean", "'3,192.33' is not a number")


def test_empty_file(scratch):
    scratch.write(T3, "")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T3, None, None, "file is empty")


def test_header_only(scratch):
    scratch.write(T4F, scratch.text(T4F).splitlines()[0] + "\n")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T4F, None, None, "header but no data rows")


def test_wrong_column_name(scratch):
    scratch.replace(OFF, "code,gdp_100m_yuan,", "code,gdp,")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, 1, "gdp_100m_yuan", "required column is missing")
    assert_reported(problems, OFF, 1, "gdp", "unexpected column")


def test_extra_column(scratch):
    lines = scratch.text(T2).splitlines()
    lines = [lines[0] + ",median"] + [line + ",0" for line in lines[1:]]
    scratch.write(T2, "\n".join(lines) + "\n")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T2, 1, "median", "unexpected column")


def test_gbk_encoded_file(scratch):
    text = scratch.text(PROV)
    scratch.write(PROV, text.encode("gbk"))
    problems, _ = data.check(scratch.root)
    first_chinese = next(i for i, line in enumerate(text.splitlines(), 1) if any(ord(ch) > 127 for ch in line))
    assert_reported(problems, PROV, first_chinese, "name_zh", "GBK")


def test_byte_order_mark(scratch):
    scratch.write(PROV, b"\xef\xbb\xbf" + scratch.text(PROV).encode("utf-8"))
    problems, _ = data.check(scratch.root)
    assert_reported(problems, PROV, 1, None, "byte-order mark")


def test_checksum_mismatch(scratch):
    scratch.replace(T4C, "M1,Var3,0.8416", "M1,Var3,0.8417", update_sums=False)
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T4C, None, None, "checksum mismatch")


def test_file_not_in_manifest(scratch):
    (scratch.root / "raw" / "notes.csv").write_text("a\n1\n", encoding="utf-8")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, "raw/notes.csv", None, None, "not listed in SHA256SUMS")


def test_unknown_source_id(scratch):
    line = scratch.replace(OFF, "1902.74,S1", "1902.74,S99")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "gdp_100m_yuan_source", "unknown source id 'S99'")


def test_value_without_source(scratch):
    line = scratch.replace(OFF, "1902.74,S1", "1902.74,")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "gdp_100m_yuan_source", "has no source id")


def test_missing_value_without_reason(scratch):
    line = scratch.replace(OFF, "1902.74,S1", ",")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "gdp_100m_yuan", "gives no reason")


def test_documented_missing_value_that_exists(scratch):
    scratch.replace(OFF, "8467,S7,,,,", "8467,S7,48.8,S7,,")
    problems, _ = data.check(scratch.root)
    line = scratch.line_of("raw/missing_values.csv", "150000,tertiary_share_pct")
    assert_reported(problems, "raw/missing_values.csv", line, "column", "documented as missing")


def test_ragged_row(scratch):
    line = scratch.replace(T2, "Var1,51.34,10.24,39.60,68.60", "Var1,51.34,10.24,39.60,68.60,99")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T2, line, None, "row has 6 fields, the header has 5")


def test_unknown_region(scratch):
    line = scratch.replace(PROV, "Tibet,西藏,west", "Tibet,西藏,western")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, PROV, line, "region", "east, central, west or northeast")


def test_malformed_province_code(scratch):
    line = scratch.replace(PROV, "540000,Tibet", "54000,Tibet")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, PROV, line, "code", "6-digit province code")


def test_thirteen_western_provinces(scratch):
    scratch.replace(PROV, "Beijing,北京,east", "Beijing,北京,west")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, PROV, None, "region", "13 western provinces")


def test_rd_intensity_inconsistent_with_levels(scratch):
    line = scratch.replace(OFF, "2.4151,S5", "2.5151,S5")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "rd_intensity_pct", "inconsistent with R&D / GDP")


def test_tertiary_value_added_above_gdp(scratch):
    line = scratch.replace(OFF, "953.84,S10", "1953.84,S10")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "tertiary_va_100m_yuan", "must be below GDP")


def test_correlation_above_one(scratch):
    line = scratch.replace(T3, "Var5,Var3,0.988,***", "Var5,Var3,1.988,***")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T3, line, "r", "a correlation in [-1, 1]")


def test_invalid_stars(scratch):
    line = scratch.replace(T3, "Var5,Var3,0.988,***", "Var5,Var3,0.988,****")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T3, line, "stars", "empty, *, ** or ***")


def test_missing_correlation_pair(scratch):
    scratch.replace(T3, "Var8,Var7,0.956,***\n", "")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T3, None, "r", "Var8 x Var7 has no row")


def test_negative_standard_deviation(scratch):
    line = scratch.replace(T2, "Var3,20.37,7.63", "Var3,20.37,-7.63")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T2, line, "sd", "cannot be negative")


def test_mean_outside_range(scratch):
    line = scratch.replace(T2, "Var4,24.58,", "Var4,34.58,")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T2, line, "mean", "between min and max")


def test_p_value_above_one(scratch):
    line = scratch.replace(T4F, "0.0035", "1.0035")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T4F, line, "p_value", "a p-value in [0, 1]")


def test_duplicate_model_term(scratch):
    text = scratch.text(T4C)
    scratch.write(T4C, text + "M1,Var3,0.9,0.1,,\n")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T4C, len(text.splitlines()) + 1, "term", "must be unique")


def test_sample_size_not_whole(scratch):
    line = scratch.replace(T4F, "M2,12,", "M2,12.5,")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T4F, line, "n", "whole number")


def test_codebook_name_not_snake_case(scratch):
    line = scratch.replace("codebook.csv", "Var5,budget_expenditure_share", "Var5,Budget Share")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, "codebook.csv", line, "name", "snake_case")


def test_source_year_not_a_number(scratch):
    line = scratch.replace("sources.csv", "(2020),2020,100 million yuan,final", "(2020),twenty,100 million yuan,final")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, "sources.csv", line, "year_of_data", "'twenty' is not a number")


def test_required_file_missing(scratch):
    (scratch.root / T2).unlink()
    from westgov import checksums

    checksums.update(scratch.root)
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T2, None, None, "required file is missing")


def test_replica_with_wrong_row_count(scratch):
    text = scratch.text(REP)
    scratch.write(REP, "\n".join(text.splitlines()[:-1]) + "\n")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, REP, None, None, "11 rows")


# --- the command line -----------------------------------------------------------------------


def test_cli_accepts_real_data():
    run = subprocess.run([sys.executable, "-m", "westgov", "check-data"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "valid" in run.stdout


def test_cli_lists_every_problem(scratch):
    line = scratch.replace(OFF, "1902.74,S1,366,S2", "1902.74,S1,3660000,S2")
    scratch.replace(OFF, "5739.50,S3", "5739.50*,S3", update_sums=False)
    run = subprocess.run([sys.executable, "-m", "westgov", "check-data", str(scratch.root)], capture_output=True, text=True)
    assert run.returncode == 1
    assert f"{OFF}, row {line}, column 'population_yearend_10k'" in run.stderr
    assert "'5739.50*' is not a number" in run.stderr
    assert "checksum mismatch" in run.stderr


def test_raw_files_are_never_rewritten(scratch):
    before = {p: p.read_bytes() for p in (scratch.root / "raw").glob("*.csv")}
    data.check(scratch.root)
    data.load(scratch.root)
    assert before == {p: p.read_bytes() for p in (scratch.root / "raw").glob("*.csv")}


def test_load_raises_with_all_problems(scratch):
    scratch.replace(OFF, "1902.74,S1", "-1902.74,S1")
    with pytest.raises(data.DataError) as err:
        data.load(scratch.root)
    assert "gdp_100m_yuan" in str(err.value) and OFF in str(err.value)


# --- plausibility across series, with the checksum updated (issue 11, item 5) -------------------


def test_budget_ten_thousand_times_too_large(scratch):
    """Sichuan's budget typed in yuan-like units: the checksum is updated, the value must still fail."""
    line = scratch.replace(OFF, "11198.54,S3", "111985400.0,S3")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "budget_expenditure_100m_yuan", "budget expenditure / GDP")


def test_budget_shifted_decimal_point(scratch):
    line = scratch.replace(OFF, "11198.54,S3", "111.9854,S3")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "budget_expenditure_100m_yuan", "outside the plausible range [0.05, 2]")


def test_rd_expenditure_in_yuan(scratch):
    # R&D ten times too large, with its published intensity changed to match (still below 100 %).
    line = scratch.replace(OFF, "10552846.1,S4,2.1714", "105528461.0,S4,21.714")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "rd_expenditure_10k_yuan", "R&D expenditure / GDP")
    assert_reported(problems, OFF, line, "rd_intensity_pct", "R&D intensity")


def test_gdp_ten_times_too_large(scratch):
    line = scratch.replace(OFF, "510000,48598.76", "510000,485987.6")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "gdp_100m_yuan", "GDP / year-end population")


def test_population_in_millions(scratch):
    line = scratch.replace(OFF, "48598.76,S1,8371,S2", "48598.76,S1,83.71,S2")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "population_yearend_10k", "year-end population")


def test_official_per_head_far_from_derived(scratch):
    line = scratch.replace(OFF, "53593,S15", "63593,S15")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "gdp_per_capita_yuan", "differs from GDP / year-end population")


def test_tertiary_share_in_fraction(scratch):
    line = scratch.replace(OFF, "25471.1,S9,52.4,S9", "25471.1,S9,0.524,S9")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, OFF, line, "tertiary_share_pct", "tertiary share of GDP")


def test_infinite_standard_deviation(scratch):
    line = scratch.replace(T2, "Var3,20.37,7.63", "Var3,20.37,1e400")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T2, line, "sd", "not a finite number")


def test_zero_standard_deviation(scratch):
    line = scratch.replace(T2, "Var3,20.37,7.63", "Var3,20.37,0.00")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T2, line, "sd", "constant variable")


def test_fit_different_n_per_model(scratch):
    line = scratch.replace(T4F, "M3,12,", "M3,13,")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, T4F, line, "n", "one sample")


def test_fit_n_not_above_k_plus_one(scratch):
    for model in ("M1", "M2", "M3", "M4"):
        scratch.replace(T4F, f"{model},12,", f"{model},7,")
    problems, _ = data.check(scratch.root)
    # M3 has 5 regressors (n - k - 1 = 1 is allowed), M4 has 7 (n - k - 1 = -1 is not).
    assert_reported(problems, T4F, scratch.line_of(T4F, "M4,"), "n", "OLS needs n > k + 1")
    assert not [p for p in problems if p.row == scratch.line_of(T4F, "M3,")]


def test_province_name_with_markup(scratch):
    line = scratch.replace(PROV, "Tibet,西藏", "<b>Tibet</b>,西藏")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, PROV, line, "name_en", "no markup")


def test_chinese_name_with_latin_letters(scratch):
    line = scratch.replace(PROV, "Tibet,西藏", "Tibet,西藏<script>")
    problems, _ = data.check(scratch.root)
    assert_reported(problems, PROV, line, "name_zh", "Chinese characters")


def test_plausible_bounds_hold_for_the_real_data():
    """The bounds leave room: every real value is well inside them (at least a factor 1.5 from each end)."""
    from westgov.crosschecks import PLAUSIBLE, plausibility

    ds = data.load()
    assert plausibility(ds.official) == []
    off = ds.official
    assert (off.budget_expenditure_100m_yuan / off.gdp_100m_yuan).max() * 1.5 < PLAUSIBLE["budget_to_gdp"].high
    assert (off.budget_expenditure_100m_yuan / off.gdp_100m_yuan).min() > 1.5 * PLAUSIBLE["budget_to_gdp"].low
