"""The row-level data sets (``draw_datasets``: the printed moments, the rest at random), how far
their extremes miss Table 2's (``extremes_miss``), the largest leverage Table 2 allows a row
(``leverage_bound``), and the budget ratio against every ordering of the ranking consistent
with the paper (``budget_orderings``)."""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import optimize

from westgov import data as data_mod
from westgov import replica, variables
from westgov.paths import DATA_DIR

from .inputs import _inputs

N_DRAWS = 300
DRAW_SEED = 2020


# -- row-level data sets and the leverage bound -------------------------------------------------


def draw_datasets(
    ds=None, n: int = N_DRAWS, seed: int = DRAW_SEED
) -> list[pd.DataFrame]:
    """``n`` data sets with the printed means, sds and correlations (official population),
    the rest drawn at random (``replica.construct``), rows sorted by population and labelled
    R01-R12. Columns keyed by variable name (``ds.names``)."""
    ds = ds if ds is not None else _inputs()[0]
    tg = replica.targets(ds)
    rng = np.random.default_rng(seed)
    shape = (len(tg["population"]) - 2, len(tg["means"]) - 1)
    labels = [f"R{i:02d}" for i in range(1, len(tg["population"]) + 1)]
    out = []
    for _ in range(n):
        alt = replica.construct(tg, rng.standard_normal(shape))
        alt = (
            alt.rename(columns=ds.names)
            .sort_values(ds.names["Var7"], kind="stable")
            .reset_index(drop=True)
        )
        alt.index = labels
        out.append(alt)
    return out


def _half_units(ds) -> dict:
    t2 = ds.table2.set_index("variable")
    return {
        stat: 0.5
        * 10.0
        ** -data_mod.printed_decimals(
            ds.root, "published/table2_descriptives.csv", stat
        ).set_axis(t2.index)
        for stat in ("min", "max")
    }


def extremes_miss(frame: pd.DataFrame, ds, half: dict | None = None) -> pd.Series:
    """Per variable of Table 2: the larger miss of the data set's minimum and maximum from the
    printed ones, in printed standard deviations (0 when both round to the printed value)."""
    t2 = ds.table2.set_index("variable")
    half = half if half is not None else _half_units(ds)
    miss = {}
    for pid in t2.index:
        col = frame[ds.names[pid]]
        sd = float(t2.loc[pid, "sd"])
        gaps = []
        for stat, value in (("min", col.min()), ("max", col.max())):
            printed = float(t2.loc[pid, stat])
            gaps.append(max(abs(value - printed) - half[stat][pid], 0.0) / sd)
        miss[pid] = max(gaps)
    return pd.Series(miss)


def _leverage_corner_max(mean, sd, r, lo, hi, n):
    """Largest hat value of one row of a two-regressor model whose regressors have these
    moments and lie in [lo, hi]: the Mahalanobis form is convex, so its maximum over the box is
    at a corner; h = 1/n + d' S^-1 d / (n - 1)."""
    cov = np.array([[sd[0] ** 2, r * sd[0] * sd[1]], [r * sd[0] * sd[1], sd[1] ** 2]])
    inv = np.linalg.inv(cov)
    best = -np.inf
    for corner in itertools.product((lo[0], hi[0]), (lo[1], hi[1])):
        d = np.asarray(corner) - mean
        best = max(best, 1 / n + d @ inv @ d / (n - 1))
    return best


def leverage_bound(tables, model: str = "M1") -> tuple[float, float]:
    """The largest leverage a row can have in a two-regressor model, given Table 2's extremes:
    at the printed values, and over the rounding of the means, sds, correlation and extremes
    (maximized from every corner of the rounding box, then polished)."""
    regs = list(tables.regressors(model))
    assert len(regs) == 2, "the bound is written for two regressors"
    t2 = tables.table2
    n = int(tables.n)
    cells = [t2[v][s] for s in ("mean", "sd", "min", "max") for v in regs]
    key = (regs[1], regs[0]) if (regs[1], regs[0]) in tables.table3 else tuple(regs)
    cells.append(tables.table3[key][0])
    nominal = np.array([c.value for c in cells])
    lows = np.array([c.low for c in cells])
    highs = np.array([c.high for c in cells])

    def value(p):
        return _leverage_corner_max(p[0:2], p[2:4], p[8], p[4:6], p[6:8], n)

    at_printed = value(nominal)
    best, best_p = -np.inf, nominal
    for bits in itertools.product((0, 1), repeat=len(cells)):
        p = np.where(np.array(bits) == 1, highs, lows)
        v = value(p)
        if v > best:
            best, best_p = v, p
    polished = optimize.minimize(
        lambda p: -value(p), best_p, method="L-BFGS-B", bounds=list(zip(lows, highs))
    )
    return float(at_printed), float(max(best, -polished.fun))


# -- the budget ratio against the digital-government ranking -----------------------------------


LAST_FIVE = (
    "Gansu",
    "Tibet",
    "Yunnan",
    "Xinjiang",
    "Qinghai",
)  # the paper's section 2.4


def budget_orderings(ds) -> dict:
    """Spearman correlation between the official budget ratio and the digital-government level
    over every ordering of the twelve western regions consistent with what the paper and the
    published top ten say: the western regions in the top ten in their published order, the
    paper's last five below every other region, the rest in any order."""
    official = variables.official_variables(ds).set_index("name_en")
    ratio = official.budget_expenditure_share
    ranked = (
        ds.ranks.merge(ds.provinces, on="code").sort_values("rank").name_en.tolist()
    )
    top = [name for name in ranked if name in ratio.index]
    bottom = [name for name in LAST_FIVE]
    middle = [name for name in ratio.index if name not in top and name not in bottom]
    # Spearman's rho without ties: 1 - 6 sum d^2 / (n (n^2 - 1)), d the rank differences.
    rank_of = ratio.rank().to_dict()
    n = len(ratio)
    level_rank = np.arange(n, 0, -1)  # best first: the best has the highest level
    rhos = []
    for mid in itertools.permutations(middle):
        for low in itertools.permutations(bottom):
            order = list(top) + list(mid) + list(low)
            d = np.array([rank_of[name] for name in order]) - level_rank
            rhos.append(1 - 6 * float(d @ d) / (n * (n * n - 1)))
    top3 = ratio.nlargest(3).index.tolist()
    return {
        "rho_min": float(min(rhos)),
        "rho_max": float(max(rhos)),
        "n_orderings": len(rhos),
        "top3": top3,
        "last_five_in_top3": [name for name in top3 if name in LAST_FIVE],
        "top": top,
    }


@lru_cache(maxsize=2)
def _draws(data_dir: str = str(DATA_DIR)):
    return draw_datasets(_inputs(data_dir)[0])
