"""Reading one CSV file: decode, check its shape, convert numbers, validate with its schema.

Each file is read as UTF-8 text, checked for its shape (columns, ragged rows, empty or header-only
files), converted to numbers where the file's specification says so, and validated against its
pandera schema. Every problem is reported with the file, the line of the file (the header is line 1)
and the column, so that a reader can open the file and find the cell. Nothing is ever written.
"""

from __future__ import annotations

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

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GLUED_STARS = re.compile(r"^(.*?)\s*(\*+)$")
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
    * a typographic minus (U+2212) or en dash for the minus sign.

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
    if column in spec.bracketed and len(s) >= 2 and (s[0], s[-1]) in _BRACKETS:
        s = s[1:-1].strip()
    bound = ""
    if column in spec.bounded and s[:1] in ("<", ">"):
        bound, s = s[0], s[1:].strip()
    if s == "" and not bound:
        return Parsed(float("nan"), "", stars)
    if not _NUMBER.match(s):
        return Parsed(float("nan"), cell, stars, f"'{cell}' is not a number{_hint(cell, column, spec)}")
    value = float(s)
    if not math.isfinite(value):
        return Parsed(float("nan"), cell, stars, f"'{cell}' is not a finite number")
    if len(stars) > 3:
        return Parsed(value, bound + s, stars, f"'{cell}' carries {len(stars)} stars; at most three (***) are allowed")
    return Parsed(value, bound + s, stars)


def _hint(cell: str, column: str, spec: FileSpec) -> str:
    s = cell.strip()
    if s[:1] in "([" and column not in spec.bracketed:
        return " (parentheses are accepted only around a standard error)"
    if s.endswith("*") and column not in spec.starred:
        return " (stars belong in the stars column)"
    if s[:1] in "<>" and column not in spec.bounded:
        return " (a bound such as <0.001 is accepted only for a p-value)"
    if "," in s:
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

    Problems are appended to ``problems``; the table is returned only if the file could be parsed
    (it may still have schema problems). The frames' index is the file's line number.
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
        problems.append(Problem(rel, 1, c, "required column is missing from the header"))
    for c in extra:
        problems.append(Problem(rel, 1, c or None, "unexpected column (not in this file's specification)" if c else "a column has no name"))
    if len(set(header)) != len(header):
        problems.append(Problem(rel, 1, None, "duplicate column names in the header"))
    if missing or extra or len(set(header)) != len(header):
        return None
    if not kept:
        problems.append(Problem(rel, None, None, "file has a header but no data rows"))
        return None
    ragged = False
    for ln, r in kept:
        if len(r) != len(header):
            problems.append(Problem(rel, ln, None, f"row has {len(r)} fields, the header has {len(header)}"))
            ragged = True
    if ragged:
        return None
    frame = pd.DataFrame([r for _, r in kept], columns=header, index=[ln for ln, _ in kept], dtype=object)
    frame = frame.map(lambda s: s.strip() if isinstance(s, str) else s)
    for col in spec.optional:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame[expected]
    text = frame.copy()
    bad: set[tuple[int, str]] = set()
    for col in spec.numeric + spec.integer:
        values, texts = [], []
        for ln, cell in frame[col].items():
            parsed = parse_number(cell, col, spec)
            if parsed.error:
                problems.append(Problem(rel, ln, col, parsed.error))
                bad.add((ln, col))
            if parsed.stars:
                current = frame.at[ln, "stars"]
                if current not in ("", parsed.stars):
                    problems.append(Problem(rel, ln, col, f"stars '{parsed.stars}' glued to the number differ from "
                                            f"'{current}' in the stars column"))
                    bad.add((ln, col))
                frame.at[ln, "stars"] = text.at[ln, "stars"] = parsed.stars
            values.append(float("nan") if parsed.error else parsed.value)
            texts.append(parsed.text)
        frame[col] = pd.Series(values, index=frame.index, dtype="float64")
        text[col] = texts
    bad_columns = {c for _, c in bad}
    for col in spec.integer:
        if col in bad_columns:
            continue
        not_whole = frame[col].isna() | (frame[col] % 1 != 0)
        if not_whole.any():
            for ln in frame.index[not_whole]:
                problems.append(Problem(rel, ln, col, "must be a whole number"))
                bad.add((ln, col))
            bad_columns.add(col)
        else:
            frame[col] = frame[col].astype("int64")
    for col in frame.columns:
        if col not in spec.numeric and col not in spec.integer:
            frame[col] = frame[col].astype(str)
    try:
        spec.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        for p in _schema_problems(err, rel):
            # Cells already reported as non-numeric, and the column-wide type error they cause,
            # are not reported a second time.
            if (p.row, p.column) in bad or (p.row is None and p.column in bad_columns):
                continue
            problems.append(p)
    return Table(frame, text)


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

