"""What every finding is computed from, read once per data folder (``_inputs``), and two small
helpers (``_name``: a paper variable in words; ``_df``: a model's residual degrees of freedom).
The audit is imported here once (``_audit``), so that moving it changes one line."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

import pandas as pd

from westgov import audit as _audit
from westgov import data as data_mod
from westgov.paths import DATA_DIR


class Inputs(NamedTuple):
    """The data set, the printed tables, their implied ranges, the audit's checks, the unit
    assignments and the scale-free checks (unpacks like the tuple it replaces)."""

    ds: Any
    tables: Any
    ranges: pd.DataFrame
    checks: pd.DataFrame
    units: dict
    scale_free: pd.DataFrame

    def rng(self, model, term, quantity):
        """(nominal, low, high) of one implied quantity."""
        row = self.ranges.loc[(model, term, quantity)]
        return float(row.nominal), float(row.low), float(row.high)


@lru_cache(maxsize=2)
def _inputs(data_dir: str = str(DATA_DIR)):
    from pathlib import Path

    root = Path(data_dir)
    ds = data_mod.load(root)
    published = root / "published"
    tables = _audit.read_tables(published)
    ranges = _audit.implied_ranges(tables).set_index(["model", "term", "quantity"])
    checks = _audit.run(
        published,
        official=_audit.official_for_paper(ds),
        approximate=_audit.APPROXIMATE,
    )
    units = {u["model"]: u for u in _audit.unit_assignments(tables)}
    scale_free = _audit.scale_free(tables).set_index(["model", "term"])
    return Inputs(ds, tables, ranges, checks, units, scale_free)


def _name(ds, pid):
    return {
        "Var1": "digital-government index",
        "Var2": "the tertiary share",
        "Var3": "big-data index",
        "Var4": "infrastructure readiness",
        "Var5": "the budget ratio",
        "Var6": "R&D intensity",
        "Var7": "population",
        "Var8": "GDP per head",
    }[pid]


def _df(tables, model):
    return int(tables.n) - len(tables.regressors(model)) - 1
