"""Audit of published regression tables: do the printed numbers hang together?

The audit reads a directory of tables in the format of ``data/published/`` (documented below) and
checks every numeric claim against the others, in the spirit of statcheck (recompute p from the
reported statistic) and GRIM (is a number possible given how it was rounded). Every check returns a
:class:`Check` with the claim, the printed value, the recomputed value or range, a verdict
(``consistent``, ``inconsistent`` or ``undecidable``) and a one-line explanation.

Rounding is taken seriously: a number printed with d decimals stands for anything within half a
unit of its last digit. Where a recomputation depends on many printed inputs (a coefficient depends
on the means, standard deviations and all the correlations), the inputs are drawn uniformly within
their rounding intervals (Monte Carlo, seeded) and the range of the recomputed value over the draws,
widened by a small margin, is compared with the printed value's own interval.

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

import csv
import io
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .published import Printed, Tables, read_tables  # noqa: F401  (one reader, shared with check-data)
from .stats import STAR_LEVELS, correlation_pvalue, stars

CONSISTENT, INCONSISTENT, UNDECIDABLE = "consistent", "inconsistent", "undecidable"
DRAWS = 4000
SEED = 20240101
MARGIN = 0.05  # widen Monte Carlo ranges by 5 % of their width on each side


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
# Monte Carlo over rounding
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


def _draw_moments(tb: Tables, draws: int = DRAWS, seed: int = SEED):
    """Moments drawn uniformly within the rounding of every printed input; non-PD draws dropped."""
    rng = np.random.default_rng(seed)
    v = tb.variables
    k = len(v)
    means0, sds0, corr0 = _nominal_moments(tb)
    half_m = np.array([tb.table2[x]["mean"].half for x in v])
    half_s = np.array([tb.table2[x]["sd"].half for x in v])
    half_r = np.zeros((k, k))
    for (a, b), (r, _) in tb.table3.items():
        i, j = v.index(a), v.index(b)
        half_r[i, j] = half_r[j, i] = r.half
    means = means0 + rng.uniform(-1, 1, (draws, k)) * half_m
    sds = sds0 + rng.uniform(-1, 1, (draws, k)) * half_s
    noise = rng.uniform(-1, 1, (draws, k, k))
    noise = np.triu(noise, 1)
    noise = noise + np.transpose(noise, (0, 2, 1))
    corr = corr0 + noise * half_r
    pd_ok = np.linalg.eigvalsh(corr)[:, 0] > 0
    return means[pd_ok], sds[pd_ok], corr[pd_ok]


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
    return {"r2": r2, "f": fval, "slopes": slopes, "std": beta, "se": se, "intercept": intercept, "se_c": se_c, "vif": vif}


def _range(values: np.ndarray) -> tuple[float, float]:
    lo, hi = float(np.min(values)), float(np.max(values))
    pad = MARGIN * (hi - lo)
    return lo - pad, hi + pad


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
        f_of = lambda r: (r / k) / ((1 - r) / df)  # noqa: E731
        lo, hi = f_of(max(r2.low, 0)), f_of(min(r2.high, 1 - 1e-12))
        ok = _overlaps(f, lo, hi)
        out.append(Check("fit", f"{model}: F from R², n = {n}, k = {k}", f.text, _fmt_range(lo, hi, 2),
                         CONSISTENT if ok else INCONSISTENT,
                         f"F = (R²/k) / ((1-R²)/(n-k-1)) with the printed R² {r2.text} ± rounding" + ("" if ok else "; the printed F is outside")))
        if fit["p_value"] is not None:
            p = fit["p_value"]
            plo, phi = stats.f.sf(f.high, k, df), stats.f.sf(max(f.low, 0), k, df)
            ok = _overlaps(p, plo, phi)
            out.append(Check("fit", f"{model}: p-value of F({k}, {df})", p.text, _fmt_range(plo, phi),
                             CONSISTENT if ok else INCONSISTENT,
                             f"upper tail of the F({k}, {df}) distribution at the printed F {f.text} ± rounding"))
    return out


def _check_against_moments(tb: Tables, draws) -> list[Check]:
    out = []
    means, sds, corr = draws
    nominal = [x[None] for x in _nominal_moments(tb)]
    for model in tb.coefs:
        batch = _ols_batch(tb, model, means, sds, corr)
        point = _ols_batch(tb, model, *nominal)
        fit = tb.fit.get(model)
        if fit is not None:
            lo, hi = _range(batch["r2"])
            ok = _overlaps(fit["r2"], lo, hi)
            out.append(Check("tables 2-3", f"{model}: R² implied by Tables 2-3", fit["r2"].text, _fmt_range(lo, hi),
                             CONSISTENT if ok else INCONSISTENT,
                             f"point value {point['r2'][0]:.4f}; range over {len(batch['r2'])} draws within the rounding of Tables 2-3"))
        for j, term in enumerate(tb.regressors(model)):
            coef, se, _ = tb.coefs[model][term]
            lo, hi = _range(batch["slopes"][:, j])
            ok = _overlaps(coef, lo, hi)
            slo, shi = _range(batch["std"][:, j])
            std_ok = _overlaps(coef, slo, shi)
            if ok:
                why = f"point value {point['slopes'][0, j]:.4f}"
            elif std_ok:
                why = f"matches the standardized coefficient {_fmt_range(slo, shi, 3)} instead"
            else:
                why = f"neither the raw nor the standardized coefficient {_fmt_range(slo, shi, 3)}"
                if (point["slopes"][0, j] > 0) != (coef.value > 0):
                    why += "; opposite sign"
            out.append(Check("tables 2-3", f"{model}: coefficient of {term}", coef.text, _fmt_range(lo, hi), CONSISTENT if ok else INCONSISTENT, why))
            if se is None:  # a blank SE: not printed, nothing to compare
                out.append(Check("tables 2-3", f"{model}: standard error of {term}", "(not printed)", "—", UNDECIDABLE, "no standard error printed"))
                continue
            lo, hi = _range(batch["se"][:, j])
            ok = _overlaps(se, lo, hi)
            out.append(Check("tables 2-3", f"{model}: standard error of {term}", se.text, _fmt_range(lo, hi), CONSISTENT if ok else INCONSISTENT,
                             f"point value {point['se'][0, j]:.4f}"))
        if "_Cons" in tb.coefs[model]:
            coef, se, _ = tb.coefs[model]["_Cons"]
            lo, hi = _range(batch["intercept"])
            out.append(Check("tables 2-3", f"{model}: intercept", coef.text, _fmt_range(lo, hi),
                             CONSISTENT if _overlaps(coef, lo, hi) else INCONSISTENT, f"point value {point['intercept'][0]:.4f}"))
            lo, hi = _range(batch["se_c"])
            out.append(Check("tables 2-3", f"{model}: standard error of the intercept", se.text if se else "(not printed)", _fmt_range(lo, hi),
                             UNDECIDABLE if se is None else CONSISTENT if _overlaps(se, lo, hi) else INCONSISTENT, f"point value {point['se_c'][0]:.4f}"))
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
    return _Box(pairs, nom, half, (np.array(lo) - nom) / safe, (np.array(hi) - nom) / safe, len(v))


def _min_eig_and_grad(box: _Box, u: np.ndarray):
    _, _, corr = box.moments(u)
    w, vec = np.linalg.eigh(corr[0])
    v0 = vec[:, 0]
    grad = np.zeros(len(u))
    for k, (i, j) in enumerate(box.pairs):
        grad[k] = 2 * v0[i] * v0[j] * box.half[k]
    return float(w[0]), grad


def largest_min_eigenvalue(tables: Tables) -> float:
    """The largest smallest eigenvalue of any correlation matrix within the rounding of Table 3.

    Negative means no positive semi-definite matrix (hence no data set) agrees with the printed
    correlations; the smallest eigenvalue is concave in the entries, so a local maximum is global.
    """
    from scipy.optimize import minimize

    box = _box(tables)
    m = len(box.pairs)
    if m == 0:
        return 1.0

    def fun(z):
        u = np.concatenate([z, np.zeros(2 * box.p)])
        val, grad = _min_eig_and_grad(box, u)
        return -val, -grad[:m]

    best = -fun(np.zeros(m))[0]
    res = minimize(fun, np.zeros(m), jac=True, method="L-BFGS-B", bounds=list(zip(box.lower[:m], box.upper[:m])))
    best = max(best, -float(res.fun))
    # lambda_min is not smooth where eigenvalues cross: polish with SLSQP on the epigraph form
    z0 = np.append(res.x, -float(res.fun))

    def cons(z):
        u = np.concatenate([z[:m], np.zeros(2 * box.p)])
        val, _ = _min_eig_and_grad(box, u)
        return val - z[m]

    res2 = minimize(lambda z: -z[m], z0, method="SLSQP", constraints=[{"type": "ineq", "fun": cons}],
                    bounds=list(zip(box.lower[:m], box.upper[:m])) + [(None, None)], options={"maxiter": 200})
    u = np.concatenate([res2.x[:m], np.zeros(2 * box.p)])
    best = max(best, _min_eig_and_grad(box, u)[0])
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
    cols = [res["std"], se_std, t, res["vif"], res["intercept"][:, None], res["se_c"][:, None], res["r2"][:, None], res["f"][:, None]]
    return np.concatenate(cols, axis=1)


def _quantity_labels(tb: Tables, model: str) -> list[tuple[str, str]]:
    regs = tb.regressors(model)
    return ([(t, "std_coef") for t in regs] + [(t, "se_std") for t in regs] + [(t, "t") for t in regs]
            + [(t, "vif") for t in regs] + [("_Cons", "coef"), ("_Cons", "se"), ("", "r2"), ("", "f")])


def _extreme(evaluate, box: _Box, free: np.ndarray, column: int, sign: float, needs_pd: bool, starts) -> float:
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
    probe = np.concatenate([z_nom[None] + step * np.eye(m_free), z_nom[None] - step * np.eye(m_free)])
    g0 = (at(probe[:m_free]) - at(probe[m_free:])) / (2 * step)
    scale = float(np.sum(np.abs(g0))) or 1.0
    if not np.isfinite(scale) or not np.isfinite(base):
        scale = 1.0

    def fun(z):
        pts = np.concatenate([z[None], z[None] + step * np.eye(m_free), z[None] - step * np.eye(m_free)])
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
        z0 = np.clip(start(sign * np.sign(g0)), lo_b, hi_b) if callable(start) else np.clip(start, lo_b, hi_b)
        if not needs_pd or pd_margin(z0) >= 0:
            candidates.append(z0)
        kwargs = {"constraints": [{"type": "ineq", "fun": pd_margin, "jac": pd_grad}]} if needs_pd else {}
        res = minimize(fun, z0, jac=True, method="SLSQP", bounds=bounds, options={"maxiter": 200, "ftol": 1e-10}, **kwargs)
        z = np.clip(res.x, lo_b, hi_b)
        if not needs_pd or pd_margin(z) >= -1e-12:
            candidates.append(z)
    values = at(np.array(candidates))[:, ] if candidates else np.array([np.nan])
    values = values[np.isfinite(values)] if np.isfinite(values).any() else values
    return float(np.max(sign * values) * sign) if len(values) else float("nan")


def _half_matrix(box: _Box) -> np.ndarray:
    h = np.zeros((box.p, box.p))
    for k, (i, j) in enumerate(box.pairs):
        h[i, j] = h[j, i] = box.half[k]
    return h


def _ranges_optimized(tb: Tables) -> pd.DataFrame:
    box = _box(tb)
    v, m, p = tb.variables, len(box.pairs), box.p
    means0, sds0, corr0 = _nominal_moments(tb)
    feasible = largest_min_eigenvalue(tb) >= -PD_TOLERANCE
    # Perron: |E| <= H entrywise gives ||E|| <= rho(H); then every matrix in the box is PD.
    needs_pd = np.linalg.eigvalsh(corr0)[0] - np.linalg.eigvalsh(_half_matrix(box))[-1] <= PD_FLOOR
    starts = [np.zeros, lambda s: s]
    rows = []
    for model in tb.coefs:
        regs = tb.regressors(model)
        idx = [v.index(tb.dependent)] + [v.index(t) for t in regs]
        model_pairs = [k for k, (i, j) in enumerate(box.pairs) if i in idx and j in idx]
        pair_free = np.arange(m) if needs_pd else np.array(model_pairs, dtype=int)
        moment_free = np.concatenate([pair_free, m + np.array(idx), m + p + np.array(idx)])

        def evaluate(mom, model=model):
            return _model_quantities(tb, model, *mom)

        labels = _quantity_labels(tb, model)
        nominal = evaluate((means0[None], sds0[None], corr0[None]))[0]
        found = {}
        for c, (term, q) in enumerate(labels):
            if not feasible:
                found[term, q] = (np.nan, np.nan, nominal[c])
                continue
            free = moment_free if term == "_Cons" else pair_free
            ends = [_extreme(evaluate, box, free, c, s, needs_pd, [np.zeros(len(free)), lambda g: g]) for s in (-1.0, 1.0)]
            found[term, q] = (min(ends[0], nominal[c]), max(ends[1], nominal[c]), nominal[c])
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
                prods = np.outer([lo, hi], ratio)
                rows.append((model, term, q, float(np.min(prods)), float(np.max(prods)), float(nom * ratio0)))
            for q in ("t", "std_coef", "vif"):
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

    parts = [repr(sorted((v, tuple(p.text for p in row.values())) for v, row in tb.table2.items()))]
    parts.append(repr(sorted((k, r.text) for k, (r, _) in tb.table3.items())))
    parts.append(repr(sorted((m, t) for m in tb.coefs for t in tb.coefs[m])))
    parts.append(repr(tb.n))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def implied_ranges(tables: Tables) -> pd.DataFrame:
    """Every quantity Tables 2-3 imply for each model of Table 4, with its rounding range.

    One row per (model, term, quantity): ``coef``, ``se``, ``t``, ``std_coef`` and ``vif`` for each
    regressor; ``coef`` and ``se`` for the intercept (term ``_Cons``); ``r2`` and ``f`` for the model
    (term ``""``). ``nominal`` is the value at the printed moments; ``low`` and ``high`` the
    smallest and largest value over all positive-definite moment sets within the rounding of the
    printed Tables 2-3. The result is cached per printed content.
    """
    key = _fingerprint(tables)
    if key not in _RANGE_CACHE:
        _RANGE_CACHE[key] = _ranges_monte_carlo(tables)
    return _RANGE_CACHE[key].copy()


def _ranges_monte_carlo(tb: Tables) -> pd.DataFrame:
    means, sds, corr = _draw_moments(tb)
    nominal = [x[None] for x in _nominal_moments(tb)]
    rows = []
    for model in tb.coefs:
        k = len(tb.regressors(model))
        df = tb.n - k - 1
        batch = _ols_batch(tb, model, means, sds, corr)
        point = _ols_batch(tb, model, *nominal)
        for res in (batch, point):
            res["t"] = res["slopes"] / res["se"]
        def add(term, quantity, values, nominal_value):
            lo, hi = (float(np.min(values)), float(np.max(values))) if len(values) else (np.nan, np.nan)
            rows.append((model, term, quantity, lo, hi, float(nominal_value)))
        for j, term in enumerate(tb.regressors(model)):
            add(term, "coef", batch["slopes"][:, j], point["slopes"][0, j])
            add(term, "se", batch["se"][:, j], point["se"][0, j])
            add(term, "t", batch["t"][:, j], point["t"][0, j])
            add(term, "std_coef", batch["std"][:, j], point["std"][0, j])
            add(term, "vif", batch["vif"][:, j], point["vif"][0, j])
        add("_Cons", "coef", batch["intercept"], point["intercept"][0])
        add("_Cons", "se", batch["se_c"], point["se_c"][0])
        add("", "r2", batch["r2"], point["r2"][0])
        add("", "f", batch["f"], point["f"][0])
        del df
    return pd.DataFrame(rows, columns=RANGE_COLUMNS)


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
        crit = ", ".join(f"{mark} |t| > {stats.t.ppf(1 - lvl / 2, df):.2f}" for lvl, mark in STAR_LEVELS)
        for term, (coef, se, mark) in terms.items():
            if se is None or se.value == 0:
                out.append(Check("stars", f"{model}: stars of {term}", mark or "(none)", "—", UNDECIDABLE, "no standard error printed" if se is None else "printed standard error is zero"))
                continue
            t_lo = min(abs(coef.low), abs(coef.high)) / se.high if coef.low * coef.high > 0 else 0.0
            t_hi = max(abs(coef.low), abs(coef.high)) / max(se.low, 1e-300)
            t_mid = abs(coef.value) / se.value
            marks = _marks_between(_star_for_t(t_lo, df), _star_for_t(t_hi, df))
            if marks == {mark}:
                verdict = CONSISTENT
            elif mark in marks or _star_for_t(t_mid, df) == mark:
                verdict = UNDECIDABLE if len(marks) > 1 else CONSISTENT
            else:
                verdict = INCONSISTENT
            out.append(Check("stars", f"{model}: stars of {term}", mark or "(none)", f"|t| = {t_mid:.2f} → {_star_for_t(t_mid, df) or '(none)'}",
                             verdict, f"t = coef / se with {df} df; thresholds {crit}"))
    return out


def _check_correlation_stars(tb: Tables) -> list[Check]:
    out = []
    for (a, b), (r, mark) in tb.table3.items():
        p_lo = correlation_pvalue(max(abs(r.low), abs(r.high)), tb.n)
        p_hi = correlation_pvalue(min(abs(r.low), abs(r.high)) if r.low * r.high > 0 else 0.0, tb.n)
        marks = _marks_between(stars(p_lo), stars(p_hi))
        verdict = CONSISTENT if marks == {mark} else (UNDECIDABLE if mark in marks else INCONSISTENT)
        out.append(Check("table 3", f"stars of r({a}, {b})", f"{r.text}{mark}", f"p = {correlation_pvalue(r.value, tb.n):.4f} → {stars(correlation_pvalue(r.value, tb.n)) or '(none)'}",
                         verdict, f"two-sided t test of r with n - 2 = {tb.n - 2} df"))
    return out


def _check_table2_internal(tb: Tables) -> list[Check]:
    out = []
    n = tb.n
    for var, row in tb.table2.items():
        mean, sd, lo, hi = row["mean"], row["sd"], row["min"], row["max"]
        ok = lo.low <= mean.high and mean.low <= hi.high
        out.append(Check("table 2", f"{var}: min ≤ mean ≤ max", f"{lo.text} ≤ {mean.text} ≤ {hi.text}", "—", CONSISTENT if ok else INCONSISTENT, "a mean lies within the range"))
        # The largest possible sample sd for n values in [min, max] puts half at each end.
        bound = (hi.high - lo.low) / 2 * np.sqrt(n / (n - 1))
        ok = sd.low <= bound
        out.append(Check("table 2", f"{var}: sd possible given the range", sd.text, f"≤ {bound:.4f}", CONSISTENT if ok else INCONSISTENT,
                         f"maximum sample sd of {n} values within [min, max]"))
    _, _, corr = _nominal_moments(tb)
    smallest = float(np.linalg.eigvalsh(corr)[0])
    out.append(Check("table 3", "correlation matrix is positive definite", "Table 3", f"smallest eigenvalue {smallest:.5f}",
                     CONSISTENT if smallest > 0 else INCONSISTENT, "every correlation matrix of real data is positive semi-definite"))
    return out


def _check_claims(tb: Tables, draws) -> list[Check]:
    out = []
    claims = tb.claims
    if "vif_max" in claims or "vif_mean" in claims:
        means, sds, corr = draws
        summary = {}
        for model in tb.coefs:
            vif = _ols_batch(tb, model, means, sds, corr)["vif"]
            summary[model] = (vif.max(axis=1), vif.mean(axis=1))
        if claims.get("vif_max"):
            bound = float(claims["vif_max"])
            holding = [m for m, (mx, _) in summary.items() if mx.max() < bound]
            text = "; ".join(f"{m}: max {np.median(mx):.1f}" for m, (mx, _) in summary.items())
            out.append(Check("text", f"every VIF is below {claims['vif_max']}", claims["vif_max"], text,
                             CONSISTENT if len(holding) == len(summary) else INCONSISTENT,
                             f"holds for {', '.join(holding) or 'no model'} only" if len(holding) < len(summary) else "holds for every model"))
        if claims.get("vif_mean"):
            target = Printed(claims["vif_mean"])
            matching = [m for m, (_, mean) in summary.items() if _overlaps(target, *_range(mean))]
            text = "; ".join(f"{m}: mean {np.median(mean):.2f}" for m, (_, mean) in summary.items())
            out.append(Check("text", f"mean VIF is {claims['vif_mean']}", claims["vif_mean"], text,
                             CONSISTENT if matching else INCONSISTENT,
                             f"matches {', '.join(matching)}" if matching else "no model's mean VIF is within rounding of the claim"))
    if "var2_not_significant" in claims:
        dep = tb.dependent
        key = ("Var2", dep) if ("Var2", dep) in tb.table3 else (dep, "Var2")
        if key in tb.table3:
            r = tb.table3[key][0]
            p = correlation_pvalue(r.value, tb.n)
            ok = r.value < 0 and p >= 0.10
            out.append(Check("text", "Var2 is negatively but not significantly correlated with the outcome", r.text, f"p = {p:.3f}",
                             CONSISTENT if ok else INCONSISTENT, "sign and two-sided t test of the printed correlation"))
    if "all_models_significant" in claims:
        ps = {m: f["p_value"] for m, f in tb.fit.items() if f["p_value"] is not None}
        worst = max(ps.values(), key=lambda p: p.value)
        at5 = all(p.value < 0.05 for p in ps.values())
        at10 = all(p.value < 0.10 for p in ps.values())
        out.append(Check("text", "all models pass the significance test", ", ".join(f"{m}: {p.text}" for m, p in ps.items()),
                         f"largest p = {worst.text}", CONSISTENT if at5 else (UNDECIDABLE if at10 else INCONSISTENT),
                         "holds at 5 %" if at5 else ("holds at 10 % only; the level is not stated" if at10 else "a model is not significant at 10 %")))
    return out


def check_official(tb: Tables, official: pd.DataFrame, approximate: tuple[str, ...] = ()) -> list[Check]:
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
        values = {"mean": series.mean(), "sd": series.std(ddof=1), "min": series.min(), "max": series.max()}
        for stat, value in values.items():
            printed = tb.table2[var][stat]
            if not complete:
                out.append(Check("official", f"{var}: {stat} equals the official series", printed.text, f"{value:.4f} (n = {series.notna().sum()})",
                                 UNDECIDABLE, f"official data cover {series.notna().sum()} of {len(series)} units"))
                continue
            ok = printed.low - 1e-9 <= value <= printed.high + 1e-9
            gap = f"off by {100 * (value - printed.value) / abs(printed.value):+.1f} %"
            if ok:
                verdict, why = CONSISTENT, "within rounding"
            elif var in approximate:
                verdict, why = UNDECIDABLE, f"{gap}, but our series only approximates the official definition"
            else:
                verdict, why = INCONSISTENT, gap
            out.append(Check("official", f"{var}: {stat} equals the official series", printed.text, f"{value:.4f}", verdict, why))
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
                out.append(Check("official", f"r({key[0]}, {key[1]}) from official rows", r.text, f"{value:.3f} (n = {len(pair)})", UNDECIDABLE,
                                 f"official data cover {len(pair)} of {len(official)} units"))
                continue
            ok = r.low - 1e-9 <= value <= r.high + 1e-9
            near = abs(value - r.value) < 0.05
            if ok:
                verdict, why = CONSISTENT, "official rows kept in order reproduce the printed correlation"
            elif near and (a in approximate or b in approximate):
                verdict, why = UNDECIDABLE, "close, but one series only approximates the official definition"
            else:
                verdict, why = INCONSISTENT, "official rows give a different correlation"
            out.append(Check("official", f"r({key[0]}, {key[1]}) from official rows", r.text, f"{value:.3f}", verdict, why))
    return out


def run(directory: Path | str, official: pd.DataFrame | None = None, draws: int = DRAWS, seed: int = SEED,
        approximate: tuple[str, ...] = ()) -> pd.DataFrame:
    """Run every check on a published-tables directory; returns one row per check.

    With ``official`` (see :func:`check_official`) Table 2 and Table 3 are also compared with
    official series.
    """
    tb = read_tables(directory)
    moment_draws = _draw_moments(tb, draws, seed)
    checks = (
        _check_table2_internal(tb)
        + _check_correlation_stars(tb)
        + _check_fit(tb)
        + _check_against_moments(tb, moment_draws)
        + _check_stars(tb)
        + _check_claims(tb, moment_draws)
    )
    if official is not None:
        checks += check_official(tb, official, approximate)
    return pd.DataFrame([asdict(c) for c in checks])


#: Paper variables whose official counterpart we can only approximate (GDP per head: year-end population).
APPROXIMATE = ("Var8",)


def official_for_paper(ds) -> pd.DataFrame:
    """The official series of this book's paper, as columns named by paper id (western rows)."""
    from .variables import OFFICIAL_PAPER_IDS, official_variables

    frame = official_variables(ds)
    return pd.DataFrame({pid: frame[ds.names[pid]].to_numpy() for pid in OFFICIAL_PAPER_IDS})


