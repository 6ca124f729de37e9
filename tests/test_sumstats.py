"""OLS from summary statistics agrees with statsmodels and with NIST's certified Longley results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from westgov.sumstats import moments_of, ols_from_moments, published_moments

# NIST Statistical Reference Datasets, Longley (certified values, 15 significant digits).
NIST_LONGLEY = {
    "const": (-3482258.63459582, 890420.383607373),
    "GNPDEFL": (15.0618722713733, 84.9149257747669),
    "GNP": (-0.358191792925910e-01, 0.334910077722432e-01),
    "UNEMP": (-2.02022980381683, 0.488399681651699),
    "ARMED": (-1.03322686717359, 0.214274163161675),
    "POP": (-0.511041056535807e-01, 0.226073200069370),
    "YEAR": (1829.15146461355, 455.478499142212),
}
NIST_R2 = 0.995479004577296
NIST_F = 330.285339234588


def _from_frame(frame, y, xs):
    n, means, sds, corr = moments_of(frame)
    return ols_from_moments(n, means, sds, corr, y, xs)


def test_longley_against_nist_certified_values():
    frame = sm.datasets.longley.load_pandas().data
    xs = ["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"]
    res = _from_frame(frame, "TOTEMP", xs)
    for term, (coef, se) in NIST_LONGLEY.items():
        # Longley is ill-conditioned (condition number ~1e9); moments lose a few digits.
        assert res.params[term] == pytest.approx(coef, rel=1e-6), term
        assert res.bse[term] == pytest.approx(se, rel=1e-6), term
    assert res.rsquared == pytest.approx(NIST_R2, rel=1e-9)
    assert res.fvalue == pytest.approx(NIST_F, rel=1e-6)


@pytest.mark.parametrize(
    "dataset, y, xs",
    [
        ("stackloss", "STACKLOSS", ["AIRFLOW", "WATERTEMP", "ACIDCONC"]),
        ("longley", "TOTEMP", ["GNP", "UNEMP"]),
        ("copper", "WORLDCONSUMPTION", ["COPPERPRICE", "INCOMEINDEX", "ALUMPRICE", "INVENTORYINDEX", "TIME"]),
    ],
)
def test_matches_statsmodels_on_real_datasets(dataset, y, xs):
    frame = getattr(sm.datasets, dataset).load_pandas().data.astype(float)
    ref = sm.OLS(frame[y], sm.add_constant(frame[xs])).fit()
    res = _from_frame(frame, y, xs)
    np.testing.assert_allclose(res.params[["const", *xs]].to_numpy(), ref.params.to_numpy(), rtol=1e-8)
    np.testing.assert_allclose(res.bse[["const", *xs]].to_numpy(), ref.bse.to_numpy(), rtol=1e-8)
    np.testing.assert_allclose(res.pvalues[["const", *xs]].to_numpy(), ref.pvalues.to_numpy(), rtol=1e-6, atol=1e-14)
    assert res.rsquared == pytest.approx(ref.rsquared, rel=1e-10)
    assert res.rsquared_adj == pytest.approx(ref.rsquared_adj, rel=1e-10)
    assert res.fvalue == pytest.approx(ref.fvalue, rel=1e-8)
    assert res.f_pvalue == pytest.approx(ref.f_pvalue, rel=1e-6)
    assert res.df_resid == ref.df_resid


def test_standardized_coefficients_equal_slopes_on_z_scores():
    frame = sm.datasets.stackloss.load_pandas().data.astype(float)
    xs = ["AIRFLOW", "WATERTEMP", "ACIDCONC"]
    z = (frame - frame.mean()) / frame.std(ddof=1)
    ref = sm.OLS(z["STACKLOSS"], sm.add_constant(z[xs])).fit()
    res = _from_frame(frame, "STACKLOSS", xs)
    np.testing.assert_allclose(res.std_params.to_numpy(), ref.params[xs].to_numpy(), rtol=1e-10)


def test_too_few_observations_is_an_error():
    frame = sm.datasets.stackloss.load_pandas().data.astype(float).iloc[:4]
    with pytest.raises(ValueError, match="need more than"):
        _from_frame(frame, "STACKLOSS", ["AIRFLOW", "WATERTEMP", "ACIDCONC"])


def test_published_moments_builds_a_symmetric_matrix():
    t2 = pd.DataFrame({"variable": ["A", "B", "C"], "mean": [0, 1, 2], "sd": [1, 2, 3], "min": [0, 0, 0], "max": [9, 9, 9]})
    t3 = pd.DataFrame({"row": ["B", "C", "C"], "col": ["A", "A", "B"], "r": [0.5, -0.2, 0.1], "stars": ["", "", ""]})
    means, sds, corr = published_moments(t2, t3)
    assert corr.loc["A", "B"] == corr.loc["B", "A"] == 0.5
    assert corr.loc["C", "A"] == -0.2 and np.allclose(np.diag(corr), 1)
    assert list(means.index) == ["A", "B", "C"] and sds["C"] == 3
