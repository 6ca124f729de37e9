"""The table format: what each file of a table set must look like (pandera schemas).

A table set is a folder of CSV files (see the README of this package and
:mod:`tableaudit.published`); :func:`table_specs` gives each file its :class:`FileSpec`: the
schema, which columns hold numbers, and which journal conventions each column accepts. Names of
variables and models are any plain name (:data:`NAME_PATTERN`); a study that wants its own ids
only passes them in :class:`Names`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandera.pandas as pa

from .significance import DEFAULT_STARS, StarRule

STARS = ["", "*", "**", "***"]


def _col(dtype, *checks, nullable=False, unique=False, desc=""):
    return pa.Column(dtype, checks=list(checks), nullable=nullable, unique=unique, description=desc)


def _nonblank():
    return pa.Check.str_length(min_value=1, error="must not be blank")


#: A plain name for a variable or a model of any paper: starts with a letter or underscore, then
#: letters, digits, spaces and ``_ . : ( ) / ^ + -``. No markup (``< > & " '``), no stars, no commas.
NAME_PATTERN = r"^[^\W\d][\w.:()/^+ -]{0,63}$"
NAME_ERROR = "a plain name: a letter first, then letters, digits, spaces or _ . : ( ) / ^ + - (at most 64)"


def _name(allowed: list[str] | None, error: str, unique: bool = False, extra: tuple[str, ...] = ()):
    """A name column: one of ``allowed`` (a study's own ids, refused with ``error``) or any plain name."""
    if allowed is not None:
        return _col(str, pa.Check.isin(list(allowed) + list(extra), error=error), unique=unique)
    return _col(str, pa.Check.str_matches(NAME_PATTERN, error=NAME_ERROR), unique=unique)


def table2_schema(variables: list[str] | None = None, error: str = "") -> pa.DataFrameSchema:
    """Descriptive statistics, one row per variable: ``variable, mean, sd, min, max``."""
    return pa.DataFrameSchema(
        {
            "variable": _name(variables, error, unique=True),
            "mean": _col(float),
            "sd": _col(float, pa.Check.gt(0, error="a standard deviation must be positive: it cannot be negative, "
                                          "and 0 is a constant variable that no correlation or regression can use")),
            "min": _col(float),
            "max": _col(float),
        },
        strict=True,
    )


def _stars(rule: StarRule = DEFAULT_STARS):
    """A stars column: no stars, or up to as many as the declared levels (``n.s.`` is read as none)."""
    marks = rule.marks
    error = "empty, " + ", ".join(marks[1:-1]) + (" or " if len(marks) > 2 else "") + marks[-1]
    if len(marks) < 4:
        error += f" (the table format declares {len(marks) - 1} star level{'s' if len(marks) > 2 else ''})"
    return _col(str, pa.Check.isin(marks, error=error))


def table3_schema(variables: list[str] | None = None, error: str = "",
                  rule: StarRule = DEFAULT_STARS) -> pa.DataFrameSchema:
    """Correlations, one row per pair: ``row, col, r, stars``."""
    return pa.DataFrameSchema(
        {
            "row": _name(variables, error),
            "col": _name(variables, error),
            "r": _col(float, pa.Check.in_range(-1, 1, error="a correlation in [-1, 1]")),
            "stars": _stars(rule),
        },
        strict=True,
        unique=["row", "col"],
    )


#: What the parentheses under (or beside) a coefficient may hold, named as the column that holds it.
PARENTHESES = {"se": "standard errors", "t": "t statistics", "p": "p-values"}


def _parenthesized(kind: str):
    if kind == "t":
        return _col(float, nullable=True)
    if kind == "p":
        return _col(float, pa.Check.in_range(0, 1, error="a p-value in [0, 1]"), nullable=True)
    return _col(float, pa.Check.ge(0, error="a standard error cannot be negative"), nullable=True)


def table4_coef_schema(models: list[str] | None = None, terms: list[str] | None = None,
                       models_error: str = "", terms_error: str = "", rule: StarRule = DEFAULT_STARS,
                       parentheses: str = "se") -> pa.DataFrameSchema:
    """Coefficients, one row per model and term: ``model, term, coef, se, stars[, note]``; blank se = not printed.

    With t statistics or p-values in parentheses (declared in ``table_format.csv``) the column
    ``se`` is named ``t`` or ``p``.
    """
    return pa.DataFrameSchema(
        {
            "model": _name(models, models_error),
            "term": _name(terms, terms_error),
            "coef": _col(float),
            parentheses: _parenthesized(parentheses),
            "stars": _stars(rule),
            "note": _col(str),
        },
        strict=True,
        unique=["model", "term"],
    )


def table4_fit_schema(models: list[str] | None = None, error: str = "") -> pa.DataFrameSchema:
    """Fit statistics, one row per model: ``model, n, f, r2[, p_value][, note]``; blank p_value = not printed."""
    return pa.DataFrameSchema(
        {
            "model": _name(models, error, unique=True),
            "n": _col(int, pa.Check.gt(0, error="a positive sample size")),
            "f": _col(float, pa.Check.ge(0, error="an F statistic cannot be negative")),
            "r2": _col(float, pa.Check.in_range(0, 1, error="an R-squared in [0, 1]")),
            "p_value": _col(float, pa.Check.in_range(0, 1, error="a p-value in [0, 1]"), nullable=True),
            "note": _col(str),
        },
        strict=True,
    )


def claims_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "claim_id": _col(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", error="a snake_case id"), unique=True),
            "section": _col(str, _nonblank()),
            "claim": _col(str, _nonblank()),
            "value": _col(float, nullable=True),
        },
        strict=True,
    )


