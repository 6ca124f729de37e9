"""Turning data frames into captioned, numbered tables of the book.

A chapter glues ``markdown_table(frame)`` and places it inside a MyST ``table`` directive, which
gives the table a caption, a number ("Table 3") and a label for ``{numref}``::

    :::{table} Caption.
    :name: tbl-label

    ```{glue:md} key
    :format: myst
    ```
    :::
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown


def markdown_table(frame: pd.DataFrame, floatfmt: str | dict = ".4f", index: bool = False) -> Markdown:
    """A pipe table (as an IPython ``Markdown`` object) of ``frame``.

    ``floatfmt`` is one format for every float column or a dict column -> format; missing values
    print as an em dash.
    """
    shown = frame.reset_index() if index else frame.copy()
    for column in shown.columns:
        fmt = floatfmt.get(column) if isinstance(floatfmt, dict) else floatfmt
        if fmt and pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v, f=fmt: "—" if pd.isna(v) else format(v, f))
        else:
            shown[column] = shown[column].map(lambda v: "—" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
    shown = shown.map(lambda cell: cell.replace("|", "\\|"))
    return Markdown(shown.to_markdown(index=False, tablefmt="pipe", disable_numparse=True))


def coef_cell(coef: float, se: float, mark: str, decimals: int = 4) -> str:
    """The paper's layout for one coefficient: ``coef<stars> (se)``."""
    return f"{coef:.{decimals}f}{mark} ({se:.{decimals}f})"


def paper_vs_ours(published: pd.DataFrame, results: dict, names: dict[str, str], data_dir=None) -> pd.DataFrame:
    """Every coefficient of the paper's Table 4 beside ours.

    ``published`` is ``data/published/table4_coefficients.csv``; ``results`` is
    :func:`westgov.models.results_dict` (terms keyed by paper id, intercept as ``const``).
    Returns one row per printed coefficient with the paper's cell, ours, our standardized
    coefficient and flags for a different sign or different stars. With ``data_dir`` the paper's
    cells keep the number of decimals they were printed with.
    """
    from .data import printed_decimals
    from .stats import stars

    path = "published/table4_coefficients.csv"
    coef_dec = printed_decimals(data_dir, path, "coef") if data_dir is not None else pd.Series(4, index=published.index)
    se_dec = printed_decimals(data_dir, path, "se") if data_dir is not None else pd.Series(4, index=published.index)
    rows = []
    for i, rec in enumerate(published.itertuples()):
        term = "const" if rec.term == "_Cons" else rec.term
        ours = results[rec.model]["terms"][term]
        our_stars = stars(ours["p"])
        rows.append(
            {
                "model": rec.model,
                "term": rec.term,
                "variable": "intercept" if term == "const" else names[term],
                "paper": f"{rec.coef:.{coef_dec.iloc[i]}f}{rec.stars} ({rec.se:.{se_dec.iloc[i]}f})",
                "ours": coef_cell(ours["coef"], ours["se"], our_stars),
                "ours, standardized": ours["std_coef"],
                "same sign": (rec.coef > 0) == (ours["coef"] > 0),
                "same stars": rec.stars == our_stars,
            }
        )
    return pd.DataFrame(rows)
