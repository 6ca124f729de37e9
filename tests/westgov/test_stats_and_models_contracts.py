"""Contracts of westgov.stats and westgov.models that callers rely on (found by mutation testing).

* ``correlation_pvalue``: a scalar gives a Python float, an array an array of the same shape;
  |r| = 1, or slightly above 1 from rounding, gives p = 0 without a warning; a missing r gives NaN.
* ``stars``: a missing p-value (None) has no stars.
* ``vif_table``: a Series named ``VIF`` indexed by the columns; always regresses on a constant,
  even when the data hold a constant column; converts the columns to float.
* ``models``: ``fit_all`` passes ``cov_type`` on; ``summarize`` returns the documented keys with
  standardized coefficients; ``results_dict`` uses the dataset it is given; ``row_diagnostics``
  labels its Series and frame (index of the frame, ``Intercept`` + column names) and converts
  the columns to float.

Expected values are computed independently: p-values of r from the exact null distribution of r
(a Beta distribution), regressions with statsmodels' array API on standardized data.
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from westgov import data, models
from westgov.stats import correlation_pvalue, stars, vif_table


def beta_pvalue(r: float, n: int) -> float:
    """Two-sided p-value of r under rho = 0: (r + 1) / 2 ~ Beta(n/2 - 1, n/2 - 1)."""
    a = n / 2 - 1
    return 2 * sps.beta.cdf((1 - abs(r)) / 2, a, a)


@pytest.fixture(scope="module")
def ds():
    return data.load()


# --- correlation_pvalue --------------------------------------------------------------------------


@pytest.mark.parametrize("r", [0.5, np.float64(-0.3), np.array(0.7), 0])
def test_correlation_pvalue_of_a_scalar_is_a_python_float(r):
    p = correlation_pvalue(r, 12)
    assert type(p) is float
    assert p == pytest.approx(beta_pvalue(float(r), 12), rel=1e-9)


@pytest.mark.parametrize("shape", [(3,), (1,), (2, 2)])
def test_correlation_pvalue_of_an_array_is_an_array_of_the_same_shape(shape):
    r = np.linspace(-0.8, 0.6, int(np.prod(shape))).reshape(shape)
    p = correlation_pvalue(r, 12)
    assert isinstance(p, np.ndarray)
    assert p.shape == shape
    expected = np.vectorize(lambda v: beta_pvalue(v, 12))(r)
    assert p == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("r", [1.0, -1.0, np.nextafter(1.0, 2.0), -np.nextafter(1.0, 2.0), 1 + 1e-12])
def test_correlation_pvalue_of_perfect_or_rounded_above_one_r_is_zero_without_warning(r):
    """|r| = 1 (or a hair above 1 from rounding) is a perfect fit: p = 0, silently, never NaN."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert correlation_pvalue(r, 12) == 0.0
        assert list(correlation_pvalue(np.array([r, 0.0]), 12)) == pytest.approx([0.0, 1.0])


def test_correlation_pvalue_of_a_missing_correlation_is_nan():
    p = correlation_pvalue([0.5, None], 12)
    assert p.shape == (2,)
    assert p[0] == pytest.approx(beta_pvalue(0.5, 12), rel=1e-9)
    assert np.isnan(p[1])


# --- stars ---------------------------------------------------------------------------------------


def test_stars_of_a_missing_p_value_is_empty():
    assert stars(None) == ""


# --- vif_table -----------------------------------------------------------------------------------


def _vif_frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    a = rng.standard_normal(30)
    return pd.DataFrame({"a": a, "b": a + rng.standard_normal(30), "c": rng.standard_normal(30)})


def _independent_vif(frame: pd.DataFrame, column: str, others: list[str]) -> float:
    r2 = sm.OLS(frame[column].to_numpy(), sm.add_constant(frame[others].to_numpy())).fit().rsquared
    return 1 / (1 - r2)


def test_vif_table_is_a_series_named_vif_indexed_by_the_columns():
    frame = _vif_frame()
    got = vif_table(frame, ["c", "a", "b"])
    assert got.name == "VIF"
    assert list(got.index) == ["c", "a", "b"]
    assert got["c"] == pytest.approx(_independent_vif(frame, "c", ["a", "b"]), rel=1e-9)


@pytest.mark.filterwarnings("ignore")  # statsmodels warns that the design is rank-deficient
def test_vif_table_adds_the_intercept_even_when_a_column_is_constant():
    """A column that does not vary in the sample (e.g. a dummy) must not replace the intercept:
    the other columns' VIFs stay those of regressions with a constant."""
    frame = _vif_frame().assign(k=3.0)
    got = vif_table(frame, ["a", "k", "b"])
    assert list(got.index) == ["a", "k", "b"]
    assert got["a"] == pytest.approx(_independent_vif(frame, "a", ["b"]), rel=1e-7)
    assert got["b"] == pytest.approx(_independent_vif(frame, "b", ["a"]), rel=1e-7)


def test_vif_table_converts_numbers_held_as_text():
    """Columns read as text (e.g. ``read_csv(dtype=str)``) give the same VIFs as float columns."""
    frame = _vif_frame()
    as_text = frame.astype(str)
    assert as_text["a"].dtype != float
    got = vif_table(as_text, ["a", "b", "c"])
    assert got.to_numpy() == pytest.approx(vif_table(frame, ["a", "b", "c"]).to_numpy(), rel=1e-9)


# --- models --------------------------------------------------------------------------------------


def _design(frame: pd.DataFrame, model: str, names: dict[str, str]):
    x = sm.add_constant(frame[[names[t] for t in models.MODEL_TERMS[model]]].to_numpy(float))
    return frame[names[models.OUTCOME]].to_numpy(float), x


