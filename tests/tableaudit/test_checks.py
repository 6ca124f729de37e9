"""The audit passes honest tables and catches planted errors; its verdicts on the paper follow hand checks.

The worked example computes the true Tables 2-4 from statsmodels' public `copper` data set, rounds
them as a journal would, and writes them in the data/published format.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import statsmodels.api as sm

from westgov import audit, data
from westgov.paths import DATA_DIR

MODELS = {
    "A": ["COPPERPRICE", "INCOMEINDEX"],
    "B": ["ALUMPRICE", "INVENTORYINDEX"],
    "C": ["COPPERPRICE", "INCOMEINDEX", "ALUMPRICE", "INVENTORYINDEX", "TIME"],
}


@pytest.fixture
def example(tmp_path):
    frame = sm.datasets.copper.load_pandas().data.astype(float)
    return audit.write_example_tables(frame, "WORLDCONSUMPTION", MODELS, tmp_path / "published")


def _edit(directory, name, old, new):
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(directory, name, startswith):
    return next(line for line in (directory / name).read_text(encoding="utf-8").splitlines() if line.startswith(startswith))


def _verdict(result, claim):
    rows = result[result.claim == claim]
    assert len(rows) == 1, f"no single check named {claim!r}"
    return rows.verdict.iloc[0]


def test_worked_example_passes_every_check(example):
    result = audit.run(example)
    assert len(result) > 50
    assert (result.verdict == audit.CONSISTENT).all(), result[result.verdict != audit.CONSISTENT].to_string()


def test_worked_example_cli_exit_code(example):
    run = subprocess.run([sys.executable, "-m", "westgov", "audit", "--fail-on-inconsistent", str(example)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def _plant(example, field_index, factor=None, new_text=None, model="C", term="ALUMPRICE"):
    line = _line(example, "table4_coefficients.csv", f"{model},{term},")
    parts = line.split(",")
    parts[field_index] = new_text if new_text is not None else f"{float(parts[field_index]) * factor:.4f}"
    _edit(example, "table4_coefficients.csv", line, ",".join(parts))


def test_planted_wrong_coefficient_is_caught(example):
    _plant(example, 2, factor=3)
    result = audit.run(example)
    assert _verdict(result, "C: coefficient of ALUMPRICE") == audit.INCONSISTENT


def test_planted_wrong_standard_error_is_caught(example):
    _plant(example, 3, factor=0.5)
    result = audit.run(example)
    assert _verdict(result, "C: standard error of ALUMPRICE") == audit.INCONSISTENT


def test_planted_extra_star_is_caught(example):
    line = _line(example, "table4_coefficients.csv", "B,INVENTORYINDEX,")
    stars_now = line.split(",")[4]
    _plant(example, 4, new_text=stars_now + "**" if len(stars_now) < 2 else "", model="B", term="INVENTORYINDEX")
    result = audit.run(example)
    assert _verdict(result, "B: stars of INVENTORYINDEX") == audit.INCONSISTENT


def _plant_fit(example, model, field_index, change):
    """Replace one field of a model's row in table4_fit.csv by ``change(old_text)``."""
    line = _line(example, "table4_fit.csv", f"{model},")
    parts = line.split(",")
    parts[field_index] = change(parts[field_index])
    _edit(example, "table4_fit.csv", line, ",".join(parts))


def test_planted_wrong_f_is_caught(example):
    _plant_fit(example, "A", 2, lambda old: f"{float(old) + 5:.2f}")
    result = audit.run(example)
    assert _verdict(result, "A: F from R², n = 25, k = 2") == audit.INCONSISTENT


def test_planted_wrong_r2_is_caught(example):
    _plant_fit(example, "B", 3, lambda old: f"{float(old) - 0.05:.4f}")
    result = audit.run(example)
    assert _verdict(result, "B: R² implied by Tables 2-3") == audit.INCONSISTENT
    assert _verdict(result, "B: F from R², n = 25, k = 2") == audit.INCONSISTENT


def test_planted_wrong_p_value_is_caught(example):
    _plant_fit(example, "C", 4, lambda old: "0.0500")
    result = audit.run(example)
    assert _verdict(result, "C: p-value of F(5, 19)") == audit.INCONSISTENT


