"""The number in parentheses: a standard error, a t statistic or a p-value, as the table declares.

Journals print under each coefficient a standard error (the default), a t statistic or a p-value
(``parentheses`` in ``table_format.csv``). Whatever they print, the checks need the interval of t
that the printed numbers allow: :func:`printed_t` gives it (coef / se over the rounding of both;
the printed t; or the |t| of the printed p-value with the coefficient's sign). :func:`check_parenthesized`
checks a printed t or p-value against the t that Tables 2-3 imply, where the audit otherwise checks
the standard error.
"""

from __future__ import annotations

import numpy as np

from .published import Printed, Tables
from .significance import abs_t_of_p
from .verdicts import CONSISTENT, INCONSISTENT, NO_PD, SINGULAR, UNDECIDABLE, Check, _fmt_range, _overlaps, _range_of


def _df(tables: Tables, model: str) -> int:
    return tables.n - len(tables.regressors(model)) - 1


def _absolute_t(tables: Tables) -> bool:
    """Does the table print |t| (no t negative while some coefficient is)?"""
    ts = [t for terms in tables.parenthesized.values() for t in terms.values() if t is not None]
    coefs = [c for terms in tables.coefs.values() for c, _, _ in terms.values()]
    return all(t.value >= 0 for t in ts) and any(c.value < 0 for c in coefs)


def _signed(coef: Printed, lo: float, hi: float) -> tuple[float, float]:
    """An interval of |t| given the sign of the coefficient (both signs when its rounding spans 0)."""
    if coef.low > 0:
        return lo, hi
    if coef.high < 0:
        return -hi, -lo
    return -hi, hi


def printed_t(tables: Tables, model: str, term: str) -> tuple[float, float, float] | None:
    """(t as printed, low, high): the t statistic the printed numbers allow, over their rounding.

    None when nothing in parentheses is printed, or a printed standard error may be 0.
    """
    coef, se, _ = tables.coefs[model][term]
    kind = tables.conventions.parentheses
    if kind == "se":
        if se is None or se.low <= 0:
            return None
        corners = [c / s for c in (coef.low, coef.high) for s in (se.low, se.high)]
        return coef.value / se.value, min(corners), max(corners)
    stat = tables.parenthesized.get(model, {}).get(term)
    if stat is None:
        return None
    if kind == "t":
        if _absolute_t(tables):
            lo, hi = _signed(coef, max(stat.low, 0.0), stat.high)
            return float(np.sign(coef.value)) * stat.value, lo, hi
        return stat.value, stat.low, stat.high
    df = _df(tables, model)
    if df <= 0:
        return None
    one = tables.conventions.stars.one_sided
    lo, hi = _signed(coef, abs_t_of_p(stat.high, df, one), abs_t_of_p(stat.low, df, one))
    return float(np.sign(coef.value)) * abs_t_of_p(stat.value, df, one), lo, hi


def _p_of_t(t_low: float, t_high: float, df: int, one_sided: bool) -> tuple[float, float]:
    """The interval of the p-value of t over [t_low, t_high]."""
    from scipy import stats

    tail = 1.0 if one_sided else 2.0
    a_lo = 0.0 if t_low <= 0 <= t_high else min(abs(t_low), abs(t_high))
    a_hi = max(abs(t_low), abs(t_high))
    return min(1.0, tail * stats.t.sf(a_hi, df)), min(1.0, tail * stats.t.sf(a_lo, df))


def check_parenthesized(tables: Tables, ranges) -> list[Check]:
    """Each printed t statistic or p-value against the one Tables 2-3 imply (none when SEs are printed)."""
    kind = tables.conventions.parentheses
    if kind == "se":
        return []
    out = []
    one = tables.conventions.stars.one_sided
    for model in tables.coefs:
        df = _df(tables, model)
        for term in tables.regressors(model):
            stat = tables.parenthesized.get(model, {}).get(term)
            claim = f"{model}: {'t statistic' if kind == 't' else 'p-value'} of {term}"
            tl, th, tn = _range_of(ranges, model, term, "t")
            if stat is None:
                out.append(Check("tables 2-3", claim, "(not printed)", "—", UNDECIDABLE, "the table leaves this number blank"))
                continue
            if np.isnan(tl) or (np.isinf(tl) and np.isinf(th)):
                out.append(Check("tables 2-3", claim, stat.text, "—", UNDECIDABLE, NO_PD if np.isnan(tl) else SINGULAR))
                continue
            if kind == "t":
                printed = stat
                if _absolute_t(tables):
                    lo, hi = min(abs(tl), abs(th)) if tl * th > 0 else 0.0, max(abs(tl), abs(th))
                    what = "|t|"
                else:
                    lo, hi, what = tl, th, "t"
                ok = _overlaps(printed, lo, hi)
                recomputed = _fmt_range(lo, hi, 3)
                why = f"{what} implied by Tables 2-3, {tn:.3f} at the printed moments"
            else:
                lo, hi = _p_of_t(tl, th, df, one)
                ok = _overlaps(stat, lo, hi)
                recomputed = _fmt_range(lo, hi, 4)
                why = (f"{'one' if one else 'two'}-sided p-value of the t implied by Tables 2-3 "
                       f"({_fmt_range(tl, th, 3)}, {tn:.3f} at the printed moments) with {df} df")
            out.append(Check("tables 2-3", claim, stat.text, recomputed, CONSISTENT if ok else INCONSISTENT, why))
    return out

