"""westgov.i18n: the language from WESTGOV_LANG, the one table of labels, the CJK figure font."""

from __future__ import annotations

import re

import pytest

from westgov import i18n


def test_the_language_is_english_unless_asked(monkeypatch):
    monkeypatch.delenv(i18n.ENV, raising=False)
    assert i18n.language() == "en"
    monkeypatch.setenv(i18n.ENV, "zh")
    assert i18n.language() == "zh"
    monkeypatch.setenv(i18n.ENV, "fr")
    with pytest.raises(ValueError, match="WESTGOV_LANG='fr'"):
        i18n.language()


def test_labels_follow_the_language(monkeypatch):
    monkeypatch.setenv(i18n.ENV, "zh")
    assert i18n.label("legend.median") == "中位数"
    monkeypatch.delenv(i18n.ENV)
    assert i18n.label("legend.median") == "median"
    with pytest.raises(KeyError, match="no label 'nonesuch'"):
        i18n.label("nonesuch")


@pytest.mark.parametrize(
    "text, where",
    [
        ("key,en\nx,a\n", "row 1: missing column(s) zh"),
        ("key,en,zh\nx,a,\n", "row 2, column zh: empty label for 'x'"),
        ("key,en,zh\nx,a,甲\nx,b,乙\n", "row 3, column key: duplicate key 'x'"),
        ("key,en,zh\n,a,甲\n", "row 2, column key: empty key"),
        (
            "key,en,zh\nx,a, b,甲\n",
            "row 2, column 4: 4 fields where 3 columns are named (quote a label that contains a comma)",
        ),
    ],
)
def test_a_bad_table_is_refused_naming_file_row_and_column(tmp_path, text, where):
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        i18n.table(path)
    assert str(err.value) == f"{path}: {where}"


def test_the_english_column_is_what_the_chapters_printed_before():
    """A few labels compared with the English the figures carried before they came from the table."""
    assert i18n.label("axis.std_coef", "en") == "standardized coefficient"
    assert i18n.label("title.leverage", "en").format(k=3) == "leverage (dashed: mean 3/12)"
    assert i18n.label("map.gdp_per_capita", "en") == "a. GDP per head, yuan"


def test_every_chinese_label_has_glyphs_in_the_figure_font():
    """The font matplotlib picks for the Chinese edition draws every character of the zh column
    (no empty boxes): Noto Sans CJK from fonts-noto-cjk, which `make book` installs."""
    import matplotlib as mpl
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    with mpl.rc_context():
        i18n.use_language_fonts("zh")
        path = font_manager.findfont(
            font_manager.FontProperties(family=mpl.rcParams["font.family"]),
            fallback_to_default=False,
        )
        assert "CJK" in path, path
        font = FT2Font(path)
        chars = {c for row in i18n.table().values() for c in row["zh"] if not c.isspace()}
        missing = sorted(c for c in chars if font.get_char_index(ord(c)) == 0)
    assert missing == [], missing


def test_seaborn_styles_keep_the_cjk_font():
    import matplotlib as mpl
    import seaborn as sns

    with mpl.rc_context():
        i18n.use_language_fonts("zh")
        sns.set_theme(style="whitegrid")
        assert mpl.rcParams["font.sans-serif"][0] == i18n.CJK_FONTS[0]


def test_region_names_by_code_or_english_name(monkeypatch):
    monkeypatch.setenv(i18n.ENV, "zh")
    assert i18n.region_name("Tibet") == "西藏"
    assert i18n.region_name(500000) == "重庆"
    assert i18n.region_names(["Chongqing", "Sichuan"]) == "重庆、四川"
    monkeypatch.delenv(i18n.ENV)
    assert i18n.region_name("540000") == "Tibet"
    assert i18n.region_names(["Chongqing", "Sichuan"]) == "Chongqing, Sichuan"
    with pytest.raises(KeyError, match="no region .*'Atlantis'"):
        i18n.region_name("Atlantis")


