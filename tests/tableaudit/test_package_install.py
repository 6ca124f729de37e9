"""The audit installs on its own: ``pip install ./tableaudit`` into an empty virtual environment,
then ``python -m tableaudit`` on the example tables the package ships.

The environment gets the package's dependencies from the package index (at the versions pinned in
``requirements.txt``, as constraints) and nothing of this repository but ``tableaudit/``; the
commands run outside the checkout, so only the installed copy can be imported. Not run under
mutation (``[tool.mutmut]`` in pyproject.toml): it tests the installed copy, not the mutated one.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python of a fresh venv with tableaudit installed, folder of the installed package)."""
    where = tmp_path_factory.mktemp("venv")
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # a copy of the package folder, so that pip's build files never land in the checkout
    source = where / "src" / "tableaudit"
    shutil.copytree(ROOT / "tableaudit", source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    pip = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", ROOT / "requirements.txt", source],
        capture_output=True, text=True, cwd=where, timeout=1200,
    )
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    probe = subprocess.run(
        [python, "-c", "import pathlib, tableaudit; print(pathlib.Path(tableaudit.__file__).parent)"],
        capture_output=True, text=True, cwd=where, check=True,
    )
    return python, Path(probe.stdout.strip()), where


def _audit(installed, *args):
    python, _, where = installed
    return subprocess.run([python, "-m", "tableaudit", *map(str, args)], capture_output=True, text=True, cwd=where, timeout=600)


def test_the_installed_package_is_a_copy_without_the_book(installed):
    python, package, where = installed
    assert package.is_relative_to(where / "venv"), package
    assert (package / "examples" / "copper" / "table2_descriptives.csv").is_file()
    westgov = subprocess.run([python, "-c", "import westgov"], capture_output=True, text=True, cwd=where)
    assert westgov.returncode != 0 and "ModuleNotFoundError" in westgov.stderr


def test_the_honest_example_passes_every_check(installed):
    _, package, _ = installed
    run = _audit(installed, package / "examples" / "copper")
    assert run.returncode == 0, run.stderr
    first = run.stdout.strip().splitlines()[0]
    counted = re.fullmatch(r"Audit of .*copper: (\d+) checks: (\d+) consistent\.", first)
    assert counted and int(counted[1]) > 0 and counted[1] == counted[2], first


def test_the_journal_example_is_read_in_its_declared_conventions(installed):
    """examples/copper-journal declares stars at 5 / 1 / 0.1 %, t statistics in parentheses and
    thousands separated by commas (table_format.csv): read so, every check is consistent."""
    _, package, _ = installed
    run = _audit(installed, package / "examples" / "copper-journal")
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    counted = re.fullmatch(r"Audit of .*copper-journal: (\d+) checks: (\d+) consistent\.", lines[0])
    assert counted and counted[1] == counted[2], lines[0]
    assert " ".join(run.stdout.split()).startswith(
        f"{lines[0]} Table format: stars at 5 / 1 / 0.1 %, two-sided; t statistics in parentheses; "
        "thousands separated by commas")


def test_the_planted_errors_are_found_and_fail_the_command(installed):
    """The three planted cells (README of the package): coefficient of COPPERPRICE in A, stars of
    ALUMPRICE in B, F of C; each is named by an inconsistent check, and nothing else of B is."""
    _, package, _ = installed
    run = _audit(installed, "--json", package / "examples" / "copper-planted")
    assert run.returncode == 1, run.stderr
    checks = json.loads(run.stdout)["checks"]
    bad = [c["claim"] for c in checks if c["verdict"] == "inconsistent"]
    assert any(c.startswith("A: coefficient of COPPERPRICE") for c in bad), bad
    assert any(c.startswith("B: stars of ALUMPRICE") for c in bad), bad
    assert any(c.startswith("C: F ") for c in bad), bad
    assert [c for c in bad if c.startswith("B:")] == ["B: stars of ALUMPRICE"]


def test_a_missing_folder_is_a_message_not_a_traceback(installed):
    _, _, where = installed
    run = _audit(installed, where / "no-such-folder")
    assert run.returncode == 2  # bad input (1 is "inconsistent checks found")
    assert "folder does not exist" in run.stderr and "Traceback" not in run.stderr
