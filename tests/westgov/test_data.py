"""Contracts of :mod:`westgov.data` that the book relies on, pinned down against the raw files.

What :func:`data.load` returns (every table, its columns in file order, its dtypes, a fresh 0-based
index, the row order of the file, the optional tables), what :func:`data.check` reports for a
folder that cannot be read and where it stops or goes on, and how many decimals a printed number
carries (:func:`data.printed_decimals`). Expected values come from the CSV files read with plain
pandas, or are written by hand.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from decimal import InvalidOperation
from pathlib import Path

import pandas as pd
import pytest

from tableaudit.problems import DataError, Problem
from westgov import checksums, data
from westgov.paths import DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"

T2 = "published/table2_descriptives.csv"
T3 = "published/table3_correlations.csv"
T4C = "published/table4_coefficients.csv"
T4F = "published/table4_fit.csv"
OFF = "raw/official_2020.csv"
REP = "derived/replica_2020.csv"
GEO = "geo/china_provinces_simplified.geojson"

#: Attribute of the Dataset -> file it is read from.
TABLES = {
    "sources": "sources.csv",
    "codebook": "codebook.csv",
    "provinces": "raw/provinces.csv",
    "official": OFF,
    "missing": "raw/missing_values.csv",
    "table2": T2,
    "table3": T3,
    "table4_coefficients": T4C,
    "table4_fit": T4F,
    "text_claims": "published/text_claims.csv",
    "ranks": "raw/digital_government_ranks_2020.csv",
    "replica": REP,
}

#: Numeric (float) and whole-number columns of each file, by hand from the specification.
FLOATS = {
    "official": ["gdp_100m_yuan", "population_yearend_10k", "budget_expenditure_100m_yuan",
                 "rd_expenditure_10k_yuan", "rd_intensity_pct", "tertiary_va_100m_yuan", "tertiary_share_pct",
                 "gdp_per_capita_yuan"],
    "table2": ["mean", "sd", "min", "max"],
    "table3": ["r"],
    "table4_coefficients": ["coef", "se"],
    "table4_fit": ["f", "r2", "p_value"],
    "text_claims": ["value"],
}
INTEGERS = {"sources": ["year_of_data"], "ranks": ["rank"], "table4_fit": ["n"]}


def raw(rel, root=DATA_DIR) -> pd.DataFrame:
    """A data file as plain text cells, read by pandas alone."""
    return pd.read_csv(root / rel, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def ds():
    return data.load()


def copy_data(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    return root


def edit(root, rel, old, new, update_sums=True):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if update_sums:
        checksums.update(root)


# --- load(): the tables ---------------------------------------------------------------------------


@pytest.mark.parametrize("attribute", list(TABLES))
def test_load_gives_each_table_with_the_file_columns_rows_and_a_fresh_index(ds, attribute):
    """Every table is a DataFrame with the file's header, the file's rows in order, index 0..n-1."""
    frame = getattr(ds, attribute)
    expected = raw(TABLES[attribute])
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(expected.columns)
    assert len(frame) == len(expected) > 0
    assert frame.index.equals(pd.RangeIndex(len(expected)))
    first = expected.columns[0]
    assert list(frame[first].astype(str)) == list(expected[first])


@pytest.mark.parametrize("attribute", list(TABLES))
def test_load_types_numbers_as_floats_and_counts_as_integers(ds, attribute):
    frame = getattr(ds, attribute)
    floats, integers = FLOATS.get(attribute, []), INTEGERS.get(attribute, [])
    if attribute == "replica":
        floats = list(frame.columns[1:])
    for col in floats:
        assert pd.api.types.is_float_dtype(frame[col]), col
    for col in integers:
        assert frame[col].dtype == "int64", col
    for col in set(frame.columns) - set(floats) - set(integers):
        assert not pd.api.types.is_numeric_dtype(frame[col]), col


def test_load_values_equal_the_printed_numbers(ds):
    """Official GDP, Table 2 sd and Table 4 n are the numbers of the file (blank = NaN)."""
    gdp = raw(OFF).gdp_100m_yuan.replace("", "nan").astype(float)
    pd.testing.assert_series_equal(ds.official.gdp_100m_yuan, gdp, check_names=False, rtol=1e-12)
    assert ds.table2.sd.tolist() == pytest.approx(raw(T2).sd.astype(float).tolist(), rel=1e-12)
    assert ds.table4_fit.n.tolist() == [12, 12, 12, 12]
    assert ds.ranks["rank"].tolist() == list(range(1, 11))


def test_names_map_paper_ids_to_the_codebook_names(ds):
    codebook = raw("codebook.csv")
    assert ds.names == dict(zip(codebook.paper_id, codebook.name))
    assert list(ds.names) == [f"Var{i}" for i in range(1, 9)]
    assert ds.names["Var1"] == "digital_government_index"


def test_root_and_optional_tables_of_the_real_data(ds):
    assert ds.root == DATA_DIR
    assert ds.indices is None  # the index reports are not public: no drop-in file in data/


def test_load_without_the_replica_gives_none(tmp_path):
    root = copy_data(tmp_path)
    (root / REP).unlink()
    checksums.update(root)
    loaded = data.load(root)
    assert loaded.replica is None
    assert loaded.indices is None
    assert len(loaded.official) == 31


def test_load_with_the_indices_dropin_gives_its_rows_in_file_order(tmp_path):
    root = copy_data(tmp_path)
    shutil.copy(FIXTURES / "indices_2020.csv", root / "raw/indices_2020.csv")
    checksums.update(root)
    loaded = data.load(root)
    expected = raw("raw/indices_2020.csv", root)
    assert list(loaded.indices.columns) == list(expected.columns)
    assert loaded.indices.index.equals(pd.RangeIndex(12))
    assert loaded.indices.code.tolist() == expected.code.tolist()
    scores = expected.big_data_index.astype(float).tolist()
    assert loaded.indices.big_data_index.tolist() == pytest.approx(scores)


# --- load(): checksums ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def changed_without_checksum(tmp_path_factory):
    """A valid data folder whose sources.csv changed (a trailing blank line) after SHA256SUMS was written."""
    root = tmp_path_factory.mktemp("sums") / "data"
    shutil.copytree(DATA_DIR, root)
    path = root / "sources.csv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return root


def test_load_verifies_checksums_by_default(changed_without_checksum):
    with pytest.raises(DataError) as err:
        data.load(changed_without_checksum)
    assert [(p.file, p.row, p.column) for p in err.value.problems] == [("sources.csv", None, None)]
    assert err.value.problems[0].reason.startswith("checksum mismatch")


def test_load_verifies_checksums_when_asked(changed_without_checksum):
    with pytest.raises(DataError, match="checksum mismatch"):
        data.load(changed_without_checksum, verify_checksums=True)


def test_load_can_skip_the_checksums(changed_without_checksum):
    loaded = data.load(changed_without_checksum, verify_checksums=False)
    assert len(loaded.sources) == len(raw("sources.csv"))


# --- Dataset.western() ----------------------------------------------------------------------------


def test_western_is_the_twelve_west_regions_in_file_order_with_both_tables_columns(ds):
    provinces, official = raw("raw/provinces.csv"), raw(OFF)
    west = ds.western()
    assert list(west.columns) == list(provinces.columns) + list(official.columns[1:])
    assert west.code.tolist() == provinces.code[provinces.region == "west"].tolist()
    assert len(west) == 12
    assert west.index.equals(pd.RangeIndex(12))
    by_code = dict(zip(official.code, official.population_yearend_10k.astype(float)))
    assert west.population_yearend_10k.tolist() == [by_code[c] for c in west.code]


def test_western_joins_on_the_code_only(ds):
    """A column both tables happen to carry does not take part in the join."""
    provinces = ds.provinces.assign(note="from provinces")
    official = ds.official.assign(note="from official")
    west = dataclasses.replace(ds, provinces=provinces, official=official).western()
    assert len(west) == 12
    assert set(west.note_x) == {"from provinces"} and set(west.note_y) == {"from official"}


# --- check(): folders that cannot be read ---------------------------------------------------------


def test_check_of_a_missing_folder(tmp_path):
    folder = tmp_path / "nowhere"
    assert data.check(folder) == ([Problem(str(folder), None, None, "data folder does not exist")], {})


def test_check_of_a_file_instead_of_a_folder(tmp_path):
    file = tmp_path / "data.csv"
    file.write_text("a,b\n1,2\n", encoding="utf-8")
    assert data.check(str(file)) == ([Problem(str(file), None, None, "is a file, not a data folder")], {})


def test_load_of_a_missing_folder_raises(tmp_path):
    folder = tmp_path / "nowhere"
    with pytest.raises(DataError) as err:
        data.load(folder)
    assert err.value.problems == [Problem(str(folder), None, None, "data folder does not exist")]


# --- check(): the codebook names the replica's columns --------------------------------------------


def test_missing_codebook_is_the_only_problem_and_the_replica_is_not_read(tmp_path):
    root = copy_data(tmp_path)
    (root / "codebook.csv").unlink()
    checksums.update(root)
    problems, frames = data.check(root)
    assert problems == [Problem("codebook.csv", None, None, "required file is missing")]
    assert frames["codebook.csv"] is None
    assert REP not in frames
    assert frames[OFF] is not None


def test_invalid_codebook_is_reported_and_its_names_are_not_used_for_the_replica(tmp_path):
    root = copy_data(tmp_path)
    line = 3  # Var2 (header = line 1)
    edit(root, "codebook.csv", "Var2,tertiary_share,", "Var2,TertiaryShare,")
    problems, frames = data.check(root)
    assert problems == [Problem("codebook.csv", line, "name", "a snake_case name: got 'TertiaryShare'")]
    assert REP not in frames


def test_codebook_holding_another_files_content_is_reported_not_a_crash(tmp_path):
    root = copy_data(tmp_path)
    shutil.copy(root / "sources.csv", root / "codebook.csv")
    checksums.update(root)
    problems, frames = data.check(root)
    assert {p.file for p in problems} == {"codebook.csv"}
    assert Problem("codebook.csv", 1, "name", "required column is missing from the header") in problems
    unexpected = "unexpected column (not in this file's specification)"
    assert Problem("codebook.csv", 1, "id", unexpected) in problems
    assert frames["codebook.csv"] is None and REP not in frames


def test_valid_codebook_checks_the_replica_with_its_names(tmp_path):
    root = copy_data(tmp_path)
    edit(root, REP, "replica_row,digital_government_index,", "replica_row,dgi,")
    problems, _ = data.check(root)
    missing = "required column is missing from the header"
    assert Problem(REP, 1, "digital_government_index", missing) in problems
    assert Problem(REP, 1, "dgi", "unexpected column (not in this file's specification)") in problems


# --- check(): the published tables as a set --------------------------------------------------------


def test_published_table_with_a_cell_problem_is_not_also_checked_as_a_set(tmp_path):
    """A bad cell is reported once: the cross-table checks, which would trip over it, are skipped."""
    root = copy_data(tmp_path)
    edit(root, T3, "Var2,Var1,-0.098,", "Var9,Var1,-0.098,")
    problems, _ = data.check(root)
    assert problems == [Problem(T3, 3, "row", "one of Var1..Var8: got 'Var9'")]


def test_set_problems_of_published_tables_are_reported_with_problems_of_other_files(tmp_path):
    root = copy_data(tmp_path)
    edit(root, T3, "Var8,Var7,0.956,***\n", "")
    edit(root, OFF, "540000,1902.74,S1", "540000,-1902.74,S1")
    problems, _ = data.check(root)
    assert Problem(T3, None, "r", "correlation Var8 x Var7 has no row") in problems
    assert any(p.file == OFF and p.column == "gdp_100m_yuan" for p in problems)
    assert {p.file for p in problems} == {T3, OFF}


def test_set_problem_alone_is_reported(tmp_path):
    root = copy_data(tmp_path)
    edit(root, T3, "Var8,Var7,0.956,***\n", "")
    problems, _ = data.check(root)
    assert problems == [Problem(T3, None, "r", "correlation Var8 x Var7 has no row")]


# --- check(): the map boundaries ------------------------------------------------------------------


def test_boundary_file_is_checked(tmp_path):
    root = copy_data(tmp_path)
    path = root / GEO
    collection = json.loads(path.read_text(encoding="utf-8"))
    del collection["attribution"]
    collection["features"] = [f for f in collection["features"] if f["properties"]["code"] != "540000"]
    path.write_text(json.dumps(collection), encoding="utf-8")
    checksums.update(root)
    problems, _ = data.check(root)
    assert problems == [
        Problem(GEO, None, "code", "province 540000 has no boundary"),
        Problem(GEO, None, None, "the attribution of the boundary source is missing"),
    ]


def test_boundary_file_is_covered_by_the_checksums(tmp_path):
    root = copy_data(tmp_path)
    with open(root / GEO, "a", encoding="utf-8") as handle:
        handle.write("\n")
    problems, _ = data.check(root)
    assert [(p.file, p.reason.split(":")[0]) for p in problems] == [(GEO, "checksum mismatch")]
    assert data.check(root, verify_checksums=False)[0] == []


def test_real_data_is_valid_with_and_without_checksums():
    assert data.check()[0] == []
    assert data.check(DATA_DIR, verify_checksums=False)[0] == []


# --- printed_decimals() ---------------------------------------------------------------------------


def test_printed_decimals_of_the_coefficients():
    """Every coefficient of Table 4 is printed with 4 decimals except M2's intercept, -2.697."""
    decimals = data.printed_decimals(DATA_DIR, T4C, "coef")
    expected = [4] * 21
    expected[6] = 3
    assert decimals.name == "coef"
    assert decimals.tolist() == expected
    assert decimals.index.equals(pd.RangeIndex(21))


