"""The ledger's types: a piece of ``Evidence``, a ``Finding``, and ``_finding`` that builds one
with a wording for every level of the scale (a fallback where none is given)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .scale import (
    AT_PRINTED,
    CONTRADICTED,
    HOLDS,
    SCALE,
    SOMEWHERE,
    UNDECIDABLE,
    _fmt,
    fmt_range,
    wording_problems,
)


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: a value with its range, or a count over a set."""

    label: str
    nominal: float | None = None
    low: float | None = None
    high: float | None = None
    digits: int = 3
    over: str = "the rounding of Tables 2 and 3"

    def describe(self) -> str:
        if self.low is None:
            return f"{self.label}: {_fmt(self.nominal, self.digits)} ({self.over})"
        rng = fmt_range(self.low, self.high, self.digits)
        return (
            f"{self.label}: {_fmt(self.nominal, self.digits)} at the printed values, "
            f"{rng} over {self.over}"
        )


@dataclass
class Finding:
    id: str
    home: str
    statement: str
    certainty: str
    wording: dict[str, str]
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The words for this finding at its computed certainty."""
        return self.wording[self.certainty]

    @property
    def label(self) -> str:
        return f"finding-{self.id}"


def _finding(fid, home, statement, certainty, wording, evidence=()):
    assert certainty in SCALE, certainty
    fallback = {
        HOLDS: f"{statement}, whatever the rounding",
        AT_PRINTED: f"{statement}, at the printed values, not at every point of the rounding range",
        SOMEWHERE: f"{statement}, at some point of the rounding range (not at the printed "
        "values)",
        UNDECIDABLE: f"Whether the following holds cannot be decided: {statement}",
        CONTRADICTED: f"The evidence does not support this: {statement}",
    }
    full = {level: wording.get(level, fallback[level]) for level in SCALE}
    # the words at the computed level may not state more than the level allows
    problems = wording_problems(certainty, full[certainty])
    if problems:
        raise ValueError(f"finding {fid!r}: " + "; ".join(problems))
    return Finding(fid, home, statement, certainty, full, list(evidence))
