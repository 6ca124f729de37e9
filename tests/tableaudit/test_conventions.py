"""Journal conventions declared in ``table_format.csv``, every problem at once, swaps, and the report.

The table sets here are computed in this file from statsmodels' ``copper`` data (OLS by
statsmodels, correlation p-values by scipy, stars by the thresholds written out below), not by the
package's own example writer, so that no expected value comes from the code under test. Each option
is tested both ways: the set declared in its convention passes, and the same files read without
the declaration (or with a planted error) do not, so a test fails if the option were ignored.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import statsmodels.api as sm
from scipy import stats

import tableaudit
from tableaudit import published
from tableaudit.problems import DataError
from tableaudit.verdicts import _fmt_range

ROOT = Path(__file__).resolve().parents[2]
MODELS = {
    "A": ["COPPERPRICE", "INCOMEINDEX"],
    "B": ["ALUMPRICE", "INVENTORYINDEX"],
    "C": ["COPPERPRICE", "INCOMEINDEX", "ALUMPRICE", "INVENTORYINDEX", "TIME"],
}
DEPENDENT = "WORLDCONSUMPTION"


def _copper():
    frame = sm.datasets.copper.load_pandas().data.astype(float)
    return frame[[DEPENDENT, "COPPERPRICE", "INCOMEINDEX", "ALUMPRICE", "INVENTORYINDEX", "TIME"]]


def _write(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def journal_set(folder: Path, levels=(0.10, 0.05, 0.01), one_sided=False, paren="se", thousands="",
                ns="", declare=True, absolute_t=False) -> Path:
    """The copper tables printed in a journal's conventions (and declared, unless ``declare`` is False)."""
    frame = _copper()
    n = len(frame)
    folder.mkdir(parents=True, exist_ok=True)

    def mark(p_two_sided: float) -> str:
        q = p_two_sided / 2 if one_sided else p_two_sided
        return "*" * sum(q < level for level in levels) or ns

    def num(x: float, decimals: int = 4) -> str:
        return f"{x:,.{decimals}f}" if thousands == "," else f"{x:.{decimals}f}"

    rows = [["variable", "mean", "sd", "min", "max"]]
    for v in frame.columns:
        s = frame[v]
        rows.append([v, num(s.mean()), num(s.std(ddof=1)), num(s.min()), num(s.max())])
    _write(folder / "table2_descriptives.csv", rows)
    rows = [["row", "col", "r", "stars"]]
    names = list(frame.columns)
    for i, a in enumerate(names):
        for b in names[:i]:
            r, p = stats.pearsonr(frame[a], frame[b])
            rows.append([a, b, f"{r:.3f}", mark(p)])
    _write(folder / "table3_correlations.csv", rows)
    coefs, fits = [["model", "term", "coef", paren, "stars", "note"]], [["model", "n", "f", "r2", "p_value", "note"]]
    for model, terms in MODELS.items():
        res = sm.OLS(frame[DEPENDENT], sm.add_constant(frame[terms])).fit()
        for term in terms + ["const"]:
            if paren == "se":
                inside = num(res.bse[term])
            elif paren == "t":
                t = abs(res.tvalues[term]) if absolute_t else res.tvalues[term]
                inside = f"({t:.2f})"
            else:
                p = res.pvalues[term] / (2 if one_sided else 1)
                inside = "(<0.001)" if p < 0.001 else f"({p:.3f})"
            coefs.append([model, "_Cons" if term == "const" else term, num(res.params[term]), inside,
                          mark(res.pvalues[term]), ""])
        fits.append([model, str(n), f"{res.fvalue:.2f}", f"{res.rsquared:.4f}", f"{res.f_pvalue:.4f}", ""])
    _write(folder / "table4_coefficients.csv", coefs)
    _write(folder / "table4_fit.csv", fits)
    options = []
    if levels != (0.10, 0.05, 0.01):
        options.append(["star_levels", "/".join(f"{level * 100:g}" for level in levels)])
    if one_sided:
        options.append(["star_test", "one-sided"])
    if paren != "se":
        options.append(["parentheses", paren])
    if thousands:
        options.append(["thousands_separator", "comma"])
    if declare and options:
        _write(folder / "table_format.csv", [["option", "value"], *options])
    return folder


