"""How often does the unit search "explain" numbers that are not a unit change? A measurement.

The unit search (:func:`tableaudit.units.unit_assignments`) looks for per-variable units in which
Tables 2-3 reproduce a printed coefficient column. With enough candidate units, some assignment
may reproduce a column by chance. :func:`measure` counts how often that happens on columns that
are known *not* to be a unit change of the OLS fit:

* **planted**: a correct table set (:func:`tableaudit.tablegen.table_set`) with one planted error
  that changes a coefficient or a standard error and is neither a unit change nor a sign
  (:data:`NULL_KINDS`, from :data:`tableaudit.tablegen.ERROR_KINDS`);
* **other model**: the first model's column taken from a regression of the same outcome on its
  regressors and one more variable of the data set (a coefficient column from a different model).

It also counts what the search reports on the correct sets (the raw units are the truth there)
and, as a check that the search still finds what it should, how often it recovers a true unit
change (one regressor of the first model multiplied by 10, 100 or 1000, or z-scored).

Three versions of the search are measured side by side (:data:`VARIANTS`): every scaling
without the intercept identity and without prior weights (the search of the second edition),
every scaling with the identity, and the units of :data:`tableaudit.units.PRIOR`, weighted, with
the identity (the default). A case counts as a false
match when the search explains the column (every printed number within its rounding range and,
with the identity, the printed intercept within the identity's interval; or all of that up to
slopes whose reversed sign fits) in units other than the raw ones.

Run ``python -m tableaudit.falsematch [--sets N] [--out FILE]``; the book keeps the result in
``chapters/unit-false-match.json``.
"""

from __future__ import annotations

import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .published import Tables, read_tables
from .tablegen import (
    DATASETS,
    ERROR_KINDS,
    TableSet,
    cases,
    load_dataset,
    plant,
    table_set,
)
from .units import unit_assignments

#: The versions of the search compared: name -> keyword arguments of ``unit_assignments``.
VARIANTS = {
    "second edition": {"scalings": "all", "identity": False, "prior": False},
    "all scalings, identity": {"scalings": "all", "identity": True, "prior": False},
    "prior scalings, identity": {"scalings": "prior", "identity": True, "prior": True},
}
#: The version the audit uses.
DEFAULT = "prior scalings, identity"
#: Planted errors used as the null: the kinds of :data:`tableaudit.tablegen.ERROR_KINDS` not named
#: after a sign, a minus or a decimal point (which a lost sign or a unit change may legitimately
#: explain); a planted case counts only when it changed Table 4's coefficients or SEs and nothing
#: else.
NULL_KINDS = tuple(
    k for k in ERROR_KINDS if not any(w in k for w in ("sign", "minus", "decimal"))
)
#: Data sets left out: Longley's near-singular regressors make one range computation take minutes.
SKIP_DATASETS = ("longley",)
#: True unit changes planted for the power check: label -> factor (None: z-scored).
UNIT_CHANGES = {"×10": 10.0, "×100": 100.0, "×10^3": 1000.0, "z-scored": None}
OUTCOMES = ("as printed", "units", "units and a lost sign", "not explained", "no assignment")


def _tables(ts: TableSet) -> Tables:
    with tempfile.TemporaryDirectory(prefix="tableaudit-falsematch-") as tmp:
        ts.write(tmp)
        return read_tables(tmp)


def _only_table4(before: TableSet, after: TableSet) -> bool:
    """The plant changed a coefficient or an SE of Table 4, and nothing in Tables 2-3 or the fit."""
    same = (
        before.table2.equals(after.table2)
        and before.table3.equals(after.table3)
        and before.fit.equals(after.fit)
    )
    changed = not before.coefs[["coef", "se"]].equals(after.coefs[["coef", "se"]])
    return same and changed


def _outcome(u: dict, identity: bool) -> str:
    """What the search says of one model: see :data:`OUTCOMES`."""
    if u["assignment"] is None:
        return "no assignment"
    explained = u["explained_by"] if identity else ("units" if u["works"] else None)
    if explained is None:
        return "not explained"
    if explained == "units" and all(x == "raw" for x in u["assignment"].values()):
        return "as printed"
    return explained


