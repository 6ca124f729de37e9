"""A corpus of malformed (and of journal-style but valid) published table sets, and a runner.

Every case starts from a copy of the good ``data/`` folder and changes its ``published/`` tables in
one way. Each case says where the problem is (file, row = line of the file with the header as line
1, column), as one or more acceptable locations; ``None`` means "not applicable" (a whole file or a
folder). :func:`run_case` runs both command-line entry points as subprocesses,

* ``python -m westgov audit DATA/published``
* ``python -m westgov check-data DATA``

and records the exit code, whether a Python traceback was printed, and whether the output names
one of the expected locations. The checksums of each copy are updated after the change, so the
change itself must be caught, not only the checksum.

Run as a script to count tracebacks of any checkout (used to measure before and after)::

    python tests/tableaudit/malformed_corpus.py --python .venv/bin/python --cwd /path/to/checkout
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA_DIR = ROOT / "data"

T2 = "table2_descriptives.csv"
T3 = "table3_correlations.csv"
TC = "table4_coefficients.csv"
TF = "table4_fit.csv"
CL = "text_claims.csv"
FOLDER = "<folder>"  # stands for the path of the folder itself
#: Exit statuses: a valid variant of the paper's tables is audited (1: the paper's tables have
#: inconsistent checks) and passes check-data (0); a malformed one is refused.
ACCEPTED = {"audit": (0, 1), "check-data": (0,)}
REFUSED = {"audit": 2, "check-data": 1}


@dataclass
class Case:
    name: str
    change: Callable[[Path], None]  # edits the published folder of a data copy
    where: list[tuple[str, int | None, str | None]] = field(default_factory=list)  # any one of these
    valid: bool = False  # journal conventions: both commands must accept the set (exit 0)
    target: str = "published"  # "published", or "missing" / "file" for the folder cases


# --- editing helpers ----------------------------------------------------------------------------


def _text(d: Path, name: str) -> str:
    return (d / name).read_text(encoding="utf-8")


def _write(d: Path, name: str, text: str | bytes) -> None:
    if isinstance(text, bytes):
        (d / name).write_bytes(text)
    else:
        (d / name).write_text(text, encoding="utf-8")


def sub(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        text = _text(d, name)
        assert old in text, f"{old!r} not in {name}"
        _write(d, name, text.replace(old, new, 1))

    return change


def subs(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        for c in changes:
            c(d)

    return change


def line_of(name: str, needle: str) -> int:
    text = (DATA_DIR / "published" / name).read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def n_lines(name: str) -> int:
    return len((DATA_DIR / "published" / name).read_text(encoding="utf-8").splitlines())


def delimiter(name: str, sep: str) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        _write(d, name, _text(d, name).replace(",", sep))

    return change


def encoded(name: str, old: str, new: str, encoding: str) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        _write(d, name, _text(d, name).replace(old, new, 1).encode(encoding))

    return change


def raw(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda d: _write(d, name, content)


def header_only(name: str) -> Callable[[Path], None]:
    return lambda d: _write(d, name, _text(d, name).splitlines()[0] + "\n")


def remove(name: str) -> Callable[[Path], None]:
    return lambda d: (d / name).unlink()


def append(name: str, line: str) -> Callable[[Path], None]:
    return lambda d: _write(d, name, _text(d, name) + line + "\n")


def fit_n(n: int) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        lines = _text(d, TF).splitlines()
        out = [lines[0]] + [",".join([p[0], str(n), *p[2:]]) for p in (line.split(",", 2) for line in lines[1:])]
        _write(d, TF, "\n".join(out) + "\n")

    return change


def folder_is_dir(name: str) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        (d / name).unlink()
        (d / name).mkdir()

    return change


def header_replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        lines = _text(d, name).splitlines()
        lines[0] = lines[0].replace(old, new)
        _write(d, name, "\n".join(lines) + "\n")

    return change


def drop_column(name: str, column: str) -> Callable[[Path], None]:
    def change(d: Path) -> None:
        import csv
        import io

        rows = list(csv.reader(io.StringIO(_text(d, name))))
        i = rows[0].index(column)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([r[:i] + r[i + 1 :] for r in rows])
        _write(d, name, buf.getvalue())

    return change


def crlf(d: Path) -> None:
    for name in (T2, T3, TC, TF):
        _write(d, name, _text(d, name).replace("\n", "\r\n").encode("utf-8"))


# --- the cases ----------------------------------------------------------------------------------

L_VAR3 = line_of(T2, "Var3,")
L_VAR7 = line_of(T2, "Var7,")
L_R53 = line_of(T3, "Var5,Var3,")
L_R87 = line_of(T3, "Var8,Var7,")
L_M1V3 = line_of(TC, "M1,Var3,")
L_M1V2 = line_of(TC, "M1,Var2,")
L_M4V5 = line_of(TC, "M4,Var5,")
L_FIT = {m: line_of(TF, f"{m},") for m in ("M1", "M2", "M3", "M4")}


def cases() -> list[Case]:
    c = [
        # Shape and encoding of a file.
        Case("semicolon delimiter", delimiter(T2, ";"), [(T2, 1, None)]),
        Case("tab delimiter", delimiter(TC, "\t"), [(TC, 1, None)]),
        Case("GBK bytes", encoded(TC, "printed with three decimals", "印刷为三位小数", "gbk"), [(TC, line_of(TC, "M2,_Cons"), "note")]),
        Case("Latin-1 bytes", encoded(TC, "printed with three decimals", "imprimé à trois décimales", "latin-1"), [(TC, line_of(TC, "M2,_Cons"), "note")]),
        Case("byte-order mark", lambda d: _write(d, T3, b"\xef\xbb\xbf" + _text(d, T3).encode("utf-8")), [(T3, 1, None)]),
        Case("header-only fit table", header_only(TF), [(TF, None, None)]),
        Case("empty correlation file", raw(T3, b""), [(T3, None, None)]),
        Case("blank-lines-only descriptives file", raw(T2, b"\n\n  \n"), [(T2, None, None)]),
        Case("empty coefficient file", raw(TC, b""), [(TC, None, None)]),
        Case("missing descriptives file", remove(T2), [(T2, None, None)]),
        Case("missing fit file", remove(TF), [(TF, None, None)]),
        Case("a folder where the fit file should be", folder_is_dir(TF), [(TF, None, None)]),
        Case("folder does not exist", lambda d: None, [(FOLDER, None, None)], target="missing"),
        Case("folder is a file", lambda d: None, [(FOLDER, None, None)], target="file"),
        Case("ragged row, extra field", sub(T2, "Var1,51.34,10.24,39.60,68.60", "Var1,51.34,10.24,39.60,68.60,99"), [(T2, 2, None)]),
        Case("ragged row, missing field", sub(T3, "Var8,Var7,0.956,***", "Var8,Var7,0.956"), [(T3, L_R87, None)]),
        Case("missing column", drop_column(TC, "se"), [(TC, 1, "se")]),
        Case("unexpected column", header_replace(TF, "note", "note,comment"), [(TF, 1, "comment"), (TF, None, None)]),
        Case("renamed column", header_replace(T3, ",r,", ",corr,"), [(T3, 1, "r")]),
        Case("duplicate column names", header_replace(T2, "min,max", "min,min"), [(T2, 1, None), (T2, 1, "max")]),
        # Numbers that are not numbers, or not possible.
        Case("non-numeric coefficient", sub(TC, "M1,Var3,0.8416", "M1,Var3,abc"), [(TC, L_M1V3, "coef")]),
        Case("thousands separator", sub(T2, "3192.33,2253.00", '"3,192.33",2253.00'), [(T2, L_VAR7, "mean")]),
        Case("parentheses around a coefficient", sub(TC, "M1,Var3,0.8416", "M1,Var3,(0.8416)"), [(TC, L_M1V3, "coef")]),
        Case("NaN correlation", sub(T3, "Var5,Var3,0.988", "Var5,Var3,nan"), [(T3, L_R53, "r")]),
        Case("NaN written NA", sub(T2, "Var3,20.37", "Var3,NA"), [(T2, L_VAR3, "mean")]),
        Case("infinite SD", sub(T2, "Var3,20.37,7.63", "Var3,20.37,inf"), [(T2, L_VAR3, "sd")]),
        Case("SD of 1e400", sub(T2, "Var3,20.37,7.63", "Var3,20.37,1e400"), [(T2, L_VAR3, "sd")]),
        Case("correlation 1.5", sub(T3, "Var5,Var3,0.988", "Var5,Var3,1.5"), [(T3, L_R53, "r")]),
        Case("correlation -1.2", sub(T3, "Var5,Var3,0.988", "Var5,Var3,-1.2"), [(T3, L_R53, "r")]),
        Case("diagonal correlation not 1", sub(T3, "Var2,Var2,1,", "Var2,Var2,0.9,"), [(T3, line_of(T3, "Var2,Var2"), "r")]),
        Case("negative SD", sub(T2, "Var3,20.37,7.63", "Var3,20.37,-7.63"), [(T2, L_VAR3, "sd")]),
        Case("zero SD", sub(T2, "Var3,20.37,7.63", "Var3,20.37,0.00"), [(T2, L_VAR3, "sd")]),
        Case("negative SE", sub(TC, "M1,Var3,0.8416,0.1783", "M1,Var3,0.8416,-0.1783"), [(TC, L_M1V3, "se")]),
        Case("blank coefficient", sub(TC, "M1,Var3,0.8416", "M1,Var3,"), [(TC, L_M1V3, "coef")]),
        Case("blank mean", sub(T2, "Var3,20.37", "Var3,"), [(T2, L_VAR3, "mean")]),
        Case("blank correlation", sub(T3, "Var5,Var3,0.988", "Var5,Var3,"), [(T3, L_R53, "r")]),
        Case("R-squared 1.2", sub(TF, "M1,12,11.30,0.7151", "M1,12,11.30,1.7151"), [(TF, L_FIT["M1"], "r2")]),
        Case("p-value 1.5", sub(TF, "0.0035", "1.5"), [(TF, L_FIT["M1"], "p_value")]),
        Case("negative F", sub(TF, "M1,12,11.30", "M1,12,-11.30"), [(TF, L_FIT["M1"], "f")]),
        Case("four stars", sub(T3, "Var5,Var3,0.988,***", "Var5,Var3,0.988,****"), [(T3, L_R53, "stars")]),
        Case("glued stars disagree with the stars column", sub(TC, "M1,Var3,0.8416,0.1783,***", "M1,Var3,0.8416**,0.1783,***"), [(TC, L_M1V3, "coef")]),
        Case("a bound on a coefficient", sub(TC, "M1,Var3,0.8416", "M1,Var3,<0.001"), [(TC, L_M1V3, "coef")]),
        # Sample sizes.
        Case("n = 0", sub(TF, "M1,12,", "M1,0,"), [(TF, L_FIT["M1"], "n")]),
        Case("n not a whole number", sub(TF, "M2,12,", "M2,12.5,"), [(TF, L_FIT["M2"], "n")]),
        Case("blank n", sub(TF, "M2,12,", "M2,,"), [(TF, L_FIT["M2"], "n")]),
        Case("different n per model", sub(TF, "M2,12,", "M2,11,"), [(TF, L_FIT["M2"], "n")]),
        Case("n = k + 1", fit_n(8), [(TF, L_FIT["M4"], "n")]),
        Case("n < k + 1", fit_n(5), [(TF, L_FIT["M3"], "n"), (TF, L_FIT["M4"], "n")]),
        # Rows that repeat, conflict, or are missing.
        Case("conflicting duplicate coefficient rows", append(TC, "M1,Var3,0.9,0.1,,"), [(TC, n_lines(TC) + 1, "term"), (TC, n_lines(TC) + 1, "model")]),
        Case("conflicting duplicate descriptives rows", append(T2, "Var3,21.00,7.00,11.40,36.89"), [(T2, n_lines(T2) + 1, "variable")]),
        Case("mirrored correlation pair", append(T3, "Var1,Var3,0.5,"), [(T3, n_lines(T3) + 1, "row"), (T3, n_lines(T3) + 1, "col")]),
        Case("exact duplicate fit row", append(TF, "M1,12,11.30,0.7151,0.0035,"), [(TF, n_lines(TF) + 1, "model")]),
        Case("missing correlation pair", sub(T3, "Var8,Var7,0.956,***\n", ""), [(T3, None, "r")]),
        Case("model without a fit row", sub(TF, "M4,12,4.08,0.8773,0.0960,p-value from the text of section 4.2\n", ""), [(TF, None, "model")]),
        Case("model with only an intercept", subs(sub(TC, "M1,Var2,-2.0715,8.2098,,\n", ""), sub(TC, "M1,Var3,0.8416,0.1783,***,\n", "")),
             [(TC, line_of(TC, "M1,_Cons") - 2, "term")]),
        Case("unknown variable in the correlations", sub(T3, "Var8,Var7,0.956", "Var9,Var7,0.956"), [(T3, L_R87, "row")]),
        Case("unknown regressor", sub(TC, "M4,Var5,8.6327", "M4,Var9,8.6327"), [(TC, L_M4V5, "term")]),
        Case("dependent variable used as a regressor", sub(TC, "M1,Var2,", "M1,Var1,"), [(TC, L_M1V2, "term"), (T2, None, "variable")]),
        Case("HTML markup in a variable name", subs(sub(T2, "Var2,0.5143", "<b>Var2</b>,0.5143")), [(T2, line_of(T2, "Var2,"), "variable")]),
        Case("claim needing p-values that are not printed", sub(TF, "0.0035", ""), [(CL, line_of(CL, "all_models_significant"), "claim_id")]),
        Case("non-numeric claim value", sub(CL, "4.320", "four"), [(CL, line_of(CL, "vif_mean"), "value")]),
    ]
    valid = [
        Case("SE in parentheses", sub(TC, "M1,Var2,-2.0715,8.2098", "M1,Var2,-2.0715,(8.2098)"), valid=True),
        Case("SE in brackets", sub(TC, "M1,Var2,-2.0715,8.2098", "M1,Var2,-2.0715,[8.2098]"), valid=True),
        Case("p-value <0.001", sub(TF, "0.0035", "<0.001"), valid=True),
        Case("p-value 0.000", sub(TF, "0.0035", "0.000"), valid=True),
        Case("stars glued to the coefficient", sub(TC, "M1,Var3,0.8416,0.1783,***", "M1,Var3,0.8416***,0.1783,"), valid=True),
        Case("blank SE (not printed)", sub(TC, "M1,Var2,-2.0715,8.2098", "M1,Var2,-2.0715,"), valid=True),
        Case("typographic minus", sub(TC, "M1,Var2,-2.0715", "M1,Var2,\u22122.0715"), valid=True),
        Case("Windows line endings", crlf, valid=True),
    ]
    return c + valid


# --- running one case ---------------------------------------------------------------------------


def build(case: Case, workdir: Path) -> tuple[Path, Path]:
    """Write the case's data folder; return (folder for check-data, folder for audit)."""
    sys.path.insert(0, str(ROOT))
    from westgov import checksums

    data = workdir / "data"
    if case.target == "missing":
        return workdir / "no_such_data", workdir / "no_such_published"
    if case.target == "file":
        target = workdir / "a_file.csv"
        target.write_text("variable,mean,sd,min,max\n", encoding="utf-8")
        return target, target
    shutil.copytree(DATA_DIR, data)
    case.change(data / "published")
    checksums.update(data)
    return data, data / "published"


