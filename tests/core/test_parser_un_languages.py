"""Chapters, preambles and articles in the six UN languages: parsed alike and aligned unit by unit.

Each text is written here in the style of a UN instrument (a preamble, two
chapters, three articles); the expected tree is the text's own structure.
"""

from __future__ import annotations

import itertools

import pytest

from reader.core.align import align
from reader.core.model import BlockKind, Document
from reader.core.parser import parse_text

TEXTS = {
    "en": ("Convention", "Preamble", "The States Parties,", ("Chapter I", "General provisions"),
           ("Article 1", "Article 2"), ("Chapter II", "Final provisions"), ("Article 3",)),
    "fr": ("Convention", "Préambule", "Les États Parties,", ("Chapitre premier", "Dispositions générales"),
           ("Article premier", "Article 2"), ("Chapitre II", "Dispositions finales"), ("Article 3",)),
    "es": ("Convención", "Preámbulo", "Los Estados Partes,", ("Capítulo I", "Disposiciones generales"),
           ("Artículo 1", "Artículo 2"), ("Capítulo II", "Disposiciones finales"), ("Artículo 3",)),
    "ru": ("Конвенция", "Преамбула", "Государства-участники,", ("Глава I", "Общие положения"),
           ("Статья 1", "Статья 2"), ("Глава II", "Заключительные положения"), ("Статья 3",)),
    "ar": ("اتفاقية", "الديباجة", "إن الدول الأطراف،", ("الفصل الأول", "أحكام عامة"),
           ("المادة 1", "المادة 2"), ("الفصل الثاني", "أحكام ختامية"), ("المادة 3",)),
    "zh": ("公约", "序言", "本公约缔约国，", ("第一章", "总则"),
           ("第一条", "第二条"), ("第二章", "最后条款"), ("第三条",)),
}  # fmt: skip

BODIES = {
    "en": "The States Parties shall take all appropriate measures to give effect to this article.",
    "fr": "Les États Parties prennent toutes les mesures appropriées pour donner effet au présent article.",
    "es": "Los Estados Partes adoptarán todas las medidas apropiadas para dar efecto al presente artículo.",
    "ru": "Государства-участники принимают все надлежащие меры для осуществления настоящей статьи.",
    "ar": "تتخذ الدول الأطراف جميع التدابير المناسبة لإعمال هذه المادة.",
    "zh": "缔约国应采取一切适当措施实施本条。",
}


def _text(lang: str) -> str:
    title, preamble, clause, (ch1, ch1_title), arts1, (ch2, ch2_title), arts2 = TEXTS[lang]
    lines = [title, preamble, clause, ch1, ch1_title]
    for art in arts1:
        lines += [art, BODIES[lang]]
    lines += [ch2, ch2_title]
    for art in arts2:
        lines += [art, BODIES[lang]]
    return "\n\n".join(lines) + "\n"


def _doc(lang: str) -> Document:
    doc = parse_text(_text(lang), source_name=f"convention_{lang}.txt")
    doc.id = lang
    return doc


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_preamble_chapters_and_articles_form_the_tree(lang: str) -> None:
    _title, preamble, _clause, (ch1, _t1), arts1, (ch2, _t2), arts2 = TEXTS[lang]
    doc = _doc(lang)
    top = [h.display for h in doc.tree]
    assert top[0] == preamble
    assert top[1].startswith(ch1)
    assert top[2].startswith(ch2)
    assert [c.display for c in doc.tree[1].children] == list(arts1)
    assert [c.display for c in doc.tree[2].children] == list(arts2)
    # The preamble's clause stays in the preamble.
    clause = next(b for b in doc.blocks if b.kind is BlockKind.PARAGRAPH)
    assert clause.parent == doc.tree[0].block


@pytest.mark.parametrize(("x", "y"), list(itertools.combinations(sorted(TEXTS), 2)))
def test_every_language_pair_aligns_chapters_and_articles(x: str, y: str) -> None:
    a, b = _doc(x), _doc(y)
    alignment = align(a, b)
    for node_a, node_b in zip(
        [h for root in a.tree for h in root.walk()], [h for root in b.tree for h in root.walk()], strict=True
    ):
        assert alignment.counterpart("a", node_a.block) == (node_b.block,), (node_a.display, node_b.display)
        pair = alignment.pair_of("a", node_a.block)
        assert pair is not None
        assert not pair.low


