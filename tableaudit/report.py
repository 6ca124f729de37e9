"""Run every check on a table set (:func:`run`) and count the verdicts (:func:`summary`)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from . import ranges as _ranges
from .checks import (
    _check_against_moments,
    _check_claims,
    _check_correlation_stars,
    _check_fit,
    _check_intercept_identity,
    _check_stars,
    _check_table2_internal,
)
from .official import check_official
from .published import Tables, read_tables
from .scalefree import _check_scale_free, scale_free
from .units import unit_assignments


def run(
    directory: Path | str | Tables,
    official: pd.DataFrame | None = None,
    approximate: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Run every check on a published-tables directory; returns one row per check.

    With ``official`` (see :func:`check_official`) Table 2 and Table 3 are also compared with
    official series. ``result.attrs`` carries the structured scale-free checks (``scale_free``,
    see :func:`scale_free`) and the unit assignment per model (``units``, see
    :func:`unit_assignments`), which ``python -m tableaudit --json`` prints beside the checks.
    """
    tb = directory if isinstance(directory, Tables) else read_tables(directory)
    ranges = _ranges._all_ranges(tb)
    units = unit_assignments(tb)
    checks = (
        _check_table2_internal(tb)
        + _check_correlation_stars(tb)
        + _check_fit(tb)
        + _check_against_moments(tb, ranges)
        + _check_intercept_identity(tb, units)
        + _check_scale_free(tb)
        + _check_stars(tb)
        + _check_claims(tb, ranges)
    )
    if official is not None:
        checks += check_official(tb, official, approximate)
    result = pd.DataFrame([asdict(c) for c in checks])
    result.attrs["scale_free"] = _json_safe(scale_free(tb).to_dict(orient="records"))
    result.attrs["units"] = _json_safe(units)
    return result


def _json_safe(obj):
    """NaN and infinities become None so that the JSON output is standard JSON."""
    if isinstance(obj, dict):
        return {k: _json_safe(x) for k, x in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(x) for x in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if np.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


#: Paper variables whose official counterpart we can only approximate (GDP per head: year-end population).
def summary(result: pd.DataFrame) -> dict:
    """Verdict counts, overall and by category."""
    return {
        "total": len(result),
        "verdicts": {k: int(v) for k, v in result.verdict.value_counts().items()},
        "by_category": {
            c: {k: int(v) for k, v in g.verdict.value_counts().items()}
            for c, g in result.groupby("category")
        },
    }