def test_printed_decimals_of_whole_numbers_and_blanks():
    """``7`` has 0 decimals, ``4.320`` has 3 (trailing zero kept), a blank cell 0."""
    decimals = data.printed_decimals(str(DATA_DIR), "published/text_claims.csv", "value")
    assert decimals.name == "value"
    assert decimals.tolist() == [0, 3, 0, 0]
    assert data.printed_decimals(DATA_DIR, T4F, "n").tolist() == [0, 0, 0, 0]
    assert data.printed_decimals(DATA_DIR, T4F, "f").tolist() == [2, 2, 2, 2]


def test_printed_decimals_ignore_journal_conventions(tmp_path):
    root = copy_data(tmp_path)
    edit(root, T4C, "M1,Var3,0.8416,0.1783,***,", "M1,Var3,0.8416***,(0.1783),***,", update_sums=False)
    edit(root, T4F, "0.7151,0.0035,", "0.7151,<0.001,", update_sums=False)
    assert data.printed_decimals(root, T4C, "coef")[1] == 4
    assert data.printed_decimals(root, T4C, "se")[1] == 4
    assert data.printed_decimals(root, T4F, "p_value").tolist() == [3, 4, 4, 4]


def test_printed_decimals_of_a_file_that_is_not_a_data_file():
    with pytest.raises(DataError) as err:
        data.printed_decimals(DATA_DIR, "published/table9.csv", "coef")
    assert err.value.problems == [Problem("published/table9.csv", None, None, "not a data file of this book")]


