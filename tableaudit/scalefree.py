"""Scale-free checks: t = coef / se and its sign do not depend on the units."""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import ranges as _ranges
from .parentheses import printed_t
from .published import Printed, Tables
from .verdicts import (
    CONSISTENT,
    INCONSISTENT,
    NO_PD,
    SINGULAR,
    UNDECIDABLE,
    Check,
    _fmt_range,
    _overlaps,
    _range_of,
)

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
    ranges = _ranges._all_ranges(tables)
    rows = []
    for model in tables.coefs:
        for term in tables.regressors(model):
            coef, se, _ = tables.coefs[model][term]
            tl, th, tn = _range_of(ranges, model, term, "t")
            cl, ch, _ = _range_of(ranges, model, term, "coef")
            sl, sh, _ = _range_of(ranges, model, term, "se")
            pt = printed_t(tables, model, term)  # coef / se, or the printed t or p-value
            pt = None if pt is None else pt[1:]
            sign_printed = 0 if coef.low <= 0 <= coef.high else int(np.sign(coef.value))
            sign_implied = 0 if not (tl > 0 or th < 0) else (1 if tl > 0 else -1)
            if pt is None or np.isnan(tl) or (np.isinf(tl) and np.isinf(th)):
                agrees, kind = None, UNDECIDABLE
            else:
                agrees = bool(pt[0] <= th and tl <= pt[1])
                coef_ok = _overlaps(coef, cl, ch)
                se_ok = se is None or _overlaps(se, sl, sh)
                kind = (
                    (AS_PRINTED if coef_ok and se_ok else UNITS_QUESTION)
                    if agrees
                    else DIFFERENT_ESTIMATE
                )
            rows.append(
                {
                    "model": model,
                    "term": term,
                    "t_printed": printed_t(tables, model, term)[0] if pt is not None else np.nan,
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