def test_fit_all_passes_the_covariance_type_on(ds):
    fits = models.fit_all(ds.replica, ds.names, cov_type="HC3")
    assert set(fits) == set(models.MODEL_TERMS)
    for model, result in fits.items():
        y, x = _design(ds.replica, model, ds.names)
        expected = sm.OLS(y, x).fit(cov_type="HC3")
        assert result.cov_type == "HC3"
        assert result.bse.to_numpy() == pytest.approx(expected.bse, rel=1e-8)


@pytest.mark.parametrize("model", list(models.MODEL_TERMS))
def test_summarize_reports_documented_keys_and_standardized_coefficients(ds, model):
    frame = ds.replica
    summary = models.summarize(models.fit(frame, model, ds.names), ds.names)
    y, x = _design(frame, model, ds.names)
    expected = sm.OLS(y, x).fit()
    k = len(models.MODEL_TERMS[model])
    assert set(summary) == {"n", "k", "df_resid", "r2", "adj_r2", "f", "f_pvalue", "terms"}
    assert summary["n"] == 12 and type(summary["n"]) is int
    assert summary["k"] == k and type(summary["k"]) is int
    assert summary["df_resid"] == 12 - k - 1 and type(summary["df_resid"]) is int
    assert summary["r2"] == pytest.approx(expected.rsquared, rel=1e-9)
    assert summary["adj_r2"] == pytest.approx(expected.rsquared_adj, rel=1e-9)
    assert summary["f"] == pytest.approx(expected.fvalue, rel=1e-8)
    assert summary["f_pvalue"] == pytest.approx(expected.f_pvalue, rel=1e-6)
    # Standardized slopes: OLS of the z-scored outcome on z-scored regressors (sample sd, ddof 1).
    zy = (y - y.mean()) / y.std(ddof=1)
    zx = (x[:, 1:] - x[:, 1:].mean(axis=0)) / x[:, 1:].std(axis=0, ddof=1)
    std_slopes = sm.OLS(zy, sm.add_constant(zx)).fit().params[1:]
    keys = ["const", *models.MODEL_TERMS[model]]
    assert list(summary["terms"]) == keys
    for i, key in enumerate(keys):
        term = summary["terms"][key]
        assert set(term) == {"coef", "se", "t", "p", "std_coef"}
        assert term["coef"] == pytest.approx(expected.params[i], rel=1e-8, abs=1e-10)
        assert term["se"] == pytest.approx(expected.bse[i], rel=1e-8)
        assert term["t"] == pytest.approx(expected.tvalues[i], rel=1e-8, abs=1e-10)
        assert term["p"] == pytest.approx(expected.pvalues[i], rel=1e-6)
        if key == "const":
            assert term["std_coef"] is None
        else:
            assert type(term["std_coef"]) is float
            # sd units: 10 n u kappa(R_xx) ||beta|| = 10 x 12 x 1.1e-16 x 2.6e3 x 3.5 = 1.2e-10 for M4
            assert term["std_coef"] == pytest.approx(std_slopes[i - 1], rel=1e-8, abs=1e-9)


def test_results_dict_uses_the_dataset_it_is_given(ds):
    smaller = dataclasses.replace(ds, replica=ds.replica.iloc[:11].reset_index(drop=True))
    got = models.results_dict(smaller)
    assert list(got) == list(models.MODEL_TERMS)
    for model, summary in got.items():
        assert summary["n"] == 11
        y, x = _design(smaller.replica, model, ds.names)
        assert summary["r2"] == pytest.approx(sm.OLS(y, x).fit().rsquared, rel=1e-9)


def test_row_diagnostics_labels_follow_the_frame_and_the_terms(ds):
    frame = ds.replica.set_index("replica_row")
    got = models.row_diagnostics(frame, "M3", ds.names)
    terms = ["Intercept", *(ds.names[t] for t in models.MODEL_TERMS["M3"])]
    for key in ("leverage", "cooks"):
        assert got[key].name == key
        assert got[key].index.equals(frame.index)
    for key in ("hc3_se", "hc3_p"):
        assert got[key].name == key
        assert list(got[key].index) == terms
    assert got["loo"].index.equals(frame.index)
    assert list(got["loo"].columns) == terms
    # The labels carry the right numbers: leverage is the hat value of that very row.
    _, x = _design(frame, "M3", ds.names)
    hat = np.diag(x @ np.linalg.inv(x.T @ x) @ x.T)
    # both use the normal equations, in another order: n kappa_s^2 u = 12 x 227^2 x 1.1e-16 = 7e-11
    assert got["leverage"].loc["R05"] == pytest.approx(hat[frame.index.get_loc("R05")], rel=1e-7)


@pytest.mark.parametrize(
    "convert",
    [pd.DataFrame.convert_dtypes, lambda f: f.astype(object)],
    ids=["nullable-dtypes", "object-dtype"],
)
def test_row_diagnostics_converts_columns_to_float(ds, convert):
    """A frame after ``convert_dtypes()`` (Float64 / Int64 columns) or of object columns gives the
    same diagnostics as the float frame."""
    expected = models.row_diagnostics(ds.replica, "M4", ds.names)
    got = models.row_diagnostics(convert(ds.replica), "M4", ds.names)
    for key in ("leverage", "cooks", "hc3_se", "hc3_p"):
        assert got[key].to_numpy(float) == pytest.approx(expected[key].to_numpy(), rel=1e-9)
    assert got["loo"].to_numpy(float) == pytest.approx(expected["loo"].to_numpy(), rel=1e-9)
