"""Audit of published regression tables: do the printed numbers hang together?

The audit reads a directory of tables in the format of ``data/published/`` (documented below) and
checks every numeric claim against the others, in the spirit of statcheck (recompute p from the
reported statistic) and GRIM (is a number possible given how it was rounded). Every check returns a
:class:`Check` with the claim, the printed value, the recomputed value or range, a verdict
(``consistent``, ``inconsistent`` or ``undecidable``) and a one-line explanation.

Rounding is taken seriously: a number printed with d decimals stands for anything within half a
unit of its last digit. Where a recomputation depends on many printed inputs (a coefficient depends
on the means, standard deviations and all the correlations), its range is the smallest and largest
value over every moment set within the rounding of Tables 2-3 whose correlation matrix is positive
definite, found by deterministic optimization (:func:`implied_ranges`, the one definition of every
implied quantity used by all chapters). An empty feasible set is reported, not raised.

Beyond verdicts, the audit explains: :func:`scale_free` compares the printed t = coef / se and its
sign, which no change of units can alter, with the t implied by Tables 2-3; :func:`unit_assignments`
searches per-variable units (raw, z-scored, x 10^k) that reproduce each model's printed numbers.

Directory format (CSV, UTF-8, header row; numbers as printed):

``table2_descriptives.csv``  ``variable, mean, sd, min, max``
``table3_correlations.csv``  ``row, col, r, stars`` -- lower triangle (diagonal optional)
``table4_coefficients.csv``  ``model, term, coef, se, stars[, note]`` -- ``_Cons`` is the intercept
``table4_fit.csv``           ``model, n, f, r2, p_value[, note]``
``text_claims.csv``          optional: ``claim_id, section, claim, value`` with claim ids
                             ``vif_max``, ``vif_mean``, ``var2_not_significant``, ``all_models_significant``

The dependent variable is the one variable of Table 2 that is no model's regressor. Stars mean
10 / 5 / 1 % (``*``, ``**``, ``***``), two-sided.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .published import (  # one reader, shared with check-data
    Printed,
    Tables,
    read_tables,
)
from .stats import STAR_LEVELS, correlation_pvalue, stars

CONSISTENT, INCONSISTENT, UNDECIDABLE = "consistent", "inconsistent", "undecidable"


@dataclass
class Check:
    """One audited claim."""

    category: str
    claim: str
    printed: str
    recomputed: str
    verdict: str
    explanation: str


# ---------------------------------------------------------------------------------------------
# OLS from moments
# ---------------------------------------------------------------------------------------------


def _nominal_moments(tb: Tables):
    v = tb.variables
    means = np.array([tb.table2[x]["mean"].value for x in v])
    sds = np.array([tb.table2[x]["sd"].value for x in v])
    corr = np.eye(len(v))
    for (a, b), (r, _) in tb.table3.items():
        i, j = v.index(a), v.index(b)
        corr[i, j] = corr[j, i] = r.value
    return means, sds, corr


def _ols_batch(tb: Tables, model: str, means, sds, corr):
    """Vectorized OLS from moments for a batch of draws. Returns dict of arrays."""
    v = tb.variables
    y = v.index(tb.dependent)
    xs = [v.index(t) for t in tb.regressors(model)]
    n, k = tb.n, len(xs)
    df = n - k - 1
    rxx = corr[:, xs][:, :, xs]
    rxy = corr[:, xs, y]
    beta = np.linalg.solve(rxx, rxy[..., None])[..., 0]
    r2 = np.einsum("ij,ij->i", beta, rxy)
    sd_x, sd_y = sds[:, xs], sds[:, y]
    slopes = beta * sd_y[:, None] / sd_x
    intercept = means[:, y] - np.einsum("ij,ij->i", slopes, means[:, xs])
    s2 = (n - 1) * sd_y**2 * (1 - r2) / df
    inv = np.linalg.inv(rxx * sd_x[:, :, None] * sd_x[:, None, :] * (n - 1))
    cov_b = s2[:, None, None] * inv
    se = np.sqrt(np.diagonal(cov_b, axis1=1, axis2=2))
    mx = means[:, xs]
    se_c = np.sqrt(s2 / n + np.einsum("bi,bij,bj->b", mx, cov_b, mx))
    fval = (r2 / k) / ((1 - r2) / df)
    vif = np.diagonal(np.linalg.inv(rxx), axis1=1, axis2=2)
    return {
        "r2": r2,
        "f": fval,
        "slopes": slopes,
        "std": beta,
        "se": se,
        "intercept": intercept,
        "se_c": se_c,
        "vif": vif,
        "s2": s2,
        "cov_b": cov_b,
    }


def _overlaps(p: Printed, lo: float, hi: float) -> bool:
    return p.low <= hi and lo <= p.high


def _fmt_range(lo: float, hi: float, digits: int = 4) -> str:
    return f"[{lo:.{digits}f}, {hi:.{digits}f}]"


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------


def _check_fit(tb: Tables) -> list[Check]:
    out = []
    for model, fit in tb.fit.items():
        k = len(tb.regressors(model))
        n, df = fit["n"], fit["n"] - k - 1
        r2, f = fit["r2"], fit["f"]
        if df <= 0 or k == 0:
            out.append(
                Check(
                    "fit",
                    f"{model}: F from R², n = {n}, k = {k}",
                    f.text,
                    "—",
                    UNDECIDABLE,
                    f"no residual degrees of freedom (n - k - 1 = {df})"
                    if df <= 0
                    else "no regressors",
                )
            )
            continue

        def f_of(r, k=k, df=df):
            return (r / k) / ((1 - r) / df)

        lo, hi = f_of(max(r2.low, 0)), f_of(min(r2.high, 1 - 1e-12))
        ok = _overlaps(f, lo, hi)
        out.append(
            Check(
                "fit",
                f"{model}: F from R², n = {n}, k = {k}",
                f.text,
                _fmt_range(lo, hi, 2),
                CONSISTENT if ok else INCONSISTENT,
                f"F = (R²/k) / ((1-R²)/(n-k-1)) with the printed R² {r2.text} ± rounding"
                + ("" if ok else "; the printed F is outside"),
            )
        )
        if fit["p_value"] is not None:
            p = fit["p_value"]
            plo, phi = stats.f.sf(f.high, k, df), stats.f.sf(max(f.low, 0), k, df)
            ok = _overlaps(p, plo, phi)
            out.append(
                Check(
                    "fit",
                    f"{model}: p-value of F({k}, {df})",
                    p.text,
                    _fmt_range(plo, phi),
                    CONSISTENT if ok else INCONSISTENT,
                    f"upper tail of the F({k}, {df}) distribution at the printed F {f.text} ± rounding",
                )
            )
    return out


def _range_of(
    ranges: pd.DataFrame, model: str, term: str, quantity: str
) -> tuple[float, float, float]:
    row = ranges[
        (ranges.model == model) & (ranges.term == term) & (ranges.quantity == quantity)
    ]
    if row.empty:
        return np.nan, np.nan, np.nan
    r = row.iloc[0]
    return float(r.low), float(r.high), float(r.nominal)


NO_PD = "no positive-definite correlation matrix lies within the rounding of Table 3"
SINGULAR = "a singular correlation matrix lies within the rounding of Table 3: the rounding leaves this free"


def _range_check(category, claim, printed, lo, hi, nominal, extra=""):
    """A check of one printed number against an implied rounding range [lo, hi]."""
    if printed is None:
        return Check(
            category,
            claim,
            "(not printed)",
            _fmt_range(lo, hi),
            UNDECIDABLE,
            "the table leaves this number blank",
        )
    if np.isnan(lo) or np.isnan(hi):
        return Check(category, claim, printed.text, "—", UNDECIDABLE, NO_PD)
    if np.isinf(lo) and np.isinf(hi):
        return Check(
            category, claim, printed.text, _fmt_range(lo, hi), UNDECIDABLE, SINGULAR
        )
    ok = _overlaps(printed, lo, hi)
    why = f"at the printed moments {nominal:.4f}" + extra
    return Check(
        category,
        claim,
        printed.text,
        _fmt_range(lo, hi),
        CONSISTENT if ok else INCONSISTENT,
        why,
    )


def _check_against_moments(tb: Tables, ranges: pd.DataFrame) -> list[Check]:
    out = []
    for model in tb.coefs:
        fit = tb.fit.get(model)
        if fit is not None:
            lo, hi, nom = _range_of(ranges, model, "", "r2")
            out.append(
                _range_check(
                    "tables 2-3",
                    f"{model}: R² implied by Tables 2-3",
                    fit["r2"],
                    lo,
                    hi,
                    nom,
                )
            )
        for term in tb.regressors(model):
            coef, se, _ = tb.coefs[model][term]
            lo, hi, nom = _range_of(ranges, model, term, "coef")
            slo, shi, _ = _range_of(ranges, model, term, "std_coef")
            extra = ""
            if np.isfinite(lo) and not _overlaps(coef, lo, hi):
                if _overlaps(coef, slo, shi):
                    extra = f"; matches the standardized coefficient {_fmt_range(slo, shi, 3)} instead"
                else:
                    extra = f"; neither the raw nor the standardized coefficient {_fmt_range(slo, shi, 3)}"
                    if lo > 0 > coef.high or hi < 0 < coef.low:
                        extra += "; opposite sign"
            out.append(
                _range_check(
                    "tables 2-3",
                    f"{model}: coefficient of {term}",
                    coef,
                    lo,
                    hi,
                    nom,
                    extra,
                )
            )
            lo, hi, nom = _range_of(ranges, model, term, "se")
            out.append(
                _range_check(
                    "tables 2-3", f"{model}: standard error of {term}", se, lo, hi, nom
                )
            )
        if "_Cons" in tb.coefs[model]:
            coef, se, _ = tb.coefs[model]["_Cons"]
            lo, hi, nom = _range_of(ranges, model, "_Cons", "coef")
            out.append(
                _range_check("tables 2-3", f"{model}: intercept", coef, lo, hi, nom)
            )
            lo, hi, nom = _range_of(ranges, model, "_Cons", "se")
            out.append(
                _range_check(
                    "tables 2-3",
                    f"{model}: standard error of the intercept",
                    se,
                    lo,
                    hi,
                    nom,
                )
            )
    return out


# ---------------------------------------------------------------------------------------------
# Rounding ranges by optimization: smallest and largest value over the rounding box
# ---------------------------------------------------------------------------------------------

#: A matrix counts as positive definite when its smallest eigenvalue is at least this.
PD_FLOOR = 1e-9
#: Tolerance on the smallest eigenvalue when asking whether a PD matrix exists in the box.
PD_TOLERANCE = 1e-10


@dataclass
class _Box:
    """The rounding box of Tables 2-3 in normalized coordinates u (nominal + u * half)."""

    pairs: list  # (i, j) index pairs of the printed correlations
    nominal: np.ndarray  # r of the pairs, then sds, then means
    half: np.ndarray
    lower: np.ndarray  # bounds on u
    upper: np.ndarray
    p: int

    def moments(self, u: np.ndarray):
        """Means, sds and correlation matrices for a batch of points ``u`` (b, m)."""
        x = self.nominal + np.atleast_2d(u) * self.half
        m, p = len(self.pairs), self.p
        corr = np.broadcast_to(np.eye(p), (len(x), p, p)).copy()
        if m:
            ii, jj = np.array(self.pairs).T
            corr[:, ii, jj] = x[:, :m]
            corr[:, jj, ii] = x[:, :m]
        return x[:, m + p :], x[:, m : m + p], corr


def _box(tb: Tables) -> _Box:
    v = tb.variables
    pairs, nom, half, lo, hi = [], [], [], [], []
    for (a, b), (r, _) in tb.table3.items():
        i, j = v.index(a), v.index(b)
        pairs.append((max(i, j), min(i, j)))
        nom.append(r.value)
        half.append(r.half)
        lo.append(max(r.low, -1.0))
        hi.append(min(r.high, 1.0))
    for stat in ("sd", "mean"):
        for x in v:
            pr = tb.table2[x][stat]
            nom.append(pr.value)
            half.append(pr.half)
            lo.append(max(pr.low, 0.0) if stat == "sd" else pr.low)
            hi.append(pr.high)
    nom, half = np.array(nom), np.array(half)
    safe = np.where(half > 0, half, 1.0)
    return _Box(
        pairs,
        nom,
        half,
        (np.array(lo) - nom) / safe,
        (np.array(hi) - nom) / safe,
        len(v),
    )


def _min_eig_and_grad(box: _Box, u: np.ndarray):
    _, _, corr = box.moments(u)
    w, vec = np.linalg.eigh(corr[0])
    v0 = vec[:, 0]
    grad = np.zeros(len(u))
    for k, (i, j) in enumerate(box.pairs):
        grad[k] = 2 * v0[i] * v0[j] * box.half[k]
    return float(w[0]), grad


def _most_definite(box: _Box) -> tuple[float, np.ndarray]:
    """The largest smallest eigenvalue within the box, and where it is reached (a point u)."""
    from scipy.optimize import minimize

    m = len(box.pairs)
    zero = np.zeros(len(box.nominal))
    if m == 0:
        return 1.0, zero

    def point(z):
        u = zero.copy()
        u[:m] = z
        return u

    def fun(z):
        val, grad = _min_eig_and_grad(box, point(z))
        return -val, -grad[:m]

    bounds = list(zip(box.lower[:m], box.upper[:m]))
    best_val, best_z = -fun(np.zeros(m))[0], np.zeros(m)
    res = minimize(fun, np.zeros(m), jac=True, method="L-BFGS-B", bounds=bounds)
    if -float(res.fun) > best_val:
        best_val, best_z = -float(res.fun), np.clip(res.x, box.lower[:m], box.upper[:m])
    # lambda_min is not smooth where eigenvalues cross: polish with SLSQP on the epigraph form
    z0 = np.append(best_z, best_val)

    def cons(z):
        return _min_eig_and_grad(box, point(z[:m]))[0] - z[m]

    res2 = minimize(
        lambda z: -z[m],
        z0,
        method="SLSQP",
        constraints=[{"type": "ineq", "fun": cons}],
        bounds=[*bounds, (None, None)],
        options={"maxiter": 200},
    )
    z2 = np.clip(res2.x[:m], box.lower[:m], box.upper[:m])
    val2 = _min_eig_and_grad(box, point(z2))[0]
    if val2 > best_val:
        best_val, best_z = val2, z2
    return float(best_val), point(best_z)


def largest_min_eigenvalue(tables: Tables) -> float:
    """The largest smallest eigenvalue of any correlation matrix within the rounding of Table 3.

    Negative means no positive semi-definite matrix (hence no data set) agrees with the printed
    correlations; the smallest eigenvalue is concave in the entries, so a local maximum is global.
    """
    return _most_definite(_box(tables))[0]


def _least_definite(
    box: _Box, idx: list[int], start: np.ndarray, iterations: int = 20
) -> float:
    """The smallest eigenvalue of the submatrix ``idx`` pushed down over the box.

    The smallest eigenvalue is concave, so its minimum over the box is at a vertex: step to the
    vertex the current eigenvector points to until it repeats (a heuristic; a value at or below
    zero proves that a singular submatrix lies within rounding).
    """
    sel = [k for k, (i, j) in enumerate(box.pairs) if i in idx and j in idx]
    u, best = start.copy(), np.inf
    for _ in range(iterations):
        _, _, corr = box.moments(u)
        w, vec = np.linalg.eigh(corr[0][np.ix_(idx, idx)])
        best = min(best, float(w[0]))
        v = np.zeros(box.p)
        v[idx] = vec[:, 0]
        new = u.copy()
        for k in sel:
            i, j = box.pairs[k]
            new[k] = box.lower[k] if v[i] * v[j] > 0 else box.upper[k]
        if np.array_equal(new, u):
            break
        u = new
    return best


def _model_quantities(tb: Tables, model: str, means, sds, corr) -> np.ndarray:
    """All implied quantities of a model for a batch of moments, as columns (see _quantity_labels)."""
    with np.errstate(all="ignore"):
        res = _ols_batch(tb, model, means, sds, corr)
        k = res["std"].shape[1]
        df = tb.n - k - 1
        rxx_inv_diag = res["vif"]
        se_std = np.sqrt(np.clip(1 - res["r2"], 0, None)[:, None] / df * rxx_inv_diag)
        t = res["std"] / se_std
    cols = [
        res["std"],
        se_std,
        t,
        res["vif"],
        res["intercept"][:, None],
        res["se_c"][:, None],
        res["r2"][:, None],
        res["f"][:, None],
    ]
    return np.concatenate(cols, axis=1)


def _quantity_labels(tb: Tables, model: str) -> list[tuple[str, str]]:
    regs = tb.regressors(model)
    return (
        [(t, "std_coef") for t in regs]
        + [(t, "se_std") for t in regs]
        + [(t, "t") for t in regs]
        + [(t, "vif") for t in regs]
        + [("_Cons", "coef"), ("_Cons", "se"), ("", "r2"), ("", "f")]
    )


def _extreme(
    evaluate,
    box: _Box,
    free: np.ndarray,
    column: int,
    sign: float,
    needs_pd: bool,
    starts,
) -> float:
    """sign * max over the box of sign * quantity[column] (free: indices of u that vary)."""
    from scipy.optimize import minimize

    m_free = len(free)
    step = 1e-6

    def at(z_batch):
        u = np.zeros((len(z_batch), len(box.nominal)))
        u[:, free] = z_batch
        return evaluate(box.moments(u))[:, column]

    z_nom = np.zeros(m_free)
    base = at(z_nom[None])[0]
    probe = np.concatenate(
        [z_nom[None] + step * np.eye(m_free), z_nom[None] - step * np.eye(m_free)]
    )
    g0 = (at(probe[:m_free]) - at(probe[m_free:])) / (2 * step)
    scale = float(np.sum(np.abs(g0))) or 1.0
    if not np.isfinite(scale) or not np.isfinite(base):
        scale = 1.0

    def fun(z):
        pts = np.concatenate(
            [z[None], z[None] + step * np.eye(m_free), z[None] - step * np.eye(m_free)]
        )
        vals = at(pts)
        f = -sign * (vals[0] - base) / scale
        g = -sign * (vals[1 : m_free + 1] - vals[m_free + 1 :]) / (2 * step) / scale
        if not np.all(np.isfinite(g)) or not np.isfinite(f):
            return 1e6, np.zeros(m_free)
        return f, g

    def pd_margin(z):
        u = np.zeros(len(box.nominal))
        u[free] = z
        return _min_eig_and_grad(box, u)[0] - PD_FLOOR

    def pd_grad(z):
        u = np.zeros(len(box.nominal))
        u[free] = z
        return _min_eig_and_grad(box, u)[1][free]

    bounds = list(zip(box.lower[free], box.upper[free]))
    lo_b, hi_b = box.lower[free], box.upper[free]
    candidates = []
    for start in starts:
        z0 = (
            np.clip(start(sign * np.sign(g0)), lo_b, hi_b)
            if callable(start)
            else np.clip(start, lo_b, hi_b)
        )
        if not needs_pd or pd_margin(z0) >= 0:
            candidates.append(z0)
        kwargs = (
            {"constraints": [{"type": "ineq", "fun": pd_margin, "jac": pd_grad}]}
            if needs_pd
            else {}
        )
        res = minimize(
            fun,
            z0,
            jac=True,
            method="SLSQP",
            bounds=bounds,
            options={"maxiter": 200, "ftol": 1e-10},
            **kwargs,
        )
        z = np.clip(res.x, lo_b, hi_b)
        if not needs_pd or pd_margin(z) >= -1e-12:
            candidates.append(z)
    values = at(np.array(candidates)) if candidates else np.array([np.nan])
    values = values[np.isfinite(values)] if np.isfinite(values).any() else values
    return float(np.max(sign * values) * sign) if len(values) else float("nan")


def _model_extremes(
    tb: Tables, box: _Box, model: str, origin: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Smallest, largest and nominal value of every quantity of one model over the rounding box.

    Each quantity is pushed to the vertex its gradient points to, and the vertex is updated until it
    no longer changes (all quantities at once, in one batched computation per step); L-BFGS-B then
    polishes each end within the box, starting from ``origin`` (the printed moments, or the most
    positive-definite point when they are not). Every corner of the model's correlation box (up to
    :data:`CORNER_LIMIT` of them, see :func:`_correlation_corners`) is a further candidate: the best
    positive-definite one replaces an end's starting point when it scores higher, because the
    vertex iteration can stop at a local maximum. An end whose matrix is not positive definite is recomputed
    with SLSQP under the constraint "smallest eigenvalue >= PD_FLOOR", free to move every printed
    correlation (the other correlations only enter through that constraint).
    """
    from scipy.optimize import minimize

    v, m, p = tb.variables, len(box.pairs), box.p
    idx = [v.index(tb.dependent)] + [v.index(t) for t in tb.regressors(model)]
    model_pairs = [k for k, (i, j) in enumerate(box.pairs) if i in idx and j in idx]
    free = np.concatenate(
        [np.array(model_pairs, dtype=int), m + np.array(idx), m + p + np.array(idx)]
    )
    nf = len(free)
    lo_b, hi_b = box.lower[free], box.upper[free]
    step = 1e-6
    eye = np.eye(nf) * step

    def values(z):
        z = np.atleast_2d(z)
        u = np.zeros((len(z), len(box.nominal)))
        u[:, free] = z
        return _model_quantities(tb, model, *box.moments(u))

    def jacobians(z):
        z = np.atleast_2d(z)
        pts = np.concatenate([z[:, None, :] + eye, z[:, None, :] - eye], axis=1)
        vals = values(pts.reshape(-1, nf)).reshape(len(z), 2, nf, -1)
        return (vals[:, 0] - vals[:, 1]).transpose(0, 2, 1) / (2 * step)  # (b, Q, nf)

    z_origin = origin[free]
    nominal = values(np.zeros(nf))[0]
    q = len(nominal)
    cols = np.tile(np.arange(q), 2)
    signs = np.repeat([-1.0, 1.0], q)
    rows = np.arange(2 * q)

    def vertex(grad):
        g = signs[:, None] * grad
        return np.where(g > 0, hi_b, np.where(g < 0, lo_b, 0.0))

    def score(z):
        with np.errstate(invalid="ignore"):
            s = signs * values(z)[rows, cols]
        return np.where(np.isfinite(s), s, -np.inf)

    best_z = np.tile(z_origin, (2 * q, 1))
    best_s = score(best_z)
    if not np.array_equal(
        z_origin, np.zeros(nf)
    ):  # the printed moments are not positive definite
        best_s = np.full(2 * q, -np.inf)
    jac0 = jacobians(z_origin)[0]
    scales = np.sum(np.abs(jac0), axis=1)
    scales = np.where(np.isfinite(scales) & (scales > 0), scales, 1.0)
    z = first_vertex = vertex(jac0[cols])
    fixed = np.zeros(
        2 * q, dtype=bool
    )  # the best point is a vertex its own gradient points to
    for _ in range(8):
        s = score(z)
        better = s > best_s
        best_z[better], best_s[better] = z[better], s[better]
        z_new = vertex(jacobians(z)[rows, cols])
        same = np.all(z_new == z, axis=1)
        fixed |= same & np.all(best_z == z, axis=1)
        if same.all():
            break
        z = z_new

    # The iteration can stop at a vertex that is only a local maximum (M3's t of Var3 in the paper
    # did). Every vertex of the model's correlation box, or a seeded sample of them when there are
    # more than CORNER_LIMIT, is a further candidate: the best positive-definite one for each end
    # (its means and SDs at the first vertex of that end) replaces the end when it is better.
    corners = _correlation_corners(lo_b, hi_b, len(model_pairs))
    if len(corners):
        u = np.broadcast_to(origin, (len(corners), len(origin))).copy()
        u[:, free[: len(model_pairs)]] = corners[:, : len(model_pairs)]
        corners = corners[np.linalg.eigvalsh(box.moments(u)[2])[:, 0] >= PD_FLOOR]
    if len(corners):
        with np.errstate(invalid="ignore"):
            s_corners = signs * values(corners)[:, cols]  # (corners, 2q)
        s_corners = np.where(np.isfinite(s_corners), s_corners, -np.inf)
        for r in np.flatnonzero(s_corners.max(axis=0) > best_s):
            z_corner = first_vertex[r].copy()
            z_corner[: len(model_pairs)] = corners[np.argmax(s_corners[:, r]), : len(model_pairs)]
            s_corner = score(np.repeat(z_corner[None], 2 * q, axis=0))[r]
            if s_corner > best_s[r]:
                best_z[r], best_s[r], fixed[r] = z_corner, s_corner, False

    low, high = np.full(q, np.nan), np.full(q, np.nan)
    for r in rows:
        c, sg = cols[r], signs[r]

        def fun(zz, c=c, sg=sg):
            pts = np.concatenate([zz[None], zz[None] + eye])
            with np.errstate(invalid="ignore"):
                vals = values(pts)[:, c]
            if not np.all(np.isfinite(vals)):
                return np.inf, np.zeros(nf)
            grad = (vals[1:] - vals[0]) / step
            return -sg * (vals[0] - nominal[c]) / scales[c], -sg * grad / scales[c]

        z_end, s_end = best_z[r], best_s[r]
        # a vertex fixed point is already a KKT point of the box; polish only the others, and
        # look again from the first vertex when the iteration moved away from it
        z_starts = [] if fixed[r] else [best_z[r]]
        if not np.array_equal(first_vertex[r], best_z[r]):
            z_starts.append(first_vertex[r])
        for z_start in z_starts:
            res = minimize(
                fun,
                z_start,
                jac=True,
                method="L-BFGS-B",
                bounds=list(zip(lo_b, hi_b)),
                options={"maxiter": 100, "ftol": 1e-12, "gtol": 1e-9},
            )
            s_res = -res.fun * scales[c] + sg * nominal[c]
            if np.isfinite(res.fun) and s_res > s_end:
                z_end, s_end = np.clip(res.x, lo_b, hi_b), s_res
        end = values(z_end)[0, c]
        if True:
            u = origin.copy()
            u[free] = z_end
            if _min_eig_and_grad(box, u)[0] < PD_FLOOR:
                all_free = np.concatenate([np.arange(m), free[len(model_pairs) :]])
                u_vertex = origin.copy()
                u_vertex[free] = first_vertex[r]
                u_best = origin.copy()  # the best point before the polish (a corner, say)
                u_best[free] = best_z[r]
                starts = [origin[all_free], u[all_free], u_vertex[all_free], u_best[all_free]]
                end = _extreme(
                    lambda mom: _model_quantities(tb, model, *mom),
                    box,
                    all_free,
                    c,
                    sg,
                    True,
                    starts,
                )
        at_origin = (
            nominal[c] if not np.any(origin) else end
        )  # the printed moments count when feasible
        if sg < 0:
            low[c] = np.nanmin([end, at_origin])
        else:
            high[c] = np.nanmax([end, at_origin])
    return low, high, nominal


