"""Statistical numbers on the pages, recomputed independently (issue 14, item 3).

After ``make book`` every glued value is read back from the build (``westgov.book.pagenumbers``)
and checked against a computation that shares no code with the chapters:

* critical values and tail areas from scipy.stats, with degrees of freedom from the paper's
  Table 4 (n printed in ``table4_fit.csv``, k = the model's regressors in
  ``table4_coefficients.csv``), never from the fitted model;
* "as printed" values against ``data/published/*.csv``;
* F statistics, R² and interval widths from an OLS fit by numpy least squares on the replica;
* significance stars recounted from scipy critical values;
* captions that name a confidence level (or a "more than x %" threshold): the level is read from
  the caption text and the numbers under it are recomputed at that level, so a 90 % quantile
  under a "95 %" caption fails.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from westgov.book import pagenumbers

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "data" / "published"
CHAPTERS = ROOT / "chapters"
REL = 1e-6


@pytest.fixture(scope="module")
def glued() -> dict[str, dict[str, str]]:
    return pagenumbers.collect()


def value(glued, chapter: str, key: str) -> float:
    assert chapter in glued, f"{chapter}: no glue file in the build (run make book)"
    assert key in glued[chapter], f"{chapter}: key {key!r} is not glued any more"
    text = glued[chapter][key].strip().strip("'\"")
    return float(text)


def close(actual: float, expected: float, rel: float = REL, what: str = "") -> None:
    assert math.isclose(actual, expected, rel_tol=rel, abs_tol=1e-12), (
        f"{what}: page has {actual!r}, independent computation gives {expected!r}"
    )


# -- the paper's Table 4: n and k per model --------------------------------------------------------

FIT = pd.read_csv(PUBLISHED / "table4_fit.csv").set_index("model")
COEFS = pd.read_csv(PUBLISHED / "table4_coefficients.csv")
TERMS = {
    m: [t for t in g.term if t != "_Cons"]
    for m, g in COEFS.groupby("model", sort=False)
}
N = {m: int(FIT.loc[m, "n"]) for m in FIT.index}
K = {m: len(t) for m, t in TERMS.items()}
DF = {m: N[m] - K[m] - 1 for m in TERMS}


def test_table4_shapes_are_the_papers():
    # Guard for the inputs of every test below: 12 regions, M4 with seven regressors.
    assert N == {"M1": 12, "M2": 12, "M3": 12, "M4": 12}
    assert K["M4"] == 7 and K["M1"] == 2
    assert DF["M4"] == 4


# -- (a) critical values and degrees of freedom ------------------------------------------------------

CRITICAL = [
    # chapter, key, expected
    ("regressions", "df_m4", lambda: DF["M4"]),
    ("regressions", "df_m1", lambda: DF["M1"]),
    ("regressions", "t_crit_m4", lambda: stats.t.ppf(0.975, DF["M4"])),
    ("regressions", "t_crit_large", lambda: stats.norm.ppf(0.975)),
    ("recommendations", "df_m1", lambda: DF["M1"]),
    ("recommendations", "t95_m1", lambda: stats.t.ppf(0.975, DF["M1"])),
    ("recommendations", "t99_m1", lambda: stats.t.ppf(0.995, DF["M1"])),
    ("five-minutes", "k_m4", lambda: K["M4"]),
    ("five-minutes", "df_m4", lambda: DF["M4"]),
    ("questions-for-authors", "df_m4", lambda: DF["M4"]),
    ("preface", "n_regressors_m4", lambda: K["M4"]),
    ("preface", "df_resid_m4", lambda: DF["M4"]),
    ("preface", "n_provinces", lambda: N["M4"]),
    ("correlations", "corr_df", lambda: N["M1"] - 2),
]


@pytest.mark.parametrize(
    "chapter, key, expected", CRITICAL, ids=[c[1] + "@" + c[0] for c in CRITICAL]
)
def test_critical_values_and_df(glued, chapter, key, expected):
    close(value(glued, chapter, key), float(expected()), what=f"{chapter}:{key}")


# -- "as printed" values against the paper's tables -------------------------------------------------

_T3 = pd.read_csv(PUBLISHED / "table3_correlations.csv").set_index(["row", "col"])


def _printed(model: str, term: str, what: str) -> float:
    row = COEFS.query("model == @model and term == @term").iloc[0]
    return float(row.coef / row.se) if what == "t" else float(row[what])


def _r3(row: str, col: str) -> float:
    return float(_T3.loc[(row, col), "r"])


PRINTED = [
    ("regressions", "r2_m4_paper", FIT.loc["M4", "r2"]),
    ("regressions", "f_m4_paper", FIT.loc["M4", "f"]),
    ("regressions", "paper_p_m3", FIT.loc["M3", "p_value"]),
    ("regressions", "paper_p_m4", FIT.loc["M4", "p_value"]),
    ("five-minutes", "p_m3", FIT.loc["M3", "p_value"]),
    ("five-minutes", "p_m4", FIT.loc["M4", "p_value"]),
    ("questions-for-authors", "p_m3", FIT.loc["M3", "p_value"]),
    ("questions-for-authors", "p_m4", FIT.loc["M4", "p_value"]),
    ("preface", "paper_p_min", FIT.p_value.min()),
    ("preface", "paper_p_max", FIT.p_value.max()),
    ("questions-for-authors", "t_m3_var3", abs(_printed("M3", "Var3", "t"))),
    ("questions-for-authors", "t_m4_var5", abs(_printed("M4", "Var5", "t"))),
    ("audit", "t_m3_var3_printed", _printed("M3", "Var3", "t")),
    ("questions-for-authors", "r78_paper", _r3("Var8", "Var7")),
    ("questions-for-authors", "r_34", _r3("Var4", "Var3")),
    ("recommendations", "r_34", _r3("Var4", "Var3")),
    ("recommendations", "r_35", _r3("Var5", "Var3")),
    ("recommendations", "r_45", _r3("Var5", "Var4")),
    (
        "regressions",
        "paper_b3",
        COEFS.query("model == 'M1' and term == 'Var3'").coef.iloc[0],
    ),
]


@pytest.mark.parametrize(
    "chapter, key, expected", PRINTED, ids=[p[1] + "@" + p[0] for p in PRINTED]
)
def test_as_printed(glued, chapter, key, expected):
    close(
        value(glued, chapter, key), float(expected), rel=1e-9, what=f"{chapter}:{key}"
    )


def test_audit_range_end_is_the_largest_corner(glued, paper_tables):
    """audit.md prose: the upper end of M3's t of Var3 equals the largest value over every
    positive-definite corner of the correlation box, enumerated here with numpy."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tableaudit"))  # the audit's test helpers
    from test_optimize import _enumerate

    corners = _enumerate(paper_tables, "M3", (-1, 1))
    k = paper_tables.regressors("M3").index("Var3")
    close(value(glued, "audit", "t_m3_var3_high"), float(corners["t"][:, k].max()), rel=1e-6,
          what="audit:t_m3_var3_high")


