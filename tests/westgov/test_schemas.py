"""Every rule of every data file's schema, one cell at a time: the bound itself passes, one step
past it fails, and the problem names the line, the column and the rule in the user's words.

Each case copies one real file of ``data/`` (or of ``tests/westgov/fixtures/``), changes one cell, and reads
the copy with :func:`tableaudit.reading.read_file` and the file's specification from
:func:`westgov.schemas.specs`. The expected reasons are the rules as the schemas state them for a
person fixing the file; a rule loosened, tightened, dropped or reworded fails here.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd
import pytest

from tableaudit import reading
from westgov import schemas
from westgov.paths import DATA_DIR

HERE = Path(__file__).resolve().parent
NAMES = list(pd.read_csv(DATA_DIR / "codebook.csv").name)


def specs():
    """Every file's specification, built inside each test: mutation testing links a test to the
    code it runs only while it runs (a module-level table would hide the schemas from it)."""
    return {spec.path: spec for spec in schemas.specs(NAMES)}


SOURCES = {"raw/indices_2020.csv": HERE / "fixtures" / "indices_2020.csv"}

T2 = "published/table2_descriptives.csv"
T3 = "published/table3_correlations.csv"
TC = "published/table4_coefficients.csv"
TF = "published/table4_fit.csv"
CL = "published/text_claims.csv"
OFFICIAL = "raw/official_2020.csv"
REPLICA = "derived/replica_2020.csv"
PROVINCES = "raw/provinces.csv"
RANKS = "raw/digital_government_ranks_2020.csv"
MISSING = "raw/missing_values.csv"
INDICES = "raw/indices_2020.csv"

OK = None  # the changed cell is still valid


def _id(*parts) -> str:
    """A test id of letters, digits and underscores (mutmut passes ids to pytest on a command line)."""
    text = "_".join(str(p) for p in parts)
    return "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in text) or "blank"


def _got(rule: str, value: str) -> str:
    return f"{rule}: got '{value}'"


def _changed_rows(rel: str, line: int, changes: dict[str, str]) -> list[list[str]]:
    """The rows of ``rel`` (header first) with the cells of one line changed."""
    source = SOURCES.get(rel, DATA_DIR / rel)
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
    for column, value in changes.items():
        rows[line - 1][rows[0].index(column)] = value
    return rows


def _read_rows(tmp_path: Path, rel: str, rows: list[list[str]]) -> list:
    """Every problem the reader finds in ``rows`` written as the file ``rel``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / Path(rel).name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    problems: list = []
    reading.read_file(path, specs()[rel], rel, problems)
    assert all(p.file == rel for p in problems)
    return problems


def read_with_one_cell_changed(tmp_path: Path, rel: str, line: int, column: str, value: str):
    """(row, column, reason) of every problem of ``rel`` with one cell set to ``value``."""
    problems = _read_rows(tmp_path, rel, _changed_rows(rel, line, {column: value}))
    return [(p.row, p.column, p.reason) for p in problems]


PERCENT = "a percentage must lie in (0, 100]"
POSITIVE = "must be positive"
SHARE = "a share must lie in [0, 1]"
POPULATION = "population must be in 10,000 persons"
CODE = "a 6-digit province code ending in 0000"
NAME_EN = "an English name: capitalized words of letters, single spaces between them (no markup or digits)"

