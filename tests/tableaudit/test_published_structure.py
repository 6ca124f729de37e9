"""The published-tables reader at its edges: what each structure problem says, and the bounds it reads.

Written for the mutants that survived a first mutation run of ``westgov/published.py``: a problem
is only useful if it names the right file, row and column *and* says what is wrong, and a printed
number's rounding interval must stop where the quantity cannot go (a correlation at -1, a standard
error at 0).
"""

from __future__ import annotations

import pandas as pd
import pytest
from test_published import _edit

from tableaudit import published
from tableaudit.problems import DataError

T2, T3, COEFS, FIT, CLAIMS = (published.FILES[k] for k in ("table2", "table3", "coefs", "fit", "claims"))


def _problems(folder):
    with pytest.raises(DataError) as err:
        published.read_tables(folder)
    return err.value.problems


def _frames(folder):
    """The validated frames of a folder, as :func:`published.structure_problems` takes them."""
    problems: list = []
    read = published.read_frames(folder, problems=problems)
    assert problems == []
    return {k: (published.FILES[k], t.frame.copy()) for k, t in read.items() if t is not None}


def _with_row(frames, key, **values):
    """``frames`` with one more row in table ``key``: its first row with ``values`` changed."""
    rel, frame = frames[key]
    frames[key] = (rel, pd.concat([frame, frame.iloc[[0]].assign(**values)], ignore_index=True))
    return frames


def test_a_diagonal_correlation_other_than_one_is_named_and_explained(tables):
    _edit(tables / T3, "Var1,Var1,1,", "Var1,Var1,0.99,")
    [p] = _problems(tables)
    assert (p.file, p.row, p.column) == (T3, 2, "r")
    assert p.reason == "a diagonal correlation must be 1"


def test_an_unknown_regressor_names_itself_the_table_and_how_the_intercept_is_written(tables):
    _edit(tables / COEFS, "M1,Var2,-2.0715", "M1,Var9,-2.0715")
    problems = _problems(tables)
    [p] = [p for p in problems if p.file == COEFS]
    assert (p.row, p.column) == (2, "term")
    assert p.reason == f"'Var9' is not a variable of {T2} (the intercept is written _Cons)"


def test_two_candidates_for_the_dependent_variable_are_both_listed(tables):
    frames = _with_row(_frames(tables), "table2", variable="Var9")
    [p] = [p for p in published.structure_problems(frames) if p.column == "variable"]
    assert p.file == T2 and p.row is None
    assert "are Var1, Var9; exactly one is needed" in p.reason


def test_no_candidate_for_the_dependent_variable_says_none(tables):
    frames = _with_row(_frames(tables), "coefs", term="Var1")
    [p] = [p for p in published.structure_problems(frames) if p.column == "variable"]
    assert "are none; exactly one is needed" in p.reason


def test_a_variance_inflation_claim_without_a_number_names_its_row(tables):
    _edit(tables / CLAIMS, "every variance inflation factor is below this bound,7", "every variance inflation factor is below this bound,")
    [p] = _problems(tables)
    assert (p.file, p.row, p.column) == (CLAIMS, 2, "value")
    assert p.reason == "claim vif_max needs a number"


def test_the_prefix_goes_before_every_file_name_in_a_problem(tables):
    (tables / FIT).unlink()
    problems: list = []
    published.read_frames(tables, prefix="published/", problems=problems)
    assert [(p.file, p.row, p.column) for p in problems] == [(f"published/{FIT}", None, None)]
    problems = []
    published.read_frames(tables, problems=problems)
    assert [p.file for p in problems] == [FIT]


def test_a_correlation_printed_minus_one_cannot_lie_below_minus_one(tables):
    _edit(tables / T3, "Var2,Var1,-0.098,", "Var2,Var1,-1.000,")
    tb = published.read_tables(tables)
    r = tb.table3[("Var2", "Var1")][0]
    assert (r.low, r.high) == (-1.0, pytest.approx(-0.9995))


def test_a_standard_error_printed_zero_cannot_be_negative(tables):
    _edit(tables / COEFS, "M1,Var2,-2.0715,8.2098,,", "M1,Var2,-2.0715,0.0000,,")
    tb = published.read_tables(tables)
    se = tb.coefs["M1"]["Var2"][1]
    assert (se.low, se.high) == (0.0, pytest.approx(0.00005))


