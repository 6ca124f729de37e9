"""The paper's variables that official statistics define (Var2, Var5, Var6, Var7, Var8).

Table 1 of the paper defines them as ratios of yearbook series; this module computes them for the
12 western regions from ``data/raw/official_2020.csv``. The data chapter derives the same columns
step by step in pandas and checks that it agrees with :func:`official_variables`.

Every derived column comes with a ``*_basis`` column saying how it was obtained, because several
values are reconstructions rather than published statistics:

* ``tertiary_share`` (Var2): preliminary tertiary value added / final GDP where the value added is
  known; the published structure share / 100 where only the share is known (Yunnan); missing else.
* ``budget_expenditure_share`` (Var5): budget expenditure / GDP.
* ``rd_intensity`` (Var6): R&D expenditure (10,000 yuan) / GDP (100 million yuan x 10,000).
* ``population`` (Var7): year-end resident population in 10,000 persons, as published.
* ``gdp_per_capita`` (Var8): GDP / year-end population (derived; the official figure divides by the
  average population and was located only for Xinjiang).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import Dataset

OFFICIAL_PAPER_IDS = ["Var2", "Var5", "Var6", "Var7", "Var8"]


def official_variables(ds: Dataset, region: str | None = "west") -> pd.DataFrame:
    """One row per province (western only by default) with the official-data versions of the variables."""
    frame = ds.provinces.merge(ds.official, on="code")
    if region is not None:
        frame = frame[frame.region == region]
    frame = frame.sort_values("code").reset_index(drop=True)
    out = frame[["code", "name_en", "name_zh", "region"]].copy()

    from_level = frame.tertiary_va_100m_yuan / frame.gdp_100m_yuan
    from_share = frame.tertiary_share_pct / 100
    out["tertiary_share"] = from_level.fillna(from_share)
    out["tertiary_share_basis"] = np.select(
        [from_level.notna(), from_share.notna()],
        ["derived: preliminary tertiary value added / GDP", "published share (preliminary) / 100"],
        default="missing: not located",
    )
    out["budget_expenditure_share"] = frame.budget_expenditure_100m_yuan / frame.gdp_100m_yuan
    out["budget_expenditure_share_basis"] = "derived: budget expenditure / GDP"
    out["rd_intensity"] = frame.rd_expenditure_10k_yuan / (frame.gdp_100m_yuan * 1e4)
    out["rd_intensity_basis"] = "derived: R&D expenditure / GDP"
    out["population"] = frame.population_yearend_10k
    out["population_basis"] = "published: year-end population"
    out["gdp_per_capita"] = frame.gdp_100m_yuan * 1e8 / (frame.population_yearend_10k * 1e4)
    out["gdp_per_capita_basis"] = "derived: GDP / year-end population"
    out["gdp_per_capita_official"] = frame.gdp_per_capita_yuan
    return out


def official_with_indices(ds: Dataset) -> pd.DataFrame | None:
    """Official variables plus the three index scores from ``data/raw/indices_2020.csv``.

    Returns ``None`` when the drop-in file is absent (the index reports are not public). When it is
    present, the frame holds every variable of the paper under its codebook name, one row per
    western region, and can be passed to :func:`westgov.models.fit_all`.
    """
    if ds.indices is None:
        return None
    return official_variables(ds).merge(ds.indices, on="code", how="left", validate="one_to_one")
