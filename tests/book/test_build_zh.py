"""``build_book`` with a Chinese edition (issue 27): the Chinese source tree is generated, a
second Sphinx process builds it with ``WESTGOV_LANG=zh`` and its own markers, the one pool is
handed the Chinese chapters (language ``zh``, their own cache), and the Chinese site lands in
``html/zh``. A Chinese page whose code cells cannot be matched stops the build, naming the file."""

from __future__ import annotations

import types
from pathlib import Path

import westgov.data
from westgov.book import build

HEADER = "---\nkernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n\n"
EN = HEADER + "# A\n\nWords.\n\n```{code-cell} ipython3\nx = 1\n```\n"
ZH = HEADER + "# 甲\n\n文字。\n\n```{code-cell} ipython3\nx = 0\n```\n"
TOC = "format: jb-book\nroot: chapters/a\n"


def zh_book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    for rel, text in {
        "chapters/a.md": EN,
        "zh/chapters/a.md": ZH,
        "_toc.yml": TOC,
        "zh/_toc.yml": TOC,
        "_config.yml": "title: T\nsphinx:\n  config:\n    html_baseurl: https://x/\n",
        "zh/_config.yml": "title: 中\nsphinx:\n  config:\n    language: zh_CN\n",
        "references.bib": "",
        "assets/x.css": "a{}",
        "data/x.csv": "n\n1\n",
        "requirements.txt": "pandas\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_both_editions_are_built_by_one_pool_and_published_together(tmp_path, monkeypatch):
    root = zh_book(tmp_path)
    build_dir = root / "_build"
    started, pools = [], []

    class Sphinx:
        def __init__(self, cmd, env=None):
            started.append((cmd, env))
            if "zh-src" in cmd[2]:  # what Sphinx would write
                (Path(cmd[2]) / "_build" / "html").mkdir(parents=True, exist_ok=True)
                (Path(cmd[2]) / "_build" / "html" / "index.html").write_text("中")

        def wait(self):
            return 0

    def execute_chapters(*args, others=(), **kwargs):
        pools.append(list(others))
        return {"executed": [], "cached": [], "failed": {}, "seconds": 0.0}

    monkeypatch.setattr(build, "subprocess", types.SimpleNamespace(call=None, Popen=Sphinx))
    monkeypatch.setattr(westgov.data, "check", lambda folder: ([], None))
    monkeypatch.setattr(build, "execute_chapters", execute_chapters)
    assert build.build_book(root=root, build_dir=build_dir) == 0
    (en_cmd, en_env), (zh_cmd, zh_env) = started
    assert en_cmd[2] == str(root) and zh_cmd[2] == str(build_dir / "zh-src")
    assert zh_env["WESTGOV_LANG"] == "zh" and en_env.get("WESTGOV_LANG") != "zh"
    assert zh_env[build.MARKERS_ENV] != en_env[build.MARKERS_ENV]
    [[edition]] = pools
    assert (edition.root, edition.lang, edition.cache) == (build_dir / "zh-src", "zh", build_dir / "zh-src" / "_build" / ".jupyter_cache")
    # The generated page: Chinese prose, English code.
    page = (build_dir / "zh-src" / "chapters" / "a.md").read_text(encoding="utf-8")
    assert "文字。" in page and "x = 1" in page and "x = 0" not in page
    assert (build_dir / "html" / "zh" / "index.html").read_text() == "中"


def test_a_chinese_page_out_of_step_stops_the_build_naming_it(tmp_path, monkeypatch, capsys):
    root = zh_book(tmp_path)
    (root / "zh" / "chapters" / "a.md").write_text(ZH + "\n```{code-cell} ipython3\ny = 2\n```\n", encoding="utf-8")
    monkeypatch.setattr(westgov.data, "check", lambda folder: ([], None))
    monkeypatch.setattr(build, "subprocess", types.SimpleNamespace(call=None, Popen=None))
    assert build.build_book(root=root, build_dir=root / "_build") == 1
    assert "zh/chapters/a.md: 2 code cell(s) in the Chinese page, 1 in the English" in capsys.readouterr().err


def test_the_english_edition_alone_when_asked(tmp_path, monkeypatch):
    root = zh_book(tmp_path)
    calls = []
    monkeypatch.setattr(westgov.data, "check", lambda folder: ([], None))
    monkeypatch.setattr(build, "subprocess", types.SimpleNamespace(call=lambda cmd: calls.append(cmd) or 0, Popen=None))
    assert build.build_book(root=root, build_dir=root / "_build", parallel=False, languages=("en",)) == 0
    assert len(calls) == 1 and not (root / "_build" / "zh-src").exists()
