"""Which units reproduce the printed coefficients? A search over per-variable scalings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import ranges as _ranges
from .moments import _nominal_moments, _ols_batch
from .optimize import _Box, _box
from .published import Printed, Tables
from .verdicts import NO_PD, SINGULAR, _interval_product, _overlaps, _range_of

# ---------------------------------------------------------------------------------------------
# Which units reproduce the printed coefficients? A search over per-variable scalings
# ---------------------------------------------------------------------------------------------


#: Prior weight of each unit a variable may have been used in, and the units the search tries
#: (``scalings="prior"``, the default): raw and z-scored (standardized coefficients) first, then
#: percent <-> share (x 100), then thousands, ten-thousands and millions (x 10^3, 10^4, 10^6, and
#: the inverse factors), and last x 10 and / 10, which no common unit gives. Factors 10^5 are not
#: tried. Among assignments that reproduce equally many printed numbers, the one with the larger
#: product of weights wins. ``python -m tableaudit.falsematch`` measures how often an assignment
#: "explains" numbers that are not a unit change (chapters/unit-false-match.json).
PRIOR = {
    "raw": 1.0,
    "z-scored": 1.0,
    "×100": 0.5,
    "/100": 0.5,
    "×10^3": 0.2,
    "×10^-3": 0.2,
    "×10^4": 0.2,
    "×10^-4": 0.2,
    "×10^6": 0.2,
    "×10^-6": 0.2,
    "×10": 0.05,
    "/10": 0.05,
}


def _scalings(which: str = "all") -> list[tuple[str, str, int]]:
    """Candidate units of a variable: (label, kind, power); x' = x * 10**power or (x - mean) / sd.

    ``which="all"``: raw, z-scored and every 10**k for k = -6..6 (15 units); ``"prior"``: the
    units of :data:`PRIOR` only.
    """
    out = [("raw", "raw", 0), ("z-scored", "z", 0)]
    for k in (-6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6):
        label = {1: "×10", -1: "/10", 2: "×100", -2: "/100"}.get(k, f"×10^{k}")
        out.append((label, "pow", k))
    if which == "prior":
        return [o for o in out if o[0] in PRIOR]
    if which != "all":
        raise ValueError(f"unknown set of scalings {which!r}: 'prior' or 'all'")
    return out


def scaling_factor(label: str) -> float | None:
    """The factor a unit label of :func:`unit_assignments` multiplies a variable by (None: z-scored)."""
    for name, kind, power in _scalings("all"):
        if name == label:
            return None if kind == "z" else 10.0**power
    raise ValueError(f"unknown unit label {label!r}")


def prior_weight(assignment: dict) -> float:
    """The prior weight of an assignment: the product of :data:`PRIOR` over its variables
    (a unit outside :data:`PRIOR` weighs 0.01)."""
    return float(np.prod([PRIOR.get(label, 0.01) for label in assignment.values()]))


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


class _Frozen:
    """A printed number with its value and rounding interval computed once (the search reads them
    thousands of times)."""

    __slots__ = ("half", "high", "low", "text", "value")

    def __init__(self, printed: Printed):
        self.text, self.value, self.half = printed.text, printed.value, printed.half
        self.low, self.high = printed.low, printed.high


def _frozen(printed: Printed | None) -> _Frozen | None:
    return None if printed is None else _Frozen(printed)


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


def unit_assignments(
    tables: Tables,
    keep: int = 3,
    finalists: int = 8,
    scalings: str = "prior",
    identity: bool = True,
    models: list[str] | None = None,
    prior: bool = True,
) -> list[dict]:
    """Per model (every model, or those named in ``models``), the per-variable units that best reproduce the printed coefficients, SEs and intercept.

    Each variable (the outcome included) may be raw, z-scored or multiplied by a power of 10
    (``scalings="prior"``: the units of :data:`PRIOR`; ``"all"``: every 10**k, k = -6..6).
    Slopes and SEs in the chosen units have exact rounding ranges (standardized ranges times the
    ranges of the standard deviations); the intercept and its SE a first-order range. With
    ``identity`` (the default), the OLS identity intercept = mean(y) - sum b_j mean(x_j), applied
    to the *printed* slopes and Table 2's means in the chosen units
    (:func:`tableaudit.checks.intercept_identity`), is one more piece of evidence: it counts as one
    reproduced number when it contains the printed intercept, as printed or with the sign of the
    slopes reversed that fit only with the opposite sign (a lost minus sign).

    For every outcome scaling, each regressor's ``keep`` best scalings (2 beyond four regressors)
    (by its coefficient and SE) are combined; the ``finalists`` best combinations (slopes, SEs,
    the identity and the intercept at the printed moments) get the intercept's range, and the one
    that reproduces most printed numbers wins, then the one with the larger prior weight
    (:func:`prior_weight`), then the one with the smallest largest relative mismatch. Returns one
    dict per model: ``model``, ``assignment`` (variable -> label), ``numbers`` (term, quantity,
    printed, reproduced, low, high, within, mismatch), ``reproduced``, ``total``, ``works``
    (every printed number within its range), ``residual`` (largest relative mismatch among
    numbers outside their range), ``identity`` (the identity as printed: printed, nominal, low,
    high, within), ``sign_flip`` (None, or the slopes whose reversed sign makes the identity hold,
    ``terms``, with the identity so computed), ``explained_by`` (``"units"`` when every number and
    the identity fit, ``"units and a lost sign"`` when the only misfits are slopes whose reversed
    sign fits and makes the identity hold, else None) and ``prior`` (its prior weight).
    ``prior=False`` ranks without the prior weights (ties go to the smallest mismatch), and with
    ``scalings="all"`` and ``identity=False`` the search is that of the second edition.
    """
    ranges = _ranges._all_ranges(tables)
    out = []
    for model in tables.coefs if models is None else models:
        regs = tables.regressors(model)
        if not regs or not np.isfinite(
            _range_of(ranges, model, regs[0], "std_coef")[0]
        ):
            out.append(_unassignable(ranges, model, regs))
            continue
        candidates = _candidates(
            tables, ranges, model, keep, scalings, identity, prior
        )
        out.append(_best_of(tables, model, candidates[:finalists], identity, prior))
    return out


def _unassignable(ranges: pd.DataFrame, model: str, regs: list[str]) -> dict:
    """The answer for a model whose standardized ranges are unknown (no PD matrix, or singular)."""
    blocked = (
        _range_of(ranges, model, regs[0], "std_coef")[0] if regs else np.nan
    )
    return {
        "model": model,
        "assignment": None,
        "numbers": [],
        "reproduced": 0,
        "total": 0,
        "works": False,
        "residual": None,
        "identity": None,
        "sign_flip": None,
        "explained_by": None,
        "prior": None,
        "note": NO_PD if np.isnan(blocked) else SINGULAR,
    }


def _term_scalings(
    tables: Tables,
    model: str,
    term: str,
    fy,
    fy0: float,
    implied: dict,
    options: list[tuple[str, str, int]],
    prior: bool = True,
) -> list[tuple]:
    """Every unit of one regressor, scored by its printed coefficient and SE (best first).

    ``implied`` holds the (low, high, nominal) standardized coefficient and SE of the term. Each
    entry is ``(within, worst, label, kind, numbers)``: how many of the two printed numbers lie
    within their range, the largest relative mismatch, and the numbers themselves.
    """
    sd_iv = (tables.table2[term]["sd"].low, tables.table2[term]["sd"].high)
    sd0 = tables.table2[term]["sd"].value
    coef, se, _ = tables.coefs[model][term]
    coef, se = _frozen(coef), _frozen(se)
    bl, bh, b0 = implied["std_coef"]
    sl, sh, s0 = implied["se_std"]
    scored = []
    for label_x, kx, px in options:
        fx = _factor(kx, px, sd_iv, False)
        fx0 = 1.0 if kx == "z" else 1.0 / (sd0 * 10.0**px)
        f_iv = _interval_product(fy, fx)
        nums = [
            (term, "coef", coef, b0 * fy0 * fx0, _interval_product((bl, bh), f_iv)),
            (term, "se", se, s0 * fy0 * fx0, _interval_product((sl, sh), f_iv)),
        ]
        within = sum(
            1 for *_, pr, _, iv in nums if pr is not None and _overlaps(pr, *iv)
        )
        worst = max(
            (_mismatch(pr, val) for *_, pr, val, _ in nums if pr is not None),
            default=0.0,
        )
        scored.append((within, worst, label_x, kx, nums))
    weight = (lambda label: PRIOR.get(label, 0.01)) if prior else (lambda label: 1.0)
    scored.sort(key=lambda z: (-z[0], -weight(z[2]), z[1]))
    return scored


def _mirrored(printed: Printed | None, iv: tuple[float, float]) -> bool:
    """The printed number with the opposite sign lies within ``iv``."""
    return printed is not None and -printed.high <= iv[1] and iv[0] <= -printed.low


def _identity_evidence(
    tables: Tables,
    model: str,
    factors: dict,
    numbers: list[tuple],
    cache: dict | None = None,
) -> tuple[int, dict | None, dict | None]:
    """The intercept identity in the chosen units: (1 if it holds as printed or with a lost sign,
    the identity as printed, the sign flip that makes it hold or None). ``cache`` keeps the
    identity's terms between calls for the same model."""
    from .checks import _identity_from_parts, _identity_part

    terms = tables.coefs[model]
    if "_Cons" not in terms:
        return 0, None, None
    cache = {} if cache is None else cache
    regs = tables.regressors(model)

    def part(var, flip=False):
        f = factors.get(var, 1.0)
        key = (var, f, flip)
        if key not in cache:
            coef = None if var == tables.dependent else terms[var][0]
            cache[key] = _identity_part(tables, var, f, coef, flip)
        return cache[key]

    def identity(flip=()):
        parts = [part(tables.dependent)] + [part(t, t in flip) for t in regs]
        return _identity_from_parts(terms["_Cons"][0], parts, len(regs))

    ident = identity()
    if ident["within"]:
        return 1, ident, None
    lost = tuple(
        t
        for t, q, pr, _, iv in numbers
        if q == "coef"
        and t != "_Cons"
        and pr is not None
        and not _overlaps(pr, *iv)
        and _mirrored(pr, iv)
    )
    if not lost:
        return 0, ident, None
    flipped = identity(lost)
    if not flipped["within"]:
        return 0, ident, None
    return 1, ident, {"terms": list(lost), **flipped}


