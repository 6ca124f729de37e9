"""The audit of this book's paper: :mod:`tableaudit`, plus the comparison with official data.

The audit of a paper's tables is the stand-alone package :mod:`tableaudit` (in ``tableaudit/`` of
this repository, installable on its own); its public API is re-exported here so that the chapters
write ``from westgov import audit`` and ``audit.run(...)``. What is specific to this paper lives
here: the official series identified with its variables (:func:`official_for_paper`, passed to
``audit.run(..., official=...)``), the variables whose official definition we only approximate
(:data:`APPROXIMATE`), the paper's own claims of its text that no other paper makes
(:data:`CLAIM_CHECKS`, which :func:`run` passes to :func:`tableaudit.run`), and where the book
keeps the audit's cache of rounding ranges (``_build/.cache/audit/``).
"""

from __future__ import annotations

import pandas as pd
import tableaudit
import tableaudit.ranges
from tableaudit import *  # noqa: F403  (the audit's public API, as the chapters use it)
from tableaudit import __all__ as _api
from tableaudit.verdicts import CONSISTENT, INCONSISTENT, Check

from .paths import BUILD_DIR

tableaudit.ranges.CACHE_DIR = BUILD_DIR / ".cache" / "audit"

#: Paper variables whose official counterpart we can only approximate (GDP per head: year-end population).
APPROXIMATE = ("Var8",)


def _var2_not_significant(tables, ranges) -> list[Check]:
    """Section 4.1: economic transformation (Var2) correlates negatively, but not significantly
    (at 10 %, two-sided), with the digital-government index (the dependent variable)."""
    var, dep = "Var2", tables.dependent
    key = (var, dep) if (var, dep) in tables.table3 else (dep, var)
    if key not in tables.table3:
        return []
    r = tables.table3[key][0]
    p = correlation_pvalue(r.value, tables.n)  # noqa: F405
    ok = r.value < 0 and p >= 0.10
    return [
        Check(
            "text",
            f"{var} is negatively but not significantly correlated with the outcome",
            r.text,
            f"p = {p:.3f}",
            CONSISTENT if ok else INCONSISTENT,
            "sign and two-sided t test of the printed correlation",
        )
    ]


#: The paper's claims that only this paper makes: claim id of ``text_claims.csv`` -> check.
CLAIM_CHECKS = {"var2_not_significant": _var2_not_significant}


def run(directory, official=None, approximate=(), claim_checks=None) -> pd.DataFrame:
    """:func:`tableaudit.run` with this paper's own claims (:data:`CLAIM_CHECKS`) added."""
    return tableaudit.run(
        directory, official=official, approximate=approximate, claim_checks=CLAIM_CHECKS | (claim_checks or {})
    )


def official_for_paper(ds) -> pd.DataFrame:
    """The official series of this book's paper, as columns named by paper id (western rows)."""
    from .variables import OFFICIAL_PAPER_IDS, official_variables

    frame = official_variables(ds)
    return pd.DataFrame(
        {pid: frame[ds.names[pid]].to_numpy() for pid in OFFICIAL_PAPER_IDS}
    )


__all__ = [*_api, "APPROXIMATE", "CLAIM_CHECKS", "official_for_paper"]
