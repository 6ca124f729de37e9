"""The Chinese edition is in step with the English (issue 27).

For every page with a Chinese file ``zh/chapters/X.md``: the same code cells (byte for byte), glue
keys, figures, tables, exercises and solutions, headings (count and levels) and labels as
``chapters/X.md``; the two tables of contents list the same pages in the same order; every
translated page records which English it was translated from. Pages not translated yet are built
as marked English copies: reported here (a warning and the terminal summary), not failed.
Sections whose English changed since their translation are printed (``status``), not failed.
"""

from __future__ import annotations

import warnings

import pytest

from westgov.book import i18n
from westgov.paths import ROOT

PAGES = i18n.translated(ROOT)


def test_both_tables_of_contents_list_the_same_pages():
    assert i18n.toc_files(ROOT / "_toc.yml") == i18n.toc_files(ROOT / "zh" / "_toc.yml")


def test_every_chinese_file_is_a_page_of_the_english_book():
    english = set(i18n.pages(ROOT))
    stray = [p.name for p in (ROOT / "zh" / "chapters").glob("*.md") if f"chapters/{p.stem}" not in english]
    assert not stray


@pytest.mark.parametrize("page", PAGES)
def test_a_translated_page_has_the_english_structure(page):
    en = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    zh = (ROOT / "zh" / f"{page}.md").read_text(encoding="utf-8")
    assert i18n.compare(en, zh, f"zh/{page}.md") == []


@pytest.mark.parametrize("page", PAGES)
def test_a_translated_page_records_the_english_it_was_translated_from(page):
    assert f"{page}.md" in i18n.load_state(ROOT), f"run: python -m westgov.book.i18n stamp --from {i18n.TRANSLATED_FROM} {page}.md"


def test_untranslated_pages_and_changed_sections_are_reported(capsys):
    """Never fails on drift: prints ``python -m westgov.book.i18n status``."""
    report = i18n.status_report(ROOT)
    with capsys.disabled():
        print("\n" + report)
    missing = i18n.untranslated(ROOT)
    if missing:
        warnings.warn(f"{len(missing)} page(s) of the Chinese edition are English copies: {', '.join(missing)}", stacklevel=1)


# --- the checks themselves catch what they should ----------------------------------------------

EN = """---
kernelspec:
  name: python3
---

# Title

(sec-a)=
## Part A {glue:text}`n_rows`

```{code-cell} ipython3
x = 1  # a comment, not a heading
glue("n_rows", x)
```

:::{table} Caption
:name: tbl-a

```{glue:md} tbl_a
:format: myst
```
:::

```{exercise}
:label: ex-a
Do it.
```
"""

ZH = EN.replace("# Title", "# 标题").replace("## Part A", "## 甲部分").replace("Do it.", "做。").replace("Caption", "表题")


def test_a_faithful_translation_has_no_problems():
    assert i18n.compare(EN, ZH, "zh/x.md") == []


@pytest.mark.parametrize(
    "change, what",
    [
        (lambda t: t.replace("x = 1", "x = 2"), "code cells"),
        (lambda t: t.replace("{glue:text}`n_rows`", ""), "glue keys"),
        (lambda t: t.replace("## 甲部分", "### 甲部分"), "headings"),
        (lambda t: t.replace("(sec-a)=\n", ""), "labels"),
        (lambda t: t.replace(":::{table} 表题", ":::{note}"), "tables"),
        (lambda t: t.replace("```{exercise}", "```{note}"), "exercises"),
        (lambda t: t + "\n## 多出的一节\n", "headings"),
    ],
)
def test_each_kind_of_drift_is_caught(change, what):
    problems = i18n.compare(EN, change(ZH), "zh/x.md")
    assert any(what in p and p.startswith("zh/x.md") for p in problems), problems


def test_code_cells_are_replaced_by_ordinal_and_a_count_mismatch_names_the_file():
    stale = ZH.replace("x = 1", "x = 0")
    assert i18n.replace_code_cells(stale, EN, "zh/x.md") == ZH
    with pytest.raises(i18n.ParityError, match="zh/x.md: 2 code cell"):
        i18n.replace_code_cells(stale + "\n```{code-cell} ipython3\ny = 2\n```\n", EN, "zh/x.md")


def test_sections_change_only_with_their_prose():
    before = dict(i18n.sections(EN))
    assert dict(i18n.sections(EN.replace("x = 1", "x = 5"))) == before  # code is synced, not translated
    after = dict(i18n.sections(EN.replace("Do it.", "Do it now.")))
    assert [k for k in before if before[k] != after.get(k)] == ["## Part A {glue:text}`n_rows`"]


def test_the_generated_tree_has_every_page_and_english_code(tmp_path):
    written = i18n.write_tree(tmp_path / "zh-src", ROOT)
    assert written
    for page in i18n.pages(ROOT):
        text = (tmp_path / "zh-src" / f"{page}.md").read_text(encoding="utf-8")
        assert i18n.code_cells(text) == i18n.code_cells((ROOT / f"{page}.md").read_text(encoding="utf-8"))
        assert (i18n.UNTRANSLATED in text) == (page not in PAGES)
    config = (tmp_path / "zh-src" / "_config.yml").read_text(encoding="utf-8")
    assert "language: zh_CN" in config and "execute_notebooks: cache" in config and "html_baseurl" in config
