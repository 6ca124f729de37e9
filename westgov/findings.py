"""The findings ledger: every finding the book states about the paper, computed in one place.

A *finding* is a statement of this book about the paper (for example "the R&D coefficients that
Tables 2 and 3 imply are negative"). Each one carries

* an ``id`` and its home section (``home``, a chapter; the anchor is ``finding-<id>``);
* the ``evidence``: values with their rounding ranges, or the set over which it was computed
  (data sets, orderings of regions);
* a ``certainty`` computed from that evidence, on one scale used everywhere (``SCALE``):

  - ``HOLDS``: holds over the whole rounding range (or the whole set of data sets or orderings);
  - ``AT_PRINTED``: holds at the printed values but not over the whole range;
  - ``UNDECIDABLE``: the evidence cannot settle it;
  - ``CONTRADICTED``: the evidence says the opposite;

* its ``wording`` for each level of the scale. ``Finding.text`` is the wording of the computed
  level; the chapters glue it (``glue_all``), so that a page cannot state a finding more firmly
  than its evidence allows.

Range ends are rounded outward (``fmt_range``): a range printed to fewer digits always contains
the exact one. The audit is imported here once (``_audit``), so that moving it changes one line.
"""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import optimize, stats

from westgov import audit as _audit
from westgov import data as data_mod
from westgov import models, replica, variables
from westgov.paths import DATA_DIR

HOLDS = "holds over the whole rounding range"
AT_PRINTED = "holds at the printed values but not over the whole range"
UNDECIDABLE = "undecidable"
CONTRADICTED = "contradicted"
SCALE = (HOLDS, AT_PRINTED, UNDECIDABLE, CONTRADICTED)

# Phrases a wording may use only at one level of the scale (tests/test_findings.py checks them).
ONLY_AT = {
    "whatever the rounding": HOLDS,
    "over the whole rounding range": HOLDS,
    "at the printed values only": AT_PRINTED,
    "cannot be decided": UNDECIDABLE,
}
# Phrases a wording must contain at its level (one of them).
MARKERS = {
    HOLDS: (
        "whatever the rounding",
        "over the whole rounding range",
        "every ordering",
        "every data set",
        "in full",
        "every printed digit",
    ),
    AT_PRINTED: ("at the printed values only",),
    UNDECIDABLE: ("cannot be decided",),
    CONTRADICTED: ("not ", "no "),
}

N_DRAWS = 300
DRAW_SEED = 2020


# -- rounding and formatting --------------------------------------------------------------------


def outward(low: float, high: float, digits: int) -> tuple[float, float]:
    """The ends of [low, high] rounded outward to ``digits`` decimals (never inward)."""
    scale = 10.0**digits
    lo = math.floor(round(low * scale, 6)) / scale
    hi = math.ceil(round(high * scale, 6)) / scale
    return lo, hi


def fmt_range(low: float, high: float, digits: int) -> str:
    """'low to high' rounded outward; ``-0.000`` is written ``0.000``."""
    lo, hi = outward(low, high, digits)
    return f"{_fmt(lo, digits)} to {_fmt(hi, digits)}"


def _decimals_of(text: str) -> int:
    """Decimals printed in a number's text ("0.4814" -> 4)."""
    return len(text.split(".")[1]) if "." in text else 0


def _fmt(x: float, digits: int) -> str:
    text = f"{x:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _count_words(k: int) -> str:
    return {3: "all three", 2: "two", 1: "one", 0: "none"}.get(k, str(k))


def sign_certainty(nominal: float, low: float, high: float, sign: int) -> str:
    """Certainty that a quantity has ``sign`` (+1 or -1), from its value and rounding range."""
    if sign * low > 0 and sign * high > 0:
        return HOLDS
    if sign * low < 0 and sign * high < 0:
        return CONTRADICTED
    if sign * nominal > 0:
        return AT_PRINTED
    return UNDECIDABLE


def above_certainty(nominal: float, low: float, high: float, bound: float) -> str:
    """Certainty that a quantity exceeds ``bound``."""
    return sign_certainty(nominal - bound, low - bound, high - bound, +1)


# -- the ledger's types -------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: a value with its range, or a count over a set."""

    label: str
    nominal: float | None = None
    low: float | None = None
    high: float | None = None
    digits: int = 3
    over: str = "the rounding of Tables 2 and 3"

    def describe(self) -> str:
        if self.low is None:
            return f"{self.label}: {_fmt(self.nominal, self.digits)} ({self.over})"
        rng = fmt_range(self.low, self.high, self.digits)
        return (
            f"{self.label}: {_fmt(self.nominal, self.digits)} at the printed values, "
            f"{rng} over {self.over}"
        )