#: The options of ``table_format.csv``, each with what it may be set to.
FORMAT_OPTIONS = {
    "star_levels": "the levels of *, ** and *** in percent, loosest first, such as 10/5/1 (the default) or 5/1/0.1",
    "star_test": "two-sided (the default) or one-sided",
    "parentheses": "se (the default), t or p: what the numbers in parentheses are",
    "thousands_separator": "none (the default), comma, space or apostrophe",
}
THOUSANDS = {"none": "", "": "", "comma": ",", ",": ",", "space": " ", "apostrophe": "'", "'": "'"}


def format_schema() -> pa.DataFrameSchema:
    """The declared conventions of a table set, one row per option: ``option, value``."""
    return pa.DataFrameSchema(
        {
            "option": _col(str, pa.Check.isin(list(FORMAT_OPTIONS), error="one of " + ", ".join(FORMAT_OPTIONS)),
                           unique=True),
            "value": _col(str),
        },
        strict=True,
    )


@dataclass(frozen=True)
class Conventions:
    """How a table set prints its numbers: declared in ``table_format.csv`` (every option optional).

    ``stars`` the meaning of the stars (:class:`~tableaudit.significance.StarRule`); ``parentheses``
    what the parenthesized numbers of the coefficient table are (``se``, ``t`` or ``p``);
    ``thousands`` the character that groups thousands in the numbers (``""``: none).
    """

    stars: StarRule = field(default_factory=StarRule)
    parentheses: str = "se"
    thousands: str = ""

    def describe(self) -> str:
        """One sentence for a report: the stars, the parentheses and the thousands separator."""
        out = f"stars at {self.stars.describe()}; {PARENTHESES[self.parentheses]} in parentheses"
        if self.thousands:
            name = {",": "commas", " ": "spaces", "'": "apostrophes"}[self.thousands]
            out += f"; thousands separated by {name}"
        return out


def parse_conventions(options: dict[str, tuple[int | None, str]]) -> tuple[Conventions, list[tuple[int | None, str]]]:
    """Conventions from the options of ``table_format.csv`` (option -> (line, value)).

    Returns the conventions (defaults for what is not declared, or not valid) and the errors as
    (line, reason) for the ``value`` column.
    """
    errors: list[tuple[int | None, str]] = []
    levels, one_sided, parentheses, thousands = DEFAULT_STARS.levels, False, "se", ""
    if "star_levels" in options:
        line, value = options["star_levels"]
        parsed = _star_levels(value)
        if isinstance(parsed, str):
            errors.append((line, parsed))
        else:
            levels = parsed
    if "star_test" in options:
        line, value = options["star_test"]
        test = value.strip().lower().replace(" ", "-")
        if test in ("two-sided", "two-tailed"):
            one_sided = False
        elif test in ("one-sided", "one-tailed"):
            one_sided = True
        else:
            errors.append((line, f"'{value}' is not a test: two-sided or one-sided"))
    if "parentheses" in options:
        line, value = options["parentheses"]
        kind = value.strip().lower()
        kind = {"standard errors": "se", "t statistics": "t", "t-statistics": "t", "p-values": "p", "p-value": "p"}.get(kind, kind)
        if kind in PARENTHESES:
            parentheses = kind
        else:
            errors.append((line, f"'{value}' is not what parentheses may hold: se, t or p"))
    if "thousands_separator" in options:
        line, value = options["thousands_separator"]
        key = value if value in THOUSANDS else value.strip().lower()
        if key in THOUSANDS:
            thousands = THOUSANDS[key]
        else:
            errors.append((line, f"'{value}' is not a thousands separator: none, comma, space or apostrophe"))
    return Conventions(StarRule(levels, one_sided), parentheses, thousands), errors


