"""Chinese pages: no space between Chinese text and a glued value or a link that is Chinese too;
the headers of tables that Sphinx extensions write in English, in Chinese.

A Chinese page's source writes a space around every glued value and cross-reference, because the
value may be a number or a Latin word ("西部 {glue:text}`n` 个"; "去掉 {glue:text}`region` 后"). When the value
is Chinese (a region's name, an ordinal, a page title), the space lands between two Chinese
characters, where Chinese text has none: "去掉 西藏 后". :class:`JoinChineseAcrossNodes` removes
exactly those spaces once every glued value and reference is in place; a space next to a digit or a
Latin letter stays (the book's convention puts one there).
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

#: Han characters (CJK Unified Ideographs, extension A and compatibility ideographs), CJK
#: punctuation (、。「」《》…) and full-width forms (，：；（）…).
CHINESE = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_ENDS_CHINESE_SPACE = re.compile(f"[{CHINESE}] $")
_STARTS_CHINESE = re.compile(f"^[{CHINESE}]")
_STARTS_SPACE_CHINESE = re.compile(f"^ [{CHINESE}]")
_ENDS_CHINESE = re.compile(f"[{CHINESE}]$")
#: Text inside these is shown as written (code, math, raw HTML).
_VERBATIM = (nodes.literal, nodes.literal_block, nodes.math, nodes.math_block, nodes.raw, nodes.FixedTextElement)
#: The blocks whose text runs on as one line of prose.
_BLOCKS = (nodes.paragraph, nodes.title, nodes.caption, nodes.rubric, nodes.term, nodes.line)


def _verbatim(node: nodes.Node) -> bool:
    while node is not None:
        if isinstance(node, _VERBATIM):
            return True
        node = node.parent
    return False


def join_chinese(block: nodes.Element) -> int:
    """Remove each space between two Chinese characters that sits where one text node of ``block``
    meets the next; returns how many were removed."""
    texts = [text for text in block.findall(nodes.Text) if len(text)]  # a Node is always true: len
    removed = 0
    for i in range(len(texts) - 1):
        left, right = texts[i], texts[i + 1]
        if _verbatim(left.parent) or _verbatim(right.parent):  # code keeps the space beside it
            continue
        if _ENDS_CHINESE_SPACE.search(left) and _STARTS_CHINESE.match(right):
            texts[i] = _replace(left, str(left)[:-1])
            removed += 1
        elif _ENDS_CHINESE.search(left) and _STARTS_SPACE_CHINESE.match(right):
            texts[i + 1] = _replace(right, str(right)[1:])
            removed += 1
    return removed


def _replace(old: nodes.Text, text: str) -> nodes.Text:
    """Put a text node in ``old``'s place. By identity: docutils finds a child by equality, and two
    text nodes with the same words are equal (" 个（" twice in one paragraph)."""
    new = nodes.Text(text)
    parent = old.parent
    index = next(i for i, child in enumerate(parent.children) if child is old)
    parent[index] = new
    return new


class JoinChineseAcrossNodes(SphinxPostTransform):
    """On a Chinese build (``language`` zh...), :func:`join_chinese` on every block of prose, after
    the references are resolved and the glued values are in place."""

    default_priority = 900

    def run(self, **kwargs) -> None:
        if not str(self.config.language or "").startswith("zh"):
            return
        translate_table_headers(self.document)
        for block in list(self.document.findall(lambda n: isinstance(n, _BLOCKS))):
            if not _verbatim(block):
                join_chinese(block)
                chinese_full_stops(block)


_CHINESE_THEN_STOP = re.compile(f"(?<=[{CHINESE}])\\.(?: |$)")  # "。" takes the space with it
_CHINESE_AND_CHINESE = re.compile(f"(?<=[{CHINESE}]) and (?=[{CHINESE}])")


def chinese_full_stops(block: nodes.Element) -> int:
    """A Latin full stop right after a Chinese character (the bibliography style ends every field
    with ".") as the Chinese one, "。", and " and " between two Chinese names (two institutions as
    authors) as "、"; returns how many."""
    changed = 0
    for text in [t for t in block.findall(nodes.Text) if not _verbatim(t.parent)]:
        new, n = _CHINESE_THEN_STOP.subn("。", str(text))
        new, m = _CHINESE_AND_CHINESE.subn("、", new)
        n += m
        if n:
            _replace(text, new)
            changed += n
    return changed


def translate_table_headers(document: nodes.Node) -> int:
    """Headers of tables that Sphinx extensions write in English (myst-nb's execution statistics:
    "Document", "Run Time (s)", ...) in Chinese, from the ``header.*`` labels; returns how many."""
    from ..i18n import prefixed

    headers = prefixed("header", "zh")
    changed = 0
    for head in document.findall(nodes.thead):
        for text in list(head.findall(nodes.Text)):
            if str(text) in headers:
                _replace(text, headers[str(text)])
                changed += 1
    return changed


def setup(app) -> None:
    app.add_post_transform(JoinChineseAcrossNodes)