REPORTS = {
    "en": ("I. Introduction", "II. Activities", "{n}. The Committee considered item {n} of its agenda."),
    "zh": ("一. 导言", "二. 活动", "{n}. 委员会详细审议了其议程项目{n}。"),
    "ar": ("أولا - مقدمة", "ثانيا - الأنشطة", "{n} - نظرت اللجنة بإسهاب في البند {n} من جدول أعمالها."),
    "fr": ("I. Introduction", "II. Activités", "{n}. Le Comité a examiné le point {n} de son ordre du jour."),
}  # fmt: skip


def _report(lang: str) -> Document:
    intro, activities, para = REPORTS[lang]
    lines = ["A/75/999", intro, *(para.format(n=n) for n in (1, 2, 3)), activities]
    lines += [para.format(n=n) for n in (4, 5, 6, 7)]
    doc = parse_text("\n\n".join(lines) + "\n", source_name=f"report_{lang}.txt")
    doc.id = lang
    return doc


@pytest.mark.parametrize("lang", sorted(REPORTS))
def test_numbered_paragraphs_are_read_in_every_language(lang: str) -> None:
    numbers = [b.number for b in _report(lang).blocks if b.kind is BlockKind.PARAGRAPH and b.number]
    assert numbers == [str(n) for n in range(1, 8)]


@pytest.mark.parametrize(("x", "y"), list(itertools.combinations(sorted(REPORTS), 2)))
def test_report_paragraphs_pair_by_their_number(x: str, y: str) -> None:
    a, b = _report(x), _report(y)
    alignment = align(a, b)
    for n in range(1, 8):
        pa, pb = a.paragraph(str(n)), b.paragraph(str(n))
        assert pa is not None
        assert pb is not None
        assert alignment.counterpart("a", pa.id) == (pb.id,)
        pair = alignment.pair_of("a", pa.id)
        assert pair is not None
        assert (pair.method, pair.label) == ("number", str(n))
    # Chapters I and II (一., أولا -) are headings in every language and pair by their number.
    assert len(a.tree) == len(b.tree) == 2
    for k, (ha, hb) in enumerate(zip(a.tree, b.tree, strict=True), start=1):
        assert alignment.counterpart("a", ha.block) == (hb.block,)
        pair = alignment.pair_of("a", ha.block)
        assert pair is not None
        assert pair.label == str(k)


# Sections lettered as each language's UN documents write them (A. / А. / ألف -), under chapter II.
SECTIONS = {
    "en": ("II. Activities", ("A. Peace and security", "B. Development", "C. Human rights")),
    "ru": ("II. Деятельность", ("А. Мир и безопасность", "Б. Развитие", "В. Права человека")),
    "ar": ("ثانيا - الأنشطة", ("ألف - السلام والأمن", "باء - التنمية", "جيم - حقوق الإنسان")),
    "zh": ("二. 活动", ("A. 和平与安全", "B. 发展", "C. 人权")),
}  # fmt: skip
SECTION_PARAS = {
    "en": "In {s} the Committee reviewed its work.",
    # Starts with the one-letter word В ("in"): a sentence, not section В.
    "ru": "В {s} Комитет рассмотрел свою работу.",
    "ar": "{s} - استعرضت اللجنة أعمالها.",
    "zh": "{s}. 委员会审查了工作。",
}


def _sectioned(lang: str) -> Document:
    chapter, sections = SECTIONS[lang]
    lines = ["A/75/998", chapter]
    for n, section in enumerate(sections, start=1):
        lines += [section, SECTION_PARAS[lang].format(s=n)]
    doc = parse_text("\n\n".join(lines) + "\n", source_name=f"sections_{lang}.txt")
    doc.id = lang
    return doc


@pytest.mark.parametrize("lang", sorted(SECTIONS))
def test_lettered_sections_sit_under_their_chapter(lang: str) -> None:
    doc = _sectioned(lang)
    chapter, sections = SECTIONS[lang]
    assert [doc.block(h.block).text for h in doc.tree] == [chapter]
    assert [doc.block(h.block).text for h in doc.tree[0].children] == list(sections)
    paragraphs = [b for b in doc.blocks if b.kind is BlockKind.PARAGRAPH]
    assert len(paragraphs) == len(sections)


@pytest.mark.parametrize(("x", "y"), list(itertools.combinations(sorted(SECTIONS), 2)))
def test_lettered_sections_pair_across_languages(x: str, y: str) -> None:
    a, b = _sectioned(x), _sectioned(y)
    alignment = align(a, b)
    for ha, hb in zip(a.tree[0].children, b.tree[0].children, strict=True):
        assert alignment.counterpart("a", ha.block) == (hb.block,)
