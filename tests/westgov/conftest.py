"""Fixtures of the study's tests: a scratch copy of the data folder that a test may corrupt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from westgov import checksums
from westgov.paths import DATA_DIR


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


@pytest.fixture
def scratch(tmp_path) -> ScratchData:
    root = tmp_path / "data"
    shutil.copytree(DATA_DIR, root)
    return ScratchData(root)
