"""The optional drop-in file of index scores is validated and, when valid, used for Var1, Var3, Var4.

The fixture holds synthetic numbers (the real reports are not public); it lives only under tests/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from westgov import checksums, data, models, variables

FIXTURES = Path(__file__).parent / "fixtures"

DROPIN = "raw/indices_2020.csv"


def _install(scratch, text=None):
    target = scratch.root / DROPIN
    if text is None:
        shutil.copy(FIXTURES / "indices_2020.csv", target)
    else:
        target.write_text(text, encoding="utf-8")
    checksums.update(scratch.root)


def test_absent_dropin_means_no_index_data():
    ds = data.load()
    assert ds.indices is None
    assert variables.official_with_indices(ds) is None


def test_valid_dropin_is_used_for_the_index_variables(scratch):
    _install(scratch)
    ds = data.load(scratch.root)
    frame = variables.official_with_indices(ds)
    assert len(frame) == 12
    for paper_id in ("Var1", "Var3", "Var4"):
        assert frame[ds.names[paper_id]].notna().all()
    fits = models.fit_all(frame, ds.names)
    # tertiary_share is missing for 4 regions, so models with Var2 use the 8 complete rows.
    assert int(fits["M2"].nobs) == 12
    assert int(fits["M1"].nobs) == 8


def test_dropin_with_a_non_western_code_is_rejected(scratch):
    text = (FIXTURES / "indices_2020.csv").read_text(encoding="utf-8").replace("150000,", "110000,")
    _install(scratch, text)
    problems, _ = data.check(scratch.root)
    assert any(p.file == DROPIN and p.row == 2 and p.column == "code" and "not one of the 12 western" in p.reason for p in problems)
    assert any(p.file == DROPIN and "150000 has no row" in p.reason for p in problems)


def test_dropin_score_out_of_range_is_rejected(scratch):
    text = (FIXTURES / "indices_2020.csv").read_text(encoding="utf-8").replace("510000,68.6", "510000,168.6")
    _install(scratch, text)
    problems, _ = data.check(scratch.root)
    assert any(p.file == DROPIN and p.row == 5 and p.column == "digital_government_index" for p in problems)


def test_dropin_without_source_is_rejected(scratch):
    text = (FIXTURES / "indices_2020.csv").read_text(encoding="utf-8").replace(",SYNTHETIC TEST FIXTURE - not real data\n640000", ",\n640000")
    _install(scratch, text)
    problems, _ = data.check(scratch.root)
    assert any(p.file == DROPIN and p.row == 11 and p.column == "source" for p in problems)
