"""Findings read from the printed tables alone, one function per group, in the ledger's
order: the fit statistics (``fit``), the raw units (``raw-units``), the units of each model
(``units-m1`` to ``units-m4``), the stars, the sign and significance of R&D, the VIF claim and
the big-data index in M1. Each function returns its findings as a list."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from . import joint
from .evidence import Evidence, Finding, _finding
from .inputs import Inputs, _audit, _df, _name
from .scale import (
    AT_PRINTED,
    CONTRADICTED,
    HOLDS,
    SCALE,
    SOMEWHERE,
    UNDECIDABLE,
    above_certainty,
    fmt_range,
    sign_certainty,
)


def _level_of(printed, low: float, high: float, nominal: float) -> str:
    """Where a printed number meets the range [low, high] implied for it (``nominal`` at the
    printed values): HOLDS if the whole range rounds to it, AT_PRINTED if the value at the
    printed values does, SOMEWHERE if some point of the range does, CONTRADICTED if none."""
    if printed.low <= low and high <= printed.high:
        return HOLDS
    if printed.low <= nominal <= printed.high:
        return AT_PRINTED
    if printed.low <= high and low <= printed.high:
        return SOMEWHERE
    return CONTRADICTED


def weakest(levels) -> str:
    """The weakest of several levels (the conjunction holds no more firmly than its weakest part)."""
    return max(levels, key=SCALE.index)


def fit_levels(inp: Inputs) -> list[tuple[str, str, str]]:
    """Each fit check of Table 4 as (model, check, level): F against the printed R², the
    p-value against the printed F, and the printed R² against Tables 2 and 3."""
    tables, ranges = inp.tables, inp.ranges
    out = []
    for model, fit in tables.fit.items():
        k = len(tables.regressors(model))
        df = int(fit["n"]) - k - 1
        r2, f, p = fit["r2"], fit["f"], fit["p_value"]

        def f_of(r, k=k, df=df):
            return (r / k) / ((1 - r) / df)

        out.append(
            (model, "F", _level_of(f, f_of(r2.low), f_of(r2.high), f_of(r2.value)))
        )
        if p is not None:
            sf = stats.f.sf
            out.append(
                (
                    model,
                    "p",
                    _level_of(
                        p, sf(f.high, k, df), sf(f.low, k, df), sf(f.value, k, df)
                    ),
                )
            )
        low, high, nominal = ranges.loc[(model, "", "r2")][["low", "high", "nominal"]]
        out.append((model, "R²", _level_of(r2, low, high, nominal)))
    return out


def fit(inp: Inputs) -> list[Finding]:
    """Table 4's fit statistics against each other and against Tables 2 and 3.

    Each check is an interval meeting an interval; its level says where: over the whole rounding
    range, at the printed values, or only at some other point of the range (an existence
    result), and the finding is as firm as its weakest check."""
    levels = fit_levels(inp)
    level = weakest(level for *_, level in levels)
    n = len(levels)
    n_models = len(inp.tables.fit)
    count = {lv: sum(1 for *_, x in levels if x == lv) for lv in SCALE}
    elsewhere = [f"{m} {what}" for m, what, lv in levels if lv == SOMEWHERE]
    r2 = {m: inp.rng(m, "", "r2") for m in inp.tables.fit}
    m1 = inp.tables.fit["M1"]["r2"]
    parts = (
        f"{count[HOLDS]} over the whole range, {count[AT_PRINTED]} at the printed values, "
        f"{count[SOMEWHERE]} only elsewhere in the range ({', '.join(elsewhere)})"
    )
    lead = (
        f"Each of the {n} checks (F against the printed R², the p-value against the printed F, "
        f"and each model's R² against Tables 2 and 3) holds"
    )
    return [
        _finding(
            "fit",
            "audit",
            "The fit statistics of Table 4 agree with each other and with Tables 2 and 3",
            level,
            {
                HOLDS: f"{lead} whatever the rounding of the printed tables",
                AT_PRINTED: f"{lead} at the printed values, not at every point of the rounding range ({parts})",
                SOMEWHERE: f"{lead} at some point of the rounding range, not all at the "
                f"printed values: {parts}. M1's printed R² of {m1.text} is met only at the "
                f"edge of the range Tables 2 and 3 allow "
                f"({fmt_range(r2['M1'][1], r2['M1'][2], 4)}; {r2['M1'][0]:.4f} at the "
                "printed moments)",
                CONTRADICTED: f"Not every fit statistic meets its range: of {n} checks, "
                f"{count[CONTRADICTED]} fail at every point of the rounding range",
            },
            [
                Evidence(
                    f"fit checks at level '{lv}'",
                    count[lv],
                    digits=0,
                    over=f"{n} checks of {n_models} models",
                )
                for lv in SCALE
                if count[lv]
            ],
        )
    ]


def p_ranges(inp: Inputs) -> dict[str, tuple[float, float, float]]:
    """Per model, the p-value of the overall F that Tables 2 and 3 imply: (at the printed
    moments, smallest, largest) over their rounding (p falls as F rises)."""
    out = {}
    for model in inp.tables.fit:
        k = len(inp.tables.regressors(model))
        df = _df(inp.tables, model)
        nominal, low, high = inp.rng(model, "", "f")
        sf = stats.f.sf
        out[model] = (
            float(sf(nominal, k, df)),
            float(sf(high, k, df)),
            float(sf(low, k, df)),
        )
    return out


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def models_significant(inp: Inputs) -> list[Finding]:
    """Are the four models significant at 10 % (overall F), over the rounding of Tables 2-3?"""
    p = p_ranges(inp)
    levels = {m: above_certainty(-v[0], -v[2], -v[1], -0.10) for m, v in p.items()}
    level = weakest(levels.values())

    def part(m):
        return f"{m} {fmt_range(p[m][1], p[m][2], 3)}"

    spans = [m for m, lv in levels.items() if lv != HOLDS]
    held = [m for m, lv in levels.items() if lv == HOLDS]
    detail = ", ".join(part(m) for m in p)
    return [
        _finding(
            "models-significant",
            "regressions",
            "Each of the four models is significant at the 10 % level (overall F)",
            level,
            {
                HOLDS: "Each of the four models is significant at the 10 % level, whatever "
                f"the rounding (p of the overall F that Tables 2 and 3 imply: {detail})",
                AT_PRINTED: (
                    f"{_and(held)} {'is' if len(held) == 1 else 'are'} significant at the 10 % "
                    "level at every point of the rounding of Tables 2 and 3, "
                    f"{_and(spans)} at the printed values, not at every point of the rounding range"
                    if held
                    else "Each of the four models is significant at the 10 % level at the "
                    "printed values, not at every point of the rounding range"
                )
                + ": over the rounding of Tables 2 and 3 the p-value of the "
                f"overall F spans {detail}, so that "
                + " and ".join(
                    f"{m}'s runs from below {'5' if p[m][1] < 0.05 else '10'} % to above 10 %"
                    for m in spans
                ),
                UNDECIDABLE: "Whether every model is significant at 10 % cannot be decided",
                CONTRADICTED: f"Not every model is significant at 10 % ({detail})",
            },
            [Evidence(f"p of F, {m}", *p[m], digits=3) for m in p],
        )
    ]


def raw_units(inp: Inputs) -> list[Finding]:
    """Table 4 against the OLS fit of Tables 2 and 3 in their raw units."""
    checks = inp.checks
    out: list[Finding] = []
    add = out.append
    # raw units
    pairs = checks[checks.category == "tables 2-3"]
    coef = pairs[pairs.claim.str.contains("coefficient of")]
    se = pairs[pairs.claim.str.contains("standard error of")]
    n_coef_bad = int((coef.verdict == _audit.INCONSISTENT).sum())
    n_se_bad = int((se.verdict == _audit.INCONSISTENT).sum())
    add(
        _finding(
            "raw-units",
            "audit",
            "Table 4 is not the OLS fit of Tables 2 and 3 in their raw units",
            HOLDS if n_coef_bad > 0 else CONTRADICTED,
            {
                HOLDS: f"Read in the raw units of Tables 2 and 3, {n_coef_bad} of {len(coef)} "
                f"printed slopes and {n_se_bad} of {len(se)} standard errors lie outside the "
                "range that Tables 2 and 3 allow, whatever the rounding; the scale-free "
                "checks show that much of this is a matter of units",
                CONTRADICTED: "Every printed coefficient lies within the raw-unit range: "
                "Table 4 is not shown to differ from the raw-unit fit",
            },
            [
                Evidence(
                    "slopes outside", n_coef_bad, digits=0, over=f"{len(coef)} slopes"
                ),
                Evidence("SEs outside", n_se_bad, digits=0, over=f"{len(se)} SEs"),
            ],
        )
    )
    return out


# units, model by model


def _units_text(inp: Inputs, model: str) -> str:
    """The units the audit finds for ``model``, in words."""
    assignment = inp.units[model]["assignment"]
    parts = [
        f"{'the outcome' if v == inp.tables.dependent else _the(_name(inp.ds, v))} {how}"
        for v, how in assignment.items()
    ]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]


def _numbers(units: dict, model: str) -> dict:
    return {(x["term"], x["quantity"]): x for x in units[model]["numbers"]}


def _width(units: dict, model: str) -> float:
    """The median width of ``model``'s slope ranges, relative to the reproduced slopes."""
    rows = [
        x
        for x in units[model]["numbers"]
        if x["term"] != "_Cons" and x["quantity"] == "coef"
    ]
    return float(
        np.median([(x["high"] - x["low"]) / abs(x["reproduced"]) for x in rows])
    )