def summary(result: pd.DataFrame) -> dict:
    """Verdict counts, overall and by category."""
    return {
        "total": int(len(result)),
        "verdicts": {k: int(v) for k, v in result.verdict.value_counts().items()},
        "by_category": {c: {k: int(v) for k, v in g.verdict.value_counts().items()} for c, g in result.groupby("category")},
    }


# ---------------------------------------------------------------------------------------------
# Worked example: true tables computed from a public dataset and rounded like a paper
# ---------------------------------------------------------------------------------------------


def write_example_tables(frame: pd.DataFrame, dependent: str, model_terms: dict[str, list[str]], directory: Path | str,
                         decimals: dict | None = None) -> Path:
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
        rows.append(",".join([v] + [f"{x:.{dec['desc']}f}" for x in (s.mean(), s.std(ddof=1), s.min(), s.max())]))
    (d / "table2_descriptives.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    corr = frame[variables].corr()
    rows = ["row,col,r,stars"]
    for i, a in enumerate(variables):
        for b in variables[:i]:
            r = corr.loc[a, b]
            rows.append(f"{a},{b},{r:.{dec['r']}f},{stars(correlation_pvalue(r, n))}")
    (d / "table3_correlations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    coef_rows, fit_rows = ["model,term,coef,se,stars,note"], ["model,n,f,r2,p_value,note"]
    for model, terms in model_terms.items():
        res = sm.OLS(frame[dependent], sm.add_constant(frame[terms])).fit()
        for term in terms + ["const"]:
            name = "_Cons" if term == "const" else term
            coef_rows.append(f"{model},{name},{res.params[term]:.{dec['coef']}f},{res.bse[term]:.{dec['coef']}f},{stars(res.pvalues[term])},")
        fit_rows.append(f"{model},{n},{res.fvalue:.{dec['f']}f},{res.rsquared:.{dec['r2']}f},{res.f_pvalue:.{dec['p']}f},")
    (d / "table4_coefficients.csv").write_text("\n".join(coef_rows) + "\n", encoding="utf-8")
    (d / "table4_fit.csv").write_text("\n".join(fit_rows) + "\n", encoding="utf-8")
    return d
