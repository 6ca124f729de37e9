"""Every malformed table set gets a clear answer from both command-line entry points.

The corpus (``tests/tableaudit/malformed_corpus.py``) derives 61 malformed sets and 8 journal-style valid sets
from the good ``data/published/`` folder. Each is run through ``python -m westgov audit`` and
``python -m westgov check-data`` as subprocesses. A malformed set must give a non-zero exit, no
Python traceback, and a message naming the file, the row and the column of the problem; a valid
set (SE in parentheses, ``<0.001``, glued stars, a blank SE...) must be accepted by both. The exit
statuses: ``audit`` 2 for tables it cannot read, 1 for tables it reads and finds inconsistent (the
paper's); ``check-data`` 1 for a data folder with problems.
"""

from __future__ import annotations

import sys

import malformed_corpus as corpus
import pytest

CASES = corpus.cases()


@pytest.fixture(scope="module")
def outcomes():
    return {case.name: result for case, result in corpus.run_all(sys.executable, corpus.ROOT, jobs=3)}


def test_corpus_is_large_enough():
    assert len([c for c in CASES if not c.valid]) >= 44
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_clear_answer(case, outcomes):
    for o in outcomes[case.name]:
        assert not o.traceback, f"{o.command} printed a traceback on '{case.name}':\n{o.output}"
        if case.valid:
            assert o.returncode in corpus.ACCEPTED[o.command], f"{o.command} rejected the valid set '{case.name}':\n{o.output}"
        else:
            assert o.returncode == corpus.REFUSED[o.command], f"{o.command} accepted the malformed set '{case.name}':\n{o.output}"
            assert o.located, f"{o.command} did not name any of {case.where} for '{case.name}':\n{o.output}"