def _star_levels(value: str) -> tuple[float, ...] | str:
    """``10/5/1`` (percent) as (0.10, 0.05, 0.01), or the reason it is not valid."""
    text = value.replace("%", "").strip()
    parts = [p.strip() for p in text.replace(",", "/").split("/")]
    try:
        percents = [float(p) for p in parts]
    except ValueError:
        return f"'{value}' is not a list of levels in percent such as 10/5/1 or 5/1/0.1"
    if not 1 <= len(percents) <= 3:
        return f"'{value}' gives {len(percents)} levels; stars have one to three (*, **, ***)"
    if any(not 0 < p < 50 for p in percents):
        return f"'{value}': every level is a percentage above 0 and below 50"
    if any(a <= b for a, b in zip(percents, percents[1:])):
        return f"'{value}': the levels go from the loosest (*) to the strictest, each smaller than the one before"
    return tuple(p / 100 for p in percents)


@dataclass(frozen=True)
class FileSpec:
    """What one data file must look like."""

    path: str
    schema: pa.DataFrameSchema
    numeric: tuple[str, ...] = ()
    integer: tuple[str, ...] = ()
    required: bool = True
    #: Columns that may be absent from the header; they are read as blank.
    optional: tuple[str, ...] = ()
    #: Numeric columns read as a journal prints them (see :func:`tableaudit.reading.parse_number`):
    #: where parentheses or brackets are accepted, where stars glued to the number are split off
    #: into the ``stars`` column, and where a bound such as ``<0.001`` is accepted.
    bracketed: tuple[str, ...] = ()
    starred: tuple[str, ...] = ()
    bounded: tuple[str, ...] = ()
    #: The character that groups thousands in this file's numbers ("" = none; declared in
    #: ``table_format.csv``), and the most stars a number may carry.
    thousands: str = ""
    max_stars: int = 3
    #: Columns named differently by a declaration: (usual name, declared name, what to tell a reader).
    renamed: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Names:
    """The names a table set may use, each list with the reason a reader gets for any other name.

    ``None`` (the default) allows any plain name (:data:`NAME_PATTERN`).
    """

    variables: list[str] | None = None
    variables_error: str = ""
    models: list[str] | None = None
    models_error: str = ""
    terms: list[str] | None = None
    terms_error: str = ""


FORMAT_FILE = "table_format.csv"


def format_spec(prefix: str = "") -> FileSpec:
    """The specification of the optional ``table_format.csv`` (see :func:`parse_conventions`)."""
    return FileSpec(f"{prefix}{FORMAT_FILE}", format_schema(), required=False)


def table_specs(prefix: str = "", names: Names = Names(), claims_required: bool = False,
                conventions: Conventions = Conventions()) -> dict[str, FileSpec]:
    """The specifications of the tables of a set, keyed by short name (see :mod:`tableaudit.published`).

    ``prefix`` is put before every file name (as the problems name the files). By default any plain
    name is allowed and ``text_claims.csv`` is optional, as the audit of any paper's tables wants;
    a study checking its own paper's tables passes its ids in ``names`` and may require the claims.
    ``conventions`` (declared in ``table_format.csv``) set the star levels, what the parentheses
    hold and the thousands separator.
    """
    n, c = names, conventions
    rule, paren, sep = c.stars, c.parentheses, c.thousands
    most = len(rule.levels)
    renamed = () if paren == "se" else (("se", paren, f"{FORMAT_FILE} declares {PARENTHESES[paren]} in parentheses: "
                                                f"name this column '{paren}', not 'se'"),)
    return {
        "table2": FileSpec(f"{prefix}table2_descriptives.csv", table2_schema(n.variables, n.variables_error),
                           numeric=("mean", "sd", "min", "max"), thousands=sep),
        "table3": FileSpec(f"{prefix}table3_correlations.csv", table3_schema(n.variables, n.variables_error, rule),
                           numeric=("r",), starred=("r",), max_stars=most),
        "coefs": FileSpec(f"{prefix}table4_coefficients.csv",
                          table4_coef_schema(n.models, n.terms, n.models_error, n.terms_error, rule, paren),
                          numeric=("coef", paren), optional=("note",), bracketed=(paren,), starred=("coef", paren),
                          bounded=("p",) if paren == "p" else (), thousands=sep, max_stars=most, renamed=renamed),
        "fit": FileSpec(f"{prefix}table4_fit.csv", table4_fit_schema(n.models, n.models_error), numeric=("f", "r2", "p_value"),
                        integer=("n",), optional=("p_value", "note"), bounded=("p_value",), thousands=sep),
        "claims": FileSpec(f"{prefix}text_claims.csv", claims_schema(), numeric=("value",), required=claims_required,
                           thousands=sep),
    }