def test_printed_decimals_of_a_file_with_a_bad_cell_raise_with_its_problems(tmp_path):
    root = copy_data(tmp_path)
    edit(root, T2, "Var1,51.34,10.24", "Var1,51.34,ten", update_sums=False)
    with pytest.raises(DataError) as err:
        data.printed_decimals(root, T2, "mean")
    assert err.value.problems == [Problem(T2, 2, "sd", "'ten' is not a number")]


def test_printed_decimals_of_a_file_with_a_schema_problem_raise(tmp_path):
    """A file that reads but breaks its schema (a negative sd) gives no decimals either."""
    root = copy_data(tmp_path)
    edit(root, T2, "Var1,51.34,10.24", "Var1,51.34,-10.24", update_sums=False)
    with pytest.raises(DataError) as err:
        data.printed_decimals(root, T2, "mean")
    assert [(p.file, p.row, p.column) for p in err.value.problems] == [(T2, 2, "sd")]


def test_printed_decimals_of_a_missing_file_raise(tmp_path):
    root = copy_data(tmp_path)
    (root / T4F).unlink()
    with pytest.raises(DataError) as err:
        data.printed_decimals(root, T4F, "r2")
    assert [(p.file, p.row, p.column) for p in err.value.problems] == [(T4F, None, None)]


# --- _decimals() ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, decimals",
    [
        ("1.50", 2), ("12", 0), ("-0.034", 3), ("0.00", 2), ("100", 0), ("0", 0),
        ("1e-3", 3), ("1.5e2", 0), ("1E+2", 0), ("2.5e-1", 2),
        ("<0.001", 3), (">0.999", 3), ("< 0.05", 2), ("", 0), ("  ", 0),
    ],
)
def test_decimals_of_printed_text(text, decimals):
    assert data._decimals(text) == decimals


@pytest.mark.parametrize("text", ["X1.5", "abc", "0.5<"])
def test_decimals_refuse_text_that_is_not_a_number(text):
    with pytest.raises(InvalidOperation):
        data._decimals(text)