@dataclass
class Outcome:
    command: str
    returncode: int
    traceback: bool
    located: bool
    output: str


def located(output: str, where: list[tuple[str, int | None, str | None]], folder: Path) -> bool:
    """Does one line of the output name one of the expected (file, row, column)?"""
    for file, row, column in where:
        name = str(folder) if file == FOLDER else file
        for line in output.splitlines():
            if name not in line:
                continue
            if row is not None and f", row {row}," not in line and f", row {row}:" not in line:
                continue
            if column is not None and f"column '{column}'" not in line:
                continue
            return True
    return False


def run_case(case: Case, python: str, cwd: Path, workdir: Path) -> list[Outcome]:
    data, published = build(case, workdir)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("WESTGOV_ROOT", None)
    out = []
    for command, folder in (("audit", published), ("check-data", data)):
        run = subprocess.run([python, "-m", "westgov", command, str(folder)], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)
        text = run.stdout + run.stderr
        out.append(Outcome(command, run.returncode, "Traceback (most recent call last)" in text,
                           True if case.valid else located(text, case.where, folder), text))
    return out


def run_all(python: str, cwd: Path, jobs: int = 3) -> list[tuple[Case, list[Outcome]]]:
    """Run every case (``jobs`` at a time); returns each case with its two outcomes, in order."""
    from concurrent.futures import ThreadPoolExecutor

    def one(case: Case) -> tuple[Case, list[Outcome]]:
        with tempfile.TemporaryDirectory() as tmp:
            return case, run_case(case, python, cwd, Path(tmp))

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, cases()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--cwd", default=str(ROOT), help="checkout whose westgov package is run")
    parser.add_argument("--jobs", type=int, default=3)
    parser.add_argument("--json", default=None, help="write the outcomes to this file")
    args = parser.parse_args(argv)
    rows = []
    for case, outcomes in run_all(args.python, Path(args.cwd), args.jobs):
        for o in outcomes:
            ok = (o.returncode in ACCEPTED[o.command]) if case.valid else (o.returncode == REFUSED[o.command] and o.located)
            rows.append({"case": case.name, "valid": case.valid, "command": o.command, "returncode": o.returncode,
                         "traceback": o.traceback, "located": o.located, "ok": ok and not o.traceback,
                         "last_line": (o.output.strip().splitlines() or [""])[-1][:200]})
            mark = "TRACEBACK" if o.traceback else ("ok" if ok else "WRONG")
            print(f"{mark:9s} {o.command:10s} rc={o.returncode} {case.name}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    for command in ("audit", "check-data"):
        sel = [r for r in rows if r["command"] == command]
        bad = [r for r in sel if not r["valid"]]
        print(f"{command}: {sum(r['traceback'] for r in sel)} tracebacks in {len(sel)} cases "
              f"({sum(r['traceback'] for r in bad)} of {len(bad)} malformed); "
              f"malformed answered with exit != 0 and file/row/column: {sum(r['ok'] for r in bad)} of {len(bad)}; "
              f"valid sets accepted: {sum(r['ok'] for r in sel if r['valid'])} of {len(sel) - len(bad)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
