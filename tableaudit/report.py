"""Run every check on a table set (:func:`run`), count the verdicts (:func:`summary`), and write
the report a person reads (:func:`text_report`).

The text report goes model by model: the verdict counts, the explanation found (the units that
reproduce the printed numbers, a sign that looks lost, two numbers that look swapped, and which
printed numbers no explanation covers), and every check that fails or cannot be decided, in a
sentence with the printed value, what the other tables imply and the reason. The JSON output
(``python -m tableaudit --json``) keeps everything: the checks, the scale-free checks, the units
and the swaps.
"""

from __future__ import annotations

import re
from dataclasses import asdict, replace
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import ranges as _ranges
from .checks import (
    _check_against_moments,
    _check_claims,
    _check_correlation_stars,
    _check_fit,
    _check_intercept_identity,
    _check_stars,
    _check_table2_internal,
)
from .official import check_official
from .parentheses import check_parenthesized
from .published import INTERCEPT, Tables, read_tables
from .scalefree import UNITS_QUESTION, _check_scale_free, scale_free
from .units import unit_assignments
from .verdicts import CONSISTENT, INCONSISTENT, UNDECIDABLE, Check, _fmt_range, _overlaps, _range_of

#: A study's own claim checks: claim id -> function (tables, ranges) -> list of checks.
ClaimChecks = dict[str, Callable[[Tables, pd.DataFrame], list[Check]]]


def run(
    directory: Path | str | Tables,
    official: pd.DataFrame | None = None,
    approximate: tuple[str, ...] = (),
    claim_checks: ClaimChecks | None = None,
) -> pd.DataFrame:
    """Run every check on a published-tables directory; returns one row per check.

    With ``official`` (see :func:`check_official`) Table 2 and Table 3 are also compared with
    official series. ``claim_checks`` adds a study's own claims of ``text_claims.csv`` (claim id ->
    function of the tables and the ranges returning checks), run in the file's order beside the
    claims every paper may make (``vif_max``, ``vif_mean``, ``all_models_significant``).
    ``result.attrs`` carries the structured scale-free checks (``scale_free``, see
    :func:`scale_free`), the unit assignment per model (``units``, see :func:`unit_assignments`)
    and the pairs of printed numbers that look swapped (``swaps``, see :func:`swaps`), which
    ``python -m tableaudit --json`` prints beside the checks.
    """
    tb = directory if isinstance(directory, Tables) else read_tables(directory)
    ranges = _ranges._all_ranges(tb)
    units = unit_assignments(tb)
    checks = (
        _check_table2_internal(tb)
        + _check_correlation_stars(tb)
        + _check_fit(tb)
        + _check_against_moments(tb, ranges)
        + check_parenthesized(tb, ranges)
        + _check_intercept_identity(tb, units)
        + _check_scale_free(tb)
        + _check_stars(tb)
        + _check_claims(tb, ranges, claim_checks)
    )
    if official is not None:
        checks += check_official(tb, official, approximate)
    found = swaps(tb, ranges)
    checks = _name_swaps(checks, found)
    result = pd.DataFrame([asdict(c) for c in checks])
    result.attrs["scale_free"] = _json_safe(scale_free(tb).to_dict(orient="records"))
    result.attrs["units"] = _json_safe(units)
    result.attrs["swaps"] = _json_safe(found)
    return result