#: At most this many vertices of a model's correlation box are tried as candidates for its ends
#: (all of them for up to 15 printed correlations, i.e. models with up to 5 regressors).
CORNER_LIMIT = 2**15


def _correlation_corners(lo: np.ndarray, hi: np.ndarray, k: int) -> np.ndarray:
    """Vertices of the first ``k`` coordinates of the box ``[lo, hi]``, the others at 0.

    All ``2**k`` of them up to :data:`CORNER_LIMIT`, otherwise that many drawn with a fixed seed.
    """
    if k == 0:
        return np.zeros((0, len(lo)))
    if 2**k <= CORNER_LIMIT:
        bits = (np.arange(2**k)[:, None] >> np.arange(k)) & 1
    else:
        bits = np.random.default_rng(20261130).integers(0, 2, size=(CORNER_LIMIT, k))
    z = np.zeros((len(bits), len(lo)))
    z[:, :k] = np.where(bits.astype(bool), hi[:k], lo[:k])
    return z


def _half_matrix(box: _Box) -> np.ndarray:
    h = np.zeros((box.p, box.p))
    for k, (i, j) in enumerate(box.pairs):
        h[i, j] = h[j, i] = box.half[k]
    return h


#: A model whose correlation submatrix can reach this smallest eigenvalue within rounding is unbounded.
SINGULAR_FLOOR = 1e-8
_UNBOUNDED = {
    "std_coef": (-np.inf, np.inf),
    "se_std": (0.0, np.inf),
    "t": (-np.inf, np.inf),
    "vif": (1.0, np.inf),
    "coef": (-np.inf, np.inf),
    "se": (0.0, np.inf),
    "r2": (0.0, 1.0),
    "f": (0.0, np.inf),
}


