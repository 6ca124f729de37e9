"""The Chinese edition (``zh/``, issue 27): in step with the English by construction.

A Chinese page ``zh/chapters/X.md`` is the English ``chapters/X.md`` with its Markdown prose
translated; its code cells are the English ones. This module

* generates the Chinese source tree the build reads (:func:`write_tree`, into ``_build/zh-src``):
  every page of ``zh/_toc.yml``, each Chinese page with every code cell replaced by the English
  page's cell of the same ordinal (a different number of code cells is an error naming the file),
  and a page not translated yet as a copy of the English page marked as such;
* rewrites the code cells of the Chinese files from the English ones (``sync``);
* compares the structure of the two editions (:func:`parity_problems`: code cells, glue keys,
  figures and tables, exercises and solutions, headings and labels, the pages of both tables of
  contents), for ``tests/book/test_i18n_parity.py``;
* records, per section of each Chinese page, a SHA-256 of the English section it was translated
  from (``zh/translation-state.json``; ``stamp``), and lists the sections whose English changed
  since (``status``).

Command line::

    python -m westgov.book.i18n sync [X.md ...]      # code cells of zh/chapters from chapters/
    python -m westgov.book.i18n status               # sections changed since their translation
    python -m westgov.book.i18n stamp [--from REV] [X.md ...]   # record what was translated
    python -m westgov.book.i18n tree [OUTDIR]        # write the Chinese source tree
    python -m westgov.book.i18n check                # parity problems (exit 1 if any)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..paths import BUILD_DIR, ROOT

ZH = "zh"
#: The Chinese source tree that the build generates (see :func:`write_tree`).
TREE = BUILD_DIR / "zh-src"
STATE = "translation-state.json"
#: The English commit the first translations were made from (docs: /work/notes/zh-translation.md).
TRANSLATED_FROM = "a5e64c8"
#: Marker of a page that is a copy of the English one, not yet translated.
UNTRANSLATED = "westgov-untranslated"
UNTRANSLATED_NOTE = (
    f"\n<!-- {UNTRANSLATED} -->\n"
    ":::{admonition} 本页尚未翻译\n:class: warning\n"
    "本页的中文版尚未完成，以下为英文原文。\n:::\n"
)

_FENCE = re.compile(r"^(`{3,}|~{3,}|:{3,})(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_LABEL = re.compile(r"^\(([^()\s]+)\)=\s*$")
_GLUE_ROLE = re.compile(r"\{glue(?::(?:text|md|any|figure|math))?\}`([^`]+)`")
_DIRECTIVE = re.compile(r"^\{([\w:-]+)\}\s*(.*)$")
_OPTION = re.compile(r"^:(name|label):\s*(\S+)")
FIGURE_DIRECTIVES = {"figure", "glue:figure"}
TABLE_DIRECTIVES = {"table", "list-table", "csv-table"}
EXERCISE_DIRECTIVES = {"exercise", "solution", "exercise-start", "solution-start"}


class ParityError(ValueError):
    """The two editions differ in structure; the message names the file."""


@dataclass
class Block:
    """A fenced block: ``kind`` is ``code-cell``, a directive name or ``fence``; ``start`` and
    ``end`` are line indices (the closing fence included)."""

    kind: str
    start: int
    end: int
    argument: str
    options: dict


def blocks(lines: list[str]) -> list[Block]:
    """Every top-level fenced block (code cells, directives, plain fences) and the nested
    directives of colon/backtick fences, in order."""
    out: list[Block] = []
    _scan(lines, 0, len(lines), out)
    return out


def _scan(lines: list[str], lo: int, hi: int, out: list[Block]) -> None:
    i = lo
    while i < hi:
        match = _FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, rest = match.group(1), match.group(2).strip()
        j = i + 1
        while j < hi and not _closes(lines[j], fence):
            j += 1
        directive = _DIRECTIVE.match(rest)
        kind = directive.group(1) if directive else "fence"
        options = {}
        for k in range(i + 1, j):
            opt = _OPTION.match(lines[k])
            if opt:
                options[opt.group(1)] = opt.group(2)
            elif lines[k].startswith(":") and not lines[k].startswith(":::"):
                continue
            else:
                break
        out.append(Block(kind, i, min(j, hi - 1), directive.group(2) if directive else rest, options))
        if kind not in ("code-cell", "fence", "math") and kind != "code":
            _scan(lines, i + 1, j, out)
        i = j + 1


def _closes(line: str, fence: str) -> bool:
    """True when ``line`` closes a block opened with ``fence`` (same character, at least as many)."""
    bare = line.rstrip()
    return len(bare) >= len(fence) and bare == fence[0] * len(bare)


def code_cells(text: str) -> list[str]:
    """The code cells (fence to fence, options and code) of a MyST notebook, in order."""
    lines = text.splitlines(keepends=True)
    return ["".join(lines[b.start : b.end + 1]) for b in blocks(lines) if b.kind == "code-cell"]


def replace_code_cells(zh_text: str, en_text: str, name: str) -> str:
    """``zh_text`` with its code cells replaced by those of ``en_text`` (same ordinal)."""
    zh_lines = zh_text.splitlines(keepends=True)
    zh_cells = [b for b in blocks(zh_lines) if b.kind == "code-cell"]
    en_cells = code_cells(en_text)
    if len(zh_cells) != len(en_cells):
        raise ParityError(
            f"{name}: {len(zh_cells)} code cell(s) in the Chinese page, {len(en_cells)} in the English; "
            "add or remove the cell in the Chinese file where the English has it, then run "
            "`python -m westgov.book.i18n sync`"
        )
    out, last = [], 0
    for block, cell in zip(zh_cells, en_cells):
        out += zh_lines[last : block.start]
        out.append(cell)
        last = block.end + 1
    out += zh_lines[last:]
    return "".join(out)


def _front_matter_end(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                return i + 1
    return 0


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(index, line) of every line outside the front matter and outside code cells and plain
    fences (so ``# comment`` in code is no heading)."""
    lines = text.splitlines()
    hidden = set(range(_front_matter_end(lines)))
    for b in blocks(lines):
        if b.kind in ("code-cell", "fence", "code", "math"):
            hidden.update(range(b.start, b.end + 1))
    return [(i, line) for i, line in enumerate(lines) if i not in hidden]


