"""The unit search's prior and the false-match measurement (tableaudit.falsematch).

The truth of every case comes from how it was made: generated tables are printed in raw units, a
column from another regression is no unit change, and a regressor we multiply ourselves is one.
"""

from __future__ import annotations

import numpy as np
import pytest

import tableaudit as audit
from tableaudit import falsematch, tablegen


def _tables(ts, tmp_path):
    return audit.read_tables(ts.write(tmp_path / "published"))


@pytest.fixture(scope="module")
def cpunish_rows():
    """17 rows of cpunish, printed to 2 decimals: INCOME's slope prints as 0.00 with SE 0.00,
    so any unit that makes it small fits it as well as the raw one."""
    return tablegen.Case("cpunish", np.arange(17), "2-decimals")


def test_ties_go_to_the_raw_units_under_the_prior(cpunish_rows, tmp_path):
    tb = _tables(cpunish_rows.tables(), tmp_path)
    income = tb.coefs["M1"]["INCOME"]
    assert float(income[0].text) == 0 and float(income[1].text) == 0
    now = {u["model"]: u for u in audit.unit_assignments(tb)}
    before = {
        u["model"]: u
        for u in audit.unit_assignments(tb, scalings="all", identity=False, prior=False)
    }
    for model in ("M1", "M2"):
        assert set(now[model]["assignment"].values()) == {"raw"}, now[model]
        assert now[model]["explained_by"] == "units"
    # the second edition broke the tie by the smallest mismatch: units that are not the truth
    assert before["M1"]["assignment"]["INCOME"] != "raw"


def test_the_prior_names_every_unit_it_tries():
    labels = [label for label, _, _ in audit.units._scalings("prior")]
    assert sorted(labels) == sorted(audit.PRIOR)
    assert "×10^5" not in labels and "×10^-5" not in labels
    assert audit.prior_weight({"a": "raw", "b": "×100", "c": "×10"}) == pytest.approx(
        1.0 * 0.5 * 0.05
    )
    with pytest.raises(ValueError, match="unknown set of scalings"):
        audit.units._scalings("some")


def test_a_column_from_another_model_is_not_the_original(cpunish_rows):
    ts = cpunish_rows.tables()
    other, where = falsematch._other_model(cpunish_rows, ts, np.random.default_rng(1))
    first = ts.coefs[ts.coefs.model == "M1"].reset_index(drop=True)
    moved = other.coefs[other.coefs.model == "M1"].reset_index(drop=True)
    assert where.startswith("M1 from M1 + ")
    assert not first.coef.equals(moved.coef)
    # the other model's rows are untouched
    assert ts.coefs[ts.coefs.model == "M2"].equals(other.coefs[other.coefs.model == "M2"])


def test_a_unit_change_is_recovered(tmp_path):
    case = tablegen.Case("statecrime", np.arange(51), "3-decimals")
    ts = case.tables()
    rng = np.random.default_rng(3)
    changed, where, truth = falsematch._unit_change(case, ts, rng)
    [u] = audit.unit_assignments(_tables(changed, tmp_path), models=["M1"])
    assert u["assignment"] == truth, (where, u["assignment"])
    assert u["explained_by"] == "units"


def test_outcomes_of_the_search():
    raw = {"y": "raw", "x": "raw"}
    scaled = {"y": "raw", "x": "×100"}
    base = {"works": True, "explained_by": "units", "numbers": [], "identity": None}
    assert falsematch._outcome(base | {"assignment": raw}, True) == "as printed"
    assert falsematch._outcome(base | {"assignment": scaled}, True) == "units"
    assert falsematch._outcome(base | {"assignment": None}, True) == "no assignment"
    lost = base | {"assignment": scaled, "explained_by": "units and a lost sign"}
    assert falsematch._outcome(lost, True) == "units and a lost sign"
    # without the identity, a column is explained when every printed number fits
    assert falsematch._outcome(lost | {"works": False}, False) == "not explained"


def test_the_measurement_runs_and_counts_every_case():
    result = falsematch.measure(n_sets=2, seed=5)
    assert result["failures"] == []
    assert set(result["variants"]) == set(falsematch.VARIANTS)
    for v in result["variants"].values():
        per = v["per_case"]
        for kind, counts in per.items():
            assert counts["cases"] == sum(counts[o] for o in falsematch.OUTCOMES), kind
        assert per["correct"]["cases"] == 4  # two models in each of two sets
        assert v["unit changes"] == 2