@dataclass
class Finding:
    id: str
    home: str
    statement: str
    certainty: str
    wording: dict[str, str]
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The words for this finding at its computed certainty."""
        return self.wording[self.certainty]

    @property
    def label(self) -> str:
        return f"finding-{self.id}"


def _finding(fid, home, statement, certainty, wording, evidence=()):
    assert certainty in SCALE, certainty
    fallback = {
        HOLDS: f"{statement}, whatever the rounding",
        AT_PRINTED: f"{statement}, at the printed values only",
        UNDECIDABLE: f"Whether the following holds cannot be decided: {statement}",
        CONTRADICTED: f"The evidence does not support this: {statement}",
    }
    full = {level: wording.get(level, fallback[level]) for level in SCALE}
    return Finding(fid, home, statement, certainty, full, list(evidence))


# -- inputs computed once -----------------------------------------------------------------------


@lru_cache(maxsize=2)
def _inputs(data_dir: str = str(DATA_DIR)):
    from pathlib import Path

    root = Path(data_dir)
    ds = data_mod.load(root)
    published = root / "published"
    tables = _audit.read_tables(published)
    ranges = _audit.implied_ranges(tables).set_index(["model", "term", "quantity"])
    checks = _audit.run(
        published,
        official=_audit.official_for_paper(ds),
        approximate=_audit.APPROXIMATE,
    )
    units = {u["model"]: u for u in _audit.unit_assignments(tables)}
    scale_free = _audit.scale_free(tables).set_index(["model", "term"])
    return ds, tables, ranges, checks, units, scale_free


def _name(ds, pid):
    return {
        "Var1": "digital-government index",
        "Var2": "the tertiary share",
        "Var3": "big-data index",
        "Var4": "infrastructure readiness",
        "Var5": "the budget ratio",
        "Var6": "R&D intensity",
        "Var7": "population",
        "Var8": "GDP per head",
    }[pid]


def _df(tables, model):
    return int(tables.n) - len(tables.regressors(model)) - 1


# -- row-level data sets and the leverage bound -------------------------------------------------


def draw_datasets(
    ds=None, n: int = N_DRAWS, seed: int = DRAW_SEED
) -> list[pd.DataFrame]:
    """``n`` data sets with the printed means, sds and correlations (official population),
    the rest drawn at random (``replica.construct``), rows sorted by population and labelled
    R01-R12. Columns keyed by variable name (``ds.names``)."""
    ds = ds if ds is not None else _inputs()[0]
    tg = replica.targets(ds)
    rng = np.random.default_rng(seed)
    shape = (len(tg["population"]) - 2, len(tg["means"]) - 1)
    labels = [f"R{i:02d}" for i in range(1, len(tg["population"]) + 1)]
    out = []
    for _ in range(n):
        alt = replica.construct(tg, rng.standard_normal(shape))
        alt = (
            alt.rename(columns=ds.names)
            .sort_values(ds.names["Var7"], kind="stable")
            .reset_index(drop=True)
        )
        alt.index = labels
        out.append(alt)
    return out


def _half_units(ds) -> dict:
    t2 = ds.table2.set_index("variable")
    return {
        stat: 0.5
        * 10.0
        ** -data_mod.printed_decimals(
            ds.root, "published/table2_descriptives.csv", stat
        ).set_axis(t2.index)
        for stat in ("min", "max")
    }


def extremes_miss(frame: pd.DataFrame, ds, half: dict | None = None) -> pd.Series:
    """Per variable of Table 2: the larger miss of the data set's minimum and maximum from the
    printed ones, in printed standard deviations (0 when both round to the printed value)."""
    t2 = ds.table2.set_index("variable")
    half = half if half is not None else _half_units(ds)
    miss = {}
    for pid in t2.index:
        col = frame[ds.names[pid]]
        sd = float(t2.loc[pid, "sd"])
        gaps = []
        for stat, value in (("min", col.min()), ("max", col.max())):
            printed = float(t2.loc[pid, stat])
            gaps.append(max(abs(value - printed) - half[stat][pid], 0.0) / sd)
        miss[pid] = max(gaps)
    return pd.Series(miss)


def _leverage_corner_max(mean, sd, r, lo, hi, n):
    """Largest hat value of one row of a two-regressor model whose regressors have these
    moments and lie in [lo, hi]: the Mahalanobis form is convex, so its maximum over the box is
    at a corner; h = 1/n + d' S^-1 d / (n - 1)."""
    cov = np.array([[sd[0] ** 2, r * sd[0] * sd[1]], [r * sd[0] * sd[1], sd[1] ** 2]])
    inv = np.linalg.inv(cov)
    best = -np.inf
    for corner in itertools.product((lo[0], hi[0]), (lo[1], hi[1])):
        d = np.asarray(corner) - mean
        best = max(best, 1 / n + d @ inv @ d / (n - 1))
    return best


def leverage_bound(tables, model: str = "M1") -> tuple[float, float]:
    """The largest leverage a row can have in a two-regressor model, given Table 2's extremes:
    at the printed values, and over the rounding of the means, sds, correlation and extremes
    (maximized from every corner of the rounding box, then polished)."""
    regs = list(tables.regressors(model))
    assert len(regs) == 2, "the bound is written for two regressors"
    t2 = tables.table2
    n = int(tables.n)
    cells = [t2[v][s] for s in ("mean", "sd", "min", "max") for v in regs]
    key = (regs[1], regs[0]) if (regs[1], regs[0]) in tables.table3 else tuple(regs)
    cells.append(tables.table3[key][0])
    nominal = np.array([c.value for c in cells])
    lows = np.array([c.low for c in cells])
    highs = np.array([c.high for c in cells])

    def value(p):
        return _leverage_corner_max(p[0:2], p[2:4], p[8], p[4:6], p[6:8], n)

    at_printed = value(nominal)
    best, best_p = -np.inf, nominal
    for bits in itertools.product((0, 1), repeat=len(cells)):
        p = np.where(np.array(bits) == 1, highs, lows)
        v = value(p)
        if v > best:
            best, best_p = v, p
    polished = optimize.minimize(
        lambda p: -value(p), best_p, method="L-BFGS-B", bounds=list(zip(lows, highs))
    )
    return float(at_printed), float(max(best, -polished.fun))


# -- the budget ratio against the digital-government ranking -----------------------------------


