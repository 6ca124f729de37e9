"""Reading one CSV file: decode, check its shape, convert numbers, validate with its schema.

Each file is read as UTF-8 text, checked for its shape (columns, ragged rows, empty or header-only
files), converted to numbers where the file's specification says so, and validated against its
pandera schema. Every problem is reported with the file, the line of the file (the header is line 1)
and the column, so that a reader can open the file and find the cell. Nothing is ever written.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from .problems import Problem
from .schemas import FileSpec

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _decode(path: Path, rel: str, problems: list[Problem]) -> str | None:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(rel, 1, None, "file starts with a UTF-8 byte-order mark (BOM); save it as UTF-8 without BOM"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(Problem(rel, line, None, f"not valid UTF-8 (byte 0x{raw[err.start]:02x}); is the file GBK-encoded? Save it as UTF-8"))
        return None


def read_table(path: Path, spec: FileSpec, rel: str, problems: list[Problem]) -> pd.DataFrame | None:
    """Read one CSV file as text, check its shape and types, and validate it with its schema.

    Problems are appended to ``problems``; the frame is returned only if the file could be parsed
    (it may still have schema problems). The frame's index is the file's line number.
    """
    text = _decode(path, rel, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(Problem(rel, None, None, "file is empty"))
        return None
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    lines = list(range(2, 2 + len(body)))
    # Skip blank trailing lines that csv returns as [].
    kept = [(ln, r) for ln, r in zip(lines, body) if r != []]
    expected = list(spec.schema.columns)
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    for c in missing:
        problems.append(Problem(rel, 1, c, "required column is missing from the header"))
    for c in extra:
        problems.append(Problem(rel, 1, c, "unexpected column (not in this file's specification)"))
    if len(set(header)) != len(header):
        problems.append(Problem(rel, 1, None, "duplicate column names in the header"))
    if missing or extra:
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
    bad: set[tuple[int, str]] = set()
    for col in spec.numeric + spec.integer:
        values = []
        for ln, cell in frame[col].items():
            if cell == "":
                values.append(float("nan"))
            elif _NUMBER.match(cell):
                values.append(float(cell))
            else:
                problems.append(Problem(rel, ln, col, f"'{cell}' is not a number"))
                values.append(float("nan"))
                bad.add((ln, col))
        frame[col] = pd.Series(values, index=frame.index, dtype="float64")
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
    return frame


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

