"""The findings ledger: every finding the book states about the paper, computed in one place.

A *finding* is a statement of this book about the paper (for example "the R&D coefficients that
Tables 2 and 3 imply are negative"). Each one carries

* an ``id`` and its home section (``home``, a chapter; the anchor is ``finding-<id>``);
* the ``evidence``: values with their rounding ranges, or the set over which it was computed
  (data sets, orderings of regions);
* a ``certainty`` computed from that evidence, on one scale used everywhere (``SCALE``, five levels):

  - ``HOLDS``: holds over the whole rounding range (or the whole set of data sets or orderings);
  - ``AT_PRINTED``: holds at the printed values but not over the whole range;
  - ``SOMEWHERE``: holds at some point of the rounding range (often an edge), not at the printed
    values: an existence result, never worded "whatever the rounding";
  - ``UNDECIDABLE``: the evidence cannot settle it;
  - ``CONTRADICTED``: the evidence says the opposite;

* its ``wording`` for each level of the scale. ``Finding.text`` is the wording of the computed
  level; the chapters glue it (``glue_all``), so that a page cannot state a finding more firmly
  than its evidence allows.

Range ends are rounded outward (``fmt_range``): a range printed to fewer digits always contains
the exact one. The audit is imported here once (``_audit``), so that moving it changes one line.

Where things live:

* :mod:`.scale` -- the certainty scale (``HOLDS`` ... ``SCALE``), the phrases a wording may or
  must use at each level (``ONLY_AT``, ``MARKERS``), outward rounding (``outward``,
  ``fmt_range``) and the certainty of a sign or a bound from a range;
* :mod:`.evidence` -- the types: ``Evidence``, ``Finding`` and ``_finding``, which builds one;
* :mod:`.inputs` -- what every finding is computed from, read once (``_inputs``); the one import
  of the audit (``_audit``), so that moving it changes one line;
* :mod:`.rows` -- the row-level data sets (``draw_datasets``, ``N_DRAWS``), their extremes, the
  leverage bound of M1 and the orderings of the ranking behind the budget direction;
* :mod:`.from_tables` -- the findings read from the printed tables (fit, units, stars, R&D,
  VIF, big data), one function per group;
* :mod:`.from_data` -- the findings that need more than the tables (official series, budget
  direction, row-level data sets, leverage), one function per group;
* :mod:`.assemble` -- ``compute`` (every group, in the book's order) and ``ledger`` (the same,
  cached on disk under a fingerprint of the data and the code);
* :mod:`.render` -- the ledger on the page: ``glue_all``, ``official_summary``, ``table`` and
  ``letter``.

This package re-exports the names the chapters and tests use (``from westgov import findings``).
"""

from .assemble import compute, ledger
from .evidence import _finding as _finding
from .render import glue_all, letter, official_summary, table
from .rows import N_DRAWS, draw_datasets
from .scale import (
    AT_PRINTED,
    CONTRADICTED,
    HOLDS,
    MARKERS,
    ONLY_AT,
    SCALE,
    SOMEWHERE,
    UNDECIDABLE,
    UNIVERSAL,
    fmt_range,
    range_text,
    fmt_supported,
    outward,
    supported_decimals,
    wording_problems,
)

__all__ = [
    "AT_PRINTED",
    "CONTRADICTED",
    "HOLDS",
    "MARKERS",
    "N_DRAWS",
    "ONLY_AT",
    "SCALE",
    "SOMEWHERE",
    "UNDECIDABLE",
    "UNIVERSAL",
    "compute",
    "draw_datasets",
    "fmt_range",
    "range_text",
    "fmt_supported",
    "glue_all",
    "ledger",
    "letter",
    "official_summary",
    "outward",
    "supported_decimals",
    "table",
    "wording_problems",
]
