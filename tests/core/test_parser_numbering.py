"""The numbering model on the failure classes of issue 11, each on a text written here in that style.

Every text is short and made up (in the style of the real documents, never copied from them);
the expected structure is what a reader sees in it.
"""

from __future__ import annotations

import pytest

from reader.core.model import BlockKind, Document
from reader.core.parser import parse_text
from tests.core.lossless import assert_accounted
from tests.core.test_parser_styles import _outline_lines


def _outline(text: str) -> list[str]:
    doc = parse_text(text)
    assert_accounted(doc)
    return [" ".join(line.split()) for line in _outline_lines(doc.tree)]


def _block(doc: Document, start: str) -> object:
    return next(b for b in doc.blocks if b.text.startswith(start))


JUDICIAL = """最高人民法院关于审理水上运输纠纷案件若干问题的规定

为正确审理水上运输纠纷案件，根据《中华人民共和国民事诉讼法》等法律规定，结合审判实践，制定本规定。

一、受理与管辖

第一条 当事人因水上旅客运输合同发生纠纷提起诉讼的，人民法院应当依法受理。

第二条 因水上运输合同纠纷提起的诉讼，由运输始发地、目的地或者被告住所地人民法院管辖。

二、证据

第三条 当事人对自己提出的主张，有责任提供证据。下列事实，当事人无需举证证明：

（一）众所周知的事实；

（二）根据法律规定推定的事实。

第四条 人民法院应当按照法定程序，全面、客观地审核证据。

三、附则

第五条 本规定自2025年1月1日起施行。
"""


def test_judicial_interpretation_chapters_group_articles() -> None:
    assert _outline(JUDICIAL) == [
        "一 | 受理与管辖",
        "第一条 |",
        "第二条 |",
        "二 | 证据",
        "第三条 |",
        "第四条 |",
        "三 | 附则",
        "第五条 |",
    ]


def test_items_of_an_article_beside_group_chapters_stay_items() -> None:
    text = (
        "一、总则\n\n第一条 下列行为应当处罚：\n\n一、警告\n\n二、罚款\n\n第二条 本规定自公布之日起施行。\n"
    )
    # 一、警告 / 二、罚款 are the article's items: only one 一、 line opens articles.
    assert _outline(text) == ["一 | 总则", "第一条 |", "第二条 |"]


WORK_REPORT = """政府工作报告

一、过去一年的工作

（一）坚持稳中求进。全年经济平稳运行，主要指标好于预期。

（二）健全科技创新体制机制，推动科技成果转化应用和产业化发展结出新硕果。全年技术合同成交额增长百分之十二。

（三）扩大内需。消费持续回升，投资结构优化。

二、今年的主要任务

（一）推动经济持续回升向好，着力扩大有效需求和提振消费信心，稳住外贸基本盘。要实施提振消费专项行动。

（二）深化改革。推进重点领域改革。

名词解释

1.新质生产力：是创新起主导作用的先进生产力质态。

2.“两重”：指国家重大战略实施和重点领域安全能力建设。
"""


def test_work_report_long_run_in_titles_and_back_matter() -> None:
    assert _outline(WORK_REPORT) == [
        "一 | 过去一年的工作",
        "（一） | 坚持稳中求进",
        "（二） | 健全科技创新体制机制，推动科技成果转化应用和产业化发展结出新硕果",
        "（三） | 扩大内需",
        "二 | 今年的主要任务",
        "（一） | 推动经济持续回升向好，着力扩大有效需求和提振消费信心，稳住外贸基本盘",
        "（二） | 深化改革",
        "| 名词解释",
    ]
    doc = parse_text(WORK_REPORT)
    body = _block(doc, "全年技术合同成交额")
    assert body.kind is BlockKind.PARAGRAPH  # type: ignore[attr-defined]


def test_long_numbered_sentences_in_prose_are_not_headings() -> None:
    text = (
        "一、总体要求\n\n"
        "（一）各地区要加强组织领导，落实工作责任，确保各项任务落到实处。同时要做好宣传。\n\n"
        "（二）各部门要密切配合，形成工作合力，按照职责分工推进相关工作；\n\n"
        "（三）各单位要按照本通知要求，结合实际制定具体实施方案，并报送备案；\n"
    )
    assert _outline(text) == ["一 | 总体要求"]


def test_unicode_roman_chapters() -> None:
    text = (
        "Ⅰ. 导言\n\n1. 本报告是根据大会第75/1号决议提交的。\n\n2. 报告介绍了进展情况。\n\n"
        "Ⅱ. 进展\n\n3. 各国取得了显著进展。\n\nⅢ. 结论\n\n4. 结论如下。\n"
    )
    assert _outline(text) == ["Ⅰ | 导言", "Ⅱ | 进展", "Ⅲ | 结论"]
    doc = parse_text(text)
    assert [b.number for b in doc.paragraphs()] == ["1", "2", "3", "4"]


