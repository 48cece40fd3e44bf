"""The parser on the sample briefing (exact structure) and on any input (never raises, lossless)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.model import BlockKind, Document
from reader.core.parser import cn_to_int, parse_text, roman_to_int
from tests.core.lossless import assert_accounted

# Read off the sample by eye: chapter label and title, then its sections
# (label, title, [numbered sub-heading titles]).
EXPECTED_TREE: list[tuple[str, str, list[tuple[str, str, list[str]]]]] = [
    ("一", "战略背景", [("A", "身处不断变化的世界中的维和前景", []), ("B", "“以行动促维和”倡议概览", [])]),
    (
        "二",
        "抗击 COVID-19 大流行",
        [
            ("A", "支持国家当局抗击大流行病", []),
            ("B", "保护维和人员及其继续开展关键业务的能力", []),
            ("C", "遏制和减缓 COVID-19 的传播", []),
            ("D", "在执行任务的同时保护弱势社区", []),
        ],
    ),
    (
        "三",
        "全系统改革与维持和平",
        [("A", "和平与安全架构改革", []), ("B", "发展改革", []), ("C", "管理改革", [])],
    ),
    (
        "四",
        "维持和平的政治影响",
        [
            ("A", "在国家 and 地方各级推进政治解决方案和互补的政治目标", []),
            ("B", "促进预防、管理和解决冲突的区域办法", []),
            ("C", "加强分析和规划", []),
            ("D", "前进方向", []),
        ],
    ),
    (
        "五",
        "妇女与和平与安全",
        [
            ("A", "确保妇女充分、平等和切实地参与和平进程", []),
            ("B", "将性别视角纳入分析、规划、执行和报告进程", []),
            ("C", "性别均等", []),
            ("D", "前进方向", []),
        ],
    ),
    (
        "六",
        "保护",
        [
            ("A", "概览", []),
            ("B", "通过对话和接触提供保护", []),
            ("C", "提供实体保护", []),
            ("D", "建立保护性环境", []),
            ("E", "前进方向", []),
        ],
    ),
    (
        "七",
        "安全和安保",
        [
            ("A", "维和人员的安全", []),
            ("B", "安全趋势和改善维和人员安全行动计划", []),
            ("C", "追究针对联合国维和人员的犯罪行为的责任", []),
            ("D", "态势感知与维和情报", []),
            ("E", "前进方向", []),
        ],
    ),
    (
        "八",
        "业绩和问责",
        [
            ("A", "确保最高水平的维持和平业绩", ["综合业绩政策框架", "全面业绩评估系统"]),
            ("B", "加强业绩问责", ["文职人员和领导层的业绩评估", "军警人员综合业绩评估"]),
            ("C", "与会员国合作加强军警人员的业绩", ["战略部队组建", "部署前准备", "能力建设和培训"]),
            (
                "D",
                "为维持和平行动提供有效支持",
                [
                    "支持维持和平特派团",
                    "医疗标准和能力",
                    "航空",
                    "支持对装备适用性和可持续性采取创新办法",
                    "维持和平中的技术创新",
                ],
            ),
            ("E", "前进方向", []),
        ],
    ),
    (
        "九",
        "建设和平与保持和平",
        [
            ("A", "加强国家能力和自主权", []),
            ("B", "过渡规划和分析", []),
            ("C", "加强联合国系统各行为体之间的协调一致", []),
            ("D", "支持包容性和参与性的方法", []),
            ("E", "前进方向", []),
        ],
    ),
    (
        "十",
        "伙伴关系",
        [
            (
                "A",
                "与区域组织的伙伴关系",
                [
                    "伙伴关系的战略背景",
                    "与区域和次区域组织的伙伴关系倡议",
                    "联合国-非洲联盟合作和能力建设",
                ],
            ),
            ("B", "与东道国政府的伙伴关系", []),
            ("C", "三方伙伴关系", []),
            ("D", "为部队和警察派遣国提供培训和设备的三方伙伴关系", []),
            ("E", "前进方向", []),
        ],
    ),
    (
        "十一",
        "维和人员和维和行动的行为操守",
        [
            ("A", "维和人员的行为操守", ["行为纪律，包括防止性剥削和性虐待", "潜在工作人员的认证"]),
            ("B", "维和行动的行为操守", ["环境管理", "关于联合国向非联合国安全部队提供支持的人权尽职政策"]),
            ("C", "前进方向", []),
        ],
    ),
    ("十二", "意见", []),
]


def _shape(doc: Document) -> list[tuple[str, str, list[tuple[str, str, list[str]]]]]:
    return [
        (
            ch.label or "",
            ch.title,
            [(s.label or "", s.title, [sub.title for sub in s.children]) for s in ch.children],
        )
        for ch in doc.tree
    ]


def test_sample_chapter_tree_is_exact(sample_doc: Document) -> None:
    assert _shape(sample_doc) == EXPECTED_TREE


def test_sample_counts(sample_doc: Document) -> None:
    assert len(sample_doc.tree) == 12
    subs = [h for h in sample_doc.headings() if h.level == 3]
    assert len(subs) == 19
    # Sub-heading numbering restarts per section: 1, 2 | 1, 2 | 1, 2, 3 | 1..5 | 1..3 | 1, 2 | 1, 2.
    labels = [h.label for h in subs]
    assert labels == [
        "1",
        "2",
        "1",
        "2",
        "1",
        "2",
        "3",
        "1",
        "2",
        "3",
        "4",
        "5",
        "1",
        "2",
        "3",
        "1",
        "2",
        "1",
        "2",
    ]
    kinds = [b.kind for b in sample_doc.blocks]
    assert kinds.count(BlockKind.FIGURE) == 5


def test_sample_paragraphs_1_to_147_once_in_order(sample_doc: Document) -> None:
    numbers = [b.number for b in sample_doc.blocks if b.kind is BlockKind.PARAGRAPH and b.number]
    assert numbers == [str(n) for n in range(1, 148)]
    for n in (1, 37, 147):
        assert sample_doc.block(f"p{n}").number == str(n)


def test_sample_paragraphs_sit_under_the_right_heading(sample_doc: Document) -> None:
    # Paragraph 1 opens chapter 一, section A; 99 is under 八 D 4; 147 under 十二.
    assert sample_doc.path("p1") == ["战略背景", "身处不断变化的世界中的维和前景"]
    assert sample_doc.path("p7") == ["抗击 COVID-19 大流行"]
    assert sample_doc.path("p13") == ["抗击 COVID-19 大流行", "在执行任务的同时保护弱势社区"]
    assert sample_doc.path("p99") == [
        "业绩和问责",
        "为维持和平行动提供有效支持",
        "支持对装备适用性和可持续性采取创新办法",
    ]
    assert sample_doc.path("p147") == ["意见"]
    # Section 七 A: 维和人员的安全 holds paragraphs 53-55.
    under = [b.number for b in sample_doc.blocks_under("h7.1") if b.kind is BlockKind.PARAGRAPH]
    assert under == ["53", "54", "55"]


def test_sample_footnotes_linked(sample_doc: Document) -> None:
    fn1 = sample_doc.block("fn1")
    assert fn1.kind is BlockKind.FOOTNOTE
    assert fn1.number == "¹"
    assert fn1.text.startswith("提及科索沃时")
    assert fn1.referenced_by == ["p25"]
    assert "fn1" in sample_doc.block("p25").footnotes
    star = sample_doc.block("fnstar")
    assert star.text.startswith("本报告在截止日期后提交")
    referrer = sample_doc.block(star.referenced_by[0])
    assert referrer.text == "秘书长的报告*"


def test_sample_front_matter_and_metadata(sample_doc: Document) -> None:
    front = [b.text for b in sample_doc.blocks if b.kind is BlockKind.FRONT_MATTER]
    assert front[:3] == ["第七十五届会议", "议程项目 54", "整个维持和平行动问题所有方面的全盘审查"]
    assert "摘要" in front
    assert sample_doc.title == "维持和平行动特别委员会各项建议的执行情况"
    # The sample only cites other reports (A/74/533, A/75/202); it has no symbol line of its own.
    assert sample_doc.symbol is None
    assert sample_doc.language == "zh-Hans"


def test_sample_links_keep_visible_text(sample_doc: Document) -> None:
    summary = next(b for b in sample_doc.blocks if b.text.startswith("本报告根据大会第"))
    assert "第 74/277 号决议" in summary.text
    assert "(A/74/533)" in summary.text
    assert "](#)" not in summary.text
    assert "[74/277](#)" in sample_doc.raw(summary)


def test_sample_page_break_paragraphs_rejoined(sample_doc: Document, sample_text: str) -> None:
    p11 = sample_doc.block("p11")
    assert "对军警人员进出东道国的情况给予特别关注" in p11.text
    assert len(p11.spans) == 2
    # The sample has 13 such breaks; after joining, every numbered paragraph ends a sentence.
    assert sum(1 for b in sample_doc.blocks if b.kind is BlockKind.PARAGRAPH and len(b.spans) > 1) == 13
    # Joined Chinese halves take no space, even after a number ("10" + "项").
    assert "会议期间会员国作出了 10项关键承诺" in sample_doc.block("p83").text
    unfinished = [
        b.id
        for b in sample_doc.blocks
        if b.kind is BlockKind.PARAGRAPH and b.number and not re.search(r"[。：；”)）]\s*[¹²³]*$", b.text)
    ]
    assert unfinished == []


def test_sample_figures(sample_doc: Document) -> None:
    figs = [b for b in sample_doc.blocks if b.kind is BlockKind.FIGURE]
    assert [f.number for f in figs] == ["1", "2", "3", "4", "5"]
    assert [f.label for f in figs] == ["图一", "图二", "图三", "图四", "图五"]
    assert figs[0].text.startswith("图一")
    assert "妇女在部署的联合国军事人员中的比例" in figs[0].text
    assert "(百分比)" in figs[0].text
    assert all(f.parent for f in figs)


def test_block_ids_unique_and_stable(sample_doc: Document, sample_text: str) -> None:
    ids = [b.id for b in sample_doc.blocks]
    assert len(ids) == len(set(ids))
    again = parse_text(sample_text)
    assert [b.id for b in again.blocks] == ids


def _assert_lossless(text: str, doc: Document) -> None:
    norm = text.replace("\r\n", "\n").replace("\r", "\n")
    assert doc.source == norm
    owner = [0] * len(norm)
    previous_start = -1
    for block in doc.blocks:
        assert block.spans, block.id
        last = -1
        for s, e in block.spans:
            assert 0 <= s < e <= len(norm)
            assert s > last, f"{block.id} spans out of order"
            last = s
            for k in range(s, e):
                owner[k] += 1
        assert block.spans[0][0] > previous_start, "blocks out of input order"
        previous_start = block.spans[0][0]
    missing = [(k, norm[k]) for k in range(len(norm)) if not norm[k].isspace() and owner[k] != 1]
    assert missing == []
    assert_accounted(doc)


def test_sample_is_lossless(sample_doc: Document, sample_text: str) -> None:
    _assert_lossless(sample_text, sample_doc)


_ALPHABET = st.sampled_from(
    [
        *"一二三十百、.．（）()ABCDEIVX1234567890 \n\n\n第章节条條编摘要图表¹²*#[]-:：。，的和在报告百分比",
        *[
            "\r\n",
            "\r",
            "\t",
            "\u3000",
            "𠀀",
            "[74/277](#)",
            "## ",
            "第一章 ",
            "1. ",
            "（一）",
            "一、",
            "A. ",
            "图一",
        ],
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_any_structured_noise_parses_losslessly(text: str) -> None:
    _assert_lossless(text, parse_text(text))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_losslessly(text: str) -> None:
    _assert_lossless(text, parse_text(text))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.data())
def test_mangled_sample_parses_losslessly(sample_text: str, data: st.DataObject) -> None:
    lines = sample_text.split("\n")
    start = data.draw(st.integers(0, len(lines) - 1))
    chunk = lines[start : start + data.draw(st.integers(1, 60))]
    ops = data.draw(st.lists(st.sampled_from(["drop", "dup", "cut", "swap", "blank"]), max_size=8))
    for op in ops:
        if not chunk:
            break
        k = data.draw(st.integers(0, len(chunk) - 1))
        if op == "drop":
            del chunk[k]
        elif op == "dup":
            chunk.insert(k, chunk[k])
        elif op == "cut":
            cut = data.draw(st.integers(0, len(chunk[k])))
            chunk[k : k + 1] = [chunk[k][:cut], "", chunk[k][cut:]]
        elif op == "swap" and k + 1 < len(chunk):
            chunk[k], chunk[k + 1] = chunk[k + 1], chunk[k]
        else:
            chunk.insert(k, "")
    text = "\n".join(chunk)
    _assert_lossless(text, parse_text(text))


def test_numerals() -> None:
    assert [cn_to_int(s) for s in ["一", "十", "十二", "二十", "二十一", "一百零五", "三百", "12"]] == [
        1,
        10,
        12,
        20,
        21,
        105,
        300,
        12,
    ]
    assert cn_to_int("甲") is None
    # Digits in a row read positionally, as years and some article numbers are written.
    assert [cn_to_int(s) for s in ["二〇", "一〇五", "兩百", "两千零一"]] == [20, 105, 200, 2001]
    assert [roman_to_int(s) for s in ["I", "IV", "IX", "XII", "XIV"]] == [1, 4, 9, 12, 14]
    assert roman_to_int("ABC") is None


def test_flat_text_without_headings_is_a_list_of_paragraphs() -> None:
    text = "今天天气很好，我们去公园散步。\n\n公园里有很多人在锻炼身体。\n\n傍晚我们回家吃饭。\n"
    doc = parse_text(text)
    assert doc.tree == []
    assert [b.kind for b in doc.blocks] == [BlockKind.PARAGRAPH] * 3
    assert [b.text for b in doc.blocks] == [
        "今天天气很好，我们去公园散步。",
        "公园里有很多人在锻炼身体。",
        "傍晚我们回家吃饭。",
    ]


def test_empty_and_whitespace_input() -> None:
    assert parse_text("").blocks == []
    assert parse_text(" \n\t\n\u3000\n").blocks == []


def test_decimal_outline_numbering_nests() -> None:
    text = "\n\n".join(
        [
            "1. 引言",
            "1.1 背景",
            "这是背景段落，说明了情况。",
            "1.2 目的",
            "2. 方法",
            "2.1 数据",
            "2.1.1 来源",
            "数据来自 1.5 亿人口的调查。",
        ]
    )
    doc = parse_text(text)
    shape = [(h.label, h.level) for h in doc.headings()]
    assert shape == [("1", 1), ("1.1", 2), ("1.2", 2), ("2", 1), ("2.1", 2), ("2.1.1", 3)]
    last = doc.blocks[-1]
    assert last.kind is BlockKind.PARAGRAPH
    assert last.text.startswith("数据来自 1.5 亿")


def test_full_width_numbering_is_read_but_text_is_kept_as_written() -> None:
    text = "\n\n".join(
        ["一. 导言", "１．会员国关注ＣＯＶＩＤ－１９问题。", "２．第二段。", "３．第三段。", "Ａ．章节标题"]
    )
    doc = parse_text(text)
    assert [b.number for b in doc.paragraphs()] == ["1", "2", "3"]
    assert doc.block("p1").text == "会员国关注ＣＯＶＩＤ－１９问题。"
    section = doc.tree[0].children[0]
    assert (section.label, section.title) == ("Ａ", "章节标题")
