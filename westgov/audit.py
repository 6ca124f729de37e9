"""The audit of this book's paper: :mod:`tableaudit`, plus the comparison with official data.

The audit of a paper's tables is the stand-alone package :mod:`tableaudit` (in ``tableaudit/`` of
this repository, installable on its own); its public API is re-exported here so that the chapters
write ``from westgov import audit`` and ``audit.run(...)``. What is specific to this paper lives
here: the official series identified with its variables (:func:`official_for_paper`, passed to
``audit.run(..., official=...)``), the variables whose official definition we only approximate
(:data:`APPROXIMATE`), and where the book keeps the audit's cache of rounding ranges
(``_build/.cache/audit/``).
"""

from __future__ import annotations

import pandas as pd
import tableaudit.ranges
from tableaudit import *  # noqa: F403  (the audit's public API, as the chapters use it)
from tableaudit import __all__ as _api

from .paths import BUILD_DIR

tableaudit.ranges.CACHE_DIR = BUILD_DIR / ".cache" / "audit"

#: Paper variables whose official counterpart we can only approximate (GDP per head: year-end population).
APPROXIMATE = ("Var8",)


def official_for_paper(ds) -> pd.DataFrame:
    """The official series of this book's paper, as columns named by paper id (western rows)."""
    from .variables import OFFICIAL_PAPER_IDS, official_variables

    frame = official_variables(ds)
    return pd.DataFrame(
        {pid: frame[ds.names[pid]].to_numpy() for pid in OFFICIAL_PAPER_IDS}
    )


__all__ = [*_api, "APPROXIMATE", "official_for_paper"]
