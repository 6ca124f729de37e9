"""Launch buttons (Colab, Binder) and the PDF link, as built into every page.

Offline, so the links' form is checked, not the services: each notebook chapter links Colab and
Binder at ``<branch>/chapters/<page>.ipynb`` of the repository named in ``_config.yml`` (a
translated Chinese page at ``<branch>/zh/chapters/<page>.ipynb``, an untranslated one at the English
notebook), and that file exists, as a notebook of that chapter, in the tree that
``make launch-branch`` (and the workflow ``notebooks.yml``) publishes on that branch. The Chinese
notebook's set-up cell makes westgov print Chinese labels, and the Chinese page's download is the
Chinese notebook with that set-up cell and with outputs. Fixtures ``site`` and ``browser`` come from
``test_site.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from html.parser import HTMLParser

import jupytext
import nbformat
import pytest
import yaml
from test_site import PAGES, _load, browser, site  # noqa: F401  (fixtures reused as they are)

from westgov import i18n as labels_i18n
from westgov.book import i18n, launch
from westgov.book.build import is_notebook_source
from westgov.paths import BUILD_DIR, ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
THEME = CONFIG["sphinx"]["config"]["html_theme_options"]
OWNER, REPO = urllib.parse.urlparse(THEME["repository_url"]).path.strip("/").split("/")[:2]
BRANCH = THEME["repository_branch"]
EN_PAGES = [p for p in PAGES if not p.startswith("zh/")]
ZH_PAGES = [p for p in PAGES if p.startswith("zh/")]


def _english(page: str) -> str:
    """``chapters/x.html`` for ``chapters/x.html`` and ``zh/chapters/x.html``."""
    return page.removeprefix("zh/")


def _translated(page: str) -> bool:
    return page.startswith("zh/") and (ROOT / page.replace(".html", ".md")).exists()


NOTEBOOK_PAGES = [p for p in PAGES if is_notebook_source(ROOT / _english(p).replace(".html", ".md"))]
ZH_NOTEBOOK_PAGES = [p for p in NOTEBOOK_PAGES if _translated(p)]


def _expected_notebook(page: str) -> str:
    """Where a page's buttons must point, relative to the branch: the Chinese notebook for a
    translated Chinese page, the English one otherwise."""
    return (page if _translated(page) else _english(page)).replace(".html", ".ipynb")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def _hrefs(page: str) -> list[str]:
    path = BUILD_DIR / "html" / page
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make book` first")
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.hrefs


def _launch_links(page: str) -> dict[str, str]:
    hrefs = _hrefs(page)
    hosts = {"colab": "colab.research.google.com", "binder": "mybinder.org"}
    # Launch links carry a path (prose may link the services' home pages).
    return {
        name: [h for h in hrefs if urllib.parse.urlparse(h).netloc == host
               and urllib.parse.urlparse(h).path.strip("/")]
        for name, host in hosts.items()
    }


def test_every_chapter_is_a_notebook_with_launch_buttons():
    assert len([p for p in NOTEBOOK_PAGES if p in EN_PAGES]) >= 10, NOTEBOOK_PAGES
    assert "zh/chapters/regressions.html" in ZH_NOTEBOOK_PAGES, ZH_NOTEBOOK_PAGES
    assert BRANCH != CONFIG["repository"]["branch"], "the notebooks live on their own branch"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_launch_links_point_at_the_generated_notebook(page):
    links = _launch_links(page)
    notebook = _expected_notebook(page)
    assert links["colab"] == [
        f"https://colab.research.google.com/github/{OWNER}/{REPO}/blob/{BRANCH}/{notebook}"
    ]
    (binder,) = links["binder"]
    url = urllib.parse.urlparse(binder)
    assert url.scheme == "https" and url.path == f"/v2/gh/{OWNER}/{REPO}/{BRANCH}"
    assert urllib.parse.parse_qs(url.query) == {"urlpath": [f"lab/tree/{notebook}"]}


@pytest.mark.parametrize("page", [p for p in PAGES if p not in NOTEBOOK_PAGES])
def test_pages_without_code_have_no_launch_buttons(page):
    assert _launch_links(page) == {"colab": [], "binder": []}


@pytest.fixture(scope="module")
def launch_tree(tmp_path_factory):
    """What the `notebooks` branch holds after `make launch-branch`."""
    return launch.write_launch_tree(tmp_path_factory.mktemp("launch") / "tree")


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_launch_target_exists_on_the_branch(launch_tree, page):
    (colab,) = _launch_links(page)["colab"]
    rel = colab.split(f"/blob/{BRANCH}/", 1)[1]
    notebook = nbformat.read(launch_tree / rel, as_version=4)
    nbformat.validate(notebook)
    assert launch.SETUP_TAG in notebook.cells[0].metadata["tags"]
    if _translated(page):
        # The Chinese page as built: Chinese prose, the English code cells.
        chapter = _english(page).removesuffix(".html")
        source = jupytext.reads(i18n.page_source(chapter, ROOT), fmt="md:myst")
        assert any("\u4e00" <= ch <= "\u9fff" for c in source.cells if c.cell_type == "markdown" for ch in c.source)
    else:
        source = jupytext.read(ROOT / _english(page).replace(".html", ".md"))
    assert [c.source for c in notebook.cells[1:]] == [c.source for c in source.cells]
    assert _language_after(notebook.cells[0].source) == ("zh" if _translated(page) else "en")


LABEL_KEY = "axis.std_coef"


def _language_after(setup_source: str) -> str:
    """Run a set-up cell in a fresh Python (WESTGOV_LANG unset, westgov importable so the cell only
    sets the language), then a westgov label; the language whose label it printed."""
    env = {k: v for k, v in os.environ.items() if k != labels_i18n.ENV}
    code = setup_source + f"\nfrom westgov.i18n import label\nprint(label({LABEL_KEY!r}))\n"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    texts = labels_i18n.table()[LABEL_KEY]
    assert texts["en"] != texts["zh"]
    return {text: lang for lang, text in texts.items()}[out]


@pytest.mark.parametrize("page", ZH_NOTEBOOK_PAGES)
def test_chinese_download_is_the_chinese_notebook_with_outputs(page):
    """The first .ipynb link of a translated Chinese page is its download: the Chinese notebook,
    with the Chinese set-up cell and the outputs of the Chinese build."""
    hrefs = [h for h in _hrefs(page) if h.endswith(".ipynb") and "://" not in h]
    assert hrefs, page
    path = (BUILD_DIR / "html" / page).parent / hrefs[0]
    notebook = nbformat.read(path, as_version=4)
    assert launch.SETUP_TAG in notebook.cells[0].metadata["tags"]
    assert 'os.environ["WESTGOV_LANG"] = "zh"' in notebook.cells[0].source
    chapter = _english(page).removesuffix(".html")
    source = jupytext.reads(i18n.page_source(chapter, ROOT), fmt="md:myst")
    assert [c.source for c in notebook.cells[1:]] == [c.source for c in source.cells]
    assert any(c.get("outputs") for c in notebook.cells[1:] if c.cell_type == "code")
    if page == "zh/chapters/regressions.html":  # its tables carry Chinese labels
        outputs = json.dumps([c.get("outputs", []) for c in notebook.cells], ensure_ascii=False)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in outputs), page


def test_branch_is_binder_ready(launch_tree):
    assert (launch_tree / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert "requirements.txt" in (launch_tree / "binder" / "requirements.txt").read_text()
    assert (launch_tree / "requirements.txt").exists() and (launch_tree / "data").is_dir()
    assert (launch_tree / "binder" / "postBuild").stat().st_mode & 0o111


def test_launch_menu_renders_in_the_browser(site, browser):  # noqa: F811
    _load(browser, site + "chapters/regressions.html")
    hrefs = [
        a.get_attribute("href")
        for a in browser.find_elements("css selector", ".dropdown-launch-buttons a, a.btn")
    ]
    assert any(h and h.startswith("https://colab.research.google.com/github/") for h in hrefs)
    assert any(h and h.startswith("https://mybinder.org/v2/gh/") for h in hrefs)
    # The page's own download stays its first .ipynb link (the launch links end in .ipynb too).
    first = browser.find_elements("css selector", "a[href$='.ipynb']")[0].get_attribute("href")
    assert first.startswith(site) and "/_sources/" in first