def _choice(inp: Inputs, model: str) -> dict:
    """The audit's units of ``model`` as (kind, power) per variable, for :mod:`.joint`."""
    from tableaudit.units import _scalings

    options = {label: (kind, power) for label, kind, power in _scalings()}
    return {v: options[label] for v, label in inp.units[model]["assignment"].items()}


def _where(inp: Inputs, model: str, labels) -> joint.Where:
    """Where the printed numbers ``labels`` of ``model`` hold together over the rounding box,
    in the units the audit finds."""
    bounds = {
        (x["term"], x["quantity"]): (x["low"], x["high"])
        for x in inp.units[model]["numbers"]
    }
    for q in ("r2", "f"):
        bounds[("", q)] = inp.rng(model, "", q)[1:]
    return joint.where_it_holds(inp.tables, bounds, model, _choice(inp, model), labels)


def _the(name: str) -> str:
    return name if name.startswith("the ") else f"the {name}"


def _units_meaning(inp: Inputs, model: str) -> str:
    """What the coefficients of ``model`` measure in the units the audit finds."""
    a = inp.units[model]["assignment"]
    y_z = a[inp.tables.dependent] == "z-scored"
    per_y = "standard deviations of the outcome" if y_z else "points of the outcome"
    parts = []
    for v, label in a.items():
        if v == inp.tables.dependent:
            continue
        if label == "z-scored":
            what = "a standardized effect" if y_z else "per standard deviation"
            what += f" ({per_y} per standard deviation)"
        elif label == "raw":
            what = (
                f"in {per_y} per unit of the variable as Table 2 prints it (it enters raw, "
                "not standardized)"
            )
        else:
            what = f"in {per_y} per unit ({label})"
        lead = "the coefficient of" if not parts else "that of"
        verb = " is" if not parts else ""
        parts.append(f"{lead} {_the(_name(inp.ds, v))}{verb} {what}")
    return "; ".join(parts)


