"""Checks that involve more than one data file, or a whole file at once."""

from __future__ import annotations

import pandas as pd

from .problems import Problem
from .schemas import INDEX_VALUES, MODELS, N_WESTERN, OFFICIAL_VALUES, PAPER_IDS  # noqa: F401

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
    # Every pair once and a diagonal of 1 are checked for any paper by westgov.published; the paper's
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

