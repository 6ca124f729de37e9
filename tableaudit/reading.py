"""Reading one CSV file: decode, check its shape, convert numbers, validate with its schema.

Each file is read as UTF-8 text, checked for its shape (columns, ragged rows, empty or header-only
files), converted to numbers where the file's specification says so, and validated against its
pandera schema. Every problem is reported with the file, the line of the file (the header is line 1)
and the column, so that a reader can open the file and find the cell; a problem of one row or one
column does not hide the problems of the others (a row with too few or too many fields is named
once, and the other rows are still read). Nothing is ever written.
"""

from __future__ import annotations

import copy
import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .format import FileSpec
from .problems import Problem
from .significance import NOT_SIGNIFICANT

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GLUED_STARS = re.compile(r"^(.*?)\s*(\*+)$")
#: "n.s." (or "ns") glued to a number, as some journals print a non-significant estimate.
_GLUED_NS = re.compile(r"^(.*?)\s*\(?\s*(n\.\s?s\.?|ns)\s*\)?$", re.IGNORECASE)
_BRACKETS = {("(", ")"), ("[", "]")}
#: Minus signs a typesetter may print instead of the ASCII hyphen-minus.
_MINUS = {"\u2212": "-", "\u2013": "-"}


@dataclass
class Table:
    """One validated file: ``frame`` typed by its schema, ``text`` the cells as printed.

    Both are indexed by the line number of the file (header = 1). In ``text`` a printed number is
    normalized (parentheses, glued stars and typographic minus removed, a ``<`` bound kept), so that
    its decimals still say how it was rounded.
    """

    frame: pd.DataFrame
    text: pd.DataFrame


@dataclass(frozen=True)
class Parsed:
    """A cell read as a number: its value, its normalized text, stars split off, or an error."""

    value: float
    text: str
    stars: str = ""
    error: str | None = None


def parse_number(cell: str, column: str, spec: FileSpec) -> Parsed:
    """Read one numeric cell, accepting the conventions the file's specification allows.

    * ``(8.2098)`` or ``[8.2098]`` in a column of ``spec.bracketed`` (standard errors);
    * stars glued to the number, ``0.8416***``, in a column of ``spec.starred``: split off;
    * ``<0.001`` (or ``>0.999``) in a column of ``spec.bounded`` (p-values); the value is the bound;
    * a typographic minus (U+2212) or en dash for the minus sign;
    * ``0.12 n.s.`` (or ``ns``) in a column of ``spec.starred``: no stars, said in so many words;
    * ``1,234.5`` when ``spec.thousands`` is ``,`` (declared in ``table_format.csv``), and likewise
      a space or an apostrophe: the separator must group the digits by three.

    A blank cell is NaN (the schema decides whether it may be blank); an infinite value (``1e400``)
    or anything else is an error with a hint at what went wrong.
    """
    s = cell.strip()
    for typographic, ascii_minus in _MINUS.items():
        s = s.replace(typographic, ascii_minus)
    stars = ""
    if column in spec.starred:
        m = _GLUED_STARS.match(s)
        if m:
            s, stars = m.group(1).strip(), m.group(2)
        elif (ns := _GLUED_NS.match(s)) and ns.group(1).strip():
            s = ns.group(1).strip()
    if column in spec.bracketed and len(s) >= 2 and (s[0], s[-1]) in _BRACKETS:
        s = s[1:-1].strip()
    bound = ""
    if column in spec.bounded and s[:1] in ("<", ">"):
        bound, s = s[0], s[1:].strip()
    if s == "" and not bound:
        return Parsed(float("nan"), "", stars)
    if spec.thousands and spec.thousands in s.replace("\u2009", " ").replace("\u00a0", " "):
        s, error = _ungroup(s.replace("\u2009", " ").replace("\u00a0", " "), spec.thousands)
        if error:
            return Parsed(float("nan"), cell, stars, f"'{cell}' {error}")
    if not _NUMBER.match(s):
        return Parsed(float("nan"), cell, stars, f"'{cell}' is not a number{_hint(cell, column, spec)}")
    value = float(s)
    if not math.isfinite(value):
        return Parsed(float("nan"), cell, stars, f"'{cell}' is not a finite number")
    if len(stars) > spec.max_stars:
        most = "three (***)" if spec.max_stars == 3 else f"{spec.max_stars} ({'*' * spec.max_stars}, as declared)"
        return Parsed(value, bound + s, stars, f"'{cell}' carries {len(stars)} stars; at most {most} are allowed")
    return Parsed(value, bound + s, stars)


