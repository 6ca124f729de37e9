"""The measurement the accuracy section reads (``chapters/audit-accuracy.json``) is what the code gives.

The book does not run the measurement (it takes tens of minutes); the page glues numbers from the
dated JSON that ``python -m tableaudit.accuracy --out chapters/audit-accuracy.json`` writes. These
tests check that the file is large enough and crash-free, that its totals are the sum of its
records, and that a fresh run of a few of its sets (same seed, the subset
``tableaudit.accuracy.CHECK_SUBSET``) gives exactly the recorded verdicts: verdicts are discrete,
so any change of the audit that changes one shows up here, and the measurement must be re-run.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tableaudit import accuracy, tablegen
from westgov.paths import ROOT

RECORD = ROOT / "chapters" / "audit-accuracy.json"
RERUN = "re-run the measurement: python -m tableaudit.accuracy --out chapters/audit-accuracy.json"


@pytest.fixture(scope="module")
def record():
    return json.loads(RECORD.read_text(encoding="utf-8"))


def test_the_measurement_is_large_enough_and_nothing_crashed(record):
    sizes = record["sizes"]
    assert sizes["correct_sets"] >= 200 and sizes["planted_sets"] >= 1400, sizes
    assert record["crashes"]["correct_sets"] == 0 and record["crashes"]["planted_sets"] == 0, record["crashes"]
    assert set(record["by_kind"]) == set(tablegen.ERROR_KINDS), RERUN
    assert record["date"].endswith("UTC") and record["versions"]["tableaudit_code"]


def test_the_totals_are_the_sum_of_the_records(record):
    """Every count the page shows, recounted from the one line per planted error."""
    planted = [p for p in record["plants"] if p["outcome"] != "not plantable"]
    assert len(planted) == record["sizes"]["planted_sets"]
    assert len(record["sets"]) == record["sizes"]["correct_sets"]
    per_kind = Counter((p["kind"], p["outcome"]) for p in planted)
    for kind, r in record["by_kind"].items():
        assert r["planted"] == sum(n for (k, _), n in per_kind.items() if k == kind)
        for outcome in accuracy.OUTCOMES:
            assert r[outcome] == per_kind[kind, outcome], (kind, outcome)
    style = {s["index"]: s["style"] for s in record["sets"]}
    for kind, groups in record["by_kind_and_decimals"].items():
        for s, r in groups.items():
            mine = [p for p in planted if p["kind"] == kind and style[p["set"]] == s]
            assert r["planted"] == len(mine)
            assert r["missed"] == sum(p["outcome"] == "missed" for p in mine)
    alarms = {a["set"] for a in record["false_alarms"]["list"]}
    assert record["false_alarms"]["sets_with_false_alarm"] == len(alarms)
    assert all(s["verdicts"][1] == 0 for s in record["sets"] if s["label"] not in alarms)


def test_a_fresh_run_of_a_subset_gives_the_recorded_verdicts(record):
    assert set(accuracy.CHECK_SUBSET) <= {s["index"] for s in record["sets"]}
    differences = accuracy.rerun(record, accuracy.CHECK_SUBSET)
    assert not differences, RERUN + "\n" + "\n".join(differences[:10])