def test_every_region_has_both_names():
    import csv

    with open(i18n.PROVINCES, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 31
    for row in rows:
        assert i18n.region_name(row["code"], "en") == row["name_en"]
        assert i18n.region_name(row["name_en"], "zh") == row["name_zh"]


@pytest.mark.parametrize(
    "k, en, zh",
    [
        (1, "1st", "第 1"),
        (2, "2nd", "第 2"),
        (3, "3rd", "第 3"),
        (5, "5th", "第 5"),
        (11, "11th", "第 11"),
        (12, "12th", "第 12"),
        (13, "13th", "第 13"),
        (21, "21st", "第 21"),
        (112, "112th", "第 112"),
    ],
)
def test_ordinals(k, en, zh):
    assert (i18n.ordinal(k, "en"), i18n.ordinal(k, "zh")) == (en, zh)


def test_count_words():
    assert [i18n.count_word(k, "en") for k in (1, 3, 10)] == ["one", "three", "10"]
    assert [i18n.count_word(k, "zh") for k in (1, 3, 10)] == ["一", "三", "10"]


def test_prefixed_labels_keep_the_table_order():
    short = i18n.prefixed("short", "en")
    assert list(short)[:2] == ["digital_government_index", "tertiary_share"]
    assert short["rd_intensity"] == "R&D"
    assert i18n.prefixed("short", "zh")["rd_intensity"] == "研发投入强度"
    assert i18n.prefixed("nonesuch") == {}


def test_a_certainty_level_in_a_chinese_table_reads_as_on_the_chinese_pages():
    """A table cell holding a level of the scale shows the Chinese level the wordings use."""
    from westgov.findings import SCALE, zh

    for level in SCALE:
        assert i18n.label(f"cell.{level}", "zh") == zh.CERTAINTY[level]


def test_every_codebook_cell_shown_on_the_model_page_has_a_chinese_label():
    """The model chapter's codebook tables: roles, definitions (with units) and both sources."""
    import pandas as pd

    from westgov.paths import DATA_DIR

    book = pd.read_csv(DATA_DIR / "codebook.csv", dtype=str)
    shown = [*book.role, *(book.definition + " (" + book.unit + ")"), *book.paper_source, *book.our_source]
    missing = [cell for cell in shown if f"cell.{cell}" not in i18n.table()]
    assert missing == []


def test_a_frame_shown_on_a_chinese_page_has_chinese_headers_cells_and_regions():
    import pandas as pd

    frame = pd.DataFrame(
        {"p classical": [0.1, 0.2], "region": ["Tibet", "elsewhere"], "flips": [True, False]},
        index=pd.Index(["M1", "M2"], name="model"),
    )
    shown = i18n.chinese_frame(frame)
    assert list(shown.columns) == ["p（经典）", "地区", "flips"]
    assert shown.index.name == "模型"
    assert list(shown["地区"]) == ["西藏", "elsewhere"] and list(shown["flips"]) == ["是", "否"]
    assert list(frame.columns) == ["p classical", "region", "flips"]  # the frame itself is untouched
    series = i18n.chinese_frame(pd.Series([1.0], index=["Sichuan"], name="mean / median"))
    assert list(series.index) == ["四川"]


def test_tables_are_shown_in_chinese_only_inside_ipython(monkeypatch):
    import pandas as pd
    from IPython.core.interactiveshell import InteractiveShell

    assert i18n.show_tables_in_chinese() is False  # no kernel here
    shell = InteractiveShell.instance()
    try:
        assert i18n.show_tables_in_chinese() is True
        html = shell.display_formatter.formatters["text/html"](pd.DataFrame({"p classical": [0.5]}))
        assert "p（经典）" in html and "p classical" not in html
    finally:
        InteractiveShell.clear_instance()


def test_labels_made_by_code_are_shown_in_chinese_too():
    import pandas as pd

    frame = pd.DataFrame({"t agrees": ["67 of 70"]}, index=["R01 (Tibet)"])
    shown = i18n.chinese_frame(frame)
    assert list(shown.index) == ["R01（西藏）"] and list(shown["t 值一致"]) == ["67/70"]
    assert i18n.chinese_frame(pd.Series(["n ≤ 15 (77 sets)"])).iloc[0] == "n ≤ 15（77 套）"


def test_a_styled_table_keeps_its_number_formats_in_chinese():
    import pandas as pd
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        i18n.show_tables_in_chinese()
        styled = pd.DataFrame({"verdict": ["consistent"], "se": [0.1234]}).style.format({"se": "{:.2f}"})
        html = shell.display_formatter.formatters["text/html"](styled)
        assert "判定结果" in html and "一致" in html and "0.12" in html and "0.1234" not in html
        assert styled.data.columns[0] == "verdict"  # the chapter's object is untouched
    finally:
        InteractiveShell.clear_instance()


def test_the_audits_sentences_are_shown_in_chinese_with_chinese_names():
    _, cell = i18n.chinese_lookups()
    assert cell("M2: coefficient of tertiary_share") == "M2：第三产业占比的系数"
    assert cell("official data cover 8 of 12 units") == "官方数据只覆盖 12 个观测单位中的 8 个"
    assert cell("holds with the sign of rd_intensity reversed") == "将研发投入强度系数的符号取反后成立"
    assert cell("a sentence nobody wrote a pattern for") == "a sentence nobody wrote a pattern for"


@pytest.mark.parametrize(
    "row, where",
    [
        ("pattern.bad,(M\\d: x,{0}\n", "pattern.bad, column en: not a regular expression"),
        ("pattern.bad,(M\\d): x,{0} {1}\n", "pattern.bad, column zh: names a group that column en does not have"),
    ],
)
def test_a_bad_sentence_pattern_is_refused_naming_its_key(tmp_path, row, where):
    path = tmp_path / "labels.csv"
    path.write_text("key,en,zh\n" + row, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"labels.csv: {where}")):
        i18n.sentence_patterns(path)


def test_a_list_the_audit_wrote_is_translated_part_by_part():
    _, cell = i18n.chinese_lookups()
    shown = cell("outcome z-scored; budget_expenditure_share raw; rd_intensity ×100")
    assert shown == "因变量取 z 分数；预算支出比取原始值；研发投入强度×100"