LAST_FIVE = (
    "Gansu",
    "Tibet",
    "Yunnan",
    "Xinjiang",
    "Qinghai",
)  # the paper's section 2.4


def budget_orderings(ds) -> dict:
    """Spearman correlation between the official budget ratio and the digital-government level
    over every ordering of the twelve western regions consistent with what the paper and the
    published top ten say: the western regions in the top ten in their published order, the
    paper's last five below every other region, the rest in any order."""
    official = variables.official_variables(ds).set_index("name_en")
    ratio = official.budget_expenditure_share
    ranked = (
        ds.ranks.merge(ds.provinces, on="code").sort_values("rank").name_en.tolist()
    )
    top = [name for name in ranked if name in ratio.index]
    bottom = [name for name in LAST_FIVE]
    middle = [name for name in ratio.index if name not in top and name not in bottom]
    # Spearman's rho without ties: 1 - 6 sum d^2 / (n (n^2 - 1)), d the rank differences.
    rank_of = ratio.rank().to_dict()
    n = len(ratio)
    level_rank = np.arange(n, 0, -1)  # best first: the best has the highest level
    rhos = []
    for mid in itertools.permutations(middle):
        for low in itertools.permutations(bottom):
            order = list(top) + list(mid) + list(low)
            d = np.array([rank_of[name] for name in order]) - level_rank
            rhos.append(1 - 6 * float(d @ d) / (n * (n * n - 1)))
    top3 = ratio.nlargest(3).index.tolist()
    return {
        "rho_min": float(min(rhos)),
        "rho_max": float(max(rhos)),
        "n_orderings": len(rhos),
        "top3": top3,
        "last_five_in_top3": [name for name in top3 if name in LAST_FIVE],
        "top": top,
    }


# -- the ledger ---------------------------------------------------------------------------------


def _cache_key(data_dir: str) -> str:
    """Fingerprint of the data and of the code the ledger depends on."""
    import hashlib
    from pathlib import Path

    digest = hashlib.sha256()
    for path in sorted(Path(data_dir).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(data_dir)).encode())
            digest.update(path.read_bytes())
    import tableaudit

    for package in (Path(__file__).parent, Path(tableaudit.__file__).parent):
        for path in sorted(package.rglob("*.py")):
            digest.update(str(path.relative_to(package.parent)).encode())
            digest.update(path.read_bytes())
    # Under mutation testing every mutant shares the same files (mutmut switches mutants by this
    # variable), so the active mutant is part of the key: no mutant reads the clean code's ledger.
    digest.update(os.environ.get("MUTANT_UNDER_TEST", "").encode())
    return digest.hexdigest()[:24]


@lru_cache(maxsize=2)
def ledger(data_dir: str = str(DATA_DIR)) -> dict[str, Finding]:
    """Every finding, keyed by id, in the order the book presents them; cached on disk
    (``_build/.cache/findings/``) under a fingerprint of the data, ``westgov/`` and ``tableaudit/``, so
    that the chapters share one computation."""
    import pickle

    from westgov.paths import BUILD_DIR

    path = BUILD_DIR / ".cache" / "findings" / f"ledger-{_cache_key(data_dir)}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    book = compute(data_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(book))
        tmp.replace(path)
    except OSError:
        pass  # a read-only checkout still works, only slower
    return book