def _near(u: dict, identity: bool) -> bool:
    """As good as the paper's M3: units other than raw that reproduce every printed number but
    one, besides slopes whose reversed sign fits, with the intercept identity holding (as printed
    or with those signs reversed); without the identity, every number but two."""
    if u["assignment"] is None or all(x == "raw" for x in u["assignment"].values()):
        return False
    misfits = {(n["term"], n["quantity"]) for n in u["numbers"] if not n["within"]}
    if not identity:
        return len(misfits) <= 2
    flip = u["sign_flip"]
    if flip is not None:
        misfits -= {(t, "coef") for t in flip["terms"]}
    holds = flip is not None or (u["identity"] is not None and u["identity"]["within"])
    return holds and len(misfits) <= 1


def _frame(case) -> pd.DataFrame:
    return load_dataset(case.dataset).iloc[case.rows].reset_index(drop=True)


def _replace_column(ts: TableSet, model: str, other: TableSet, other_model: str) -> TableSet:
    """``ts`` with the coefficient rows of ``model`` taken from ``other``'s ``other_model``."""
    out = ts.copy()
    source = other.coefs[other.coefs.model == other_model].set_index("term")
    for i in out.coefs.index[out.coefs.model == model]:
        term = out.coefs.loc[i, "term"]
        for column in ("coef", "se", "stars"):
            out.coefs.loc[i, column] = source.loc[term, column]
    return out


def _other_model(case, ts: TableSet, rng) -> tuple[TableSet, str] | None:
    """The first model's column from a regression with one more regressor of the data set."""
    dependent, models = DATASETS[case.dataset]
    first, *rest = models
    regs = models[first]
    extra = sorted({x for m in rest for x in models[m]} - set(regs))
    if not extra:
        return None
    z = str(rng.choice(extra))
    other = table_set(_frame(case), dependent, {"X": [*regs, z]}, case.style)
    return _replace_column(ts, first, other, "X"), f"{first} from {first} + {z}"


def _unit_change(case, ts: TableSet, rng) -> tuple[TableSet, str, dict]:
    """The first model's column from the data with one of its regressors in other units."""
    dependent, models = DATASETS[case.dataset]
    first = next(iter(models))
    frame = _frame(case)
    x = str(rng.choice(models[first]))
    label = str(rng.choice(list(UNIT_CHANGES)))
    factor = UNIT_CHANGES[label]
    frame[x] = (
        (frame[x] - frame[x].mean()) / frame[x].std()
        if factor is None
        else frame[x] * factor
    )
    other = table_set(frame, dependent, {first: models[first]}, case.style)
    truth = {dependent: "raw"} | {t: "raw" for t in models[first]} | {x: label}
    return _replace_column(ts, first, other, first), f"{first}: {x} {label}", truth


def _search(tables: Tables, model: str) -> dict:
    """Per variant, the search's answer for ``model``."""
    out = {}
    for name, kwargs in VARIANTS.items():
        with np.errstate(all="ignore"):
            [out[name]] = unit_assignments(tables, models=[model], **kwargs)
    return out