def _json_safe(obj):
    """NaN and infinities become None so that the JSON output is standard JSON."""
    if isinstance(obj, dict):
        return {k: _json_safe(x) for k, x in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json_safe(x) for x in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if np.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def summary(result: pd.DataFrame) -> dict:
    """Verdict counts, overall and by category."""
    return {
        "total": len(result),
        "verdicts": {k: int(v) for k, v in result.verdict.value_counts().items()},
        "by_category": {
            c: {k: int(v) for k, v in g.verdict.value_counts().items()}
            for c, g in result.groupby("category")
        },
    }


# ---------------------------------------------------------------------------------------------
# Swaps: two printed numbers of one model that each fit the other's place and not their own
# ---------------------------------------------------------------------------------------------

_SWAPPABLE = {"coef": "coefficient", "se": "standard error"}


def swaps(tb: Tables, ranges: pd.DataFrame) -> list[dict]:
    """Pairs of printed coefficients (or standard errors) of one model that look exchanged.

    A pair of terms ``a``, ``b`` is a swap when neither printed number lies in its own implied
    range and each lies in the other's: the table then holds the right numbers in the wrong rows.
    Returns one dict per swap: ``model``, ``quantity`` (``coef`` or ``se``), ``terms`` (a, b),
    ``printed`` (as printed) and ``implied`` ([low, high] of a and of b).
    """
    out = []
    for model, terms in tb.coefs.items():
        names = [t for t in terms if t != INTERCEPT]
        for quantity in _SWAPPABLE:
            slot = 0 if quantity == "coef" else 1
            rng = {t: _range_of(ranges, model, t, quantity)[:2] for t in names}
            printed = {t: terms[t][slot] for t in names}
            usable = [t for t in names if printed[t] is not None and np.all(np.isfinite(rng[t]))]
            taken: set[str] = set()
            for i, a in enumerate(usable):
                for b in usable[i + 1:]:
                    if a in taken or b in taken:
                        continue
                    pa, pb = printed[a], printed[b]
                    if (not _overlaps(pa, *rng[a]) and not _overlaps(pb, *rng[b])
                            and _overlaps(pa, *rng[b]) and _overlaps(pb, *rng[a])):
                        taken |= {a, b}
                        out.append({"model": model, "quantity": quantity, "terms": [a, b],
                                    "printed": [pa.text, pb.text],
                                    "implied": [list(map(float, rng[a])), list(map(float, rng[b]))]})
    return out


def _name_swaps(checks: list[Check], found: list[dict]) -> list[Check]:
    """The checks of swapped numbers say so in their explanation (their verdicts stay)."""
    notes: dict[str, str] = {}
    for s in found:
        what = _SWAPPABLE[s["quantity"]]
        a, b = s["terms"]
        model = s["model"]
        for me, other in ((a, b), (b, a)):
            notes[f"{model}: {what} of {me}"] = (
                f"; swapped with the {what} of {other}? each of the two printed values lies in the "
                f"other's implied range and neither in its own")
            note = f"; the {what}s of {a} and {b} look swapped"
            notes.setdefault(f"{model}: t of {me} (scale-free)", note)
            notes.setdefault(f"{model}: stars of {me}", note)
    return [replace(c, explanation=c.explanation + notes[c.claim]) if c.claim in notes and c.verdict != CONSISTENT
            else c for c in checks]


# ---------------------------------------------------------------------------------------------
# The report a person reads
# ---------------------------------------------------------------------------------------------


def _counts(frame: pd.DataFrame) -> str:
    counts = frame.verdict.value_counts()
    order = [v for v in (CONSISTENT, INCONSISTENT, UNDECIDABLE) if v in counts] + [
        v for v in counts.index if v not in (CONSISTENT, INCONSISTENT, UNDECIDABLE)]
    n = len(frame)
    return f"{n} check{'s' if n != 1 else ''}: " + ", ".join(f"{int(counts[v])} {v}" for v in order)


def _model_of(claim: str, models: list[str]) -> str | None:
    for m in sorted(models, key=len, reverse=True):
        if claim.startswith(f"{m}: "):
            return m
    return None


def _term_of(rest: str, terms: list[str]) -> str | None:
    for t in sorted(terms, key=len, reverse=True):
        if rest.endswith(f" of {t}") or rest.startswith(f"t of {t} ") or rest == f"t of {t}":
            return t
    return None


def _sentence(check: pd.Series, rest: str, t_info: str = "") -> str:
    """One check in a sentence: what, printed, what the rest of the tables imply, why."""
    printed = check.printed
    recomputed = check.recomputed
    why = check.explanation.strip()
    if why.startswith("at the printed moments "):
        why = "the printed moments give " + why[len("at the printed moments "):]
    # a symbol (t, r(a, b)) keeps its case; a word starts the sentence with a capital
    what = rest if re.match(r"^[a-z](\W|$)", rest) else rest[:1].upper() + rest[1:]
    if check.category == "tables 2-3":
        text = f"{what}: printed {printed}; Tables 2-3 imply {recomputed}"
    elif check.category == "scale-free":
        what = what.replace(" (scale-free)", " (coefficient over standard error, which no change of units alters)")
        text = f"{what}: the printed numbers give {printed}; Tables 2-3 imply {recomputed}"
    elif check.category == "stars":
        text = f"{what}: printed {printed}; {recomputed}"
    else:
        text = f"{what}: printed {printed}" + ("" if recomputed in ("—", "") else f"; recomputed {recomputed}")
    return text + t_info + (f". Why: {why}." if why else ".")


def _t_info(sf: pd.DataFrame, model: str, term: str | None, category: str, rest: str) -> str:
    """', t printed ... implied ...' for the coefficient and SE checks of a slope."""
    if term is None or category != "tables 2-3" or sf.empty or term == INTERCEPT:
        return ""
    rows = sf[(sf.model == model) & (sf.term == term)]
    if rows.empty:
        return ""
    r = rows.iloc[0]
    if not _finite(r.t_implied_low) or not _finite(r.t_implied_high):
        return ""
    implied = _fmt_range(r.t_implied_low, r.t_implied_high, 2)
    if not _finite(r.t_printed_low) or not _finite(r.t_printed_high):
        return f" (t implied {implied})"
    return f" (t printed {_fmt_range(r.t_printed_low, r.t_printed_high, 2)}, implied {implied})"


def _finite(x) -> bool:
    return x is not None and isinstance(x, (int, float, np.floating)) and bool(np.isfinite(x))


def _is_false(x) -> bool:
    """A check's agreement that is known and false (not None or NaN)."""
    return isinstance(x, (bool, np.bool_)) and not x


def _assignment_text(assignment: dict) -> str:
    changed = [f"{v} {label}" for v, label in assignment.items() if label != "raw"]
    return ", ".join(changed)


def _explanation(model: str, tb: Tables, units: dict | None, sf: pd.DataFrame, found: list[dict]) -> list[str]:
    """What explains the printed numbers of a model: units, a lost sign, swaps, and what is left."""
    lines = []
    rows = sf[sf.model == model] if not sf.empty else sf
    lost = []
    for r in rows.itertuples():
        if _is_false(r.t_agrees) and r.sign_printed and r.sign_implied and r.sign_printed != r.sign_implied:
            # does the printed t with its sign flipped fall in the implied range?
            if -r.t_printed_high <= r.t_implied_high and r.t_implied_low <= -r.t_printed_low:
                lost.append(r.term)
    swapped = [s for s in found if s["model"] == model]
    for s in swapped:
        what = _SWAPPABLE[s["quantity"]]
        a, b = s["terms"]
        lines.append(f"The {what}s of {a} and {b} look swapped: {a} is printed {s['printed'][0]} where Tables 2-3 "
                     f"imply {_fmt_range(*s['implied'][0])}, {b} {s['printed'][1]} where they imply "
                     f"{_fmt_range(*s['implied'][1])}.")
    for term in lost:
        r = rows[rows.term == term].iloc[0]
        lines.append(f"The sign of {term} looks lost: its printed t {_fmt_range(r.t_printed_low, r.t_printed_high, 2)} "
                     f"lies in the implied {_fmt_range(r.t_implied_low, r.t_implied_high, 2)} once its sign is flipped.")
    units_q = [r.term for r in rows.itertuples() if r.kind == UNITS_QUESTION]
    explained = set(lost) | {t for s in swapped for t in s["terms"]}
    if units is None:
        return lines
    if units.get("assignment") is None:
        lines.append(f"No units were searched: {units.get('note', 'the ranges are unknown')}.")
        return lines
    numbers = [n for n in units.get("numbers", []) if n.get("printed") is not None]
    if not numbers:
        return lines
    scaled = _assignment_text(units["assignment"])
    left = [n for n in numbers if not n.get("within")]
    uncovered = [n for n in left if n["term"] not in explained]
    kinds = " and ".join(_QUANTITY[q] for q in _QUANTITY if any(n["quantity"] == q for n in numbers))
    if not left:
        if scaled:
            lines.append(f"Every printed {kinds} is reproduced in these units: {scaled} "
                         "(the other variables as in Table 2). The search tries powers of ten and z-scores for "
                         "every variable, so a match is a lead to ask the authors about, not a proof.")
        else:
            lines.append(f"Every printed {kinds} is reproduced as printed, in the units of Table 2.")
    else:
        where = f"in the units {scaled}" if scaled else "as printed, in the units of Table 2"
        lines.append(f"The best units found reproduce {units['reproduced']} of {units['total']} printed numbers "
                     f"{where}.")
    if units_q and not scaled:
        lines.append("t agrees where the coefficient or standard error does not for "
                     + ", ".join(units_q) + ": a question of units that the search did not settle.")
    if uncovered:
        parts = [f"{_QUANTITY.get(n['quantity'], n['quantity'])} of {_term_name(n['term'])} (printed {n['printed']}, "
                 f"{_fmt_range(n['low'], n['high'])} in those units)" for n in uncovered]
        lines.append("No explanation covers: " + "; ".join(parts) + ".")
    elif left:
        lines.append("Every other printed number is reproduced.")
    return lines


_QUANTITY = {"coef": "coefficient", "se": "standard error"}


def _term_name(term: str) -> str:
    return "the intercept" if term == INTERCEPT else term


def text_report(result: pd.DataFrame, tables: Tables, where: str = "", every_check: bool = False) -> str:
    """The audit of a table set as a person reads it: per model the verdict counts, the explanation
    found and every check that fails or cannot be decided, in sentences with their reasons.

    ``result`` is :func:`run`'s (its ``attrs`` carry the scale-free checks, units and swaps);
    ``every_check`` lists the consistent checks too, each with its reason.
    """
    models = list(tables.coefs)
    sf = pd.DataFrame(result.attrs.get("scale_free", []))
    units = {u["model"]: u for u in result.attrs.get("units", [])}
    found = result.attrs.get("swaps", [])
    out = []
    title = f"Audit of {where}" if where else "Audit"
    out.append(f"{title}: {_counts(result)}.")
    out.append(_wrap(f"Table format: {tables.conventions.describe()}; n = {tables.n}, dependent variable "
                     f"{tables.dependent}.", "", "  "))
    model_of = result.claim.map(lambda c: _model_of(c, models))
    other = result[model_of.isna()]
    tables23 = other.category.isin(["table 2", "table 3"])
    groups: list[tuple[str, pd.DataFrame, str | None]] = []
    if tables23.any():
        groups.append(("Tables 2 and 3 (descriptive statistics and correlations)", other[tables23], None))
    for m in models:
        k = len(tables.regressors(m))
        groups.append((f"Model {m} ({k} regressor{'s' if k != 1 else ''}, {tables.n - k - 1} residual df)",
                       result[model_of == m], m))
    titles = {"text": "Claims of the text", "official": "Tables 2 and 3 against official series"}
    for category in dict.fromkeys(other.category[~tables23]):
        groups.append((titles.get(category, category), other[other.category == category], None))
    for heading, frame, model in groups:
        out.append("")
        out.append(f"{heading}: {_counts(frame)}.")
        if model is not None:
            for line in _explanation(model, tables, units.get(model), sf, found):
                out.append(_wrap(line, "  "))
        terms = tables.variables + [INTERCEPT]
        for verdict, label in ((INCONSISTENT, "Inconsistent"), (UNDECIDABLE, "Undecidable"),
                               (CONSISTENT, "Consistent")):
            part = frame[frame.verdict == verdict]
            if part.empty or (verdict == CONSISTENT and not every_check):
                continue
            out.append(f"  {label}:")
            for _, check in part.iterrows():
                rest = check.claim[len(model) + 2:] if model is not None else check.claim
                term = _term_of(rest, terms) if model is not None else None
                info = _t_info(sf, model, term, check.category, rest) if model is not None else ""
                out.append(_wrap(_sentence(check, rest, info), "    - ", "      "))
    return "\n".join(out)


def _wrap(text: str, first: str, rest: str | None = None, width: int = 88) -> str:
    import textwrap

    return textwrap.fill(text, width=width, initial_indent=first, subsequent_indent=rest if rest is not None else first,
                         break_long_words=False, break_on_hyphens=False)