def units_m1(inp: Inputs) -> list[Finding]:
    """M1 in the units the audit finds: where in the rounding range its printed numbers hold
    (each one, all six together, at the printed values, everywhere), and whether they hold
    together with the printed R²."""
    units = inp.units
    u1 = units["M1"]
    numbers = [x for x in u1["numbers"] if x["printed"] is not None]
    each = all(x["within"] for x in numbers)
    where = _where(inp, "M1", [(x["term"], x["quantity"]) for x in numbers])
    level = where.level if each else CONTRADICTED
    b3 = _numbers(units, "M1")[("Var3", "coef")]
    lead = (
        f"with {_units_text(inp, 'M1')}, the values that Tables 2 and 3 imply for M1's "
        f"{u1['total']} printed coefficients and standard errors (intercept included)"
    )
    meaning = f"in these units {_units_meaning(inp, 'M1')}"
    out = [
        _finding(
            "units-m1",
            "audit",
            "M1's printed coefficients and standard errors are the OLS fit of Tables 2 and 3 in "
            "the units the audit finds",
            level,
            {
                HOLDS: f"M1 is reproduced whatever the rounding: {lead} round to the printed "
                f"ones at every point of the range; {meaning}",
                AT_PRINTED: f"M1 is reproduced at the printed values, not at every point of the rounding range: {lead} round to the "
                f"printed ones there; {meaning}",
                SOMEWHERE: f"M1 is reproduced at some point of the rounding range, not at the "
                f"printed values: {lead} all round to the printed ones at one point of the "
                f"rounding of Tables 2 and 3, at its edge (the big-data index: printed "
                f"{b3['printed']}, implied {fmt_range(b3['low'], b3['high'], 4)}, "
                f"{b3['reproduced']:.4f} at the printed moments); {meaning}",
                UNDECIDABLE: f"Whether M1 is reproduced cannot be decided: {lead} each meet "
                "their range, but no single point of the range reproducing them all was found",
                CONTRADICTED: f"No units reproduce M1: {u1['reproduced']} of {u1['total']} "
                "numbers fit",
            },
            [
                Evidence(
                    "M1 numbers within their range",
                    u1["reproduced"],
                    digits=0,
                    over=f"{u1['total']} numbers",
                ),
                Evidence(
                    "largest miss at the printed moments (half-units of the last digit)",
                    where.worst_at_printed,
                    digits=1,
                    over="M1's printed numbers",
                ),
                Evidence(
                    "largest miss at the best point found (at most 1: all reproduced)",
                    where.worst_at_point,
                    digits=2,
                    over="the rounding box of Tables 2 and 3",
                ),
            ],
        )
    ]
    out += _units_m1_r2(inp)
    return out


