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

import math

import pandas as pd
from IPython.display import Markdown

from .i18n import chinese_lookups, language

#: Regressors whose coefficients per the data's own unit are tiny, with the unit they are shown in:
#: paper id -> (factor applied to coefficient and standard error, unit of the regressor).
#: Population is stored in 10,000 persons (x 100 = per million persons); GDP per head in yuan
#: (x 10,000 = per 10,000 yuan).
DISPLAY_UNITS = {"Var7": (100.0, "per million persons"), "Var8": (1e4, "per 10,000 yuan")}


def sig(value: float, digits: int = 4) -> str:
    """``value`` with ``digits`` significant digits in fixed notation (no exponent); em dash if missing.

    A value that rounds up to the next power of ten keeps ``digits`` digits (99.995 -> ``100.0``);
    an integer part longer than ``digits`` is kept whole (123456 -> ``123456``). Infinity prints
    as ``inf`` / ``-inf``, as in :func:`markdown_table`.

    >>> sig(-187.0175), sig(1.13025), sig(-0.0000276), sig(1192.7), sig(99.995)
    ('-187.0', '1.130', '-0.00002760', '1193', '100.0')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if value == 0:
        return "0"
    if math.isinf(value):
        return str(value)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{value:.{decimals}f}"
    if decimals and abs(float(text)) >= 10 ** (magnitude + 1):
        # Rounding carried into a new leading digit (99.995 -> 100.00): one decimal fewer.
        text = f"{value:.{decimals - 1}f}"
    return text


def _sig_outward(value: float, digits: int, up: bool) -> str:
    """``value`` to ``digits`` significant digits, rounded up (``up``) or down, never inward."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if value == 0 or math.isinf(value):
        return sig(value, digits)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    scaled = round(value * 10**decimals, 6)  # a value already on the grid stays put
    ended = (math.ceil(scaled) if up else math.floor(scaled)) / 10**decimals
    return f"{ended:.{decimals}f}"


def range_cell(low: float, high: float, digits: int = 4) -> str:
    """A closed interval ``[low, high]`` with significant digits, its ends rounded outward, so
    that the printed interval always contains the exact one (0.84163-0.84271 prints as
    ``[0.8416, 0.8428]``, not ``[0.8416, 0.8427]``)."""
    return f"[{_sig_outward(low, digits, False)}, {_sig_outward(high, digits, True)}]"


def markdown_table(frame: pd.DataFrame, floatfmt: str | dict = ".4f", index: bool = False) -> Markdown:
    """A pipe table (as an IPython ``Markdown`` object) of ``frame``.

    ``floatfmt`` is one format for every float column or a dict column -> format; missing values
    (None, NaN, NaT, ``pd.NA`` of nullable integer or string columns) print as an em dash. On the
    Chinese pages, headers and whole cells listed in the label table are printed in Chinese.
    """
    shown = frame.reset_index() if index else frame.copy()
    for column in shown.columns:
        fmt = floatfmt.get(column) if isinstance(floatfmt, dict) else floatfmt
        if fmt and pd.api.types.is_float_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v, f=fmt: "—" if pd.isna(v) else format(v, f))
        else:
            shown[column] = shown[column].map(
                lambda v: "—" if pd.api.types.is_scalar(v) and pd.isna(v) else str(v)
            )
    shown = shown.map(lambda cell: cell.replace("|", "\\|"))
    if language() == "zh":
        # The Chinese pages: headers and whole-cell words from westgov/labels.csv
        # ("header.<English>", "cell.<English>"), region names, "k of n"; anything else stays.
        header, cell = chinese_lookups()
        shown = shown.rename(columns=header).map(cell)
    return Markdown(shown.to_markdown(index=False, tablefmt="pipe", disable_numparse=True))


def coef_cell(coef: float, se: float, mark: str, digits: int = 4) -> str:
    """The paper's layout for one coefficient, ``coef<stars> (se)``, with significant digits."""
    return f"{sig(coef, digits)}{mark} ({sig(se, digits)})"


def paper_vs_ours(
    published: pd.DataFrame,
    results: dict,
    names: dict[str, str],
    data_dir=None,
    ranges: pd.DataFrame | None = None,
    units: dict | None = None,
) -> pd.DataFrame:
    """Every coefficient of the paper's Table 4 beside ours.

    ``published`` is ``data/published/table4_coefficients.csv``; ``results`` is
    :func:`westgov.models.results_dict` (terms keyed by paper id, intercept as ``const``).
    Returns one row per printed coefficient with the paper's cell, ours (4 significant digits),
    our standardized coefficient and flags for a different sign or different stars. With
    ``data_dir`` the paper's cells keep the number of decimals they were printed with. With
    ``ranges`` (:func:`westgov.audit.implied_ranges`) a column ``rounding range`` gives the range
    of our coefficient that the rounding of Tables 2-3 allows. ``units`` (default
    :data:`DISPLAY_UNITS`) rescales our coefficients, standard errors and ranges of the listed
    terms; column ``unit`` says which unit a row uses (the paper's cells are never rescaled).
    """
    from .data import printed_decimals
    from .stats import stars

    path = "published/table4_coefficients.csv"
    coef_dec = printed_decimals(data_dir, path, "coef") if data_dir is not None else pd.Series(4, index=published.index)
    se_dec = printed_decimals(data_dir, path, "se") if data_dir is not None else pd.Series(4, index=published.index)
    units = DISPLAY_UNITS if units is None else units
    coef_ranges = None
    if ranges is not None:
        coef_ranges = ranges[ranges.quantity == "coef"].set_index(["model", "term"])
    rows = []
    for i, rec in enumerate(published.itertuples()):
        term = "const" if rec.term == "_Cons" else rec.term
        ours = results[rec.model]["terms"][term]
        our_stars = stars(ours["p"])
        factor, unit = units.get(rec.term, (1.0, ""))
        row = {
            "model": rec.model,
            "term": rec.term,
            "variable": "intercept" if term == "const" else names[term],
            "paper": f"{rec.coef:.{coef_dec.iloc[i]}f}{rec.stars} ({rec.se:.{se_dec.iloc[i]}f})",
            "ours": coef_cell(ours["coef"] * factor, ours["se"] * factor, our_stars),
        }
        if coef_ranges is not None:
            low, high = coef_ranges.loc[(rec.model, rec.term), ["low", "high"]]
            row["rounding range"] = range_cell(low * factor, high * factor)
        row |= {
            "unit": unit,
            "ours, standardized": ours["std_coef"],
            "same sign": (rec.coef > 0) == (ours["coef"] > 0),
            "same stars": rec.stars == our_stars,
        }
        rows.append(row)
    return pd.DataFrame(rows)
