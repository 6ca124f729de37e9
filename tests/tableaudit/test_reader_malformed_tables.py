"""The malformed corpus read in this process: the reader names each problem's file, row and column.

``tests/tableaudit/test_cli_malformed_tables.py`` runs every case through both command lines as subprocesses
(exit codes, no traceback). Here the same cases go straight to ``published.read_tables``, so that
a change to the reader's problem locations fails a test that mutation testing can see (it does not
follow subprocesses).
"""

from __future__ import annotations

import malformed_corpus as corpus
import pytest

from tableaudit import published
from tableaudit.problems import DataError

CASES = [case for case in corpus.cases() if case.target == "published"]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_reader_names_the_problem_or_accepts_a_valid_set(case, tmp_path):
    _, folder = corpus.build(case, tmp_path)
    if case.valid:
        published.read_tables(folder)
        return
    with pytest.raises(DataError) as caught:
        published.read_tables(folder)
    lines = "\n".join(str(problem) for problem in caught.value.problems)
    assert corpus.located(lines, case.where, folder), f"{case.where} not named in:\n{lines}"
