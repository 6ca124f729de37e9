"""Boundary cases of OLS from summary statistics (tableaudit.sumstats), written to kill mutants.

Every expected value comes from statsmodels or from a closed form worked out here, not from the
code under test.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from tableaudit import sumstats
from tableaudit.sumstats import (
    IllConditionedError,
    IllConditionedWarning,
    ols_from_moments,
)

NAMES = ["y", "a", "b"]


def _moments(r_ab=0.3, r_ya=0.5, r_yb=-0.2, means=(10.0, 1.0, -2.0), sds=(2.0, 0.5, 3.0)):
    corr = pd.DataFrame(
        [[1, r_ya, r_yb], [r_ya, 1, r_ab], [r_yb, r_ab, 1]], index=NAMES, columns=NAMES, dtype=float
    )
    return pd.Series(means, index=NAMES), pd.Series(sds, index=NAMES), corr


def test_digits_lost():
    assert sumstats.digits_lost(1e6) == pytest.approx(6.0)
    assert sumstats.digits_lost(1.0) == 0.0
    assert sumstats.digits_lost(0.5) == 0.0  # below 1 (impossible for a condition number): no digit lost
    assert isinstance(sumstats.digits_lost(100), float)


def test_condition_message_names_the_numbers():
    msg = sumstats._condition_message(2.5e8, ["a", "b"])  # lost 8.4, left 15.65 - 8.4 = 7.3
    assert msg == (
        "the correlation matrix of the regressors a, b has condition number 2.5e+08: about 8 of the "
        "16 significant digits of a double are lost, so the slopes carry at most about 7 correct digits"
    )
    assert "at most about 0 correct digits" in sumstats._condition_message(1e20, ["a"])
    assert sumstats._condition_message(np.inf, ["a", "b"]) == (
        "the correlation matrix of the regressors a, b is singular (condition number inf)"
    )


def test_n_equal_to_k_plus_one_is_refused_and_k_plus_two_works():
    means, sds, corr = _moments()
    with pytest.raises(ValueError, match=r"^2 regressors and an intercept need more than 3 observations; n = 3$"):
        ols_from_moments(3, means, sds, corr, "y", ["a", "b"])
    res = ols_from_moments(4, means, sds, corr, "y", ["a", "b"])
    assert res.df_resid == 1 and res.df_model == 2 and res.nobs == 4


def test_closed_form_single_regressor():
    """y on one x: slope r sd_y / sd_x, R^2 = r^2, and the textbook standard errors."""
    means, sds, corr = _moments()
    n, r = 20, 0.5
    res = ols_from_moments(n, means, sds, corr, "y", ["a"])
    slope = r * 2.0 / 0.5
    assert res.params["a"] == pytest.approx(slope)
    assert res.params["const"] == pytest.approx(10.0 - slope * 1.0)
    assert res.rsquared == pytest.approx(r**2)
    assert res.rsquared_adj == pytest.approx(1 - (1 - r**2) * (n - 1) / (n - 2))
    s2 = (n - 1) * 4.0 * (1 - r**2) / (n - 2)
    sxx = (n - 1) * 0.25
    assert res.bse["a"] == pytest.approx(np.sqrt(s2 / sxx))
    assert res.bse["const"] == pytest.approx(np.sqrt(s2 / n + 1.0**2 * s2 / sxx))
    assert res.fvalue == pytest.approx(r**2 / ((1 - r**2) / (n - 2)))
    assert res.fvalue == pytest.approx(res.tvalues["a"] ** 2)
    assert res.std_params["a"] == pytest.approx(r)
    assert res.condition_number == pytest.approx(1.0)
    assert res.exact_fit is False


def test_agrees_with_statsmodels_on_generated_data():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((15, 2)) * [3, 0.2] + [5, -1]
    y = 1 + x @ [0.7, -4.0] + rng.standard_normal(15)
    frame = pd.DataFrame({"y": y, "a": x[:, 0], "b": x[:, 1]})
    fit = sm.OLS(frame.y, sm.add_constant(frame[["a", "b"]])).fit()
    res = ols_from_moments(*sumstats.moments_of(frame), "y", ["a", "b"])
    for attr in ("params", "bse", "tvalues", "pvalues"):
        np.testing.assert_allclose(getattr(res, attr).to_numpy(), getattr(fit, attr).to_numpy(), rtol=1e-8)
    assert res.f_pvalue == pytest.approx(fit.f_pvalue, rel=1e-8)
    assert res.condition_number == pytest.approx(np.linalg.cond(frame[["a", "b"]].corr().to_numpy()))


def test_moments_of_uses_the_sample_sd():
    frame = pd.DataFrame({"u": [1.0, 2.0, 4.0], "v": [0.0, 1.0, 0.0]})
    n, means, sds, corr = sumstats.moments_of(frame)
    assert n == 3
    assert means["u"] == pytest.approx(7 / 3)
    assert sds["u"] == pytest.approx(np.sqrt(((1 - 7 / 3) ** 2 + (2 - 7 / 3) ** 2 + (4 - 7 / 3) ** 2) / 2))
    assert corr.loc["u", "v"] == pytest.approx(np.corrcoef(frame.u, frame.v)[0, 1])


@pytest.mark.parametrize(
    "slot, change, message",
    [
        (0, lambda t: t.drop("a"), "no mean given for 'a'"),
        (1, lambda t: t.drop("b"), "no standard deviation given for 'b'"),
        (0, lambda t: t.replace(1.0, np.nan), "the mean of 'a' is not a finite number: nan"),
        (1, lambda t: t.replace(3.0, np.inf), "the standard deviation of 'b' is not a finite number: inf"),
        (1, lambda t: t.replace(3.0, -3.0), "the standard deviation of 'b' must be positive; got -3.0"),
        (1, lambda t: t.replace(2.0, 0.0), "the standard deviation of 'y' must be positive; got 0.0"),
        (2, lambda t: t.drop(index="b"), "no correlations given for 'b'"),
        (2, lambda t: t.drop(columns="a"), "no correlations given for 'a'"),
    ],
    ids=["no-mean", "no-sd", "nan-mean", "inf-sd", "negative-sd", "zero-sd", "no-corr-row", "no-corr-col"],
)
def test_each_input_check_names_the_variable(slot, change, message):
    args = list(_moments())
    args[slot] = change(args[slot])
    with pytest.raises(ValueError) as err:
        ols_from_moments(20, *args, "y", ["a", "b"])
    assert str(err.value) == message


def test_a_variable_twice_is_refused():
    means, sds, corr = _moments()
    with pytest.raises(ValueError, match=r"appears twice among the outcome and regressors: \['a', 'a', 'b'\]"):
        ols_from_moments(20, means, sds, corr, "a", ["a", "b"])
    with pytest.raises(ValueError, match="appears twice"):
        ols_from_moments(20, means, sds, corr, "y", ["a", "a"])


def test_correlation_bound_is_one_within_1e_12():
    means, sds, corr = _moments()
    inside = corr.copy()
    inside.loc["a", "a"] = 1 + 1e-13
    ols_from_moments(20, means, sds, inside, "y", ["a", "b"])
    outside = corr.copy()
    outside.loc["y", "b"] = outside.loc["b", "y"] = -(1 + 1e-11)
    with pytest.raises(ValueError, match=r"^a correlation lies outside \[-1, 1\]$"):
        ols_from_moments(20, means, sds, outside, "y", ["a", "b"])
    missing = corr.copy()
    missing.loc["a", "b"] = np.nan
    with pytest.raises(ValueError, match="^the correlation matrix has missing or infinite entries$"):
        ols_from_moments(20, means, sds, missing, "y", ["a", "b"])


def test_correlations_of_unused_variables_are_not_checked():
    means, sds, corr = _moments()
    corr["z"] = np.nan
    corr.loc["z"] = np.nan
    ols_from_moments(20, means, sds, corr, "y", ["a", "b"])


def _condition(r):
    return np.linalg.cond(np.array([[1, r], [r, 1]]))  # = (1 + r) / (1 - r)


def test_warn_and_refuse_thresholds_are_strict():
    means, sds, corr = _moments(r_ab=0.9, r_ya=0.5, r_yb=0.4)
    cond = _condition(0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ols_from_moments(20, means, sds, corr, "y", ["a", "b"], warn_condition=cond * (1 + 1e-9))
    with pytest.warns(IllConditionedWarning, match=r"^OLS from moments: the correlation matrix of the regressors a, b has condition number 19"):
        ols_from_moments(20, means, sds, corr, "y", ["a", "b"], warn_condition=cond * (1 - 1e-9))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ols_from_moments(20, means, sds, corr, "y", ["a", "b"], max_condition=cond * (1 + 1e-9))
    with pytest.raises(IllConditionedError, match=r"^OLS from moments refused: the correlation .* \(limit 2e\+01\)\. Fit from the data"):
        ols_from_moments(20, means, sds, corr, "y", ["a", "b"], max_condition=cond * (1 - 1e-9))


def test_default_thresholds():
    assert sumstats.WARN_CONDITION == 1e6 and sumstats.MAX_CONDITION == 1e12
    assert sumstats.EXACT_FIT_TOL == 64 * np.finfo(float).eps
    r = 1 - 2 / (1e6 + 1) * 0.999  # condition number just above 1e6
    means, sds, corr = _moments(r_ab=r, r_ya=0.3, r_yb=0.3)
    with pytest.warns(IllConditionedWarning):
        ols_from_moments(20, means, sds, corr, "y", ["a", "b"])
    r = 1 - 2 / (1e6 + 1) * 1.01  # just below
    means, sds, corr = _moments(r_ab=r, r_ya=0.3, r_yb=0.3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ols_from_moments(20, means, sds, corr, "y", ["a", "b"])


def test_slightly_impossible_correlations_within_rounding_are_an_exact_fit():
    """R^2 above 1 by less than the tolerance is rounding noise (an exact fit), above it an error."""
    means, sds, corr = _moments(r_ab=0.0, r_ya=0.6, r_yb=0.8)  # R^2 = 0.36 + 0.64 = 1
    res = ols_from_moments(20, means, sds, corr, "y", ["a", "b"])
    assert res.exact_fit and res.rsquared == 1.0 and res.fvalue == np.inf and res.f_pvalue == 0.0
    assert (res.bse == 0).all()
    means, sds, corr = _moments(r_ab=0.0, r_ya=0.6, r_yb=0.8 + 1e-9)
    with pytest.raises(ValueError, match=r"^the correlations are impossible: they imply R\^2 = 1 > 1 \(the correlation matrix of y, a, b is not positive semi-definite\)$"):
        ols_from_moments(20, means, sds, corr, "y", ["a", "b"])
    means, sds, corr = _moments(r_ab=0.0, r_ya=0.6, r_yb=0.8 - 1e-6)
    res = ols_from_moments(20, means, sds, corr, "y", ["a", "b"])
    assert not res.exact_fit and res.rsquared < 1 and np.isfinite(res.fvalue)


def test_published_moments_ignores_the_printed_diagonal_and_keeps_types():
    t2 = pd.DataFrame({"variable": ["A", "B"], "mean": ["1", "2"], "sd": ["3", "4"], "min": [0, 0], "max": [9, 9]})
    t3 = pd.DataFrame({"row": ["B"], "col": ["A"], "r": [0.25], "stars": [""]})
    means, sds, corr = sumstats.published_moments(t2, t3)
    assert means.dtype == float and sds.dtype == float
    assert list(sds) == [3.0, 4.0] and list(means) == [1.0, 2.0]
    assert corr.to_numpy().tolist() == [[1.0, 0.25], [0.25, 1.0]]
    assert list(corr.index) == list(corr.columns) == ["A", "B"]


# --- the exact-fit tolerance at its edges (one regressor: condition number 1, tolerance 64 eps) ----

TOL = 64 * np.finfo(float).eps


def _r_with_residual_share(target):
    """A correlation r, |r| ~ 1, whose residual share 1 - r*r is exactly ``target`` in floating point."""
    r = np.sqrt(1 - target)
    for _ in range(10_000):
        share = 1.0 - r * r
        if share == target:
            return float(r)
        r = np.nextafter(r, 0.0 if share < target else 2.0)
    raise AssertionError("no such r")


def _one_regressor(r):
    corr = pd.DataFrame([[1.0, r], [r, 1.0]], index=["y", "a"], columns=["y", "a"])
    return ols_from_moments(12, pd.Series({"y": 1.0, "a": 2.0}), pd.Series({"y": 1.0, "a": 1.0}), corr, "y", ["a"])


def test_residual_share_equal_to_the_tolerance_is_an_exact_fit():
    assert _one_regressor(_r_with_residual_share(TOL)).exact_fit


def test_residual_share_above_the_tolerance_is_not_an_exact_fit():
    res = _one_regressor(_r_with_residual_share(1.5 * TOL))
    assert not res.exact_fit and res.bse["a"] > 0 and np.isfinite(res.fvalue)


def test_residual_share_of_minus_the_tolerance_is_an_exact_fit_not_an_error():
    assert _one_regressor(_r_with_residual_share(-TOL)).exact_fit
    with pytest.raises(ValueError, match="impossible"):
        _one_regressor(_r_with_residual_share(-2 * TOL))


def test_impossible_correlations_print_the_implied_r_squared():
    means, sds, corr = _moments(r_ab=0.0, r_ya=0.9, r_yb=0.8)  # R^2 = 0.81 + 0.64 = 1.45
    with pytest.raises(ValueError, match=r"they imply R\^2 = 1\.45 > 1 "):
        ols_from_moments(20, means, sds, corr, "y", ["a", "b"])


def test_correlation_of_exactly_one_plus_1e_12_is_accepted():
    means, sds, corr = _moments()
    corr.loc["a", "a"] = 1 + 1e-12
    ols_from_moments(20, means, sds, corr, "y", ["a", "b"])


def test_condition_number_equal_to_the_limits_neither_warns_nor_refuses():
    means, sds, corr = _moments(r_ab=0.9, r_ya=0.5, r_yb=0.4)
    cond = float(np.linalg.cond(corr.loc[["a", "b"], ["a", "b"]].to_numpy(float)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = ols_from_moments(20, means, sds, corr, "y", ["a", "b"], warn_condition=cond, max_condition=cond)
    assert res.condition_number == cond


def test_refusal_says_what_to_do_instead():
    means, sds, corr = _moments(r_ab=0.9, r_ya=0.5, r_yb=0.4)
    with pytest.raises(IllConditionedError) as err:
        ols_from_moments(20, means, sds, corr, "y", ["a", "b"], max_condition=2.0)
    assert str(err.value).endswith(
        "(limit 2e+00). Fit from the data with a QR-based method, or centre / orthogonalize the "
        "regressors (e.g. orthogonal polynomials)."
    )


def test_numbers_as_printed_decimals_give_the_same_fit():
    """Moments kept as printed (``Decimal`` objects in object-dtype pandas) are converted to floats."""
    from decimal import Decimal

    means, sds, corr = _moments()
    as_decimal = [means.map(lambda v: Decimal(repr(v))), sds.map(lambda v: Decimal(repr(v))),
                  corr.map(lambda v: Decimal(repr(v)))]
    assert as_decimal[0].dtype == object and as_decimal[2].dtypes.iloc[0] == object
    expected = ols_from_moments(20, means, sds, corr, "y", ["a", "b"])
    got = ols_from_moments(20, *as_decimal, "y", ["a", "b"])
    for attr in ("params", "bse", "pvalues", "std_params"):
        np.testing.assert_allclose(getattr(got, attr).to_numpy(float), getattr(expected, attr).to_numpy(float), rtol=1e-14)
    assert got.rsquared == pytest.approx(expected.rsquared, rel=1e-14)
