"""The checks of one table set: fit, coefficients against moments, stars, Table 2, claims."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .moments import _nominal_moments
from .optimize import PD_TOLERANCE, largest_min_eigenvalue
from .parentheses import printed_t
from .published import Printed, Tables
from .significance import DEFAULT_STARS, StarRule, correlation_pvalue, stars
from .verdicts import (
    CONSISTENT,
    INCONSISTENT,
    NO_PD,
    SINGULAR,
    UNDECIDABLE,
    Check,
    _fmt_end,
    _fmt_range,
    _interval_product,
    _overlaps,
    _range_of,
)

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
            if tb.conventions.parentheses != "se":
                continue  # a t or p in parentheses: tableaudit.parentheses checks it
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
            if tb.conventions.parentheses != "se":
                continue
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


_STAR_ORDER = ["", "*", "**", "***"]


def _marks_between(a: str, b: str) -> set[str]:
    """Every star level from ``a`` to ``b``: stars grow monotonically with |t| (or with |r|)."""
    i, j = sorted((_STAR_ORDER.index(a), _STAR_ORDER.index(b)))
    return set(_STAR_ORDER[i : j + 1])


def _star_for_t(t: float, df: int, rule: StarRule = DEFAULT_STARS) -> str:
    return rule.mark_for_t(t, df)


def _check_stars(tb: Tables) -> list[Check]:
    out = []
    rule = tb.conventions.stars
    kind = tb.conventions.parentheses
    for model, terms in tb.coefs.items():
        df = tb.n - len(tb.regressors(model)) - 1
        crit = ", ".join(f"{mark} |t| > {c:.2f}" for mark, c in rule.critical_t(df))
        for term, (coef, se, mark) in terms.items():
            stat = se if kind == "se" else tb.parenthesized.get(model, {}).get(term)
            what = {"se": "standard error", "t": "t statistic", "p": "p-value"}[kind]
            why_not = (
                f"the {what} is not printed"
                if stat is None
                else "no residual degrees of freedom"
                if df <= 0
                else "printed standard error is zero"
                if kind == "se" and se.value == 0
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
            t_nom, t_low, t_high = printed_t(tb, model, term)
            t_lo = min(abs(t_low), abs(t_high)) if t_low * t_high > 0 else 0.0
            t_hi = max(abs(t_low), abs(t_high))
            t_mid = abs(t_nom)
            marks = _marks_between(_star_for_t(t_lo, df, rule), _star_for_t(t_hi, df, rule))
            if marks == {mark}:
                verdict = CONSISTENT
            elif mark in marks or _star_for_t(t_mid, df, rule) == mark:
                verdict = UNDECIDABLE if len(marks) > 1 else CONSISTENT
            else:
                verdict = INCONSISTENT
            out.append(
                Check(
                    "stars",
                    f"{model}: stars of {term}",
                    mark or "(none)",
                    f"|t| = {t_mid:.2f} → {_star_for_t(t_mid, df, rule) or '(none)'}",
                    verdict,
                    f"{_t_source(kind)} with {df} df; {_thresholds(rule)}{crit}",
                )
            )
    return out


def _t_source(kind: str) -> str:
    return {"se": "t = coef / se", "t": "t as printed", "p": "|t| of the printed p-value"}[kind]


def _thresholds(rule: StarRule) -> str:
    """'thresholds ' for the default stars; their levels and test otherwise."""
    if rule == DEFAULT_STARS:
        return "thresholds "
    return f"stars at {rule.describe()}: "


def _check_correlation_stars(tb: Tables) -> list[Check]:
    out = []
    rule = tb.conventions.stars
    for (a, b), (r, mark) in tb.table3.items():
        p_lo = correlation_pvalue(max(abs(r.low), abs(r.high)), tb.n)
        p_hi = correlation_pvalue(
            min(abs(r.low), abs(r.high)) if r.low * r.high > 0 else 0.0, tb.n
        )
        marks = _marks_between(stars(p_lo, rule), stars(p_hi, rule))
        verdict = (
            CONSISTENT
            if marks == {mark}
            else (UNDECIDABLE if mark in marks else INCONSISTENT)
        )
        p = correlation_pvalue(r.value, tb.n)
        shown = p / 2 if rule.one_sided else p
        levels = "" if rule == DEFAULT_STARS else f"; stars at {rule.describe()}"
        out.append(
            Check(
                "table 3",
                f"stars of r({a}, {b})",
                f"{r.text}{mark}",
                f"p = {shown:.4f} → {stars(p, rule) or '(none)'}",
                verdict,
                f"{rule.test} t test of r with n - 2 = {tb.n - 2} df{levels}",
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
                f"≤ {_fmt_end(bound, 4, up=True)}",
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


def _check_vif_max(claims: dict, vif: pd.DataFrame) -> list[Check]:
    """The claim that every VIF is below a bound, for the largest VIF of each model."""
    if not claims.get("vif_max") or vif.empty:
        return []
    bound = float(claims["vif_max"])
    per_model = vif.groupby("model", sort=False).agg(
        low=("low", "max"), high=("high", "max"), nominal=("nominal", "max")
    )
    def digits(r) -> int:  # a VIF near 1 needs three decimals to say anything
        return 3 if r.high < 2 else 1 if r.high < 100 else 0

    text = "; ".join(
        f"{m}: largest {r.nominal:.{digits(r)}f} {_fmt_range(r.low, r.high, digits(r))}"
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
    return [
        Check(
            "text",
            f"every VIF is below {claims['vif_max']}",
            claims["vif_max"],
            text,
            verdict,
            why + "; largest VIF of each model, at the printed moments and over the rounding",
        )
    ]


def _check_vif_mean(claims: dict, vif: pd.DataFrame) -> list[Check]:
    """The claim of a mean VIF: does some model's mean VIF lie within rounding of it?"""
    if not claims.get("vif_mean") or vif.empty:
        return []
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
    return [
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
    ]


