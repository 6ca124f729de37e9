"""Comparison of Tables 2-3 with official series of the same variables (when the user has them)."""

from __future__ import annotations

import pandas as pd

from .published import Tables
from .verdicts import CONSISTENT, INCONSISTENT, UNDECIDABLE, Check


def check_official(
    tb: Tables, official: pd.DataFrame, approximate: tuple[str, ...] = ()
) -> list[Check]:
    """Compare Table 2 and Table 3 with official series identified with paper variables.

    ``official`` has one column per identified paper variable (named by paper id) and one row per
    unit, in the official row order; missing values make a statistic undecidable. Variables in
    ``approximate`` are only approximations of the official definition (for example GDP per head
    over year-end rather than average population): a mismatch there is undecidable, not inconsistent.
    """
    return [
        *_official_table2(tb, official, approximate),
        *_official_table3(tb, official, approximate),
    ]


def _official_table2(
    tb: Tables, official: pd.DataFrame, approximate: tuple[str, ...]
) -> list[Check]:
    """Table 2's mean, SD, minimum and maximum of each variable against its official series."""
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
                n_known = series.notna().sum()
                # The units without data can only lower the minimum and raise the maximum.
                beyond = (stat == "min" and value < printed.low - 1e-9) or (
                    stat == "max" and value > printed.high + 1e-9
                )
                out.append(
                    Check(
                        "official",
                        f"{var}: {stat} equals the official series",
                        printed.text,
                        f"{value:.4f} (n = {n_known})",
                        INCONSISTENT if beyond else UNDECIDABLE,
                        f"official data cover {n_known} of {len(series)} units"
                        + (
                            f", and their {stat} is already beyond the printed one; the "
                            f"others could only move it further"
                            if beyond
                            else ""
                        ),
                    )
                )
                continue
            ok = printed.low - 1e-9 <= value <= printed.high + 1e-9
            gap = f"off by {100 * (value - printed.value) / abs(printed.value):+.2f} %"
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
    return out


def _official_table3(
    tb: Tables, official: pd.DataFrame, approximate: tuple[str, ...]
) -> list[Check]:
    """Table 3's correlation of each pair against the official rows, kept in order."""
    out = []
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