def test_an_unknown_variable_in_table3_is_named(tables):
    _edit(tables / T3, "Var2,Var1,-0.098,", "Var9,Var1,-0.098,")
    problems = _problems(tables)
    [p] = [p for p in problems if p.file == T3 and p.column == "row"]
    assert p.reason == f"'Var9' is not a variable of {T2}"


def test_a_missing_file_does_not_stop_the_others_being_read(tables):
    (tables / T2).unlink()
    _edit(tables / FIT, "M2,12,8.08,", "M2,12,abc,")
    where = {(p.file, p.row, p.column) for p in _problems(tables)}
    assert (T2, None, None) in where and (FIT, 3, "f") in where


def test_a_folder_that_is_not_there_or_is_a_file_is_named(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(DataError) as err:
        published.read_tables(missing)
    [p] = err.value.problems
    assert (p.file, p.reason) == (str(missing), "folder does not exist")
    a_file = tmp_path / "table.csv"
    a_file.write_text("x\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        published.read_tables(a_file)
    [p] = err.value.problems
    assert (p.file, p.reason) == (str(a_file), "is a file, not a folder of table files")


def test_printed_bounds_stop_at_the_ends_of_r_r2_and_p(tables):
    _edit(tables / T3, "Var2,Var1,-0.098,", "Var2,Var1,1.000,")
    _edit(tables / FIT, "M1,12,11.30,0.7151,0.0035,", "M1,12,11.30,1.0000,0.0000,")
    _edit(tables / FIT, "M2,12,8.08,0.7519,0.0083,", "M2,12,8.08,0.0000,1.0000,")
    tb = published.read_tables(tables)
    assert tb.table3[("Var2", "Var1")][0].high == 1.0
    m1, m2 = tb.fit["M1"], tb.fit["M2"]
    assert (m1["r2"].high, m1["p_value"].low) == (1.0, 0.0)
    assert (m2["r2"].low, m2["p_value"].high) == (0.0, 1.0)


def test_a_blank_p_value_is_not_printed_and_claims_are_kept(tables):
    _edit(tables / FIT, "M1,12,11.30,0.7151,0.0035,", "M1,12,11.30,0.7151,,")
    _edit(tables / CLAIMS, "all_models_significant,4.2,all four models pass the significance test,\n", "")
    tb = published.read_tables(tables)
    assert tb.fit["M1"]["p_value"] is None and tb.fit["M2"]["p_value"].text == "0.0083"
    assert tb.claims["vif_max"] == "7" and tb.claims["vif_mean"] == "4.320"


def test_a_fit_row_without_coefficients_is_named(tables):
    _edit(tables / FIT, "M4,12,", "M5,12,")
    problems = _problems(tables)
    assert any((p.file, p.row, p.column, p.reason) == (FIT, 5, "model", f"model M5 has no coefficients in {COEFS}")
               for p in problems), problems


def test_a_pair_given_twice_names_the_row_of_its_first_appearance(tables):
    _edit(tables / T3, "Var2,Var1,-0.098,", "Var2,Var1,-0.098,\nVar1,Var2,-0.098,")
    [p] = _problems(tables)
    assert (p.file, p.row, p.column) == (T3, 4, "row")
    assert p.reason == "the pair Var1 x Var2 is already given on row 3 (as the same or the mirrored pair)"


def test_a_misspelt_regressor_is_reported_once_not_as_an_unclear_dependent_variable(tables):
    """Var8 misspelt in M4 leaves Var8 unused; the reader names the typo and does not also say it
    cannot tell the dependent variable (a consequence of the typo, not a second problem)."""
    _edit(tables / COEFS, "M4,Var8,", "M4,Var9,")
    problems = _problems(tables)
    assert [(p.file, p.column) for p in problems] == [(COEFS, "term")]


def test_a_mean_vif_claim_without_a_number_is_named(tables):
    _edit(tables / CLAIMS, "average variance inflation factor,4.320", "average variance inflation factor,")
    [p] = _problems(tables)
    assert (p.file, p.row, p.column, p.reason) == (CLAIMS, 3, "value", "claim vif_mean needs a number")