def measure(n_sets: int = 70, seed: int = 20261206, progress=None) -> dict:
    """Search for units in ``n_sets`` generated table sets and their null and unit-change variants.

    Returns a JSON-ready dict with, per variant and per kind of case (``correct``, each planted
    kind of :data:`NULL_KINDS`, ``other model``, ``unit change``), the count of each outcome of
    :data:`OUTCOMES`, the false matches (explained in units other than raw) among the cases the
    raw units do not already explain, with examples, and for the unit changes how often the true
    units are recovered.
    """
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    pool = [c for c in cases(4 * n_sets, seed) if c.dataset not in SKIP_DATASETS]
    chosen = pool[:n_sets]
    kinds = ["correct", *NULL_KINDS, "other model", "unit change"]
    counts = {v: {k: dict.fromkeys(OUTCOMES, 0) for k in kinds} for v in VARIANTS}
    recovered = dict.fromkeys(VARIANTS, 0)
    reported_nonraw = {v: dict.fromkeys(kinds, 0) for v in VARIANTS}
    near = {v: dict.fromkeys(kinds, 0) for v in VARIANTS}
    labels_in_false = {v: {} for v in VARIANTS}
    examples: dict = {v: [] for v in VARIANTS}
    failures = []
    n_unit = 0

    def record(kind, where, case, answers, truth=None):
        for name, u in answers.items():
            identity = VARIANTS[name]["identity"]
            outcome = _outcome(u, identity)
            counts[name][kind][outcome] += 1
            assignment = u["assignment"] or {}
            if any(x != "raw" for x in assignment.values()):
                reported_nonraw[name][kind] += 1
            near[name][kind] += _near(u, identity)
            if truth is not None:
                if assignment == truth and outcome in ("units", "as printed"):
                    recovered[name] += 1
                continue
            if kind != "correct" and outcome in ("units", "units and a lost sign"):
                for x in assignment.values():
                    if x != "raw":
                        labels_in_false[name][x] = labels_in_false[name].get(x, 0) + 1
                if len(examples[name]) < 8:
                    examples[name].append(
                        {
                            "set": case.label,
                            "case": kind,
                            "where": where,
                            "units": assignment,
                            "explained_by": outcome,
                        }
                    )

    for number, case in enumerate(chosen):
        try:
            ts = case.tables()
            first = next(iter(DATASETS[case.dataset][1]))
            correct = _tables(ts)
            with np.errstate(all="ignore"):
                for name, kwargs in VARIANTS.items():
                    for u in unit_assignments(correct, **kwargs):
                        record("correct", u["model"], case, {name: u})
            for kind in NULL_KINDS:
                planted, p = plant(ts, kind, rng)
                if not p.visible or not _only_table4(ts, planted):
                    continue
                model = p.where.split()[0]
                record(kind, p.where, case, _search(_tables(planted), model))
            other = _other_model(case, ts, rng)
            if other is not None:
                record("other model", other[1], case, _search(_tables(other[0]), first))
            changed, where, truth = _unit_change(case, ts, rng)
            record("unit change", where, case, _search(_tables(changed), first), truth)
            n_unit += 1
        except Exception as error:  # noqa: BLE001  (counted, never hidden)
            failures.append({"set": case.label, "error": f"{type(error).__name__}: {error}"})
        if progress:
            progress(number + 1, len(chosen))

    def rates(name):
        out = {}
        for kind in kinds:
            c = counts[name][kind]
            at_stake = sum(c.values()) - c["as printed"] - c["no assignment"]
            false = c["units"] + c["units and a lost sign"]
            out[kind] = {
                **c,
                "cases": sum(c.values()),
                "not explained as printed": at_stake,
                "false matches": false if kind not in ("correct", "unit change") else None,
                "false-match rate": (
                    false / at_stake
                    if at_stake and kind not in ("correct", "unit change")
                    else None
                ),
                "reported units not raw": reported_nonraw[name][kind],
                "as good as M3": near[name][kind],
            }
        return out

    variants = {}
    for name, options in VARIANTS.items():
        per_kind = rates(name)
        null = [k for k in kinds if k not in ("correct", "unit change")]
        at_stake = sum(per_kind[k]["not explained as printed"] for k in null)
        false = sum(per_kind[k]["false matches"] for k in null)
        variants[name] = {
            "options": options,
            "per_case": per_kind,
            "null cases at stake": at_stake,
            "null false matches": false,
            "null false-match rate": false / at_stake if at_stake else None,
            "null as good as M3": sum(per_kind[k]["as good as M3"] for k in null),
            "null cases": sum(per_kind[k]["cases"] for k in null),
            "null false matches by unit": dict(sorted(labels_in_false[name].items())),
            "unit changes recovered": recovered[name],
            "unit changes": n_unit,
            "examples": examples[name],
        }
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seed": seed,
        "sets": len(chosen),
        "datasets": sorted({c.dataset for c in chosen}),
        "skipped datasets": list(SKIP_DATASETS),
        "null kinds": list(NULL_KINDS),
        "unit changes planted": list(UNIT_CHANGES),
        "default": DEFAULT,
        "variants": variants,
        "failures": failures,
        "seconds": round(time.perf_counter() - start, 1),
    }


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m tableaudit.falsematch", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sets", type=int, default=70, help="table sets (default 70)")
    parser.add_argument("--seed", type=int, default=20261206, help="random seed")
    parser.add_argument("--out", default=None, help="write the measurement as JSON here")
    args = parser.parse_args(argv)
    if args.sets < 1:
        parser.error(f"--sets must be a positive number; got {args.sets}")
    result = measure(
        args.sets,
        args.seed,
        progress=lambda i, n: print(f"\r{i}/{n} table sets", end="", flush=True),
    )
    print()
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    for name, v in result["variants"].items():
        rate = v["null false-match rate"]
        print(
            f"{name:28s} false matches {v['null false matches']:4d} of "
            f"{v['null cases at stake']:4d} ({rate:.1%}); as good as M3 "
            f"{v['null as good as M3']} of {v['null cases']}; unit changes recovered "
            f"{v['unit changes recovered']} of {v['unit changes']}"
        )
    print(f"failures: {len(result['failures'])}; {result['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
