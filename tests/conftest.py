"""Shared fixtures: a scratch copy of the data folder that a test may corrupt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from westgov import checksums
from westgov.paths import DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures"


class ScratchData:
    """A copy of ``data/`` in a temporary folder, with helpers to corrupt one file."""

    def __init__(self, root: Path):
        self.root = root

    def text(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str | bytes, update_sums: bool = True) -> None:
        path = self.root / rel
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        if update_sums:
            checksums.update(self.root)

    def replace(self, rel: str, old: str, new: str, update_sums: bool = True, count: int = 1) -> int:
        """Replace ``old`` by ``new`` in a file; return the 1-based line number of the change."""
        text = self.text(rel)
        assert old in text, f"{old!r} not found in {rel}"
        line = text[: text.index(old)].count("\n") + 1
        self.write(rel, text.replace(old, new, count), update_sums)
        return line

    def line_of(self, rel: str, needle: str) -> int:
        text = self.text(rel)
        return text[: text.index(needle)].count("\n") + 1


@pytest.fixture(scope="module")
def paper_tables():
    """The paper's Tables 2-4 as printed (``data/published/``), read once per test module."""
    from westgov import audit

    return audit.read_tables(DATA_DIR / "published")


@pytest.fixture
def tables(tmp_path) -> Path:
    """A copy of the paper's published tables (``data/published/``) that a test may edit."""
    d = tmp_path / "published"
    shutil.copytree(DATA_DIR / "published", d)
    return d


@pytest.fixture
def scratch(tmp_path) -> ScratchData:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    return ScratchData(root)


@pytest.fixture(autouse=True, scope="session")
def _fresh_range_cache_per_mutant():
    """Under ``make mutation``, compute the audit's rounding ranges afresh for each mutant.

    mutmut runs the clean tests in one process and forks it for every mutant; the mutated code
    sits in one file whatever the active mutant. The audit's range cache (in memory, and on disk
    keyed by that file's hash) would then hand every mutant the clean code's ranges, and a
    mutant in the range optimization would survive unseen. Keying the cache on the active mutant
    (and emptying the inherited memory cache) makes each mutant compute its own ranges (0.6 s for
    the paper's tables). Outside mutation testing nothing changes.
    """
    import os

    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if not mutant:
        yield
        return
    from westgov import audit

    original = audit._code_version
    audit._RANGE_CACHE.clear()
    audit._code_version = lambda: f"{original()}-{mutant}"
    try:
        yield
    finally:
        audit._code_version = original
