"""M1-M4 on the replica agree with OLS computed from the published moments, and the CLI prints them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from westgov import data, models
from westgov.sumstats import ols_from_moments, published_moments


@pytest.fixture(scope="module")
def ds():
    return data.load()


@pytest.fixture(scope="module")
def cli_results():
    run = subprocess.run([sys.executable, "-m", "westgov", "results", "--json"], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


@pytest.mark.parametrize("model", list(models.MODEL_TERMS))
def test_replica_regressions_equal_summary_statistics_ols(ds, cli_results, model):
    means, sds, corr = published_moments(ds.table2, ds.table3)
    # The replica's population is the official series, whose moments are the unrounded ones.
    population = ds.western().population_yearend_10k
    means["Var7"], sds["Var7"] = population.mean(), population.std(ddof=1)
    expected = ols_from_moments(12, means, sds, corr, "Var1", models.MODEL_TERMS[model])
    got = cli_results[model]
    assert got["n"] == 12
    assert got["df_resid"] == 12 - len(models.MODEL_TERMS[model]) - 1
    assert got["r2"] == pytest.approx(expected.rsquared, rel=1e-9)
    assert got["adj_r2"] == pytest.approx(expected.rsquared_adj, rel=1e-9)
    assert got["f"] == pytest.approx(expected.fvalue, rel=1e-9)
    assert got["f_pvalue"] == pytest.approx(expected.f_pvalue, rel=1e-8)
    assert set(got["terms"]) == {"const", *models.MODEL_TERMS[model]}
    for term, t in got["terms"].items():
        assert t["coef"] == pytest.approx(expected.params[term], rel=1e-8, abs=1e-12)
        assert t["se"] == pytest.approx(expected.bse[term], rel=1e-8)
        assert t["p"] == pytest.approx(expected.pvalues[term], rel=1e-6)
        if term != "const":
            assert t["std_coef"] == pytest.approx(expected.std_params[term], rel=1e-8, abs=1e-12)


def test_cli_and_library_give_the_same_numbers(ds, cli_results):
    lib = models.results_dict(ds)
    for model in models.MODEL_TERMS:
        assert lib[model]["r2"] == cli_results[model]["r2"]
        assert lib[model]["terms"] == cli_results[model]["terms"]


def test_formula_uses_book_names(ds):
    assert models.formula("M1", ds.names) == "digital_government_index ~ tertiary_share + big_data_index"


def test_paper_vs_ours_keeps_printed_decimals_and_flags(ds):
    from westgov.tables import paper_vs_ours

    table = paper_vs_ours(ds.table4_coefficients, models.results_dict(ds), ds.names, data_dir=ds.root)
    cons_m2 = table.query("model == 'M2' and term == '_Cons'").iloc[0]
    assert cons_m2.paper == "-2.697* (2.0459)"  # printed with three decimals
    m1_var3 = table.query("model == 'M1' and term == 'Var3'").iloc[0]
    assert m1_var3["same sign"] and m1_var3["same stars"]
    m2_var6 = table.query("model == 'M2' and term == 'Var6'").iloc[0]
    assert not m2_var6["same sign"]  # printed +1.8476; the tables imply a negative slope
