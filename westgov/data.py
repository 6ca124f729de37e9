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

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd

from tableaudit import DataError, Problem, read_file, read_table, set_problems

from . import checksums
from .crosschecks import cross_checks
from .paths import DATA_DIR
from .schemas import (  # noqa: F401  (re-exported: the data module is the documented entry point)
    INDEX_VALUES,
    MODELS,
    N_WESTERN,
    OFFICIAL_VALUES,
    PAPER_IDS,
    REGIONS,
    SHARE_COLUMNS,
    STARS,
    FileSpec,
    published_specs,
    replica_schema,
    specs,
)

__all__ = ["Dataset", "DataError", "Problem", "check", "load", "printed_decimals", "read_table"]


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
    if not root.exists():
        return [Problem(str(root), None, None, "data folder does not exist")], frames
    if not root.is_dir():
        return [Problem(str(root), None, None, "is a file, not a data folder")], frames
    names = None
    codebook_path = root / "codebook.csv"
    for spec in specs():
        if spec.path == "codebook.csv" and codebook_path.exists():
            probe: list[Problem] = []
            cb = read_table(codebook_path, spec, spec.path, probe)
            if cb is not None and not probe:
                names = list(cb["name"])
    for spec in specs(names):
        path = root / spec.path
        if not path.exists():
            if spec.required:
                problems.append(Problem(spec.path, None, None, "required file is missing"))
            frames[spec.path] = None
            continue
        before = len(problems)
        frame = read_table(path, spec, spec.path, problems)
        # A file whose header lacks a required column is reported in full but not used.
        header_broken = any(
            p.file == spec.path and p.row == 1 and p.reason.startswith("required column")
            for p in problems[before:]
        )
        frames[spec.path] = None if header_broken else frame
    # The published tables must also hang together as a table set, exactly as the audit requires.
    published = {key: spec.path for key, spec in published_specs(paper=True, prefix="published/").items()}
    problems.extend(set_problems({key: frames.get(path) for key, path in published.items()}, published, problems))
    if not problems:
        problems.extend(cross_checks(frames))
        geo_path = root / "geo" / "china_provinces_simplified.geojson"
        if geo_path.exists():
            from . import geo

            problems.extend(geo.check_boundaries(geo_path, set(frames["raw/provinces.csv"].code)))
    if verify_checksums:
        problems.extend(checksums.verify(root))
    return problems, frames



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
    last digit, 0.00005, of it. The file is read with the same reader as everything else (journal
    conventions such as ``(8.2098)`` are removed first). Returns a Series aligned with the file's
    data rows (0-based); raises :class:`DataError` if the file does not read.
    """
    spec = next((s for s in specs() if s.path == relative_path), None)
    if spec is None:
        raise DataError([Problem(relative_path, None, None, "not a data file of this book")])
    problems: list[Problem] = []
    table = read_file(Path(data_dir) / relative_path, spec, relative_path, problems)
    if table is None or problems:
        raise DataError(problems)
    return pd.Series([_decimals(v) for v in table.text[column]], name=column)


def _decimals(text: str) -> int:
    number = text.lstrip("<>").strip()
    if not number:
        return 0
    exponent = int(Decimal(number).as_tuple().exponent)
    return max(-exponent, 0)
