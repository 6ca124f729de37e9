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
