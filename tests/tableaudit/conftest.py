"""Fixtures of the audit's tests: a copy of a table set that a test may edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from westgov.paths import DATA_DIR


@pytest.fixture
def tables(tmp_path) -> Path:
    """A copy of the paper's published tables (``data/published/``) that a test may edit."""
    d = tmp_path / "published"
    shutil.copytree(DATA_DIR / "published", d)
    return d