# (file, line, column, new cell, expected reason or OK)
CELLS = [
    # sources.csv
    ("sources.csv", 2, "id", "Z99", OK),
    ("sources.csv", 2, "id", "s1", _got("id like S1, A2 or P1", "s1")),
    ("sources.csv", 2, "id", "S", _got("id like S1, A2 or P1", "S")),
    ("sources.csv", 2, "id", "S1x", _got("id like S1, A2 or P1", "S1x")),
    ("sources.csv", 2, "publication", "", _got("must not be blank", "")),
    ("sources.csv", 2, "publisher", "", _got("must not be blank", "")),
    ("sources.csv", 2, "table", "", _got("must not be blank", "")),
    ("sources.csv", 2, "unit", "", _got("must not be blank", "")),
    ("sources.csv", 2, "year_of_data", "1949", OK),
    ("sources.csv", 2, "year_of_data", "2030", OK),
    ("sources.csv", 2, "year_of_data", "1948", _got("a year between 1949 and 2030", "1948")),
    ("sources.csv", 2, "year_of_data", "2031", _got("a year between 1949 and 2030", "2031")),
    ("sources.csv", 2, "year_of_data", "2020.5", "must be a whole number"),
    ("sources.csv", 2, "status", "preliminary", OK),
    ("sources.csv", 2, "status", "published", OK),
    ("sources.csv", 2, "status", "draft", _got("final, preliminary or published", "draft")),
    ("sources.csv", 2, "url", "", OK),
    ("sources.csv", 2, "notes", "", OK),
    # codebook.csv
    ("codebook.csv", 2, "paper_id", "Var9", _got("one of Var1..Var8", "Var9")),
    ("codebook.csv", 2, "name", "Digital_index", _got("a snake_case name", "Digital_index")),
    ("codebook.csv", 2, "name", "2nd_index", _got("a snake_case name", "2nd_index")),
    ("codebook.csv", 2, "role", "outcome", _got("dependent, independent or control", "outcome")),
    ("codebook.csv", 2, "expected_sign", "-", OK),
    ("codebook.csv", 2, "expected_sign", "?", _got("+, - or /", "?")),
    ("codebook.csv", 2, "label", "", _got("must not be blank", "")),
    ("codebook.csv", 2, "definition", "", _got("must not be blank", "")),
    ("codebook.csv", 2, "unit", "", _got("must not be blank", "")),
    ("codebook.csv", 2, "paper_source", "", _got("must not be blank", "")),
    ("codebook.csv", 2, "our_source", "", _got("must not be blank", "")),
    # raw/provinces.csv
    (PROVINCES, 2, "code", "110000", OK),
    (PROVINCES, 2, "code", "1100001", _got(CODE, "1100001")),
    (PROVINCES, 2, "code", "0110000", _got(CODE, "0110000")),
    (PROVINCES, 2, "code", "710000", _got(CODE, "710000")),
    (PROVINCES, 2, "code", "110100", _got(CODE, "110100")),
    (PROVINCES, 2, "name_en", "Beijing City", OK),
    (PROVINCES, 2, "name_en", "<b>Beijing</b>", _got(NAME_EN, "<b>Beijing</b>")),
    (PROVINCES, 2, "name_en", "beijing", _got(NAME_EN, "beijing")),
    (PROVINCES, 2, "name_en", "Beijing  City", _got(NAME_EN, "Beijing  City")),
    (PROVINCES, 2, "name_zh", "内蒙古区", OK),
    (PROVINCES, 2, "name_zh", "京", _got("a Chinese name: 2 to 4 Chinese characters", "京")),
    (PROVINCES, 2, "name_zh", "内蒙古自治区", _got("a Chinese name: 2 to 4 Chinese characters", "内蒙古自治区")),
    (PROVINCES, 2, "region", "northeast", OK),
    (PROVINCES, 2, "region", "south", _got("east, central, west or northeast", "south")),
    (PROVINCES, 2, "code_source", "", _got("must not be blank", "")),
    (PROVINCES, 2, "region_source", "", _got("must not be blank", "")),
    # raw/official_2020.csv: positive, some with an upper bound; blank = missing (allowed)
    (OFFICIAL, 2, "gdp_100m_yuan", "", OK),
    (OFFICIAL, 2, "gdp_100m_yuan", "0", _got(POSITIVE, "0.0")),
    (OFFICIAL, 2, "gdp_100m_yuan", "1000000", OK),
    (OFFICIAL, 2, "gdp_100m_yuan", "1000000.01", _got("GDP in 100 million yuan must be below 1,000,000", "1000000.01")),
    (OFFICIAL, 2, "population_yearend_10k", "20000", OK),
    (OFFICIAL, 2, "population_yearend_10k", "20000.5",
     _got("population must be in 10,000 persons (at most 20,000); is it in persons?", "20000.5")),
    (OFFICIAL, 2, "rd_intensity_pct", "100", OK),
    (OFFICIAL, 2, "rd_intensity_pct", "100.01", _got(PERCENT, "100.01")),
    (OFFICIAL, 2, "rd_intensity_pct", "0", _got(POSITIVE, "0.0")),
    (OFFICIAL, 2, "tertiary_share_pct", "100.01", _got(PERCENT, "100.01")),
    (OFFICIAL, 2, "budget_expenditure_100m_yuan", "-1", _got(POSITIVE, "-1.0")),
    (OFFICIAL, 2, "budget_expenditure_100m_yuan", "99999999", OK),
    (OFFICIAL, 2, "rd_expenditure_10k_yuan", "0.001", OK),
    (OFFICIAL, 2, "gdp_per_capita_yuan", "1e400", "'1e400' is not a finite number"),
    (OFFICIAL, 2, "code", "5400001", _got(CODE, "5400001")),
    (OFFICIAL, 2, "rd_expenditure_10k_yuan", "0", _got(POSITIVE, "0.0")),
    (OFFICIAL, 2, "tertiary_va_100m_yuan", "-0.01", _got(POSITIVE, "-0.01")),
    (OFFICIAL, 2, "gdp_per_capita_yuan", "0", _got(POSITIVE, "0.0")),
    (OFFICIAL, 2, "population_yearend_10k", "0", _got(POSITIVE, "0.0")),
    # raw/missing_values.csv
    (MISSING, 2, "column", "digital_government_index", OK),
    (MISSING, 2, "code", "1100001", _got(CODE, "1100001")),
    (MISSING, 2, "column", "gdp", _got("a value column of official_2020.csv", "gdp")),
    (MISSING, 2, "reason", "", _got("must not be blank", "")),
    # raw/digital_government_ranks_2020.csv
    (RANKS, 2, "rank", "31", OK),
    (RANKS, 2, "rank", "0", _got("a rank between 1 and 31", "0")),
    (RANKS, 2, "rank", "32", _got("a rank between 1 and 31", "32")),
    (RANKS, 2, "rank", "1.5", "must be a whole number"),
    (RANKS, 2, "source", "", _got("must not be blank", "")),
    (RANKS, 2, "code", "110001", _got(CODE, "110001")),
    # raw/indices_2020.csv (the optional drop-in; its format is tested on a fixture)
    (INDICES, 2, "digital_government_index", "0", OK),
    (INDICES, 2, "digital_government_index", "100", OK),
    (INDICES, 2, "digital_government_index", "100.01", _got("an index score in [0, 100]", "100.01")),
    (INDICES, 2, "big_data_index", "-0.01", _got("an index score in [0, 100]", "-0.01")),
    (INDICES, 2, "infrastructure_readiness", "", "value is missing (empty cell)"),
    (INDICES, 2, "source", "", _got("must not be blank", "")),
    (INDICES, 2, "code", "1100001", _got(CODE, "1100001")),
    # the paper's published tables, as check-data reads them
    (T2, 2, "variable", "Var9", _got("one of Var1..Var8", "Var9")),
    (T2, 2, "sd", "0.01", OK),
    (T2, 2, "sd", "0", _got("a standard deviation must be positive: it cannot be negative, and 0 is a constant "
                             "variable that no correlation or regression can use", "0.0")),
    (T2, 2, "mean", "", "value is missing (empty cell)"),
    (T2, 2, "mean", "-51.34", OK),
    (T2, 2, "min", "", "value is missing (empty cell)"),
    (T2, 2, "max", "", "value is missing (empty cell)"),
    (T3, 3, "r", "-1", OK),
    (T3, 3, "r", "-1.001", _got("a correlation in [-1, 1]", "-1.001")),
    (T3, 3, "r", "1.001", _got("a correlation in [-1, 1]", "1.001")),
    (T3, 3, "stars", "****", _got("empty, *, ** or ***", "****")),
    (T3, 3, "col", "Var0", _got("one of Var1..Var8", "Var0")),
    (T3, 3, "row", "var2", _got("one of Var1..Var8", "var2")),
    (TC, 2, "se", "0", OK),
    (TC, 2, "se", "", OK),
    (TC, 2, "se", "-0.0001", _got("a standard error cannot be negative", "-0.0001")),
    (TC, 2, "model", "M5", _got("one of M1..M4", "M5")),
    (TC, 2, "coef", "", "value is missing (empty cell)"),
    (TC, 2, "stars", "+", _got("empty, *, ** or ***", "+")),
    (TC, 2, "stars", "**", OK),
    (TC, 2, "term", "Var1", _got("one of Var2..Var8 or _Cons", "Var1")),
    (TF, 2, "n", "1", OK),
    (TF, 2, "n", "0", _got("a positive sample size", "0")),
    (TF, 2, "f", "0", OK),
    (TF, 2, "f", "-0.01", _got("an F statistic cannot be negative", "-0.01")),
    (TF, 2, "r2", "1", OK),
    (TF, 2, "r2", "1.0001", _got("an R-squared in [0, 1]", "1.0001")),
    (TF, 2, "p_value", "", OK),
    (TF, 2, "p_value", "-0.001", _got("a p-value in [0, 1]", "-0.001")),
    (TF, 2, "model", "M0", _got("one of M1..M4", "M0")),
    (CL, 2, "claim_id", "VIF_max", _got("a snake_case id", "VIF_max")),
    (CL, 2, "section", "", _got("must not be blank", "")),
    (CL, 2, "claim", "", _got("must not be blank", "")),
    (CL, 2, "value", "", OK),
    # derived/replica_2020.csv
    (REPLICA, 2, "replica_row", "R1", _got("an id R01..R12", "R1")),
    (REPLICA, 2, "replica_row", "R012", _got("an id R01..R12", "R012")),
    (REPLICA, 2, "population", "1", OK),
    (REPLICA, 2, "population", "20000", OK),
    (REPLICA, 2, "population", "0.5", _got(POPULATION, "0.5")),
    (REPLICA, 2, "population", "20000.5", _got(POPULATION, "20000.5")),
    (REPLICA, 2, "tertiary_share", "0", OK),
    (REPLICA, 2, "tertiary_share", "1", OK),
    (REPLICA, 2, "tertiary_share", "1.01", _got(SHARE, "1.01")),
    (REPLICA, 2, "rd_intensity", "-0.01", _got(SHARE, "-0.01")),
    (REPLICA, 2, "budget_expenditure_share", "1.5", OK),
    (REPLICA, 2, "gdp_per_capita", "-5", OK),
    (REPLICA, 2, "big_data_index", "", "value is missing (empty cell)"),
    (REPLICA, 2, "digital_government_index", "", "value is missing (empty cell)"),
    (REPLICA, 2, "infrastructure_readiness", "", "value is missing (empty cell)"),
    (REPLICA, 2, "budget_expenditure_share", "", "value is missing (empty cell)"),
    (REPLICA, 2, "gdp_per_capita", "", "value is missing (empty cell)"),
]


