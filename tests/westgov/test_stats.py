"""Correlation p-values, stars and VIF against independent computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from westgov.stats import correlation_pvalue, stars, vif_table


def test_correlation_pvalue_matches_scipy_pearsonr():
    rng = np.random.default_rng(3)
    x = rng.standard_normal(12)
    y = 0.6 * x + rng.standard_normal(12)
    r, p = sps.pearsonr(x, y)
    assert correlation_pvalue(r, 12) == pytest.approx(p, rel=1e-10)


@pytest.mark.parametrize("p, expected", [(0.001, "***"), (0.0099, "***"), (0.01, "**"), (0.049, "**"), (0.05, "*"), (0.0999, "*"), (0.1, ""), (0.5, ""), (float("nan"), "")])
def test_stars_thresholds(p, expected):
    assert stars(p) == expected


def test_vif_equals_one_over_one_minus_r2():
    rng = np.random.default_rng(5)
    a = rng.standard_normal(50)
    frame = pd.DataFrame({"a": a, "b": a + 0.5 * rng.standard_normal(50), "c": rng.standard_normal(50)})
    import statsmodels.api as sm

    r2 = sm.OLS(frame["b"], sm.add_constant(frame[["a", "c"]])).fit().rsquared
    assert vif_table(frame, ["a", "b", "c"])["b"] == pytest.approx(1 / (1 - r2), rel=1e-10)
