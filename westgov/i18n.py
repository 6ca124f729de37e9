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
import re
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
            if None in row:  # more fields than columns: an unquoted comma split a label
                raise ValueError(
                    f"{path}: row {row_number}, column {len(reader.fieldnames) + 1}: "
                    f"{len(reader.fieldnames) + len(row[None])} fields where {len(reader.fieldnames)} columns are "
                    "named (quote a label that contains a comma)"
                )
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


#: The region table with the English and Chinese names (``data/raw/provinces.csv``).
PROVINCES = Path(__file__).resolve().parents[1] / "data" / "raw" / "provinces.csv"
_NUMBER_WORDS = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "zh": ("零", "一", "两", "三", "四", "五", "六", "七", "八", "九"),
}


@lru_cache(maxsize=None)
def _region_table(path: Path = PROVINCES) -> dict[str, dict[str, str]]:
    """``{code or English name: {"en": name_en, "zh": name_zh}}`` from the region table."""
    out: dict[str, dict[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"code", "name_en", "name_zh"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: row 1: missing column(s) {', '.join(sorted(missing))}")
        for row_number, row in enumerate(reader, start=2):
            if None in row:  # more fields than columns
                raise ValueError(f"{path}: row {row_number}, column {len(reader.fieldnames) + 1}: more fields than columns")
            for column in ("code", "name_en", "name_zh"):
                if not (row.get(column) or "").strip():
                    raise ValueError(f"{path}: row {row_number}, column {column}: empty")
            names = {"en": row["name_en"].strip(), "zh": row["name_zh"].strip()}
            out[row["code"].strip()] = names
            out[names["en"]] = names
    return out


def region_name(region: str | int, lang: str | None = None) -> str:
    """The name of a province-level region, given by its code (``540000``) or English name
    (``"Tibet"``), in ``lang`` (default: :func:`language`). Unknown regions are errors.

    >>> region_name("Tibet", "en"), region_name("Tibet", "zh"), region_name(500000, "zh")
    ('Tibet', '西藏', '重庆')
    """
    names = _region_table().get(str(region).strip())
    if names is None:
        raise KeyError(f"{PROVINCES.name}: no region with code or English name {region!r}")
    return names[lang or language()]


def region_names(regions, lang: str | None = None) -> str:
    """Several regions' names joined as a list in ``lang`` (", " in English, "、" in Chinese).

    >>> region_names(["Tibet", "Xinjiang"], "en"), region_names(["Tibet", "Xinjiang"], "zh")
    ('Tibet, Xinjiang', '西藏、新疆')
    """
    lang = lang or language()
    return label("word.comma", lang).join(region_name(r, lang) for r in regions)


def ordinal(k: int, lang: str | None = None) -> str:
    """A rank as an ordinal: ``5th`` in English, ``第 5`` in Chinese.

    >>> [ordinal(k, "en") for k in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '103rd']
    >>> ordinal(5, "zh")
    '第 5'
    """
    k = int(k)
    if (lang or language()) == "zh":
        return f"第 {k}"
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def count_word(k: int, lang: str | None = None) -> str:
    """A small count as a word (``one`` .. ``nine``; ``一`` .. ``九``), larger counts as digits.

    >>> count_word(1, "en"), count_word(1, "zh"), count_word(12, "en")
    ('one', '一', '12')
    """
    k = int(k)
    words = _NUMBER_WORDS[lang or language()]
    return words[k] if 0 <= k < len(words) else str(k)


def percent(number: str, lang: str | None = None) -> str:
    """``number`` as a percentage in ``lang``: ``"5.6 %"`` in English (the book's style), ``"5.6%"``
    in Chinese (no space, as Chinese typesetting writes it).

    >>> percent("5.6", "en"), percent("5.6", "zh")
    ('5.6 %', '5.6%')
    """
    return f"{number}%" if (lang or language()) == "zh" else f"{number} %"


def and_list(items, lang: str | None = None) -> str:
    """Words joined as a list: ``"a and b and c"`` in English (as the pages always joined them),
    ``"a、b 和 c"`` in Chinese; ``"none"``/``"无"`` when there are none.

    >>> and_list(["M2", "M3", "M4"], "en"), and_list(["M2", "M3", "M4"], "zh"), and_list([], "zh")
    ('M2 and M3 and M4', 'M2、M3 和 M4', '无')
    """
    items = [str(item) for item in items]
    if not items:
        return label("word.none", lang)
    if (lang or language()) != "zh":
        return " and ".join(items)
    return items[0] if len(items) == 1 else "、".join(items[:-1]) + " 和 " + items[-1]


def k_of_n(k, n, lang: str | None = None) -> str:
    """A count out of a total: ``"3 of 12"`` in English, ``"12 个中的 3 个"`` in Chinese.

    >>> k_of_n(3, 12, "en"), k_of_n(3, 12, "zh")
    ('3 of 12', '12 个中的 3 个')
    """
    return f"{n} 个中的 {k} 个" if (lang or language()) == "zh" else f"{k} of {n}"


def prefixed(prefix: str, lang: str | None = None) -> dict[str, str]:
    """``{name: label}`` for every key ``prefix.name`` of the label table, in the table's order
    (e.g. ``prefixed("short")`` gives the short column labels of wide tables).

    >>> prefixed("short", "en")["gdp_per_capita"], prefixed("short", "zh")["gdp_per_capita"]
    ('GDP/head', '人均GDP')
    """
    lang = lang or language()
    start = f"{prefix}."
    return {key[len(start) :]: row[lang] for key, row in table().items() if key.startswith(start)}


def chinese_frame(frame):
    """A copy of a pandas ``DataFrame`` or ``Series`` labelled for the Chinese pages: column and index
    labels (all levels, and the levels' names) from the ``header.*`` labels, whole string cells
    from the ``cell.*`` labels, the study's variables by their Chinese names (``name.*``), English
    region names as Chinese ones, and True/False as 是/否."""
    import pandas as pd

    header, cell = chinese_lookups()

    def words(series) -> bool:  # a column of strings (object or string dtype), not numbers
        return not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series))

    shown = frame.copy()
    if isinstance(shown, pd.Series):
        shown.name = header(shown.name)
        if words(shown):
            shown = shown.map(cell)
    else:
        for position in range(shown.shape[1]):
            column = shown.iloc[:, position]
            if pd.api.types.is_bool_dtype(column):  # True/False read as yes/no
                shown.isetitem(position, column.map({True: cell("yes"), False: cell("no")}))
            elif words(column):
                shown.isetitem(position, column.map(cell))
        shown = shown.rename(columns=header)
        shown.columns = shown.columns.set_names([header(n) for n in shown.columns.names])
    shown = shown.rename(index=header)
    return shown.rename_axis(index=[header(n) for n in shown.index.names])