def compute(data_dir: str = str(DATA_DIR)) -> dict[str, Finding]:
    """Compute every finding afresh (no disk cache)."""
    ds, tables, ranges, checks, units, scale_free = _inputs(data_dir)
    out: dict[str, Finding] = {}

    def add(f: Finding):
        out[f.id] = f

    def rng(model, term, quantity):
        row = ranges.loc[(model, term, quantity)]
        return float(row.nominal), float(row.low), float(row.high)

    # fit statistics
    fit = checks[checks.category == "fit"]
    r2 = checks[checks.claim.str.contains("R² implied")]
    n_fit_ok = int((fit.verdict == _audit.CONSISTENT).sum())
    n_r2_ok = int((r2.verdict == _audit.CONSISTENT).sum())
    all_ok = n_fit_ok == len(fit) and n_r2_ok == len(r2)
    add(
        _finding(
            "fit",
            "audit",
            "The fit statistics of Table 4 agree with each other and with Tables 2 and 3",
            HOLDS if all_ok else CONTRADICTED,
            {
                HOLDS: f"All {n_fit_ok} checks of F against R² and of the p-value against F "
                f"pass, and the R² printed for all {n_r2_ok} models lies within the range "
                "that Tables 2 and 3 allow, whatever the rounding of the printed tables",
                CONTRADICTED: f"Only {n_fit_ok} of {len(fit)} checks of F and p and "
                f"{n_r2_ok} of {len(r2)} R² values agree: the fit statistics do not all "
                "hang together",
            },
            [
                Evidence(
                    "fit checks consistent",
                    n_fit_ok,
                    digits=0,
                    over=f"{len(fit)} checks",
                )
            ],
        )
    )

    # raw units
    pairs = checks[checks.category == "tables 2-3"]
    coef = pairs[pairs.claim.str.contains("coefficient of")]
    se = pairs[pairs.claim.str.contains("standard error of")]
    n_coef_bad = int((coef.verdict == _audit.INCONSISTENT).sum())
    n_se_bad = int((se.verdict == _audit.INCONSISTENT).sum())
    add(
        _finding(
            "raw-units",
            "audit",
            "Table 4 is not the OLS fit of Tables 2 and 3 in their raw units",
            HOLDS if n_coef_bad > 0 else CONTRADICTED,
            {
                HOLDS: f"Read in the raw units of Tables 2 and 3, {n_coef_bad} of {len(coef)} "
                f"printed slopes and {n_se_bad} of {len(se)} standard errors lie outside the "
                "range that Tables 2 and 3 allow, whatever the rounding; the scale-free "
                "checks show that much of this is a matter of units",
                CONTRADICTED: "Every printed coefficient lies within the raw-unit range: "
                "Table 4 is not shown to differ from the raw-unit fit",
            },
            [
                Evidence(
                    "slopes outside", n_coef_bad, digits=0, over=f"{len(coef)} slopes"
                ),
                Evidence("SEs outside", n_se_bad, digits=0, over=f"{len(se)} SEs"),
            ],
        )
    )

    # units, model by model
    def units_text(model):
        assignment = units[model]["assignment"]
        parts = [
            f"{'the outcome' if v == tables.dependent else _name(ds, v)} {how}"
            for v, how in assignment.items()
        ]
        return ", ".join(parts)

    def numbers(model):
        return {(x["term"], x["quantity"]): x for x in units[model]["numbers"]}

    def width(model):
        rows = [
            x
            for x in units[model]["numbers"]
            if x["term"] != "_Cons" and x["quantity"] == "coef"
        ]
        return float(
            np.median([(x["high"] - x["low"]) / abs(x["reproduced"]) for x in rows])
        )

    u1 = units["M1"]
    all_in = all(x["within"] for x in u1["numbers"])
    b3 = numbers("M1")[("Var3", "coef")]
    add(
        _finding(
            "units-m1",
            "audit",
            "M1 is the OLS fit of Tables 2 and 3 in the units the audit finds",
            HOLDS if all_in else CONTRADICTED,
            {
                HOLDS: f"M1 is reproduced in full: with "
                f"{units_text('M1')}, all {u1['total']} printed numbers (intercept and "
                f"standard errors included) lie within their rounding ranges (the big-data "
                f"index: printed {b3['printed']}, implied "
                f"{fmt_range(b3['low'], b3['high'], 4)}); its coefficients are standardized "
                "effects, not index points per point",
                CONTRADICTED: f"No units reproduce M1: {u1['reproduced']} of {u1['total']} "
                "numbers fit",
            },
            [
                Evidence(
                    "M1 numbers reproduced",
                    u1["reproduced"],
                    digits=0,
                    over=f"{u1['total']} numbers",
                )
            ],
        )
    )

    u2 = units["M2"]
    n2 = numbers("M2")
    misfits = [k for k, x in n2.items() if not x["within"]]
    rd2 = n2[("Var6", "coef")]
    printed_rd2 = float(rd2["printed"])
    mirrored = rd2["low"] <= -printed_rd2 <= rd2["high"] or (
        abs(-printed_rd2 - rd2["reproduced"]) <= abs(rd2["high"] - rd2["low"])
    )
    only_rd_sign = misfits == [("Var6", "coef")] and mirrored
    icpt = n2[("_Cons", "coef")]
    add(
        _finding(
            "units-m2",
            "audit",
            "M2 is the OLS fit of Tables 2 and 3 in the units the audit finds, up to the sign of "
            "R&D",
            HOLDS if only_rd_sign else UNDECIDABLE,
            {
                HOLDS: f"M2 is reproduced up to one sign: with {units_text('M2')}, "
                f"{u2['reproduced']} of {u2['total']} printed numbers lie within their rounding "
                f"ranges, and the eighth, the R&D coefficient, has the implied size with the "
                f"opposite sign (printed {rd2['printed']}, implied "
                f"{fmt_range(rd2['low'], rd2['high'], 4)}); the printed intercept "
                f"({icpt['printed']}, implied {fmt_range(icpt['low'], icpt['high'], 4)}) "
                "agrees with the negative sign, whatever the rounding",
                UNDECIDABLE: f"Whether M2 is the same computation cannot be decided: "
                f"{u2['reproduced']} of {u2['total']} numbers fit",
            },
        )
    )

    u3 = units["M3"]
    w3 = width("M3")
    add(
        _finding(
            "units-m3",
            "audit",
            "M3 is the same computation as M2",
            UNDECIDABLE if w3 > 0.25 else HOLDS,
            {
                UNDECIDABLE: f"Whether M3 is the same computation as M2 cannot be decided: the "
                f"same units reproduce {u3['reproduced']} of {u3['total']} of its numbers "
                "(not the R&D sign, not the budget ratio's standard error), but its ranges "
                f"are about {100 * w3:.0f} % wide, wide enough for many numbers to fall inside "
                "by chance",
                HOLDS: f"M3 is reproduced in the units of M2: {u3['reproduced']} of "
                f"{u3['total']} numbers, in ranges about {100 * w3:.0f} % wide, whatever the "
                "rounding",
            },
        )
    )

    t5 = scale_free.loc[("M4", "Var5")]
    opposite = (t5.t_printed_low > 0 and t5.t_implied_high < 0) or (
        t5.t_printed_high < 0 and t5.t_implied_low > 0
    )
    u4 = units["M4"]
    add(
        _finding(
            "units-m4",
            "audit",
            "No choice of units makes M4 the OLS fit of Tables 2 and 3",
            HOLDS if opposite else UNDECIDABLE,
            {
                HOLDS: "No choice of units reproduces M4: the budget ratio's printed t "
                f"({t5.t_printed:.2f}) has the opposite sign to the t that Tables 2 and 3 "
                f"imply ({fmt_range(t5.t_implied_low, t5.t_implied_high, 2)}), and a t does "
                "not depend on units, whatever the rounding; the best assignment reproduces "
                f"{u4['reproduced']} of {u4['total']} numbers",
                UNDECIDABLE: "Whether some units reproduce M4 cannot be decided from the "
                "scale-free checks",
            },
        )
    )

    # stars
    star = checks[checks.category == "stars"]
    n_star_bad = int((star.verdict == _audit.INCONSISTENT).sum())
    add(
        _finding(
            "stars",
            "audit",
            "Some stars of Table 4 do not follow from the printed coefficient and standard error",
            HOLDS if n_star_bad > 0 else CONTRADICTED,
            {
                HOLDS: f"In {n_star_bad} of {len(star)} cells the stars do not follow from the "
                "printed coefficient and standard error with the model's degrees of freedom, "
                "whatever the rounding of those two numbers",
                CONTRADICTED: "Every star follows from the printed coefficient and standard "
                "error; no star is shown wrong",
            },
        )
    )

    # R&D sign
    rd = {m: rng(m, "Var6", "std_coef") for m in ("M2", "M3", "M4")}
    levels = [sign_certainty(*rd[m], -1) for m in rd]
    if all(level == HOLDS for level in levels):
        rd_level = HOLDS
    elif all(v[0] < 0 for v in rd.values()):
        rd_level = AT_PRINTED
    else:
        rd_level = UNDECIDABLE
    spans = [m for m, level in zip(rd, levels) if level != HOLDS]
    firm = [m for m, level in zip(rd, levels) if level == HOLDS]

    def rd_part(m):
        return f"{m} {fmt_range(rd[m][1], rd[m][2], 2)}"

    add(
        _finding(
            "rd-sign",
            "audit",
            "The R&D coefficients that Tables 2 and 3 imply are negative in M2, M3 and M4",
            rd_level,
            {
                HOLDS: "The R&D coefficients that Tables 2 and 3 imply are negative in all "
                "three models that contain R&D, whatever the rounding (standardized: "
                + ", ".join(rd_part(m) for m in rd)
                + "), where Table 4 prints positive ones",
                AT_PRINTED: "The R&D coefficients that Tables 2 and 3 imply are negative in "
                "all three models that contain R&D at the printed values only: over the "
                "rounding they stay negative in "
                + " and ".join(firm)
                + " (standardized: "
                + ", ".join(rd_part(m) for m in firm)
                + "), but the range of "
                + " and ".join(spans)
                + " ("
                + ", ".join(rd_part(m) for m in spans)
                + ") reaches positive values; Table 4 prints positive ones in all three",
                UNDECIDABLE: "The sign of the implied R&D coefficients cannot be decided "
                "from the printed tables",
            },
            [
                Evidence(f"R&D standardized coefficient, {m}", *rd[m], digits=2)
                for m in rd
            ],
        )
    )
    rd_t = {m: rng(m, "Var6", "t") for m in rd}
    crit = {m: float(stats.t.ppf(0.95, _df(tables, m))) for m in rd}
    never = all(max(abs(v[1]), abs(v[2])) < crit[m] for m, v in rd_t.items())
    add(
        _finding(
            "rd-insignificant",
            "audit",
            "No implied R&D coefficient is significant at the 10 % level",
            HOLDS if never else AT_PRINTED,
            {
                HOLDS: "None of them is significant at the 10 % level, whatever the "
                "rounding (largest |t| "
                + ", ".join(
                    f"{m} {math.ceil(100 * max(abs(v[1]), abs(v[2]))) / 100:.2f}"
                    for m, v in rd_t.items()
                )
                + ")",
                AT_PRINTED: "None is significant at the 10 % level at the printed values "
                "only; the rounding allows a significant one",
            },
        )
    )

    # VIF claim
    vif_max = float(tables.claims["vif_max"])
    vifs = ranges.xs("vif", level="quantity")
    m2_top = vifs.loc["M2"].nominal.idxmax()
    v2 = rng("M2", m2_top, "vif")
    m4_top = vifs.loc["M4"].nominal.idxmax()
    v4 = rng("M4", m4_top, "vif")
    m1_ok = float(vifs.loc["M1"].high.max()) < vif_max
    vif_level = above_certainty(*v2, vif_max) if m1_ok else UNDECIDABLE
    add(
        _finding(
            "vif",
            "correlations",
            "The paper's VIF bound holds for M1 only",
            vif_level,
            {
                HOLDS: f"The paper's bound (every VIF below {vif_max:g}) holds for M1 only, "
                f"whatever the rounding: in M2 the largest VIF ({_name(ds, m2_top)}) is "
                f"{fmt_range(v2[1], v2[2], 1)}, in M4 ({_name(ds, m4_top)}) "
                f"{fmt_range(v4[1], v4[2], 0)}",
                AT_PRINTED: f"The paper's VIF bound fails in M2 at the printed values only "
                f"({fmt_range(v2[1], v2[2], 1)})",
                UNDECIDABLE: "Whether the paper's VIF bound holds cannot be decided",
            },
            [
                Evidence(f"largest VIF in M2 ({m2_top})", *v2, digits=1),
                Evidence(f"largest VIF in M4 ({m4_top})", *v4, digits=0),
            ],
        )
    )

    # big data in M1
    b = rng("M1", "Var3", "std_coef")
    tb = rng("M1", "Var3", "t")
    crit1 = float(stats.t.ppf(0.995, _df(tables, "M1")))
    add(
        _finding(
            "bigdata-m1",
            "regressions",
            "In M1 the big-data index has a positive coefficient, significant at 1 %",
            above_certainty(*tb, crit1),
            {
                HOLDS: "In M1 the big-data index has a standardized coefficient of "
                f"{fmt_range(b[1], b[2], 3)} and is significant at the 1 % level, whatever "
                f"the rounding (t {fmt_range(tb[1], tb[2], 2)}); an association across "
                "twelve regions in one year, not a measured effect of policy",
                AT_PRINTED: "In M1 the big-data index is significant at 1 % at the printed "
                "values only",
            },
            [Evidence("M1 big-data standardized coefficient", *b, digits=3)],
        )
    )

    # official series, variable by variable
    off = checks[checks.category == "official"]

    def verdicts_of(pid):
        rows = off[off.claim.str.startswith(f"{pid}:")]
        return set(rows.verdict)

    official = variables.official_variables(ds)
    t2 = ds.table2.set_index("variable")
    for pid in variables.OFFICIAL_PAPER_IDS:
        v = verdicts_of(pid)
        if v == {_audit.CONSISTENT}:
            level = HOLDS
        elif _audit.INCONSISTENT in v:
            level = CONTRADICTED
        else:
            level = UNDECIDABLE
        name = _name(ds, pid)
        bare = name.removeprefix("the ")
        col = official[ds.names[pid]].dropna()
        ours_mean, paper_mean = float(col.mean()), float(t2.loc[pid, "mean"])
        digits = 4 if paper_mean < 10 else 2
        # With partial coverage the extremes still decide: the regions without an official
        # figure can only lower the minimum of all twelve and raise the maximum.
        extreme = None
        if len(col) < len(official):
            half = 0.5 * 10.0 ** -_decimals_of(str(ds.table2.set_index("variable").loc[pid, "min"]))
            low_region = official.loc[col.idxmin(), "name_en"]
            if float(col.min()) < float(t2.loc[pid, "min"]) - half:
                extreme = (
                    f"the official value for {low_region} ({_fmt(float(col.min()), digits)}) "
                    f"is below the printed minimum ({t2.loc[pid, 'min']}), and the regions "
                    "without an official figure could only lower the minimum"
                )
                level = CONTRADICTED
        reason = (
            f"official data cover {len(col)} of {len(official)} regions"
            if len(col) < len(official)
            else "our series only approximates the official definition "
            f"(means differ by {100 * (ours_mean / paper_mean - 1):+.2f} %)"
        )
        add(
            _finding(
                f"official-{pid.lower()}",
                "data",
                f"Table 2's {bare} is the official series that Table 1 names",
                level,
                {
                    HOLDS: f"Table 2's {bare} is the official series: its mean, "
                    "standard deviation, minimum and maximum reproduce Table 2 to every "
                    "printed digit",
                    CONTRADICTED: f"Table 2's {bare} is not the official series of "
                    "Table 1's definition: "
                    + (
                        extreme + f" (official figures cover {len(col)} of "
                        f"{len(official)} regions)"
                        if extreme
                        else f"mean {_fmt(ours_mean, digits)} from the yearbooks against "
                        f"{_fmt(paper_mean, digits)} printed, beyond rounding"
                    ),
                    UNDECIDABLE: f"Whether {name} is the official series cannot be "
                    f"decided: {reason}",
                },
            )
        )

    # the official budget ratio against the ranking
    bo = budget_orderings(ds)
    r15 = float(ds.table3.set_index(["row", "col"]).r[("Var5", "Var1")])
    if bo["rho_max"] < 0:
        level = HOLDS
    elif bo["rho_min"] > 0:
        level = CONTRADICTED
    else:
        level = UNDECIDABLE
    add(
        _finding(
            "budget-direction",
            "recommendations",
            "In official data, the budget ratio runs against the digital-government ranking",
            level,
            {
                HOLDS: "In the official 2020 data the budget ratio runs the other way: "
                + (
                    "the three highest ratios all belong"
                    if len(bo["last_five_in_top3"]) == 3
                    else f"{_count_words(len(bo['last_five_in_top3']))} of the three "
                    "highest ratios belong"
                )
                + " to the paper's last five "
                f"({', '.join(bo['last_five_in_top3'])}), and its rank "
                "correlation with the digital-government level is negative (a higher ratio goes with a "
                "lower place) for every "
                "ordering consistent with the published 2020 top ten and with the last five "
                "the paper quotes "
                f"({fmt_range(bo['rho_min'], bo['rho_max'], 2)} over "
                f"{bo['n_orderings']:,} orderings), while Table 3 prints a correlation of "
                f"r = {r15:.3f} between the authors' two series. The last five come from the "
                "2021 report the paper cites; that they are also last in the 2020 index, the "
                "outcome, is an assumption (no public summary of the 2020 index lists them), "
                "and without it the direction cannot be told from ranks alone",
                CONTRADICTED: "In official data the budget ratio rises with the ranking, "
                "as in Table 3, for every consistent ordering: the claim is not borne out",
                UNDECIDABLE: "The direction of the official budget ratio against the "
                f"ranking cannot be decided ({fmt_range(bo['rho_min'], bo['rho_max'], 2)})",
            },
            [
                Evidence(
                    "Spearman rho, budget ratio vs ranking",
                    None,
                    bo["rho_min"],
                    bo["rho_max"],
                    2,
                    "orderings consistent with section 2.4",
                )
            ],
        )
    )

    # row-level data sets and the leverage bound
    draws = _draws(data_dir)
    half = _half_units(ds)
    miss = pd.DataFrame([extremes_miss(d, ds, half) for d in draws])
    worst = miss.max(axis=1)
    n_within = int((worst <= 0.05).sum())
    add(
        _finding(
            "draws-extremes",
            "regressions",
            "The data sets used for row-level results match every number of Tables 2 and 3",
            HOLDS if n_within == len(draws) else CONTRADICTED,
            {
                HOLDS: f"Every data set of the {len(draws)} matches every printed number "
                "of Tables 2 and 3, extremes included",
                CONTRADICTED: f"The {len(draws)} data sets match the printed means, standard "
                "deviations and correlations, but not the 16 printed minima and maxima: "
                f"{_count_words(n_within) if n_within < 4 else n_within} of them come within 0.05 standard deviations of all 16 (the "
                f"closest misses by {worst.min():.2f} sd, the typical one by "
                f"{worst.median():.2f} sd). Ranges over them show what the printed moments "
                "leave open, not what every printed number leaves open",
            },
            [
                Evidence(
                    "largest miss of a minimum or maximum (sd)",
                    float(worst.median()),
                    float(worst.min()),
                    float(worst.max()),
                    2,
                    f"{len(draws)} data sets",
                )
            ],
        )
    )
    lev_printed, lev_range = leverage_bound(tables, "M1")
    lev_draws = max(
        float(models.row_diagnostics(d, "M1", ds.names)["leverage"].max())
        for d in draws
    )
    bound_up = math.ceil(lev_range * 1000) / 1000
    n_above = sum(
        float(models.row_diagnostics(d, "M1", ds.names)["leverage"].max()) > lev_range
        for d in draws
    )
    add(
        _finding(
            "leverage-m1",
            "regressions",
            "Table 2's extremes cap the leverage of any row in M1",
            HOLDS,
            {
                HOLDS: "No data set with the means, standard deviations, minima and maxima "
                "of Table 2 and the correlations of Table 3 can give a "
                f"row of M1 a leverage above {bound_up:.3f}, whatever the rounding "
                f"({math.ceil(lev_printed * 1000) / 1000:.3f} at the printed values); "
                f"{n_above} of the {len(draws)} random data sets exceed it (up to "
                f"{lev_draws:.3f}), so their largest leverages are not possible for the "
                "authors' data",
            },
            [
                Evidence("largest M1 leverage, printed values", lev_printed, digits=3),
                Evidence("largest M1 leverage, over the rounding", lev_range, digits=3),
            ],
        )
    )
    return out


