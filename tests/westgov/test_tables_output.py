"""Exact output of the table helpers and of the problem types, as readers and other modules see it.

Every expected string below is written out by hand: the Markdown pipe tables the chapters glue
(alignment row, header, float format per column, missing values, escaped pipes, index on/off), the
cells of the paper-beside-ours table, and the text of a :class:`~tableaudit.problems.Problem` and of a
:class:`~tableaudit.problems.DataError`. Each test calls the function under test itself (no shared
module-scoped fixture), so that mutation testing attributes the call to every test that checks it.
"""

from __future__ import annotations

import pandas as pd

from tableaudit.problems import DataError, Problem, sort_problems
from westgov.tables import coef_cell, markdown_table, paper_vs_ours, range_cell


def lines(markdown) -> list[str]:
    """The lines of the text of an IPython ``Markdown`` object."""
    return markdown.data.split("\n")


# --- markdown_table -------------------------------------------------------------------------------


def test_markdown_table_default_format_missing_values_and_pipes():
    """Default: floats with 4 decimals, ints and strings as they are, missing as an em dash, pipes
    escaped, every column left-aligned, no index column."""
    frame = pd.DataFrame(
        {"region": ["Gansu", None, "A|B"], "share": [0.123456, float("nan"), -2.0], "n": [14, 3, 120]}
    )
    assert lines(markdown_table(frame)) == [
        "| region   | share   | n   |",
        "|:---------|:--------|:----|",
        "| Gansu    | 0.1235  | 14  |",
        "| —        | —       | 3   |",
        "| A\\|B     | -2.0000 | 120 |",
    ]


def test_markdown_table_prints_infinite_values_in_lower_case():
    """An infinite F (exact fit) prints as Python formats it, ``inf``, never ``INF``."""
    frame = pd.DataFrame({"F": [float("inf"), float("-inf"), 2.5]})
    assert lines(markdown_table(frame)) == [
        "| F      |",
        "|:-------|",
        "| inf    |",
        "| -inf   |",
        "| 2.5000 |",
    ]


def test_markdown_table_float_format_per_column():
    """A dict gives each float column its format (as dilemmas.md does); a float column missing from
    the dict prints as ``str`` of its values, a missing value of a formatted column as an em dash."""
    frame = pd.DataFrame(
        {
            "name": ["Tibet", "Qinghai"],
            "gdp": [52345.0, 50819.4],
            "ratio": [0.5, 1.25],
            "rd": [0.23, float("nan")],
        }
    )
    assert lines(markdown_table(frame, floatfmt={"gdp": ",.0f", "rd": ".2f"})) == [
        "| name    | gdp    | ratio   | rd   |",
        "|:--------|:-------|:--------|:-----|",
        "| Tibet   | 52,345 | 0.5     | 0.23 |",
        "| Qinghai | 50,819 | 1.25    | —    |",
    ]


def test_markdown_table_single_float_format_for_every_column():
    """One format string applies to every float column (correlations.md uses ``.3f``), not to ints."""
    frame = pd.DataFrame({"r": [0.98765, -0.1], "k": [2, 10]})
    assert lines(markdown_table(frame, floatfmt=".3f")) == [
        "| r      | k   |",
        "|:-------|:----|",
        "| 0.988  | 2   |",
        "| -0.100 | 10  |",
    ]


def test_markdown_table_empty_format_prints_floats_as_str():
    """An empty format means "no format": floats print as ``str``, missing ones as an em dash."""
    frame = pd.DataFrame({"x": [1.23456, float("nan")]})
    assert lines(markdown_table(frame, floatfmt="")) == [
        "| x       |",
        "|:--------|",
        "| 1.23456 |",
        "| —       |",
    ]