def _factors(choice: dict) -> dict:
    """Variable -> factor (None: z-scored) from variable -> (kind, power)."""
    return {v: None if k == "z" else 10.0**p for v, (k, p) in choice.items()}


def _candidates(
    tables: Tables,
    ranges: pd.DataFrame,
    model: str,
    keep: int,
    scalings: str = "prior",
    identity: bool = True,
    prior: bool = True,
) -> list[tuple]:
    """Combinations of units, ranked by slopes, SEs, the identity and the intercept at the
    printed moments.

    For every unit of the outcome, the ``keep`` best units of each regressor (2 beyond four
    regressors) are combined; each combination is
    ``(-within, -prior, worst, label_y, kind_y, power_y, combo)``.
    """
    import itertools

    v = tables.variables
    dep = tables.dependent
    options = _scalings(scalings)
    sd_dep = (tables.table2[dep]["sd"].low, tables.table2[dep]["sd"].high)
    means0, sds0, corr0 = _nominal_moments(tables)
    regs = tables.regressors(model)
    cons = [_frozen(x) for x in tables.coefs[model].get("_Cons", (None, None))[:2]]
    with np.errstate(all="ignore"):
        res0 = _ols_batch(tables, model, means0[None], sds0[None], corr0[None])
    slopes0, s2_0, cov0 = res0["slopes"][0], float(res0["s2"][0]), res0["cov_b"][0]
    mean_x = np.array([means0[v.index(t)] for t in regs])
    implied = {
        t: {q: _range_of(ranges, model, t, q) for q in ("std_coef", "se_std")}
        for t in regs
    }
    candidates = []
    cache: dict = {}
    for label_y, ky, py in options:
        fy = _factor(ky, py, sd_dep, True)
        fy0 = 1.0 if ky == "z" else sds0[v.index(dep)] * 10.0**py
        per_term = [
            _term_scalings(
                tables, model, term, fy, fy0, implied[term], options, prior
            )[
                : keep if len(regs) <= 4 else 2
            ]
            for term in regs
        ]
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
            within = sum(c[0] for c in combo)
            if identity:
                choice = {dep: (ky, py)} | {
                    t: (c[3], _power(c[2])) for t, c in zip(regs, combo)
                }
                numbers = [n for c in combo for n in c[4]]
                within += _identity_evidence(
                    tables, model, _factors(choice), numbers, cache
                )[0]
            weight = (
                PRIOR.get(label_y, 0.01)
                * float(np.prod([PRIOR.get(c[2], 0.01) for c in combo]))
                if prior
                else 1.0
            )
            candidates.append((-within, -weight, worst, label_y, ky, py, combo))
    candidates.sort(key=lambda z: z[:3])
    return candidates


