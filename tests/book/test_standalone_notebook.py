"""A chapter's notebook runs on its own, outside the repository (as after a download or on Colab).

The set-up cell that :mod:`westgov.book.launch` puts first in every generated and downloaded notebook
fetches the repository archive and installs ``westgov`` from it when ``westgov`` is not importable.
The test simulates that on this machine, with no network but the package index:

* the "repository archive" is a ``.tar.gz`` of this checkout's tracked files, laid out like
  GitHub's (``westgov-book-main/...``), passed through ``WESTGOV_SOURCE``;
* a fresh virtual environment in an empty temporary folder sees the libraries of ``.venv`` (so
  that nothing big is downloaded) but not ``westgov``, neither its code nor its metadata;
* the notebook is executed there with nbclient, from an empty working folder, with ``HOME`` in
  the temporary folder.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import tarfile
import textwrap
from pathlib import Path

import nbformat

from westgov.book import launch
from westgov.book.build import chapters
from westgov.paths import ROOT

CHAPTER = "model"  # a short chapter that reads the data folder and uses westgov's helpers


def _tracked_files() -> list[str]:
    out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], check=True, capture_output=True)
    return [f for f in out.stdout.decode().split("\0") if f and (ROOT / f).is_file()]


def _archive(target: Path) -> Path:
    with tarfile.open(target, "w:gz") as tar:
        for rel in _tracked_files():
            tar.add(ROOT / rel, arcname=f"westgov-book-main/{rel}")
    return target


def _venv_without_westgov(folder: Path) -> Path:
    """A venv whose only extra path is a folder of links to .venv's packages, minus westgov and tableaudit."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = folder / "bin" / "python"
    links = folder / "borrowed"
    links.mkdir()
    for entry in Path(site.getsitepackages()[0]).iterdir():
        name = entry.name.lower()
        if "westgov" in name or "tableaudit" in name or name.startswith("__editable__") or name.endswith(".pth"):
            continue
        (links / entry.name).symlink_to(entry)
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    (Path(purelib) / "borrowed.pth").write_text(f"{links}\n")
    return python


def test_setup_cell_comes_first_in_every_generated_notebook(tmp_path):
    written = launch.export_standalone(tmp_path)
    english = [p for p in written if p.parent == tmp_path / "chapters"]
    assert [p.stem for p in english] == [p.stem for p in chapters()]
    # The rest: the translated Chinese chapters, zh/chapters/<name>.ipynb, with Chinese labels.
    chinese = [p for p in written if p not in english]
    assert chinese and all(p.parent == tmp_path / "zh" / "chapters" for p in chinese)
    assert {p.stem for p in chinese} <= {p.stem for p in chapters()}
    for path in chinese:
        assert 'os.environ["WESTGOV_LANG"] = "zh"' in nbformat.read(path, as_version=4).cells[0].source
    for path in english:
        assert "WESTGOV_LANG" not in nbformat.read(path, as_version=4).cells[0].source
    for path in written:
        nb = nbformat.read(path, as_version=4)
        assert launch.SETUP_TAG in nb.cells[0].metadata["tags"]
        assert sum(launch.SETUP_TAG in c.metadata.get("tags", []) for c in nb.cells) == 1
        assert "WESTGOV_SOURCE" in nb.cells[0].source


def test_downloaded_notebook_runs_in_an_empty_folder(tmp_path):
    python = _venv_without_westgov(tmp_path / "venv")
    probe = subprocess.run([str(python), "-c", "import westgov"], capture_output=True, cwd=tmp_path)
    assert probe.returncode != 0, "the clean environment must not see westgov"

    archive = _archive(tmp_path / "westgov-book-main.tar.gz")
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    notebook = work / f"{CHAPTER}.ipynb"
    nbformat.write(launch.standalone_notebook(ROOT / "chapters" / f"{CHAPTER}.md"), str(notebook))

    runner = textwrap.dedent(
        f"""
        import nbformat
        from nbclient import NotebookClient
        nb = nbformat.read({str(notebook)!r}, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={{"metadata": {{"path": {str(work)!r}}}}}).execute()
        nbformat.write(nb, {str(notebook)!r})
        """
    )
    env = {
        "PATH": f"{python.parent}:/usr/bin:/bin",
        "HOME": str(home),
        "WESTGOV_SOURCE": archive.as_uri(),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "MPLBACKEND": "Agg",
    }
    for key in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CONFIG_FILE"):
        if key in os.environ:
            env[key] = os.environ[key]
    result = subprocess.run([str(python), "-c", runner], cwd=work, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]

    executed = nbformat.read(notebook, as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert not errors
    assert sum(bool(c.get("outputs")) for c in executed.cells if c.cell_type == "code") >= 3
    # The archive was unpacked into the home folder, and westgov is now installed there (editable).
    fetched = home / "westgov-book"
    assert (fetched / "data").is_dir()
    where = subprocess.run([str(python), "-c", "import westgov, sys; print(westgov.__file__)"],
                           capture_output=True, text=True, env=env, cwd=work)
    assert where.stdout.strip() == str(fetched / "westgov" / "__init__.py")
    # Next session: the set-up cell finds westgov ready and does nothing.
    rerun = subprocess.run([str(python), "-c", executed.cells[0].source], capture_output=True,
                           text=True, env=env, cwd=work)
    assert rerun.returncode == 0 and "Fetching" not in rerun.stdout
