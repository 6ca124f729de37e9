"""M1-M4 on the replica agree with OLS computed from the published moments, and the CLI prints them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tableaudit.sumstats import ols_from_moments, published_moments
from westgov import data, models


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
        # Round-off is normwise, ~n u kappa ||beta|| (M4: 1e-11 in sd units, about 2e-11 of an SE on
        # every term), so M4's tiny population slope is off by 2e-9 relative: floor 1e-8 SE, not 1e-12.
        assert t["coef"] == pytest.approx(expected.params[term], rel=1e-8, abs=1e-8 * expected.bse[term])
        assert t["se"] == pytest.approx(expected.bse[term], rel=1e-8)
        assert t["p"] == pytest.approx(expected.pvalues[term], rel=1e-6)
        if term != "const":
            # sd units: 10 n u kappa(R_xx) ||beta|| = 10 x 12 x 1.1e-16 x 2.6e3 x 3.5 = 1.2e-10 for M4
            assert t["std_coef"] == pytest.approx(expected.std_params[term], rel=1e-8, abs=1e-9)


def test_cli_and_library_give_the_same_numbers(ds, cli_results):
    lib = models.results_dict(ds)
    for model in models.MODEL_TERMS:
        # Two processes: the same code, but BLAS may sum in another order (never compare bits).
        # Another summation order moves M4's small population slope by ~2e-9 relative (kappa(X)
        # 8.7e6): rel 1e-7 below (was 1e-9); R^2 has absolute error ~u kappa(R_xx) = 3e-13.
        assert lib[model]["r2"] == pytest.approx(cli_results[model]["r2"], rel=1e-10)
        assert set(lib[model]["terms"]) == set(cli_results[model]["terms"])
        for term, values in lib[model]["terms"].items():
            for key, value in values.items():
                other = cli_results[model]["terms"][term][key]
                if isinstance(value, float):
                    assert value == pytest.approx(other, rel=1e-7, abs=1e-12), (model, term, key)
                else:
                    assert value == other, (model, term, key)


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


# --- Robust inference uses t(df_resid) -------------------------------------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("model", list(models.MODEL_TERMS))
def test_robust_fit_uses_t_with_residual_df(ds, model):
    from scipy import stats

    fit = models.fit(ds.replica, model, ds.names, cov_type="HC3")
    assert fit.use_t
    expected = 2 * stats.t.sf(fit.tvalues.abs().to_numpy(), fit.df_resid)
    assert fit.pvalues.to_numpy() == pytest.approx(expected, rel=1e-10)
    normal = 2 * stats.norm.sf(fit.tvalues.abs().to_numpy())
    assert (fit.pvalues.to_numpy() > normal).all()


def _calls_missing_use_t(source: str) -> list[int]:
    """Lines of calls that pass ``cov_type`` but not ``use_t=True``.

    ``models.fit`` and ``models.fit_all`` are exempt: they always pass ``use_t=True`` themselves
    (the scan of ``westgov/models.py`` and the test above check that).
    """
    import ast

    bad = []
    for node in ast.walk(ast.parse(source)):
        func = getattr(node, "func", None)
        ours = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "models"
        if isinstance(node, ast.Call) and not ours:
            kw = {k.arg: k.value for k in node.keywords}
            use_t = kw.get("use_t")
            if "cov_type" in kw and not (isinstance(use_t, ast.Constant) and use_t.value is True):
                bad.append(node.lineno)
    return bad


def test_the_scanner_catches_a_robust_fit_without_t():
    assert _calls_missing_use_t('m.fit(cov_type="HC3")\nm.fit(cov_type="HC3", use_t=True)') == [1]
    assert _calls_missing_use_t('m.fit(cov_type="HC1", use_t=False)') == [1]
    assert _calls_missing_use_t('models.fit(frame, "M1", names, cov_type="HC3")') == []


def _sources():
    import jupytext

    for path in sorted([*(ROOT / "westgov").rglob("*.py"), *(ROOT / "tableaudit").glob("*.py")]):
        source = path.read_text(encoding="utf-8")
        if "from mutmut." in source:
            # `make mutation` runs the tests on mutmut's copy, which holds every mutant of the
            # module side by side (some with use_t dropped, on purpose); the original is checked
            # by every ordinary run.
            continue
        yield path.relative_to(ROOT).as_posix(), source
    from westgov.book.build import is_notebook_source

    for path in sorted((ROOT / "chapters").glob("*.md")):
        if not is_notebook_source(path):  # e.g. the bibliography: prose, no code cells
            continue
        nb = jupytext.read(path)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
        yield path.relative_to(ROOT).as_posix(), code


@pytest.mark.parametrize("name, source", list(_sources()), ids=lambda v: v if "/" in str(v)[:20] else "")
def test_every_robust_fit_passes_use_t(name, source):
    assert _calls_missing_use_t(source) == [], f"{name}: robust fit without use_t=True at code line(s)"


# --- Row-level diagnostics against statsmodels -----------------------------------------------


@pytest.mark.parametrize("model", list(models.MODEL_TERMS))
def test_row_diagnostics_match_statsmodels(ds, model):
    frame = ds.replica
    got = models.row_diagnostics(frame, model, ds.names)
    classical = models.fit(frame, model, ds.names)
    infl = classical.get_influence()
    # row_diagnostics uses the normal equations: h carries ~n kappa_s^2 u = 12 x 338^2 x 1.1e-16
    # = 1.5e-10 for M4 (kappa_s: column-equilibrated X); 1e-7 leaves margin for any kernel.
    assert got["leverage"].to_numpy() == pytest.approx(infl.hat_matrix_diag, rel=1e-7)
    # Cook's D and HC3 divide by (1 - h)^2, 1 - h = 0.0037 for R12 in M4: 2 x 1.5e-10 / 0.0037
    # = 1e-7 relative; 1e-5 leaves margin.
    assert got["cooks"].to_numpy() == pytest.approx(infl.cooks_distance[0], rel=1e-5)
    robust = models.fit(frame, model, ds.names, cov_type="HC3")
    assert got["hc3_se"].to_numpy() == pytest.approx(robust.bse.to_numpy(), rel=1e-5)
    assert got["hc3_p"].to_numpy() == pytest.approx(robust.pvalues.to_numpy(), rel=1e-5)
    # Compare in standardized units: without R12 the M4 design is nearly singular (leverage 0.996),
    # so the refit itself carries rounding noise of order 1e-7 in the raw coefficients.
    scale = frame[got["loo"].columns[1:]].std().to_numpy() / frame[ds.names["Var1"]].std()
    for i in (0, 5, 11):
        refit = models.fit(frame.drop(index=frame.index[i]), model, ds.names).params
        assert got["loo"].iloc[i].to_numpy()[1:] * scale == pytest.approx(refit.to_numpy()[1:] * scale, rel=1e-6, abs=1e-6)
