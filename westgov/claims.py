"""Guards for what the prose says about the data.

A chapter's prose states facts that its code computes: "Tibet has the largest budget ratio",
"the bound fails over the whole rounding range". When the data change, the glued numbers follow,
but a sentence's words may stop being true. Each such sentence is guarded, in the cell that
computes its evidence, by a claim::

    from westgov.claims import claims_for

    claim = claims_for("chapters/descriptives.md")
    claim(
        by_region.budget_expenditure_share.idxmax() == "Tibet",
        "Tibet spends the most relative to its economy",
        section="Official data, region by region",
        now=lambda: f"the largest ratio is {by_region.budget_expenditure_share.idxmax()}'s",
    )

When the condition is false, :class:`ClaimNoLongerHolds` stops the chapter (and so the build)
with the page, the section, the sentence as printed, what the data now say, and what to do.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

#: What the reader of a failed claim is asked to do.
ADVICE = (
    "Rewrite the sentence so that it says what the data now show (glue any number in it), "
    "update this claim in the same cell, and rebuild with `make book`."
)


class ClaimNoLongerHolds(Exception):
    """A sentence printed on a page is no longer true of the data it describes."""

    def __init__(self, page: str, section: str, sentence: str, now: str | None):
        self.page, self.section, self.sentence, self.now = page, section, sentence, now
        lines = [
            "A sentence on a page no longer holds for the data.",
            f"  page:      {page}",
            f"  section:   {section}",
            f"  sentence:  \"{sentence}\"",
        ]
        if now:
            lines.append(f"  data now:  {now}")
        lines.append(ADVICE)
        super().__init__("\n".join(lines))


def _as_bool(condition) -> bool:
    """A claim's condition as a plain bool; an array or a frame is refused (ambiguous truth)."""
    if isinstance(condition, (bool, np.bool_)):
        return bool(condition)
    raise TypeError(
        f"a claim's condition must be True or False, not {type(condition).__name__} "
        "(use .all() or .any() to say which)"
    )


def claim(
    condition,
    sentence: str,
    *,
    page: str,
    section: str,
    now: str | Callable[[], str] | None = None,
) -> None:
    """Stop with :class:`ClaimNoLongerHolds` unless ``condition`` is true.

    ``sentence`` is the sentence as the page prints it (glued numbers may be left as "..."),
    ``page`` the chapter's source file and ``section`` the heading it sits under. ``now`` says
    what the data show instead: a string, or a function called only when the claim fails (it may
    compute something that is only defined then).
    """
    if _as_bool(condition):
        return
    said = now() if callable(now) else now
    raise ClaimNoLongerHolds(page, section, sentence, said)


def claims_for(page: str) -> Callable[..., None]:
    """:func:`claim` bound to one page, for the chapter's set-up cell."""
    return functools.partial(claim, page=page)