def _units_m1_r2(inp: Inputs) -> list[Finding]:
    """Do M1's printed standardized coefficient (of a z-scored regressor, z-scored outcome) and
    its printed R² hold at one point of the rounding range? Both depend on Table 3's
    correlations alone; the smallest and largest R² over the correlations at which the
    coefficient rounds to its printed value decide it."""
    a = inp.units["M1"]["assignment"]
    tables = inp.tables
    if a[tables.dependent] != "z-scored":
        return []
    zs = [v for v, label in a.items() if label == "z-scored" and v != tables.dependent]
    if not zs:
        return []
    term = zs[0]
    coef = tables.coefs["M1"][term][0]
    r2 = tables.fit["M1"]["r2"]
    low, high = joint.r2_given_std_coef(tables, "M1", term, coef.low, coef.high)
    together = low <= r2.high and r2.low <= high
    name = _name(inp.ds, term)
    return [
        _finding(
            "units-m1-r2",
            "audit",
            f"M1's printed coefficient of {name} (standardized) and its printed R² are "
            "reproduced by one set of moments within the rounding of Tables 2 and 3",
            SOMEWHERE if together else CONTRADICTED,
            {
                SOMEWHERE: f"Together with the printed R² ({r2.text}) they are reproduced at "
                "some point of the rounding range too",
                CONTRADICTED: f"Not together with the printed R², though: both the "
                f"standardized coefficient of {_the(name)} and R² depend on Table 3's correlations "
                f"alone, and wherever in the rounding range the coefficient rounds to "
                f"{coef.text}, R² lies in {fmt_range(low, high, 5)}, above the printed "
                f"{r2.text} (at most {r2.high:.5f}); the gap is in the fifth decimal, no point "
                "of the range reproduces both",
            },
            [
                Evidence(
                    f"R² where the {name} coefficient rounds to {coef.text}",
                    (low + high) / 2,
                    low,
                    high,
                    digits=5,
                    over="the correlations of Table 3 within their rounding",
                )
            ],
        )
    ]


