"""Assembling the ledger: ``compute`` runs every group of findings in the book's order; ``ledger`` caches
the result on disk under a fingerprint (``_cache_key``) of the data and of every ``.py`` file
under ``westgov/`` and ``tableaudit/``."""

from __future__ import annotations

import os
from functools import lru_cache

from westgov.paths import DATA_DIR

from . import from_data, from_tables
from .evidence import Finding
from .inputs import _inputs
from .rows import _draws


def _cache_key(data_dir: str) -> str:
    """Fingerprint of the data and of the code the ledger depends on."""
    import hashlib
    from pathlib import Path

    digest = hashlib.sha256()
    for path in sorted(Path(data_dir).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(data_dir)).encode())
            digest.update(path.read_bytes())
    import tableaudit
    import westgov

    for package in (Path(westgov.__file__).parent, Path(tableaudit.__file__).parent):
        for path in sorted(package.rglob("*.py")):
            digest.update(str(path.relative_to(package.parent)).encode())
            digest.update(path.read_bytes())
    # Under mutation testing every mutant shares the same files (mutmut switches mutants by this
    # variable), so the active mutant is part of the key: no mutant reads the clean code's ledger.
    digest.update(os.environ.get("MUTANT_UNDER_TEST", "").encode())
    return digest.hexdigest()[:24]


@lru_cache(maxsize=2)
def ledger(data_dir: str = str(DATA_DIR)) -> dict[str, Finding]:
    """Every finding, keyed by id, in the order the book presents them; cached on disk
    (``_build/.cache/findings/``) under a fingerprint of the data, ``westgov/`` and ``tableaudit/``, so
    that the chapters share one computation."""
    import pickle

    from westgov.paths import BUILD_DIR

    path = BUILD_DIR / ".cache" / "findings" / f"ledger-{_cache_key(data_dir)}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    book = compute(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(book))
        tmp.replace(path)
    except OSError:
        pass  # a read-only checkout still works, only slower
    return book


def compute(data_dir: str = str(DATA_DIR)) -> dict[str, Finding]:
    """Compute every finding afresh (no disk cache), keyed by id in the book's order."""
    inp = _inputs(data_dir)
    found = [
        *from_tables.fit(inp),
        *from_tables.models_significant(inp),
        *from_tables.raw_units(inp),
        *from_tables.units_m1(inp),
        *from_tables.units_m2(inp),
        *from_tables.units_m3(inp),
        *from_tables.units_m4(inp),
        *from_tables.stars(inp),
        *from_tables.rd_sign(inp),
        *from_tables.rd_insignificant(inp),
        *from_tables.vif(inp),
        *from_tables.bigdata_m1(inp),
        *from_data.official_series(inp),
        *from_data.budget_direction(inp),
        *from_data.draws_extremes(inp, _draws(data_dir)),
        *from_data.leverage_m1(inp, _draws(data_dir)),
    ]
    return {f.id: f for f in found}
