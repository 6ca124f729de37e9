"""Findings that need data beyond the printed tables, one function per group, in the ledger's
order: each official series against Table 2 (``official-var*``), the official budget ratio
against the ranking (``budget-direction``), the row-level data sets against Table 2's extremes
(``draws-extremes``) and the leverage bound in M1 (``leverage-m1``)."""

from __future__ import annotations

import math

import pandas as pd

from westgov import models, variables

from .evidence import Evidence, Finding, _finding
from .inputs import Inputs, _audit, _name
from .rows import _half_units, budget_orderings, extremes_miss, leverage_bound
from .scale import CONTRADICTED, HOLDS, UNDECIDABLE, _count_words, _fmt, fmt_range


def _extreme_beyond_print(ds, official, col, pid: str, digits: int) -> str | None:
    """With partial coverage the minimum still decides: the regions without an official figure
    could only lower the minimum of all twelve. The sentence saying so, or None."""
    if len(col) == len(official):
        return None
    printed_min = str(ds.table2.set_index("variable").loc[pid, "min"])
    decimals = len(printed_min.split(".")[1]) if "." in printed_min else 0
    if float(col.min()) >= float(printed_min) - 0.5 * 10.0**-decimals:
        return None
    low_region = official.loc[col.idxmin(), "name_en"]
    lowest_printable = float(printed_min) - 0.5 * 10.0**-decimals
    # an upward revision that brings the official value into the printed minimum's rounding
    # interval: the exact one rounded up, so that the stated revision is enough
    revision = math.ceil(10000 * (lowest_printable / float(col.min()) - 1)) / 100
    return (
        f"the official value for {low_region} ({_fmt(float(col.min()), digits)}) is below "
        f"the printed minimum ({printed_min}), and the regions without an official figure "
        f"could only lower the minimum; the official value is a preliminary one, and an upward "
        f"revision of {revision:.2f} % would already remove the contradiction"
    )


def official_series(inp: Inputs) -> list[Finding]:
    """Each official series of Table 1 against Table 2."""
    checks, ds = inp.checks, inp.ds
    out: list[Finding] = []
    add = out.append
    # official series, variable by variable
    off = checks[checks.category == "official"]

    def verdicts_of(pid):
        rows = off[off.claim.str.startswith(f"{pid}:")]
        return set(rows.verdict)

    official = variables.official_variables(ds)
    t2 = ds.table2.set_index("variable")
    for pid in variables.OFFICIAL_PAPER_IDS:
        v = verdicts_of(pid)
        if v == {_audit.CONSISTENT}:
            level = HOLDS
        elif _audit.INCONSISTENT in v:
            level = CONTRADICTED
        else:
            level = UNDECIDABLE
        name = _name(ds, pid)
        bare = name.removeprefix("the ")
        col = official[ds.names[pid]].dropna()
        ours_mean, paper_mean = float(col.mean()), float(t2.loc[pid, "mean"])
        digits = 4 if paper_mean < 10 else 2
        extreme = _extreme_beyond_print(ds, official, col, pid, digits)
        reason = (
            f"official data cover {len(col)} of {len(official)} regions"
            if len(col) < len(official)
            else "our series only approximates the official definition "
            f"(means differ by {100 * (ours_mean / paper_mean - 1):+.2f} %)"
        )
        add(
            _finding(
                f"official-{pid.lower()}",
                "data",
                f"Table 2's {bare} is the official series that Table 1 names",
                level,
                {
                    HOLDS: f"Table 2's {bare} is the official series: its mean, "
                    "standard deviation, minimum and maximum reproduce Table 2 to every "
                    "printed digit",
                    CONTRADICTED: f"Table 2's {bare} is not the official series of "
                    "Table 1's definition: "
                    + (
                        extreme + f" (official figures cover {len(col)} of "
                        f"{len(official)} regions)"
                        if extreme
                        else f"mean {_fmt(ours_mean, digits)} from the yearbooks against "
                        f"{_fmt(paper_mean, digits)} printed, beyond rounding"
                    ),
                    UNDECIDABLE: f"Whether {name} is the official series cannot be "
                    f"decided: {reason}",
                },
            )
        )
    return out