def units_m2(inp: Inputs) -> list[Finding]:
    """M2 in the units the audit finds, up to the sign of R&D: where in the rounding range its
    other printed numbers hold (together, with R² and F), and the intercept's sign."""
    units = inp.units
    out: list[Finding] = []
    add = out.append
    u2 = units["M2"]
    n2 = _numbers(units, "M2")
    misfits = [k for k, x in n2.items() if not x["within"]]
    rd2 = n2[("Var6", "coef")]
    printed_rd2 = float(rd2["printed"])
    mirrored = rd2["low"] <= -printed_rd2 <= rd2["high"] or (
        abs(-printed_rd2 - rd2["reproduced"]) <= abs(rd2["high"] - rd2["low"])
    )
    only_rd_sign = misfits == [("Var6", "coef")] and mirrored
    fitting = [k for k, x in n2.items() if x["within"]]
    where = _where(inp, "M2", [*fitting, ("", "r2"), ("", "f")])
    level = where.level if only_rd_sign else UNDECIDABLE
    icpt = n2[("_Cons", "coef")]
    icpt_negative = icpt["high"] < 0 and float(icpt["printed"]) < 0
    sign_part = (
        f"the implied intercept ({fmt_range(icpt['low'], icpt['high'], 2)}, printed "
        f"{icpt['printed']}) is negative at every point of the range (what tells the two R&D "
        "signs apart is the intercept identity, not this sign)"
        if icpt_negative
        else f"the implied intercept ({fmt_range(icpt['low'], icpt['high'], 2)}) does not "
        "settle the sign"
    )
    lead = (
        f"with {_units_text(inp, 'M2')}, {len(fitting)} of {u2['total']} printed numbers "
        f"are reproduced, and the eighth, the R&D coefficient, has the implied size with the "
        f"opposite sign (printed {rd2['printed']}, implied "
        f"{fmt_range(rd2['low'], rd2['high'], 4)})"
    )
    add(
        _finding(
            "units-m2",
            "audit",
            "M2 is the OLS fit of Tables 2 and 3 in the units the audit finds, up to the sign of "
            "R&D",
            level,
            {
                HOLDS: f"M2 is reproduced up to one sign, whatever the rounding: {lead}; "
                f"{sign_part}",
                AT_PRINTED: f"M2 is reproduced up to one sign at the printed values, not at every point of the rounding range: "
                f"{lead}; {sign_part}",
                SOMEWHERE: f"M2 is reproduced up to one sign at some point of the rounding "
                f"range, not at the printed values: {lead}, all {len(fitting)} together "
                f"with the printed R² and F at one point of the range; {sign_part}",
                UNDECIDABLE: f"Whether M2 is the same computation cannot be decided: "
                f"{u2['reproduced']} of {u2['total']} numbers meet their ranges",
            },
            [
                Evidence(
                    "largest miss at the best point found (at most 1: all reproduced)",
                    where.worst_at_point,
                    digits=2,
                    over="the rounding box of Tables 2 and 3",
                )
            ],
        )
    )
    return out


