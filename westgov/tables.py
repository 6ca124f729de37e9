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
