"""Findings read from the printed tables alone, one function per group, in the ledger's
order: the fit statistics (``fit``), the raw units (``raw-units``), the units of each model
(``units-m1`` to ``units-m4``), the stars, the sign and significance of R&D, the VIF claim and
the big-data index in M1. Each function returns its findings as a list."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from .evidence import Evidence, Finding, _finding
from .inputs import Inputs, _audit, _df, _name
from .scale import (
    AT_PRINTED,
    CONTRADICTED,
    HOLDS,
    UNDECIDABLE,
    above_certainty,
    fmt_range,
    sign_certainty,
)


def fit(inp: Inputs) -> list[Finding]:
    """Table 4's fit statistics against each other and against Tables 2 and 3."""
    checks = inp.checks
    out: list[Finding] = []
    add = out.append
    # fit statistics
    fit = checks[checks.category == "fit"]
    r2 = checks[checks.claim.str.contains("R² implied")]
    n_fit_ok = int((fit.verdict == _audit.CONSISTENT).sum())
    n_r2_ok = int((r2.verdict == _audit.CONSISTENT).sum())
    all_ok = n_fit_ok == len(fit) and n_r2_ok == len(r2)
    add(
        _finding(
            "fit",
            "audit",
            "The fit statistics of Table 4 agree with each other and with Tables 2 and 3",
            HOLDS if all_ok else CONTRADICTED,
            {
                HOLDS: f"All {n_fit_ok} checks of F against R² and of the p-value against F "
                f"pass, and the R² printed for all {n_r2_ok} models lies within the range "
                "that Tables 2 and 3 allow, whatever the rounding of the printed tables",
                CONTRADICTED: f"Only {n_fit_ok} of {len(fit)} checks of F and p and "
                f"{n_r2_ok} of {len(r2)} R² values agree: the fit statistics do not all "
                "hang together",
            },
            [
                Evidence(
                    "fit checks consistent",
                    n_fit_ok,
                    digits=0,
                    over=f"{len(fit)} checks",
                )
            ],
        )
    )
    return out


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
        f"{'the outcome' if v == inp.tables.dependent else _name(inp.ds, v)} {how}"
        for v, how in assignment.items()
    ]
    return ", ".join(parts)


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


def units_m1(inp: Inputs) -> list[Finding]:
    """M1 in the units the audit finds."""
    units = inp.units
    out: list[Finding] = []
    add = out.append
    u1 = units["M1"]
    all_in = all(x["within"] for x in u1["numbers"])
    b3 = _numbers(units, "M1")[("Var3", "coef")]
    add(
        _finding(
            "units-m1",
            "audit",
            "M1 is the OLS fit of Tables 2 and 3 in the units the audit finds",
            HOLDS if all_in else CONTRADICTED,
            {
                HOLDS: f"M1 is reproduced in full: with "
                f"{_units_text(inp, 'M1')}, all {u1['total']} printed numbers (intercept and "
                f"standard errors included) lie within their rounding ranges (the big-data "
                f"index: printed {b3['printed']}, implied "
                f"{fmt_range(b3['low'], b3['high'], 4)}); its coefficients are standardized "
                "effects, not index points per point",
                CONTRADICTED: f"No units reproduce M1: {u1['reproduced']} of {u1['total']} "
                "numbers fit",
            },
            [
                Evidence(
                    "M1 numbers reproduced",
                    u1["reproduced"],
                    digits=0,
                    over=f"{u1['total']} numbers",
                )
            ],
        )
    )
    return out