def units_m3(inp: Inputs) -> list[Finding]:
    """M3 as the same computation as M2: its units, and the lost R&D sign that the intercept
    identity (printed slopes and Table 2's means) confirms."""
    units = inp.units
    out: list[Finding] = []
    add = out.append
    u3 = units["M3"]
    w3 = _width(units, "M3")
    flip, ident = u3.get("sign_flip"), u3.get("identity")
    same_units = all(
        units[m]["assignment"][v] == how
        for m in ("M1", "M2")
        for v, how in (u3["assignment"] or {}).items()
        if v in (units[m]["assignment"] or {})
    )
    misfits = [
        x
        for x in u3["numbers"]
        if not x["within"]
        and not (flip and x["term"] in flip["terms"] and x["quantity"] == "coef")
    ]
    lost_rd = bool(flip) and flip["terms"] == ["Var6"] and same_units and len(misfits) <= 1
    evidence = []
    if lost_rd:
        evidence = [
            Evidence(
                "M3 intercept from the printed slopes, R&D negative",
                flip["nominal"],
                flip["low"],
                flip["high"],
                digits=4,
                over="the rounding of the printed slopes and of Table 2's means",
            )
        ]
    add(
        _finding(
            "units-m3",
            "audit",
            "M3's printed intercept fits a negative R&D slope, as M2's does"
            if lost_rd
            else "M3 is the same computation as M2",
            HOLDS if lost_rd else (UNDECIDABLE if w3 > 0.25 else SOMEWHERE),
            {
                UNDECIDABLE: f"Whether M3 is the same computation as M2 cannot be decided: the "
                f"same units reproduce {u3['reproduced']} of {u3['total']} of its numbers "
                "(not the R&D sign, not the budget ratio's standard error), but its ranges "
                f"are about {100 * w3:.0f} % wide, wide enough for many numbers to fall inside "
                "by chance",
                SOMEWHERE: f"M3 is reproduced in the units of M2: {u3['reproduced']} of "
                f"{u3['total']} numbers, each at some point of the rounding range (ranges "
                f"about {100 * w3:.0f} % wide)",
                HOLDS: (
                    "M3's printed intercept agrees with a negative R&D slope, not with the "
                    "printed positive one, whatever the rounding: the intercept that the printed "
                    "slopes and Table 2's means give is "
                    f"{fmt_range(flip['low'], flip['high'], 4)} with a negative R&D slope "
                    f"(printed {flip['printed']}) but "
                    f"{fmt_range(ident['low'], ident['high'], 4)} with the printed positive one, "
                    "the same mismatch as in M2 (a minus sign lost in print and R&D entered "
                    "with its sign reversed give the same numbers; the tables cannot tell "
                    "which)"
                    if lost_rd
                    else ""
                )
                + f". Beyond that sign, the units of M1 and M2 reproduce {u3['reproduced']} of "
                f"{u3['total']} of M3's numbers, each inside its own implied range (this is not "
                "shown for all of them at one point of the range)"
                + (
                    f", and one more, the "
                    f"{'standard error' if misfits[0]['quantity'] == 'se' else 'coefficient'} "
                    f"of {_name(inp.ds, misfits[0]['term'])}, fits in no units"
                    if len(misfits) == 1 and misfits[0]["term"] != "_Cons"
                    else ""
                ),
            },
            evidence,
        )
    )
    return out


def units_m4(inp: Inputs) -> list[Finding]:
    """No units make M4 the OLS fit (the scale-free t of the budget ratio)."""
    scale_free, units = inp.scale_free, inp.units
    out: list[Finding] = []
    add = out.append
    t5 = scale_free.loc[("M4", "Var5")]
    opposite = (t5.t_printed_low > 0 and t5.t_implied_high < 0) or (
        t5.t_printed_high < 0 and t5.t_implied_low > 0
    )
    u4 = units["M4"]
    add(
        _finding(
            "units-m4",
            "audit",
            "No choice of units makes M4 the OLS fit of Tables 2 and 3",
            HOLDS if opposite else UNDECIDABLE,
            {
                HOLDS: "No choice of units reproduces M4: the budget ratio's printed t "
                f"({t5.t_printed:.2f}) has the opposite sign to the t that Tables 2 and 3 "
                f"imply ({fmt_range(t5.t_implied_low, t5.t_implied_high, 2)}), and a t does "
                "not depend on units, whatever the rounding; the best assignment reproduces "
                f"{u4['reproduced']} of {u4['total']} numbers",
                UNDECIDABLE: "Whether some units reproduce M4 cannot be decided from the "
                "scale-free checks",
            },
        )
    )
    return out