@pytest.mark.parametrize("rel, line, column, value, reason", CELLS,
                         ids=[_id(i, Path(c[0]).stem, c[2]) for i, c in enumerate(CELLS)])
def test_one_cell_against_its_rule(tmp_path, rel, line, column, value, reason):
    problems = read_with_one_cell_changed(tmp_path, rel, line, column, value)
    assert problems == ([] if reason is OK else [(line, column, reason)])


def test_every_file_and_every_column_is_covered():
    """Each specified file has a case, and each column with a rule has a case that breaks it."""
    covered = {(c[0], c[2]) for c in CELLS if c[4] is not OK}
    assert {c[0] for c in CELLS} == set(specs())
    for rel, spec in specs().items():
        for name, column in spec.schema.columns.items():
            if column.checks or not column.nullable and name in spec.numeric + spec.integer:
                assert (rel, name) in covered, f"{rel}: no case breaks the rule of {name!r}"


# --- uniqueness: one value, or one combination of key columns, given twice -----------------------

UNIQUE = [
    ("sources.csv", "id"), ("codebook.csv", "paper_id"), ("codebook.csv", "name"), (PROVINCES, "code"),
    (PROVINCES, "name_en"), (PROVINCES, "name_zh"), (OFFICIAL, "code"), (RANKS, "rank"), (RANKS, "code"),
    (INDICES, "code"), (T2, "variable"), (TF, "model"), (CL, "claim_id"), (REPLICA, "replica_row"),
]


