"""The letter to the authors in Chinese (issue 27): one wording per question, kept apart from
the English.

``letter_zh.yml`` holds, per question id of :func:`westgov.findings.render.letter`, the Chinese
question with placeholders that the build fills from the same values as the English:
``{v:key}`` a formatted number of the letter's chapter, ``{t:finding-id}`` the Chinese wording of
a finding (:func:`westgov.findings.zh.text`), ``{link:finding-id|title}`` a link to the finding's
section, ``{doc:page}`` a link to a chapter. A question without a Chinese wording is printed in
English with a visible note (:data:`MISSING_NOTE`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import zh

TABLE = Path(__file__).with_name("letter_zh.yml")
#: Printed before a question that has no Chinese wording yet (the English follows).
MISSING_NOTE = "（本问题尚无中文译文，以下为英文原文。）"
#: The letter's section headings in Chinese.
HEADINGS = {
    "A. Data and variables": "一、数据与变量",
    "B. Table 4": "二、表 4",
    "C. Specification": "三、模型设定",
    "D. From results to recommendations": "四、从结果到政策建议",
}
#: Spaces that YAML's folding leaves where Chinese takes none: after or before full-width
#: punctuation, between two Chinese characters, before a finding's (Chinese) wording.
CJK_GAP = re.compile(
    r"(?<=[\u3000-\u303f\uff00-\uffef])\s+|\s+(?=[\u3000-\u303f\uff00-\uffef])"
    r"|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff]|\{t:)"
)
PLACEHOLDER = re.compile(r"\{(v|t|link|doc):([^{}|]+)(?:\|([^{}]*))?\}")


@lru_cache(maxsize=None)
def table(path: Path = TABLE) -> dict[str, str]:
    """``{question id: Chinese wording}``; a bad entry is an error naming the file and id."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    for qid, text in data.items():
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{Path(path).name}: question {qid!r}: the wording must be non-empty text")
    # YAML folds a line break into a space; Chinese takes none between two Chinese characters.
    return {qid: CJK_GAP.sub("", text.strip()) for qid, text in data.items()}


def _target(fid: str) -> str:
    return f"finding-{fid.split('-var')[0] if fid.startswith('official') else fid}"


def question(qid: str, book: dict, v: dict[str, str], english: str) -> str:
    """The question ``qid`` in Chinese, its placeholders filled; ``english`` with
    :data:`MISSING_NOTE` when there is no Chinese wording. An unknown placeholder is an error
    naming the question."""
    template = table().get(qid)
    if template is None:
        return f"{MISSING_NOTE}{english}"

    def fill(match: re.Match) -> str:
        kind, key, title = match.group(1), match.group(2).strip(), match.group(3)
        known = v if kind == "v" else book if kind == "t" else None
        if known is not None and key not in known:
            raise KeyError(f"{TABLE.name}: question {qid!r}: unknown {kind} {key!r}")
        if kind == "v":
            return v[key]
        if kind == "t":
            return zh.text(book[key])
        if kind == "link":
            return f"{{ref}}`{title or key} <{_target(key)}>`"
        return f"{{doc}}`{key}`"

    return PLACEHOLDER.sub(fill, template.strip())
