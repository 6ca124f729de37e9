"""Launch buttons (Colab, Binder) and the PDF link, as built into every page.

Offline, so the links' form is checked, not the services: each notebook chapter links Colab and
Binder at ``<branch>/chapters/<page>.ipynb`` of the repository named in ``_config.yml``, and that
file exists, as a notebook of that chapter, in the tree that ``make launch-branch`` (and the
workflow ``notebooks.yml``) publishes on that branch. Fixtures ``site`` and ``browser`` come from
``test_site.py``.
"""

from __future__ import annotations

import urllib.parse
from html.parser import HTMLParser

import jupytext
import nbformat
import pytest
import yaml
from test_site import PAGES, _load, browser, site  # noqa: F401  (fixtures reused as they are)

from westgov.book import launch
from westgov.book.build import is_notebook_source
from westgov.paths import BUILD_DIR, ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
THEME = CONFIG["sphinx"]["config"]["html_theme_options"]
OWNER, REPO = urllib.parse.urlparse(THEME["repository_url"]).path.strip("/").split("/")[:2]
BRANCH = THEME["repository_branch"]
# The English pages: the Chinese edition's launch buttons still open the English notebooks
# (issue 27, not done yet), so they are not tested here.
EN_PAGES = [p for p in PAGES if not p.startswith("zh/")]
NOTEBOOK_PAGES = [p for p in EN_PAGES if is_notebook_source(ROOT / p.replace(".html", ".md"))]


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
    assert len(NOTEBOOK_PAGES) >= 10, NOTEBOOK_PAGES
    assert BRANCH != CONFIG["repository"]["branch"], "the notebooks live on their own branch"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_launch_links_point_at_the_generated_notebook(page):
    links = _launch_links(page)
    notebook = page.replace(".html", ".ipynb")
    assert links["colab"] == [
        f"https://colab.research.google.com/github/{OWNER}/{REPO}/blob/{BRANCH}/{notebook}"
    ]
    (binder,) = links["binder"]
    url = urllib.parse.urlparse(binder)
    assert url.scheme == "https" and url.path == f"/v2/gh/{OWNER}/{REPO}/{BRANCH}"
    assert urllib.parse.parse_qs(url.query) == {"urlpath": [f"lab/tree/{notebook}"]}


@pytest.mark.parametrize("page", [p for p in EN_PAGES if p not in NOTEBOOK_PAGES])
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
    source = jupytext.read(ROOT / page.replace(".html", ".md"))
    assert [c.source for c in notebook.cells[1:]] == [c.source for c in source.cells]


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