@pytest.mark.parametrize("rel, column", UNIQUE, ids=[_id(Path(r).stem, c) for r, c in UNIQUE])
def test_a_value_that_must_be_unique_given_twice(tmp_path, rel, column):
    source = SOURCES.get(rel, DATA_DIR / rel)
    first = next(csv.DictReader(io.StringIO(source.read_text(encoding="utf-8"))))[column]
    problems = read_with_one_cell_changed(tmp_path, rel, 3, column, first)
    reason = f"duplicate value '{first}' (must be unique)"
    assert problems == [(2, column, reason), (3, column, reason)]


def test_columns_not_marked_unique_may_repeat(tmp_path):
    assert read_with_one_cell_changed(tmp_path, "codebook.csv", 3, "role", "dependent") == []
    assert read_with_one_cell_changed(tmp_path, PROVINCES, 3, "region", "central") == []


@pytest.mark.parametrize("rel, line, changes", [
    (T3, 3, {"row": "Var1", "col": "Var1"}),
    (TC, 3, {"term": "Var2"}),
    (MISSING, 3, {"column": "tertiary_va_100m_yuan"}),
], ids=["table3_pair", "coefficient_model_term", "missing_code_column"])
def test_a_combination_of_key_columns_given_twice(tmp_path, rel, line, changes):
    rows = _changed_rows(rel, line, changes)
    header = rows[0]
    problems = _read_rows(tmp_path, rel, rows)
    keys = {(p.row, p.column) for p in problems}
    key_columns = specs()[rel].schema.unique
    assert keys == {(ln, c) for ln in (2, 3) for c in key_columns}
    for p in problems:
        value = rows[p.row - 1][header.index(p.column)]
        assert p.reason == f"duplicate key: value '{value}' repeats a combination of key columns that must be unique"


