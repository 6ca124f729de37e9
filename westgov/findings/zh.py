"""The findings in Chinese (issue 27): one wording per finding, kept apart from the English.

``wording_zh.yml`` holds, per finding id, the Chinese statement, the level of the scale the
wording is written for, the English wording it translates with every number replaced by ``{i}``
(its *skeleton*), and the Chinese wording with the same ``{i}``. At build time the numbers of the
English wording fill the Chinese one (:func:`text`), so the two editions print the same numbers.
When the English wording or the level has changed since (another wording, another certainty),
the Chinese falls back to a generic wording of its statement at the current level, and
:func:`stale` lists the finding (``python -m westgov.book.i18n status`` prints it).

The certainty scale in Chinese: :data:`CERTAINTY`, and the phrases a wording must (``MARKERS``)
or may only (``ONLY_AT``) use at each level, checked like the English ones
(tests/westgov/test_findings_zh.py).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .scale import AT_PRINTED, CONTRADICTED, HOLDS, SCALE, SOMEWHERE, UNDECIDABLE

TABLE = Path(__file__).with_name("wording_zh.yml")

#: The levels of the scale as the Chinese pages name them.
CERTAINTY = {
    HOLDS: "在整个舍入范围内均成立",
    AT_PRINTED: "在论文印出的数值处成立，但不是在舍入范围内的每一点都成立",
    SOMEWHERE: "在舍入范围内的某一点成立，但在论文印出的数值处不成立",
    UNDECIDABLE: "无法判定",
    CONTRADICTED: "与证据相矛盾",
}
ONLY_AT = {
    "在整个舍入范围内均成立": HOLDS,
    "无论如何舍入": HOLDS,
    "在论文印出的数值处成立，但不是在舍入范围内的每一点都成立": AT_PRINTED,
    "在舍入范围内的某一点成立": SOMEWHERE,
    "可在舍入范围内的某一点得到复现": SOMEWHERE,
    "无法判定": UNDECIDABLE,
}
MARKERS = {
    HOLDS: ("在整个舍入范围内均成立", "无论如何舍入", "每一种排序", "每一个数据集", "完全复现", "每一位印出的数字"),
    AT_PRINTED: ("在论文印出的数值处成立，但不是在舍入范围内的每一点都成立",),
    SOMEWHERE: ("在舍入范围内的某一点成立", "可在舍入范围内的某一点得到复现"),
    UNDECIDABLE: ("无法判定",),
    CONTRADICTED: ("不", "没有"),
}

#: A number in a wording: digits with thousands commas and decimals, an optional sign; not part
#: of a word (M1, Var5, R²).
NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:,\d{3})*(?:\.\d+)?(?![\w])")


def skeleton(text: str) -> tuple[str, list[str]]:
    """``text`` with its numbers replaced by ``{0}``, ``{1}``, ... and the numbers."""
    numbers: list[str] = []

    def keep(match: re.Match) -> str:
        numbers.append(match.group(0))
        return "{%d}" % (len(numbers) - 1)

    return NUMBER.sub(keep, text.replace("{", "{{").replace("}", "}}")), numbers


@lru_cache(maxsize=None)
def table(path: Path = TABLE) -> dict:
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    for fid, entry in data.items():
        missing = {"statement", "level", "en", "zh"} - set(entry)
        if missing:
            raise ValueError(f"{Path(path).name}: finding {fid!r}: missing {', '.join(sorted(missing))}")
        if entry["level"] not in SCALE:
            raise ValueError(f"{Path(path).name}: finding {fid!r}, level: {entry['level']!r} is not a level of the scale")
    return data


def fallback(statement: str, level: str) -> str:
    """A generic Chinese wording of ``statement`` at ``level`` (as ``_finding`` words English)."""
    return {
        HOLDS: f"{statement}，在整个舍入范围内均成立",
        AT_PRINTED: f"{statement}，在论文印出的数值处成立，但不是在舍入范围内的每一点都成立",
        SOMEWHERE: f"{statement}，在舍入范围内的某一点成立，但在论文印出的数值处不成立",
        UNDECIDABLE: f"以下论断是否成立无法判定：{statement}",
        CONTRADICTED: f"证据不支持以下论断：{statement}",
    }[level]


def current(finding) -> bool:
    """True when the Chinese wording of ``finding`` translates its English wording as it is now."""
    entry = table().get(finding.id)
    return bool(entry) and entry["level"] == finding.certainty and entry["en"] == skeleton(finding.text)[0]


def text(finding) -> str:
    """The Chinese words of ``finding`` at its certainty, with the English wording's numbers."""
    entry = table().get(finding.id)
    if entry is None:
        return finding.text  # no translation at all: the English words
    if current(finding):
        return entry["zh"].format(*skeleton(finding.text)[1])
    return fallback(entry["statement"], finding.certainty)


def stale(book) -> list[str]:
    """Ids of findings whose Chinese wording is missing or no longer translates the English."""
    return [fid for fid, f in book.items() if not current(f)]


def official_summary(book) -> str:
    """The Chinese of :func:`westgov.findings.render.official_summary`: one sentence on the five
    official series, from their findings."""
    from westgov.i18n import label

    from .render import official_groups

    ids, one_value_ids = official_groups(book)
    groups = {level: [label(f"var.{pid}", "zh") for pid in pids] for level, pids in ids.items()}
    by_one_value = [label(f"var.{pid}", "zh") for pid in one_value_ids]

    def listed(names: list[str]) -> str:
        text = names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]
        # one space between a Latin word and the Chinese that follows ("人均 GDP 是否")
        return text + " " if text[-1].isascii() and text[-1].isalnum() else text

    parts = []
    if groups[HOLDS]:
        parts.append(f"{listed(groups[HOLDS])}复现了表 2 的每一位印出的数字")
    if groups[CONTRADICTED]:
        parts.append(f"{listed(groups[CONTRADICTED])}则不然，差距超出舍入范围")
    if by_one_value:
        parts.append(f"{listed(by_one_value)}也不然，但这只取决于一个初步核算数")
    if groups[UNDECIDABLE]:
        reason = "其定义只是近似" if groups[UNDECIDABLE] == [label("var.Var8", "zh")] else "覆盖不全或定义只是近似"
        parts.append(f"{listed(groups[UNDECIDABLE])}是否一致无法判定（{reason}）")
    return "；".join(parts)
