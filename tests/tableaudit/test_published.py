"""The published-tables reader: the contract the audit relies on, read through check-data's schemas."""

from __future__ import annotations

import pytest

import tableaudit as audit
from tableaudit import published
from tableaudit.problems import DataError
from tableaudit.published import Printed


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_printed_interval_from_its_decimals():
    p = Printed("0.5390")
    assert (p.value, p.half) == (0.539, pytest.approx(0.00005))
    assert (p.low, p.high) == (pytest.approx(0.53895), pytest.approx(0.53905))
    assert Printed("12").half == 0.5
    assert Printed("1.5e-3").half == pytest.approx(0.00005)


def test_printed_p_value_bounds():
    below = Printed("<0.001", floor=0.0, ceiling=1.0)
    assert (below.low, below.high) == (0.0, 0.001)
    assert Printed("<0.001").low == 0.0
    zero = Printed("0.000", floor=0.0, ceiling=1.0)
    assert (zero.low, zero.high) == (0.0, pytest.approx(0.0005))


def test_paper_tables_read_as_printed(tables):
    tb = published.read_tables(tables)
    assert tb.dependent == "Var1" and tb.n == 12
    coef, se, mark = tb.coefs["M1"]["Var2"]
    assert (coef.text, se.text, mark) == ("-2.0715", "8.2098", "")
    assert tb.coefs["M2"]["_Cons"][0].half == pytest.approx(0.0005)  # printed with three decimals
    assert tb.fit["M3"]["p_value"].text == "0.0690"
    assert ("Var2", "Var2") not in tb.table3 and len(tb.table3) == 28


def test_journal_conventions_are_accepted(tables):
    coefs = tables / "table4_coefficients.csv"
    _edit(coefs, "M1,Var2,-2.0715,8.2098,,", "M1,Var2,\u22122.0715,(8.2098),,")
    _edit(coefs, "M1,Var3,0.8416,0.1783,***,", "M1,Var3,0.8416***,[0.1783],,")
    _edit(coefs, "M4,Var2,-2.6241,7.3454,,", "M4,Var2,-2.6241,,,")
    _edit(tables / "table4_fit.csv", "M1,12,11.30,0.7151,0.0035,", "M1,12,11.30,0.7151,<0.001,")
    _edit(tables / "table4_fit.csv", "M2,12,8.08,0.7519,0.0083,", "M2,12,8.08,0.7519,0.000,")
    _edit(tables / "table3_correlations.csv", "Var3,Var1,0.845,***", "Var3,Var1,0.845***,")
    tb = published.read_tables(tables)
    coef, se, mark = tb.coefs["M1"]["Var2"]
    assert (coef.value, se.text, se.value) == (-2.0715, "8.2098", 8.2098)
    coef, se, mark = tb.coefs["M1"]["Var3"]
    assert (coef.text, se.text, mark) == ("0.8416", "0.1783", "***")
    assert tb.coefs["M4"]["Var2"][1] is None
    p1, p2 = tb.fit["M1"]["p_value"], tb.fit["M2"]["p_value"]
    assert (p1.low, p1.high) == (0.0, 0.001)
    assert (p2.low, p2.high) == (0.0, pytest.approx(0.0005))
    assert tb.table3[("Var3", "Var1")][1] == "***"
    result = audit.run(tables)
    assert (result[result.claim == "M4: standard error of Var2"].verdict == audit.UNDECIDABLE).all()


def test_every_problem_is_raised_at_once(tables):
    _edit(tables / "table4_fit.csv", "M2,12,", "M2,11,")
    _edit(tables / "table2_descriptives.csv", "Var3,20.37,7.63", "Var3,20.37,-7.63")
    _edit(tables / "table3_correlations.csv", "Var5,Var3,0.988", "Var5,Var3,abc")
    with pytest.raises(DataError) as err:
        published.read_tables(tables)
    where = {(p.file, p.row, p.column) for p in err.value.problems}
    assert ("table2_descriptives.csv", 4, "sd") in where
    assert ("table3_correlations.csv", 14, "r") in where


def test_stars_glued_and_in_the_column_must_agree(tables):
    _edit(tables / "table4_coefficients.csv", "M1,Var3,0.8416,0.1783,***,", "M1,Var3,0.8416**,0.1783,***,")
    with pytest.raises(DataError, match="differ from"):
        published.read_tables(tables)


def test_different_sample_sizes_are_refused(tables):
    _edit(tables / "table4_fit.csv", "M2,12,", "M2,11,")
    with pytest.raises(DataError) as err:
        published.read_tables(tables)
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "n")]


def test_too_few_observations_for_the_model_are_refused(tables):
    for model in ("M1", "M2", "M3", "M4"):
        _edit(tables / "table4_fit.csv", f"{model},12,", f"{model},8,")
    with pytest.raises(DataError) as err:
        published.read_tables(tables)
    # M4 has k = 7 regressors: n = 8 = k + 1 leaves no residual degree of freedom.
    assert [(p.row, p.column) for p in err.value.problems] == [(5, "n")]
    assert "n - k - 1 = 0" in str(err.value)