def test_paragraph_numbers_restarting_in_each_article_are_kept() -> None:
    text = "第6條\n1. 各締約國應採取必要措施。\n2. 各締約國應相互合作。\n第7條\n1. 本公約不影響其他義務。\n"
    assert _outline(text) == ["第6條 |", "第7條 |"]
    doc = parse_text(text)
    assert_accounted(doc)  # the 1. and 2. are not lost
    assert [b.text[:1] for b in doc.paragraphs()] == ["1", "2", "1"]


def test_wrapped_latin_item_inside_an_article_is_not_a_heading() -> None:
    text = (
        "第一条\n本公约的目的是：\n（a）促进和加强各项措施，以便更加高效而有力地预防和打击\n犯罪；\n"
        "（b）促进、便利和支持国际合作。\n第二条\n本公约适用于预防犯罪。\n"
    )
    assert _outline(text) == ["第一条 |", "第二条 |"]


def test_preamble_is_a_sibling_of_the_articles() -> None:
    text = (
        "世界人权宣言\n\n序言\n\n鉴于对人类家庭所有成员的固有尊严的承认，乃是世界自由、正义与和平的基础，\n\n"
        "第一条\n\n人人生而自由，在尊严和权利上一律平等。\n\n第二条\n\n人人有资格享有本宣言所载的一切权利和自由。\n"
    )
    assert _outline(text) == ["| 序言", "第一条 |", "第二条 |"]


def test_article_schemes_of_the_six_languages_read_as_integers() -> None:
    cases = {
        "第一条": "第一条\n\n人人生而自由。\n\n第二条\n\n人人平等。\n",
        "Article premier": "Article premier\n\nTous naissent libres.\n\nArticle 2\n\nChacun.\n",
        "Artículo 1": "Artículo 1\n\nTodos los seres humanos nacen libres.\n\nArtículo 2\n\nToda persona.\n",
        "Статья 1": "Статья 1\n\nВсе люди рождаются свободными.\n\nСтатья 2\n\nКаждый человек.\n",
        "المادة 1": "المادة 1\n\nيولد جميع الناس أحرارًا.\n\nالمادة 2\n\nلكل إنسان.\n",
        "Article 1": "Article 1\n\nAll human beings are born free.\n\nArticle 2\n\nEveryone.\n",
    }
    for label, text in cases.items():
        doc = parse_text(text)
        heads = [b for b in doc.blocks if b.kind is BlockKind.HEADING]
        assert [(h.label, h.number, h.level) for h in heads] == [(label, "1", 1), (heads[1].label, "2", 1)]


def test_chapter_label_with_colon_and_annex_number_with_colon() -> None:
    text = (
        "第一章：宗旨及原则\n\n第一条 本组织的宗旨如下。\n\n第二条 本组织遵循下列原则。\n\n"
        "附件一：会员名单\n\n甲国\n"
    )
    assert _outline(text) == ["第一章 | 宗旨及原则", "第一条 |", "第二条 |", "附件一 | 会员名单"]


def test_a_line_mentioning_an_annex_is_not_a_heading() -> None:
    text = (
        "第一条 为了实施基本法，制定本办法。\n\n第二条 下列决定继续有效：\n\n"
        "全国人民代表大会常务委员会关于《中华人民共和国香港特别行政区基本法》\n"
        "附件三所列全国性法律增减的决定\n\n第三条 本办法自公布之日起施行。\n"
    )
    assert _outline(text) == ["第一条 |", "第二条 |", "第三条 |"]


def test_list_items_inside_annexes_are_not_headings() -> None:
    text = (
        "第一条 申请人应当提交附件所列文件。\n\n第二条 本办法自公布之日起施行。\n\n"
        "附件一\n\n应当提交的法律文本\n\n一、《中华人民共和国国旗法》\n\n二、《中华人民共和国国徽法》\n\n"
        "三、《中华人民共和国国籍法》\n\n"
        "附件二\n\n一、申请人应当提交书面申请，写明申请事项和理由。\n\n"
        "二、申请人应当提交身份证明材料，包括身份证或者护照复印件。\n\n"
        "三、申请人应当提交相关证明文件，由主管部门审核后出具意见。\n\n四、其他材料\n"
    )
    assert _outline(text) == ["第一条 |", "第二条 |", "附件一 | 应当提交的法律文本", "附件二 |"]


def test_blank_separated_numbered_paragraphs_are_not_merged() -> None:
    text = (
        "关于公约适用范围的说明\n\n"
        "一、本公约对缔约国的效力及于其全部领土，包括由其负责国际关系的一切领土以及其作为当然当事国\n\n"
        "二、缔约国应当采取一切适当措施，确保本公约在其全部领土内得到适用，并向保存人通报。\n\n"
        "三、本说明不影响缔约国根据其他国际协定所承担的义务。\n"
    )
    doc = parse_text(text)
    assert_accounted(doc)
    starts = [b.text[:2] for b in doc.blocks if b.kind is BlockKind.PARAGRAPH]
    assert starts == ["一、", "二、", "三、"] or [b.number for b in doc.paragraphs()] == ["一", "二", "三"]
    assert not any("二、" in b.text and "一、" in b.text for b in doc.blocks)


