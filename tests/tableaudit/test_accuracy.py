"""The accuracy measurement at its edges: what ``measure`` returns, what the command writes and
prints, how a planted error is classified, how an audit that crashes is counted, and where
errors are planted.

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

KIND_KEYS = {"description", "planted", "not plantable", *accuracy.OUTCOMES,
             *(f"{o.replace(' ', '_')}_share" for o in accuracy.OUTCOMES)}
RESULT_KEYS = {"command", "date", "seconds", "jobs", "seed", "versions", "sizes", "crashes", "false_alarms",
               "outcomes", "by_kind", "by_kind_and_decimals", "by_kind_and_n", "reasons", "examples", "sets",
               "plants"}


@pytest.fixture  # per test: mutation testing links a test only to the code it runs itself
def two_sets():
    return accuracy.measure(n_sets=2)


def test_measure_returns_the_keys_the_chapter_reads(two_sets):
    assert set(two_sets) == RESULT_KEYS
    assert two_sets["sizes"]["correct_sets"] == 2 and two_sets["seed"] == 20261130
    assert isinstance(two_sets["seconds"], float) and two_sets["seconds"] == round(two_sets["seconds"], 1)
    assert set(two_sets["by_kind"]) == set(tablegen.ERROR_KINDS)
    assert set(two_sets["versions"]) >= {"python", "numpy", "scipy", "statsmodels", "tableaudit", "tableaudit_code"}
    planted = 0
    for kind, r in two_sets["by_kind"].items():
        assert set(r) == KIND_KEYS, kind
        assert r["description"] == tablegen.ERROR_KINDS[kind]
        assert r["planted"] + r["not plantable"] == 2
        assert r["planted"] == sum(r[o] for o in accuracy.OUTCOMES)
        assert sum(two_sets["reasons"][kind].values()) == r["planted"], kind
        planted += r["planted"]
        for examples in two_sets["examples"][kind].values():
            for example in examples:
                assert set(example) == {"set", "where", "printed", "reason", "checks"}
                assert " -> " in example["printed"]
    assert two_sets["sizes"]["planted_sets"] == planted
    assert len(two_sets["plants"]) == 2 * len(tablegen.ERROR_KINDS)


def test_breakdowns_add_up_to_the_totals(two_sets):
    for kind, total in two_sets["by_kind"].items():
        for breakdown in ("by_kind_and_decimals", "by_kind_and_n"):
            parts = two_sets[breakdown][kind].values()
            for o in ("planted", *accuracy.OUTCOMES):
                assert sum(p[o] for p in parts) == total[o], (kind, breakdown, o)


def test_measure_is_reproduced_by_its_seed(two_sets):
    again = accuracy.measure(n_sets=2)
    for key in RESULT_KEYS - {"date", "seconds", "versions"}:
        assert again[key] == two_sets[key], key


def test_a_subset_gives_the_verdicts_of_the_whole():
    """Each set draws its plants from its own generator: set 1 alone equals set 1 of two."""
    whole = accuracy.measure(n_sets=2)
    alone = accuracy.measure(n_sets=2, indices=[1])
    assert alone["sets"] == whole["sets"][1:]
    assert alone["plants"] == [p for p in whole["plants"] if p["set"] == 1]
    assert accuracy.rerun(whole, indices=[1]) == []


def test_rerun_names_a_verdict_that_changed():
    whole = accuracy.measure(n_sets=1)
    whole["plants"][0] = {**whole["plants"][0], "outcome": "caught elsewhere"}
    differences = accuracy.rerun(whole, indices=[0])
    assert len(differences) == 1 and differences[0].startswith(f"set 0 {whole['plants'][0]['kind']}")


def test_progress_is_reported_after_each_set():
    calls = []
    accuracy.measure(n_sets=2, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


def test_an_audit_that_crashes_on_a_correct_set_is_a_crash_not_a_verdict(monkeypatch):
    def crash(tables, draws=None, explain=True):
        raise RuntimeError("boom")

    monkeypatch.setattr(accuracy, "audit_tables", crash)
    result = accuracy.measure(n_sets=1)
    label = tablegen.cases(1)[0].label
    assert result["crashes"]["correct_sets"] == 1
    assert result["crashes"]["examples"] == [{"set": label, "error": "RuntimeError: boom"}]
    assert result["false_alarms"]["sets"] == 0 and result["plants"] == []


def test_an_audit_that_crashes_on_a_planted_error_is_counted_apart(monkeypatch, stackloss):
    def crash(tables, draws=None, explain=True):
        raise ValueError("cannot read")

    monkeypatch.setattr(accuracy, "audit_tables", crash)
    planted, p = tablegen.plant(stackloss, "r2_off", np.random.default_rng(0))
    assert accuracy.judge_plant(pd.DataFrame(), planted, p) == (
        "crashed", "ValueError", ["ValueError: cannot read"])


def test_an_inconsistent_verdict_on_a_correct_set_is_listed_as_a_false_alarm(monkeypatch):
    from tableaudit import CONSISTENT, INCONSISTENT

    frame = pd.DataFrame({"claim": ["M1: intercept", "M1: R²"], "printed": ["1.0", "0.5"],
                          "recomputed": ["[2.0, 3.0]", "[0.4, 0.6]"], "verdict": [INCONSISTENT, CONSISTENT]})
    monkeypatch.setattr(accuracy, "audit_tables", lambda tables, draws=None, explain=True: frame)
    result = accuracy.measure(n_sets=1)
    assert result["false_alarms"]["list"] == [{"set": tablegen.cases(1)[0].label, "claim": "M1: intercept",
                                               "printed": "1.0", "recomputed": "[2.0, 3.0]"}]
    assert result["false_alarms"]["sets_with_false_alarm"] == 1 and result["false_alarms"]["rate"] == 1.0


# --- how a planted error is classified ---------------------------------------------------------


def _audit(*rows):
    return pd.DataFrame(rows, columns=["claim", "printed", "recomputed", "verdict"])


_PLANT = tablegen.Plant("coef_plus_10pct", "M1 x", "1.00", "1.10", ["M1: coefficient of x", "M1: stars of x"])


def test_a_consistent_verdict_on_the_planted_number_is_a_miss():
    correct = _audit(("M1: coefficient of x", "1.00", "[0.9, 1.2]", "consistent"),
                     ("M1: intercept", "2.0", "[1, 3]", "undecidable"))
    planted = _audit(("M1: coefficient of x", "1.10", "[0.9, 1.2]", "consistent"),
                     ("M1: intercept", "2.0", "[1, 3]", "undecidable"))
    outcome, reason, checks = accuracy._verdict_of_plant(correct, planted, _PLANT)
    assert (outcome, reason) == ("missed", "consistent")  # the undecidable intercept does not read x
    assert checks == ["M1: coefficient of x: 1.10 in [0.9, 1.2]"]


def test_an_undecidable_verdict_on_the_planted_number_is_flagged():
    correct = _audit(("M1: coefficient of x", "1.00", "[0.9, 1.2]", "consistent"),
                     ("M1: stars of x", "*", "|t| = 1.9", "consistent"))
    planted = _audit(("M1: coefficient of x", "1.10", "[0.9, 1.2]", "consistent"),
                     ("M1: stars of x", "*", "|t| = 2.1", "undecidable"))
    assert accuracy._verdict_of_plant(correct, planted, _PLANT)[:2] == ("flagged", "undecidable")


def test_a_check_whose_text_the_plant_changed_bears_on_it():
    """An identity that reads the slope (not named by the plant) counts when its numbers move."""
    correct = _audit(("M1: coefficient of x", "1.00", "[0.9, 1.2]", "consistent"),
                     ("M1: intercept from the slopes", "2.0", "2.01", "consistent"))
    planted = _audit(("M1: coefficient of x", "1.10", "[0.9, 1.2]", "consistent"),
                     ("M1: intercept from the slopes", "2.0", "1.71", "inconsistent"))
    assert accuracy._verdict_of_plant(correct, planted, _PLANT) == (
        "caught", "inconsistent", ["M1: intercept from the slopes"])


def test_an_alarm_only_where_the_number_does_not_enter_is_reported_apart():
    correct = _audit(("M1: coefficient of x", "1.00", "[0.9, 1.2]", "consistent"),
                     ("M2: F", "3.0", "[2, 4]", "consistent"))
    planted = _audit(("M1: coefficient of x", "1.10", "[0.9, 1.2]", "consistent"),
                     ("M2: F", "3.0", "[2, 4]", "inconsistent"))
    assert accuracy._verdict_of_plant(correct, planted, _PLANT) == (
        "caught elsewhere", "an unrelated check", ["M2: F"])


def test_an_alarm_already_raised_on_the_correct_set_catches_nothing():
    correct = _audit(("M1: coefficient of x", "1.00", "[1.2, 1.3]", "inconsistent"))
    planted = _audit(("M1: coefficient of x", "1.10", "[1.2, 1.3]", "inconsistent"))
    assert accuracy._verdict_of_plant(correct, planted, _PLANT)[0] == "missed"


def test_n_bins_cover_every_sample_size():
    assert [accuracy.n_bin(n) for n in (5, 15, 16, 30, 31, 500)] == [
        "n ≤ 15", "n ≤ 15", "n 16-30", "n 16-30", "n > 30", "n > 30"]


def test_the_json_has_one_line_per_set_and_per_plant(two_sets):
    text = accuracy.dumps(two_sets)
    assert json.loads(text) == json.loads(json.dumps(two_sets))
    lines = text.splitlines()
    assert sum(line.startswith('  {"set": ') for line in lines) == len(two_sets["plants"])


# --- the command line ---------------------------------------------------------------------------


def test_the_command_writes_the_measurement_and_prints_a_summary(tmp_path, capsys):
    out = tmp_path / "accuracy.json"
    assert accuracy.main(["--sets", "1", "--jobs", "1", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    result = json.loads(out.read_text(encoding="utf-8"))
    assert set(result) == RESULT_KEYS and result["sizes"]["correct_sets"] == 1
    assert result["command"].startswith("python -m tableaudit.accuracy --sets 1 --seed 20261130")
    assert "\\u" not in out.read_text(encoding="utf-8")  # written as UTF-8, not escaped
    assert "\r1/1 table sets" in printed
    assert f"wrote {out}" in printed
    assert f"false alarms: {result['false_alarms']['sets_with_false_alarm']} of 1 correct sets" in printed
    for kind, r in result["by_kind"].items():
        line = f"{kind:18s} planted {r['planted']:4d}  " + "  ".join(
            f"{o} {r[o]:4d}" for o in accuracy.OUTCOMES)
        assert line in printed.splitlines(), kind


def test_two_processes_give_what_one_gives():
    one = accuracy.measure(n_sets=2, jobs=1)
    two = accuracy.measure(n_sets=2, jobs=2)
    assert one["plants"] == two["plants"] and one["sets"] == two["sets"]


@pytest.mark.parametrize("option", ["--sets", "--jobs"])
def test_the_command_refuses_a_number_below_one(capsys, option):
    with pytest.raises(SystemExit) as exit_:
        accuracy.main([option, "0"])
    assert exit_.value.code == 2
    assert f"{option} must be a positive number; got 0" in capsys.readouterr().err


def test_the_command_explains_its_options(capsys):
    with pytest.raises(SystemExit):
        accuracy.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "number of correct table sets (default 200)" in text
    assert "write the measurement as JSON to this file" in text
    assert "random seed (default 20261130)" in text


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


def test_a_dropped_minus_sign_is_planted_in_a_negative_coefficient(stackloss):
    for seed in range(20):
        planted, p = tablegen.plant(stackloss, "sign_dropped", np.random.default_rng(seed))
        assert p.before.startswith("-") and p.after == p.before[1:], seed
        assert p.after in planted.coefs.coef.tolist()
    positive = stackloss.coefs.index[~stackloss.coefs.coef.str.startswith("-")]
    same, p = tablegen.plant(stackloss.copy(), "sign_dropped", np.random.default_rng(0), choice=positive[0])
    assert not p.visible


@pytest.mark.parametrize("text, expected", [
    ("1.2953", ["1.9253", "1.2593", "1.2935"]),
    ("-0.0320", ["-0.3020", "-0.0230", "-0.0302"]),
    ("10.5", []),          # no leading zero, no swap across the decimal point
    ("0.00", []),
    ("716.34", ["176.34", "761.34", "716.43"]),
])
def test_transpositions_swap_two_adjacent_different_digits(text, expected):
    assert tablegen.transpositions(text) == expected


@pytest.mark.parametrize("text, places, expected", [
    ("0.0320", 1, "0.320"), ("0.0320", -1, "0.00320"), ("1.2953", 1, "12.953"),
    ("1.2953", -1, "0.12953"), ("12", 1, "120"), ("12", -1, "1.2"), ("-3.5", 1, "-35"),
])
def test_a_shifted_decimal_point_multiplies_or_divides_by_ten(text, places, expected):
    shifted = tablegen.shift_decimal_point(text, places)
    assert shifted == expected
    assert float(shifted) == pytest.approx(float(text) * 10.0**places, rel=1e-12)


def test_digit_and_decimal_errors_hit_one_coefficient_or_se(stackloss):
    for kind in ("digits_transposed", "decimal_shifted"):
        for seed in range(10):
            planted, p = tablegen.plant(stackloss, kind, np.random.default_rng(seed))
            diff = planted.coefs[["coef", "se"]] != stackloss.coefs[["coef", "se"]]
            assert int(diff.to_numpy().sum()) == 1, (kind, seed)
            (row, column), = [(r, c) for r in diff.index for c in diff.columns if diff.loc[r, c]]
            assert planted.coefs.loc[row, column] == p.after and stackloss.coefs.loc[row, column] == p.before
            assert p.claims[0].endswith(("intercept", "of _Cons", stackloss.coefs.term[row]))


def test_a_coefficient_from_another_model_brings_its_se_and_stars(stackloss):
    for seed in range(10):
        planted, p = tablegen.plant(stackloss, "other_model", np.random.default_rng(seed))
        model, term, _, source = p.where.split()
        source = source.strip(")")
        got = planted.coefs.set_index(["model", "term"]).loc[(model, term)]
        was = stackloss.coefs.set_index(["model", "term"]).loc[(source, term)]
        assert (got.coef, got.se, got.stars) == (was.coef, was.se, was.stars)
        assert model != source and term != "_Cons"
        assert f"{model}: standard error of {term}" in p.claims


def test_skipping_the_unit_search_changes_no_verdict(stackloss):
    """The measurement skips the unit search (no verdict of its own); every check is unchanged."""
    import tableaudit.report

    search = tableaudit.report.unit_assignments
    full = accuracy.audit_tables(stackloss)
    quick = accuracy.audit_tables(stackloss, explain=False)
    assert tableaudit.report.unit_assignments is search  # put back
    assert quick.equals(full)
    assert quick.attrs["units"] == {} and full.attrs["units"]


def test_draws_reach_the_audit(monkeypatch, stackloss):
    import tableaudit.report

    calls = []
    monkeypatch.setattr(tableaudit.report, "run", lambda folder, **kw: calls.append(kw) or pd.DataFrame())
    accuracy.audit_tables(stackloss)
    accuracy.audit_tables(stackloss, draws=50)
    assert calls == [{}, {"draws": 50}]