_POWERS = {label: power for label, _, power in _scalings("all")}


def _power(label: str) -> int:
    return _POWERS[label]


def _best_of(
    tables: Tables,
    model: str,
    finalists: list[tuple],
    identity: bool = True,
    prior: bool = True,
) -> dict:
    """The finalist that reproduces most printed numbers (the intercept with its exact range,
    the identity), then with the larger prior weight, then with the smallest largest relative
    mismatch."""
    box = _box(tables)
    dep = tables.dependent
    regs = tables.regressors(model)
    terms = tables.coefs[model]
    cons = terms.get("_Cons", (None, None, ""))
    best = None
    cache: dict = {}
    for _, _, _, label_y, ky, py, combo in finalists:
        choice = {dep: (ky, py)} | {
            t: (c[3], 0 if c[3] != "pow" else _power(c[2])) for t, c in zip(regs, combo)
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
        evidence, ident, flip = _identity_evidence(
            tables, model, _factors(choice), numbers, cache
        )
        printed_rows = [r for r in rows if r["printed"] is not None]
        within = sum(r["within"] for r in printed_rows)
        outside = [r["mismatch"] for r in printed_rows if not r["within"]]
        worst = max((r["mismatch"] for r in printed_rows), default=0.0)
        assignment = {dep: label_y} | {t: c[2] for t, c in zip(regs, combo)}
        weight = prior_weight(assignment)
        key = (-(within + (evidence if identity else 0)), -weight if prior else 0.0, worst)
        if best is None or key < best[0]:
            misfits = {
                (r["term"], r["quantity"]) for r in printed_rows if not r["within"]
            }
            if not misfits and ident is not None and ident["within"]:
                explained = "units"
            elif flip and misfits == {(t, "coef") for t in flip["terms"]}:
                explained = "units and a lost sign"
            else:
                explained = None
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
                    "identity": ident,
                    "sign_flip": flip,
                    "explained_by": explained,
                    "prior": weight,
                },
            )
    return best[1]