# -- OLS on the replica, by numpy least squares ----------------------------------------------------


@pytest.fixture(scope="module")
def replica_fits():
    from westgov import data, replica

    ds = data.load()
    frame = replica.load(ds)
    names = ds.names  # Var1..Var8 -> column
    y = frame[names["Var1"]].to_numpy(float)
    out = {}
    for model, terms in TERMS.items():
        X = frame[[names[t] for t in terms]].to_numpy(float)
        A = np.column_stack([np.ones(len(y)), X])
        beta, *_ = np.linalg.lstsq(A, y, rcond=None)
        resid = y - A @ beta
        n, p = A.shape
        df = n - p
        s2 = resid @ resid / df
        se = np.sqrt(np.diag(s2 * np.linalg.inv(A.T @ A)))
        tss = ((y - y.mean()) ** 2).sum()
        r2 = 1 - resid @ resid / tss
        k = p - 1
        f = (r2 / k) / ((1 - r2) / df)
        scale = X.std(axis=0, ddof=1) / y.std(ddof=1)
        out[model] = {
            "t_all": dict(zip(["_Cons", *terms], beta / se)),
            "terms": terms,
            "beta": beta[1:],
            "se": se[1:],
            "df": df,
            "k": k,
            "r2": r2,
            "f": f,
            "scale": scale,
        }
        assert df == DF[model], (
            f"{model}: replica has {n} rows, Table 4 says {N[model]}"
        )
    return out


def test_f_and_f_test_pvalues(glued, replica_fits):
    m4 = replica_fits["M4"]
    close(value(glued, "regressions", "f_m4_ours"), m4["f"], rel=1e-6, what="f_m4_ours")
    close(
        value(glued, "regressions", "r2_m4_ours"), m4["r2"], rel=1e-6, what="r2_m4_ours"
    )
    for model in ("M3", "M4"):
        fit = replica_fits[model]
        expected = stats.f.sf(fit["f"], K[model], DF[model])
        key = f"ftest_{model.lower()}"
        close(value(glued, "regressions", key), expected, rel=1e-5, what=key)