def _inconsistent(result, category=None):
    bad = result[result.verdict == tableaudit.INCONSISTENT]
    return bad if category is None else bad[bad.category == category]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _cell(path: Path, model: str, term: str, column: str) -> str:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return next(r[column] for r in rows if r["model"] == model and r["term"] == term)


# --- star levels and one-sided stars ------------------------------------------------------------


def test_stars_at_5_1_and_01_percent_declared_as_such_are_consistent(tmp_path):
    folder = journal_set(tmp_path / "t", levels=(0.05, 0.01, 0.001))
    result = tableaudit.run(folder)
    assert _inconsistent(result).empty, _inconsistent(result).to_string()
    # the same stars read at the default 10 / 5 / 1 % are wrong somewhere: the option matters here
    (folder / "table_format.csv").unlink()
    wrong = _inconsistent(tableaudit.run(folder))
    assert not wrong.empty and set(wrong.category) <= {"stars", "table 3"}


def test_a_table_with_two_star_levels_refuses_three_stars(tmp_path):
    folder = journal_set(tmp_path / "t", levels=(0.05, 0.01))
    assert _inconsistent(tableaudit.run(folder)).empty
    _edit(folder / "table3_correlations.csv", "INCOMEINDEX,WORLDCONSUMPTION,0.978,**", "INCOMEINDEX,WORLDCONSUMPTION,0.978,***")
    with pytest.raises(DataError) as caught:
        published.read_tables(folder)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column) == ("table3_correlations.csv", 3, "stars")
    assert "declares 2 star levels" in problem.reason


def test_one_sided_stars_declared_are_consistent(tmp_path):
    folder = journal_set(tmp_path / "t", one_sided=True)
    assert _inconsistent(tableaudit.run(folder)).empty
    (folder / "table_format.csv").unlink()
    assert not _inconsistent(tableaudit.run(folder), "stars").empty


def test_the_star_check_names_the_declared_thresholds(tmp_path):
    folder = journal_set(tmp_path / "t", levels=(0.05, 0.01, 0.001), one_sided=True)
    rows = tableaudit.run(folder).set_index("claim")
    row = rows.loc["C: stars of TIME"]
    df = 25 - 5 - 1
    crit = ", ".join(f"{m} |t| > {stats.t.ppf(1 - a, df):.2f}" for m, a in (("***", 0.001), ("**", 0.01), ("*", 0.05)))
    assert row.explanation == f"t = coef / se with {df} df; stars at 5 / 1 / 0.1 %, one-sided: {crit}"


# --- t statistics and p-values in parentheses ----------------------------------------------------


@pytest.mark.parametrize("paren", ["t", "p"])
def test_t_or_p_in_parentheses_declared_are_consistent_and_checked(tmp_path, paren):
    folder = journal_set(tmp_path / "t", paren=paren)
    result = tableaudit.run(folder)
    assert _inconsistent(result).empty, _inconsistent(result).to_string()
    what = "t statistic" if paren == "t" else "p-value"
    checked = result[(result.category == "tables 2-3") & result.claim.str.contains(f": {what} of ")]
    assert len(checked) == sum(len(t) for t in MODELS.values())
    assert not result.claim.str.contains("standard error of").any()
    # a wrong number in parentheses is caught by its own check, by t and by the stars
    path = folder / "table4_coefficients.csv"
    old = _cell(path, "A", "INCOMEINDEX", paren)
    new = "(2.10)" if paren == "t" else "(0.048)"
    _edit(path, f"A,INCOMEINDEX,11419.3883,{old}", f"A,INCOMEINDEX,11419.3883,{new}")
    bad = set(_inconsistent(tableaudit.run(folder)).claim)
    assert {f"A: {what} of INCOMEINDEX", "A: t of INCOMEINDEX (scale-free)", "A: stars of INCOMEINDEX"} <= bad


def test_t_in_parentheses_without_the_declaration_is_named(tmp_path):
    folder = journal_set(tmp_path / "t", paren="t", declare=False)
    with pytest.raises(DataError) as caught:
        published.read_tables(folder)
    where = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert where == {("table4_coefficients.csv", 1, "se"), ("table4_coefficients.csv", 1, "t")}
    assert all("parentheses,t in table_format.csv" in p.reason for p in caught.value.problems)


