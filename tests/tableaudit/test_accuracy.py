"""The accuracy measurement at its edges: what ``measure`` returns, what the command writes and
prints, how an audit that crashes is counted, and where errors are planted.

Written for the mutants that survived a first mutation run of ``westgov/tablegen.py``. The
chapter *Auditing any paper's tables* reads the JSON that ``measure`` returns (through
``python -m tableaudit.accuracy --out``), so its keys are a contract, checked here key by key.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tableaudit import accuracy, tablegen

KIND_KEYS = {"description", "planted", "caught_share", "undecidable_share", "missed_share",
             "audit_failed_share", "caught", "undecidable", "missed", "audit failed", "reasons", "examples"}
RESULT_KEYS = {"date", "sets", "datasets", "styles", "smallest_n", "largest_n", "seed",
               "sets_with_false_alarm", "false_alarm_rate", "false_alarms", "errors", "seconds"}


@pytest.fixture  # per test: mutation testing links a test only to the code it runs itself
def two_sets():
    return accuracy.measure(n_sets=2)


def test_measure_returns_the_keys_the_chapter_reads(two_sets):
    assert set(two_sets) == RESULT_KEYS
    assert two_sets["sets"] == 2 and two_sets["seed"] == 20261130
    assert isinstance(two_sets["seconds"], float) and two_sets["seconds"] == round(two_sets["seconds"], 1)
    assert set(two_sets["errors"]) == set(tablegen.ERROR_KINDS)
    for kind, r in two_sets["errors"].items():
        assert set(r) == KIND_KEYS, kind
        assert r["description"] == tablegen.ERROR_KINDS[kind]
        assert r["planted"] == 2
        assert all(isinstance(n, int) for n in r["reasons"].values())
        assert sum(r["reasons"].values()) == 2, kind
        for examples in r["examples"].values():
            for example in examples:
                assert set(example) == {"set", "where", "printed", "reason", "checks"}
                assert " -> " in example["printed"]


def test_measure_is_reproduced_by_its_seed(two_sets):
    again = accuracy.measure(n_sets=2)
    for key in RESULT_KEYS - {"date", "seconds"}:
        assert again[key] == two_sets[key], key


def test_progress_is_reported_after_each_set():
    calls = []
    accuracy.measure(n_sets=2, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


def test_an_audit_that_crashes_on_a_correct_set_is_a_false_alarm(monkeypatch):
    def crash(tables, draws=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(accuracy, "audit_tables", crash)
    result = accuracy.measure(n_sets=1)
    label = tablegen.cases(1)[0].label
    assert result["false_alarms"] == [
        {"set": label, "claim": "audit failed", "printed": "", "recomputed": "RuntimeError: boom"}]
    assert result["sets_with_false_alarm"] == 1 and result["false_alarm_rate"] == 1.0


def test_an_audit_that_crashes_on_a_planted_error_is_counted_apart(monkeypatch, stackloss):
    def crash(tables, draws=None):
        raise ValueError("cannot read")

    monkeypatch.setattr(accuracy, "audit_tables", crash)
    planted, p = tablegen.plant(stackloss, "r2_off", np.random.default_rng(0))
    assert accuracy.judge_plant(pd.DataFrame(), planted, p) == (
        "audit failed", "ValueError", ["ValueError: cannot read"])


def test_an_inconsistent_verdict_on_a_correct_set_is_listed_as_a_false_alarm(monkeypatch):
    from tableaudit import CONSISTENT, INCONSISTENT

    frame = pd.DataFrame({"claim": ["M1: intercept", "M1: R²"], "printed": ["1.0", "0.5"],
                          "recomputed": ["[2.0, 3.0]", "[0.4, 0.6]"], "verdict": [INCONSISTENT, CONSISTENT]})
    monkeypatch.setattr(accuracy, "audit_tables", lambda tables, draws=None: frame)
    result = accuracy.measure(n_sets=1)
    assert result["false_alarms"] == [{"set": tablegen.cases(1)[0].label, "claim": "M1: intercept",
                                       "printed": "1.0", "recomputed": "[2.0, 3.0]"}]
    assert result["sets_with_false_alarm"] == 1


# --- the command line ---------------------------------------------------------------------------


def test_the_command_writes_the_measurement_and_prints_a_summary(tmp_path, capsys):
    out = tmp_path / "accuracy.json"
    assert accuracy.main(["--sets", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result) == RESULT_KEYS and result["sets"] == 1
    assert "\\u" not in out.read_text(encoding="utf-8")  # written as UTF-8, not escaped
    assert "\r1/1 table sets" in printed
    assert f"wrote {out}" in printed
    assert f"false alarms: {result['sets_with_false_alarm']} of 1 correct sets" in printed
    for kind, r in result["errors"].items():
        line = (f"{kind:18s} caught {r['caught_share']:6.1%}  undecidable {r['undecidable_share']:6.1%}  "
                f"missed {r['missed_share']:6.1%}  audit failed {r['audit_failed_share']:6.1%}")
        assert line in printed.splitlines(), kind


def test_the_command_refuses_a_number_of_sets_below_one(capsys):
    with pytest.raises(SystemExit) as exit_:
        accuracy.main(["--sets", "0"])
    assert exit_.value.code == 2
    assert "--sets must be a positive number; got 0" in capsys.readouterr().err


def test_the_command_explains_its_options(capsys):
    with pytest.raises(SystemExit):
        accuracy.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "number of correct table sets (default 200)" in text
    assert "write the measurement as JSON to this file" in text


# --- cases and plants ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stackloss():
    frame = tablegen.load_dataset("stackloss")
    return tablegen.table_set(frame, "STACKLOSS", tablegen.DATASETS["stackloss"][1], "4-decimals", "stackloss")


def test_a_case_labels_its_tables():
    case = tablegen.cases(4)[3]
    assert case.tables().label == case.label == f"{case.dataset} n={len(case.rows)} {case.style}"


def test_decimals_of_a_printed_number():
    assert [tablegen._decimals(t) for t in ("12", "-3", "0.5", "1.250", "-0.0001")] == [0, 0, 1, 3, 4]


def test_a_coefficient_error_is_never_planted_in_the_intercept(stackloss):
    for seed in range(40):
        _, p = tablegen.plant(stackloss, "coef_plus_10pct", np.random.default_rng(seed))
        assert not p.where.endswith("_Cons"), seed


def test_a_star_error_names_no_stars_as_none(stackloss):
    row = stackloss.coefs[stackloss.coefs.stars == ""].index[0]
    _, p = tablegen.plant(stackloss, "star_off_by_one", np.random.default_rng(0), choice=row)
    assert p.before == "(none)" and p.after == "*"


def _two_models(ses_m1, ses_m2):
    """A table set whose M1 and M2 slopes have the given standard errors (other tables unused)."""
    rows = [("M1", f"X{i}", "1.00", se, "") for i, se in enumerate(ses_m1)]
    rows += [("M2", f"X{i}", "1.00", se, "") for i, se in enumerate(ses_m2)]
    rows += [("M1", "_Cons", "0.50", "0.10", ""), ("M2", "_Cons", "0.50", "0.10", "")]
    coefs = pd.DataFrame(rows, columns=["model", "term", "coef", "se", "stars"])
    return tablegen.TableSet(pd.DataFrame(), pd.DataFrame(), coefs, pd.DataFrame(), "two models")


def test_standard_errors_are_swapped_within_the_model_where_they_differ():
    """Only M1 has two different SEs (exactly two): every draw swaps those two."""
    tables = _two_models(["0.20", "0.30"], ["0.40", "0.40", "0.40"])
    for seed in range(20):
        swapped, p = tablegen.plant(tables, "swapped_ses", np.random.default_rng(seed))
        assert p.where == "M1 X0 <-> X1" and (p.before, p.after) == ("0.20, 0.30", "0.30, 0.20"), seed
        assert list(swapped.coefs.se[:2]) == ["0.30", "0.20"]


def test_when_no_model_has_different_standard_errors_the_swap_changes_nothing():
    tables = _two_models(["0.20", "0.20"], ["0.40", "0.40"])
    swapped, p = tablegen.plant(tables, "swapped_ses", np.random.default_rng(0))
    assert not p.visible
    assert swapped.coefs.se.tolist() == tables.coefs.se.tolist()


def test_cases_default_to_the_seed_the_measurement_records(two_sets):
    """Past the first round (all rows of each small data set), rows are drawn with the seed."""
    default, recorded = tablegen.cases(60), tablegen.cases(60, seed=two_sets["seed"])
    assert [c.rows.tolist() for c in default] == [c.rows.tolist() for c in recorded]
    assert [c.rows.tolist() for c in default] != [c.rows.tolist() for c in tablegen.cases(60, seed=1)]


def test_a_table_set_keeps_its_unrounded_estimates():
    # built here, not taken from the module's fixture: mutation testing links a test to the code
    # it runs only while it runs
    frame = tablegen.load_dataset("stackloss")
    tables = tablegen.table_set(frame, "STACKLOSS", tablegen.DATASETS["stackloss"][1], "4-decimals")
    coef, se, t = tables.truth["M2", "AIRFLOW"]
    assert (round(coef, 4), round(se, 4)) == (0.7156, 0.1349)  # Draper and Smith, as printed
    assert t == pytest.approx(coef / se)


def test_a_chosen_pair_of_standard_errors_is_swapped_and_named_by_its_model(stackloss):
    m2 = stackloss.coefs[(stackloss.coefs.model == "M2") & (stackloss.coefs.term != "_Cons")].index
    swapped, p = tablegen.plant(stackloss, "swapped_ses", np.random.default_rng(0), choice=(m2[0], m2[1]))
    assert p.where == "M2 AIRFLOW <-> WATERTEMP" and p.before == "0.1349, 0.3680"
    assert p.claims[0] == "M2: standard error of AIRFLOW"
    assert swapped.coefs.se[m2[:2]].tolist() == ["0.3680", "0.1349"]
    same, p = tablegen.plant(stackloss, "swapped_ses", np.random.default_rng(0), choice=(m2[0], m2[0]))
    assert (p.where, p.before, p.after, p.claims) == ("M2", "", "", [])
    assert same.coefs.se.tolist() == stackloss.coefs.se.tolist()


@pytest.mark.parametrize("kind", ["f_inconsistent", "r2_off"])
def test_fit_errors_name_the_checks_with_the_models_k(stackloss, kind):
    fit = stackloss.fit.set_index("model")
    _, p = tablegen.plant(stackloss, kind, np.random.default_rng(0), choice=list(fit.index).index("M2"))
    assert p.claims[0] == "M2: F from R², n = 21, k = 3"
    if kind == "f_inconsistent":
        assert p.claims[1] == "M2: p-value of F(3, 17)"


@pytest.mark.parametrize("printed, planted", [("0.9700", "0.9900"), ("0.9701", "0.9501"), ("0.9900", "0.9700"),
                                              ("0.5000", "0.5200")])
def test_an_r2_error_moves_two_points_and_stays_below_one(stackloss, printed, planted):
    tables = stackloss.copy()
    tables.fit.loc[tables.fit.index[0], "r2"] = printed
    _, p = tablegen.plant(tables, "r2_off", np.random.default_rng(0), choice=tables.fit.index[0])
    assert (p.before, p.after) == (printed, planted)


def test_an_impossible_sd_exceeds_the_range_by_two_units(stackloss):
    i = stackloss.table2.index[stackloss.table2.variable == "STACKLOSS"][0]
    _, p = tablegen.plant(stackloss, "impossible_sd", np.random.default_rng(0), choice=i)
    assert (p.where, p.before, p.after) == ("STACKLOSS", "10.1716", "35.0002")  # 42 - 7 + 2 x 0.0001


def test_draws_reach_the_audit(monkeypatch, stackloss):
    import tableaudit.report

    calls = []
    monkeypatch.setattr(tableaudit.report, "run", lambda folder, **kw: calls.append(kw) or pd.DataFrame())
    accuracy.audit_tables(stackloss)
    accuracy.audit_tables(stackloss, draws=50)
    assert calls == [{}, {"draws": 50}]
