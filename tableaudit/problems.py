"""The problem and error types shared by every reader and checker.

A :class:`Problem` names one place in one file (file, line, column) and what is wrong there; a
:class:`DataError` carries all the problems found, so that a reader fixes every one in one pass.
This module imports nothing from the rest of :mod:`tableaudit`, so any module may use it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file.

    ``row`` is the line number in the file (header = 1, first data row = 2); ``None`` when the
    problem concerns the whole file. ``column`` is ``None`` when it concerns a whole row or file.
    """

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        where += f", row {self.row}" if self.row is not None else ""
        where += f", column '{self.column}'" if self.column is not None else ""
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column, "reason": self.reason}


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then line, then column."""
    return sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.reason))


class DataError(ValueError):
    """Raised when a data folder or a table set has problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sort_problems(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{lines}")
