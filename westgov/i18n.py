"""The language of the book's output, and every language-dependent label in one table.

The Chinese edition executes the English chapters' code cells unchanged (``zh/``, issue 27); what
the code draws or prints in words (axis titles, legends, table headers) comes from
:func:`label`, which looks the key up in ``westgov/labels.csv`` (columns ``key,en,zh``) for
the language of :func:`language`. The build executes the Chinese pages with the environment
variable ``WESTGOV_LANG=zh``; without it the language is English and every label is the
English text the book has always printed.

>>> label("axis.std_coef", "en"), label("axis.std_coef", "zh")
('standardized coefficient', '标准化系数')
"""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

#: Environment variable naming the output language.
ENV = "WESTGOV_LANG"
LANGUAGES = ("en", "zh")
TABLE = Path(__file__).with_name("labels.csv")
#: Font families for figures with Chinese text (Debian's fonts-noto-cjk, installed by the
#: Makefile), then matplotlib's default for Latin text and symbols.
CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "DejaVu Sans"]


def language() -> str:
    """``"en"`` (default) or ``"zh"``, from :data:`ENV`; any other value is an error naming it."""
    value = os.environ.get(ENV, "en").strip() or "en"
    if value not in LANGUAGES:
        raise ValueError(f"{ENV}={value!r}: the book's languages are {', '.join(LANGUAGES)}")
    return value


@lru_cache(maxsize=None)
def table(path: Path = TABLE) -> dict[str, dict[str, str]]:
    """``{key: {"en": ..., "zh": ...}}`` from the label table; a bad row is an error naming the
    file, row and column."""
    out: dict[str, dict[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"key", *LANGUAGES} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: row 1: missing column(s) {', '.join(sorted(missing))}")
        for row_number, row in enumerate(reader, start=2):
            key = (row["key"] or "").strip()
            if not key:
                raise ValueError(f"{path}: row {row_number}, column key: empty key")
            if key in out:
                raise ValueError(f"{path}: row {row_number}, column key: duplicate key {key!r}")
            for lang in LANGUAGES:
                if not (row.get(lang) or "").strip():
                    raise ValueError(f"{path}: row {row_number}, column {lang}: empty label for {key!r}")
            out[key] = {lang: row[lang] for lang in LANGUAGES}
    return out


def label(key: str, lang: str | None = None) -> str:
    """The label ``key`` in ``lang`` (default: :func:`language`). Unknown keys are errors."""
    labels = table()
    if key not in labels:
        raise KeyError(f"{TABLE.name}: no label {key!r}")
    return labels[key][lang or language()]


def labels(mapping: dict[str, str], lang: str | None = None) -> dict[str, str]:
    """``{name: label(key)}`` for a mapping ``{name: key}`` (e.g. column name -> label key)."""
    return {name: label(key, lang) for name, key in mapping.items()}


def use_language_fonts(lang: str | None = None) -> None:
    """Set matplotlib's font family for ``lang``: CJK fonts for Chinese, defaults for English."""
    import matplotlib as mpl

    if (lang or language()) == "zh":
        _register_cjk_fonts()
        mpl.rcParams["font.family"] = "sans-serif"
        mpl.rcParams["font.sans-serif"] = CJK_FONTS + [
            f for f in mpl.rcParams["font.sans-serif"] if f not in CJK_FONTS
        ]
        mpl.rcParams["axes.unicode_minus"] = False
        _keep_cjk_in_seaborn_styles()


def _register_cjk_fonts() -> None:
    """Make matplotlib know the system's Noto Sans CJK files even when its font cache was written
    before fonts-noto-cjk was installed (the cache is not refreshed by itself)."""
    from matplotlib import font_manager

    if any("CJK" in f.name or "Source Han" in f.name for f in font_manager.fontManager.ttflist):
        return
    for path in font_manager.findSystemFonts():
        if "NotoSansCJK" in Path(path).name or "SourceHanSans" in Path(path).name:
            font_manager.fontManager.addfont(path)


def _keep_cjk_in_seaborn_styles() -> None:
    """seaborn's ``set_theme``/``set_style`` reset ``font.sans-serif`` to Latin fonts; put the CJK
    fonts first in every style they apply (a chapter's ``sns.set_theme()`` then keeps them)."""
    try:
        from seaborn import rcmod
    except ImportError:
        return
    if getattr(rcmod.axes_style, "_westgov_cjk", False):
        return
    original = rcmod.axes_style

    def axes_style(*args, **kwargs):
        style = original(*args, **kwargs)
        fonts = list(style.get("font.sans-serif", []))
        style["font.sans-serif"] = CJK_FONTS + [f for f in fonts if f not in CJK_FONTS]
        style["axes.unicode_minus"] = False
        return style

    axes_style._westgov_cjk = True
    rcmod.axes_style = axes_style
    import seaborn

    seaborn.axes_style = axes_style