@lru_cache(maxsize=2)
def _draws(data_dir: str = str(DATA_DIR)):
    return draw_datasets(_inputs(data_dir)[0])


def official_summary(book: dict[str, Finding]) -> str:
    """One sentence on the five official series, from their findings."""
    groups = {level: [] for level in SCALE}
    for pid in variables.OFFICIAL_PAPER_IDS:
        f = book[f"official-{pid.lower()}"]
        groups[f.certainty].append(_name(None, pid))
    def listed(names: list[str]) -> str:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    parts = []
    if groups[HOLDS]:
        parts.append(f"{listed(groups[HOLDS])} reproduces Table 2 to every printed digit")
    if groups[CONTRADICTED]:
        parts.append(f"{listed(groups[CONTRADICTED])} do not, beyond rounding")
    if groups[UNDECIDABLE]:
        reason = (
            "an approximate definition"
            if groups[UNDECIDABLE] == [_name(None, "Var8")]
            else "partial coverage or an approximate definition"
        )
        parts.append(f"for {listed(groups[UNDECIDABLE])} it cannot be decided ({reason})")
    return "; ".join(parts)


def glue_all(glue, book: dict[str, Finding] | None = None, ids=None) -> None:
    """Glue ``finding_<id>`` (the wording at its certainty, with underscores for dashes) and
    ``finding_<id>_certainty`` for every finding (or those in ``ids``)."""
    from IPython.display import Markdown  # inline Markdown: {glue:md}`finding_<id>`

    book = book if book is not None else ledger()
    for fid, f in book.items():
        if ids is not None and fid not in ids:
            continue
        key = "finding_" + fid.replace("-", "_")
        glue(key, Markdown(f.text), display=False)
        glue(key + "_certainty", f.certainty, display=False)
    glue("finding_official_summary", Markdown(official_summary(book)), display=False)