def test_markdown_table_index_only_on_request():
    """``index=True`` shows the index (named like data.md's regions) as the first column; by default
    the index is left out, whatever it holds."""
    frame = pd.DataFrame(
        {"basis": ["official", "derived"]}, index=pd.Index(["Tibet", "Xinjiang"], name="region")
    )
    assert lines(markdown_table(frame, index=True)) == [
        "| region   | basis    |",
        "|:---------|:---------|",
        "| Tibet    | official |",
        "| Xinjiang | derived  |",
    ]
    assert lines(markdown_table(frame)) == [
        "| basis    |",
        "|:---------|",
        "| official |",
        "| derived  |",
    ]


def test_markdown_table_keeps_numeric_looking_text_as_it_is():
    """Cells are never re-parsed as numbers: text such as ``007`` or ``1e3`` stays, left-aligned."""
    frame = pd.DataFrame({"code": ["007", "1e3"], "p": ["0.050", "1.0"]})
    assert lines(markdown_table(frame)) == [
        "| code   | p     |",
        "|:-------|:------|",
        "| 007    | 0.050 |",
        "| 1e3    | 1.0   |",
    ]


def test_markdown_table_leaves_the_frame_unchanged():
    """The caller's frame keeps its values and index (the chapters reuse it after glueing)."""
    frame = pd.DataFrame({"x": [0.5, float("nan")]}, index=pd.Index(["a", "b"], name="k"))
    markdown_table(frame, index=True)
    markdown_table(frame)
    assert frame.index.tolist() == ["a", "b"] and frame.index.name == "k"
    assert frame.x.iloc[0] == 0.5 and pd.isna(frame.x.iloc[1])


# --- range_cell and coef_cell ---------------------------------------------------------------------


def test_range_cell_passes_digits_to_both_ends():
    """``digits`` applies to both ends of the interval (regressions.md prints p-values with 2)."""
    assert range_cell(0.012345, 0.5678, 2) == "[0.012, 0.57]"
    assert range_cell(0.012345, 0.5678) == "[0.01234, 0.5678]"  # outward


def test_coef_cell_passes_digits_to_coefficient_and_standard_error():
    assert coef_cell(1.23456, 0.0123456, "**", 2) == "1.2** (0.012)"
    assert coef_cell(1.23456, 0.0123456, "**") == "1.235** (0.01235)"
    assert coef_cell(-0.5, 2.0, "") == "-0.5000 (2.000)"


# --- paper_vs_ours ---------------------------------------------------------------------------------

PUBLISHED = pd.DataFrame(
    {
        "model": ["M1", "M1", "M1"],
        "term": ["Var2", "Var7", "_Cons"],
        "coef": [-2.0715, -0.8105, 1.0654],
        "se": [8.2098, 0.4145, 4.2258],
        "stars": ["", "", "*"],
    }
)
NAMES = {"Var2": "Population density", "Var7": "Population"}


def results(var2_coef: float = 0.75) -> dict:
    """Our estimates in the shape of :func:`westgov.models.results_dict` (intercept as ``const``)."""
    return {
        "M1": {
            "terms": {
                "Var2": {"coef": var2_coef, "se": 8.125, "p": 0.76, "std_coef": -0.05},
                "Var7": {"coef": -0.0061234, "se": 0.0041, "p": 0.04, "std_coef": -0.3},
                "const": {"coef": 0.5, "se": 4.0, "p": 0.09, "std_coef": 0.0},
            }
        }
    }


RANGES = pd.DataFrame(
    {
        "model": ["M1", "M1", "M1", "M1"],
        "term": ["Var2", "Var2", "Var7", "_Cons"],
        "quantity": ["coef", "se", "coef", "coef"],
        "low": [-3.0, 7.0, -0.009, 0.25],
        "high": [-1.5, 9.0, 0.002, 2.5],
    }
)


