"""Boundary cases of the replica builder (westgov.replica), written to kill mutants.

The replica is built from scratch here (not read from the committed file) and its moments are
recomputed with pandas; the helpers are checked on small hand-made inputs.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from tableaudit.sumstats import published_moments
from westgov import data, replica


@pytest.fixture(scope="module")
def ds():
    return data.load(verify_checksums=False)


@pytest.fixture(scope="module")
def built(ds):
    return replica.build(ds, restarts=2)


def test_targets_are_table2_except_the_official_population(ds):
    tg = replica.targets(ds)
    t2 = ds.table2.set_index("variable")
    official = np.sort(ds.western().population_yearend_10k.to_numpy(float))
    np.testing.assert_array_equal(tg["population"], official)
    assert tg["means"]["Var7"] == pytest.approx(official.mean(), rel=1e-15)
    assert tg["sds"]["Var7"] == pytest.approx(np.std(official, ddof=1), rel=1e-15)
    assert tg["sds"]["Var7"] != pytest.approx(np.std(official, ddof=0), rel=1e-6)
    for pid in t2.index.drop("Var7"):
        assert tg["means"][pid] == float(t2.loc[pid, "mean"])
        assert tg["sds"][pid] == float(t2.loc[pid, "sd"])
    np.testing.assert_array_equal(tg["min"].to_numpy(), t2["min"].astype(float).to_numpy())
    np.testing.assert_array_equal(tg["max"].to_numpy(), t2["max"].astype(float).to_numpy())
    # the targets are copies: the published moments are left as printed
    means, sds, _ = published_moments(ds.table2, ds.table3)
    assert means["Var7"] == float(t2.loc["Var7", "mean"])


def test_built_from_scratch_has_the_papers_moments(ds, built):
    means, sds, corr = published_moments(ds.table2, ds.table3)
    by_id = built.drop(columns="replica_row").rename(columns={v: k for k, v in ds.names.items()})
    assert list(built.columns) == ["replica_row", *[ds.names[i] for i in means.index]]
    assert list(built.replica_row) == [f"R{i:02d}" for i in range(1, 13)]
    assert list(built.index) == list(range(12))
    assert built.population.is_monotonic_increasing
    np.testing.assert_array_equal(built.population.to_numpy(float), np.sort(ds.western().population_yearend_10k.to_numpy(float)))
    np.testing.assert_allclose(by_id[list(corr.index)].corr().to_numpy(), corr.to_numpy(), atol=1e-12)
    for pid in means.index.drop("Var7"):
        assert by_id[pid].mean() == pytest.approx(means[pid], rel=1e-12, abs=1e-12)
        # sd * sqrt(n - 1) scaling: the sample SD is the printed one (not sd / sqrt(n - 1) etc.)
        assert by_id[pid].std(ddof=1) == pytest.approx(sds[pid], rel=1e-12)
    for share in ("Var2", "Var6"):
        assert ((by_id[share] >= -1e-6) & (by_id[share] <= 1 + 1e-6)).all()
    q = replica.quality(built, ds)
    assert q["worst_gap_sd"] < 0.05 and q["loss"] < 5e-3


def test_quality_and_range_distance_by_hand(ds, built):
    tg = replica.targets(ds)
    by_id = built.drop(columns="replica_row").rename(columns={v: k for k, v in ds.names.items()})
    dist = replica.range_distance(by_id[list(tg["means"].index)], tg)
    assert list(dist.columns) == ["replica_min", "table2_min", "replica_max", "table2_max", "min_gap", "max_gap", "min_gap_sd", "max_gap_sd"]
    for pid in tg["means"].index:
        lo, hi = by_id[pid].min(), by_id[pid].max()
        assert dist.loc[pid, "replica_min"] == lo and dist.loc[pid, "replica_max"] == hi
        assert dist.loc[pid, "min_gap"] == pytest.approx(lo - tg["min"][pid])
        assert dist.loc[pid, "max_gap"] == pytest.approx(hi - tg["max"][pid])
        assert dist.loc[pid, "min_gap_sd"] == pytest.approx((lo - tg["min"][pid]) / tg["sds"][pid])
        assert dist.loc[pid, "max_gap_sd"] == pytest.approx((hi - tg["max"][pid]) / tg["sds"][pid])
    gaps = dist[["min_gap_sd", "max_gap_sd"]].to_numpy()
    q = replica.quality(built, ds)
    assert q == {"worst_gap_sd": pytest.approx(np.abs(gaps).max()), "loss": pytest.approx((gaps**2).sum())}
    assert isinstance(q["worst_gap_sd"], float) and isinstance(q["loss"], float)
    # a replica whose largest population is off by one sd has a worst gap of exactly 1 sd
    shifted = built.copy()
    shifted.loc[11, "population"] += tg["sds"]["Var7"]
    assert replica.quality(shifted, ds)["worst_gap_sd"] == pytest.approx(
        max(1.0 + dist.loc["Var7", "max_gap_sd"], np.abs(gaps).max()), rel=1e-9)
    assert replica.quality(built.drop(columns="replica_row"), ds) == q  # the label column is optional


def test_exact_loss_is_zero_only_on_target_and_penalizes_shares(ds):
    tg = replica.targets(ds)
    geo = replica._Geometry(tg)
    flat = np.random.default_rng(2).standard_normal(geo.shape).ravel()
    x = geo.matrix(flat.reshape(geo.shape))
    gaps = np.concatenate([(x.min(axis=0) - geo.tmin) / geo.sds, (x.max(axis=0) - geo.tmax) / geo.sds])
    shares = x[:, geo.share_cols]
    penalty = 1e3 * ((np.clip(-shares, 0, None) ** 2).sum() + (np.clip(shares - 1, 0, None) ** 2).sum())
    assert geo.loss(flat) == pytest.approx(gaps @ gaps + penalty, rel=1e-12)
    assert geo.order[0] == "Var7" and sorted(geo.order) == sorted(tg["means"].index)
    assert [geo.order[i] for i in geo.share_cols] == ["Var2", "Var6"]
    assert geo.shape == (10, 7)
    np.testing.assert_allclose(x[:, 0], np.sort(tg["population"]), rtol=1e-12)  # population column


def test_qr_positive_and_complement_basis():
    a = np.array([[2.0, 1.0], [0.0, -3.0], [0.0, 0.0], [1.0, 1.0]])
    q, r = replica._qr_positive(-a)
    assert (np.diag(r) >= 0).all()
    # Householder QR: backward error ~ c n u ||a|| (4 x 1.1e-16 x 3.9 = 2e-15 before the constant c)
    # on any LAPACK kernel (measured 2e-16); 1e-12 leaves margin, a wrong factor is off by O(1).
    np.testing.assert_allclose(q @ r, -a, atol=1e-12)
    np.testing.assert_allclose(q.T @ q, np.eye(2), atol=1e-12)
    np.testing.assert_allclose(replica._orthonormal(-a), q)
    zero_col = np.array([[0.0, 1.0], [0.0, 0.0], [0.0, 0.0]])  # R has a zero on its diagonal
    q0, r0 = replica._qr_positive(zero_col)
    assert (np.diag(r0) >= 0).all() and np.allclose(q0 @ r0, zero_col)
    basis = replica._complement_basis(a, 4)
    assert basis.shape == (4, 2)
    np.testing.assert_allclose(basis.T @ a, 0, atol=1e-12)  # as above: c n u ||a||, measured 1e-16
    np.testing.assert_allclose(basis.T @ basis, np.eye(2), atol=1e-12)


def test_construct_keeps_the_exact_official_population(ds):
    tg = replica.targets(ds)
    frame = replica.construct(tg, np.random.default_rng(9).standard_normal((10, 7)))
    assert list(frame.columns) == list(tg["means"].index)
    np.testing.assert_array_equal(frame["Var7"].to_numpy(), tg["population"])


def test_refine_lowers_the_loss_and_restarts_are_at_least_one(ds):
    tg = replica.targets(ds)
    geo = replica._Geometry(tg)
    start = np.random.default_rng(0).standard_normal(geo.shape).ravel()
    refined = geo.refine(start, replica.TEMPERATURES[:1], 50)
    assert geo.loss(refined) < geo.loss(start)
    a = replica.build(ds, restarts=0)
    b = replica.build(ds, restarts=1)
    pd.testing.assert_frame_equal(a, b)  # zero restarts means one start, not none


def test_write_and_load(tmp_path, ds):
    out = replica.write(tmp_path / "sub" / "replica.csv", ds)
    assert out == tmp_path / "sub" / "replica.csv"
    text = out.read_text(encoding="utf-8")
    assert "\r" not in text and text.startswith("replica_row,") and text.count("\n") == 13
    frame = pd.read_csv(out)
    assert list(frame.replica_row) == [f"R{i:02d}" for i in range(1, 13)]
    assert replica.load(ds) is ds.replica
    with pytest.raises(FileNotFoundError, match="replica_2020.csv is missing: run `python -m westgov replica`"):
        replica.load(dataclasses.replace(ds, replica=None))


def test_constants():
    assert replica.FIXED_ID == "Var7"
    assert replica.RELATIVE_PATH == "derived/replica_2020.csv"
    assert replica.TEMPERATURES == (1e-2, 1e-3, 1e-4)


def test_write_defaults_to_the_data_folder_and_uses_the_given_dataset(tmp_path, monkeypatch, ds):
    """Without a path, write() goes to DATA_DIR/derived/ (created if missing, twice in a row)."""
    monkeypatch.setattr(replica, "DATA_DIR", tmp_path / "data")
    official = ds.official.copy()
    official["population_yearend_10k"] = official["population_yearend_10k"] * 2
    doubled = dataclasses.replace(ds, official=official)
    out = replica.write(ds=doubled)
    assert out == tmp_path / "data" / "derived" / "replica_2020.csv"
    frame = pd.read_csv(out)
    np.testing.assert_array_equal(
        frame.population.to_numpy(float), np.sort(2 * ds.western().population_yearend_10k.to_numpy(float))
    )
    assert replica.write(ds=doubled) == out  # the folder exists now: no error


def test_exact_loss_penalizes_shares_above_one(ds):
    """Point the share bound at the population column (values far above 1): the penalty must grow."""
    geo = replica._Geometry(replica.targets(ds))
    flat = np.random.default_rng(2).standard_normal(geo.shape).ravel()
    geo.share_cols = [0]  # population, in 10,000 persons: every value is above 1
    x = geo.matrix(flat.reshape(geo.shape))
    gaps = np.concatenate([(x.min(axis=0) - geo.tmin) / geo.sds, (x.max(axis=0) - geo.tmax) / geo.sds])
    penalty = 1e3 * ((x[:, 0] - 1) ** 2).sum()
    assert geo.loss(flat) == pytest.approx(gaps @ gaps + penalty, rel=1e-12)


def test_smooth_loss_penalizes_shares_above_one_like_the_exact_loss(ds):
    geo = replica._Geometry(replica.targets(ds))
    flat = np.random.default_rng(3).standard_normal(geo.shape).ravel()
    geo.share_cols = [0]  # population: far above 1, so the upper share bound dominates the loss
    assert geo.smooth_loss(flat, 1e-9)[0] == pytest.approx(geo.loss(flat), rel=1e-9)
