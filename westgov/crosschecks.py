"""Checks that involve more than one data file, or a whole file at once.

Besides keys and sources, the official statistics are checked for plausibility *across series*:
a value can lie inside its own column's range and still be impossible next to the others (a budget
of 10,000 times the province's GDP). The bounds are in :data:`PLAUSIBLE`, each with its reason;
they are wide on purpose (several times the observed 2020 extremes of the 31 provincial-level
regions) so that they never reject a genuine figure but catch a unit error, a shifted decimal point
or stray digits. ``data/README.md`` lists them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tableaudit import Problem

from .schemas import INDEX_VALUES, MODELS, N_WESTERN, OFFICIAL_VALUES, PAPER_IDS  # noqa: F401


@dataclass(frozen=True)
class Bound:
    """A plausible range for a quantity derived from one row of ``raw/official_2020.csv``."""

    low: float
    high: float
    column: str  # the column blamed when the quantity is out of range
    label: str
    reason: str


#: Plausibility bounds across series, with their reason (observed 2020 extremes of the 31 regions).
PLAUSIBLE = {
    "budget_to_gdp": Bound(0.05, 2.0, "budget_expenditure_100m_yuan", "budget expenditure / GDP",
                           "in 2020 it ranged from 0.12 (Fujian) to 1.16 (Tibet, where central transfers fund most spending)"),
    "rd_to_gdp_pct": Bound(0.05, 10.0, "rd_expenditure_10k_yuan", "R&D expenditure / GDP (percent)",
                           "in 2020 it ranged from 0.23 % (Tibet) to 6.44 % (Beijing); the world's highest national ratios are below 6 %"),
    "rd_intensity_pct": Bound(0.05, 10.0, "rd_intensity_pct", "R&D intensity (percent)",
                              "the published ratio ranged from 0.23 % (Tibet) to 6.44 % (Beijing) in 2020"),
    "gdp_per_head_yuan": Bound(10_000, 500_000, "gdp_100m_yuan", "GDP / year-end population (yuan per person)",
                               "in 2020 it ranged from 36,052 (Gansu) to 164,927 (Beijing); a unit error in GDP or population "
                               "moves it by a factor of 10 or more"),
    "gdp_per_capita_yuan": Bound(10_000, 500_000, "gdp_per_capita_yuan", "official GDP per head (yuan)",
                                 "the same range as GDP / year-end population"),
    "population_10k": Bound(100, 20_000, "population_yearend_10k", "year-end population (10,000 persons)",
                            "in 2020 it ranged from 366 (Tibet) to 12,624 (Guangdong); below 100 is under one million people"),
    "tertiary_to_gdp": Bound(0.2, 0.9, "tertiary_va_100m_yuan", "tertiary value added / GDP",
                             "the tertiary share of GDP ranged from about 40 % to 84 % (Beijing) across provinces in 2020"),
    "tertiary_share_pct": Bound(20.0, 90.0, "tertiary_share_pct", "tertiary share of GDP (percent)",
                                "about 40 % to 84 % (Beijing) across provinces in 2020"),
}
#: Largest relative gap between official GDP per head (average population) and GDP / year-end
#: population: the two populations differ by well under 2 % in a year; 10 % leaves room for that.
PER_HEAD_TOLERANCE = 0.10


def plausibility(off: pd.DataFrame, rel: str = "raw/official_2020.csv") -> list[Problem]:
    """Cross-series plausibility of every row of the official statistics (see :data:`PLAUSIBLE`)."""
    out: list[Problem] = []
    gdp = off.gdp_100m_yuan
    derived = {
        "budget_to_gdp": off.budget_expenditure_100m_yuan / gdp,
        "rd_to_gdp_pct": off.rd_expenditure_10k_yuan / (gdp * 1e4) * 100,
        "rd_intensity_pct": off.rd_intensity_pct,
        "gdp_per_head_yuan": gdp * 1e8 / (off.population_yearend_10k * 1e4),
        "gdp_per_capita_yuan": off.gdp_per_capita_yuan,
        "population_10k": off.population_yearend_10k,
        "tertiary_to_gdp": off.tertiary_va_100m_yuan / gdp,
        "tertiary_share_pct": off.tertiary_share_pct,
    }
    for key, values in derived.items():
        b = PLAUSIBLE[key]
        for ln, v in values.items():
            if pd.notna(v) and not b.low <= v <= b.high:
                out.append(Problem(rel, ln, b.column, f"implausible: {b.label} = {v:,.4g}, outside the plausible range "
                                   f"[{b.low:,g}, {b.high:,g}] ({b.reason}); check the unit and the decimal point"))
    per_head = derived["gdp_per_head_yuan"]
    for ln, v in off.gdp_per_capita_yuan.items():
        if pd.notna(v) and pd.notna(per_head[ln]) and abs(v / per_head[ln] - 1) > PER_HEAD_TOLERANCE:
            out.append(Problem(rel, ln, "gdp_per_capita_yuan", f"official GDP per head {v:,.0f} differs from GDP / year-end "
                               f"population {per_head[ln]:,.0f} by more than {PER_HEAD_TOLERANCE:.0%}"))
    return out


def cross_checks(f: dict) -> list[Problem]:
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
    out.extend(plausibility(off))
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
    # Every pair once and a diagonal of 1 are checked for any paper by tableaudit.published; the paper's
    # printed table also has its diagonal, and is lower-triangular.
    pairs = set(zip(t3.row, t3.col))
    for a in PAPER_IDS:
        if (a, a) not in pairs:
            out.append(Problem("published/table3_correlations.csv", None, "r", f"correlation {a} x {a} (the diagonal) has no row"))
    for ln, row in t3.iterrows():
        if PAPER_IDS.index(row.col) > PAPER_IDS.index(row.row):
            out.append(Problem("published/table3_correlations.csv", ln, "col", "the printed table is lower-triangular: col must not come after row"))
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

