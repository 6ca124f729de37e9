"""The real table sets of ``tableaudit/real-tables/`` (issue 25, item 6) are readable and sourced.

Each set is a folder in the audit's table format with a ``SOURCE.md``. The audit must read every
set without a format problem (the same reader the audit and ``check-data`` use), and every
``SOURCE.md`` must name the public repository of its replication material and say whether the
numbers were transcribed from the printed paper or computed from the replication data.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tableaudit
from tableaudit import published

ROOT = Path(tableaudit.__file__).resolve().parent
REAL = ROOT / "real-tables"
SETS = sorted(p for p in REAL.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
REQUIRED = ["table2_descriptives.csv", "table3_correlations.csv", "table4_coefficients.csv", "table4_fit.csv"]
REPOSITORY = re.compile(r"https://github\.com/[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*")
STATUS = ("computed from the replication data, not transcribed", "transcribed")


def test_at_least_five_sets():
    assert len(SETS) >= 5, f"{REAL} holds {len(SETS)} table sets; issue 25 asks for at least five"


@pytest.mark.parametrize("folder", SETS, ids=[p.name for p in SETS])
def test_set_has_the_four_tables_and_a_source(folder):
    missing = [name for name in REQUIRED + ["SOURCE.md"] if not (folder / name).is_file()]
    assert not missing, f"{folder.name}: missing {missing}"


@pytest.mark.parametrize("folder", SETS, ids=[p.name for p in SETS])
def test_audit_reads_the_set_without_a_format_problem(folder):
    tables = published.read_tables(folder)  # raises DataError listing every problem
    assert tables.n > len(tables.variables), f"{folder.name}: n = {tables.n} for {len(tables.variables)} variables"
    assert tables.dependent in tables.variables
    assert tables.coefs, f"{folder.name}: no model"


@pytest.mark.parametrize("folder", SETS, ids=[p.name for p in SETS])
def test_source_names_a_repository_and_the_status(folder):
    text = (folder / "SOURCE.md").read_text(encoding="utf-8")
    assert REPOSITORY.search(text), f"{folder.name}/SOURCE.md names no https://github.com/OWNER/REPO repository"
    first = text.lstrip().splitlines()[0].lower()
    body = text.lower()
    assert any(s in first for s in STATUS), f"{folder.name}/SOURCE.md: the title must say {' or '.join(STATUS)!r}"
    if "not transcribed" in first:
        assert "computed from the replication data, not transcribed" in body
    assert re.search(r"\b[0-9a-f]{64}\b", text) or re.search(r"\b[0-9a-f]{40}\b", text), (
        f"{folder.name}/SOURCE.md pins neither a commit nor a file hash"
    )


def test_command_line_audit_reads_one_set():
    """The command line reads a real set as the module does: exit 0, no problem, checks made."""
    folder = SETS[0]
    run = subprocess.run(
        [sys.executable, "-m", "tableaudit", "--json", str(folder)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)
    assert payload["problems"] == []
    assert payload["summary"]["total"] > 0