def structure(text: str) -> dict:
    """What must agree between the editions of a page."""
    lines = text.splitlines()
    prose = prose_lines(text)
    bl = blocks(lines)
    headings = [len(m.group(1)) for _, line in prose if (m := _HEADING.match(line))]
    labels = [m.group(1) for _, line in prose if (m := _LABEL.match(line))]
    labels += [b.options[k] for b in bl for k in ("name", "label") if k in b.options]
    glue = sorted(m.group(1).split(":")[0] for _, line in prose for m in _GLUE_ROLE.finditer(line))
    glue += sorted(f"{b.kind} {b.argument.split()[0]}" for b in bl if b.kind.startswith("glue") and b.argument)
    return {
        "code cells": code_cells(text),
        "glue keys": sorted(glue),
        "headings (levels)": headings,
        "labels": sorted(labels),
        "figures": sum(b.kind in FIGURE_DIRECTIVES for b in bl),
        "tables": sum(b.kind in TABLE_DIRECTIVES for b in bl),
        "exercises and solutions": [b.kind for b in bl if b.kind in EXERCISE_DIRECTIVES],
    }


def compare(en_text: str, zh_text: str, name: str) -> list[str]:
    """Problems (one line each, naming ``name``) where the Chinese page's structure differs."""
    en, zh = structure(en_text), structure(zh_text)
    out = []
    for key in en:
        if en[key] != zh[key]:
            if key == "code cells":
                n_en, n_zh = len(en[key]), len(zh[key])
                diff = next((i for i, (a, b) in enumerate(zip(en[key], zh[key])) if a != b), min(n_en, n_zh))
                out.append(f"{name}: code cells differ (English {n_en}, Chinese {n_zh}; first difference at cell {diff + 1}); run `python -m westgov.book.i18n sync`")
            elif isinstance(en[key], list):
                missing = [x for x in en[key] if x not in zh[key]]
                extra = [x for x in zh[key] if x not in en[key]]
                detail = f"English {en[key]}, Chinese {zh[key]}" if not (missing or extra) else f"missing {missing}, extra {extra}"
                out.append(f"{name}: {key} differ: {detail}")
            else:
                out.append(f"{name}: {key} differ: English {en[key]}, Chinese {zh[key]}")
    return out