def test_paper_vs_ours_every_cell_without_data_folder():
    """Without ``data_dir`` the paper's cells have 4 decimals; ours have 4 significant digits and our
    stars; population (Var7) is shown per million persons (x 100); the intercept is named
    ``intercept``; the sign and stars flags compare the paper with us row by row."""
    table = paper_vs_ours(PUBLISHED, results(), NAMES)
    expected = pd.DataFrame(
        {
            "model": ["M1", "M1", "M1"],
            "term": ["Var2", "Var7", "_Cons"],
            "variable": ["Population density", "Population", "intercept"],
            "paper": ["-2.0715 (8.2098)", "-0.8105 (0.4145)", "1.0654* (4.2258)"],
            "ours": ["0.7500 (8.125)", "-0.6123** (0.4100)", "0.5000* (4.000)"],
            "unit": ["", "per million persons", ""],
            "ours, standardized": [-0.05, -0.3, 0.0],
            "same sign": [False, True, True],
            "same stars": [True, False, True],
        }
    )
    pd.testing.assert_frame_equal(table, expected)


def test_paper_vs_ours_rounding_range_column_in_display_units():
    """With ``ranges``, column ``rounding range`` (after ``ours``) gives the range of our coefficient,
    rescaled like the coefficient itself; standard-error ranges are not used."""
    table = paper_vs_ours(PUBLISHED, results(), NAMES, ranges=RANGES)
    assert list(table.columns) == [
        "model", "term", "variable", "paper", "ours", "rounding range",
        "unit", "ours, standardized", "same sign", "same stars",
    ]  # fmt: skip
    assert table["rounding range"].tolist() == ["[-3.000, -1.500]", "[-0.9000, 0.2000]", "[0.2500, 2.500]"]


def test_paper_vs_ours_units_argument_replaces_the_default_units():
    """``units`` replaces :data:`DISPLAY_UNITS`: a term listed there is rescaled, Var7 no longer."""
    table = paper_vs_ours(PUBLISHED, results(), NAMES, ranges=RANGES, units={"Var2": (10.0, "per ten")})
    assert table.ours.tolist() == ["7.500 (81.25)", "-0.006123** (0.004100)", "0.5000* (4.000)"]
    assert table.unit.tolist() == ["per ten", "", ""]
    assert table["rounding range"].tolist() == [
        "[-30.00, -15.00]", "[-0.009000, 0.002000]", "[0.2500, 2.500]",
    ]  # fmt: skip
    assert table.paper.tolist() == ["-2.0715 (8.2098)", "-0.8105 (0.4145)", "1.0654* (4.2258)"]


def test_paper_vs_ours_keeps_printed_decimals_of_coefficient_and_se(tmp_path):
    """With ``data_dir`` the paper's coefficient and standard error each keep the decimals they were
    printed with in ``published/table4_coefficients.csv`` (e.g. ``-2.07`` and ``8.2``, not 4)."""
    path = tmp_path / "published" / "table4_coefficients.csv"
    path.parent.mkdir()
    path.write_text(
        "model,term,coef,se,stars,note\n"
        "M1,Var2,-2.07,8.2,,\n"
        "M1,Var7,-0.8105,0.41450,,\n"
        "M1,_Cons,1.0654,4.2258,*,\n",
        encoding="utf-8",
    )
    published = PUBLISHED.assign(coef=[-2.07, -0.8105, 1.0654], se=[8.2, 0.4145, 4.2258])
    table = paper_vs_ours(published, results(), NAMES, data_dir=tmp_path)
    assert table.paper.tolist() == ["-2.07 (8.2)", "-0.8105 (0.41450)", "1.0654* (4.2258)"]


def test_paper_vs_ours_same_sign_at_zero_and_below_one():
    """A printed zero beside our zero has the same sign; a positive coefficient below 1 is positive."""
    published = PUBLISHED.assign(coef=[0.0, -0.8105, 1.0654])
    table = paper_vs_ours(published, results(var2_coef=0.0), NAMES)
    assert table["same sign"].tolist() == [True, True, True]


# --- Problem, sort_problems, DataError -------------------------------------------------------------


