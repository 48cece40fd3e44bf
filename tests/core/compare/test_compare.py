"""The comparison on made-up edits: sample briefing, renumbering laws, diffs inside a unit."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.annotations import AnnotationStore
from reader.core.compare import (
    Outcome,
    Status,
    compare_documents,
    diff_ops,
    new_text,
    old_text,
    review,
    units_of,
)
from reader.core.compare.textdiff import tokens
from reader.core.library import Library
from reader.core.model import Document
from reader.core.parser import parse_text

# ---------------------------------------------------------------- diffs inside a unit


@given(st.text(max_size=60), st.text(max_size=60))
@settings(max_examples=150, deadline=None)
def test_operations_reproduce_both_texts(a: str, b: str) -> None:
    ops = diff_ops(a, b)
    assert old_text(ops) == a
    assert new_text(ops) == b
    assert all(text for _, text in ops)
    assert all(x[0] != y[0] for x, y in itertools.pairwise(ops))


# Few distinct symbols, so that texts share a lot: clause marks, line breaks, private-use and astral
# characters (the encoder's own ranges), words and CJK.
_SYMBOLS = st.sampled_from([*"的了是，。；\n ab c1\ue000\ue001𠀀", "word", "词语"])
_DENSE = st.lists(_SYMBOLS, max_size=80).map("".join)


@given(_DENSE, _DENSE)
@settings(max_examples=300, deadline=None)
def test_operations_reproduce_texts_that_share_much(a: str, b: str) -> None:
    ops = diff_ops(a, b)
    assert old_text(ops) == a
    assert new_text(ops) == b
    assert all(text for _, text in ops)


def test_chinese_is_compared_by_character() -> None:
    ops = diff_ops("防止生产安全事故", "防止和减少生产安全事故")
    assert ops == [("=", "防止"), ("+", "和减少"), ("=", "生产安全事故")]


def test_latin_text_is_compared_by_word() -> None:
    ops = diff_ops("The Council requests a report.", "The Council requested a report.")
    assert ("-", "requests") in ops
    assert ("+", "requested") in ops


def test_a_lone_surviving_character_is_folded_into_the_replacement() -> None:
    # 质量技术监督 → 市场监督管理: one renamed authority, not four fragments around 监督.
    ops = diff_ops("国务院质量技术监督部门", "国务院市场监督管理部门")
    assert ops == [("=", "国务院"), ("-", "质量技术监督"), ("+", "市场监督管理"), ("=", "部门")]


def test_a_real_amendment_reads_as_three_marks() -> None:
    old = "为了加强安全生产监督管理，防止生产安全事故，保障人民群众生命和财产安全。"
    new = "为了加强安全生产工作，防止和减少生产安全事故，维护城市安全运行，保障人民群众生命和财产安全。"
    edits = [(op, text) for op, text in diff_ops(old, new) if op != "="]
    assert edits == [("-", "监督管理"), ("+", "工作"), ("+", "和减少"), ("+", "维护城市安全运行，")]


def test_tokens_split_cjk_by_character_and_words_whole() -> None:
    assert tokens("第5条 Article 12a，𠀀字") == [
        "第",
        "5",
        "条",
        " ",
        "Article",
        " ",
        "12a",
        "，",
        "𠀀",
        "字",
    ]


# ---------------------------------------------------------------- the sample briefing


def _numbered_lines(doc: Document) -> dict[str, int]:
    """Paragraph number → index of the source line where the numbered paragraph starts."""
    return {
        block.number: doc.source.count("\n", 0, block.spans[0][0])
        for block in doc.paragraphs()
        if block.number and block.spans
    }


def edited_sample(doc: Document) -> tuple[str, dict[str, str]]:
    """The sample with ¶4 inserted new, ¶12 deleted, ¶20 reworded, ¶30 moved after ¶40, all renumbered.

    Returns the new text and, for every paragraph kept, old number → new number.
    """
    lines = doc.source.split("\n")
    at = _numbered_lines(doc)
    for wanted in ("3", "12", "20", "30", "40"):
        assert wanted in at, wanted
    for whole in ("12", "30"):  # deleted and moved whole: they must sit on one line
        block = doc.paragraph(whole)
        assert block is not None
        assert len(block.spans) == 1
        assert doc.source.count("\n", *block.spans[0]) == 0
    marker = {line: n for n, line in at.items()}
    # (text, old paragraph number or "new" or None for other lines)
    out: list[tuple[str, str | None]] = []
    for i, source_line in enumerate(lines):
        line = source_line
        n = marker.get(i)
        if n in ("12", "30"):
            continue
        if n == "20":
            line = line.replace("。", "，并且已经在各特派团全面落实。", 1)
        out.append((line, n))
        if n == "3":
            out += [
                ("", None),
                ("4. 本段为新插入的段落，说明维和行动在新形势下的优先事项和会员国的共同责任。", "new"),
            ]
        if n == "40":
            out += [("", None), (lines[at["30"]], "30")]
    expected: dict[str, str] = {}
    count = 0
    new_lines = []
    for text, n in out:
        line = text
        if n is not None:
            count += 1
            line = re.sub(r"^\d+\. ", f"{count}. ", line)
            if n != "new":
                expected[n] = str(count)
        new_lines.append(line)
    return "\n".join(new_lines), expected


def test_sample_with_four_edits_gives_exactly_those_four_operations(sample_doc: Document) -> None:
    text, numbers = edited_sample(sample_doc)
    new = parse_text(text, source_name="sample-rev1.txt")
    comparison = compare_documents(sample_doc, new)
    operations = [c for c in comparison.changes if c.status not in (Status.UNCHANGED, Status.RENUMBERED)]
    assert [(c.status, c.old and c.old.number, c.new and c.new.number) for c in operations] == [
        (Status.INSERTED, None, "4"),
        (Status.DELETED, "12", None),
        (Status.CHANGED, "20", numbers["20"]),
        (Status.MOVED, "30", numbers["30"]),
    ]
    changed = operations[2]
    assert [t for op, t in changed.ops if op == "+"] == ["，并且已经在各特派团全面落实"]
    renumbered = {
        c.old.number: c.new.number
        for c in comparison.changes
        if c.status is Status.RENUMBERED and c.old and c.old.number and c.new
    }
    assert renumbered == {o: n for o, n in numbers.items() if o != n and o not in ("20", "30")}
    assert comparison.summary()["inserted"] == 1
    assert comparison.summary()["deleted"] == 1


def test_deleted_unit_stands_where_it_stood(sample_doc: Document) -> None:
    text, _ = edited_sample(sample_doc)
    comparison = compare_documents(sample_doc, parse_text(text, source_name="sample-rev1.txt"))
    i = next(k for k, c in enumerate(comparison.changes) if c.status is Status.DELETED)
    before = comparison.changes[i - 1]
    assert before.old is not None
    assert before.old.number == "11"


# ---------------------------------------------------------------- laws: an early insertion renumbers the rest


def law(*bodies: str, chapter_at: int = 0) -> str:
    numerals = [*"一二三四五六七八九十", "十一", "十二", "十三", "十四", "十五"]
    lines = ["# 某市示范条例", "", "## 第一章 总则", ""]
    for k, body in enumerate(bodies):
        if chapter_at and k == chapter_at:
            lines += ["## 第二章 附则", ""]
        lines += [f"第{numerals[k]}条 {body}", ""]
    return "\n".join(lines)


BODIES = [
    "为了规范管理，制定本条例。",
    "本条例适用于本市行政区域。",
    "市人民政府负责组织实施本条例。",
    "区人民政府负责本辖区的具体工作。",
    "有关部门按照职责分工做好相关工作。",
    "本条例自公布之日起施行。",
]


def test_an_article_inserted_early_is_one_insertion_and_the_rest_renumbered() -> None:
    old = parse_text(law(*BODIES), source_name="old.md")
    new = parse_text(
        law(BODIES[0], "本市建立协调机制，统筹推进相关工作。", *BODIES[1:]), source_name="new.md"
    )
    comparison = compare_documents(old, new)
    counts = comparison.summary()
    assert counts["inserted"] == 1
    assert counts["changed"] == 0
    assert counts["deleted"] == 0
    assert counts["renumbered"] == len(BODIES) - 1
    assert comparison.summary_line() == "0 articles changed, 1 inserted, 0 deleted, 5 renumbered"
    assert "h1.1" in comparison.changed_chapters()


def test_summary_line_and_json_contract() -> None:
    old = parse_text(law(*BODIES), source_name="old.md")
    edited = [*BODIES]
    edited[2] = "市人民政府负责组织实施和监督本条例。"
    del edited[4]
    new = parse_text(law(*edited), source_name="new.md")
    data = compare_documents(old, new).to_json()
    assert set(data) == {"a", "b", "summary", "units"}
    assert data["summary"]["changed"] == 1
    assert data["summary"]["deleted"] == 1
    for unit in data["units"]:
        assert set(unit) == {"status", "old", "new", "ops"}
        for side in ("old", "new"):
            if unit[side] is not None:
                assert set(unit[side]) == {"block", "kind", "label", "number", "text"}
        joined_old = "".join(t for op, t in unit["ops"] if op in "=-")
        joined_new = "".join(t for op, t in unit["ops"] if op in "=+")
        assert joined_old == (unit["old"]["text"] if unit["old"] else "")
        assert joined_new == (unit["new"]["text"] if unit["new"] else "")
    deleted = [u for u in data["units"] if u["status"] == "deleted"]
    assert deleted[0]["old"]["label"] == "第五条"
    assert deleted[0]["old"]["number"] == "5"
    changed = next(u for u in data["units"] if u["status"] == "changed")
    assert changed["old"]["kind"] == "article"
    assert ["+", "和监督"] in changed["ops"]


def test_units_of_a_law_are_articles_with_their_bodies() -> None:
    doc = parse_text(law("第一款内容。\n\n第二款内容。", *BODIES[1:3]), source_name="x.md")
    articles = [u for u in units_of(doc) if u.kind == "article"]
    assert [u.label for u in articles] == ["第一条", "第二条", "第三条"]
    assert articles[0].text == "第一款内容。\n第二款内容。"
    for unit in articles:
        for part in unit.parts:
            assert unit.text[part.start : part.end] == doc.block(part.block).text


# ---------------------------------------------------------------- notes follow the comparison


def test_a_note_on_a_repeated_text_follows_its_own_article(tmp_path: Path) -> None:
    repeated = "本条规定的事项，由市人民政府另行规定。"
    bodies = [BODIES[0], repeated, BODIES[1], BODIES[2], repeated, BODIES[5]]
    old_file = tmp_path / "条例(2020-01-01).md"
    old_file.write_text(law(*bodies), encoding="utf-8")
    new_file = tmp_path / "条例(2024-01-01).md"
    new_file.write_text(law(BODIES[0], "新增的一条规定。", *bodies[1:]), encoding="utf-8")
    library = Library.open(tmp_path / "lib")
    first = library.import_file(old_file)
    store = AnnotationStore(library, author="me")
    notes = store.open_document(first.record.id)
    fifth = next(u for u in units_of(first.document) if u.label == "第五条")
    note = notes.make_note(fifth.parts[0].block, text="the second one")
    notes.add_note(note)
    store.close()

    result = Library.open(tmp_path / "lib").import_file(new_file)
    assert result.status == "revision"
    store = AnnotationStore(Library.open(tmp_path / "lib"), author="me")
    moved = store.open_document(result.record.id).note(note.id)
    sixth = next(u for u in units_of(result.document) if u.label == "第六条")
    assert moved.anchor.block == sixth.parts[0].block
    assert moved.anchor.confidence == 1.0
    comparison = compare_documents(first.document, result.document)
    [item] = review(comparison, [moved])
    assert item.describe() == "stayed: 第五条 → 第六条"
    store.close()


def test_a_note_on_reworded_text_is_reported_with_the_diff(tmp_path: Path) -> None:
    old_file = tmp_path / "条例(2020-01-01).md"
    old_file.write_text(law(*BODIES), encoding="utf-8")
    edited = [*BODIES]
    edited[2] = "市人民政府负责统筹实施本条例。"
    new_file = tmp_path / "条例(2024-01-01).md"
    new_file.write_text(law(*edited), encoding="utf-8")
    library = Library.open(tmp_path / "lib")
    first = library.import_file(old_file)
    store = AnnotationStore(library, author="me")
    notes = store.open_document(first.record.id)
    third = next(u for u in units_of(first.document) if u.label == "第三条")
    kept = notes.make_note(third.parts[0].block, quote="市人民政府负责")
    hit = notes.make_note(third.parts[0].block, quote="组织实施")
    gone_unit = next(u for u in units_of(first.document) if u.label == "第一条")
    for n in (kept, hit):
        notes.add_note(n)
    store.close()
    second = Library.open(tmp_path / "lib")
    result = second.import_file(new_file)
    store = AnnotationStore(second, author="me")
    now = store.open_document(result.record.id)
    comparison = compare_documents(first.document, result.document)
    items = {i.note.id: i for i in review(comparison, now.notes())}
    assert items[kept.id].describe() == "stayed: 第三条"
    assert items[hit.id].outcome is Outcome.TEXT_CHANGED
    assert items[hit.id].note.anchor.quote == "统筹实施"
    hit_change = items[hit.id].change
    assert hit_change is not None
    assert hit_change.status is Status.CHANGED
    assert gone_unit.label == "第一条"
    store.close()


def test_compare_is_fast_enough_to_run_on_the_gui_thread_for_small_documents(sample_doc: Document) -> None:
    # Not a timing assertion on the result: a guard that nothing quadratic slipped in (generous bound).
    text, _ = edited_sample(sample_doc)
    new = parse_text(text, source_name="rev.txt")
    started = time.perf_counter()
    compare_documents(sample_doc, new)
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize("text", ["", "   ", "一"])
def test_degenerate_documents_compare(text: str) -> None:
    a = parse_text(text or " ", source_name="a.txt") if text.strip() else None
    b = parse_text("第一条 内容。", source_name="b.txt")
    if a is None:
        return
    comparison = compare_documents(a, b)
    assert sum(comparison.summary().values()) == len(comparison.changes)


def test_accept_and_reattach_are_undoable_and_keep_history(tmp_path: Path) -> None:
    from reader.core.annotations import REVIEWED_KEY, AcceptPlacement, MoveNote, make_anchor

    source = tmp_path / "条例.md"
    source.write_text(law(*BODIES), encoding="utf-8")
    library = Library.open(tmp_path / "lib")
    doc = library.import_file(source).document
    store = AnnotationStore(library, author="me")
    notes = store.open_document(doc.id)
    first = units_of(doc)[3]  # 第一条
    note = notes.make_note(first.parts[0].block, text="keep me")
    notes.add_note(note)
    accept = AcceptPlacement(notes, note.id, doc.source_hash)
    accept.do()
    assert notes.note(note.id).extra[REVIEWED_KEY] == doc.source_hash
    accept.undo()
    assert REVIEWED_KEY not in notes.note(note.id).extra
    target = units_of(doc)[5].parts[0].block  # 第三条
    move = MoveNote(notes, note.id, make_anchor(doc, target, 0, 3), reviewed=doc.source_hash)
    move.do()
    moved = notes.note(note.id)
    assert moved.anchor.block == target
    assert moved.anchor.previous[-1].block == first.parts[0].block
    assert moved.extra[REVIEWED_KEY] == doc.source_hash
    move.undo()
    back = notes.note(note.id)
    assert back.anchor.block == first.parts[0].block
    assert back.anchor.previous == []
    assert REVIEWED_KEY not in back.extra
    store.close()
    # Saved to disk: a new store reads the same note back, text and all.
    again = AnnotationStore(Library.open(tmp_path / "lib"), author="me")
    assert again.open_document(doc.id).note(note.id).text == "keep me"
    again.close()


def test_only_the_chapters_that_changed_are_marked() -> None:
    old = parse_text(law(*BODIES, chapter_at=4), source_name="old.md")
    edited = [*BODIES]
    edited[5] = "本条例自二〇二五年一月一日起施行。"
    new = parse_text(law(*edited, chapter_at=4), source_name="new.md")
    marked = compare_documents(old, new).changed_chapters()
    chapters = {h.title: h.block for h in new.headings() if h.label and h.label.endswith("章")}
    assert chapters["附则"] in marked
    assert chapters["总则"] not in marked


def test_a_un_rev_1_is_imported_as_a_revision_and_its_notes_follow(tmp_path: Path) -> None:
    fixture = (
        Path(__file__).resolve().parents[2] / "fixtures" / "texts" / "redteam2_hrc_draft_symbol_first.txt"
    )
    text = fixture.read_text(encoding="utf-8")
    symbol = text.split("\n", 1)[0].strip()
    assert symbol == "A/HRC/50/L.12"
    first = tmp_path / "L12.txt"
    first.write_text(text, encoding="utf-8")
    library = Library.open(tmp_path / "lib")
    old = library.import_file(first)
    paragraph = next(b for b in old.document.paragraphs() if len(b.text) > 40)
    store = AnnotationStore(library, author="me")
    notes = store.open_document(old.record.id)
    note = notes.make_note(paragraph.id, text="our position")
    notes.add_note(note)
    store.close()
    revised = tmp_path / "L12-Rev1.txt"
    revised.write_text(
        text.replace(symbol, symbol + "/Rev.1", 1).replace("。", "，经修订。", 1), encoding="utf-8"
    )
    result = Library.open(tmp_path / "lib").import_file(revised)
    assert result.status == "revision"
    assert result.record.id == old.record.id
    assert result.record.symbol == symbol + "/Rev.1"
    store = AnnotationStore(Library.open(tmp_path / "lib"), author="me")
    moved = store.open_document(old.record.id).note(note.id)
    assert result.document.block(moved.anchor.block).text == paragraph.text
    store.close()


@pytest.mark.parametrize("order", ["undated first", "dated first"])
def test_dated_and_undated_copies_of_a_law_are_one_document(tmp_path: Path, order: str) -> None:
    from tests.core.compare.corpus import CORPUS

    files = [CORPUS / "北京市安全生产条例.md", CORPUS / "北京市安全生产条例(2022-05-25).md"]
    if order == "dated first":
        files.reverse()
    library = Library.open(tmp_path / "lib")
    first = library.import_file(files[0])
    second = library.import_file(files[1])
    assert second.status == "revision"
    assert second.record.id == first.record.id


def test_a_bookmark_on_an_article_heading_follows_the_renumbering(tmp_path: Path) -> None:
    from reader.core.annotations import AddBookmark

    old_file = tmp_path / "条例(2020-01-01).md"
    old_file.write_text(law(*BODIES), encoding="utf-8")
    new_file = tmp_path / "条例(2024-01-01).md"
    new_file.write_text(law(BODIES[0], "新增的一条规定。", *BODIES[1:]), encoding="utf-8")
    library = Library.open(tmp_path / "lib")
    first = library.import_file(old_file)
    store = AnnotationStore(library, author="me")
    notes = store.open_document(first.record.id)
    fifth = next(u for u in units_of(first.document) if u.label == "第五条")
    mark = notes.make_bookmark(fifth.block, name="read again")
    AddBookmark(notes, mark).do()
    store.close()
    result = Library.open(tmp_path / "lib").import_file(new_file)
    store = AnnotationStore(Library.open(tmp_path / "lib"), author="me")
    moved = store.open_document(result.record.id).bookmark(mark.id)
    sixth = next(u for u in units_of(result.document) if u.label == "第六条")
    assert moved.anchor.block == sixth.block
    assert moved.anchor.confidence == 1.0
    store.close()


def test_an_english_un_report_with_a_paragraph_inserted_is_one_insertion_and_renumbering() -> None:
    fixture = Path(__file__).resolve().parents[2] / "fixtures" / "texts" / "un_report_en.txt"
    text = fixture.read_text(encoding="utf-8")
    old = parse_text(text, source_name="report.txt")
    starts = {old.source.count("\n", 0, b.spans[0][0]) for b in old.paragraphs() if b.number}
    total = len(starts)
    lines, count = [], 0
    for k, source_line in enumerate(text.split("\n")):
        line = source_line
        if k in starts:
            count += 1
            if count == 2:
                lines += [
                    "2. The Secretary-General also welcomes the partnership frameworks agreed in 2021.",
                    "",
                ]
                count += 1
            line = re.sub(r"^\d+\.", f"{count}.", line)
        lines.append(line)
    comparison = compare_documents(old, parse_text("\n".join(lines), source_name="report-rev1.txt"))
    counts = comparison.summary()
    assert counts["inserted"] == 1
    assert counts["changed"] == counts["deleted"] == counts["moved"] == 0
    assert counts["renumbered"] == total - 1  # every official paragraph after the first
    [inserted] = [c for c in comparison.changes if c.status is Status.INSERTED]
    assert inserted.new is not None
    assert inserted.new.number == "2"