def stars(inp: Inputs) -> list[Finding]:
    """The stars of Table 4 against the printed coefficients and standard errors."""
    checks = inp.checks
    out: list[Finding] = []
    add = out.append
    # stars
    star = checks[checks.category == "stars"]
    n_star_bad = int((star.verdict == _audit.INCONSISTENT).sum())
    add(
        _finding(
            "stars",
            "audit",
            "Some stars of Table 4 do not follow from the printed coefficient and standard error",
            HOLDS if n_star_bad > 0 else CONTRADICTED,
            {
                HOLDS: f"In {n_star_bad} of {len(star)} cells the stars do not follow from the "
                "printed coefficient and standard error (two-sided t test at 10, 5 and 1 % with "
                "the model's degrees of freedom), whatever the rounding of those two numbers",
                CONTRADICTED: "Every star follows from the printed coefficient and standard "
                "error; no star is shown wrong",
            },
        )
    )
    return out


def rd_sign(inp: Inputs) -> list[Finding]:
    """The sign of the R&D coefficients that Tables 2 and 3 imply, model by model, and the
    three together (as firm as the weakest)."""
    rng = inp.rng
    out: list[Finding] = []
    add = out.append
    rd = {m: rng(m, "Var6", "std_coef") for m in ("M2", "M3", "M4")}
    levels = {m: sign_certainty(*rd[m], -1) for m in rd}

    def rd_part(m):
        return fmt_range(rd[m][1], rd[m][2], 2)

    for m in rd:
        add(
            _finding(
                f"rd-sign-{m.lower()}",
                "audit",
                f"The R&D coefficient that Tables 2 and 3 imply in {m} is negative",
                levels[m],
                {
                    HOLDS: f"in {m} negative whatever the rounding (standardized "
                    f"{rd_part(m)})",
                    AT_PRINTED: f"in {m} negative at the printed values, not at every point of the rounding range "
                    f"({rd[m][0]:.2f}; over the rounding {rd_part(m)}, which reaches "
                    "positive values)",
                    UNDECIDABLE: f"in {m} of a sign that cannot be decided ({rd_part(m)})",
                    CONTRADICTED: f"in {m} not negative ({rd_part(m)})",
                },
                [Evidence(f"R&D standardized coefficient, {m}", *rd[m], digits=2)],
            )
        )
    overall = (
        HOLDS
        if all(lv == HOLDS for lv in levels.values())
        else AT_PRINTED
        if all(v[0] < 0 for v in rd.values())
        else UNDECIDABLE
    )
    add(
        _finding(
            "rd-sign",
            "audit",
            "The R&D coefficients that Tables 2 and 3 imply are negative in M2, M3 and M4",
            overall,
            {
                HOLDS: "The R&D coefficients that Tables 2 and 3 imply are negative in M2, M3 "
                "and M4, whatever the rounding, where Table 4 prints positive ones",
                AT_PRINTED: "The R&D coefficients that Tables 2 and 3 imply, where Table 4 "
                "prints positive ones, are negative in "
                + (
                    _and([m for m, lv in levels.items() if lv == HOLDS])
                    + " at every point of the rounding, and in "
                    if any(lv == HOLDS for lv in levels.values())
                    else ""
                )
                + _and([m for m, lv in levels.items() if lv != HOLDS])
                + " at the printed values, not at every point of the rounding range",
                UNDECIDABLE: "The sign of the implied R&D coefficients cannot be decided "
                "from the printed tables",
            },
            [
                Evidence(f"R&D standardized coefficient, {m}", *rd[m], digits=2)
                for m in rd
            ],
        )
    )
    return out