def _ungroup(s: str, sep: str) -> tuple[str, str | None]:
    """``1,234.5`` -> ``1234.5`` for the separator ``sep``; an error when the digits are not grouped by three."""
    sign = s[:1] if s[:1] in "+-" else ""
    body = s[len(sign):]
    whole, point, decimals = body.partition(".")
    groups = whole.split(sep)
    if sep in decimals or not (1 <= len(groups[0]) <= 3 and groups[0].isdigit()
                               and all(len(g) == 3 and g.isdigit() for g in groups[1:])):
        return s, "has a misplaced thousands separator (digits are grouped by three, left of the decimal point)"
    return sign + "".join(groups) + point + decimals, None


def _hint(cell: str, column: str, spec: FileSpec) -> str:
    s = cell.strip()
    if s[:1] in "([" and column not in spec.bracketed:
        what = {"t": "a t statistic", "p": "a p-value"}.get(spec.bracketed[0] if spec.bracketed else "", "a standard error")
        return f" (parentheses are accepted only around {what})"
    if s.endswith("*") and column not in spec.starred:
        return " (stars belong in the stars column)"
    if s[:1] in "<>" and column not in spec.bounded:
        return " (a bound such as <0.001 is accepted only for a p-value)"
    if "," in s:
        if _ungroup(s, ",")[1] is None and not spec.thousands:
            return (" (write a decimal point and no thousands separator, or declare the separator in "
                    "table_format.csv: thousands_separator,comma)")
        return " (write a decimal point and no thousands separator)"
    if s.lower() in ("nan", "inf", "-inf", "+inf", "infinity", "na", "n/a"):
        return " (leave the cell blank where a value is missing)"
    return ""


def _decode(path: Path, rel: str, problems: list[Problem]) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as err:
        reason = "is a folder, not a file" if path.is_dir() else f"cannot be read ({err.strerror or err})"
        problems.append(Problem(rel, None, None, reason))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(rel, 1, None, "file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = None
        line_start = raw.rfind(b"\n", 0, err.start) + 1
        header = raw.split(b"\n", 1)[0].decode("ascii", errors="replace").strip().split(",")
        field = raw[line_start : err.start].count(b",")
        if line > 1 and field < len(header):
            column = header[field]
        problems.append(Problem(rel, line, column, f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); is the file GBK- or "
                                "Latin-1-encoded? Save it as UTF-8"))
        return None


def read_table(path: Path, spec: FileSpec, rel: str, problems: list[Problem]) -> pd.DataFrame | None:
    """Read one CSV file with :func:`read_file` and return its typed frame (or ``None``)."""
    table = read_file(path, spec, rel, problems)
    return None if table is None else table.frame