# -- (c) captions that name a confidence level -------------------------------------------------------

_LEVEL = re.compile(r"\b(9\d|99)(?:\.\d+)?\s?(?:%|percent)")


def captions(text: str):
    """(name, caption) of every glue:figure and table directive in a chapter's source."""
    out = []
    for m in re.finditer(
        r"```\{glue:figure\}[^\n]*\n((?::[^\n]*\n)*)\n?(.*?)```", text, flags=re.DOTALL
    ):
        name = re.search(r":name:\s*(\S+)", m.group(1))
        out.append((name.group(1) if name else "?", m.group(2)))
    for m in re.finditer(
        r"^:::+\{table\}([^\n]*)\n((?::[^\n]*\n)*)", text, flags=re.MULTILINE
    ):
        name = re.search(r":name:\s*(\S+)", m.group(2))
        out.append((name.group(1) if name else "?", m.group(1)))
    return out


def caption_level(chapter: str, name: str) -> float:
    text = (CHAPTERS / f"{chapter}.md").read_text(encoding="utf-8")
    for cap_name, caption in captions(text):
        if cap_name == name:
            levels = {float(x) for x in _LEVEL.findall(caption)}
            assert len(levels) == 1, (
                f"{chapter}.md {name}: caption names levels {levels}"
            )
            return levels.pop() / 100
    raise AssertionError(f"{chapter}.md: no caption named {name}")


def check_coefplot(glued, replica_fits):
    """regressions.md fig-coefplot: standardized intervals at the caption's level."""
    level = caption_level("regressions", "fig-coefplot")
    widths, excluding = [], 0
    for model, fit in replica_fits.items():
        q = stats.t.ppf(0.5 + level / 2, DF[model])
        for term, b, se, sc in zip(fit["terms"], fit["beta"], fit["se"], fit["scale"]):
            low, high = (b - q * se) * sc, (b + q * se) * sc
            widths.append((high - low, model, term))
            excluding += bool(low > 0 or high < 0)
    m1_b3 = next(w for w, m, t in widths if (m, t) == ("M1", "Var3"))
    close(
        value(glued, "regressions", "m1_bd_width"), m1_b3, rel=1e-5, what="m1_bd_width"
    )
    close(
        value(glued, "regressions", "widest_width"),
        max(widths)[0],
        rel=1e-5,
        what="widest",
    )
    assert value(glued, "regressions", "n_excluding_zero") == excluding
    assert value(glued, "regressions", "n_intervals") == len(widths)


# Every caption in chapters/*.md that names a confidence level needs a checker here.
LEVEL_CHECKS = {("regressions", "fig-coefplot"): check_coefplot}


def test_every_caption_with_a_level_is_checked():
    found = set()
    for path in sorted(CHAPTERS.glob("*.md")):
        for name, caption in captions(path.read_text(encoding="utf-8")):
            if _LEVEL.search(caption):
                found.add((path.stem, name))
    assert found, "caption scanner found no caption naming a level: scanner broken?"
    unchecked = found - set(LEVEL_CHECKS)
    assert not unchecked, (
        f"captions naming a confidence level without a check: {unchecked}"
    )


@pytest.mark.parametrize("where", sorted(LEVEL_CHECKS), ids=lambda w: "@".join(w[::-1]))
def test_caption_level_matches_the_numbers(glued, replica_fits, where):
    LEVEL_CHECKS[where](glued, replica_fits)


def test_ci_of_recommendations_at_95(glued, replica_fits):
    """recommendations.md prose: "95 % interval ({glue:text}`ci_big_data_index`)"."""
    text = glued["recommendations"]["ci_big_data_index"]
    low, high = (float(x) for x in re.findall(r"-?\d+\.\d+", text)[:2])
    fit = replica_fits["M1"]
    i = fit["terms"].index("Var3")
    q = stats.t.ppf(0.975, DF["M1"])
    b, se, sc = fit["beta"][i], fit["se"][i], fit["scale"][i]
    digits = len(re.findall(r"-?\d+\.(\d+)", text)[0])
    tol = 0.6 * 10**-digits
    assert (
        abs(low - (b - q * se) * sc) <= tol and abs(high - (b + q * se) * sc) <= tol
    ), (
        f"ci_big_data_index {text!r} is not the 95 % interval "
        f"[{(b - q * se) * sc:.4f}, {(b + q * se) * sc:.4f}]"
    )