@lru_cache(maxsize=None)
def sentence_patterns(path: Path = TABLE) -> tuple[tuple[re.Pattern, str], ...]:
    """The ``pattern.*`` labels: sentences that the audit (:mod:`tableaudit`, which writes English
    only) puts in table cells, as a regular expression (column ``en``, matched whole) and the Chinese
    sentence (column ``zh``, ``{0}``, ``{1}``, ... for the groups, each shown in Chinese when it is a
    name or a statistic). A pattern that does not compile, or whose template names a group it does
    not have, is an error naming the key."""
    out = []
    for key, row in table(path).items():
        if not key.startswith("pattern."):
            continue
        try:
            pattern = re.compile(row["en"])
        except re.error as err:
            raise ValueError(f"{path.name}: {key}, column en: not a regular expression ({err})") from None
        try:
            row["zh"].format(*[""] * pattern.groups)
        except (IndexError, KeyError):
            raise ValueError(f"{path.name}: {key}, column zh: names a group that column en does not have") from None
        out.append((pattern, row["zh"]))
    return tuple(out)


def chinese_lookups():
    """``(header, cell)``: functions giving a table label and a table cell in Chinese (label table,
    region names, also a region named in brackets as in "R01 (Tibet)", :func:`sentence_patterns`); anything
    else is returned as it is."""
    headers, cells = prefixed("header", "zh"), prefixed("cell", "zh")
    # The study's variables by their Chinese names (the tables' legends give the identifiers).
    headers = prefixed("name", "zh") | headers
    regions = {en: names["zh"] for en, names in _region_table().items() if not en.isdigit()}
    bracketed = re.compile(r" \((" + "|".join(map(re.escape, sorted(regions, key=len, reverse=True))) + r")\)")

    def word(value: str) -> str:  # a part of a sentence that the audit wrote: a name, a statistic
        shown = cells.get(value, headers.get(value, regions.get(value, value)))
        if shown == value and ", " in value:  # a list inside it: only when every item translates
            parts = [translate(part, cells, headers) for part in value.split(", ")]
            if all(new != old for new, old in zip(parts, value.split(", "))):
                return "，".join(parts)
        return shown

    def translate(value, first: dict, second: dict):
        if not isinstance(value, str):
            return value
        if value in first or value in second or value in regions:
            return first.get(value, second.get(value, regions.get(value)))
        for pattern, template in sentence_patterns():
            match = pattern.fullmatch(value)
            if match:
                return template.format(*(word(g) for g in match.groups()))
        if "; " in value:  # a list the audit wrote ("outcome z-scored; tertiary_share raw"): part by part
            parts = [translate(part, first, second) for part in value.split("; ")]
            if parts != value.split("; "):
                return "；".join(parts)
        return bracketed.sub(lambda m: f"（{regions[m.group(1)]}）", value)

    return (lambda v: translate(v, headers, cells)), (lambda v: translate(v, cells, headers))


def _chinese_styler_html(styler) -> str:
    """A pandas ``Styler`` shown on a Chinese page: a copy with its labels and its text cells in
    Chinese (:func:`chinese_lookups`); number formats are kept."""
    import copy

    import pandas as pd

    header, cell = chinese_lookups()
    shown = copy.deepcopy(styler)
    shown.format_index(header, axis=0).format_index(header, axis=1)
    words = [c for c in shown.data.columns if not pd.api.types.is_numeric_dtype(shown.data[c])]
    if words:
        shown.format(cell, subset=words)
    return shown._repr_html_()


def show_tables_in_chinese() -> bool:
    """In an IPython kernel, display every ``DataFrame`` and ``Series`` through :func:`chinese_frame`
    (HTML and plain text), so that a Chinese page's tables have Chinese headers while its code,
    the English page's, keeps its English names. False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    import pandas as pd
    from pandas.io.formats.style import Styler

    formatters = shell.display_formatter.formatters
    for kind in (pd.DataFrame, pd.Series):
        formatters["text/plain"].for_type(kind, lambda obj, p, cycle: p.text(repr(chinese_frame(obj))))
    formatters["text/html"].for_type(pd.DataFrame, lambda obj: chinese_frame(obj)._repr_html_())
    formatters["text/html"].for_type(Styler, _chinese_styler_html)
    return True