def units_m2(inp: Inputs) -> list[Finding]:
    """M2 in the units the audit finds, up to the sign of R&D."""
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
    icpt = n2[("_Cons", "coef")]
    add(
        _finding(
            "units-m2",
            "audit",
            "M2 is the OLS fit of Tables 2 and 3 in the units the audit finds, up to the sign of "
            "R&D",
            HOLDS if only_rd_sign else UNDECIDABLE,
            {
                HOLDS: f"M2 is reproduced up to one sign: with {_units_text(inp, 'M2')}, "
                f"{u2['reproduced']} of {u2['total']} printed numbers lie within their rounding "
                f"ranges, and the eighth, the R&D coefficient, has the implied size with the "
                f"opposite sign (printed {rd2['printed']}, implied "
                f"{fmt_range(rd2['low'], rd2['high'], 4)}); the printed intercept "
                f"({icpt['printed']}, implied {fmt_range(icpt['low'], icpt['high'], 4)}) "
                "agrees with the negative sign, whatever the rounding",
                UNDECIDABLE: f"Whether M2 is the same computation cannot be decided: "
                f"{u2['reproduced']} of {u2['total']} numbers fit",
            },
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
            "M3 is the same computation as M2",
            HOLDS if lost_rd else UNDECIDABLE,
            {
                UNDECIDABLE: f"Whether M3 is the same computation as M2 cannot be decided: the "
                f"same units reproduce {u3['reproduced']} of {u3['total']} of its numbers "
                "(not the R&D sign, not the budget ratio's standard error), but its ranges "
                f"are about {100 * w3:.0f} % wide, wide enough for many numbers to fall inside "
                "by chance",
                HOLDS: f"M3 is M2's computation with the same units and the same lost minus "
                f"sign on R&D: the units of M1 and M2 reproduce {u3['reproduced']} of "
                f"{u3['total']} of its numbers, and the intercept that the printed slopes and "
                "Table 2's means give is "
                + (
                    f"{fmt_range(flip['low'], flip['high'], 4)} with a negative R&D slope "
                    f"(printed {flip['printed']}) but "
                    f"{fmt_range(ident['low'], ident['high'], 4)} with the printed positive "
                    "one, whatever the rounding"
                    if lost_rd
                    else ""
                )
                + (
                    f"; one more number, the "
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
                "printed coefficient and standard error with the model's degrees of freedom, "
                "whatever the rounding of those two numbers",
                CONTRADICTED: "Every star follows from the printed coefficient and standard "
                "error; no star is shown wrong",
            },
        )
    )
    return out


def rd_sign(inp: Inputs) -> list[Finding]:
    """The sign of the R&D coefficients that Tables 2 and 3 imply."""
    rng = inp.rng
    out: list[Finding] = []
    add = out.append
    # R&D sign
    rd = {m: rng(m, "Var6", "std_coef") for m in ("M2", "M3", "M4")}
    levels = [sign_certainty(*rd[m], -1) for m in rd]
    if all(level == HOLDS for level in levels):
        rd_level = HOLDS
    elif all(v[0] < 0 for v in rd.values()):
        rd_level = AT_PRINTED
    else:
        rd_level = UNDECIDABLE
    spans = [m for m, level in zip(rd, levels) if level != HOLDS]
    firm = [m for m, level in zip(rd, levels) if level == HOLDS]

    def rd_part(m):
        return f"{m} {fmt_range(rd[m][1], rd[m][2], 2)}"

    add(
        _finding(
            "rd-sign",
            "audit",
            "The R&D coefficients that Tables 2 and 3 imply are negative in M2, M3 and M4",
            rd_level,
            {
                HOLDS: "The R&D coefficients that Tables 2 and 3 imply are negative in all "
                "three models that contain R&D, whatever the rounding (standardized: "
                + ", ".join(rd_part(m) for m in rd)
                + "), where Table 4 prints positive ones",
                AT_PRINTED: "The R&D coefficients that Tables 2 and 3 imply are negative in "
                "all three models that contain R&D at the printed values only: over the "
                "rounding they stay negative in "
                + " and ".join(firm)
                + " (standardized: "
                + ", ".join(rd_part(m) for m in firm)
                + "), but the range of "
                + " and ".join(spans)
                + " ("
                + ", ".join(rd_part(m) for m in spans)
                + ") reaches positive values; Table 4 prints positive ones in all three",
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
                AT_PRINTED: "None is significant at the 10 % level at the printed values "
                "only; the rounding allows a significant one",
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
    m4_top = vifs.loc["M4"].nominal.idxmax()
    v4 = rng("M4", m4_top, "vif")
    m1_ok = float(vifs.loc["M1"].high.max()) < vif_max
    vif_level = above_certainty(*v2, vif_max) if m1_ok else UNDECIDABLE
    add(
        _finding(
            "vif",
            "correlations",
            "The paper's VIF bound holds for M1 only",
            vif_level,
            {
                HOLDS: f"The paper's bound (every VIF below {vif_max:g}) holds for M1 only, "
                f"whatever the rounding: in M2 the largest VIF ({_name(ds, m2_top)}) is "
                f"{fmt_range(v2[1], v2[2], 1)}, in M4 ({_name(ds, m4_top)}) "
                f"{fmt_range(v4[1], v4[2], 0)}",
                AT_PRINTED: f"The paper's VIF bound fails in M2 at the printed values only "
                f"({fmt_range(v2[1], v2[2], 1)})",
                UNDECIDABLE: "Whether the paper's VIF bound holds cannot be decided",
            },
            [
                Evidence(f"largest VIF in M2 ({m2_top})", *v2, digits=1),
                Evidence(f"largest VIF in M4 ({m4_top})", *v4, digits=0),
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
                "values only",
            },
            [Evidence("M1 big-data standardized coefficient", *b, digits=3)],
        )
    )
    return out