def test_table_like_rows_are_not_merged() -> None:
    text = (
        "第一条 本办法所列矿种见附录。\n\n第二条 本办法自发布之日起施行。\n\n附录\n\n矿种目录\n\n"
        "1 煤 18 锌\n\n2 石油 19 铝\n\n3 油页岩 20 镍\n"
    )
    doc = parse_text(text)
    assert_accounted(doc)
    rows = [b.text for b in doc.blocks if b.text[:1].isdigit()]
    assert rows == ["1 煤 18 锌", "2 石油 19 铝", "3 油页岩 20 镍"]


def test_corrigendum_items_are_its_numbered_paragraphs() -> None:
    text = (
        "United Nations    A/80/123/Corr.1\n\nGeneral Assembly\n\nEightieth session\n\n"
        "Report of the Special Rapporteur on the right to food\n\nCorrigendum\n\n"
        "1. Paragraph 12, second sentence\nFor 2030 read 2035\n\n"
        "2. Paragraph 40 (b)\nDelete the last sentence\n"
    )
    doc = parse_text(text)
    assert_accounted(doc)
    assert doc.tree == []
    assert [b.number for b in doc.paragraphs() if b.number] == ["1", "2"]
    assert doc.title == "Report of the Special Rapporteur on the right to food"


def test_decisions_are_leaves_under_the_sections_they_continue() -> None:
    text = (
        "大会通过的决定\n\n一.　选举\n\nA.　任命\n\n决定 80/401\n任命咨询委员会成员\n\n"
        "大会任命下列人士：\n(a)　甲（埃及）；\n(b)　乙（中国）。\n\n"
        "B.　其他决定\n\n决定 80/540\n认捐会议\n\n大会决定：\n1.　会议于11月举行；\n2.　会期一天。\n"
    )
    assert _outline(text) == ["一 | 选举", "A | 任命", "决定80/401 | 任命咨询委员会成员", "B | 其他决定",
                              "决定80/540 | 认捐会议"]  # fmt: skip
    assert [b.number for b in parse_text(text).paragraphs() if b.number] == []


def test_unpunctuated_short_lines_inside_chapters_are_sub_headings() -> None:
    text = (
        "白皮书\n\n一、合作的理念\n\n中国开展合作植根于深厚的文化底蕴。\n\n坚持互利共赢\n\n"
        "中国坚持互利共赢，不附加任何政治条件。\n\n尊重各国自主选择\n\n各国有权自主选择适合本国国情的发展道路。\n\n"
        "二、合作的成就\n\n多年来合作取得了丰硕成果。\n"
    )
    assert _outline(text) == ["一 | 合作的理念", "| 坚持互利共赢", "| 尊重各国自主选择", "二 | 合作的成就"]
    # One such line alone is not structure.
    single = "一、理念\n\n合作植根于文化底蕴之中。\n\n坚持互利共赢\n\n中国坚持互利共赢的原则。\n"
    assert _outline(single) == ["一 | 理念"]


def test_english_treaty_articles_take_their_title_from_the_next_line() -> None:
    text = (
        "Convention on Cooperation\n\nPreamble\n\nThe States Parties to this Convention,\n\n"
        'Article 1\nUse of terms\n\n1. For the purposes of this Convention:\n\n(a) "State" means a State;\n\n'
        "Article 2\nScope of application\n\n1. This Convention shall apply to cooperation.\n\n"
        "2. It shall not apply to other matters.\n"
    )
    assert _outline(text) == ["| Preamble", "Article 1 | Use of terms", "Article 2 | Scope of application"]
    doc = parse_text(text)
    assert [b.number for b in doc.blocks if b.kind is BlockKind.HEADING] == [None, "1", "2"]
    assert [b.number for b in doc.paragraphs() if b.number] == []  # 款 numbers stay in the text


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("秘书长的报告", "秘书长的报告"),
        ("Report of the Secretary-General", "Report of the Secretary-General"),
        ("秘书处的说明", "秘书处的说明"),
    ],
)
def test_a_report_type_line_alone_is_the_title(first_line: str, title: str) -> None:
    # Nothing above it names the report: the line is the best title there is (not the file name,
    # not the first chapter), in Chinese as in English.
    text = f"{first_line}\n\n一、导言\n\n1. 本报告根据大会决议提交。\n"
    doc = parse_text(text, doc_id="r", source_name="r.txt")
    assert doc.title == title
    bare = parse_text("说明\n\n一、导言\n\n1. 本文说明有关情况。\n", doc_id="n", source_name="notes.txt")
    assert bare.title != "说明"  # a bare 说明 names a kind of document, not this one
