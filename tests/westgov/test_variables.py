"""Boundary cases of the official-data variables (westgov.variables), written to kill mutants.

Expected values are recomputed here from the raw CSV with the standard library's csv module, not
with the code under test; the rarer bases (share only, nothing located) use a hand-made dataset.
"""

from __future__ import annotations

import csv
import dataclasses
import math

import pandas as pd
import pytest

from westgov import data, variables
from westgov.paths import DATA_DIR


@pytest.fixture(scope="module")
def ds():
    return data.load(verify_checksums=False)


def _raw(rel):
    with (DATA_DIR / rel).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(text):
    return float(text) if text.strip() else math.nan


def test_western_rows_match_an_independent_computation(ds):
    regions = {r["code"]: r for r in _raw("raw/provinces.csv")}
    official = [r for r in _raw("raw/official_2020.csv") if regions[r["code"]]["region"] == "west"]
    official.sort(key=lambda r: r["code"])
    out = variables.official_variables(ds)
    assert list(out.code.astype(str)) == [r["code"] for r in official]
    assert len(out) == 12 and list(out.index) == list(range(12))
    assert set(out.region) == {"west"}
    for i, r in enumerate(official):
        row = out.iloc[i]
        gdp, pop = _num(r["gdp_100m_yuan"]), _num(r["population_yearend_10k"])
        assert row.name_en == regions[r["code"]]["name_en"]
        assert row.name_zh == regions[r["code"]]["name_zh"]
        assert row.budget_expenditure_share == pytest.approx(_num(r["budget_expenditure_100m_yuan"]) / gdp, rel=1e-12)
        assert row.rd_intensity == pytest.approx(_num(r["rd_expenditure_10k_yuan"]) / (gdp * 1e4), rel=1e-12)
        assert row.population == pytest.approx(pop, rel=1e-12)
        assert row.gdp_per_capita == pytest.approx(gdp * 1e8 / (pop * 1e4), rel=1e-12)
        official_pc = _num(r["gdp_per_capita_yuan"])
        if math.isnan(official_pc):
            assert pd.isna(row.gdp_per_capita_official)
        else:
            assert row.gdp_per_capita_official == pytest.approx(official_pc)
        va, share = _num(r["tertiary_va_100m_yuan"]), _num(r["tertiary_share_pct"])
        if not math.isnan(va):
            assert row.tertiary_share == pytest.approx(va / gdp, rel=1e-12)
            assert row.tertiary_share_basis == "derived: preliminary tertiary value added / GDP"
        elif not math.isnan(share):
            assert row.tertiary_share == pytest.approx(share / 100, rel=1e-12)
            assert row.tertiary_share_basis == "published share (preliminary) / 100"
        else:
            assert pd.isna(row.tertiary_share)
            assert row.tertiary_share_basis == "missing: not located"
        assert row.budget_expenditure_share_basis == "derived: budget expenditure / GDP"
        assert row.rd_intensity_basis == "derived: R&D expenditure / GDP"
        assert row.population_basis == "published: year-end population"
        assert row.gdp_per_capita_basis == "derived: GDP / year-end population"


def test_rd_intensity_agrees_with_the_published_percentage(ds):
    """R&D intensity from levels, in percent, is the yearbook's own rd_intensity_pct (to rounding)."""
    out = variables.official_variables(ds).set_index("code")
    official = ds.official.set_index("code")
    for code in out.index:
        assert 100 * out.rd_intensity[code] == pytest.approx(official.rd_intensity_pct[code], abs=0.006)


def test_region_none_gives_every_province_sorted(ds):
    out = variables.official_variables(ds, region=None)
    assert len(out) == len(ds.provinces) == 31
    assert list(out.code) == sorted(out.code)
    assert list(out.index) == list(range(31))
    assert set(out.region) == set(ds.provinces.region)
    east = variables.official_variables(ds, region="east")
    assert 0 < len(east) < 31 and set(east.region) == {"east"}
    assert list(variables.official_variables(ds, "west").code) == list(variables.official_variables(ds).code)


def _tiny(ds, official_rows):
    provinces = pd.DataFrame(
        {"code": ["630000", "620000", "610000"], "name_en": ["Q", "G", "S"], "name_zh": ["青", "甘", "陕"],
         "region": ["west", "west", "west"]}
    )
    official = pd.DataFrame(official_rows)
    return dataclasses.replace(ds, provinces=provinces, official=official)


def test_each_basis_of_the_tertiary_share(ds):
    nan = math.nan
    rows = {
        "code": ["610000", "620000", "630000"],
        "gdp_100m_yuan": [200.0, 400.0, 800.0],
        "population_yearend_10k": [10.0, 20.0, 40.0],
        "budget_expenditure_100m_yuan": [50.0, 100.0, 100.0],
        "rd_expenditure_10k_yuan": [2e4, 4e4, 4e4],
        "tertiary_va_100m_yuan": [100.0, nan, nan],
        "tertiary_share_pct": [70.0, 40.0, nan],
        "gdp_per_capita_yuan": [nan, 1.0, nan],
    }
    out = variables.official_variables(_tiny(ds, rows))
    assert list(out.code) == ["610000", "620000", "630000"]
    assert list(out.name_en) == ["S", "G", "Q"]
    assert out.tertiary_share[0] == 0.5  # the level wins over the share when both exist
    assert out.tertiary_share[1] == 0.4
    assert pd.isna(out.tertiary_share[2])
    assert list(out.tertiary_share_basis) == [
        "derived: preliminary tertiary value added / GDP",
        "published share (preliminary) / 100",
        "missing: not located",
    ]
    assert list(out.budget_expenditure_share) == [0.25, 0.25, 0.125]
    assert list(out.rd_intensity) == [0.01, 0.01, 0.005]
    assert list(out.gdp_per_capita) == [200.0 * 1e8 / 1e5, 400.0 * 1e8 / 2e5, 800.0 * 1e8 / 4e5]
    assert list(out.population) == [10.0, 20.0, 40.0]
    assert out.gdp_per_capita_official.isna().tolist() == [True, False, True]


def test_official_with_indices_merges_on_code_left(ds):
    indices = pd.DataFrame({"code": list(variables.official_variables(ds).code)[:5], "score": range(5)})
    frame = variables.official_with_indices(dataclasses.replace(ds, indices=indices))
    assert len(frame) == 12
    assert frame.score.notna().sum() == 5
    assert list(frame.code) == list(variables.official_variables(ds).code)
    duplicated = pd.concat([indices, indices.head(1)])
    with pytest.raises(pd.errors.MergeError):
        variables.official_with_indices(dataclasses.replace(ds, indices=duplicated))
