"""Compute the table sets of tableaudit/real-tables/ that are *computed from replication data*.

None of the sets written here is a transcription of a printed table. The printed tables of these
papers could not be obtained from a public repository (see README.md); each set is computed from
the paper's public data and rounded as a journal would print it, with the rounding and star
convention recorded in the set's SOURCE.md.

Usage (the source files are not kept in this repository; SOURCE.md of each set names the
repository, commit, path and SHA-256 of the file used)::

    python tableaudit/real-tables/compute_from_data.py SRC_DIR [OUT_DIR]

SRC_DIR holds He_Hegarty2020-2.csv, TeachingRatings.csv, SAT.csv, GrowthDJ.csv, PSID1976.csv and
ProgramEffectiveness.csv. OUT_DIR defaults to this script's folder. The files come from:

- He_Hegarty2020-2.csv: ``He&Hegarty2020-2.csv`` of
  github.com/CarolHeChuanxiuyue/GrowthMindset_SpatialAnxiety_Navigation at commit d6c4e199;
- the others: ``csv/AER/TeachingRatings.csv``, ``csv/mosaicData/SAT.csv``, ``csv/AER/GrowthDJ.csv``,
  ``csv/AER/PSID1976.csv`` and ``csv/AER/ProgramEffectiveness.csv`` of
  github.com/vincentarelbundock/Rdatasets at commit 1dcc2bf5.

The script prints the SHA-256 of every source file; compare them with the SOURCE.md files.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

# Star conventions: (threshold, mark) from the strictest level down; two-sided p-values.
ECON = ((0.01, "***"), (0.05, "**"), (0.10, "*"))
APA = ((0.001, "***"), (0.01, "**"), (0.05, "*"))


def mark(p: float, levels) -> str:
    for level, m in levels:
        if p < level:
            return m
    return ""


def fmt(x: float, d: int) -> str:
    """``x`` with ``d`` decimals, a rounded negative zero printed without its sign."""
    s = f"{x:.{d}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def write_set(
    out: Path,
    frame: pd.DataFrame,
    dependent: str,
    models: dict[str, list[str]],
    dec: dict,
    levels,
) -> None:
    """Tables 2-4 of ``frame`` with OLS (classical standard errors), rounded per ``dec``."""
    out.mkdir(parents=True, exist_ok=True)
    variables = [dependent] + [c for c in frame.columns if c != dependent]
    n = len(frame)
    rows = ["variable,mean,sd,min,max"]
    for v in variables:
        s = frame[v].astype(float)
        rows.append(",".join([v] + [fmt(x, dec["desc"]) for x in (s.mean(), s.std(ddof=1), s.min(), s.max())]))
    (out / "table2_descriptives.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    corr = frame[variables].astype(float).corr()
    rows = ["row,col,r,stars"]
    for i, a in enumerate(variables):
        for b in variables[:i]:
            r = corr.loc[a, b]
            t = r * np.sqrt((n - 2) / (1 - r * r))
            p = 2 * stats.t.sf(abs(t), n - 2)
            rows.append(f"{a},{b},{fmt(r, dec['r'])},{mark(p, levels)}")
    (out / "table3_correlations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")

    coef_rows = ["model,term,coef,se,stars"]
    fit_rows = ["model,n,f,r2"]
    for model, terms in models.items():
        res = sm.OLS(frame[dependent].astype(float), sm.add_constant(frame[terms].astype(float))).fit()
        for term in terms + ["const"]:
            name = "_Cons" if term == "const" else term
            coef_rows.append(
                f"{model},{name},{fmt(res.params[term], dec['coef'])},"
                f"{fmt(res.bse[term], dec['coef'])},{mark(res.pvalues[term], levels)}"
            )
        fit_rows.append(f"{model},{n},{fmt(res.fvalue, dec['f'])},{fmt(res.rsquared, dec['r2'])}")
    (out / "table4_coefficients.csv").write_text("\n".join(coef_rows) + "\n", encoding="utf-8")
    (out / "table4_fit.csv").write_text("\n".join(fit_rows) + "\n", encoding="utf-8")
    if levels != ECON:  # declared, so that the audit reads the stars as printed
        declared = "/".join(f"{level * 100:g}" for level, _ in reversed(levels))
        (out / "table_format.csv").write_text(f"option,value\nstar_levels,{declared}\n", encoding="utf-8")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(src: Path, out: Path) -> None:
    # He & Hegarty (2020), Study 2, "Model 1": SBSOD ~ GMN + SA + ET + GPS on complete cases.
    he = pd.read_csv(src / "He_Hegarty2020-2.csv", encoding="utf-8-sig")
    he = he[["SBSOD", "GMN", "SA", "ET", "GPS", "OPT"]].dropna()[["SBSOD", "GMN", "SA", "ET", "GPS"]]
    write_set(
        out / "he-hegarty-2020",
        he,
        "SBSOD",
        {"M1": ["SA"], "M2": ["SA", "GMN"], "M3": ["GMN", "SA", "ET", "GPS"]},
        {"desc": 2, "r": 2, "coef": 2, "f": 2, "r2": 2},
        APA,
    )

    # Hamermesh & Parker (2005): course evaluations and instructor beauty (463 classes).
    tr = pd.read_csv(src / "TeachingRatings.csv")
    hp = pd.DataFrame(
        {
            "eval": tr["eval"],
            "beauty": tr["beauty"],
            "female": (tr["gender"] == "female").astype(int),
            "minority": (tr["minority"] == "yes").astype(int),
            "nonnative": (tr["native"] == "no").astype(int),
            "tenuretrack": (tr["tenure"] == "yes").astype(int),
            "lower": (tr["division"] == "lower").astype(int),
            "onecredit": (tr["credits"] == "single").astype(int),
        }
    )
    write_set(
        out / "hamermesh-parker-2005",
        hp,
        "eval",
        {
            "M1": ["beauty"],
            "M2": ["beauty", "female", "minority", "nonnative", "tenuretrack", "lower", "onecredit"],
        },
        {"desc": 3, "r": 2, "coef": 3, "f": 2, "r2": 3},
        ECON,
    )

    # Guber (1999): state SAT scores and school spending (50 states, 1994-95).
    sat = pd.read_csv(src / "SAT.csv")[["sat", "expend", "frac", "salary", "ratio"]]
    write_set(
        out / "guber-1999",
        sat,
        "sat",
        {"M1": ["expend"], "M2": ["expend", "frac"], "M3": ["expend", "frac", "salary", "ratio"]},
        {"desc": 2, "r": 3, "coef": 3, "f": 2, "r2": 3},
        ECON,
    )

    # Mankiw, Romer & Weil (1992), non-oil sample (n = 98), data as in Durlauf & Johnson (1995).
    dj = pd.read_csv(src / "GrowthDJ.csv")
    dj = dj[(dj["oil"] == "no")].dropna(subset=["gdp85", "invest", "popgrowth", "school"])
    mrw = pd.DataFrame(
        {
            "ln_y85": np.log(dj["gdp85"]),
            "ln_sk": np.log(dj["invest"] / 100),
            "ln_ngd": np.log(dj["popgrowth"] / 100 + 0.05),
            "ln_sh": np.log(dj["school"] / 100),
        }
    )
    write_set(
        out / "mrw-1992",
        mrw,
        "ln_y85",
        {"M1": ["ln_sk", "ln_ngd"], "M2": ["ln_sk", "ln_ngd", "ln_sh"]},
        {"desc": 2, "r": 2, "coef": 2, "f": 2, "r2": 2},
        ECON,
    )

    # Mroz (1987): wage equation of the 428 women in the labour force (PSID 1975).
    ps = pd.read_csv(src / "PSID1976.csv")
    ps = ps[ps["participation"] == "yes"]
    mz = pd.DataFrame(
        {
            "lwage": np.log(ps["wage"]),
            "educ": ps["education"],
            "exper": ps["experience"],
            "expersq": ps["experience"] ** 2,
        }
    )
    write_set(
        out / "mroz-1987",
        mz,
        "lwage",
        {"M1": ["educ"], "M2": ["educ", "exper", "expersq"]},
        {"desc": 3, "r": 3, "coef": 4, "f": 2, "r2": 4},
        ECON,
    )

    # Spector & Mazzeo (1980): linear probability model of grade improvement (32 students).
    pe = pd.read_csv(src / "ProgramEffectiveness.csv")
    sm_ = pd.DataFrame(
        {
            "GRADE": (pe["grade"] == "increase").astype(int),
            "GPA": pe["average"],
            "TUCE": pe["testscore"],
            "PSI": (pe["participation"] == "yes").astype(int),
        }
    )
    write_set(
        out / "spector-mazzeo-1980",
        sm_,
        "GRADE",
        {"M1": ["PSI"], "M2": ["GPA", "TUCE", "PSI"]},
        {"desc": 3, "r": 3, "coef": 3, "f": 2, "r2": 3},
        ECON,
    )

    for f in sorted(src.iterdir()):
        print(f"{f.name}: sha256 {sha256(f)}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: compute_from_data.py SRC_DIR [OUT_DIR]")
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent)
