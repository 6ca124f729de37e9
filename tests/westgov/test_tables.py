"""Table helpers: significant digits, ranges, units and the paper-beside-ours table."""

from __future__ import annotations

import pandas as pd
import pytest

from westgov import audit, data, models
from westgov.tables import DISPLAY_UNITS, paper_vs_ours, range_cell, sig


@pytest.mark.parametrize(
    "value, digits, expected",
    [
        (-187.0175, 4, "-187.0"),
        (1.13025, 4, "1.130"),
        (-0.0000276, 4, "-0.00002760"),
        (1192.68, 4, "1193"),
        (0.0, 4, "0"),
        (0.00031, 2, "0.00031"),
        (123456.0, 4, "123456"),
        (float("nan"), 4, "—"),
        (None, 4, "—"),
        (0.000123, 4, "0.0001230"),
        (-0.5, 2, "-0.50"),
        (0.9999, 4, "0.9999"),
        (9999.7, 4, "10000"),
    ],
)
def test_sig_keeps_significant_digits_without_exponent(value, digits, expected):
    assert sig(value, digits) == expected


@pytest.mark.parametrize(
    "value, digits, expected",
    [
        (99.995, 4, "100.0"),
        (-99.9999, 4, "-100.0"),
        (9.99995, 4, "10.00"),
        (0.00099999, 4, "0.001000"),
        (0.99996, 4, "1.000"),
        (0.96, 1, "1"),
        (0.0000999996, 2, "0.00010"),
    ],
)
def test_sig_rounding_up_to_a_power_of_ten_keeps_the_number_of_digits(value, digits, expected):
    """99.995 to 4 digits is 100.0, not 100.00 (which would claim a fifth significant digit)."""
    assert sig(value, digits) == expected


def test_sig_prints_infinity_like_python():
    """An infinite F (exact fit) prints as inf, as markdown_table prints it, instead of raising."""
    assert (sig(float("inf")), sig(float("-inf"), 2)) == ("inf", "-inf")


def test_range_cell():
    assert range_cell(-164.51, -54.84) == "[-164.6, -54.84]"  # ends rounded outward
    assert range_cell(0.8416313, 0.8427067) == "[0.8416, 0.8428]"


@pytest.fixture(scope="module")
def ds():
    return data.load()


@pytest.fixture(scope="module")
def table(ds):
    ranges = audit.implied_ranges(audit.read_tables(ds.root / "published"))
    return paper_vs_ours(
        ds.table4_coefficients, models.results_dict(ds), ds.names, data_dir=ds.root, ranges=ranges
    ), ranges


def test_tiny_terms_are_shown_in_readable_units(ds, table):
    comparison, ranges = table
    results = models.results_dict(ds)
    pop = comparison.query("model == 'M4' and term == 'Var7'").iloc[0]
    factor, unit = DISPLAY_UNITS["Var7"]
    assert factor == 100 and unit == "per million persons"  # population is stored in 10,000 persons
    coef = results["M4"]["terms"]["Var7"]["coef"] * 100
    se = results["M4"]["terms"]["Var7"]["se"] * 100
    assert pop.ours == f"{sig(coef)} ({sig(se)})"
    assert pop.unit == unit
    gdp = comparison.query("model == 'M4' and term == 'Var8'").iloc[0]
    assert gdp.ours.startswith(sig(results["M4"]["terms"]["Var8"]["coef"] * 1e4))
    # Neither prints as a row of zeros any more.
    assert not pop.ours.startswith("-0.0000") and not gdp.ours.startswith("-0.0007")


def test_rounding_range_column_comes_from_implied_ranges(table):
    comparison, ranges = table
    row = comparison.query("model == 'M4' and term == 'Var5'").iloc[0]
    r = ranges.query("model == 'M4' and term == 'Var5' and quantity == 'coef'").iloc[0]
    assert row["rounding range"] == range_cell(r.low, r.high)
    pop = comparison.query("model == 'M4' and term == 'Var7'").iloc[0]
    r = ranges.query("model == 'M4' and term == 'Var7' and quantity == 'coef'").iloc[0]
    assert pop["rounding range"] == range_cell(r.low * 100, r.high * 100)
    assert r.low < 0 < r.high  # rounding alone leaves even the sign of population open


def test_paper_cells_are_never_rescaled(ds, table):
    comparison, _ = table
    pop = comparison.query("model == 'M4' and term == 'Var7'").iloc[0]
    assert pop.paper == "-0.8105 (0.4145)"
    assert isinstance(comparison, pd.DataFrame) and len(comparison) == len(ds.table4_coefficients)