def _check_all_significant(tb: Tables) -> list[Check]:
    """The claim that every model passes its F test, against the printed p-values."""
    if "all_models_significant" not in tb.claims:
        return []
    ps = {m: f["p_value"] for m, f in tb.fit.items() if f["p_value"] is not None}
    if not ps:
        return []
    worst = max(ps.values(), key=lambda p: p.high)
    at5 = all(p.high < 0.05 for p in ps.values())
    at10 = all(p.high < 0.10 for p in ps.values())
    return [
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
    ]


#: Claim ids of ``text_claims.csv`` that the audit checks in any paper.
CLAIM_IDS = ("vif_max", "vif_mean", "all_models_significant")


def _check_claims(tb: Tables, ranges: pd.DataFrame, extra: dict | None = None) -> list[Check]:
    """The claims of the text, in the order of ``text_claims.csv``: VIF bound and mean, overall F.

    ``extra`` maps a study's own claim ids to functions ``(tables, ranges) -> list[Check]``
    (a paper's particular sentences belong to the study, not to the audit); other ids are ignored.
    """
    vif = ranges[ranges.quantity == "vif"]
    known = {
        "vif_max": lambda: _check_vif_max(tb.claims, vif),
        "vif_mean": lambda: _check_vif_mean(tb.claims, vif),
        "all_models_significant": lambda: _check_all_significant(tb),
    }
    out: list[Check] = []
    for claim_id in tb.claims:
        if claim_id in known:
            out += known[claim_id]()
        elif extra and claim_id in extra:
            out += extra[claim_id](tb, ranges)
    return out


# ---------------------------------------------------------------------------------------------
# The intercept identity: intercept = mean(y) - sum_j b_j mean(x_j), from the printed slopes
# ---------------------------------------------------------------------------------------------


def intercept_identity(
    tb: Tables,
    model: str,
    factors: dict | None = None,
    flip: tuple[str, ...] = (),
) -> dict | None:
    """The intercept the OLS identity gives from the printed slopes and Table 2's printed means.

    In OLS with an intercept, ``intercept = mean(y) - sum_j b_j mean(x_j)`` holds exactly for the
    unrounded estimates and means. With every printed slope and mean anywhere within its rounding
    interval, interval arithmetic gives an interval that contains the true intercept whenever the
    printed numbers are correctly rounded; its ends are widened outward by a bound on the
    floating-point error. ``factors`` maps a variable to the factor its units multiply it by
    (``None``: z-scored, so that its mean is 0); a variable not named keeps Table 2's units.
    ``flip`` names slopes whose printed sign is reversed (a lost minus sign).

    Returns ``None`` when the model has no printed intercept, else a dict with ``printed`` (the
    intercept as printed), ``nominal`` (the identity at the printed values), ``low``, ``high`` and
    ``within`` (the printed intercept's rounding interval meets [low, high]).
    """
    factors = factors or {}
    terms = tb.coefs[model]
    if "_Cons" not in terms:
        return None
    cons = terms["_Cons"][0]
    regs = tb.regressors(model)
    parts = [_identity_part(tb, tb.dependent, factors.get(tb.dependent, 1.0))]
    parts += [
        _identity_part(tb, t, factors.get(t, 1.0), terms[t][0], t in flip) for t in regs
    ]
    return _identity_from_parts(cons, parts, len(regs))


