"""The smallest and largest value of an implied quantity over the rounding box of Tables 2-3.

Every printed mean, standard deviation and correlation stands for an interval; the box of those
intervals is searched, under the constraint that the correlation matrix stays positive definite,
by deterministic local optimization from several starts and over the vertices of the model's
correlation box.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .moments import _model_quantities
from .published import Tables

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
    search = _ModelSearch.of(tb, box, model, origin)
    best_z, best_s, fixed, first_vertex = _vertex_iteration(search)
    _try_corners(search, best_z, best_s, fixed, first_vertex)
    q, nominal = search.q, search.nominal
    low, high = np.full(q, np.nan), np.full(q, np.nan)
    for r in search.rows:
        c, sg = search.cols[r], search.signs[r]
        end = _polish_end(search, r, best_z, best_s, fixed, first_vertex)
        at_origin = (
            nominal[c] if not np.any(origin) else end
        )  # the printed moments count when feasible
        if sg < 0:
            low[c] = np.nanmin([end, at_origin])
        else:
            high[c] = np.nanmax([end, at_origin])
    return low, high, nominal


@dataclass
class _ModelSearch:
    """One model's quantities as functions of its free coordinates z of the rounding box.

    The free coordinates are the model's printed correlations, then the standard deviations and
    the means of its variables. Row ``r`` of a search is one end of one quantity: quantity
    ``cols[r]``, pushed down (``signs[r] = -1``) or up (``+1``).
    """

    tb: Tables
    box: _Box
    model: str
    origin: np.ndarray
    free: np.ndarray
    n_pairs: int  # the model's printed correlations come first among the free coordinates
    lo_b: np.ndarray
    hi_b: np.ndarray
    step: float
    eye: np.ndarray
    nominal: np.ndarray = None
    scales: np.ndarray = None

    @classmethod
    def of(cls, tb: Tables, box: _Box, model: str, origin: np.ndarray) -> _ModelSearch:
        v, m, p = tb.variables, len(box.pairs), box.p
        idx = [v.index(tb.dependent)] + [v.index(t) for t in tb.regressors(model)]
        model_pairs = [k for k, (i, j) in enumerate(box.pairs) if i in idx and j in idx]
        free = np.concatenate(
            [np.array(model_pairs, dtype=int), m + np.array(idx), m + p + np.array(idx)]
        )
        nf = len(free)
        step = 1e-6
        search = cls(tb, box, model, origin, free, len(model_pairs), box.lower[free], box.upper[free],
                     step, np.eye(nf) * step)
        search.nominal = search.values(np.zeros(nf))[0]
        return search

    @property
    def nf(self) -> int:
        return len(self.free)

    @property
    def q(self) -> int:
        return len(self.nominal)

    @property
    def cols(self) -> np.ndarray:
        return np.tile(np.arange(self.q), 2)

    @property
    def signs(self) -> np.ndarray:
        return np.repeat([-1.0, 1.0], self.q)

    @property
    def rows(self) -> np.ndarray:
        return np.arange(2 * self.q)

    def values(self, z):
        z = np.atleast_2d(z)
        u = np.zeros((len(z), len(self.box.nominal)))
        u[:, self.free] = z
        return _model_quantities(self.tb, self.model, *self.box.moments(u))

    def jacobians(self, z):
        z = np.atleast_2d(z)
        nf, eye, step = self.nf, self.eye, self.step
        pts = np.concatenate([z[:, None, :] + eye, z[:, None, :] - eye], axis=1)
        vals = self.values(pts.reshape(-1, nf)).reshape(len(z), 2, nf, -1)
        return (vals[:, 0] - vals[:, 1]).transpose(0, 2, 1) / (2 * step)  # (b, Q, nf)

    def vertex(self, grad):
        g = self.signs[:, None] * grad
        return np.where(g > 0, self.hi_b, np.where(g < 0, self.lo_b, 0.0))

    def score(self, z):
        with np.errstate(invalid="ignore"):
            s = self.signs * self.values(z)[self.rows, self.cols]
        return np.where(np.isfinite(s), s, -np.inf)


def _vertex_iteration(search: _ModelSearch):
    """Push each end to the vertex its gradient points to, until the vertex no longer changes.

    Returns the best point and score of each end, which ends stopped at a vertex their own
    gradient points to (``fixed``), and the first vertex of each end. Sets ``search.scales``.
    """
    q, nf, cols, rows = search.q, search.nf, search.cols, search.rows
    z_origin = search.origin[search.free]
    best_z = np.tile(z_origin, (2 * q, 1))
    best_s = search.score(best_z)
    if not np.array_equal(
        z_origin, np.zeros(nf)
    ):  # the printed moments are not positive definite
        best_s = np.full(2 * q, -np.inf)
    jac0 = search.jacobians(z_origin)[0]
    scales = np.sum(np.abs(jac0), axis=1)
    search.scales = np.where(np.isfinite(scales) & (scales > 0), scales, 1.0)
    z = first_vertex = search.vertex(jac0[cols])
    fixed = np.zeros(
        2 * q, dtype=bool
    )  # the best point is a vertex its own gradient points to
    for _ in range(8):
        s = search.score(z)
        better = s > best_s
        best_z[better], best_s[better] = z[better], s[better]
        z_new = search.vertex(search.jacobians(z)[rows, cols])
        same = np.all(z_new == z, axis=1)
        fixed |= same & np.all(best_z == z, axis=1)
        if same.all():
            break
        z = z_new
    return best_z, best_s, fixed, first_vertex


def _try_corners(search: _ModelSearch, best_z, best_s, fixed, first_vertex) -> None:
    """Replace an end by the best positive-definite corner of the correlation box when better.

    The iteration can stop at a vertex that is only a local maximum (a t of a five-regressor
    model with n = 12 did). Every vertex of the model's correlation box, or a seeded sample of them when there are
    more than CORNER_LIMIT, is a further candidate: the best positive-definite one for each end
    (its means and SDs at the first vertex of that end) replaces the end when it is better.
    """
    k, origin, free, q, cols = search.n_pairs, search.origin, search.free, search.q, search.cols
    corners = _correlation_corners(search.lo_b, search.hi_b, k)
    if len(corners):
        u = np.broadcast_to(origin, (len(corners), len(origin))).copy()
        u[:, free[:k]] = corners[:, :k]
        corners = corners[np.linalg.eigvalsh(search.box.moments(u)[2])[:, 0] >= PD_FLOOR]
    if len(corners):
        with np.errstate(invalid="ignore"):
            s_corners = search.signs * search.values(corners)[:, cols]  # (corners, 2q)
        s_corners = np.where(np.isfinite(s_corners), s_corners, -np.inf)
        for r in np.flatnonzero(s_corners.max(axis=0) > best_s):
            z_corner = first_vertex[r].copy()
            z_corner[:k] = corners[np.argmax(s_corners[:, r]), :k]
            s_corner = search.score(np.repeat(z_corner[None], 2 * q, axis=0))[r]
            if s_corner > best_s[r]:
                best_z[r], best_s[r], fixed[r] = z_corner, s_corner, False


def _polish_end(search: _ModelSearch, r: int, best_z, best_s, fixed, first_vertex) -> float:
    """The value at end ``r``: L-BFGS-B within the box, then SLSQP when the end is not positive definite."""
    from scipy.optimize import minimize

    c, sg = search.cols[r], search.signs[r]
    nominal, scales, eye, step, nf = search.nominal, search.scales, search.eye, search.step, search.nf
    lo_b, hi_b = search.lo_b, search.hi_b

    def fun(zz, c=c, sg=sg):
        pts = np.concatenate([zz[None], zz[None] + eye])
        with np.errstate(invalid="ignore"):
            vals = search.values(pts)[:, c]
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
    end = search.values(z_end)[0, c]
    return _feasible_end(search, r, z_end, end, best_z, first_vertex)


def _feasible_end(search: _ModelSearch, r: int, z_end, end: float, best_z, first_vertex) -> float:
    """``end``, or, when its correlation matrix is not positive definite, the end recomputed by
    :func:`_extreme` under the constraint, free to move every printed correlation."""
    tb, box, model, origin, free = search.tb, search.box, search.model, search.origin, search.free
    m = len(box.pairs)
    u = origin.copy()
    u[free] = z_end
    if _min_eig_and_grad(box, u)[0] < PD_FLOOR:
        all_free = np.concatenate([np.arange(m), free[search.n_pairs :]])
        u_vertex = origin.copy()
        u_vertex[free] = first_vertex[r]
        u_best = origin.copy()  # the best point before the polish (a corner, say)
        u_best[free] = best_z[r]
        starts = [origin[all_free], u[all_free], u_vertex[all_free], u_best[all_free]]
        end = _extreme(
            lambda mom: _model_quantities(tb, model, *mom),
            box,
            all_free,
            search.cols[r],
            search.signs[r],
            True,
            starts,
        )
    return end


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