def read_file(path: Path, spec: FileSpec, rel: str, problems: list[Problem]) -> Table | None:
    """Read one CSV file as text, check its shape and types, and validate it with its schema.

    Problems are appended to ``problems``; the table is returned whenever the file has a header
    and data rows (it may still have problems: a missing column is left out of the frame, a row
    with too few fields is padded with blanks and one with too many cut, and such a row gets that
    one problem). A file that cannot be read at all (not UTF-8, a header separated by semicolons,
    no data rows) gives ``None``. The frames' index is the file's line number.
    """
    text = _decode(path, rel, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(Problem(rel, None, None, "file is empty"))
        return None
    rows = list(csv.reader(io.StringIO(text)))
    header, body = [h.strip() for h in rows[0]], rows[1:]
    lines = list(range(2, 2 + len(body)))
    # Skip blank lines that csv returns as [].
    kept = [(ln, r) for ln, r in zip(lines, body) if r != []]
    expected = list(spec.schema.columns)
    missing = [c for c in expected if c not in header and c not in spec.optional]
    extra = [c for c in header if c not in expected]
    if missing and len(header) == 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
            if sep in rows[0][0]:
                problems.append(Problem(rel, 1, None, f"the header is separated by {name}, not commas; save the file as "
                                        f"comma-separated CSV (columns: {', '.join(expected)})"))
                return None
    for c in missing:
        problems.append(Problem(rel, 1, c, "required column is missing from the header" + _renamed_hint(c, header, spec)))
    for c in extra:
        problems.append(Problem(rel, 1, c or None, "unexpected column (not in this file's specification)"
                                + _renamed_hint(c, header, spec) if c else "a column has no name"))
    if len(set(header)) != len(header):
        problems.append(Problem(rel, 1, None, "duplicate column names in the header"))
    if not kept:
        problems.append(Problem(rel, None, None, "file has a header but no data rows"))
        return None
    header_wrong = bool(missing or extra or len(set(header)) != len(header))
    if header_wrong and len({len(r) for _, r in kept}) == 1 and len(kept[0][1]) != len(header):
        # Every row agrees with every other and not with the header: the header is what is wrong,
        # and which cell belongs to which column cannot be told.
        return None
    found: list[Problem] = []
    ragged: set[int] = set()
    for ln, r in kept:
        if len(r) != len(header):
            problems.append(Problem(rel, ln, None, f"row has {len(r)} fields, the header has {len(header)}"))
            ragged.add(ln)
    # Every expected column the header has (the first, if a name repeats); a ragged row padded or cut.
    present = [c for c in expected if c in header]
    where = [header.index(c) for c in present]
    cells = [[(r[i] if i < len(r) else "") for i in where] for _, r in kept]
    frame = pd.DataFrame(cells, columns=present, index=[ln for ln, _ in kept], dtype=object)
    frame = frame.map(lambda s: s.strip() if isinstance(s, str) else s)
    for col in spec.optional:
        if col not in frame.columns:
            frame[col] = ""
    present = [c for c in expected if c in frame.columns]
    frame = frame[present]
    if "stars" in frame.columns:  # "n.s." says "no stars" in so many words
        frame["stars"] = frame["stars"].map(lambda m: "" if m.lower() in NOT_SIGNIFICANT else m)
    text = frame.copy()
    bad: set[tuple[int, str]] = set()
    numeric = [c for c in spec.numeric if c in frame.columns]
    integer = [c for c in spec.integer if c in frame.columns]
    for col in numeric + integer:
        values, texts = [], []
        for ln, cell in frame[col].items():
            parsed = parse_number(cell, col, spec)
            if parsed.error:
                found.append(Problem(rel, ln, col, parsed.error))
                bad.add((ln, col))
            if parsed.stars and "stars" in frame.columns:
                current = frame.at[ln, "stars"]
                if current not in ("", parsed.stars):
                    found.append(Problem(rel, ln, col, f"stars '{parsed.stars}' glued to the number differ from "
                                         f"'{current}' in the stars column"))
                    bad.add((ln, col))
                frame.at[ln, "stars"] = text.at[ln, "stars"] = parsed.stars
            values.append(float("nan") if parsed.error else parsed.value)
            texts.append(parsed.text)
        frame[col] = pd.Series(values, index=frame.index, dtype="float64")
        text[col] = texts
    bad_columns = {c for _, c in bad}
    for col in integer:
        if col in bad_columns:
            continue
        not_whole = frame[col].isna() | (frame[col] % 1 != 0)
        if not_whole.any():
            for ln in frame.index[not_whole]:
                found.append(Problem(rel, ln, col, "must be a whole number"))
                bad.add((ln, col))
            bad_columns.add(col)
        else:
            frame[col] = frame[col].astype("int64")
    for col in frame.columns:
        if col not in numeric and col not in integer:
            frame[col] = frame[col].astype(str)
    schema = spec.schema
    if len(present) < len(expected):
        schema = copy.deepcopy(spec.schema.select_columns(present))
        if schema.unique and not set(schema.unique) <= set(present):
            schema.unique = None
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        for p in _schema_problems(err, rel):
            # Cells already reported as non-numeric, and the column-wide type error they cause,
            # are not reported a second time.
            if (p.row, p.column) in bad or (p.row is None and p.column in bad_columns):
                continue
            found.append(p)
    # A row with the wrong number of fields is named once: its cells may have shifted.
    problems.extend(p for p in found if p.row not in ragged)
    return Table(frame, text)


def _renamed_hint(column: str, header: list[str], spec: FileSpec) -> str:
    """Why a column is missing or unexpected when the table format renames it (``se`` -> ``t`` or ``p``)."""
    for old, new, why in spec.renamed:
        if column == old or (column == new and old in header):
            return f" ({why})"
    if "se" in spec.schema.columns and (column in ("t", "p") or column == "se"):
        for declared in ("t", "p"):
            if column == declared or declared in header:
                what = "t statistics" if declared == "t" else "p-values"
                return f" (for {what} in parentheses declare parentheses,{declared} in table_format.csv)"
    return ""


def _schema_problems(err: pa.errors.SchemaErrors, rel: str) -> list[Problem]:
    out = []
    cases = err.failure_cases
    for _, case in cases.iterrows():
        column = case.get("column")
        column = None if column is None or (isinstance(column, float) and pd.isna(column)) else str(column)
        index = case.get("index")
        row = None if index is None or pd.isna(index) else int(index)
        check = str(case.get("check"))
        value = case.get("failure_case")
        if check == "multiple_fields_uniqueness":
            reason = f"duplicate key: value '{value}' repeats a combination of key columns that must be unique"
        elif "uniqueness" in check:
            reason = f"duplicate value '{value}' (must be unique)"
        elif check == "not_nullable":
            reason = "value is missing (empty cell)"
        else:
            reason = f"{check}: got '{value}'"
        out.append(Problem(rel, row, column, reason))
    return out