def _identity_part(
    tb: Tables,
    var: str,
    factor: float | None,
    coef: Printed | None = None,
    flip: bool = False,
) -> tuple[float, float, float, float]:
    """One term of the identity, as (low, high, nominal, magnitude): the outcome's mean (``coef``
    None) or minus a slope times its regressor's mean, in units multiplied by ``factor`` (None:
    z-scored, mean 0)."""
    m = tb.table2[var]["mean"]
    if factor is None:
        m_lo = m_hi = m0 = 0.0
    else:
        m_lo, m_hi = sorted((m.low * factor, m.high * factor))
        m0 = m.value * factor
    if coef is None:
        return m_lo, m_hi, m0, max(abs(m_lo), abs(m_hi))
    b = (-coef.high, -coef.low) if flip else (coef.low, coef.high)
    b0 = -coef.value if flip else coef.value
    p_lo, p_hi = _interval_product(b, (m_lo, m_hi))
    return -p_hi, -p_lo, -b0 * m0, max(abs(p_lo), abs(p_hi))


def _identity_from_parts(cons: Printed, parts: list[tuple], k: int) -> dict:
    """The identity's interval from its terms (see :func:`_identity_part`), widened outward by a
    bound on the floating-point error, against the printed intercept ``cons``."""
    lo = sum(p[0] for p in parts)
    hi = sum(p[1] for p in parts)
    nominal = sum(p[2] for p in parts)
    magnitude = sum(p[3] for p in parts)
    # outward: a few units of round-off per operation, relative to the largest terms
    slack = 64 * np.finfo(float).eps * magnitude * (k + 1)
    lo, hi = lo - slack, hi + slack
    return {
        "printed": cons.text,
        "nominal": float(nominal),
        "low": float(lo),
        "high": float(hi),
        "within": bool(_overlaps(cons, lo, hi)),
    }


def _outward_range(lo: float, hi: float, digits: int) -> str:
    """``[lo, hi]`` with its ends rounded outward to ``digits`` decimals (never inward)."""
    scale = 10.0**digits
    low = np.floor(round(lo * scale, 6)) / scale
    high = np.ceil(round(hi * scale, 6)) / scale
    return _fmt_range(low, high, digits)


def _identity_digits(printed: Printed) -> int:
    """Decimals of a printed number (for showing a range at its precision, plus one)."""
    return max(0, -int(np.floor(np.log10(2 * printed.half)))) + 1


def _check_intercept_identity(tb: Tables, units: list[dict] | None = None) -> list[Check]:
    """The printed intercept against the printed slopes and means (OLS identity), per model.

    The identity is applied in Table 2's units and, when the unit search (``units``, the output
    of :func:`tableaudit.units.unit_assignments`) found other units for a model, in those units
    too. *Consistent* when the printed intercept fits in either; otherwise *inconsistent*, and
    the explanation names a single slope whose reversed sign would make it fit. *Undecidable* when
    a regressor's mean is not in Table 2.
    """
    from .units import scaling_factor

    found = {u["model"]: u.get("assignment") for u in units or []}
    out = []
    for model, terms in tb.coefs.items():
        if "_Cons" not in terms:
            continue
        cons = terms["_Cons"][0]
        claim = f"{model}: intercept from the printed slopes and means"
        missing = [
            v for v in [tb.dependent, *tb.regressors(model)] if v not in tb.table2
        ]
        if missing:
            out.append(
                Check(
                    "intercept identity",
                    claim,
                    cons.text,
                    "—",
                    UNDECIDABLE,
                    f"no mean in Table 2 for {', '.join(missing)}",
                )
            )
            continue
        digits = _identity_digits(cons)
        tries = [("the units of Table 2", {})]
        assignment = found.get(model)
        if assignment and any(label != "raw" for label in assignment.values()):
            factors = {v: scaling_factor(label) for v, label in assignment.items()}
            words = ", ".join(f"{v} {label}" for v, label in assignment.items())
            tries.append((f"the units found ({words})", factors))
        results = [(words, f, intercept_identity(tb, model, f)) for words, f in tries]
        fits = [r for r in results if r[2]["within"]]
        words, factors, res = fits[0] if fits else results[-1]
        text = _outward_range(res["low"], res["high"], digits)
        base = (
            f"mean(y) - Σ b_j mean(x_j) with the printed slopes and Table 2's means ± "
            f"rounding, in {words}"
        )
        if fits:
            out.append(
                Check("intercept identity", claim, cons.text, text, CONSISTENT, base)
            )
            continue
        flips = [
            (term, intercept_identity(tb, model, factors, flip=(term,)))
            for term in tb.regressors(model)
        ]
        flips = [(term, r) for term, r in flips if r["within"]]
        extra = "; the printed intercept is outside"
        if len(flips) == 1:
            term, r = flips[0]
            extra += (
                f"; with the sign of {term} reversed it fits "
                f"({_outward_range(r['low'], r['high'], digits)})"
            )
        out.append(
            Check(
                "intercept identity",
                claim,
                cons.text,
                text,
                INCONSISTENT,
                base + extra,
            )
        )
    return out
