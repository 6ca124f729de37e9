"""The table format: what each file of a table set must look like (pandera schemas).

A table set is a folder of CSV files (see the README of this package and
:mod:`tableaudit.published`); :func:`table_specs` gives each file its :class:`FileSpec`: the
schema, which columns hold numbers, and which journal conventions each column accepts. Names of
variables and models are any plain name (:data:`NAME_PATTERN`); a study that wants its own ids
only passes them in :class:`Names`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

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


def table3_schema(variables: list[str] | None = None, error: str = "") -> pa.DataFrameSchema:
    """Correlations, one row per pair: ``row, col, r, stars``."""
    return pa.DataFrameSchema(
        {
            "row": _name(variables, error),
            "col": _name(variables, error),
            "r": _col(float, pa.Check.in_range(-1, 1, error="a correlation in [-1, 1]")),
            "stars": _col(str, pa.Check.isin(STARS, error="empty, *, ** or ***")),
        },
        strict=True,
        unique=["row", "col"],
    )


def table4_coef_schema(models: list[str] | None = None, terms: list[str] | None = None,
                       models_error: str = "", terms_error: str = "") -> pa.DataFrameSchema:
    """Coefficients, one row per model and term: ``model, term, coef, se, stars[, note]``; blank se = not printed."""
    return pa.DataFrameSchema(
        {
            "model": _name(models, models_error),
            "term": _name(terms, terms_error),
            "coef": _col(float),
            "se": _col(float, pa.Check.ge(0, error="a standard error cannot be negative"), nullable=True),
            "stars": _col(str, pa.Check.isin(STARS, error="empty, *, ** or ***")),
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


def table_specs(prefix: str = "", names: Names = Names(), claims_required: bool = False) -> dict[str, FileSpec]:
    """The specifications of the tables of a set, keyed by short name (see :mod:`tableaudit.published`).

    ``prefix`` is put before every file name (as the problems name the files). By default any plain
    name is allowed and ``text_claims.csv`` is optional, as the audit of any paper's tables wants;
    a study checking its own paper's tables passes its ids in ``names`` and may require the claims.
    """
    n = names
    return {
        "table2": FileSpec(f"{prefix}table2_descriptives.csv", table2_schema(n.variables, n.variables_error),
                           numeric=("mean", "sd", "min", "max")),
        "table3": FileSpec(f"{prefix}table3_correlations.csv", table3_schema(n.variables, n.variables_error),
                           numeric=("r",), starred=("r",)),
        "coefs": FileSpec(f"{prefix}table4_coefficients.csv",
                          table4_coef_schema(n.models, n.terms, n.models_error, n.terms_error), numeric=("coef", "se"),
                          optional=("note",), bracketed=("se",), starred=("coef", "se")),
        "fit": FileSpec(f"{prefix}table4_fit.csv", table4_fit_schema(n.models, n.models_error), numeric=("f", "r2", "p_value"),
                        integer=("n",), optional=("p_value", "note"), bounded=("p_value",)),
        "claims": FileSpec(f"{prefix}text_claims.csv", claims_schema(), numeric=("value",), required=claims_required),
    }
