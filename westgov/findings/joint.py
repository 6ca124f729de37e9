"""Where in the rounding range do a model's printed numbers hold? (existence against "every point")

A range check asks, number by number, whether the printed value meets the range that Tables 2
and 3 allow: that is an *existence* statement ("at some point of the rounding box this number
is reproduced"), and twelve numbers that each hold somewhere need not hold at the same point.
``where_it_holds`` answers three questions for a set of printed numbers of one model in given
units (coefficients, standard errors, intercept, R² and F):

* ``everywhere``: every implied value over the whole box rounds to the printed one (each
  implied range lies inside the printed number's rounding interval);
* ``at_printed``: at the printed moments (the centre of the box) every number is reproduced;
* ``jointly``: one point of the box reproduces all of them at once (found by a search; the
  point is returned, and the check at that point is exact arithmetic, not the search's word).

The certainty that follows (``level``): HOLDS if ``everywhere``, AT_PRINTED if ``at_printed``,
SOMEWHERE if ``jointly``, else CONTRADICTED would be too strong (a search can miss a point), so
UNDECIDABLE.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tableaudit.moments import _ols_batch
from tableaudit.optimize import _box

from .scale import AT_PRINTED, HOLDS, SOMEWHERE, UNDECIDABLE


@dataclass(frozen=True)
class Where:
    """Where a set of printed numbers holds over the rounding box."""

    everywhere: bool
    at_printed: bool
    jointly: bool
    worst_at_printed: float  # largest miss at the printed moments, in half-units of the last digit
    worst_at_point: float  # the same at the best point the search found (<= 1: all reproduced)
    point: np.ndarray  # that point, normalized box coordinates (-1..1 per printed input)
    labels: tuple  # the (term, quantity) pairs checked

    @property
    def level(self) -> str:
        if self.everywhere:
            return HOLDS
        if self.at_printed:
            return AT_PRINTED
        if self.jointly:
            return SOMEWHERE
        return UNDECIDABLE


def _evaluate(tables, model, box, choice, u):
    """Every checked number of ``model`` in the units ``choice`` for a batch of box points."""
    v = tables.variables
    dep = tables.dependent
    y = v.index(dep)
    regs = tables.regressors(model)
    xs = [v.index(t) for t in regs]
    means, sds, corr = box.moments(u)
    with np.errstate(all="ignore"):
        res = _ols_batch(tables, model, means, sds, corr)
        ky, py = choice[dep]
        c_y = means[:, y] if ky == "z" else 0.0
        d_y = sds[:, y] if ky == "z" else np.full(len(means), 10.0 ** (-py))
        out = {("", "r2"): res["r2"], ("", "f"): res["f"]}
        mdot = means[:, xs].copy()
        for j, (t, x) in enumerate(zip(regs, xs)):
            kx, px = choice[t]
            d_x = sds[:, x] if kx == "z" else np.full(len(means), 10.0 ** (-px))
            if kx == "z":
                mdot[:, j] = 0.0
            out[(t, "coef")] = res["slopes"][:, j] * d_x / d_y
            out[(t, "se")] = res["se"][:, j] * d_x / d_y
        out[("_Cons", "coef")] = (means[:, y] - c_y) / d_y - np.einsum(
            "bi,bi->b", res["slopes"], mdot
        ) / d_y
        out[("_Cons", "se")] = (
            np.sqrt(res["s2"] / tables.n + np.einsum("bi,bij,bj->b", mdot, res["cov_b"], mdot))
            / d_y
        )
        pd_ok = np.linalg.eigvalsh(corr)[:, 0] > 0
    return out, pd_ok


def _printed(tables, model, label):
    term, quantity = label
    if term == "":
        return tables.fit[model][quantity]
    coef, se, _ = tables.coefs[model][term]
    return coef if quantity == "coef" else se


def _miss(values, printed):
    """Distance of each number from its printed value, in half-units of the last digit (<= 1:
    inside the rounding interval); one column per printed number."""
    rows = []
    for label, p in printed.items():
        half = max((p.high - p.low) / 2, 1e-300)
        centre = (p.high + p.low) / 2
        rows.append(np.abs(values[label] - centre) / half)
    return np.stack(rows, axis=1)


def where_it_holds(
    tables, ranges, model: str, choice: dict, labels, *, seed: int = 24, n_random: int = 4000
) -> Where:
    """Where the printed numbers ``labels`` of ``model`` hold over the rounding box, in the units
    ``choice`` (variable -> (kind, power), kind "z" or "pow"); ``ranges`` gives each number's
    implied range over the box (for ``everywhere``), as (low, high) keyed like ``labels``."""
    from scipy.optimize import minimize

    box = _box(tables)
    labels = tuple(labels)
    printed = {lab: _printed(tables, model, lab) for lab in labels}
    everywhere = all(
        printed[lab].low <= ranges[lab][0] and ranges[lab][1] <= printed[lab].high
        for lab in labels
    )

    # only the inputs of this model move
    v = tables.variables
    idx = [v.index(tables.dependent)] + [v.index(t) for t in tables.regressors(model)]
    m, p = len(box.pairs), box.p
    free = np.array(
        [k for k, (i, j) in enumerate(box.pairs) if i in idx and j in idx]
        + [m + i for i in idx]
        + [m + p + i for i in idx]
    )
    lower, upper = box.lower[free], box.upper[free]

    def full(z):
        u = np.zeros((len(z), len(box.nominal)))
        u[:, free] = z
        return u

    def misses(z):
        values, pd_ok = _evaluate(tables, model, box, choice, full(np.atleast_2d(z)))
        miss = _miss(values, printed)
        return np.where((pd_ok & np.isfinite(miss).all(axis=1))[:, None], miss, np.inf)

    def score(z):
        return misses(z).max(axis=1)

    at_centre = float(score(np.zeros(len(free)))[0])
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(n_random, len(free)))
    starts = np.vstack(
        [
            np.zeros(len(free)),
            lower + rng.random((n_random, len(free))) * (upper - lower),
            np.where(corners == 1, upper, lower),
        ]
    )
    scores = score(starts)
    order = np.argsort(scores)[:12]
    best_z, best = starts[order[0]], float(scores[order[0]])

    def smooth(z):
        # squared excess over the interval: zero on the feasible set, smooth outside it
        s = misses(z)[0]
        return float(np.sum(np.maximum(s - 1.0, 0.0) ** 2)) if np.isfinite(s).all() else 1e12

    for k in order:
        if best <= 1.0:
            break
        res = minimize(
            smooth,
            starts[k],
            method="L-BFGS-B",
            bounds=list(zip(lower, upper)),
        )
        z = np.clip(res.x, lower, upper)
        s = float(score(z)[0])
        if s < best:
            best, best_z = s, z
    point = full(best_z[None])[0]
    return Where(
        everywhere=everywhere,
        at_printed=at_centre <= 1.0,
        jointly=best <= 1.0,
        worst_at_printed=at_centre,
        worst_at_point=best,
        point=point,
        labels=labels,
    )


def r2_given_std_coef(
    tables, model: str, term: str, lo: float, hi: float, *, seed: int = 24
) -> tuple[float, float]:
    """The smallest and largest R² of ``model`` over the correlations within the rounding of
    Table 3 at which the standardized coefficient of ``term`` lies in [lo, hi] (both depend on
    the correlations alone). Seeds from random points and the box's corners, each polished by
    SLSQP under the constraint; ``(nan, nan)`` if no seed meets the constraint."""
    from scipy.optimize import minimize

    box = _box(tables)
    v = tables.variables
    idx = [v.index(tables.dependent)] + [v.index(t) for t in tables.regressors(model)]
    free = np.array([k for k, (i, j) in enumerate(box.pairs) if i in idx and j in idx])
    lower, upper = box.lower[free], box.upper[free]
    col = tables.regressors(model).index(term)

    def values(z):
        u = np.zeros((len(np.atleast_2d(z)), len(box.nominal)))
        u[:, free] = np.atleast_2d(z)
        means, sds, corr = box.moments(u)
        with np.errstate(all="ignore"):
            res = _ols_batch(tables, model, means, sds, corr)
        return res["std"][:, col], res["r2"]

    rng = np.random.default_rng(seed)
    n = len(free)
    grid = lower + rng.random((20000, n)) * (upper - lower)
    corners = np.array(np.meshgrid(*[[a, b] for a, b in zip(lower, upper)])).reshape(n, -1).T
    seeds = np.vstack([np.zeros(n), grid, corners] if n <= 12 else [np.zeros(n), grid])
    beta, r2 = values(seeds)
    # seeds nearest the constraint first (distance outside [lo, hi])
    gap = np.maximum(lo - beta, 0) + np.maximum(beta - hi, 0)
    order = np.argsort(gap)[:8]
    cons = [
        {"type": "ineq", "fun": lambda z: values(z)[0][0] - lo},
        {"type": "ineq", "fun": lambda z: hi - values(z)[0][0]},
    ]
    ends = []
    for sign in (+1, -1):
        best = np.inf
        inside = gap <= 0
        if inside.any():
            best = float(np.min(sign * r2[inside]))
        for k in order:
            res = minimize(
                lambda z, sign=sign: sign * values(z)[1][0],
                seeds[k],
                method="SLSQP",
                bounds=list(zip(lower, upper)),
                constraints=cons,
                options={"ftol": 1e-14, "maxiter": 300},
            )
            z = np.clip(res.x, lower, upper)
            b, r = values(z)
            if lo <= b[0] <= hi and sign * r[0] < best:
                best = float(sign * r[0])
        ends.append(sign * best)
    low, high = ends
    if not np.isfinite(low):
        return float("nan"), float("nan")
    return float(low), float(high)
