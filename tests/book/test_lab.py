"""`make lab`: JupyterLab with jupytext opens every chapter's MyST source as a notebook.

The test starts the server the way `make lab` does (the .venv's ``jupyter lab``), on loopback, a free
port and a random token, asks its contents API for a chapter as a notebook, and shuts it down.
JupyterLab is pinned in ``requirements-lab.txt``; ``make test`` installs it (target ``lab-deps``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import jupytext
import pytest

from westgov.paths import ROOT

JUPYTER = Path(sys.executable).parent / "jupyter"
OVERRIDES = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, token: str):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read() or b"null")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if shutil.which("jupyter-lab", path=str(JUPYTER.parent)) is None:
        pytest.fail("JupyterLab is not installed in the environment: run `make lab-deps`")
    port, token = _free_port(), secrets.token_hex(16)
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    process = subprocess.Popen(
        [str(JUPYTER), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
         "--ServerApp.port_retries=0", *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={"PATH": str(JUPYTER.parent) + ":/usr/bin:/bin", "HOME": str(runtime),
             "JUPYTER_RUNTIME_DIR": str(runtime)},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            _get(f"{base}/api/status", token)
            break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"JupyterLab did not start:\n{process.stderr.read()[-3000:]}")
            time.sleep(0.5)
    yield base, token, process
    # Shut down through the API, as a user's "Shut Down" menu does; kill only if it hangs.
    request = urllib.request.Request(f"{base}/api/shutdown", method="POST",
                                     headers={"Authorization": f"token {token}"})
    urllib.request.urlopen(request, timeout=30).close()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.parametrize("chapter", ["primer", "regressions"])
def test_chapter_opens_as_a_notebook(lab, chapter):
    base, token, _ = lab
    status, model = _get(f"{base}/api/contents/chapters/{chapter}.md?type=notebook&content=1", token)
    assert status == 200
    assert model["type"] == "notebook"
    cells = model["content"]["cells"]
    source = jupytext.read(ROOT / "chapters" / f"{chapter}.md")
    assert [c["cell_type"] for c in cells] == [c.cell_type for c in source.cells]
    assert sum(c["cell_type"] == "code" for c in cells) > 3
    assert model["content"]["metadata"]["kernelspec"]["name"] == "python3"


def test_server_refuses_requests_without_the_token(lab):
    base, _, _ = lab
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{base}/api/contents/chapters/primer.md?type=notebook", timeout=30)
    assert error.value.code == 403


def test_markdown_opens_in_the_notebook_view_by_default(lab):
    """`make lab-deps` installs the setting that makes a double-click open a chapter as a notebook,
    and the running JupyterLab serves it as the effective setting."""
    settings = json.loads(OVERRIDES.read_text())
    assert settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]["markdown"] == (
        "Jupytext Notebook"
    )
    base, token, _ = lab
    _, served = _get(f"{base}/lab/api/settings/@jupyterlab/docmanager-extension:plugin", token)
    # JupyterLab applies overrides.json as the schema's default (the user has changed nothing).
    defaults = served["schema"]["properties"]["defaultViewers"]["default"]
    assert defaults["markdown"] == defaults["myst"] == "Jupytext Notebook"
    assert "defaultViewers" not in served["settings"]