def test_absolute_t_statistics_take_the_sign_of_the_coefficient(tmp_path):
    folder = journal_set(tmp_path / "t", paren="t", absolute_t=True)
    tables = published.read_tables(folder)
    assert all(t.value >= 0 for terms in tables.parenthesized.values() for t in terms.values())
    assert _inconsistent(tableaudit.run(tables)).empty


def test_a_p_value_in_parentheses_gives_the_t_interval_of_its_rounding(tmp_path):
    folder = journal_set(tmp_path / "t", paren="p")
    tables = published.read_tables(folder)
    from tableaudit.parentheses import printed_t

    p = tables.parenthesized["C"]["TIME"]
    df = 25 - 5 - 1
    _, low, high = printed_t(tables, "C", "TIME")  # TIME's coefficient is positive
    assert low == pytest.approx(stats.t.isf((p.value + 0.0005) / 2, df), rel=1e-9)
    assert high == pytest.approx(stats.t.isf((p.value - 0.0005) / 2, df), rel=1e-9)


# --- thousands separators and "n.s." -------------------------------------------------------------


def test_thousands_separators_declared_are_read_with_their_decimals(tmp_path):
    folder = journal_set(tmp_path / "t", thousands=",")
    tables = published.read_tables(folder)
    mean = tables.table2[DEPENDENT]["mean"]
    assert mean.text == f"{_copper()[DEPENDENT].mean():.4f}" and mean.half == pytest.approx(5e-5)
    assert _inconsistent(tableaudit.run(tables)).empty
    (folder / "table_format.csv").unlink()
    with pytest.raises(DataError) as caught:
        published.read_tables(folder)
    assert ("table2_descriptives.csv", 2, "mean") in {(p.file, p.row, p.column) for p in caught.value.problems}


def test_a_misplaced_thousands_separator_is_named(tmp_path):
    folder = journal_set(tmp_path / "t", thousands=",")
    mean = f"{_copper()[DEPENDENT].mean():,.4f}"
    _edit(folder / "table2_descriptives.csv", f'"{mean}"', '"54,33.6320"')
    with pytest.raises(DataError) as caught:
        published.read_tables(folder)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (2, "mean") and "misplaced thousands separator" in problem.reason


def test_not_significant_markers_read_as_no_stars(tmp_path):
    folder = journal_set(tmp_path / "t", ns="n.s.")
    text = (folder / "table3_correlations.csv").read_text()
    assert "n.s." in text
    assert _inconsistent(tableaudit.run(folder)).empty
    # glued to the number as well
    _edit(folder / "table3_correlations.csv", "ALUMPRICE,COPPERPRICE,0.028,n.s.", "ALUMPRICE,COPPERPRICE,0.028 n.s.,")
    tables = published.read_tables(folder)
    r, mark = tables.table3[("ALUMPRICE", "COPPERPRICE")]
    assert (r.text, mark) == ("0.028", "")
    # "n.s." on a correlation that is significant is a wrong star
    _edit(folder / "table3_correlations.csv", "TIME,WORLDCONSUMPTION,0.980,***", "TIME,WORLDCONSUMPTION,0.980,n.s.")
    bad = _inconsistent(tableaudit.run(folder))
    assert list(bad.claim) == ["stars of r(TIME, WORLDCONSUMPTION)"]


def test_table_format_problems_are_named_by_row_and_column(tmp_path):
    folder = journal_set(tmp_path / "t")
    _write(folder / "table_format.csv", [["option", "value"], ["star_levels", "10/5/20"], ["stars", "x"],
                                         ["parentheses", "z"]])
    with pytest.raises(DataError) as caught:
        published.read_tables(folder)
    where = {(p.row, p.column) for p in caught.value.problems if p.file == "table_format.csv"}
    assert where == {(2, "value"), (3, "option"), (4, "value")}


# --- every problem at once -----------------------------------------------------------------------


