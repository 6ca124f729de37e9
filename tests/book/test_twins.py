"""westgov.book.twins: a Chinese chapter executed in its English twin's kernel gives the outputs
that a kernel of its own gives (the build's saving must not change a page)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from westgov.book import build, twins

# A chapter that leaves behind everything a chapter can: a name, matplotlib settings, a warning
# already shown, a changed folder and language.
LEAVES_STATE = """\
import os
import warnings

import matplotlib.pyplot as plt

import westgov

left_behind = 1
plt.rcParams["lines.linewidth"] = 9.0
warnings.warn("shown once per place")
warnings.filterwarnings("ignore", message="ignored in English")
os.chdir("/")
os.environ["WESTGOV_LANG"] = "en"
"""

# Its twin prints what it finds.
LOOKS = """\
import os
import warnings

import matplotlib.pyplot as plt

from westgov import i18n

print("left_behind" in dir())
print(plt.rcParams["lines.linewidth"])
print(plt.rcParams["font.sans-serif"][0])
print(Path.cwd().parent.name, i18n.language())
warnings.warn("ignored in English only")
"""

CHAPTER = """\
---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {title}

```{{code-cell}} ipython3
{code}
```
"""


def write(folder: Path, name: str, code: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(CHAPTER.format(title=name, code=code), encoding="utf-8")
    return path


def outputs(notebook) -> list[str]:
    """Every output of every code cell, with what differs between any two runs taken out: SVG
    metadata and random element ids, pandas Styler table ids, the kernel's process id in a
    warning's file name, the pixels of images (a map's PNG differs between two runs), and the
    digits of a float beyond the ninth decimal."""
    shown = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            output = {k: v for k, v in output.items() if k != "execution_count"}
            text = json.dumps(output, sort_keys=True, default=str)
            text = re.sub(r'"(application/papermill\.record/)?image/png": "[^"]*"', '"png"', text)
            text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
            text = re.sub(r"ipykernel_\d+", "ipykernel", text)  # the kernel's process id
            # Full-precision floats (glued values) to 9 decimals: two runs need not agree in the last bits.
            text = re.sub(r"-?\d+\.\d{10,}", lambda m: f"{float(m.group(0)):.9f}", text)
            ids: dict[str, str] = {}
            text = re.sub(
                r"\b(?:p|m|image|T_)[0-9a-f]{5,}\b", lambda m, ids=ids: ids.setdefault(m.group(0), f"id{len(ids)}"), text
            )
            shown.append(text)
    return shown


def test_the_twin_starts_from_a_new_kernel_state(tmp_path):
    english = write(tmp_path / "en" / "chapters", "page.md", LEAVES_STATE)
    chinese = write(tmp_path / "zh" / "chapters", "page.md", "from pathlib import Path\n\n" + LOOKS)
    _, alone, _, error = build._execute_one(str(chinese), lang="zh")
    assert error is None
    pair = build._execute_twins([(str(english), "en"), (str(chinese), "zh")])
    assert [error for *_, error in pair] == [None, None]
    assert outputs(pair[1][1]) == outputs(alone)
    printed = "".join(o["text"] for c in alone.cells if c.cell_type == "code" for o in c.outputs).split("\n")
    assert printed[0] == "False" and printed[1] != "9.0" and printed[3] == "zh zh"
    assert printed[2] == "Noto Sans CJK SC"
    assert "ignored in English only" in json.dumps(outputs(alone))


def test_a_warning_shown_by_the_english_chapter_is_shown_again_by_its_twin(tmp_path):
    """Python shows a warning once per place: in a cell (whose registry ``%reset`` clears) and in
    a module that stays imported (whose registry only a change of the filters clears)."""
    code = 'import warnings\n\nimport helper\n\nwarnings.warn("from a cell")\nhelper.warn()'
    helper = 'import warnings\n\n\ndef warn():\n    warnings.warn("from a module")\n'
    for lang in ("en", "zh"):
        write(tmp_path / lang / "chapters", "w.md", code)
        (tmp_path / lang / "chapters" / "helper.py").write_text(helper, encoding="utf-8")
    pair = build._execute_twins([(str(tmp_path / lang / "chapters" / "w.md"), lang) for lang in ("en", "zh")])
    for _, notebook, _, error in pair:
        assert error is None
        shown = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
        assert "from a cell" in shown and "from a module" in shown


def test_after_a_failed_english_chapter_the_twin_runs_in_a_kernel_of_its_own(tmp_path):
    english = write(tmp_path / "en" / "chapters", "f.md", "x = 1\n1 / 0")
    chinese = write(tmp_path / "zh" / "chapters", "f.md", "print('x' in dir())")
    [(_, _, _, error), (_, notebook, _, twin_error)] = build._execute_twins(
        [(str(english), "en"), (str(chinese), "zh")]
    )
    assert "ZeroDivisionError" in error and twin_error is None
    assert notebook.cells[-1].outputs[0]["text"] == "False\n"


def test_chinese_before_english_is_refused(tmp_path):
    with pytest.raises(ValueError, match="English before Chinese only"):
        twins.execute_in_one_kernel([(None, tmp_path, "zh"), (None, tmp_path, "en")], timeout=10)
    with pytest.raises(ValueError, match="language 'fr'"):
        twins.reset_code("fr", tmp_path)


def test_twin_jobs_pair_chapters_of_the_same_name():
    en, zh = build.Edition(Path("/en"), Path("/c")), build.Edition(Path("/zh"), Path("/d"), lang="zh")
    todo = [Path("/en/chapters/a.md"), Path("/en/chapters/b.md"), Path("/zh/chapters/a.md"), Path("/zh/chapters/c.md")]
    where = {p: (en if p.parts[1] == "en" else zh, None) for p in todo}
    assert build.twin_jobs(todo, where) == [
        [Path("/en/chapters/a.md"), Path("/zh/chapters/a.md")],
        [Path("/en/chapters/b.md")],
        [Path("/zh/chapters/c.md")],
    ]


@pytest.mark.parametrize("page", ["five-minutes.md", "correlations.md"])
def test_a_book_chapter_gives_the_same_chinese_outputs_either_way(page, tmp_path):
    """A real chapter pair (text, glued findings, figures with Chinese labels): the Chinese outputs
    from the shared kernel equal those of a kernel of its own."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    from westgov.book import i18n as book_i18n
    from westgov.paths import ROOT

    source = tmp_path / "zh-src"
    book_i18n.write_tree(source, ROOT)
    english, chinese = ROOT / "chapters" / page, source / "chapters" / page
    pair = build._execute_twins([(str(english), "en"), (str(chinese), "zh")])
    assert [error for *_, error in pair] == [None, None]
    _, alone, _, error = build._execute_one(str(chinese), lang="zh")
    assert error is None
    assert outputs(pair[1][1]) == outputs(alone)
    _, english_alone, _, _ = build._execute_one(str(english))
    assert outputs(pair[0][1]) == outputs(english_alone)
    # The build finds both in the execution cache: their key is the chapter's code and metadata.
    cache = get_cache(str(tmp_path / "cache"))
    for path, notebook, _, _ in pair:
        cache.cache_notebook_bundle(CacheBundleIn(notebook, path), check_validity=False, overwrite=True)
        cache.match_cache_notebook(build._read_chapter(Path(path)))