def _ranges_optimized(tb: Tables) -> pd.DataFrame:
    box = _box(tb)
    v, m = tb.variables, len(box.pairs)
    means0, sds0, corr0 = _nominal_moments(tb)
    best, center = _most_definite(box)
    feasible = best >= -PD_TOLERANCE
    origin = (
        np.zeros(len(box.nominal))
        if np.linalg.eigvalsh(corr0)[0] >= PD_FLOOR
        else center
    )
    rows = []
    for model in tb.coefs:
        regs = tb.regressors(model)
        labels = _quantity_labels(tb, model)
        idx = [v.index(tb.dependent)] + [v.index(t) for t in regs]
        with np.errstate(all="ignore"):
            nominal = _model_quantities(
                tb, model, means0[None], sds0[None], corr0[None]
            )[0]
            if not feasible:
                lows = highs = np.full(len(nominal), np.nan)
            elif (
                min(
                    _least_definite(box, idx, np.zeros(len(box.nominal))),
                    _least_definite(box, idx, center),
                )
                <= SINGULAR_FLOOR
            ):
                lows = np.array([_UNBOUNDED[q][0] for _, q in labels])
                highs = np.array([_UNBOUNDED[q][1] for _, q in labels])
            else:
                lows, highs, _ = _model_extremes(tb, box, model, origin)
        found = {
            label: (lows[c], highs[c], nominal[c]) for c, label in enumerate(labels)
        }
        y = v.index(tb.dependent)
        for j, term in enumerate(regs):
            x = v.index(term)
            r_lo = box.nominal[m + y] + box.lower[m + y] * box.half[m + y]
            r_hi = box.nominal[m + y] + box.upper[m + y] * box.half[m + y]
            s_lo = box.nominal[m + x] + box.lower[m + x] * box.half[m + x]
            s_hi = box.nominal[m + x] + box.upper[m + x] * box.half[m + x]
            with np.errstate(divide="ignore"):
                ratio = np.array([r_lo / s_hi, r_hi / s_lo])
            ratio0 = sds0[y] / sds0[x]
            for q, std_q in (("coef", "std_coef"), ("se", "se_std")):
                lo, hi, nom = found[term, std_q]
                with np.errstate(all="ignore"):
                    prods = np.outer([lo, hi], ratio)
                if np.isnan(prods).all():
                    ends = (np.nan, np.nan)
                else:
                    ends = (float(np.nanmin(prods)), float(np.nanmax(prods)))
                rows.append((model, term, q, *ends, float(nom * ratio0)))
            for q in ("t", "std_coef", "vif", "se_std"):
                rows.append((model, term, q, *(float(z) for z in found[term, q])))
        for term, q in (("_Cons", "coef"), ("_Cons", "se"), ("", "r2"), ("", "f")):
            rows.append((model, term, q, *(float(z) for z in found[term, q])))
    return pd.DataFrame(rows, columns=RANGE_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Public API: every implied quantity with its rounding range (one definition for all chapters)
# ---------------------------------------------------------------------------------------------

#: Columns of :func:`implied_ranges`.
RANGE_COLUMNS = ["model", "term", "quantity", "low", "high", "nominal"]
_RANGE_CACHE: dict = {}


def _fingerprint(tb: Tables) -> str:
    """A text key for the printed content of the tables (used to cache ranges)."""
    import hashlib

    parts = [
        repr(
            sorted(
                (v, tuple(p.text for p in row.values())) for v, row in tb.table2.items()
            )
        )
    ]
    parts.append(repr(sorted((k, r.text) for k, (r, _) in tb.table3.items())))
    parts.append(repr(sorted((m, t) for m in tb.coefs for t in tb.coefs[m])))
    parts.append(repr(tb.n))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _code_version() -> str:
    import hashlib

    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


def _cache_file(key: str) -> Path | None:
    from .paths import BUILD_DIR

    return BUILD_DIR / ".cache" / "audit" / f"ranges-{key[:24]}-{_code_version()}.csv"


def _all_ranges(tb: Tables) -> pd.DataFrame:
    """Ranges of every quantity (public and internal ones such as ``se_std``), cached in memory and on disk."""
    key = _fingerprint(tb)
    if key in _RANGE_CACHE:
        return _RANGE_CACHE[key]
    path = _cache_file(key)
    frame = None
    if path is not None and path.exists():
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            for col in ("low", "high", "nominal"):
                frame[col] = pd.to_numeric(frame[col].replace("", "nan"))
        except (OSError, ValueError):
            frame = None
    if frame is None:
        frame = _ranges_optimized(tb)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            frame.to_csv(tmp, index=False)
            tmp.replace(path)
        except OSError:
            pass  # a read-only checkout still works, only slower
    _RANGE_CACHE[key] = frame
    return frame


#: Quantities reported by :func:`implied_ranges`.
PUBLIC_QUANTITIES = ("coef", "se", "t", "std_coef", "vif", "r2", "f")


def implied_ranges(tables: Tables) -> pd.DataFrame:
    """Every quantity Tables 2-3 imply for each model of Table 4, with its rounding range.

    One row per (model, term, quantity): ``coef``, ``se``, ``t``, ``std_coef`` and ``vif`` for each
    regressor; ``coef`` and ``se`` for the intercept (term ``_Cons``); ``r2`` and ``f`` for the model
    (term ``""``). ``nominal`` is the value at the printed moments; ``low`` and ``high`` the
    smallest and largest value over all moment sets within the rounding of the printed Tables 2-3
    whose correlation matrix is positive definite: each correlation within half a unit of its last
    printed digit, each mean and standard deviation likewise.

    The ends are found by optimization (deterministic starts, and the best corner of the model's
    correlation box, see :func:`_model_extremes`);
    coefficients and standard errors are exact products of the standardized ranges and the ranges
    of the standard deviations. ``low`` and ``high`` are NaN when no positive-definite matrix lies
    within the rounding (see :func:`largest_min_eigenvalue`). Cached per printed content, in memory
    and under ``_build/.cache/audit/``.

    Usage: ``implied_ranges(read_tables(DATA_DIR / "published"))``.
    """
    frame = _all_ranges(tables)
    return frame[frame.quantity.isin(PUBLIC_QUANTITIES)].reset_index(drop=True).copy()


_STAR_ORDER = ["", "*", "**", "***"]


def _marks_between(a: str, b: str) -> set[str]:
    """Every star level from ``a`` to ``b``: stars grow monotonically with |t| (or with |r|)."""
    i, j = sorted((_STAR_ORDER.index(a), _STAR_ORDER.index(b)))
    return set(_STAR_ORDER[i : j + 1])


def _star_for_t(t: float, df: int) -> str:
    return stars(2 * stats.t.sf(abs(t), df))


def _check_stars(tb: Tables) -> list[Check]:
    out = []
    for model, terms in tb.coefs.items():
        df = tb.n - len(tb.regressors(model)) - 1
        crit = ", ".join(
            f"{mark} |t| > {stats.t.ppf(1 - lvl / 2, df):.2f}"
            for lvl, mark in STAR_LEVELS
        )
        for term, (coef, se, mark) in terms.items():
            why_not = (
                "the standard error is not printed"
                if se is None
                else "no residual degrees of freedom"
                if df <= 0
                else "printed standard error is zero"
                if se.value == 0
                else None
            )
            if why_not:
                out.append(
                    Check(
                        "stars",
                        f"{model}: stars of {term}",
                        mark or "(none)",
                        "—",
                        UNDECIDABLE,
                        why_not,
                    )
                )
                continue
            t_lo = (
                min(abs(coef.low), abs(coef.high)) / se.high
                if coef.low * coef.high > 0
                else 0.0
            )
            t_hi = max(abs(coef.low), abs(coef.high)) / max(se.low, 1e-300)
            t_mid = abs(coef.value) / se.value
            marks = _marks_between(_star_for_t(t_lo, df), _star_for_t(t_hi, df))
            if marks == {mark}:
                verdict = CONSISTENT
            elif mark in marks or _star_for_t(t_mid, df) == mark:
                verdict = UNDECIDABLE if len(marks) > 1 else CONSISTENT
            else:
                verdict = INCONSISTENT
            out.append(
                Check(
                    "stars",
                    f"{model}: stars of {term}",
                    mark or "(none)",
                    f"|t| = {t_mid:.2f} → {_star_for_t(t_mid, df) or '(none)'}",
                    verdict,
                    f"t = coef / se with {df} df; thresholds {crit}",
                )
            )
    return out


def _check_correlation_stars(tb: Tables) -> list[Check]:
    out = []
    for (a, b), (r, mark) in tb.table3.items():
        p_lo = correlation_pvalue(max(abs(r.low), abs(r.high)), tb.n)
        p_hi = correlation_pvalue(
            min(abs(r.low), abs(r.high)) if r.low * r.high > 0 else 0.0, tb.n
        )
        marks = _marks_between(stars(p_lo), stars(p_hi))
        verdict = (
            CONSISTENT
            if marks == {mark}
            else (UNDECIDABLE if mark in marks else INCONSISTENT)
        )
        out.append(
            Check(
                "table 3",
                f"stars of r({a}, {b})",
                f"{r.text}{mark}",
                f"p = {correlation_pvalue(r.value, tb.n):.4f} → {stars(correlation_pvalue(r.value, tb.n)) or '(none)'}",
                verdict,
                f"two-sided t test of r with n - 2 = {tb.n - 2} df",
            )
        )
    return out


def _check_table2_internal(tb: Tables) -> list[Check]:
    out = []
    n = tb.n
    for var, row in tb.table2.items():
        mean, sd, lo, hi = row["mean"], row["sd"], row["min"], row["max"]
        ok = lo.low <= mean.high and mean.low <= hi.high
        out.append(
            Check(
                "table 2",
                f"{var}: min ≤ mean ≤ max",
                f"{lo.text} ≤ {mean.text} ≤ {hi.text}",
                "—",
                CONSISTENT if ok else INCONSISTENT,
                "a mean lies within the range",
            )
        )
        # The largest possible sample sd for n values in [min, max] puts half at each end.
        bound = (hi.high - lo.low) / 2 * np.sqrt(n / (n - 1))
        ok = sd.low <= bound
        out.append(
            Check(
                "table 2",
                f"{var}: sd possible given the range",
                sd.text,
                f"≤ {bound:.4f}",
                CONSISTENT if ok else INCONSISTENT,
                f"maximum sample sd of {n} values within [min, max]",
            )
        )
    best = largest_min_eigenvalue(tb)
    _, _, corr = _nominal_moments(tb)
    smallest = float(np.linalg.eigvalsh(corr)[0])
    ok = best >= -PD_TOLERANCE
    out.append(
        Check(
            "table 3",
            "correlation matrix is positive definite",
            "Table 3",
            f"largest smallest eigenvalue within rounding {best:.5f}",
            CONSISTENT if ok else INCONSISTENT,
            f"smallest eigenvalue of the printed matrix {smallest:.5f}; "
            + ("some matrix within rounding is positive definite" if ok else NO_PD),
        )
    )
    return out


def _check_claims(tb: Tables, ranges: pd.DataFrame) -> list[Check]:
    out = []
    claims = tb.claims
    vif = ranges[ranges.quantity == "vif"]
    if claims.get("vif_max") and not vif.empty:
        bound = float(claims["vif_max"])
        per_model = vif.groupby("model", sort=False).agg(
            low=("low", "max"), high=("high", "max"), nominal=("nominal", "max")
        )
        text = "; ".join(
            f"{m}: largest {r.nominal:.1f} {_fmt_range(r.low, r.high, 1)}"
            for m, r in per_model.iterrows()
        )
        if per_model[["low", "high"]].isna().any().any():
            verdict, why = UNDECIDABLE, NO_PD
        else:
            failing = [m for m, r in per_model.iterrows() if r.low >= bound]
            unsure = [m for m, r in per_model.iterrows() if r.low < bound <= r.high]
            if failing:
                verdict, why = (
                    INCONSISTENT,
                    f"fails for {', '.join(failing)} whatever the rounding",
                )
            elif unsure:
                verdict, why = UNDECIDABLE, f"rounding decides for {', '.join(unsure)}"
            else:
                verdict, why = CONSISTENT, "holds for every model"
        out.append(
            Check(
                "text",
                f"every VIF is below {claims['vif_max']}",
                claims["vif_max"],
                text,
                verdict,
                why
                + "; largest VIF of each model, at the printed moments and over the rounding",
            )
        )
    if claims.get("vif_mean") and not vif.empty:
        target = Printed(claims["vif_mean"])
        # the mean of per-term ranges bounds the range of the mean (the ends need not coincide)
        per_model = vif.groupby("model", sort=False).agg(
            low=("low", "mean"), high=("high", "mean"), nominal=("nominal", "mean")
        )
        matching = [
            m
            for m, r in per_model.iterrows()
            if np.isfinite(r.low) and _overlaps(target, r.low, r.high)
        ]
        text = "; ".join(
            f"{m}: mean {r.nominal:.2f} {_fmt_range(r.low, r.high, 2)}"
            for m, r in per_model.iterrows()
        )
        out.append(
            Check(
                "text",
                f"mean VIF is {claims['vif_mean']}",
                claims["vif_mean"],
                text,
                CONSISTENT if matching else INCONSISTENT,
                (
                    f"matches {', '.join(matching)}"
                    if matching
                    else "no model's mean VIF is within rounding of the claim"
                )
                + "; bounds from the per-term ranges",
            )
        )
    if "var2_not_significant" in claims:
        dep = tb.dependent
        key = ("Var2", dep) if ("Var2", dep) in tb.table3 else (dep, "Var2")
        if key in tb.table3:
            r = tb.table3[key][0]
            p = correlation_pvalue(r.value, tb.n)
            ok = r.value < 0 and p >= 0.10
            out.append(
                Check(
                    "text",
                    "Var2 is negatively but not significantly correlated with the outcome",
                    r.text,
                    f"p = {p:.3f}",
                    CONSISTENT if ok else INCONSISTENT,
                    "sign and two-sided t test of the printed correlation",
                )
            )
    if "all_models_significant" in claims:
        ps = {m: f["p_value"] for m, f in tb.fit.items() if f["p_value"] is not None}
        if ps:
            worst = max(ps.values(), key=lambda p: p.high)
            at5 = all(p.high < 0.05 for p in ps.values())
            at10 = all(p.high < 0.10 for p in ps.values())
            out.append(
                Check(
                    "text",
                    "all models pass the significance test",
                    ", ".join(f"{m}: {p.text}" for m, p in ps.items()),
                    f"largest p = {worst.text}",
                    CONSISTENT if at5 else (UNDECIDABLE if at10 else INCONSISTENT),
                    "holds at 5 %"
                    if at5
                    else (
                        "holds at 10 % only; the level is not stated"
                        if at10
                        else "a model is not significant at 10 %"
                    ),
                )
            )
    return out


# ---------------------------------------------------------------------------------------------
# Scale-free checks: t = coef / se and its sign do not depend on the units
# ---------------------------------------------------------------------------------------------

AS_PRINTED, UNITS_QUESTION, DIFFERENT_ESTIMATE = (
    "as printed",
    "units question",
    "different estimate or typo",
)


def _printed_t(coef: Printed, se: Printed | None) -> tuple[float, float] | None:
    """The interval of coef / se over the rounding of both (None when the SE is blank or may be 0)."""
    if se is None or se.low <= 0:
        return None
    corners = [c / s for c in (coef.low, coef.high) for s in (se.low, se.high)]
    return min(corners), max(corners)


def scale_free(tables: Tables) -> pd.DataFrame:
    """For every printed slope: printed t and sign against the t implied by Tables 2-3.

    A change of units rescales a coefficient and its SE together and leaves t unchanged. Columns:
    ``model, term, t_printed, t_printed_low, t_printed_high, t_implied, t_implied_low,
    t_implied_high, sign_printed, sign_implied, t_agrees, coef_agrees, se_agrees, kind``, where
    ``kind`` is ``as printed`` (coef, SE and t agree), ``units question`` (t agrees, coef or SE do
    not), ``different estimate or typo`` (t disagrees beyond rounding) or ``undecidable``.
    """
    ranges = _all_ranges(tables)
    rows = []
    for model in tables.coefs:
        for term in tables.regressors(model):
            coef, se, _ = tables.coefs[model][term]
            tl, th, tn = _range_of(ranges, model, term, "t")
            cl, ch, _ = _range_of(ranges, model, term, "coef")
            sl, sh, _ = _range_of(ranges, model, term, "se")
            pt = _printed_t(coef, se)
            sign_printed = 0 if coef.low <= 0 <= coef.high else int(np.sign(coef.value))
            sign_implied = 0 if not (tl > 0 or th < 0) else (1 if tl > 0 else -1)
            if pt is None or np.isnan(tl) or (np.isinf(tl) and np.isinf(th)):
                agrees, kind = None, UNDECIDABLE
            else:
                agrees = bool(pt[0] <= th and tl <= pt[1])
                coef_ok = _overlaps(coef, cl, ch)
                se_ok = _overlaps(se, sl, sh)
                kind = (
                    (AS_PRINTED if coef_ok and se_ok else UNITS_QUESTION)
                    if agrees
                    else DIFFERENT_ESTIMATE
                )
            rows.append(
                {
                    "model": model,
                    "term": term,
                    "t_printed": coef.value / se.value if pt is not None else np.nan,
                    "t_printed_low": pt[0] if pt else np.nan,
                    "t_printed_high": pt[1] if pt else np.nan,
                    "t_implied": tn,
                    "t_implied_low": tl,
                    "t_implied_high": th,
                    "sign_printed": sign_printed,
                    "sign_implied": sign_implied,
                    "t_agrees": agrees,
                    "coef_agrees": bool(_overlaps(coef, cl, ch))
                    if np.isfinite(cl)
                    else None,
                    "se_agrees": bool(_overlaps(se, sl, sh))
                    if se is not None and np.isfinite(sl)
                    else None,
                    "kind": kind,
                }
            )
    return pd.DataFrame(rows)


def _check_scale_free(tables: Tables) -> list[Check]:
    out = []
    for r in scale_free(tables).itertuples():
        claim = f"{r.model}: t of {r.term} (scale-free)"
        implied = (
            _fmt_range(r.t_implied_low, r.t_implied_high, 3)
            if not np.isnan(r.t_implied_low)
            else "—"
        )
        if r.kind == UNDECIDABLE:
            if np.isnan(r.t_implied_low):
                why = NO_PD
            elif np.isinf(r.t_implied_low) and np.isinf(r.t_implied_high):
                why = SINGULAR
            else:
                why = "the standard error is blank or may be zero"
            out.append(
                Check(
                    "scale-free",
                    claim,
                    "—" if np.isnan(r.t_printed) else f"{r.t_printed:.2f}",
                    implied,
                    UNDECIDABLE,
                    why,
                )
            )
            continue
        printed = (
            f"{r.t_printed:.3f} {_fmt_range(r.t_printed_low, r.t_printed_high, 3)}"
        )
        if r.kind == AS_PRINTED:
            why = "t, coefficient and standard error all agree"
        elif r.kind == UNITS_QUESTION:
            why = "t agrees while the coefficient or SE does not: a question of units"
        else:
            why = "t disagrees beyond rounding: a different estimate or a typo"
            if r.sign_printed and r.sign_implied and r.sign_printed != r.sign_implied:
                why += "; opposite sign"
        out.append(
            Check(
                "scale-free",
                claim,
                printed,
                implied,
                CONSISTENT if r.t_agrees else INCONSISTENT,
                why,
            )
        )
    return out


def check_official(
    tb: Tables, official: pd.DataFrame, approximate: tuple[str, ...] = ()
) -> list[Check]:
    """Compare Table 2 and Table 3 with official series identified with paper variables.

    ``official`` has one column per identified paper variable (named by paper id) and one row per
    unit, in the official row order; missing values make a statistic undecidable. Variables in
    ``approximate`` are only approximations of the official definition (for example GDP per head
    over year-end rather than average population): a mismatch there is undecidable, not inconsistent.
    """
    out = []
    for var in official.columns:
        series = official[var]
        complete = series.notna().all()
        values = {
            "mean": series.mean(),
            "sd": series.std(ddof=1),
            "min": series.min(),
            "max": series.max(),
        }
        for stat, value in values.items():
            printed = tb.table2[var][stat]
            if not complete:
                out.append(
                    Check(
                        "official",
                        f"{var}: {stat} equals the official series",
                        printed.text,
                        f"{value:.4f} (n = {series.notna().sum()})",
                        UNDECIDABLE,
                        f"official data cover {series.notna().sum()} of {len(series)} units",
                    )
                )
                continue
            ok = printed.low - 1e-9 <= value <= printed.high + 1e-9
            gap = f"off by {100 * (value - printed.value) / abs(printed.value):+.1f} %"
            if ok:
                verdict, why = CONSISTENT, "within rounding"
            elif var in approximate:
                verdict, why = (
                    UNDECIDABLE,
                    f"{gap}, but our series only approximates the official definition",
                )
            else:
                verdict, why = INCONSISTENT, gap
            out.append(
                Check(
                    "official",
                    f"{var}: {stat} equals the official series",
                    printed.text,
                    f"{value:.4f}",
                    verdict,
                    why,
                )
            )
    cols = list(official.columns)
    for i, a in enumerate(cols):
        for b in cols[:i]:
            key = (a, b) if (a, b) in tb.table3 else (b, a)
            if key not in tb.table3:
                continue
            r = tb.table3[key][0]
            pair = official[[a, b]].dropna()
            value = pair.corr().iloc[0, 1]
            if len(pair) < len(official):
                out.append(
                    Check(
                        "official",
                        f"r({key[0]}, {key[1]}) from official rows",
                        r.text,
                        f"{value:.3f} (n = {len(pair)})",
                        UNDECIDABLE,
                        f"official data cover {len(pair)} of {len(official)} units",
                    )
                )
                continue
            ok = r.low - 1e-9 <= value <= r.high + 1e-9
            near = abs(value - r.value) < 0.05
            if ok:
                verdict, why = (
                    CONSISTENT,
                    "official rows kept in order reproduce the printed correlation",
                )
            elif near and (a in approximate or b in approximate):
                verdict, why = (
                    UNDECIDABLE,
                    "close, but one series only approximates the official definition",
                )
            else:
                verdict, why = (
                    INCONSISTENT,
                    "official rows give a different correlation",
                )
            out.append(
                Check(
                    "official",
                    f"r({key[0]}, {key[1]}) from official rows",
                    r.text,
                    f"{value:.3f}",
                    verdict,
                    why,
                )
            )
    return out


# ---------------------------------------------------------------------------------------------
# Which units reproduce the printed coefficients? A search over per-variable scalings
# ---------------------------------------------------------------------------------------------


def _scalings() -> list[tuple[str, str, int]]:
    """Candidate units of a variable: (label, kind, power); x' = x * 10**power or (x - mean) / sd."""
    out = [("raw", "raw", 0), ("z-scored", "z", 0)]
    for k in (-6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6):
        label = {1: "×10", -1: "/10", 2: "×100", -2: "/100"}.get(k, f"×10^{k}")
        out.append((label, "pow", k))
    return out


def scaling_factor(label: str) -> float | None:
    """The factor a unit label of :func:`unit_assignments` multiplies a variable by (None: z-scored)."""
    for name, kind, power in _scalings():
        if name == label:
            return None if kind == "z" else 10.0**power
    raise ValueError(f"unknown unit label {label!r}")


def _interval_product(
    a: tuple[float, float], b: tuple[float, float]
) -> tuple[float, float]:
    corners = [x * y for x in a for y in b]
    return min(corners), max(corners)


def _factor(
    kind: str, power: int, sd: tuple[float, float], outcome: bool
) -> tuple[float, float]:
    """Interval of the factor that turns a standardized slope into the slope in the chosen units.

    slope' = beta * (sd_y / d_y) * (d_x / sd_x) with d = sd for z-scored and 10**-power otherwise.
    """
    if kind == "z":
        return 1.0, 1.0
    scale = 10.0**power
    if outcome:  # sd_y / d_y = sd_y * 10**power
        return sd[0] * scale, sd[1] * scale
    return 1.0 / (sd[1] * scale), 1.0 / (sd[0] * scale)  # d_x / sd_x


def _mismatch(printed: Printed | None, value: float) -> float:
    if printed is None or not np.isfinite(value):
        return np.nan
    return abs(value - printed.value) / max(abs(printed.value), 2 * printed.half)


def _intercept_in_units(
    tb: Tables, model: str, box: _Box, choice: dict
) -> tuple[np.ndarray, np.ndarray]:
    """Intercept and its SE in the chosen units, at the printed moments and linearized over the box.

    Returns (nominal[2], [[low, high], [low, high]]). The range is the first-order one (gradient
    times half a rounding unit, summed): the intercept depends on every printed input at once.
    """
    v = tb.variables
    y = v.index(tb.dependent)
    regs = tb.regressors(model)
    xs = [v.index(t) for t in regs]
    m, p = len(box.pairs), box.p
    idx = [y] + xs
    model_pairs = [k for k, (i, j) in enumerate(box.pairs) if i in idx and j in idx]
    free = np.concatenate(
        [np.array(model_pairs, dtype=int), m + np.array(idx), m + p + np.array(idx)]
    )

    def evaluate(u):
        means, sds, corr = box.moments(u)
        res = _ols_batch(tb, model, means, sds, corr)
        ky, py = choice[tb.dependent]
        c_y = means[:, y] if ky == "z" else 0.0
        d_y = sds[:, y] if ky == "z" else 10.0 ** (-py)
        centred = np.stack(
            [
                means[:, x] if choice[t][0] == "z" else np.zeros(len(means))
                for t, x in zip(regs, xs)
            ],
            axis=1,
        )
        mdot = means[:, xs] - centred
        intercept = (means[:, y] - c_y) / d_y - np.einsum(
            "bi,bi->b", res["slopes"], mdot
        ) / d_y
        se_c = (
            np.sqrt(
                res["s2"] / tb.n + np.einsum("bi,bij,bj->b", mdot, res["cov_b"], mdot)
            )
            / d_y
        )
        return np.stack([intercept, se_c], axis=1)

    step = 1e-6
    nf = len(free)
    u = np.zeros((2 * nf + 1, len(box.nominal)))
    u[1 : nf + 1, free] = step * np.eye(nf)
    u[nf + 1 :, free] = -step * np.eye(nf)
    with np.errstate(all="ignore"):
        vals = evaluate(u)
    grad = (vals[1 : nf + 1] - vals[nf + 1 :]) / (2 * step)  # (nf, 2)
    lo_b, hi_b = box.lower[free][:, None], box.upper[free][:, None]
    up = np.sum(np.maximum(grad * hi_b, grad * lo_b), axis=0)
    down = np.sum(np.minimum(grad * hi_b, grad * lo_b), axis=0)
    return vals[0], np.stack([vals[0] + down, vals[0] + up], axis=1)


def unit_assignments(tables: Tables, keep: int = 3, finalists: int = 8) -> list[dict]:
    """Per model, the per-variable units that best reproduce the printed coefficients, SEs and intercept.

    Each variable (the outcome included) may be raw, z-scored or multiplied by 10**k (k = -6..6).
    Slopes and SEs in the chosen units have exact rounding ranges (standardized ranges times the
    ranges of the standard deviations); the intercept and its SE a first-order range. For every
    outcome scaling, each regressor's ``keep`` best scalings (2 beyond four regressors) (by its coefficient and SE) are
    combined; the ``finalists`` best combinations (slopes, SEs and the intercept at the printed
    moments) get the intercept's range, and the one that reproduces most printed numbers, then
    with the smallest largest relative mismatch, wins. Returns one dict per model: ``model``,
    ``assignment`` (variable -> label), ``numbers`` (term, quantity, printed, reproduced, low,
    high, within, mismatch), ``reproduced``, ``total``, ``works`` (every printed number within its
    range) and ``residual`` (largest relative mismatch among numbers outside their range).
    """
    import itertools

    ranges = _all_ranges(tables)
    box = _box(tables)
    v = tables.variables
    dep = tables.dependent
    sd_iv = {x: (tables.table2[x]["sd"].low, tables.table2[x]["sd"].high) for x in v}
    means0, sds0, corr0 = _nominal_moments(tables)
    options = _scalings()
    out = []
    for model in tables.coefs:
        regs = tables.regressors(model)
        terms = tables.coefs[model]
        if not regs or not np.isfinite(
            _range_of(ranges, model, regs[0], "std_coef")[0]
        ):
            blocked = (
                _range_of(ranges, model, regs[0], "std_coef")[0] if regs else np.nan
            )
            out.append(
                {
                    "model": model,
                    "assignment": None,
                    "numbers": [],
                    "reproduced": 0,
                    "total": 0,
                    "works": False,
                    "residual": None,
                    "note": NO_PD if np.isnan(blocked) else SINGULAR,
                }
            )
            continue
        with np.errstate(all="ignore"):
            res0 = _ols_batch(tables, model, means0[None], sds0[None], corr0[None])
        slopes0, s2_0, cov0 = res0["slopes"][0], float(res0["s2"][0]), res0["cov_b"][0]
        mean_x = np.array([means0[v.index(t)] for t in regs])
        cons = terms.get("_Cons", (None, None, ""))
        candidates = []
        for label_y, ky, py in options:
            fy = _factor(ky, py, sd_iv[dep], True)
            fy0 = 1.0 if ky == "z" else sds0[v.index(dep)] * 10.0**py
            per_term = []
            for term in regs:
                coef, se, _ = terms[term]
                bl, bh, b0 = _range_of(ranges, model, term, "std_coef")
                sl, sh, s0 = _range_of(ranges, model, term, "se_std")
                scored = []
                for label_x, kx, px in options:
                    fx = _factor(kx, px, sd_iv[term], False)
                    fx0 = 1.0 if kx == "z" else 1.0 / (sds0[v.index(term)] * 10.0**px)
                    f_iv = _interval_product(fy, fx)
                    nums = [
                        (
                            term,
                            "coef",
                            coef,
                            b0 * fy0 * fx0,
                            _interval_product((bl, bh), f_iv),
                        ),
                        (
                            term,
                            "se",
                            se,
                            s0 * fy0 * fx0,
                            _interval_product((sl, sh), f_iv),
                        ),
                    ]
                    within = sum(
                        1
                        for *_, pr, _, iv in nums
                        if pr is not None and _overlaps(pr, *iv)
                    )
                    worst = max(
                        (
                            _mismatch(pr, val)
                            for *_, pr, val, _ in nums
                            if pr is not None
                        ),
                        default=0.0,
                    )
                    scored.append((within, worst, label_x, kx, nums))
                scored.sort(key=lambda z: (-z[0], z[1]))
                per_term.append(scored[: keep if len(regs) <= 4 else 2])
            c_y = means0[v.index(dep)] if ky == "z" else 0.0
            d_y = sds0[v.index(dep)] if ky == "z" else 10.0 ** (-py)
            for combo in itertools.product(*per_term):
                mdot = mean_x - np.array(
                    [mx if c[3] == "z" else 0.0 for mx, c in zip(mean_x, combo)]
                )
                icpt = (means0[v.index(dep)] - c_y) / d_y - float(slopes0 @ mdot) / d_y
                icpt_se = float(np.sqrt(s2_0 / tables.n + mdot @ cov0 @ mdot)) / d_y
                worst = max(
                    [c[1] for c in combo]
                    + [
                        x
                        for x in (_mismatch(cons[0], icpt), _mismatch(cons[1], icpt_se))
                        if np.isfinite(x)
                    ]
                )
                candidates.append(
                    (-sum(c[0] for c in combo), worst, label_y, ky, py, combo)
                )
        candidates.sort(key=lambda z: (z[0], z[1]))
        best = None
        for _, _, label_y, ky, py, combo in candidates[:finalists]:
            choice = {dep: (ky, py)} | {
                t: (
                    c[3],
                    0 if c[3] != "pow" else next(o[2] for o in options if o[0] == c[2]),
                )
                for t, c in zip(regs, combo)
            }
            numbers = [n for c in combo for n in c[4]]
            if "_Cons" in terms:
                nominal, iv = _intercept_in_units(tables, model, box, choice)
                numbers += [
                    ("_Cons", "coef", cons[0], float(nominal[0]), tuple(iv[0])),
                    ("_Cons", "se", cons[1], float(nominal[1]), tuple(iv[1])),
                ]
            rows = [
                {
                    "term": t,
                    "quantity": q,
                    "printed": pr.text if pr is not None else None,
                    "reproduced": float(val),
                    "low": float(iv[0]),
                    "high": float(iv[1]),
                    "within": bool(pr is not None and _overlaps(pr, *iv)),
                    "mismatch": float(_mismatch(pr, val)) if pr is not None else None,
                }
                for t, q, pr, val, iv in numbers
            ]
            printed_rows = [r for r in rows if r["printed"] is not None]
            within = sum(r["within"] for r in printed_rows)
            outside = [r["mismatch"] for r in printed_rows if not r["within"]]
            worst = max((r["mismatch"] for r in printed_rows), default=0.0)
            key = (-within, worst)
            if best is None or key < best[0]:
                assignment = {dep: label_y} | {t: c[2] for t, c in zip(regs, combo)}
                best = (
                    key,
                    {
                        "model": model,
                        "assignment": assignment,
                        "numbers": rows,
                        "reproduced": int(within),
                        "total": len(printed_rows),
                        "works": within == len(printed_rows),
                        "residual": float(max(outside)) if outside else 0.0,
                        "largest_mismatch": float(worst),
                    },
                )
        out.append(best[1])
    return out


def run(
    directory: Path | str | Tables,
    official: pd.DataFrame | None = None,
    approximate: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Run every check on a published-tables directory; returns one row per check.

    With ``official`` (see :func:`check_official`) Table 2 and Table 3 are also compared with
    official series. ``result.attrs`` carries the structured scale-free checks (``scale_free``,
    see :func:`scale_free`) and the unit assignment per model (``units``, see
    :func:`unit_assignments`), which ``python -m westgov audit --json`` prints beside the checks.
    """
    tb = directory if isinstance(directory, Tables) else read_tables(directory)
    ranges = _all_ranges(tb)
    checks = (
        _check_table2_internal(tb)
        + _check_correlation_stars(tb)
        + _check_fit(tb)
        + _check_against_moments(tb, ranges)
        + _check_scale_free(tb)
        + _check_stars(tb)
        + _check_claims(tb, ranges)
    )
    if official is not None:
        checks += check_official(tb, official, approximate)
    result = pd.DataFrame([asdict(c) for c in checks])
    result.attrs["scale_free"] = _json_safe(scale_free(tb).to_dict(orient="records"))
    result.attrs["units"] = _json_safe(unit_assignments(tb))
    return result


def _json_safe(obj):
    """NaN and infinities become None so that the JSON output is standard JSON."""
    if isinstance(obj, dict):
        return {k: _json_safe(x) for k, x in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(x) for x in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if np.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


#: Paper variables whose official counterpart we can only approximate (GDP per head: year-end population).
APPROXIMATE = ("Var8",)


def official_for_paper(ds) -> pd.DataFrame:
    """The official series of this book's paper, as columns named by paper id (western rows)."""
    from .variables import OFFICIAL_PAPER_IDS, official_variables

    frame = official_variables(ds)
    return pd.DataFrame(
        {pid: frame[ds.names[pid]].to_numpy() for pid in OFFICIAL_PAPER_IDS}
    )


def summary(result: pd.DataFrame) -> dict:
    """Verdict counts, overall and by category."""
    return {
        "total": len(result),
        "verdicts": {k: int(v) for k, v in result.verdict.value_counts().items()},
        "by_category": {
            c: {k: int(v) for k, v in g.verdict.value_counts().items()}
            for c, g in result.groupby("category")
        },
    }


# ---------------------------------------------------------------------------------------------
# Worked example: true tables computed from a public dataset and rounded like a paper
# ---------------------------------------------------------------------------------------------


def write_example_tables(
    frame: pd.DataFrame,
    dependent: str,
    model_terms: dict[str, list[str]],
    directory: Path | str,
    decimals: dict | None = None,
) -> Path:
    """Compute Tables 2-4 from a data frame, round them as a journal would, and write them.

    ``frame`` holds the variables (the dependent one included); ``model_terms`` maps a model name to
    its regressors. ``decimals`` overrides the rounding per table (defaults: descriptive statistics 4,
    correlations 3, coefficients 4, F 2, R² 4, p 4).
    """
    import statsmodels.api as sm

    dec = {"desc": 4, "r": 3, "coef": 4, "f": 2, "r2": 4, "p": 4} | (decimals or {})
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    variables = [dependent] + [c for c in frame.columns if c != dependent]
    n = len(frame)
    rows = ["variable,mean,sd,min,max"]
    for v in variables:
        s = frame[v]
        rows.append(
            ",".join(
                [v]
                + [
                    f"{x:.{dec['desc']}f}"
                    for x in (s.mean(), s.std(ddof=1), s.min(), s.max())
                ]
            )
        )
    (d / "table2_descriptives.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    corr = frame[variables].corr()
    rows = ["row,col,r,stars"]
    for i, a in enumerate(variables):
        for b in variables[:i]:
            r = corr.loc[a, b]
            rows.append(f"{a},{b},{r:.{dec['r']}f},{stars(correlation_pvalue(r, n))}")
    (d / "table3_correlations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    coef_rows, fit_rows = (
        ["model,term,coef,se,stars,note"],
        ["model,n,f,r2,p_value,note"],
    )
    for model, terms in model_terms.items():
        res = sm.OLS(frame[dependent], sm.add_constant(frame[terms])).fit()
        for term in terms + ["const"]:
            name = "_Cons" if term == "const" else term
            coef_rows.append(
                f"{model},{name},{res.params[term]:.{dec['coef']}f},{res.bse[term]:.{dec['coef']}f},{stars(res.pvalues[term])},"
            )
        fit_rows.append(
            f"{model},{n},{res.fvalue:.{dec['f']}f},{res.rsquared:.{dec['r2']}f},{res.f_pvalue:.{dec['p']}f},"
        )
    (d / "table4_coefficients.csv").write_text(
        "\n".join(coef_rows) + "\n", encoding="utf-8"
    )
    (d / "table4_fit.csv").write_text("\n".join(fit_rows) + "\n", encoding="utf-8")
    return d