# -- correlation p-values and stars ----------------------------------------------------------------


def correlation_p(r: float, n: int) -> float:
    t = abs(r) * math.sqrt((n - 2) / (1 - r * r))
    return 2 * stats.t.sf(t, n - 2)


def stars_from_r(r: float, n: int) -> str:
    """Stars from scipy critical values of |r| at 10 / 5 / 1 % (two-sided)."""
    out = ""
    for alpha in (0.10, 0.05, 0.01):
        t = stats.t.ppf(1 - alpha / 2, n - 2)
        if abs(r) > t / math.sqrt(n - 2 + t * t):
            out += "*"
    return out


def test_star_counts_of_table3(glued):
    t3 = pd.read_csv(PUBLISHED / "table3_correlations.csv", keep_default_na=False)
    t3 = t3[t3.row != t3.col]
    n = N["M1"]
    agree = sum(stars_from_r(float(r), n) == s for r, s in zip(t3.r, t3.stars))
    assert value(glued, "correlations", "n_pairs") == len(t3)
    assert value(glued, "correlations", "n_star_agree") == agree


def test_correlation_pvalues_of_recommendations(glued):
    keys = [k for k in glued["recommendations"] if k.startswith("p_r_")]
    assert len(keys) >= 2, "recommendations glues no correlation p-values any more"
    for key in keys:
        r = value(glued, "recommendations", "r_" + key.removeprefix("p_r_"))
        close(
            value(glued, "recommendations", key), correlation_p(r, N["M1"]), 1e-6, key
        )


# -- (b) "more than 1 %" thresholds ----------------------------------------------------------------


def _markdown_rows(table: str):
    lines = [ln for ln in table.splitlines() if ln.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    return header, [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]


def test_descriptives_gap_threshold(glued):
    """Bold gaps and n_official_off follow the caption's "larger than x %" threshold."""
    source = (CHAPTERS / "descriptives.md").read_text(encoding="utf-8")
    match = re.search(r"in bold when larger than (\d+(?:\.\d+)?) ?%", source)
    assert match, "descriptives.md: caption no longer states the bold threshold"
    threshold = float(match.group(1))
    prose = re.search(
        r"differ from the printed value by more than (\d+(?:\.\d+)?) ?%", source
    )
    assert prose and float(prose.group(1)) == threshold, (
        "prose and caption thresholds differ"
    )
    header, rows = _markdown_rows(glued["descriptives"]["tbl_three_ways"])
    variables, current = [], None
    for row in rows:  # the variable is named on the first of its rows only
        current = row[header.index("variable")] or current
        variables.append(current)
    gaps = [row[header.index("gap")] for row in rows]
    shown = [
        (g.startswith("**"), float(g.strip("*%+")), var)
        for g, var in zip(gaps, variables)
        if g not in ("—", "")
    ]
    assert shown, "no gaps in tbl_three_ways"
    half = 0.05  # gaps are printed to 0.1 %
    for bold, pct, _ in shown:
        if abs(pct) > threshold + half:
            assert bold, f"gap {pct} % is above {threshold} % but not bold"
        if abs(pct) < threshold - half:
            assert not bold, f"gap {pct} % is below {threshold} % but bold"
    # the prose counts the complete series only: the tertiary share (8 of 12 regions) is left out
    n_off = value(glued, "descriptives", "n_official_off")
    assert n_off == sum(b for b, _, var in shown if var != "tertiary")
    complete = [p for _, p, var in shown if var != "tertiary"]
    assert sum(abs(p) > threshold + half for p in complete) <= n_off
    assert n_off <= sum(abs(p) >= threshold - half for p in complete)


def test_star_counts_of_table4(glued, replica_fits):
    """n_star_diff: printed Table 4 stars against stars of the replica's t at scipy critical
    values with each model's residual df from Table 4 (10 / 5 / 1 %, two-sided)."""
    printed = pd.read_csv(PUBLISHED / "table4_coefficients.csv", keep_default_na=False)
    differ = 0
    for row in printed.itertuples():
        t = abs(replica_fits[row.model]["t_all"][row.term])
        ours = "".join(
            "*" for a in (0.10, 0.05, 0.01) if t > stats.t.ppf(1 - a / 2, DF[row.model])
        )
        differ += ours != row.stars
    assert value(glued, "regressions", "n_coef") == len(printed)
    assert value(glued, "regressions", "n_star_diff") == differ