def test_planted_wrong_intercept_is_caught(example):
    _plant(example, 2, factor=-1, model="A", term="_Cons")
    result = audit.run(example)
    assert _verdict(result, "A: intercept") == audit.INCONSISTENT


def test_error_hidden_by_rounding_is_not_called_inconsistent(example):
    """In model C the rounding of Tables 2-3 leaves the intercept nearly free: a sign flip is not detectable."""
    _plant(example, 2, factor=-1, model="C", term="_Cons")
    result = audit.run(example)
    row = result[result.claim == "C: intercept"].iloc[0]
    low, high = (float(x) for x in row.recomputed.strip("[]").split(","))
    assert low < 0 < high
    assert row.verdict == audit.CONSISTENT


def test_planted_correlation_star_is_caught(example):
    line = _line(example, "table3_correlations.csv", "TIME,ALUMPRICE,")
    r = float(line.split(",")[2])
    planted = f"TIME,ALUMPRICE,{r:.3f},***" if abs(r) < 0.4 else f"TIME,ALUMPRICE,{r:.3f},"
    _edit(example, "table3_correlations.csv", line, planted)
    result = audit.run(example)
    assert _verdict(result, "stars of r(TIME, ALUMPRICE)") == audit.INCONSISTENT


def test_planted_impossible_standard_deviation_is_caught(example):
    line = _line(example, "table2_descriptives.csv", "TIME,")
    parts = line.split(",")
    parts[2] = "99.0000"
    _edit(example, "table2_descriptives.csv", line, ",".join(parts))
    result = audit.run(example)
    assert _verdict(result, "TIME: sd possible given the range") == audit.INCONSISTENT


# --- the paper: verdicts that a hand computation confirms ---------------------------------------


@pytest.fixture(scope="module")
def paper():
    ds = data.load()
    return audit.run(DATA_DIR / "published", official=audit.official_for_paper(ds), approximate=audit.APPROXIMATE)


def test_paper_m1_fit_is_consistent(paper):
    # (0.7151 / 2) / ((1 - 0.7151) / 9) = 11.295..., printed 11.30.
    assert _verdict(paper, "M1: F from R², n = 12, k = 2") == audit.CONSISTENT


def test_paper_m4_var5_stars_inconsistent(paper):
    # 8.6327 / 1.5977 = 5.40 > t(0.995, 4) = 4.60: three stars, printed one.
    assert _verdict(paper, "M4: stars of Var5") == audit.INCONSISTENT


def test_paper_m3_var3_stars_inconsistent(paper):
    # 0.3445 / 3.1354 = 0.11: no star possible, printed one.
    assert _verdict(paper, "M3: stars of Var3") == audit.INCONSISTENT


def test_paper_population_matches_official(paper):
    for stat in ("mean", "sd", "min", "max"):
        assert _verdict(paper, f"Var7: {stat} equals the official series") == audit.CONSISTENT


def test_paper_rd_intensity_max_does_not_match_official(paper):
    assert _verdict(paper, "Var6: max equals the official series") == audit.INCONSISTENT


def test_paper_vif_claim_fails_for_m4(paper):
    row = paper[paper.claim == "every VIF is below 7"].iloc[0]
    assert row.verdict == audit.INCONSISTENT


def test_paper_correlation_stars_follow_the_t_test(paper):
    stars_rows = paper[paper.claim.str.startswith("stars of r(")]
    assert len(stars_rows) == 28
    assert (stars_rows.verdict == audit.CONSISTENT).all()


def test_cli_json_lists_every_check():
    run = subprocess.run([sys.executable, "-m", "westgov", "audit", "--json"], capture_output=True, text=True)
    payload = json.loads(run.stdout)
    # the paper's tables have inconsistent checks: exit status 1 (0 none, 2 bad input)
    assert run.returncode == 1 and payload["summary"]["verdicts"]["inconsistent"] > 0, run.stderr
    assert payload["summary"]["total"] == len(payload["checks"])
    assert {"claim", "printed", "recomputed", "verdict", "explanation"} <= set(payload["checks"][0])


def test_dependent_variable_must_be_identifiable(example):
    line = _line(example, "table4_coefficients.csv", "A,COPPERPRICE,")
    _edit(example, "table4_coefficients.csv", line, line.replace("A,COPPERPRICE,", "A,WORLDCONSUMPTION,"))
    with pytest.raises(ValueError, match="dependent variable"):
        audit.read_tables(example)
