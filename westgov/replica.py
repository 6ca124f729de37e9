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

The optimizer is L-BFGS with an analytic gradient (through the QR orthonormalization, by reverse-mode
differentiation) on a smoothed loss: each minimum and maximum is replaced by a soft version (a
log-sum-exp at a temperature in sd units) whose temperature is lowered in stages, 1e-2, 1e-3,
1e-4 sd, so the final loss equals the exact one to about 1e-13. A few seeded random starts are
screened at the first temperature and only the best one is refined. BLAS runs on one thread during
the construction: these are tiny matrices, for which threads cost more than they save.

The moments do not depend on the optimizer at all (they hold for any Q), so a rebuild on another
machine, whose floating-point results differ in the last bits, gives exactly the same moments and
min/max distances equal to the committed file's to about 1e-8 sd, though not the same bytes.

Rows are labelled R01..R12 in increasing population; apart from population, no value in a row is a
province's value and rows make no claim to be provinces.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import linalg, optimize
from threadpoolctl import threadpool_limits

from tableaudit import published_moments

from . import data as data_mod
from .paths import DATA_DIR

SEED = 20201231
RESTARTS = 8  # random starts screened at the first temperature; the best one is refined
TEMPERATURES = (1e-2, 1e-3, 1e-4)  # soft-min / soft-max temperatures, in sd units
SCREEN_ITERATIONS = 300
SHARE_PENALTY = 1e3
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
    return {
        "means": means,
        "sds": sds,
        "corr": corr,
        "min": t2["min"].astype(float),
        "max": t2["max"].astype(float),
        "population": population,
    }


def _complement_basis(vectors: np.ndarray, n: int) -> np.ndarray:
    """Orthonormal basis of the orthogonal complement of the columns of ``vectors`` in R^n."""
    q, _ = np.linalg.qr(vectors, mode="complete")
    return q[:, vectors.shape[1] :]