def rd_insignificant(inp: Inputs) -> list[Finding]:
    """The significance of the implied R&D coefficients."""
    rng, tables = inp.rng, inp.tables
    rd = ("M2", "M3", "M4")
    out: list[Finding] = []
    add = out.append
    rd_t = {m: rng(m, "Var6", "t") for m in rd}
    crit = {m: float(stats.t.ppf(0.95, _df(tables, m))) for m in rd}
    never = all(max(abs(v[1]), abs(v[2])) < crit[m] for m, v in rd_t.items())
    add(
        _finding(
            "rd-insignificant",
            "audit",
            "No implied R&D coefficient is significant at the 10 % level",
            HOLDS if never else AT_PRINTED,
            {
                HOLDS: "None of them is significant at the 10 % level, whatever the "
                "rounding (largest |t| "
                + ", ".join(
                    f"{m} {math.ceil(100 * max(abs(v[1]), abs(v[2]))) / 100:.2f}"
                    for m, v in rd_t.items()
                )
                + ")",
                AT_PRINTED: "None is significant at the 10 % level at the printed values, "
                "not at every point of the rounding range: the rounding allows a significant one",
            },
        )
    )
    return out


def vif(inp: Inputs) -> list[Finding]:
    """The paper's VIF bound against the VIFs that Tables 2 and 3 imply."""
    ds, tables, ranges, rng = inp.ds, inp.tables, inp.ranges, inp.rng
    out: list[Finding] = []
    add = out.append
    # VIF claim
    vif_max = float(tables.claims["vif_max"])
    vifs = ranges.xs("vif", level="quantity")
    m2_top = vifs.loc["M2"].nominal.idxmax()
    v2 = rng("M2", m2_top, "vif")
    m1_ok = float(vifs.loc["M1"].high.max()) < vif_max
    vif_level = above_certainty(*v2, vif_max) if m1_ok else UNDECIDABLE
    tops = {}
    for m in vifs.index.get_level_values(0).unique():
        top = vifs.loc[m].nominal.idxmax()
        tops[m] = (top, rng(m, top, "vif"))

    def vif_part(m):
        top, v = tops[m]
        digits = 3 if v[2] < 2 else 1 if v[2] < 100 else 0
        # With two regressors both VIFs are 1 / (1 - r^2): naming one would mislead.
        who = "both regressors alike" if len(vifs.loc[m]) == 2 else _the(_name(ds, top))
        return f"{m} {fmt_range(v[1], v[2], digits)} ({who})"

    add(
        _finding(
            "vif",
            "correlations",
            "The paper's VIF bound holds for M1 only",
            vif_level,
            {
                HOLDS: f"The paper's bound (every VIF below {vif_max:g}) holds for M1 only, "
                "whatever the rounding; the largest VIF of each model over the rounding: "
                + ", ".join(vif_part(m) for m in tops),
                AT_PRINTED: f"The paper's VIF bound fails in M2 at the printed values, not at every point of the rounding range "
                f"({fmt_range(v2[1], v2[2], 1)}); the largest VIF of each model over the "
                "rounding: " + ", ".join(vif_part(m) for m in tops),
                UNDECIDABLE: "Whether the paper's VIF bound holds cannot be decided",
            },
            [
                Evidence(f"largest VIF in {m} ({tops[m][0]})", *tops[m][1], digits=1)
                for m in tops
            ],
        )
    )
    return out


def bigdata_m1(inp: Inputs) -> list[Finding]:
    """The big-data index in M1."""
    rng, tables = inp.rng, inp.tables
    out: list[Finding] = []
    add = out.append
    # big data in M1
    b = rng("M1", "Var3", "std_coef")
    tb = rng("M1", "Var3", "t")
    crit1 = float(stats.t.ppf(0.995, _df(tables, "M1")))
    add(
        _finding(
            "bigdata-m1",
            "regressions",
            "In M1 the big-data index has a positive coefficient, significant at 1 %",
            above_certainty(*tb, crit1),
            {
                HOLDS: "In M1 the big-data index has a standardized coefficient of "
                f"{fmt_range(b[1], b[2], 3)} and is significant at the 1 % level, whatever "
                f"the rounding (t {fmt_range(tb[1], tb[2], 2)}); an association across "
                "twelve regions in one year, not a measured effect of policy",
                AT_PRINTED: "In M1 the big-data index is significant at 1 % at the printed "
                "values, not at every point of the rounding range",
            },
            [Evidence("M1 big-data standardized coefficient", *b, digits=3)],
        )
    )
    return out