def table(book: dict[str, Finding] | None = None) -> pd.DataFrame:
    """The ledger as a table: id, home, statement, certainty."""
    book = book if book is not None else ledger()
    return pd.DataFrame(
        [
            {
                "finding": f.id,
                "statement": f.statement,
                "certainty": f.certainty,
                "evidence": f"{{ref}}`{f.home} <{f.label}>`",
            }
            for f in book.values()
        ]
    )


def letter(book: dict[str, Finding], v: dict[str, str]) -> str:
    """The numbered questions of the letter to the authors (MyST Markdown), worded from the
    ledger's findings; ``v`` holds the formatted numbers the letter's chapter computes. This is
    the book's one list of questions for the authors (the audit chapter links to it)."""

    def t(fid):
        return book[fid].text

    def link(fid, title):
        return f"{{ref}}`{title} <finding-{fid.split('-var')[0] if fid.startswith('official') else fid}>`"

    a = [
        (
            "*Would you share the data?* The twelve rows of eight variables would settle most of "
            "what follows. The province scores of the digital-government and big-data indices are "
            "not published in text form; if licence terms prevent sharing them, could you share the "
            "other five variables and the exact report editions?"
        ),
        (
            "*How were financial resource supply (Var5) and R&D expenditure (Var6) computed?* "
            "Table 1 defines them as budget expenditure over GDP and R&D expenditure over GDP, from "
            "the *China Statistical Yearbook 2021* and the *China Statistical Yearbook on Science "
            f"and Technology 2021* for 2020. {t('official-var5')}; {t('official-var6')}. For R&D "
            f"intensity Table 2 prints a maximum of {v['rd_max_paper']}; the highest western value "
            f"in 2020 is {v['rd_max_official']} ({v['rd_max_region']}). Which numerators, "
            f"denominators, years and editions did you use? ({link('official', 'data')})"
        ),
        (
            "*Was per-capita GDP (Var8) the same series in Tables 2 and 3?* "
            f"{t('official-var8')}. But Table 3 prints a correlation of {v['r78_paper']} between "
            f"population and Var8, while the official series give {v['r78_per_capita']} for "
            f"population and per-capita GDP, and {v['r78_total']} for population and *total* GDP. "
            "Was total GDP used when the correlations and regressions were computed? "
            "({doc}`correlations`)"
        ),
        (
            "*Which edition of the digital-government index is the outcome?* Table 1 cites the "
            "*2020 Digital Government Development Index Report*; section 2.4 cites Tsinghua "
            "University's *Research Report on the Development of Digital Government in China "
            "(2021)*, and the places it quotes for Sichuan and Guizhou "
            f"({v['rank_sichuan']} and {v['rank_guizhou']}) are also their places in the published "
            "top ten of the 2020 index. The economic variables cite the *China Statistical Yearbook "
            "(2020)*, whose figures are for 2019, while the population statistics of Table 2 match "
            "the 2020 figures of the 2021 edition. ({doc}`dilemmas`, {doc}`model`)"
        ),
        (
            '*How should the outcome be read?* Table 1 calls it a "social governance development '
            'index", the text of section 4.1 a "data governance development index", and its '
            "source is a digital government index. What, in your view, makes a digital-government "
            "score a good measure of the modernization of social governance? ({doc}`model`)"
        ),
    ]
    b = [
        (
            "*In which units were the variables of Table 4 entered?* "
            f"{t('raw-units')}. {t('units-m1')}. {t('units-m2')}. Which variables did you "
            "standardize, and in which units did you enter the others? "
            f"({link('units-m1', 'audit, M1')}, {link('units-m2', 'M2')})"
        ),
        (
            f"*Could you confirm the sign of the R&D coefficient?* {t('rd-sign')}. "
            f"{t('rd-insignificant')}. ({link('rd-sign', 'audit, R&D')})"
        ),
        (
            "*Were M3 and M4 estimated on the same twelve regions and variables as Tables 2 and 3?* "
            f"{t('units-m3')}. {t('units-m4')}. ({link('units-m4', 'audit, M4')})"
        ),
        (
            f"*How were the stars assigned?* {t('stars')}. In M3 the big-data index carries a star "
            f"with |t| = {v['t_m3_var3']}; in M4 the budget ratio carries one star with "
            f"|t| = {v['t_m4_var5']}, which would earn three with {v['df_m4']} degrees of freedom. "
            "Which test, which degrees of freedom, and one- or two-sided? "
            f"({link('stars', 'audit')})"
        ),
    ]
    c = [
        (
            "*Which VIFs does section 4.1 report?* It states that every VIF is below "
            f"{v['vif_claim_max']}, with a mean of {v['vif_claim_mean']}. {t('vif')}. "
            f"({link('vif', 'correlations')})"
        ),
        (
            "*Is information-infrastructure readiness a component of the big-data index?* Both "
            "come from the CCID assessment report, in whose index system readiness is a "
            'second-level indicator under "basic environment". If so, M3 and M4 contain a '
            f"composite and one of its parts (their printed correlation is {v['r_34']}), and "
            "neither coefficient has its usual meaning. Would a model with the composite alone, or "
            "with its components alone, change your conclusions? ({doc}`model`)"
        ),
        (
            '*At what level do the models "pass the significance test"?* M3 and M4 have printed '
            f"p-values of {v['p_m3']} and {v['p_m4']}, significant at 10 % only, and M4 leaves "
            f"{v['df_m4']} residual degrees of freedom. Did you consider fewer regressors, or "
            "checks of robustness to single regions? ({doc}`regressions`)"
        ),
    ]
    d = [
        (
            "*Which estimates support which recommendation?* Only the recommendation on data and "
            "digital infrastructure has a corresponding variable. The budget ratio, the nearest "
            "variable to the resource guarantees of recommendation (1), correlates positively with "
            f"the outcome in Table 3, but {t('budget-direction')[0].lower()}"
            f"{t('budget-direction')[1:]} ({link('budget-direction', 'recommendations')}). What "
            "evidence in the paper supports the recommendations on top-level design, talent, the "
            "grassroots, and (in the abstract) security and privacy? ({doc}`recommendations`)"
        ),
        (
            "*What is the evidence for the conclusion's explanation?* The conclusion attributes "
            "differences between urban and grassroots governance to education levels and "
            "ethnic-minority cultural concepts, among other causes. None enters the models, and "
            "all data are provincial. Is there evidence outside the paper that you could cite?"
        ),
    ]
    out, number = [], 1
    for heading, items in (
        ("A. Data and variables", a),
        ("B. Table 4", b),
        ("C. Specification", c),
        ("D. From results to recommendations", d),
    ):
        out.append(f"**{heading}**\n")
        for item in items:
            out.append(f"{number}. {item}")
            number += 1
        out.append("")
    return "\n".join(out)