def _qr_positive(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reduced QR factorization with R's diagonal made non-negative (so it is unique)."""
    q, r = np.linalg.qr(a)
    signs = np.sign(np.where(np.diag(r) == 0, 1, np.diag(r)))
    return q * signs, r * signs[:, None]


def _orthonormal(a: np.ndarray) -> np.ndarray:
    return _qr_positive(a)[0]


class _Geometry:
    """Precomputed pieces of the construction, so that the optimizer's loss is cheap."""

    def __init__(self, tg: dict):
        self.ids = list(tg["means"].index)
        self.order = [FIXED_ID] + [i for i in self.ids if i != FIXED_ID]
        pop = tg["population"]
        self.n = n = len(pop)
        ones = np.ones((n, 1)) / np.sqrt(n)
        self.u = (pop - pop.mean()) / np.linalg.norm(pop - pop.mean())
        self.basis = _complement_basis(
            np.column_stack([ones, self.u]), n
        )  # n x (n - 2)
        self.chol_t = linalg.cholesky(
            tg["corr"].loc[self.order, self.order].to_numpy(float), lower=True
        ).T
        self.scale = tg["sds"][self.order].to_numpy(float) * np.sqrt(n - 1)
        self.shift = tg["means"][self.order].to_numpy(float)
        self.sds = tg["sds"][self.order].to_numpy(float)
        self.tmin = tg["min"][self.order].to_numpy(float)
        self.tmax = tg["max"][self.order].to_numpy(float)
        self.share_cols = [self.order.index(i) for i in ("Var2", "Var6")]
        self.shape = (n - 2, len(self.order) - 1)
        self.base = np.outer(
            self.u, self.chol_t[0, :]
        )  # the population direction's contribution

    def matrix(self, free: np.ndarray) -> np.ndarray:
        q = np.column_stack([self.u, self.basis @ _orthonormal(free)])
        return (q @ self.chol_t) * self.scale + self.shift

    def loss(self, flat: np.ndarray) -> float:
        """The exact loss: squared min/max distances to Table 2 in sd units, plus share bounds."""
        x = self.matrix(flat.reshape(self.shape))
        gap_min = (x.min(axis=0) - self.tmin) / self.sds
        gap_max = (x.max(axis=0) - self.tmax) / self.sds
        shares = x[:, self.share_cols]
        penalty = SHARE_PENALTY * (
            (np.clip(-shares, 0, None) ** 2).sum()
            + (np.clip(shares - 1, 0, None) ** 2).sum()
        )
        return float(gap_min @ gap_min + gap_max @ gap_max + penalty)

    def smooth_loss(
        self, flat: np.ndarray, temperature: float
    ) -> tuple[float, np.ndarray]:
        """The loss with soft minima and maxima at ``temperature`` (sd units), and its gradient.

        The soft minimum ``m - t log sum exp(-(x - m) / t)`` lies below the minimum by at most
        ``t log n``; its gradient is the softmax weight of each row. The gradient is carried back
        through Z = [u, B Q] L' and the QR factorization F = Q R (with R's diagonal positive) by
        ``F_bar = (Q_bar + Q copyltu(M)) R^-T``, ``M = -Q_bar' Q`` (Walter and Lehmann 2018).
        """
        free = flat.reshape(self.shape)
        q_free, r_free = _qr_positive(free)
        z = self.base + self.basis @ q_free @ self.chol_t[1:, :]
        x = z * self.scale + self.shift
        t = temperature * self.sds
        lo, hi = x.min(axis=0), x.max(axis=0)
        w_min = np.exp(-(x - lo) / t)
        sum_min = w_min.sum(axis=0)
        w_max = np.exp((x - hi) / t)
        sum_max = w_max.sum(axis=0)
        gap_min = (lo - t * np.log(sum_min) - self.tmin) / self.sds
        gap_max = (hi + t * np.log(sum_max) - self.tmax) / self.sds
        value = gap_min @ gap_min + gap_max @ gap_max
        grad_x = w_min / sum_min * (2 * gap_min / self.sds) + w_max / sum_max * (
            2 * gap_max / self.sds
        )
        shares = x[:, self.share_cols]
        below, above = np.clip(-shares, 0, None), np.clip(shares - 1, 0, None)
        value += SHARE_PENALTY * ((below**2).sum() + (above**2).sum())
        grad_x[:, self.share_cols] += SHARE_PENALTY * 2 * (above - below)
        q_bar = self.basis.T @ (grad_x * self.scale) @ self.chol_t[1:, :].T
        m = -q_bar.T @ q_free
        sym = np.tril(m) + np.tril(m, -1).T
        free_bar = linalg.solve_triangular(
            r_free, (q_bar + q_free @ sym).T, lower=False
        ).T
        return float(value), free_bar.ravel()

    def refine(self, flat: np.ndarray, temperatures, maxiter: int) -> np.ndarray:
        """L-BFGS on the smoothed loss, one temperature after the other."""
        for temperature in temperatures:
            res = optimize.minimize(
                self.smooth_loss,
                flat,
                args=(temperature,),
                jac=True,
                method="L-BFGS-B",
                options={"maxiter": maxiter, "gtol": 1e-12, "ftol": 1e-15},
            )
            flat = res.x
        return flat


def construct(tg: dict, free: np.ndarray) -> pd.DataFrame:
    """The replica for a given free parameter matrix ((n - 2) x 7); columns keyed by paper id."""
    geo = _Geometry(tg)
    frame = pd.DataFrame(geo.matrix(free), columns=geo.order)[geo.ids]
    frame[FIXED_ID] = tg[
        "population"
    ]  # exact official values, not a floating-point reconstruction
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


def build(
    ds: data_mod.Dataset | None = None,
    seed: int = SEED,
    restarts: int = RESTARTS,
    *,
    start_jitter: float = 0.0,
    blas_threads: int | None = 1,
) -> pd.DataFrame:
    """Build the replica (deterministic for a given seed on a given machine).

    Columns are the codebook's names. ``restarts`` seeded random starts are screened at the first
    temperature and the best one refined. ``start_jitter`` adds that much Gaussian noise to every
    start (to show that the result does not hang on the last bits); ``blas_threads`` is the BLAS
    thread count during the construction (``None``: leave it as it is).
    """
    ds = ds or data_mod.load(verify_checksums=False)
    tg = targets(ds)
    geo = _Geometry(tg)
    n = geo.n
    rng = np.random.default_rng(seed)
    starts = [rng.standard_normal(geo.shape).ravel() for _ in range(max(1, restarts))]
    if start_jitter:
        jitter = np.random.default_rng([seed, 1])
        starts = [s + start_jitter * jitter.standard_normal(s.shape) for s in starts]
    with threadpool_limits(limits=blas_threads):
        screened = [geo.refine(s, TEMPERATURES[:1], SCREEN_ITERATIONS) for s in starts]
        best = min(screened, key=geo.loss)
        best = geo.refine(best, TEMPERATURES, 3000)
    frame = construct(tg, best.reshape(geo.shape))
    frame = frame.rename(columns=ds.names)
    frame = frame.sort_values("population", kind="stable").reset_index(drop=True)
    frame.insert(0, "replica_row", [f"R{i:02d}" for i in range(1, n + 1)])
    return frame


def quality(frame: pd.DataFrame, ds: data_mod.Dataset) -> dict:
    """How close a replica's ranges come to Table 2: worst min/max distance and the loss (sd units)."""
    tg = targets(ds)
    by_id = frame.drop(columns="replica_row", errors="ignore").rename(
        columns={v: k for k, v in ds.names.items()}
    )
    gaps = range_distance(by_id[list(tg["means"].index)], tg)[
        ["min_gap_sd", "max_gap_sd"]
    ].to_numpy()
    return {"worst_gap_sd": float(np.abs(gaps).max()), "loss": float((gaps**2).sum())}


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
        raise FileNotFoundError(
            f"{DATA_DIR / RELATIVE_PATH} is missing: run `python -m westgov replica`"
        )
    return ds.replica
