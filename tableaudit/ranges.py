"""Every quantity Tables 2-3 imply, with its rounding range: :func:`implied_ranges`.

One definition for all users; the ranges are cached in memory and, when :data:`CACHE_DIR` is set
(or the environment variable ``TABLEAUDIT_CACHE`` names a folder), on disk, keyed by the printed
content and by the code of this package.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from .moments import _model_quantities, _nominal_moments, _quantity_labels
from .optimize import (
    PD_FLOOR,
    PD_TOLERANCE,
    _box,
    _least_definite,
    _model_extremes,
    _most_definite,
)
from .published import Tables

#: A model whose correlation submatrix can reach this smallest eigenvalue within rounding is unbounded.
SINGULAR_FLOOR = 1e-8
_UNBOUNDED = {
    "std_coef": (-np.inf, np.inf),
    "se_std": (0.0, np.inf),
    "t": (-np.inf, np.inf),
    "vif": (1.0, np.inf),
    "coef": (-np.inf, np.inf),
    "se": (0.0, np.inf),
    "r2": (0.0, 1.0),
    "f": (0.0, np.inf),
}


def _ranges_optimized(tb: Tables) -> pd.DataFrame:
    box = _box(tb)
    v, m = tb.variables, len(box.pairs)
    means0, sds0, corr0 = _nominal_moments(tb)
    best, center = _most_definite(box)
    feasible = best >= -PD_TOLERANCE
    origin = (
        np.zeros(len(box.nominal))
        if np.linalg.eigvalsh(corr0)[0] >= PD_FLOOR
        else center
    )
    rows = []
    for model in tb.coefs:
        regs = tb.regressors(model)
        labels = _quantity_labels(tb, model)
        idx = [v.index(tb.dependent)] + [v.index(t) for t in regs]
        with np.errstate(all="ignore"):
            nominal = _model_quantities(
                tb, model, means0[None], sds0[None], corr0[None]
            )[0]
            if not feasible:
                lows = highs = np.full(len(nominal), np.nan)
            elif (
                min(
                    _least_definite(box, idx, np.zeros(len(box.nominal))),
                    _least_definite(box, idx, center),
                )
                <= SINGULAR_FLOOR
            ):
                lows = np.array([_UNBOUNDED[q][0] for _, q in labels])
                highs = np.array([_UNBOUNDED[q][1] for _, q in labels])
            else:
                lows, highs, _ = _model_extremes(tb, box, model, origin)
        found = {
            label: (lows[c], highs[c], nominal[c]) for c, label in enumerate(labels)
        }
        y = v.index(tb.dependent)
        for j, term in enumerate(regs):
            x = v.index(term)
            r_lo = box.nominal[m + y] + box.lower[m + y] * box.half[m + y]
            r_hi = box.nominal[m + y] + box.upper[m + y] * box.half[m + y]
            s_lo = box.nominal[m + x] + box.lower[m + x] * box.half[m + x]
            s_hi = box.nominal[m + x] + box.upper[m + x] * box.half[m + x]
            with np.errstate(divide="ignore"):
                ratio = np.array([r_lo / s_hi, r_hi / s_lo])
            ratio0 = sds0[y] / sds0[x]
            for q, std_q in (("coef", "std_coef"), ("se", "se_std")):
                lo, hi, nom = found[term, std_q]
                with np.errstate(all="ignore"):
                    prods = np.outer([lo, hi], ratio)
                if np.isnan(prods).all():
                    ends = (np.nan, np.nan)
                else:
                    ends = (float(np.nanmin(prods)), float(np.nanmax(prods)))
                rows.append((model, term, q, *ends, float(nom * ratio0)))
            for q in ("t", "std_coef", "vif", "se_std"):
                rows.append((model, term, q, *(float(z) for z in found[term, q])))
        for term, q in (("_Cons", "coef"), ("_Cons", "se"), ("", "r2"), ("", "f")):
            rows.append((model, term, q, *(float(z) for z in found[term, q])))
    return pd.DataFrame(rows, columns=RANGE_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Public API: every implied quantity with its rounding range (one definition for all chapters)
# ---------------------------------------------------------------------------------------------

#: Columns of :func:`implied_ranges`.
RANGE_COLUMNS = ["model", "term", "quantity", "low", "high", "nominal"]
_RANGE_CACHE: dict = {}
#: Folder of the disk cache of ranges (None: the ``TABLEAUDIT_CACHE`` environment variable, or
#: no disk cache). The book sets it to ``_build/.cache/audit``.
CACHE_DIR: Path | str | None = None


def _fingerprint(tb: Tables) -> str:
    """A text key for the printed content of the tables (used to cache ranges)."""
    import hashlib

    parts = [
        repr(
            sorted(
                (v, tuple(p.text for p in row.values())) for v, row in tb.table2.items()
            )
        )
    ]
    parts.append(repr(sorted((k, r.text) for k, (r, _) in tb.table3.items())))
    parts.append(repr(sorted((m, t) for m in tb.coefs for t in tb.coefs[m])))
    parts.append(repr(tb.n))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _code_version() -> str:
    """A hash of every module of this package: a change of the code invalidates the disk cache."""
    import hashlib

    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()[:16]


def _cache_file(key: str) -> Path | None:
    """Where the ranges of one table set are kept on disk; None when no cache folder is set."""
    folder = CACHE_DIR or os.environ.get("TABLEAUDIT_CACHE")
    if not folder:
        return None
    return Path(folder) / f"ranges-{key[:24]}-{_code_version()}.csv"


def _all_ranges(tb: Tables) -> pd.DataFrame:
    """Ranges of every quantity (public and internal ones such as ``se_std``), cached in memory and on disk."""
    key = _fingerprint(tb)
    if key in _RANGE_CACHE:
        return _RANGE_CACHE[key]
    path = _cache_file(key)
    frame = None
    if path is not None and path.exists():
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            for col in ("low", "high", "nominal"):
                frame[col] = pd.to_numeric(frame[col].replace("", "nan"))
        except (OSError, ValueError):
            frame = None
    if frame is None:
        frame = _ranges_optimized(tb)
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp")
                frame.to_csv(tmp, index=False)
                tmp.replace(path)
            except OSError:
                pass  # a read-only checkout still works, only slower
    _RANGE_CACHE[key] = frame
    return frame


#: Quantities reported by :func:`implied_ranges`.
PUBLIC_QUANTITIES = ("coef", "se", "t", "std_coef", "vif", "r2", "f")


def implied_ranges(tables: Tables) -> pd.DataFrame:
    """Every quantity Tables 2-3 imply for each model of Table 4, with its rounding range.

    One row per (model, term, quantity): ``coef``, ``se``, ``t``, ``std_coef`` and ``vif`` for each
    regressor; ``coef`` and ``se`` for the intercept (term ``_Cons``); ``r2`` and ``f`` for the model
    (term ``""``). ``nominal`` is the value at the printed moments; ``low`` and ``high`` the
    smallest and largest value over all moment sets within the rounding of the printed Tables 2-3
    whose correlation matrix is positive definite: each correlation within half a unit of its last
    printed digit, each mean and standard deviation likewise.

    The ends are found by optimization (deterministic starts, and the best corner of the model's
    correlation box, see :func:`_model_extremes`);
    coefficients and standard errors are exact products of the standardized ranges and the ranges
    of the standard deviations. ``low`` and ``high`` are NaN when no positive-definite matrix lies
    within the rounding (see :func:`largest_min_eigenvalue`). Cached per printed content, in memory
    and on disk under :data:`CACHE_DIR` (the book's is ``_build/.cache/audit/``).

    Usage: ``implied_ranges(read_tables("tables/"))``.
    """
    frame = _all_ranges(tables)
    return frame[frame.quantity.isin(PUBLIC_QUANTITIES)].reset_index(drop=True).copy()
