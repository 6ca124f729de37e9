"""Fixtures shared by every test folder: the paper's printed tables, and the audit's range cache.

Tests mirror the code: ``tests/tableaudit/`` tests the audit package, ``tests/westgov/`` the study,
``tests/book/`` the book's machinery (``westgov.book``), ``tests/browser/`` the built website.
"""

from __future__ import annotations

import pytest

from westgov.paths import DATA_DIR


@pytest.fixture(scope="module")
def paper_tables():
    """The paper's Tables 2-4 as printed (``data/published/``), read once per test module."""
    from westgov import audit

    return audit.read_tables(DATA_DIR / "published")


@pytest.fixture(autouse=True, scope="session")
def _fresh_range_cache_per_mutant():
    """Under ``make mutation``, compute the audit's rounding ranges afresh for each mutant.

    mutmut runs the clean tests in one process and forks it for every mutant; the mutated code
    sits in the same files whatever the active mutant. The audit's range cache (in memory, and on
    disk keyed by the hash of the package's modules) would then hand every mutant the clean code's
    ranges, and a mutant in the range optimization would survive unseen. Keying the cache on the
    active mutant (and emptying the inherited memory cache) makes each mutant compute its own
    ranges (0.6 s for the paper's tables). Outside mutation testing nothing changes.
    """
    import os

    import tableaudit.ranges
    from westgov import audit  # noqa: F401  (sets the book's disk cache, as the chapters do)

    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if not mutant:
        yield
        return
    ranges = tableaudit.ranges
    original = ranges._code_version
    ranges._RANGE_CACHE.clear()
    ranges._code_version = lambda: f"{original()}-{mutant}"
    try:
        yield
    finally:
        ranges._code_version = original
