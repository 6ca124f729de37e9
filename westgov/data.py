"""Load and validate every data file of the book.

Each file is read as UTF-8 text, checked for its shape (columns, ragged rows, empty or header-only
files), converted to numbers where the file's specification says so, validated against a pandera
schema, and finally checked against the other files (source ids, documented missing values, province
keys, checksums). Every problem is reported with the file, the line of the file (the header is line 1)
and the column, so that a reader can open the file and find the cell.

Nothing here writes to ``data/raw`` or ``data/published``: validation only reads.

Typical use::

    from westgov import data
    ds = data.load()            # raises DataError listing every problem
    ds.official.head()

or from the shell: ``python -m westgov check-data [DIR]``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import checksums
from .paths import DATA_DIR

PAPER_IDS = [f"Var{i}" for i in range(1, 9)]
MODELS = ["M1", "M2", "M3", "M4"]
REGIONS = ["east", "central", "west", "northeast"]
STARS = ["", "*", "**", "***"]
N_WESTERN = 12

#: Official value columns of ``raw/official_2020.csv``; each is followed by ``<column>_source``.
OFFICIAL_VALUES = [
    "gdp_100m_yuan",
    "population_yearend_10k",
    "budget_expenditure_100m_yuan",
    "rd_expenditure_10k_yuan",
    "rd_intensity_pct",
    "tertiary_va_100m_yuan",
    "tertiary_share_pct",
    "gdp_per_capita_yuan",
]
INDEX_VALUES = ["digital_government_index", "big_data_index", "infrastructure_readiness"]

# ---------------------------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file.

    ``row`` is the line number in the file (header = 1, first data row = 2); ``None`` when the
    problem concerns the whole file. ``column`` is ``None`` when it concerns a whole row or file.
    """

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        where += f", row {self.row}" if self.row is not None else ""
        where += f", column '{self.column}'" if self.column is not None else ""
        return f"{where}: {self.reason}"