# --- tables of contents ----------------------------------------------------------------------


def toc_files(path: Path) -> list[str]:
    """Page files (``chapters/x``) of a Jupyter Book table of contents, in order."""
    import yaml

    toc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    out = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                out.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return out


def pages(root: Path = ROOT) -> list[str]:
    """Pages (``chapters/x``) of the English table of contents."""
    return toc_files(Path(root) / "_toc.yml")


def translated(root: Path = ROOT) -> list[str]:
    """Pages with a Chinese file under ``zh/``."""
    return [p for p in pages(root) if (Path(root) / ZH / f"{p}.md").exists()]


def untranslated(root: Path = ROOT) -> list[str]:
    return [p for p in pages(root) if not (Path(root) / ZH / f"{p}.md").exists()]


def parity_problems(root: Path = ROOT) -> list[str]:
    """Every structural difference between the editions (an empty list when in step)."""
    root = Path(root)
    out = []
    en_pages, zh_pages = toc_files(root / "_toc.yml"), toc_files(root / ZH / "_toc.yml")
    if en_pages != zh_pages:
        out.append(
            f"zh/_toc.yml: pages differ from _toc.yml: only English {sorted(set(en_pages) - set(zh_pages))}, "
            f"only Chinese {sorted(set(zh_pages) - set(en_pages))}"
            + ("" if set(en_pages) != set(zh_pages) else " (order differs)")
        )
    stray = sorted(
        p.relative_to(root / ZH).with_suffix("").as_posix()
        for p in (root / ZH / "chapters").glob("*.md")
        if p.relative_to(root / ZH).with_suffix("").as_posix() not in en_pages
    )
    out += [f"zh/{p}.md: a Chinese page with no English page in _toc.yml" for p in stray]
    for page in translated(root):
        en_text = (root / f"{page}.md").read_text(encoding="utf-8")
        zh_text = (root / ZH / f"{page}.md").read_text(encoding="utf-8")
        out += compare(en_text, zh_text, f"zh/{page}.md")
    return out


# --- the generated source tree ---------------------------------------------------------------


def page_source(page: str, root: Path = ROOT) -> str:
    """The Chinese source of ``page`` as the build reads it: translated prose, English code cells;
    the English page marked as untranslated when there is no translation."""
    root = Path(root)
    en_text = (root / f"{page}.md").read_text(encoding="utf-8")
    zh_path = root / ZH / f"{page}.md"
    if not zh_path.exists():
        lines = en_text.splitlines(keepends=True)
        title = next((i for i, line in prose_lines(en_text) if _HEADING.match(line)), _front_matter_end(lines) - 1)
        return "".join(lines[: title + 1]) + UNTRANSLATED_NOTE + "".join(lines[title + 1 :])
    return replace_code_cells(zh_path.read_text(encoding="utf-8"), en_text, f"zh/{page}.md")


def merged(base: dict, over: dict) -> dict:
    """``base`` with ``over`` merged in: nested dicts merged, anything else replaced."""
    out = dict(base)
    for key, value in over.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def config_text(root: Path = ROOT) -> str:
    """The Chinese edition's ``_config.yml``: the English one with ``zh/_config.yml`` merged in."""
    import yaml

    root = Path(root)
    base = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    over = yaml.safe_load((root / ZH / "_config.yml").read_text(encoding="utf-8")) or {}
    header = "# Generated by westgov.book.i18n from _config.yml and zh/_config.yml: do not edit.\n"
    return header + yaml.safe_dump(merged(base, over), allow_unicode=True, sort_keys=False)


