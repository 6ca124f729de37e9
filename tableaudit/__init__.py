"""tableaudit: do the numbers of a paper's regression tables hang together?

The audit reads a folder of tables as printed (descriptive statistics, correlations, regression
coefficients and fit; the format is in this package's README and in :mod:`tableaudit.published`)
and checks every numeric claim against the others, in the spirit of statcheck (recompute p from
the reported statistic) and GRIM (is a number possible given how it was rounded). Every check
returns a :class:`Check` with the claim, the printed value, the recomputed value or range, a
verdict (``consistent``, ``inconsistent`` or ``undecidable``) and a one-line explanation.

Rounding is taken seriously: a number printed with d decimals stands for anything within half a
unit of its last digit, and a quantity recomputed from many printed inputs has the range of every
moment set within the rounding of Tables 2-3 whose correlation matrix is positive definite
(:func:`implied_ranges`).

What lives where:

* :mod:`~tableaudit.problems` -- :class:`Problem` (file, row, column, reason) and :class:`DataError`;
* :mod:`~tableaudit.format` -- the table format: one pandera schema per file (:func:`table_specs`),
  and the conventions a set declares in ``table_format.csv`` (:class:`Conventions`);
* :mod:`~tableaudit.reading` -- the CSV reader: numbers as journals print them, every problem named;
* :mod:`~tableaudit.published` -- a table set read and checked as a whole (:func:`read_tables`);
* :mod:`~tableaudit.significance` -- p-values of correlations; stars at 10 / 5 / 1 % or declared levels (:class:`StarRule`);
* :mod:`~tableaudit.sumstats` -- OLS from means, standard deviations and correlations;
* :mod:`~tableaudit.moments` -- the same, vectorized over a batch of moment sets;
* :mod:`~tableaudit.optimize` -- smallest and largest values over the rounding box;
* :mod:`~tableaudit.ranges` -- every implied quantity with its rounding range, cached;
* :mod:`~tableaudit.verdicts` -- :class:`Check` and the three verdicts;
* :mod:`~tableaudit.checks` -- the checks: fit, coefficients, the intercept identity, stars,
  Table 2, text claims;
* :mod:`~tableaudit.parentheses` -- the number in parentheses (SE, t or p) as a t interval, and its check;
* :mod:`~tableaudit.scalefree` -- t = coef / se and its sign, which no change of units alters;
* :mod:`~tableaudit.official` -- Tables 2-3 against official series, when the user has them;
* :mod:`~tableaudit.units` -- which units (raw, z-scored, x 10^k) reproduce each model;
* :mod:`~tableaudit.falsematch` -- how often the unit search fits by chance
  (`python -m tableaudit.falsematch`);
* :mod:`~tableaudit.report` -- :func:`run` (every check), :func:`summary` (verdict counts), swaps,
  and :func:`text_report` (the report a person reads);
* :mod:`~tableaudit.example` -- true tables from a data frame, rounded like a paper;
* :mod:`~tableaudit.tablegen` -- generated table sets and planted errors;
* :mod:`~tableaudit.accuracy` -- the measured accuracy (`python -m tableaudit.accuracy`);
* :mod:`~tableaudit.cli` -- ``python -m tableaudit DIR``.

Usage::

    import tableaudit
    result = tableaudit.run("my-paper/")        # one row per check
    tableaudit.summary(result)                  # verdict counts
"""

from .checks import intercept_identity
from .example import write_example_tables
from .format import FORMAT_OPTIONS, NAME_PATTERN, Conventions, FileSpec, Names, parse_conventions, table_specs
from .official import check_official
from .optimize import CORNER_LIMIT, PD_TOLERANCE, largest_min_eigenvalue
from .problems import DataError, Problem, sort_problems
from .published import Printed, Tables, read_conventions, read_tables, set_problems, structure_problems
from .ranges import PUBLIC_QUANTITIES, RANGE_COLUMNS, implied_ranges
from .reading import Table, parse_number, read_file, read_table
from .report import run, summary, swaps, text_report
from .scalefree import AS_PRINTED, DIFFERENT_ESTIMATE, UNITS_QUESTION, scale_free
from .significance import DEFAULT_STARS, STAR_LEVELS, StarRule, correlation_pvalue, stars
from .sumstats import (
    IllConditionedError,
    IllConditionedWarning,
    SummaryOLS,
    moments_of,
    ols_from_moments,
    published_moments,
)
from .units import PRIOR, prior_weight, scaling_factor, unit_assignments
from .verdicts import CONSISTENT, INCONSISTENT, NO_PD, SINGULAR, UNDECIDABLE, Check

__version__ = "0.1.0"

__all__ = [
    "AS_PRINTED",
    "CONSISTENT",
    "CORNER_LIMIT",
    "DEFAULT_STARS",
    "FORMAT_OPTIONS",
    "DIFFERENT_ESTIMATE",
    "INCONSISTENT",
    "NAME_PATTERN",
    "NO_PD",
    "PD_TOLERANCE",
    "PRIOR",
    "PUBLIC_QUANTITIES",
    "RANGE_COLUMNS",
    "SINGULAR",
    "STAR_LEVELS",
    "UNDECIDABLE",
    "UNITS_QUESTION",
    "Check",
    "Conventions",
    "DataError",
    "FileSpec",
    "IllConditionedError",
    "IllConditionedWarning",
    "Names",
    "Printed",
    "Problem",
    "StarRule",
    "SummaryOLS",
    "Table",
    "Tables",
    "check_official",
    "correlation_pvalue",
    "implied_ranges",
    "intercept_identity",
    "largest_min_eigenvalue",
    "moments_of",
    "ols_from_moments",
    "parse_number",
    "parse_conventions",
    "prior_weight",
    "published_moments",
    "read_conventions",
    "read_file",
    "read_table",
    "read_tables",
    "run",
    "scale_free",
    "scaling_factor",
    "set_problems",
    "sort_problems",
    "stars",
    "structure_problems",
    "summary",
    "swaps",
    "table_specs",
    "text_report",
    "unit_assignments",
    "write_example_tables",
]