def test_problem_str_names_only_the_places_it_knows():
    where = "data/a.csv"
    assert str(Problem(where, 3, "gdp", "not a number")) == "data/a.csv, row 3, column 'gdp': not a number"
    assert str(Problem(where, 3, None, "too many fields")) == "data/a.csv, row 3: too many fields"
    assert str(Problem(where, None, "gdp", "missing column")) == "data/a.csv, column 'gdp': missing column"
    assert str(Problem(where, None, None, "file not found")) == "data/a.csv: file not found"


def test_problem_to_dict_keys_for_json_output():
    """``westgov check --json`` prints these dicts: the keys are part of the output format."""
    expected = {"file": "a.csv", "row": 2, "column": "x", "reason": "bad"}
    assert Problem("a.csv", 2, "x", "bad").to_dict() == expected
    assert Problem("a.csv", None, None, "gone").to_dict() == {
        "file": "a.csv", "row": None, "column": None, "reason": "gone",
    }  # fmt: skip


def test_sort_problems_whole_file_and_whole_row_come_first():
    """Reading order: a problem of the whole file (row None) before row 1, a problem of a whole row
    (column None) before its columns; files and rows mixing None and numbers sort without error."""
    problems = [
        Problem("b.csv", 1, None, "r"),
        Problem("a.csv", 1, "A", "r"),
        Problem("a.csv", None, "z", "r"),
        Problem("a.csv", 1, None, "r"),
        Problem("a.csv", None, None, "r"),
    ]
    assert sort_problems(problems) == [
        Problem("a.csv", None, None, "r"),
        Problem("a.csv", None, "z", "r"),
        Problem("a.csv", 1, None, "r"),
        Problem("a.csv", 1, "A", "r"),
        Problem("b.csv", 1, None, "r"),
    ]


def test_sort_problems_by_line_then_column_then_reason():
    """Line 2 before line 10 (numbers, not text), then columns, then reasons, whatever the input order."""
    problems = [
        Problem("a.csv", 10, "a", "first reason"),
        Problem("a.csv", 2, "b", "a reason"),
        Problem("a.csv", 2, "a", "z reason"),
        Problem("a.csv", 2, "a", "y reason"),
    ]
    assert sort_problems(problems) == [
        Problem("a.csv", 2, "a", "y reason"),
        Problem("a.csv", 2, "a", "z reason"),
        Problem("a.csv", 2, "b", "a reason"),
        Problem("a.csv", 10, "a", "first reason"),
    ]


def test_data_error_lists_every_problem_in_reading_order():
    error = DataError([Problem("b.csv", 2, "x", "bad"), Problem("a.csv", None, None, "missing")])
    assert str(error) == "2 problem(s) in the data:\n  - a.csv: missing\n  - b.csv, row 2, column 'x': bad"
    assert error.problems == [Problem("a.csv", None, None, "missing"), Problem("b.csv", 2, "x", "bad")]
    assert isinstance(error, ValueError)


def test_data_error_with_one_problem():
    error = DataError([Problem("a.csv", 5, None, "short row")])
    assert str(error) == "1 problem(s) in the data:\n  - a.csv, row 5: short row"


def test_markdown_table_missing_values_of_every_dtype_print_as_em_dash():
    """Not only None and NaN: ``pd.NA`` of a nullable integer or string column and NaT of a date
    column print as an em dash too (not ``<NA>`` or ``NaT``); a list in a cell prints as its str."""
    frame = pd.DataFrame(
        {
            "rank": pd.array([3, None], dtype="Int64"),
            "name": pd.array(["Gansu", None], dtype="string"),
            "when": pd.to_datetime(["2020-12-31", None]),
            "regions": [["Gansu", "Tibet"], None],
        }
    )
    assert lines(markdown_table(frame)) == [
        "| rank   | name   | when                | regions            |",
        "|:-------|:-------|:--------------------|:-------------------|",
        "| 3      | Gansu  | 2020-12-31 00:00:00 | ['Gansu', 'Tibet'] |",
        "| —      | —      | —                   | —                  |",
    ]