_FIELD = re.compile(r"^(\s*)(\w+?)(_zh)?(\s*=\s*)(\{.*\}),?\s*$")


def chinese_bibliography(text: str) -> str:
    """The Chinese edition's ``references.bib``: in each entry, a field ``name_zh`` (one line, as
    ``note_zh = {...}``) takes the place of the field ``name`` (the notes in Chinese); the English
    edition ignores the ``_zh`` fields. Lines that are not a one-line field stay as they are."""
    out = []
    for entry in re.split(r"(?m)^(?=@)", text):
        lines = entry.split("\n")
        chinese = {}
        for line in lines:
            m = _FIELD.match(line)
            if m and m.group(3):
                chinese[m.group(2)] = m.group(5)
        kept = []
        for line in lines:
            m = _FIELD.match(line)
            if m and m.group(3):
                continue
            if m and m.group(2) in chinese:
                line = f"{m.group(1)}{m.group(2)}{m.group(4)}{chinese[m.group(2)]}" + ("," if line.rstrip().endswith(",") else "")
            kept.append(line)
        out.append("\n".join(kept))
    return "".join(out)


def write_tree(out: Path = TREE, root: Path = ROOT) -> list[Path]:
    """Write the Chinese source tree into ``out``: ``_config.yml`` and ``_toc.yml`` from ``zh/``,
    the shared bibliography and assets, and every page (:func:`page_source`). A file is rewritten
    only when its content changed (Sphinx then re-reads only what changed)."""
    root, out = Path(root), Path(out)
    problems = [p for p in parity_problems(root) if "code cells differ" not in p]
    written = []

    def put(rel: str, data: bytes) -> None:
        target = out / rel
        if target.exists() and target.read_bytes() == data:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)

    put("_config.yml", config_text(root).encode("utf-8"))
    put("_toc.yml", (root / ZH / "_toc.yml").read_bytes())
    put("references.bib", chinese_bibliography((root / "references.bib").read_text(encoding="utf-8")).encode("utf-8"))
    for asset in sorted((root / "assets").rglob("*")):
        if asset.is_file():
            put(asset.relative_to(root).as_posix(), asset.read_bytes())
    wanted = set()
    for page in toc_files(root / ZH / "_toc.yml"):
        put(f"{page}.md", page_source(page, root).encode("utf-8"))
        wanted.add(out / f"{page}.md")
    for old in (out / "chapters").glob("*.md"):
        if old not in wanted:
            old.unlink()
    if problems:
        print("The Chinese edition is not in step with the English:", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
    return written


def sync(names: list[str] | None = None, root: Path = ROOT) -> list[Path]:
    """Rewrite the code cells of the Chinese files (all, or ``names``) from the English ones."""
    root = Path(root)
    changed = []
    for page in translated(root):
        if names and Path(page).name + ".md" not in {Path(n).name for n in names}:
            continue
        zh_path = root / ZH / f"{page}.md"
        text = zh_path.read_text(encoding="utf-8")
        new = replace_code_cells(text, (root / f"{page}.md").read_text(encoding="utf-8"), f"zh/{page}.md")
        if new != text:
            zh_path.write_text(new, encoding="utf-8")
            changed.append(zh_path)
    return changed


# --- drift: which English sections changed since their translation ---------------------------


def sections(text: str) -> list[tuple[str, str]]:
    """(heading, SHA-256 of the prose) of each section: the text before the first heading and
    each heading up to the next one, code cells left out (they are synced, not translated)."""
    prose = prose_lines(text)
    out, title, body = [], "(front)", []
    for _, line in prose:
        if _HEADING.match(line):
            out.append((title, body))
            title, body = line.strip(), []
        else:
            body.append(line.rstrip())
    out.append((title, body))
    return [(t, hashlib.sha256("\n".join([t, *b]).strip().encode("utf-8")).hexdigest()[:16]) for t, b in out]


def _git_show(rev: str, rel: str, root: Path) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "show", f"{rev}:{rel}"], check=True, capture_output=True, text=True
    ).stdout