# --- a number the reader cannot read, and the hint it gives ------------------------------------

HINTS = [
    (T2, "mean", "(51.34)", " (parentheses are accepted only around a standard error)"),
    (T2, "mean", "[51.34]", " (parentheses are accepted only around a standard error)"),
    (TF, "f", "(11.30)", " (parentheses are accepted only around a standard error)"),
    (T2, "mean", "51.34*", " (stars belong in the stars column)"),
    (TF, "r2", "0.7151**", " (stars belong in the stars column)"),
    (T2, "mean", "<51", " (a bound such as <0.001 is accepted only for a p-value)"),
    (TC, "coef", ">0.5", " (a bound such as <0.001 is accepted only for a p-value)"),
    (T2, "mean", "51,34", " (write a decimal point and no thousands separator)"),
    (T2, "mean", "nan", " (leave the cell blank where a value is missing)"),
    (T2, "mean", "NaN", " (leave the cell blank where a value is missing)"),
    (T2, "mean", "inf", " (leave the cell blank where a value is missing)"),
    (T2, "mean", "-inf", " (leave the cell blank where a value is missing)"),
    (T2, "mean", "+inf", " (leave the cell blank where a value is missing)"),
    (T2, "mean", "Infinity", " (leave the cell blank where a value is missing)"),
    (T2, "mean", "NA", " (leave the cell blank where a value is missing)"),
    (T2, "mean", "n/a", " (leave the cell blank where a value is missing)"),
    (T2, "mean", "abc", ""),
    (T2, "mean", "--1", ""),
    (TC, "se", "(8.2098", ""),
    (TF, "p_value", "<<0.001", ""),
]


