"""Each stage of ``reader.core.parsing`` on its own: numerals, the schemes table, runs, units, tree."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.model import LineHint
from reader.core.parsing.runs import sequence_runs
from reader.core.parsing.schemes import SCHEMES, Context, _Cand, match_line, read_value
from reader.core.parsing.tree import _Builder
from reader.core.parsing.units import _split_units


@pytest.mark.parametrize(
    ("written", "value"),
    [("十二", 12), ("一百零五", 105), ("12", 12), ("１２", 12), ("XII", 12), ("Ⅻ", 12), ("Ⅳ", 4),
     ("premier", 1), ("primero", 1), ("٣", 3)],
)  # fmt: skip
def test_read_value_reads_every_numeral_as_an_integer(written: str, value: int) -> None:
    assert read_value(written) == value


@pytest.mark.parametrize(
    ("line", "family", "value"),
    [
        ("第十二条 本条例自公布之日起施行。", "article", 12),
        ("第 1 條", "article", 1),
        ("第三章 法律责任", "legal-章", 3),
        ("Article premier", "article", 1),
        ("Artículo 30", "article", 30),
        ("Статья 7", "article", 7),
        ("المادة 12", "article", 12),
        ("Chapter IV Final provisions", "en-chapter", 4),
        ("附件二：名单", "annex", 2),
        ("一、总体要求", "cn-dun", 1),
        ("三. 结论", "cn-dot", 3),
        ("IV. Conclusions", "roman", 4),
        ("Ⅱ. 进展情况", "roman", 2),
        ("B. 维持和平", "letter", 2),
        ("（三）加强组织领导", "paren-cn", 3),
        ("（2）完善制度", "paren-num", 2),
        ("(c) 数据交易", "paren-latin", 3),
        ("1.1 背景", "decimal1", 1),
    ],
)
def test_each_scheme_row_reads_its_lines(line: str, family: str, value: int) -> None:
    cand = match_line(line, Context())
    assert cand is not None
    assert (cand.family, cand.value) == (family, value)


def test_preambles_in_the_six_languages_are_preambles() -> None:
    for word in ("序言", "Preamble", "Préambule", "Preámbulo", "Преамбула", "الديباجة"):
        cand = match_line(word, Context())
        assert cand is not None
        assert (cand.kind, cand.family) == ("heading", "preamble")
    back = match_line("名词解释", Context())
    assert back is not None
    assert (back.kind, back.family) == ("heading", "special")


def test_a_long_run_in_title_waits_for_its_run() -> None:
    cand = match_line(
        "（二）健全科技创新体制机制，推动科技成果转化应用和产业化发展结出新硕果。全年增长百分之十二。",
        Context(),
    )
    assert cand is not None
    assert (cand.kind, cand.marker, cand.value) == ("plain", "long-run-in", 2)
    assert cand.title == "健全科技创新体制机制，推动科技成果转化应用和产业化发展结出新硕果"


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_a_row_is_only_skipped_for_lines_it_cannot_match(data: st.DataObject) -> None:
    for scheme in SCHEMES:
        if scheme.first:
            line = data.draw(st.from_regex(scheme.pattern))
            starts = line[:1] in scheme.first or (scheme.first.isdigit() and line[:1].isdecimal())
            assert starts, (scheme.family, line)


def _member(family: str, value: int) -> _Cand:
    return _Cand("heading", family=family, value=value)


def test_sequence_runs_join_the_run_they_continue() -> None:
    # 一 二 | (items 一 二 三 inside 二) | 三: the chapter 三 continues the chapters, not the items.
    cands = [_member("cn-dun", v) for v in (1, 2, 1, 2, 3)] + [_Cand("plain"), _member("cn-dun", 3)]
    assert sequence_runs(cands, "cn-dun") == [[0, 1, 6], [2, 3, 4]]
    # A value that continues nothing (a mention) is a run of its own.
    assert sequence_runs([_member("paren-cn", 3)], "paren-cn") == [[0]]
    # An article closes the runs of the items inside the article before it.
    items = [_member("paren-cn", 1), _member("paren-cn", 2), _Cand("heading", family="article", value=2)]
    assert sequence_runs([*items, _member("paren-cn", 3)], "paren-cn") == [[0, 1], [3]]


def test_units_keep_code_point_spans_and_hints() -> None:
    text = "标题\n\n\u3000\u3000正文一。\n正文二。\n"
    units = _split_units(text, {3: LineHint(heading_level=1)})
    assert [(u.text, text[u.spans[0][0] : u.spans[0][1]], u.after_blank) for u in units] == [
        ("标题", "标题", True),
        ("正文一。", "正文一。", True),
        ("正文二。", "正文二。", False),
    ]
    assert units[2].hint == LineHint(heading_level=1)


def test_tree_closes_a_preamble_before_an_article() -> None:
    b = _Builder("")
    b.open_heading(_Cand("heading", rank=5, title="序言", family="preamble"), "序言", [(0, 2)])
    b.open_heading(_Cand("heading", rank=90, label="第一条", family="article", value=1), "第一条", [(3, 6)])
    assert [(n.title or n.label, n.level) for n in b.roots] == [("序言", 1), ("第一条", 1)]
    article = b.blocks[-1]
    assert article.number == "1"


def test_a_run_on_line_splits_only_where_the_sequence_continues() -> None:
    from reader.core.parsing.units import split_run_on

    text = (
        "2. 第二段。\n二. 保护 3. 难民署记录了驱回事件，并与有关国家进行了交涉。 4. 难民署支持32个国家"
        "改进庇护程序。 7. 这个数字不是下一段。\n"
    )
    units = split_run_on(_split_units(text, {}))
    assert [u.text for u in units] == [
        "2. 第二段。",
        "二. 保护",
        "3. 难民署记录了驱回事件，并与有关国家进行了交涉。",
        "4. 难民署支持32个国家改进庇护程序。 7. 这个数字不是下一段。",
    ]
    assert all(text[u.spans[0][0] : u.spans[0][1]] == u.text for u in units)
