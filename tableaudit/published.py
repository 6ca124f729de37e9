"""Reading a paper's published tables, numbers kept as printed, through the validated reader.

A folder of published tables holds one CSV file per table (the format is documented on the book
page *Auditing any paper's tables*, ``chapters/table-format.md``):

``table2_descriptives.csv``  ``variable, mean, sd, min, max``
``table3_correlations.csv``  ``row, col, r, stars`` -- one row per pair of variables (diagonal optional)
``table4_coefficients.csv``  ``model, term, coef, se, stars[, note]`` -- ``_Cons`` is the intercept
``table4_fit.csv``           ``model, n, f, r2[, p_value][, note]``
``text_claims.csv``          optional: ``claim_id, section, claim, value``
``table_format.csv``         optional: ``option, value`` -- the set's declared conventions (stars,
                             parentheses, thousands separator; :func:`tableaudit.format.parse_conventions`)

The audit reads these files with :func:`tableaudit.reading.read_file` and the schemas of
:mod:`tableaudit.format`: one reader and one schema per table (a study that validates its own
paper's tables uses the same schemas with its own names, see :class:`tableaudit.format.Names`). The conventions journals print are accepted: a standard error in parentheses ``(8.2098)``
or brackets, stars glued to a number (``0.8416***``), a p-value printed ``<0.001`` or ``0.000``, a
Unicode minus sign, and a blank standard error or p-value meaning "not printed"; and, when declared
in ``table_format.csv``, star levels other than 10 / 5 / 1 % or one-sided stars, t statistics or
p-values in parentheses instead of standard errors, and thousands separators. ``n.s.`` reads as no
stars.

After each file is valid on its own, :func:`structure_problems` checks what the audit needs to
compute anything at all: every regressor has descriptive statistics, every pair of variables has a
correlation (once), every model has a fit row and one sample size, ``n > k + 1``, and the dependent
variable can be told. These are looked for even when some cells could not be read, as long as the
names of every file were read (a problem that only follows from a bad cell is not reported twice),
so that one run lists every problem. Anything else (a mean outside its range, an impossible SD, a wrong star) is
not a reading error but a finding, and it is the audit's job to report it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from .format import FORMAT_FILE, Conventions, format_spec, parse_conventions, table_specs
from .problems import DataError, Problem
from .reading import Table, read_file

#: Short names of the published tables and their file names.
FILES = {
    "table2": "table2_descriptives.csv",
    "table3": "table3_correlations.csv",
    "coefs": "table4_coefficients.csv",
    "fit": "table4_fit.csv",
    "claims": "text_claims.csv",
}
INTERCEPT = "_Cons"


@dataclass
class Printed:
    """A printed number: its text as printed, its value, and the interval its rounding leaves.

    A number printed with d decimals stands for anything within ``half`` = 0.5 x 10^-d of it.
    ``floor`` and ``ceiling`` clip that interval where the quantity cannot go (a p-value printed
    ``0.000`` lies in [0, 0.0005]). A bound printed ``<0.001`` lies in [floor or 0, 0.001].
    """

    text: str
    floor: float | None = None
    ceiling: float | None = None

    @property
    def _bound(self) -> str:
        return self.text[:1] if self.text[:1] in ("<", ">") else ""

    @property
    def _number(self) -> str:
        return self.text[1:].strip() if self._bound else self.text

    @property
    def value(self) -> float:
        if self._bound:
            return (self.low + self.high) / 2
        return float(self._number)

    @property
    def half(self) -> float:
        if self._bound:
            return (self.high - self.low) / 2
        try:
            exponent = Decimal(self._number).as_tuple().exponent
        except InvalidOperation:
            exponent = 0
        return 0.5 * 10.0 ** int(exponent)

    @property
    def low(self) -> float:
        if self._bound == "<":
            return 0.0 if self.floor is None else self.floor
        if self._bound == ">":
            return float(self._number)
        low = float(self._number) - self.half
        return low if self.floor is None else max(low, self.floor)

    @property
    def high(self) -> float:
        if self._bound == "<":
            return float(self._number)
        if self._bound == ">":
            return float("inf") if self.ceiling is None else self.ceiling
        high = float(self._number) + self.half
        return high if self.ceiling is None else min(high, self.ceiling)


@dataclass
class Tables:
    """The published tables of one paper, numbers kept as printed text."""

    table2: dict  # variable -> {mean, sd, min, max} as Printed
    table3: dict  # (row, col) -> (Printed r, stars); diagonal left out
    coefs: dict  # model -> term -> (Printed coef, Printed se or None if not printed, stars)
    fit: dict  # model -> {n, f, r2, p_value} (Printed except n; p_value None if not printed)
    claims: dict  # claim_id -> value text ("" when the claim has no number)
    variables: list
    dependent: str
    n: int
    #: The declared conventions (``table_format.csv``); the defaults when there is none.
    conventions: Conventions = field(default_factory=Conventions)
    #: model -> term -> Printed t statistic or p-value, when the parentheses hold those (the SE
    #: slot of ``coefs`` is then None: not printed).
    parenthesized: dict = field(default_factory=dict)

    def regressors(self, model: str) -> list[str]:
        return [t for t in self.coefs[model] if t != INTERCEPT]


def _rows(table: Table):
    """(line, typed row, text row) for every data row of a table."""
    for ln in table.frame.index:
        yield ln, table.frame.loc[ln], table.text.loc[ln]


def dependent_candidates(t2: pd.DataFrame, coefs: pd.DataFrame) -> list[str]:
    """Table 2 variables that no model uses as a regressor: the dependent variable, if exactly one."""
    used = set(coefs.term) - {INTERCEPT}
    return [v for v in t2.variable if v not in used]


def structure_problems(frames: dict[str, tuple[str, pd.DataFrame]]) -> list[Problem]:
    """What the audit needs in order to compute anything, checked across the published tables.

    ``frames`` maps a short name of :data:`FILES` to ``(relative path, validated frame)``; the
    claims table may be absent. Returns every problem found (empty when the set is usable).
    """
    out: list[Problem] = []
    rel2, t2 = frames["table2"]
    rel3, t3 = frames["table3"]
    relc, coefs = frames["coefs"]
    relf, fit = frames["fit"]
    variables = list(t2.variable)
    known = set(variables)

    # Table 3: every pair of Table 2 variables once; diagonal, if printed, equal to 1.
    seen: dict[frozenset, int] = {}
    for ln, row in t3.iterrows():
        for col in ("row", "col"):
            if row[col] not in known:
                out.append(Problem(rel3, ln, col, f"'{row[col]}' is not a variable of {rel2}"))
        if row.row == row.col:
            if row.r != 1:
                out.append(Problem(rel3, ln, "r", "a diagonal correlation must be 1"))
            continue
        pair = frozenset((row.row, row.col))
        if pair in seen:
            out.append(Problem(rel3, ln, "row", f"the pair {row.row} x {row.col} is already given on row {seen[pair]} (as the same or the mirrored pair)"))
        else:
            seen[pair] = ln
    for i, a in enumerate(variables):
        for b in variables[:i]:
            if frozenset((a, b)) not in seen:
                out.append(Problem(rel3, None, "r", f"correlation {a} x {b} has no row"))

    # Table 4: every regressor is a Table 2 variable; every model has a regressor and a fit row.
    for ln, row in coefs.iterrows():
        if row.term != INTERCEPT and row.term not in known:
            out.append(Problem(relc, ln, "term", f"'{row.term}' is not a variable of {rel2} (the intercept is written {INTERCEPT})"))
    models = list(dict.fromkeys(coefs.model))
    fit_models = list(fit.model)
    for m in models:
        if m not in fit_models:
            out.append(Problem(relf, None, "model", f"model {m} of {relc} has no row"))
        if not (coefs[(coefs.model == m)].term != INTERCEPT).any():
            first = coefs.index[coefs.model == m][0]
            out.append(Problem(relc, first, "term", f"model {m} has no regressor (only the intercept)"))
    for ln, m in fit.model.items():
        if m not in models:
            out.append(Problem(relf, ln, "model", f"model {m} has no coefficients in {relc}"))

    # One sample, large enough for every model: n > k + 1 leaves a residual degree of freedom.
    sizes = fit.n.dropna()
    if sizes.nunique() > 1:
        first_n, first_model = int(sizes.iloc[0]), fit.model[sizes.index[0]]
        for ln, n in sizes.items():
            if n != first_n:
                out.append(Problem(relf, ln, "n", f"n = {int(n)} differs from n = {first_n} of model {first_model}; "
                                   "the audit needs every model estimated on one sample"))
    for ln, row in fit.iterrows():
        k = int(((coefs.model == row.model) & (coefs.term != INTERCEPT)).sum())
        if k and pd.notna(row.n) and row.n <= k + 1:
            out.append(Problem(relf, ln, "n", f"n = {int(row.n)} with k = {k} regressors leaves n - k - 1 = {int(row.n) - k - 1} residual "
                               "degrees of freedom; OLS needs n > k + 1"))

    # The dependent variable: the one Table 2 variable that is no model's regressor.
    candidates = dependent_candidates(t2, coefs)
    if len(candidates) != 1 and not any(p.file == relc and p.column == "term" for p in out):
        listed = ", ".join(candidates) or "none"
        out.append(Problem(rel2, None, "variable", f"cannot tell the dependent variable: Table 2 variables used by no model as "
                           f"a regressor are {listed}; exactly one is needed"))

    claims = frames.get("claims")
    if claims is not None:
        relx, cl = claims
        for ln, row in cl.iterrows():
            if row.claim_id == "all_models_significant" and "p_value" in fit and fit.p_value.isna().any():
                out.append(Problem(relx, ln, "claim_id", f"this claim needs the p-value of every model in {relf}"))
            if row.claim_id in ("vif_max", "vif_mean") and pd.isna(row.value):
                out.append(Problem(relx, ln, "value", f"claim {row.claim_id} needs a number"))
    return out


def read_conventions(directory: Path | str, prefix: str = "",
                     problems: list[Problem] | None = None) -> Conventions:
    """The conventions declared in ``directory/table_format.csv`` (the defaults when there is none).

    Problems of the file (an unknown option, a value that is not valid) go to ``problems``, named by
    file, row and column; an option that is not valid keeps its default.
    """
    problems = [] if problems is None else problems
    spec = format_spec(prefix)
    path = Path(directory) / FORMAT_FILE
    if not path.exists():
        return Conventions()
    table = read_file(path, spec, spec.path, problems)
    if table is None or not {"option", "value"} <= set(table.frame.columns):
        return Conventions()
    options = {}
    for ln, row in table.frame.iterrows():
        options.setdefault(row.option, (ln, row.value))
    conventions, errors = parse_conventions(options)
    problems.extend(Problem(spec.path, ln, "value", reason) for ln, reason in errors)
    return conventions


def read_frames(directory: Path | str, prefix: str = "",
                problems: list[Problem] | None = None,
                conventions: Conventions | None = None) -> dict[str, Table | None]:
    """Read every published table of ``directory`` with its schema; problems go to ``problems``.

    ``prefix`` is put before file names in the problems (``"published/"`` for a data folder that
    holds the tables in its ``published/`` subfolder). ``conventions`` default to those declared in
    the folder's ``table_format.csv`` (read here, its problems reported too).
    """
    problems = [] if problems is None else problems
    d = Path(directory)
    if conventions is None:
        conventions = read_conventions(d, prefix, problems)
    out: dict[str, Table | None] = {}
    for key, spec in table_specs(prefix=prefix, conventions=conventions).items():
        path = d / FILES[key]
        if not path.exists():
            if spec.required:
                problems.append(Problem(spec.path, None, None, "required file is missing"))
            out[key] = None
            continue
        out[key] = read_file(path, spec, spec.path, problems)
    return out


#: The columns the checks of the set as a whole read, per table.
_STRUCTURE_COLUMNS = {"table2": ("variable",), "table3": ("row", "col", "r"), "coefs": ("model", "term"),
                      "fit": ("model", "n"), "claims": ("claim_id", "value")}


def set_problems(tables: dict[str, Table | pd.DataFrame | None], paths: dict[str, str],
                 problems: list[Problem]) -> list[Problem]:
    """The problems of the set as a whole (:func:`structure_problems`), beside those of its files.

    ``tables`` maps a short name of :data:`FILES` to the table (or its frame) read, or None; ``paths`` to its
    name in the problems, and ``problems`` are the problems already found in the files. The set is
    checked when every table was read and its names (variables, models, terms) have no problem;
    a problem at a line already named is left out, since it follows from that line's own.
    """
    if any(tables.get(k) is None for k in FILES if k != "claims"):
        return []
    frames = {k: (paths[k], t.frame if isinstance(t, Table) else t) for k, t in tables.items() if t is not None}
    for key, (rel, frame) in frames.items():
        if not set(_STRUCTURE_COLUMNS[key]) <= set(frame.columns):
            return []
    names = {"variable", "row", "col", "model", "term", "claim_id"}
    if any(p.file in paths.values() and (p.row is None or p.column in names) for p in problems):
        return []
    flagged = {(p.file, p.row) for p in problems}
    if not flagged:
        return structure_problems(frames)
    try:  # frames with unreadable cells: what cannot be checked waits for the next run
        found = structure_problems(frames)
    except (TypeError, ValueError, KeyError):
        return []
    return [p for p in found if (p.file, p.row) not in flagged]


def read_tables(directory: Path | str) -> Tables:
    """Read and validate a folder of published tables (format: module docstring).

    Raises :class:`~tableaudit.problems.DataError` listing every problem (file, row, column) when a
    file is missing, malformed, or the set cannot be audited: the problems of every file and, where
    the files can be read that far, of the set as a whole, at once.
    """
    d = Path(directory)
    if not d.exists():
        raise DataError([Problem(str(d), None, None, "folder does not exist")])
    if not d.is_dir():
        raise DataError([Problem(str(d), None, None, "is a file, not a folder of table files")])
    problems: list[Problem] = []
    conventions = read_conventions(d, problems=problems)
    tables = read_frames(d, problems=problems, conventions=conventions)
    problems += set_problems(tables, FILES, problems)
    if problems or any(tables[k] is None for k in FILES if k != "claims"):
        raise DataError(problems)
    return _as_tables(tables, conventions)


def _as_tables(tables: dict[str, Table | None], conventions: Conventions = Conventions()) -> Tables:
    t2: dict = {}
    for _, row, text in _rows(tables["table2"]):
        t2[row.variable] = {
            "mean": Printed(text["mean"]),
            "sd": Printed(text["sd"], floor=0.0),
            "min": Printed(text["min"]),
            "max": Printed(text["max"]),
        }
    t3 = {(row.row, row.col): (Printed(text["r"], floor=-1.0, ceiling=1.0), row.stars)
          for _, row, text in _rows(tables["table3"]) if row.row != row.col}
    coefs: dict = {}
    parenthesized: dict = {}
    kind = conventions.parentheses
    for _, row, text in _rows(tables["coefs"]):
        stat = None
        if text[kind] != "":
            stat = {"se": Printed(text[kind], floor=0.0), "t": Printed(text[kind]),
                    "p": Printed(text[kind], floor=0.0, ceiling=1.0)}[kind]
        se = stat if kind == "se" else None
        coefs.setdefault(row.model, {})[row.term] = (Printed(text["coef"]), se, row.stars)
        if kind != "se":
            parenthesized.setdefault(row.model, {})[row.term] = stat
    fit: dict = {}
    for _, row, text in _rows(tables["fit"]):
        fit[row.model] = {
            "n": int(row.n),
            "f": Printed(text["f"], floor=0.0),
            "r2": Printed(text["r2"], floor=0.0, ceiling=1.0),
            "p_value": Printed(text["p_value"], floor=0.0, ceiling=1.0) if text["p_value"] != "" else None,
        }
    claims = {}
    if tables.get("claims") is not None:
        claims = {row.claim_id: text["value"] for _, row, text in _rows(tables["claims"])}
    frame2, coef_frame = tables["table2"].frame, tables["coefs"].frame
    dependent = dependent_candidates(frame2, coef_frame)[0]
    n = int(tables["fit"].frame.n.iloc[0])
    return Tables(t2, t3, coefs, fit, claims, list(t2), dependent, n, conventions, parenthesized)