@pytest.mark.parametrize("rel, column, cell, hint", HINTS, ids=[_id(i, h[1]) for i, h in enumerate(HINTS)])
def test_a_cell_that_is_not_a_number_gets_a_hint_at_the_convention_it_broke(tmp_path, rel, column, cell, hint):
    problems = read_with_one_cell_changed(tmp_path, rel, 2, column, cell)
    assert problems == [(2, column, f"'{cell}' is not a number{hint}")]


@pytest.mark.parametrize("rel, column, cell", [
    (TC, "se", "(8.2098)"), (TC, "se", "[8.2098]"), (TC, "coef", "\u22122.0715"), (TC, "coef", "\u20132.0715"),
    (TF, "p_value", "<0.001"), (TF, "p_value", "> 0.999"), (TC, "coef", " -2.0715 "), (TC, "coef", "-2.0715e0"),
    (TC, "coef", ".5"), (TC, "coef", "+2."),
], ids=lambda value: _id(value))
def test_a_journal_convention_is_read_where_it_is_allowed(tmp_path, rel, column, cell):
    assert read_with_one_cell_changed(tmp_path, rel, 2, column, cell) == []


def test_a_letter_that_only_looks_like_a_bracket_or_a_bound_gets_no_hint(tmp_path):
    assert read_with_one_cell_changed(tmp_path, T2, 2, "mean", "X1") == [(2, "mean", "'X1' is not a number")]


# --- pandera's failure cases turned into problems ----------------------------------------------


def test_a_whole_file_failure_names_no_row_and_no_column():
    """A column missing from the frame: pandera reports it with no column and no index."""
    import pandera.pandas as pa

    schema = pa.DataFrameSchema({"a": pa.Column(int), "b": pa.Column(int)}, strict=True)
    with pytest.raises(pa.errors.SchemaErrors) as err:
        schema.validate(pd.DataFrame({"a": [1, 2]}, index=[2, 3]), lazy=True)
    [p] = reading._schema_problems(err.value, "f.csv")
    assert (p.file, p.row, p.column) == ("f.csv", None, None)
    assert p.reason == "column_in_dataframe: got 'b'"


def test_a_missing_column_or_row_given_as_nan_is_none():
    """pandas may hand a missing column name or row over as NaN; a problem then names neither."""
    from types import SimpleNamespace

    cases = pd.DataFrame({"column": [float("nan"), "sd"], "index": [float("nan"), 4.0],
                          "check": ["a rule", "a rule"], "failure_case": ["x", "y"]})
    problems = reading._schema_problems(SimpleNamespace(failure_cases=cases), "f.csv")
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (None, None, "a rule: got 'x'"), (4, "sd", "a rule: got 'y'")]


# --- each schema on its own: a column of the wrong type, a column too many ----------------------
# The reader converts every cell before the schema sees it, so through read_file these rules never
# fire; they make each schema a complete contract for a frame built in code.


def _typed_frame(rel):
    problems: list = []
    table = reading.read_file(SOURCES.get(rel, DATA_DIR / rel), specs()[rel], rel, problems)
    assert problems == []
    return table.frame


@pytest.mark.parametrize("rel", sorted({c[0] for c in CELLS}), ids=lambda rel: _id(Path(rel).stem))
def test_a_schema_alone_refuses_a_column_of_the_wrong_type(rel):
    import pandera.pandas as pa

    schema = specs()[rel].schema
    frame = _typed_frame(rel)
    for name in schema.columns:
        wrong = frame.copy()
        wrong[name] = "text" if pd.api.types.is_numeric_dtype(wrong[name]) else 1.5
        with pytest.raises(pa.errors.SchemaErrors) as err:
            schema.validate(wrong, lazy=True)
        checks = err.value.failure_cases
        assert ((checks.column == name) & checks.check.astype(str).str.contains("dtype")).any(), name


@pytest.mark.parametrize("rel", sorted({c[0] for c in CELLS}), ids=lambda rel: _id(Path(rel).stem))
def test_a_schema_alone_refuses_a_column_it_does_not_know(rel):
    import pandera.pandas as pa

    frame = _typed_frame(rel).assign(extra_column="x")
    with pytest.raises(pa.errors.SchemaErrors) as err:
        specs()[rel].schema.validate(frame, lazy=True)
    assert "extra_column" in set(err.value.failure_cases.failure_case)


