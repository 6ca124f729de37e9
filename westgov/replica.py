"""A replica of the paper's unpublished data: 12 rows whose moments equal its Tables 2 and 3.

Any 12 x 8 data matrix with the printed means, standard deviations and correlations yields exactly
the regressions the authors' data imply (OLS sees the data only through these moments). Such a
matrix is far from unique. Write each column as

    x_j = mean_j + sd_j * sqrt(n - 1) * z_j,     Z = Q L',

where L L' = R is the Cholesky factor of the correlation matrix and Q is any 12 x 8 matrix with
orthonormal columns orthogonal to the vector of ones. Then Z'Z = R and every column of Z has mean
zero, so the moments are right whatever Q is. The freedom left in Q is used twice:

1. Population (Var7) is an official series (the 12 western year-end populations reproduce Table 2
   exactly), so it is put first in the Cholesky order and the first column of Q is the standardized
   official population itself. The replica's population column *is* the official series.
2. The other columns of Q are chosen by a seeded optimizer to bring each variable's minimum and
   maximum as close as possible to Table 2 (distances in standard-deviation units).

Rows are labelled R01..R12 in increasing population; apart from population, no value in a row is a
province's value and rows make no claim to be provinces.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import linalg, optimize

from . import data as data_mod
from .paths import DATA_DIR
from .sumstats import published_moments

SEED = 20201231
RESTARTS = 2
RELATIVE_PATH = "derived/replica_2020.csv"
FIXED_ID = "Var7"  # population: the official series


def targets(ds: data_mod.Dataset) -> dict:
    """Target moments keyed by paper id, and the official population series (sorted)."""
    means, sds, corr = published_moments(ds.table2, ds.table3)
    west = ds.western()
    population = np.sort(west.population_yearend_10k.to_numpy(float))
    t2 = ds.table2.set_index("variable")
    # The replica's population is the official series, so its mean and sd are the official ones
    # (3192.333..., 2253.00...), which round to the printed 3192.33 and 2253.00.
    means = means.copy()
    sds = sds.copy()
    means[FIXED_ID] = population.mean()
    sds[FIXED_ID] = population.std(ddof=1)
    return {"means": means, "sds": sds, "corr": corr, "min": t2["min"].astype(float), "max": t2["max"].astype(float), "population": population}


def _complement_basis(vectors: np.ndarray, n: int) -> np.ndarray:
    """Orthonormal basis of the orthogonal complement of the columns of ``vectors`` in R^n."""
    q, _ = np.linalg.qr(vectors, mode="complete")
    return q[:, vectors.shape[1] :]


def _orthonormal(a: np.ndarray) -> np.ndarray:
    q, r = np.linalg.qr(a)
    return q * np.sign(np.where(np.diag(r) == 0, 1, np.diag(r)))


class _Geometry:
    """Precomputed pieces of the construction, so that the optimizer's loss is cheap."""

    def __init__(self, tg: dict):
        self.ids = list(tg["means"].index)
        self.order = [FIXED_ID] + [i for i in self.ids if i != FIXED_ID]
        pop = tg["population"]
        self.n = n = len(pop)
        ones = np.ones((n, 1)) / np.sqrt(n)
        self.u = (pop - pop.mean()) / np.linalg.norm(pop - pop.mean())
        self.basis = _complement_basis(np.column_stack([ones, self.u]), n)  # n x (n - 2)
        self.chol_t = linalg.cholesky(tg["corr"].loc[self.order, self.order].to_numpy(float), lower=True).T
        self.scale = tg["sds"][self.order].to_numpy(float) * np.sqrt(n - 1)
        self.shift = tg["means"][self.order].to_numpy(float)
        self.sds = tg["sds"][self.order].to_numpy(float)
        self.tmin = tg["min"][self.order].to_numpy(float)
        self.tmax = tg["max"][self.order].to_numpy(float)
        self.share_cols = [self.order.index(i) for i in ("Var2", "Var6")]
        self.shape = (n - 2, len(self.order) - 1)

    def matrix(self, free: np.ndarray) -> np.ndarray:
        q = np.column_stack([self.u, self.basis @ _orthonormal(free)])
        return (q @ self.chol_t) * self.scale + self.shift

    def loss(self, flat: np.ndarray) -> float:
        x = self.matrix(flat.reshape(self.shape))
        gap_min = (x.min(axis=0) - self.tmin) / self.sds
        gap_max = (x.max(axis=0) - self.tmax) / self.sds
        shares = x[:, self.share_cols]
        penalty = 1e3 * (np.clip(-shares, 0, None).sum() + np.clip(shares - 1, 0, None).sum())
        return float(gap_min @ gap_min + gap_max @ gap_max + penalty)


def construct(tg: dict, free: np.ndarray) -> pd.DataFrame:
    """The replica for a given free parameter matrix ((n - 2) x 7); columns keyed by paper id."""
    geo = _Geometry(tg)
    frame = pd.DataFrame(geo.matrix(free), columns=geo.order)[geo.ids]
    frame[FIXED_ID] = tg["population"]  # exact official values, not a floating-point reconstruction
    return frame


def range_distance(frame: pd.DataFrame, tg: dict) -> pd.DataFrame:
    """Distance of each column's min and max from Table 2, in raw units and in sd units."""
    out = pd.DataFrame(
        {
            "replica_min": frame.min(),
            "table2_min": tg["min"],
            "replica_max": frame.max(),
            "table2_max": tg["max"],
        }
    )
    out["min_gap"] = out.replica_min - out.table2_min
    out["max_gap"] = out.replica_max - out.table2_max
    out["min_gap_sd"] = out.min_gap / tg["sds"]
    out["max_gap_sd"] = out.max_gap / tg["sds"]
    return out


def build(ds: data_mod.Dataset | None = None, seed: int = SEED, restarts: int = RESTARTS) -> pd.DataFrame:
    """Build the replica (deterministic for a given seed). Columns are the codebook's names."""
    ds = ds or data_mod.load(verify_checksums=False)
    tg = targets(ds)
    geo = _Geometry(tg)
    n = geo.n
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(restarts):
        start = rng.standard_normal(geo.shape).ravel()
        res = optimize.minimize(geo.loss, start, method="Powell", options={"maxiter": 40000, "xtol": 1e-8, "ftol": 1e-12})
        if best is None or res.fun < best.fun:
            best = res
    frame = construct(tg, best.x.reshape(geo.shape))
    frame = frame.rename(columns=ds.names)
    frame = frame.sort_values("population", kind="stable").reset_index(drop=True)
    frame.insert(0, "replica_row", [f"R{i:02d}" for i in range(1, n + 1)])
    return frame


def write(path: Path | None = None, ds: data_mod.Dataset | None = None) -> Path:
    """Build the replica and write it as CSV (shortest round-trip float representation)."""
    path = Path(path) if path else DATA_DIR / RELATIVE_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = build(ds)
    frame.to_csv(path, index=False, lineterminator="\n")
    return path


def load(ds: data_mod.Dataset | None = None) -> pd.DataFrame:
    """The committed replica, validated like every data file, columns named as in the codebook."""
    ds = ds or data_mod.load()
    if ds.replica is None:
        raise FileNotFoundError(f"{DATA_DIR / RELATIVE_PATH} is missing: run `python -m westgov replica`")
    return ds.replica