def load_state(root: Path = ROOT) -> dict:
    path = Path(root) / ZH / STATE
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def stamp(names: list[str] | None = None, rev: str | None = None, root: Path = ROOT) -> dict:
    """Record, for each translated page (or ``names``), the English sections it was translated
    from: at commit ``rev`` (e.g. :data:`TRANSLATED_FROM`), or the working tree's English."""
    root = Path(root)
    state = load_state(root)
    for page in translated(root):
        rel = f"{page}.md"
        if names and Path(rel).name not in {Path(n).name for n in names}:
            continue
        text = _git_show(rev, rel, root) if rev else (root / rel).read_text(encoding="utf-8")
        state[rel] = {"from": rev or "working tree", "sections": [[t, h] for t, h in sections(text)]}
    path = root / ZH / STATE
    path.write_text(json.dumps(dict(sorted(state.items())), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return state


def status(root: Path = ROOT) -> dict:
    """``{"changed": [(page, heading)], "unstamped": [page], "untranslated": [page]}``: sections
    of translated pages whose English changed since the recorded translation, translated pages
    without a record, and pages with no translation."""
    root = Path(root)
    state = load_state(root)
    changed, unstamped = [], []
    for page in translated(root):
        rel = f"{page}.md"
        record = state.get(rel)
        if not record:
            unstamped.append(page)
            continue
        now = sections((root / rel).read_text(encoding="utf-8"))
        then = record["sections"]
        for i, (title, digest) in enumerate(now):
            if i >= len(then) or then[i][1] != digest:
                changed.append((page, title))
        for title, _ in then[len(now) :]:
            changed.append((page, f"{title} (removed from the English)"))
    return {"changed": changed, "unstamped": unstamped, "untranslated": untranslated(root)}


def status_report(root: Path = ROOT) -> str:
    s = status(root)
    lines = [f"Chinese edition: {len(translated(root))} of {len(pages(root))} pages translated."]
    if s["untranslated"]:
        lines.append("Not translated yet (built as marked English copies): " + ", ".join(s["untranslated"]))
    if s["unstamped"]:
        lines.append("Translated but not stamped (run `python -m westgov.book.i18n stamp`): " + ", ".join(s["unstamped"]))
    if s["changed"]:
        lines.append("English sections changed since their translation:")
        lines += [f"  {page}: {title}" for page, title in s["changed"]]
    else:
        lines.append("No English section changed since its translation.")
    try:
        from ..findings import ledger, zh

        stale = zh.stale(ledger())
    except Exception as err:  # noqa: BLE001 -- a report, never a failure
        stale = [f"(the ledger could not be computed: {err})"]
    if stale:
        lines.append("Findings whose Chinese wording is missing or older than the English (shown with a generic wording): " + ", ".join(stale))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m westgov.book.i18n", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sync", help="rewrite the code cells of zh/chapters/*.md from chapters/*.md")
    p.add_argument("files", nargs="*")
    sub.add_parser("status", help="list English sections changed since their translation")
    p = sub.add_parser("stamp", help="record which English each translated section was made from")
    p.add_argument("--from", dest="rev", default=None, help=f"git revision of the English (e.g. {TRANSLATED_FROM})")
    p.add_argument("files", nargs="*")
    p = sub.add_parser("tree", help="write the Chinese source tree")
    p.add_argument("outdir", nargs="?", default=str(TREE))
    sub.add_parser("check", help="list parity problems between the editions")
    args = parser.parse_args(argv)
    try:
        if args.command == "sync":
            for path in sync(args.files):
                print(f"updated {path.relative_to(ROOT)}")
        elif args.command == "status":
            print(status_report())
        elif args.command == "stamp":
            state = stamp(args.files, args.rev)
            print(f"stamped {len(state)} page(s) in {ZH}/{STATE}")
        elif args.command == "tree":
            write_tree(Path(args.outdir))
            print(args.outdir)
        elif args.command == "check":
            problems = parity_problems()
            for p in problems:
                print(p)
            return 1 if problems else 0
    except (ParityError, subprocess.CalledProcessError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