class DataError(ValueError):
    """Raised when a data folder has problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.reason))
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data:\n{lines}")


# ---------------------------------------------------------------------------------------------
# File specifications: columns and pandera schemas
# ---------------------------------------------------------------------------------------------


def _col(dtype, *checks, nullable=False, unique=False, desc=""):
    return pa.Column(dtype, checks=list(checks), nullable=nullable, unique=unique, description=desc)


def _province_code(unique: bool = False):
    return _col(str, pa.Check.str_matches(r"^[1-6][0-9]0000$", error="a 6-digit province code ending in 0000"), unique=unique)


def _nonblank():
    return pa.Check.str_length(min_value=1, error="must not be blank")


def _sources_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "id": _col(str, pa.Check.str_matches(r"^[A-Z][0-9]+$", error="id like S1, A2 or P1"), unique=True),
            "publication": _col(str, _nonblank()),
            "publisher": _col(str, _nonblank()),
            "table": _col(str, _nonblank()),
            "year_of_data": _col(int, pa.Check.in_range(1949, 2030, error="a year between 1949 and 2030")),
            "unit": _col(str, _nonblank()),
            "status": _col(str, pa.Check.isin(["final", "preliminary", "published"], error="final, preliminary or published")),
            "url": _col(str),
            "notes": _col(str),
        },
        strict=True,
    )


def _codebook_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "paper_id": _col(str, pa.Check.isin(PAPER_IDS, error="one of Var1..Var8"), unique=True),
            "name": _col(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", error="a snake_case name"), unique=True),
            "role": _col(str, pa.Check.isin(["dependent", "independent", "control"], error="dependent, independent or control")),
            "label": _col(str, _nonblank()),
            "definition": _col(str, _nonblank()),
            "unit": _col(str, _nonblank()),
            "expected_sign": _col(str, pa.Check.isin(["+", "-", "/"], error="+, - or /")),
            "paper_source": _col(str, _nonblank()),
            "our_source": _col(str, _nonblank()),
        },
        strict=True,
    )


def _provinces_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "code": _province_code(unique=True),
            "name_en": _col(str, _nonblank(), unique=True),
            "name_zh": _col(str, _nonblank(), unique=True),
            "region": _col(str, pa.Check.isin(REGIONS, error="east, central, west or northeast")),
            "code_source": _col(str, _nonblank()),
            "region_source": _col(str, _nonblank()),
        },
        strict=True,
    )


def _positive(nullable=True, upper=None, error=None):
    checks = [pa.Check.gt(0, error="must be positive")]
    if upper is not None:
        checks.append(pa.Check.le(upper, error=error or f"must not exceed {upper}"))
    return _col(float, *checks, nullable=nullable)


def _official_schema() -> pa.DataFrameSchema:
    columns = {"code": _province_code(unique=True)}
    bounds = {
        # population in 10,000 persons: China's largest province has about 12,600; a figure in
        # persons (millions) lands far above the bound.
        "population_yearend_10k": (20000, "population must be in 10,000 persons (at most 20,000); is it in persons?"),
        "rd_intensity_pct": (100, "a percentage must lie in (0, 100]"),
        "tertiary_share_pct": (100, "a percentage must lie in (0, 100]"),
        "gdp_100m_yuan": (1_000_000, "GDP in 100 million yuan must be below 1,000,000"),
    }
    for name in OFFICIAL_VALUES:
        upper, error = bounds.get(name, (None, None))
        columns[name] = _positive(upper=upper, error=error)
        columns[f"{name}_source"] = _col(str)
    return pa.DataFrameSchema(columns, strict=True)


def _missing_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "code": _province_code(),
            "column": _col(str, pa.Check.isin(OFFICIAL_VALUES + INDEX_VALUES, error="a value column of official_2020.csv")),
            "reason": _col(str, _nonblank()),
        },
        strict=True,
        unique=["code", "column"],
    )


def _indices_schema() -> pa.DataFrameSchema:
    score = lambda: _col(float, pa.Check.in_range(0, 100, error="an index score in [0, 100]"))  # noqa: E731
    return pa.DataFrameSchema(
        {
            "code": _province_code(unique=True),
            "digital_government_index": score(),
            "big_data_index": score(),
            "infrastructure_readiness": score(),
            "source": _col(str, _nonblank()),
        },
        strict=True,
    )


def _table2_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "variable": _col(str, pa.Check.isin(PAPER_IDS, error="one of Var1..Var8"), unique=True),
            "mean": _col(float),
            "sd": _col(float, pa.Check.ge(0, error="a standard deviation cannot be negative")),
            "min": _col(float),
            "max": _col(float),
        },
        strict=True,
    )


def _table3_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "row": _col(str, pa.Check.isin(PAPER_IDS, error="one of Var1..Var8")),
            "col": _col(str, pa.Check.isin(PAPER_IDS, error="one of Var1..Var8")),
            "r": _col(float, pa.Check.in_range(-1, 1, error="a correlation in [-1, 1]")),
            "stars": _col(str, pa.Check.isin(STARS, error="empty, *, ** or ***")),
        },
        strict=True,
        unique=["row", "col"],
    )


def _table4_coef_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "model": _col(str, pa.Check.isin(MODELS, error="one of M1..M4")),
            "term": _col(str, pa.Check.isin(PAPER_IDS[1:] + ["_Cons"], error="one of Var2..Var8 or _Cons")),
            "coef": _col(float),
            "se": _col(float, pa.Check.ge(0, error="a standard error cannot be negative")),
            "stars": _col(str, pa.Check.isin(STARS, error="empty, *, ** or ***")),
            "note": _col(str),
        },
        strict=True,
        unique=["model", "term"],
    )


def _table4_fit_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "model": _col(str, pa.Check.isin(MODELS, error="one of M1..M4"), unique=True),
            "n": _col(int, pa.Check.gt(0, error="a positive sample size")),
            "f": _col(float, pa.Check.ge(0, error="an F statistic cannot be negative")),
            "r2": _col(float, pa.Check.in_range(0, 1, error="an R-squared in [0, 1]")),
            "p_value": _col(float, pa.Check.in_range(0, 1, error="a p-value in [0, 1]")),
            "note": _col(str),
        },
        strict=True,
    )


def _ranks_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "rank": _col(int, pa.Check.in_range(1, 31, error="a rank between 1 and 31"), unique=True),
            "code": _province_code(unique=True),
            "source": _col(str, _nonblank()),
        },
        strict=True,
    )


def _claims_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "claim_id": _col(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", error="a snake_case id"), unique=True),
            "section": _col(str, _nonblank()),
            "claim": _col(str, _nonblank()),
            "value": _col(float, nullable=True),
        },
        strict=True,
    )


def replica_schema(names: list[str]) -> pa.DataFrameSchema:
    """Schema of ``derived/replica_2020.csv``: an id column and one column per paper variable."""
    columns = {"replica_row": _col(str, pa.Check.str_matches(r"^R[0-9]{2}$", error="an id R01..R12"), unique=True)}
    for name in names:
        checks = [pa.Check.in_range(0, 1, error="a share must lie in [0, 1]")] if name in SHARE_COLUMNS else []
        if name == "population":
            checks = [pa.Check.in_range(1, 20000, error="population must be in 10,000 persons")]
        columns[name] = _col(float, *checks)
    return pa.DataFrameSchema(columns, strict=True)


#: Analysis variables that are shares of GDP and must lie in [0, 1].
SHARE_COLUMNS = {"tertiary_share", "rd_intensity"}


@dataclass(frozen=True)
class FileSpec:
    """What one data file must look like."""

    path: str
    schema: pa.DataFrameSchema
    numeric: tuple[str, ...] = ()
    integer: tuple[str, ...] = ()
    required: bool = True


def _specs(names: list[str] | None = None) -> list[FileSpec]:
    official_numeric = tuple(OFFICIAL_VALUES)
    specs = [
        FileSpec("sources.csv", _sources_schema(), integer=("year_of_data",)),
        FileSpec("codebook.csv", _codebook_schema()),
        FileSpec("raw/provinces.csv", _provinces_schema()),
        FileSpec("raw/official_2020.csv", _official_schema(), numeric=official_numeric),
        FileSpec("raw/missing_values.csv", _missing_schema()),
        FileSpec("raw/indices_2020.csv", _indices_schema(), numeric=tuple(INDEX_VALUES), required=False),
        FileSpec("raw/digital_government_ranks_2020.csv", _ranks_schema(), integer=("rank",)),
        FileSpec("published/table2_descriptives.csv", _table2_schema(), numeric=("mean", "sd", "min", "max")),
        FileSpec("published/table3_correlations.csv", _table3_schema(), numeric=("r",)),
        FileSpec("published/table4_coefficients.csv", _table4_coef_schema(), numeric=("coef", "se")),
        FileSpec("published/table4_fit.csv", _table4_fit_schema(), numeric=("f", "r2", "p_value"), integer=("n",)),
        FileSpec("published/text_claims.csv", _claims_schema(), numeric=("value",)),
    ]
    if names is not None:
        specs.append(FileSpec("derived/replica_2020.csv", replica_schema(names), numeric=tuple(names), required=False))
    return specs


# ---------------------------------------------------------------------------------------------
# Reading one file
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# The whole data folder
# ---------------------------------------------------------------------------------------------


@dataclass
class Dataset:
    """Every validated table of a data folder, indexed by line number of their file."""

    root: Path
    sources: pd.DataFrame
    codebook: pd.DataFrame
    provinces: pd.DataFrame
    official: pd.DataFrame
    missing: pd.DataFrame
    table2: pd.DataFrame
    table3: pd.DataFrame
    table4_coefficients: pd.DataFrame
    table4_fit: pd.DataFrame
    text_claims: pd.DataFrame
    ranks: pd.DataFrame
    indices: pd.DataFrame | None = None
    replica: pd.DataFrame | None = None

    @property
    def names(self) -> dict[str, str]:
        """Map paper id (Var1..Var8) to the snake_case column name used in the book."""
        return dict(zip(self.codebook.paper_id, self.codebook.name))

    def western(self) -> pd.DataFrame:
        """Official statistics of the 12 western regions, joined to their names."""
        merged = self.provinces.merge(self.official, on="code")
        return merged[merged.region == "west"].reset_index(drop=True)


def check(data_dir: Path | str = DATA_DIR, verify_checksums: bool = True) -> tuple[list[Problem], dict]:
    """Validate a data folder. Returns ``(problems, frames)``; ``problems`` is empty when all is well."""
    root = Path(data_dir)
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame | None] = {}
    if not root.is_dir():
        return [Problem(str(root), None, None, "data folder does not exist")], frames
    names = None
    codebook_path = root / "codebook.csv"
    for spec in _specs():
        if spec.path == "codebook.csv" and codebook_path.exists():
            probe: list[Problem] = []
            cb = read_table(codebook_path, spec, spec.path, probe)
            if cb is not None and not probe:
                names = list(cb["name"])
    for spec in _specs(names):
        path = root / spec.path
        if not path.exists():
            if spec.required:
                problems.append(Problem(spec.path, None, None, "required file is missing"))
            frames[spec.path] = None
            continue
        frames[spec.path] = read_table(path, spec, spec.path, problems)
    if not problems:
        problems.extend(_cross_checks(frames))
        geo_path = root / "geo" / "china_provinces_simplified.geojson"
        if geo_path.exists():
            from . import geo

            problems.extend(geo.check_boundaries(geo_path, set(frames["raw/provinces.csv"].code)))
    if verify_checksums:
        problems.extend(checksums.verify(root))
    return problems, frames


def _cross_checks(f: dict) -> list[Problem]:
    """Checks that involve more than one file, or a whole file at once."""
    out: list[Problem] = []
    sources = set(f["sources.csv"]["id"])
    prov = f["raw/provinces.csv"]
    for ln, row in prov.iterrows():
        for col in ("code_source", "region_source"):
            if row[col] not in sources:
                out.append(Problem("raw/provinces.csv", ln, col, f"unknown source id '{row[col]}' (not in sources.csv)"))
    n_west = int((prov.region == "west").sum())
    if n_west != N_WESTERN:
        out.append(Problem("raw/provinces.csv", None, "region", f"{n_west} western provinces; the study has exactly {N_WESTERN}"))

    off = f["raw/official_2020.csv"]
    miss = f["raw/missing_values.csv"]
    documented = {(r.code, r.column): ln for ln, r in miss.iterrows()}
    codes = set(prov.code)
    for ln, code in off.code.items():
        if code not in codes:
            out.append(Problem("raw/official_2020.csv", ln, "code", f"province code {code} is not in raw/provinces.csv"))
    for code in sorted(codes - set(off.code)):
        name = prov.loc[prov.code == code, "name_en"].iloc[0]
        out.append(Problem("raw/official_2020.csv", None, "code", f"province {code} ({name}) has no row"))
    for ln, row in off.iterrows():
        for col in OFFICIAL_VALUES:
            src_col = f"{col}_source"
            if pd.isna(row[col]):
                if (row.code, col) not in documented:
                    out.append(Problem("raw/official_2020.csv", ln, col, "value is missing and raw/missing_values.csv gives no reason"))
                if row[src_col] != "":
                    out.append(Problem("raw/official_2020.csv", ln, src_col, "a source is given for a missing value"))
            else:
                if row[src_col] == "":
                    out.append(Problem("raw/official_2020.csv", ln, src_col, "value has no source id"))
                elif row[src_col] not in sources:
                    out.append(Problem("raw/official_2020.csv", ln, src_col, f"unknown source id '{row[src_col]}' (not in sources.csv)"))
                if (row.code, col) in documented:
                    out.append(Problem("raw/missing_values.csv", documented[(row.code, col)], "column", f"documented as missing but official_2020.csv has a value for {row.code} {col}"))
        # R&D intensity is published as R&D / GDP in percent, to four decimals.
        if not pd.isna(row.rd_intensity_pct) and not pd.isna(row.rd_expenditure_10k_yuan) and not pd.isna(row.gdp_100m_yuan):
            implied = row.rd_expenditure_10k_yuan / (row.gdp_100m_yuan * 1e4) * 100
            if abs(implied - row.rd_intensity_pct) > 0.0006:
                out.append(Problem("raw/official_2020.csv", ln, "rd_intensity_pct", f"inconsistent with R&D / GDP = {implied:.4f} %"))
        if not pd.isna(row.tertiary_va_100m_yuan) and not pd.isna(row.gdp_100m_yuan) and row.tertiary_va_100m_yuan >= row.gdp_100m_yuan:
            out.append(Problem("raw/official_2020.csv", ln, "tertiary_va_100m_yuan", "tertiary value added must be below GDP"))
    for ln, row in miss.iterrows():
        if row.code not in codes:
            out.append(Problem("raw/missing_values.csv", ln, "code", f"province code {row.code} is not in raw/provinces.csv"))

    ranks = f["raw/digital_government_ranks_2020.csv"]
    for ln, row in ranks.iterrows():
        if row.code not in codes:
            out.append(Problem("raw/digital_government_ranks_2020.csv", ln, "code", f"province code {row.code} is not in raw/provinces.csv"))
        if row.source not in sources:
            out.append(Problem("raw/digital_government_ranks_2020.csv", ln, "source", f"unknown source id '{row.source}' (not in sources.csv)"))

    idx = f.get("raw/indices_2020.csv")
    if idx is not None:
        west = set(prov.loc[prov.region == "west", "code"])
        for ln, code in idx.code.items():
            if code not in west:
                out.append(Problem("raw/indices_2020.csv", ln, "code", f"province code {code} is not one of the 12 western regions"))
        for code in sorted(west - set(idx.code)):
            out.append(Problem("raw/indices_2020.csv", None, "code", f"western province {code} has no row"))

    t2 = f["published/table2_descriptives.csv"]
    for var in sorted(set(PAPER_IDS) - set(t2.variable)):
        out.append(Problem("published/table2_descriptives.csv", None, "variable", f"{var} has no row"))
    for ln, row in t2.iterrows():
        if not row["min"] <= row["mean"] <= row["max"]:
            out.append(Problem("published/table2_descriptives.csv", ln, "mean", "mean must lie between min and max"))
    t3 = f["published/table3_correlations.csv"]
    pairs = set(zip(t3.row, t3.col))
    for i, a in enumerate(PAPER_IDS):
        for b in PAPER_IDS[: i + 1]:
            if (a, b) not in pairs:
                out.append(Problem("published/table3_correlations.csv", None, "r", f"correlation {a} x {b} has no row"))
    for ln, row in t3.iterrows():
        if PAPER_IDS.index(row.col) > PAPER_IDS.index(row.row):
            out.append(Problem("published/table3_correlations.csv", ln, "col", "the printed table is lower-triangular: col must not come after row"))
        if row.row == row.col and row.r != 1:
            out.append(Problem("published/table3_correlations.csv", ln, "r", "a diagonal correlation must be 1"))
    fit = f["published/table4_fit.csv"]
    for m in sorted(set(MODELS) - set(fit.model)):
        out.append(Problem("published/table4_fit.csv", None, "model", f"model {m} has no row"))
    cb = f["codebook.csv"]
    for var in sorted(set(PAPER_IDS) - set(cb.paper_id)):
        out.append(Problem("codebook.csv", None, "paper_id", f"{var} has no row"))
    rep = f.get("derived/replica_2020.csv")
    if rep is not None and len(rep) != N_WESTERN:
        out.append(Problem("derived/replica_2020.csv", None, None, f"{len(rep)} rows; the replica has exactly {N_WESTERN}"))
    return out


def load(data_dir: Path | str = DATA_DIR, verify_checksums: bool = True) -> Dataset:
    """Validate a data folder and return its tables; raise :class:`DataError` listing every problem."""
    problems, frames = check(data_dir, verify_checksums=verify_checksums)
    if problems:
        raise DataError(problems)
    return Dataset(
        root=Path(data_dir),
        sources=frames["sources.csv"].reset_index(drop=True),
        codebook=frames["codebook.csv"].reset_index(drop=True),
        provinces=frames["raw/provinces.csv"].reset_index(drop=True),
        official=frames["raw/official_2020.csv"].reset_index(drop=True),
        missing=frames["raw/missing_values.csv"].reset_index(drop=True),
        table2=frames["published/table2_descriptives.csv"].reset_index(drop=True),
        table3=frames["published/table3_correlations.csv"].reset_index(drop=True),
        table4_coefficients=frames["published/table4_coefficients.csv"].reset_index(drop=True),
        table4_fit=frames["published/table4_fit.csv"].reset_index(drop=True),
        text_claims=frames["published/text_claims.csv"].reset_index(drop=True),
        ranks=frames["raw/digital_government_ranks_2020.csv"].reset_index(drop=True),
        indices=None if frames.get("raw/indices_2020.csv") is None else frames["raw/indices_2020.csv"].reset_index(drop=True),
        replica=None if frames.get("derived/replica_2020.csv") is None else frames["derived/replica_2020.csv"].reset_index(drop=True),
    )


def printed_decimals(data_dir: Path | str, relative_path: str, column: str) -> pd.Series:
    """Number of decimals each value of ``column`` was printed with (from the file's text).

    A value printed as ``0.5390`` has 4 decimals, so the true value lies within half a unit of the
    last digit, 0.00005, of it. Returns a Series aligned with the file's data rows (0-based).
    """
    text = (Path(data_dir) / relative_path).read_text(encoding="utf-8")
    values = [row[column] for row in csv.DictReader(io.StringIO(text))]
    return pd.Series([len(v.split(".")[1]) if "." in v else 0 for v in values], name=column)
