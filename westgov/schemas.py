"""What every data file of the book must look like: its columns and its pandera schema.

One schema per file, built by a small factory function; :func:`specs` lists every file of a data
folder with its schema and which of its columns hold numbers.
"""

from __future__ import annotations

import pandera.pandas as pa
from tableaudit import FileSpec, Names, table_specs

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


#: Province names reach the pages as text: a strict pattern keeps markup and stray characters out.
NAME_EN = r"^[A-Z][a-z]+( [A-Z][a-z]+)*$"
NAME_EN_ERROR = "an English name: capitalized words of letters, single spaces between them (no markup or digits)"
NAME_ZH = r"^[\u4e00-\u9fff]{2,4}$"
NAME_ZH_ERROR = "a Chinese name: 2 to 4 Chinese characters"


def _provinces_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "code": _province_code(unique=True),
            "name_en": _col(str, pa.Check.str_matches(NAME_EN, error=NAME_EN_ERROR), unique=True),
            "name_zh": _col(str, pa.Check.str_matches(NAME_ZH, error=NAME_ZH_ERROR), unique=True),
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


def _ranks_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "rank": _col(int, pa.Check.in_range(1, 31, error="a rank between 1 and 31"), unique=True),
            "code": _province_code(unique=True),
            "source": _col(str, _nonblank()),
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


#: The paper's own names, each with the reason a reader gets for any other name.
PAPER_NAMES = Names(
    variables=PAPER_IDS,
    variables_error="one of Var1..Var8",
    models=MODELS,
    models_error="one of M1..M4",
    terms=PAPER_IDS[1:] + ["_Cons"],
    terms_error="one of Var2..Var8 or _Cons",
)


def published_specs(paper: bool = False, prefix: str = "") -> dict[str, FileSpec]:
    """The specifications of the published tables, keyed by short name (see :mod:`tableaudit.published`).

    With ``paper`` the names are the paper's (Var1..Var8, M1..M4) and every file is required, as
    ``check-data`` wants for this book's ``data/published/``; otherwise any plain name is allowed and
    ``text_claims.csv`` is optional, as the audit of any paper's tables wants.
    """
    if not paper:
        return table_specs(prefix=prefix)
    return table_specs(prefix=prefix, names=PAPER_NAMES, claims_required=True)


def specs(names: list[str] | None = None) -> list[FileSpec]:
    official_numeric = tuple(OFFICIAL_VALUES)
    specs = [
        FileSpec("sources.csv", _sources_schema(), integer=("year_of_data",)),
        FileSpec("codebook.csv", _codebook_schema()),
        FileSpec("raw/provinces.csv", _provinces_schema()),
        FileSpec("raw/official_2020.csv", _official_schema(), numeric=official_numeric),
        FileSpec("raw/missing_values.csv", _missing_schema()),
        FileSpec("raw/indices_2020.csv", _indices_schema(), numeric=tuple(INDEX_VALUES), required=False),
        FileSpec("raw/digital_government_ranks_2020.csv", _ranks_schema(), integer=("rank",)),
        *published_specs(paper=True, prefix="published/").values(),
    ]
    if names is not None:
        specs.append(FileSpec("derived/replica_2020.csv", replica_schema(names), numeric=tuple(names), required=False))
    return specs

