"""The replica has exactly the paper's moments, keeps the official population, and is reproducible."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from westgov import data, replica
from westgov.paths import DATA_DIR
from westgov.sumstats import published_moments


@pytest.fixture(scope="module")
def ds():
    return data.load()


def _by_paper_id(ds):
    frame = ds.replica.drop(columns="replica_row")
    return frame.rename(columns={v: k for k, v in ds.names.items()})


def test_correlations_equal_table3(ds):
    _, _, corr = published_moments(ds.table2, ds.table3)
    frame = _by_paper_id(ds)[list(corr.index)]
    np.testing.assert_allclose(frame.corr().to_numpy(), corr.to_numpy(), rtol=0, atol=1e-12)


def test_means_and_sds_equal_table2(ds):
    means, sds, _ = published_moments(ds.table2, ds.table3)
    frame = _by_paper_id(ds)
    for pid in means.index.drop("Var7"):
        assert frame[pid].mean() == pytest.approx(means[pid], rel=1e-12, abs=1e-12)
        assert frame[pid].std(ddof=1) == pytest.approx(sds[pid], rel=1e-12)


def test_population_is_the_official_series(ds):
    official = np.sort(ds.western().population_yearend_10k.to_numpy())
    np.testing.assert_array_equal(ds.replica.population.to_numpy(), official)
    # ... and it rounds to the printed Table 2 moments of Var7.
    t2 = ds.table2.set_index("variable").loc["Var7"]
    assert round(official.mean(), 2) == t2["mean"]
    assert round(official.std(ddof=1), 2) == t2["sd"]


def test_ranges_close_to_table2(ds):
    tg = replica.targets(ds)
    gaps = replica.range_distance(_by_paper_id(ds)[list(tg["means"].index)], tg)
    assert gaps[["min_gap_sd", "max_gap_sd"]].abs().to_numpy().max() < 0.05


def test_rows_make_no_claim_to_be_provinces(ds):
    assert list(ds.replica.columns[:1]) == ["replica_row"]
    assert not {"code", "name_en", "name_zh"} & set(ds.replica.columns)


def test_rebuild_gives_the_same_bytes(tmp_path):
    out = tmp_path / "replica.csv"
    run = subprocess.run([sys.executable, "-m", "westgov", "replica", "--out", str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert out.read_bytes() == (DATA_DIR / replica.RELATIVE_PATH).read_bytes()


def test_construction_holds_for_any_free_parameters(ds):
    """The moments do not depend on the free part: a random one gives the same correlations."""
    tg = replica.targets(ds)
    geo_shape = (len(tg["population"]) - 2, len(tg["means"]) - 1)
    frame = replica.construct(tg, np.random.default_rng(1).standard_normal(geo_shape))
    np.testing.assert_allclose(frame[list(tg["corr"].index)].corr().to_numpy(), tg["corr"].to_numpy(), atol=1e-12)
