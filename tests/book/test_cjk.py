"""westgov.book.cjk: the space between Chinese text and a Chinese glued value or link goes; a
space next to a digit, a Latin word or inside code stays."""

from docutils import nodes

from westgov.book.cjk import chinese_full_stops, join_chinese, translate_table_headers


def paragraph(*parts) -> nodes.paragraph:
    """A paragraph of text nodes; a tuple part is a reference (link) holding that text."""
    block = nodes.paragraph()
    for part in parts:
        if isinstance(part, tuple):
            block += nodes.reference("", part[0], refuri="#")
        elif isinstance(part, nodes.Node):
            block += part
        else:
            block += nodes.Text(part)
    return block


def test_spaces_around_a_chinese_value_go():
    block = paragraph("人均 GDP 从 ", "甘肃", " 到 ", "重庆", "", " 不等。")  # "" as glue may leave
    assert join_chinese(block) == 4
    assert block.astext() == "人均 GDP 从甘肃到重庆不等。"


def test_spaces_next_to_digits_and_latin_words_stay():
    block = paragraph("西部 ", "12", " 个地区；去掉 ", "Tibet", " 后")
    assert join_chinese(block) == 0
    assert block.astext() == "西部 12 个地区；去掉 Tibet 后"


def test_a_link_with_a_chinese_title_is_joined_too():
    block = paragraph("可以直接阅读 ", ("五分钟读懂这篇论文",), "。", ("前言",), " 介绍了")
    join_chinese(block)
    assert block.astext() == "可以直接阅读五分钟读懂这篇论文。前言介绍了"


def test_code_keeps_its_spaces():
    block = paragraph("变量 ", nodes.literal("", "名 称"), " 是，从 ", nodes.literal("", "甲"), "到")
    assert join_chinese(block) == 0
    assert block.astext() == "变量 名 称 是，从 甲到"


def test_full_width_punctuation_counts_as_chinese():
    block = paragraph("（第 5 和 ", "第 7", "）")
    join_chinese(block)
    assert block.astext() == "（第 5 和第 7）"


def test_two_text_nodes_with_the_same_words_are_told_apart():
    """Found by identity, not equality: the second " 个（" is the one that loses its space."""
    block = paragraph("自治区 ", "5", " 个（", "甲", "）；直辖市 ", "一", " 个（", "重庆", "）")
    join_chinese(block)
    assert block.astext() == "自治区 5 个（甲）；直辖市一个（重庆）"


def test_an_extension_table_header_is_shown_in_chinese():
    head = nodes.thead("", nodes.row("", nodes.entry("", nodes.paragraph("", "Run Time (s)"))))
    body = nodes.tbody("", nodes.row("", nodes.entry("", nodes.paragraph("", "Status"))))
    table = nodes.table("", nodes.tgroup("", head, body))
    assert translate_table_headers(table) == 1
    assert head.astext() == "运行时间（秒）" and body.astext() == "Status"  # only headers


def test_a_latin_full_stop_after_chinese_becomes_a_chinese_one():
    block = paragraph("论文未印中文题名，我们也未能找到原文补上.", nodes.literal("", "代码."), " Page 3. 共 3.5 个")
    assert chinese_full_stops(block) == 1
    assert block.astext() == "论文未印中文题名，我们也未能找到原文补上。代码. Page 3. 共 3.5 个"


def test_two_chinese_authors_are_joined_the_chinese_way():
    block = paragraph("国家统计局 and 科学技术部. China Statistical Yearbook, Smith and Jones")
    chinese_full_stops(block)
    assert block.astext() == "国家统计局、科学技术部。China Statistical Yearbook, Smith and Jones"