def budget_direction(inp: Inputs) -> list[Finding]:
    """The official budget ratio against the digital-government ranking."""
    ds = inp.ds
    out: list[Finding] = []
    add = out.append
    # the official budget ratio against the ranking
    bo = budget_orderings(ds)
    r15 = float(ds.table3.set_index(["row", "col"]).r[("Var5", "Var1")])
    if bo["rho_max"] < 0:
        level = HOLDS
    elif bo["rho_min"] > 0:
        level = CONTRADICTED
    else:
        level = UNDECIDABLE
    add(
        _finding(
            "budget-direction",
            "recommendations",
            "If the paper's last five are also last in the 2020 index, the official budget ratio "
            "runs against the digital-government ranking",
            level,
            {
                HOLDS: "In the official 2020 data the budget ratio runs the other way, provided "
                "the paper's last five are also last in the 2020 index: "
                + (
                    "the three highest ratios all belong"
                    if len(bo["last_five_in_top3"]) == 3
                    else f"{_count_words(len(bo['last_five_in_top3']))} of the three "
                    "highest ratios belong"
                )
                + " to the paper's last five "
                f"({', '.join(bo['last_five_in_top3'])}), and its rank "
                "correlation with the digital-government level is negative (a higher ratio goes with a "
                "lower place) for every "
                "ordering consistent with the published 2020 top ten and with the last five "
                "the paper quotes "
                f"({fmt_range(bo['rho_min'], bo['rho_max'], 2)} over "
                f"{bo['n_orderings']:,} orderings), while Table 3 prints a correlation of "
                f"r = {r15:.3f} between the authors' two series. The last five come from the "
                "2021 report the paper cites; that they are also last in the 2020 index, the "
                "outcome, is an assumption (no public summary of the 2020 index lists them), "
                "and without it the direction cannot be told from ranks alone",
                CONTRADICTED: "In official data the budget ratio rises with the ranking, "
                "as in Table 3, for every consistent ordering: the claim is not borne out",
                UNDECIDABLE: "The direction of the official budget ratio against the "
                f"ranking cannot be decided ({fmt_range(bo['rho_min'], bo['rho_max'], 2)})",
            },
            [
                Evidence(
                    "Spearman rho, budget ratio vs ranking",
                    None,
                    bo["rho_min"],
                    bo["rho_max"],
                    2,
                    "orderings consistent with section 2.4",
                )
            ],
        )
    )
    return out


def draws_extremes(inp: Inputs, draws: list[pd.DataFrame]) -> list[Finding]:
    """The row-level data sets (``draws``) against Table 2's minima and maxima."""
    ds = inp.ds
    # row-level data sets and the leverage bound
    out: list[Finding] = []
    add = out.append
    half = _half_units(ds)
    miss = pd.DataFrame([extremes_miss(d, ds, half) for d in draws])
    worst = miss.max(axis=1)
    n_within = int((worst <= 0.05).sum())
    add(
        _finding(
            "draws-extremes",
            "regressions",
            "The data sets used for row-level results match every number of Tables 2 and 3",
            HOLDS if n_within == len(draws) else CONTRADICTED,
            {
                HOLDS: f"Every data set of the {len(draws)} matches every printed number "
                "of Tables 2 and 3, extremes included",
                CONTRADICTED: f"The {len(draws)} data sets match the printed means, standard "
                "deviations and correlations, but not the 16 printed minima and maxima: "
                f"{_count_words(n_within) if n_within < 4 else n_within} of them come within 0.05 standard deviations of all 16 (the "
                f"closest misses by {worst.min():.2f} sd, the typical one by "
                f"{worst.median():.2f} sd). Ranges over them show what the printed moments "
                "leave open, not what every printed number leaves open",
            },
            [
                Evidence(
                    "largest miss of a minimum or maximum (sd)",
                    float(worst.median()),
                    float(worst.min()),
                    float(worst.max()),
                    2,
                    f"{len(draws)} data sets",
                )
            ],
        )
    )
    return out


def leverage_m1(inp: Inputs, draws: list[pd.DataFrame]) -> list[Finding]:
    """The largest leverage Table 2's extremes allow a row of M1, against the ``draws``."""
    ds, tables = inp.ds, inp.tables
    out: list[Finding] = []
    add = out.append
    lev_printed, lev_range = leverage_bound(tables, "M1")
    lev_draws = max(
        float(models.row_diagnostics(d, "M1", ds.names)["leverage"].max())
        for d in draws
    )
    bound_up = math.ceil(lev_range * 1000) / 1000
    n_above = sum(
        float(models.row_diagnostics(d, "M1", ds.names)["leverage"].max()) > lev_range
        for d in draws
    )
    add(
        _finding(
            "leverage-m1",
            "regressions",
            "Table 2's extremes cap the leverage of any row in M1",
            HOLDS,
            {
                HOLDS: "No data set with the means, standard deviations, minima and maxima "
                "of Table 2 and the correlations of Table 3 can give a "
                f"row of M1 a leverage above {bound_up:.3f}, whatever the rounding "
                f"({math.ceil(lev_printed * 1000) / 1000:.3f} at the printed values); "
                f"{n_above} of the {len(draws)} random data sets exceed it (up to "
                f"{lev_draws:.3f}), so their largest leverages are not possible for the "
                "authors' data",
            },
            [
                Evidence("largest M1 leverage, printed values", lev_printed, digits=3),
                Evidence("largest M1 leverage, over the rounding", lev_range, digits=3),
            ],
        )
    )
    return out