def test_a_short_row_does_not_hide_the_other_problems_of_its_file_or_of_the_set(tmp_path):
    folder = journal_set(tmp_path / "t")
    t3 = folder / "table3_correlations.csv"
    _edit(t3, "INCOMEINDEX,COPPERPRICE,0.692,***", "INCOMEINDEX,COPPERPRICE")  # line 4: a short row
    _edit(t3, "ALUMPRICE,COPPERPRICE,0.028,", "ALUMPRICE,COPPERPRICE,0.O28,")  # line 6: not a number
    _edit(folder / "table2_descriptives.csv", "ALUMPRICE,24.2920", "ALUMPRICE,abc")  # line 5
    _edit(folder / "table4_fit.csv", "B,25,", "B,24,")  # line 3: a different n, a problem of the set
    with pytest.raises(DataError) as caught:
        published.read_tables(folder)
    where = [(p.file, p.row, p.column) for p in caught.value.problems]
    assert where == [
        ("table2_descriptives.csv", 5, "mean"),
        ("table3_correlations.csv", 4, None),
        ("table3_correlations.csv", 6, "r"),
        ("table4_fit.csv", 3, "n"),
    ]
    run = subprocess.run([sys.executable, "-m", "tableaudit", str(folder)], capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.count("\n  - ") == 4


def test_a_missing_column_does_not_hide_a_bad_cell_in_another_column(tmp_path):
    folder = journal_set(tmp_path / "t")
    path = folder / "table4_coefficients.csv"
    rows = list(csv.reader(io.StringIO(path.read_text())))
    rows = [[c for i, c in enumerate(r) if i != 4] for r in rows]  # no "stars" column (required)
    rows[2][2] = "x1"  # line 3: a coefficient that is not a number
    _write(path, rows)
    with pytest.raises(DataError) as caught:
        published.read_tables(folder)
    where = {(p.row, p.column) for p in caught.value.problems}
    assert where == {(1, "stars"), (3, "coef")}


# --- swaps, lost signs and the report ------------------------------------------------------------


def test_swapped_standard_errors_are_named_as_a_swap(tmp_path):
    folder = journal_set(tmp_path / "t")
    path = folder / "table4_coefficients.csv"
    a, b = _cell(path, "C", "COPPERPRICE", "se"), _cell(path, "C", "TIME", "se")
    _edit(path, f"C,COPPERPRICE,15.0432,{a}", f"C,COPPERPRICE,15.0432,{b}")
    _edit(path, f"C,TIME,187.2307,{b}", f"C,TIME,187.2307,{a}")
    result = tableaudit.run(folder)
    assert result.attrs["swaps"] == [{
        "model": "C", "quantity": "se", "terms": ["COPPERPRICE", "TIME"], "printed": [b, a],
        "implied": result.attrs["swaps"][0]["implied"]}]
    rows = result.set_index("claim")
    for me, other in (("COPPERPRICE", "TIME"), ("TIME", "COPPERPRICE")):
        row = rows.loc[f"C: standard error of {me}"]
        assert row.verdict == tableaudit.INCONSISTENT
        assert f"swapped with the standard error of {other}?" in row.explanation
    report = tableaudit.text_report(result, published.read_tables(folder))
    assert "The standard errors of COPPERPRICE and TIME look swapped" in report
    # an honest set has no swap
    assert tableaudit.run(journal_set(tmp_path / "honest")).attrs["swaps"] == []


def _report(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tableaudit", *args, str(folder)], capture_output=True, text=True)


def test_the_text_report_names_each_failing_check_with_printed_value_range_t_and_reason(tmp_path):
    folder = journal_set(tmp_path / "t")
    path = folder / "table4_coefficients.csv"
    _edit(path, "A,COPPERPRICE,-3.2837", "A,COPPERPRICE,3.2837")  # a lost minus sign
    run = _report(folder)
    assert run.returncode == 1, run.stderr
    text = run.stdout
    result = tableaudit.run(folder)
    by_model = result[result.claim.str.startswith("A: ")]
    counts = by_model.verdict.value_counts()
    assert (f"Model A (2 regressors, 22 residual df): {len(by_model)} checks: {counts['consistent']} consistent, "
            f"{counts['inconsistent']} inconsistent.") in text
    sf = tableaudit.scale_free(published.read_tables(folder)).set_index(["model", "term"]).loc[("A", "COPPERPRICE")]
    assert "The sign of COPPERPRICE looks lost" in text
    ranges = tableaudit.implied_ranges(published.read_tables(folder)).set_index(["model", "term", "quantity"])
    low, high = ranges.loc[("A", "COPPERPRICE", "coef"), ["low", "high"]]
    sentence = re.sub(r"\s+", " ", text)
    assert (f"Coefficient of COPPERPRICE: printed 3.2837; Tables 2-3 imply {_fmt_range(low, high)} (t printed "
            f"{_fmt_range(sf.t_printed_low, sf.t_printed_high, 2)}, implied "
            f"{_fmt_range(sf.t_implied_low, sf.t_implied_high, 2)}). Why:") in sentence
    # every listed check carries a reason; consistent checks only with --all
    listed = [line for line in text.splitlines() if line.startswith("    - ")]
    assert listed and all("Why:" in re.sub(r"\s+", " ", block) for block in text.split("    - ")[1:])
    assert len(listed) == (result.verdict != tableaudit.CONSISTENT).sum()
    every = _report(folder, "--all").stdout
    assert len([line for line in every.splitlines() if line.startswith("    - ")]) == len(result)


def test_exit_status_is_0_1_or_2(tmp_path):
    honest = journal_set(tmp_path / "honest")
    assert _report(honest).returncode == 0
    assert _report(honest, "--json").returncode == 0
    wrong = journal_set(tmp_path / "wrong")
    _edit(wrong / "table4_fit.csv", "A,25,241.87", "A,25,99.99")
    assert _report(wrong).returncode == 1
    payload = json.loads(_report(wrong, "--json").stdout)
    assert payload["summary"]["verdicts"]["inconsistent"] >= 1 and "swaps" in payload
    broken = journal_set(tmp_path / "broken")
    _edit(broken / "table4_fit.csv", "A,25,241.87", "A,25,abc")
    run = _report(broken)
    assert run.returncode == 2 and "table4_fit.csv, row 2, column 'f'" in run.stderr
    assert _report(tmp_path / "no-such-folder").returncode == 2


# --- range ends, and nothing of the paper in the audit package ------------------------------------


def test_range_ends_are_rounded_outward():
    assert _fmt_range(0.8416, 0.8427, 3) == "[0.841, 0.843]"  # not [0.842, 0.843]
    assert _fmt_range(-2.5191, -2.5, 2) == "[-2.52, -2.50]"
    assert _fmt_range(0.84163, 0.84271) == "[0.8416, 0.8428]"
    low, high = 1.0000001, 1.0400001
    text = _fmt_range(low, high, 1)
    lo, hi = (float(x) for x in text.strip("[]").split(", "))
    assert lo <= low and hi >= high and text == "[1.0, 1.1]"
    assert _fmt_range(math.inf * -1, math.inf) == "[-inf, inf]"


def test_the_audit_package_names_no_variable_of_the_paper():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tableaudit").glob("*.py"))
    assert not re.search(r"\bVar\d\b|var\d_|\bLuo\b", code)


def test_the_paper_claim_about_var2_is_the_study_s_and_unchanged(paper_tables):
    from westgov import audit

    generic = tableaudit.run(paper_tables)
    study = audit.run(paper_tables)
    claim = "Var2 is negatively but not significantly correlated with the outcome"
    assert claim not in set(generic.claim)
    row = study.set_index("claim").loc[claim]
    r = paper_tables.table3.get(("Var2", "Var1")) or paper_tables.table3[("Var1", "Var2")]
    n = paper_tables.n
    p = 2 * stats.t.sf(abs(r[0].value) * math.sqrt((n - 2) / (1 - r[0].value**2)), n - 2)
    assert (row.printed, row.recomputed, row.verdict) == (r[0].text, f"p = {p:.3f}", audit.CONSISTENT)
    # the rows of the two runs are otherwise the same, in the same order
    assert list(study.claim[study.claim != claim]) == list(generic.claim)


def test_the_shipped_journal_example_is_the_journal_set_of_this_file(tmp_path):
    """tableaudit/examples/copper-journal: stars at 5 / 1 / 0.1 %, t in parentheses, thousands
    separated by commas, "n.s."; the files equal those computed here."""
    shipped = ROOT / "tableaudit" / "examples" / "copper-journal"
    ours = journal_set(tmp_path / "t", levels=(0.05, 0.01, 0.001), paren="t", thousands=",", ns="n.s.")
    for path in sorted(shipped.iterdir()):
        assert path.read_text() == (ours / path.name).read_text(), path.name
    assert sorted(p.name for p in shipped.iterdir()) == sorted(p.name for p in ours.iterdir())
    shutil.rmtree(ours)