# --- one cell read as a number, directly -------------------------------------------------------


def test_parse_number_reads_blanks_brackets_and_too_many_stars():
    coefs, corr = specs()[TC], specs()[T3]
    blank = reading.parse_number("", "se", coefs)
    assert math.isnan(blank.value) and (blank.text, blank.error) == ("", None)
    empty_brackets = reading.parse_number("()", "se", coefs)
    assert math.isnan(empty_brackets.value) and empty_brackets.error is None
    starred = reading.parse_number("0.5****", "r", corr)
    assert (starred.value, starred.stars) == (0.5, "****")
    assert starred.error == "'0.5****' carries 4 stars; at most three (***) are allowed"


def test_a_folder_in_place_of_a_file_is_named(tmp_path):
    problems: list = []
    assert reading.read_file(tmp_path, specs()[T2], T2, problems) is None
    assert [(p.file, p.row, p.column, p.reason) for p in problems] == [(T2, None, None, "is a folder, not a file")]


def test_encoding_problems_name_the_line_and_the_column_when_there_is_one(tmp_path):
    spec = specs()[T2]
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbfvariable,mean,sd,min,max\n")
    problems: list = []
    reading.read_file(path, spec, T2, problems)
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (1, None, "file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM")]
    for body, where in ((b"Var1,\xff,1,0,2\n", (2, "mean")), (b"Var1,1,1,0,2,\xff\n", (2, None))):
        path.write_bytes(b"variable,mean,sd,min,max\n" + body)
        problems = []
        reading.read_file(path, spec, T2, problems)
        assert [(p.row, p.column) for p in problems] == [where], body
        assert problems[0].reason.startswith("not valid UTF-8 (byte 0xff)")


# --- the shape of a file: what is wrong before any cell is read --------------------------------

GOOD_ROW = "Var1,51.34,10.24,39.60,68.60\n"
COLUMNS = "variable, mean, sd, min, max"
SHAPES = [
    ("", [(None, None, "file is empty")]),
    ("variable,mean,sd,min,max\n", [(None, None, "file has a header but no data rows")]),
    *[(f"variable{sep}mean{sep}sd{sep}min{sep}max\n" + GOOD_ROW.replace(",", sep),
       [(1, None, (f"the header is separated by {name}, not commas; save the file as comma-separated CSV "
                  f"(columns: {COLUMNS})"))])
      for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars"))],
    ("variable,mean,sd,min\n" + GOOD_ROW, [(1, "max", "required column is missing from the header")]),
    ("variable,mean,sd,min,max,\n" + GOOD_ROW, [(1, None, "a column has no name")]),
    ("variable,mean,sd,min,max,extra\n" + GOOD_ROW,
     [(1, "extra", "unexpected column (not in this file's specification)")]),
    ("variable,mean,sd,min,max,max\n" + GOOD_ROW, [(1, None, "duplicate column names in the header")]),
    ("variable,mean,sd,min,max\n" + GOOD_ROW.replace("\n", ",9\n"), [(2, None, "row has 6 fields, the header has 5")]),
]


@pytest.mark.parametrize("text, expected", SHAPES, ids=[f"shape_{i}" for i in range(len(SHAPES))])
def test_a_malformed_file_is_refused_with_the_reason(tmp_path, text, expected):
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    problems: list = []
    table = reading.read_file(path, specs()[T2], T2, problems)
    assert [(p.row, p.column, p.reason) for p in problems] == expected
    # a ragged row is named and the other rows are still read; otherwise nothing can be read
    assert (table is not None) == expected[0][2].startswith("row has")


def test_a_latin1_file_is_told_to_be_saved_as_utf8(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"variable,mean,sd,min,max\nVar1,51.34,10.24,39.60,68.60\n\xe9\n")
    problems: list = []
    reading.read_file(path, specs()[T2], T2, problems)
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (3, "variable", "not valid UTF-8 (byte 0xe9); is the file GBK- or Latin-1-encoded? Save it as UTF-8")]
