"""Properties that hold for all inputs, checked with Hypothesis on random examples.

1. OLS from summary statistics (:func:`tableaudit.sumstats.ols_from_moments` fed by
   :func:`tableaudit.sumstats.moments_of`) equals statsmodels' OLS on the data themselves, for random
   well-conditioned data sets (within tolerances: two different algorithms, never bit for bit).
2. Reading and validation never end in an uncaught exception, whatever bytes a data file or a
   published-table file holds: :func:`westgov.data.check` returns problems, and
   :func:`tableaudit.published.read_tables` returns tables or raises :class:`tableaudit.problems.DataError`.

``max_examples`` is kept small so that the whole file runs in well under 20 seconds on a busy machine;
``derandomize`` makes every run try the same examples (a failure is reproducible, CI is stable).
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tableaudit import published, sumstats
from tableaudit.problems import DataError, Problem
from westgov import data
from westgov.paths import DATA_DIR

SETTINGS = dict(
    deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


# --- 1. OLS from moments equals OLS on the data ---------------------------------------------------


@st.composite
def data_sets(draw):
    """A random regression data set: n rows, k regressors on different scales, y = X b + noise."""
    k = draw(st.integers(1, 5))
    n = draw(st.integers(k + 3, 60))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scales = 10.0 ** np.array(draw(st.lists(st.integers(-3, 4), min_size=k + 1, max_size=k + 1)))
    offsets = np.array(draw(st.lists(st.floats(-1e3, 1e3), min_size=k + 1, max_size=k + 1)))
    mixing = np.eye(k) + draw(st.floats(0, 0.9)) * rng.standard_normal((k, k)) / np.sqrt(k)
    x = rng.standard_normal((n, k)) @ mixing
    noise_share = draw(st.floats(0.05, 1.0))
    beta = rng.standard_normal(k) * draw(st.sampled_from([0.0, 0.1, 1.0, 5.0]))
    y = x @ beta + noise_share * rng.standard_normal(n)
    columns = ["y"] + [f"x{i}" for i in range(1, k + 1)]
    frame = pd.DataFrame(np.column_stack([y, x]) * scales + offsets, columns=columns)
    return frame


@settings(max_examples=30, **SETTINGS)
@given(frame=data_sets())
def test_ols_from_moments_equals_statsmodels(frame):
    xs = list(frame.columns[1:])
    corr_x = frame[xs].corr().to_numpy()
    assume(np.linalg.cond(corr_x) < 1e4)  # well-conditioned: the documented accuracy regime
    # Every column must vary relative to its size: x = 685 +- 0.001 leaves both algorithms
    # (moments here, QR on the raw columns in statsmodels) only a few correct digits to compare.
    spread = frame.std() / frame.abs().max()
    assume(float(spread.min()) > 1e-2)
    fit = sm.OLS(frame["y"], sm.add_constant(frame[xs])).fit()
    assume(1 - fit.rsquared > 1e-6)  # not an exact fit (covered by the NIST tests)
    n, means, sds, corr = sumstats.moments_of(frame)
    assert n == len(frame)
    assert means["y"] == pytest.approx(frame["y"].to_numpy().mean(), rel=1e-12, abs=1e-9)
    assert sds["y"] == pytest.approx(frame["y"].to_numpy().std(ddof=1), rel=1e-10)
    res = sumstats.ols_from_moments(n, means, sds, corr, "y", xs)
    assert list(res.params.index) == ["const", *xs]
    scale_y = float(frame["y"].std()) + abs(float(frame["y"].mean()))
    for name in xs:
        assert res.params[name] == pytest.approx(fit.params[name], rel=1e-6, abs=1e-9 * scale_y / frame[name].std())
        assert res.bse[name] == pytest.approx(fit.bse[name], rel=1e-6)
        assert res.tvalues[name] == pytest.approx(fit.tvalues[name], rel=1e-5, abs=1e-6)
        assert res.pvalues[name] == pytest.approx(fit.pvalues[name], rel=1e-4, abs=1e-10)
        std = fit.params[name] * frame[name].std() / frame["y"].std()
        assert res.std_params[name] == pytest.approx(std, rel=1e-6, abs=1e-9)
    assert res.params["const"] == pytest.approx(fit.params["const"], rel=1e-6, abs=1e-7 * scale_y)
    assert res.bse["const"] == pytest.approx(fit.bse["const"], rel=1e-5)
    assert res.rsquared == pytest.approx(fit.rsquared, rel=1e-7, abs=1e-9)
    assert res.rsquared_adj == pytest.approx(fit.rsquared_adj, rel=1e-6, abs=1e-8)
    assert res.fvalue == pytest.approx(fit.fvalue, rel=1e-5)
    assert res.f_pvalue == pytest.approx(fit.f_pvalue, rel=1e-4, abs=1e-12)
    assert (res.nobs, res.df_model, res.df_resid) == (n, int(fit.df_model), int(fit.df_resid))
    assert not res.exact_fit


# --- 2. Validation never raises on arbitrary bytes ------------------------------------------------

DATA_FILES = sorted(
    p.relative_to(DATA_DIR).as_posix()
    for pattern in ("*.csv", "raw/*.csv", "published/*.csv", "derived/*.csv")
    for p in DATA_DIR.glob(pattern)
)
TABLE_FILES = sorted(published.FILES.values())


@st.composite
def file_contents(draw, original: bytes):
    """Arbitrary bytes, CSV-looking junk, or the original file damaged at a random place."""
    kind = draw(st.sampled_from(["bytes", "csv", "damaged", "cell"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "csv":
        cell = st.text(alphabet=st.sampled_from(list('0123456789.-+eE,;"\n\r\t ()*<>NaninfVar_M\u2212\u00a0\ufeff中')), max_size=12)
        header = original.split(b"\n", 1)[0]
        body = draw(st.lists(cell, max_size=8))
        return header + b"\n" + ",".join(body).encode("utf-8", "surrogatepass")
    if kind == "damaged":
        cut = draw(st.integers(0, len(original)))
        insert = draw(st.binary(max_size=20))
        keep = draw(st.integers(0, len(original) - cut))
        return original[:cut] + insert + original[cut + keep :]
    # one cell of the original replaced by an unusual token
    lines = original.split(b"\n")
    row = draw(st.integers(0, max(0, len(lines) - 1)))
    cells = lines[row].split(b",")
    col = draw(st.integers(0, len(cells) - 1))
    token = draw(st.sampled_from([b"", b"nan", b"-inf", b"1e400", b"-0", b"(1.2)", b"0.5***", b"\xe2\x88\x921",
                                  b"1,000", b'"x', b"\x00", b"\xff\xfe", b"9" * 40, b"  ", b"Var9", b"M9"]))
    cells[col] = token
    lines[row] = b",".join(cells)
    return b"\n".join(lines)


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("prop") / "data"
    shutil.copytree(DATA_DIR, root)
    return root


def _file_and_bytes(files, base):
    return st.sampled_from(files).flatmap(
        lambda rel: st.tuples(st.just(rel), file_contents((base / rel).read_bytes()))
    )


@settings(max_examples=10, **SETTINGS)
@given(change=_file_and_bytes(DATA_FILES, DATA_DIR))
def test_data_check_returns_problems_on_arbitrary_bytes(data_copy, change):
    rel, content = change
    original = (data_copy / rel).read_bytes()
    (data_copy / rel).write_bytes(content)
    try:
        problems, frames = data.check(data_copy, verify_checksums=content == original)
    finally:
        (data_copy / rel).write_bytes(original)
    assert isinstance(problems, list) and all(isinstance(p, Problem) for p in problems)
    assert isinstance(frames, dict)
    if content != original:
        pass  # the change may be harmless (e.g. an equal number); what matters is no exception
    for p in problems:
        assert str(p)  # every problem can be printed (file, row, column, reason)


@pytest.fixture(scope="module")
def tables_copy(tmp_path_factory):
    root = tmp_path_factory.mktemp("prop_tables")
    for name in TABLE_FILES:
        shutil.copy(DATA_DIR / "published" / name, root / name)
    return root


@settings(max_examples=25, **SETTINGS)
@given(change=_file_and_bytes(TABLE_FILES, DATA_DIR / "published"))
def test_read_tables_raises_only_data_error_on_arbitrary_bytes(tables_copy, change):
    name, content = change
    original = (tables_copy / name).read_bytes()
    (tables_copy / name).write_bytes(content)
    try:
        published.read_tables(tables_copy)
    except DataError as err:
        assert err.problems and all(isinstance(p, Problem) for p in err.problems)
        assert all(str(p) for p in err.problems)
    finally:
        (tables_copy / name).write_bytes(original)


def test_the_unchanged_copies_are_valid(data_copy, tables_copy):
    """The properties above start from valid files (else every example would be a problem)."""
    assert data.check(data_copy)[0] == []
    published.read_tables(tables_copy)
