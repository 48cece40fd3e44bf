"""Every law revision pair of the corpus: identical articles, exact operations, notes that follow."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reader.core.annotations import AnnotationStore, Note
from reader.core.compare import Comparison, Outcome, Status, compare_documents, new_text, old_text, review
from reader.core.compare.units import ARTICLE
from reader.core.importers import load_path
from reader.core.library import Library
from reader.core.model import Document
from reader.core.parser import parse_text
from tests.core.compare.corpus import articles, plain_text, revision_pairs, same_text_articles

PAIRS = revision_pairs()
IDS = [f"{old.stem}->{new.stem[-11:-1] if '(' in new.stem else 'undated'}" for old, new in PAIRS]


def test_the_corpus_has_every_law_with_two_or_more_versions() -> None:
    assert len({p[0].stem.split("(")[0] for p in PAIRS}) == 42
    assert len(PAIRS) == 43  # one law has three versions


def check_comparison(comparison: Comparison, expected: dict[str, str]) -> None:
    """Identical articles never changed; old text + operations give the new text; every unit once."""
    # Every text present in both versions: as many pairs of identical articles as it can make.
    old_texts = Counter(u.text for u in comparison.old_units if u.kind == ARTICLE)
    new_texts = Counter(u.text for u in comparison.new_units if u.kind == ARTICLE)
    identical = Counter(
        c.old.text
        for c in comparison.changes
        if c.old is not None and c.new is not None and c.old.kind == ARTICLE and c.old.text == c.new.text
    )
    for text, count in old_texts.items():
        assert identical[text] == min(count, new_texts[text]), text[:30]
    by_old_number = {
        c.old.number: c for c in comparison.changes if c.old is not None and c.old.kind == ARTICLE
    }
    for old_number, new_number in expected.items():
        change = by_old_number[old_number]
        assert change.status in (Status.UNCHANGED, Status.RENUMBERED, Status.MOVED), (
            old_number,
            change.status,
        )
        assert change.new is not None
        assert change.new.number == new_number
        assert change.status is not Status.UNCHANGED or old_number == new_number
    for change in comparison.changes:
        if change.old is not None and change.new is not None and change.old.text == change.new.text:
            assert change.status is not Status.CHANGED
        assert old_text(change.ops) == (change.old.text if change.old else "")
        assert new_text(change.ops) == (change.new.text if change.new else "")
        if change.status is Status.CHANGED:
            assert any(op != "=" for op, _ in change.ops)
    assert [c.new for c in comparison.changes if c.new is not None] == comparison.new_units
    olds = [c.old for c in comparison.changes if c.old is not None]
    assert sorted(u.index for u in olds) == list(range(len(comparison.old_units)))
    # Deleted units stand where they stood: old units not moved keep their order.
    kept = [c.old.index for c in comparison.changes if c.old is not None and c.status is not Status.MOVED]
    assert kept == sorted(kept)


@pytest.mark.parametrize(("old_path", "new_path"), PAIRS, ids=IDS)
def test_markdown_pair(old_path: Path, new_path: Path) -> None:
    expected = same_text_articles(articles(old_path), articles(new_path))
    comparison = compare_documents(load_path(old_path), load_path(new_path))
    check_comparison(comparison, expected)


@pytest.mark.parametrize(("old_path", "new_path"), PAIRS, ids=IDS)
def test_plain_text_pair(old_path: Path, new_path: Path) -> None:
    expected = same_text_articles(articles(old_path), articles(new_path))
    docs = [
        parse_text(plain_text(p.read_text(encoding="utf-8")), source_name=p.stem + ".txt")
        for p in (old_path, new_path)
    ]
    check_comparison(compare_documents(*docs), expected)


def _article_number(document: Document, block_id: str) -> str | None:
    from tests.core.compare.corpus import numeral

    parent = document.block(block_id).parent
    head = document.get_block(parent) if parent else None
    if head is None or not head.label or not head.label.startswith("第") or not head.label.endswith("条"):
        return None
    return str(numeral(head.label[1:-1]))


@pytest.mark.parametrize(("old_path", "new_path"), PAIRS, ids=IDS)
def test_notes_on_every_old_article_follow_to_the_same_text(
    old_path: Path, new_path: Path, tmp_path: Path
) -> None:
    library = Library.open(tmp_path / "library")
    first = library.import_file(old_path)
    old_doc = first.document
    store = AnnotationStore(library, author="tester", autosave=False)
    notes = store.open_document(first.record.id)
    wrote: dict[str, str] = {}  # note id -> old article number
    marked: dict[str, str] = {}  # bookmark id (on the article heading) -> old article number
    for block in old_doc.blocks:
        number = _heading_number(block.label) if block.kind.value == "heading" else None
        if number is not None and number not in marked.values():
            mark = notes.make_bookmark(block.id)
            notes.add_bookmark(mark)
            marked[mark.id] = number
    for block in old_doc.blocks:
        number = _article_number(old_doc, block.id)
        if number is None or not block.text or number in wrote.values():
            continue
        note = notes.make_note(block.id, text=f"on article {number}")
        notes.add_note(note)
        wrote[note.id] = number
    notes.save()
    store.close()

    second = Library.open(tmp_path / "library")
    result = second.import_file(new_path)
    assert result.status == "revision"
    store = AnnotationStore(second, author="tester", autosave=False)
    moved = store.open_document(result.record.id)
    new_doc = moved.document
    expected = same_text_articles(articles(old_path), articles(new_path))
    placed: dict[str, Note] = {n.id: n for n in moved.notes()}
    assert set(placed) == set(wrote)  # nothing dropped
    comparison = compare_documents(old_doc, new_doc)
    items = {item.note.id: item for item in review(comparison, placed.values())}
    assert set(items) == set(wrote)
    for note_id, old_number in wrote.items():
        if old_number not in expected:
            continue
        note = placed[note_id]
        # The note was on the article's first paragraph; identical text means the same paragraph.
        assert not note.anchor.is_orphan, old_number
        assert note.anchor.confidence == 1.0, (old_number, note.anchor)
        assert _article_number(new_doc, note.anchor.block) == expected[old_number]
        assert new_doc.block(note.anchor.block).text == old_doc.block(note.anchor.previous[-1].block).text
        item = items[note_id]
        assert item.outcome is Outcome.STAYED
        assert item.old_place.endswith("条")
        assert item.new_place is not None
        assert _article_number(new_doc, note.anchor.block) == expected[old_number]
    bookmarks = {b.id: b for b in moved.bookmarks()}
    assert set(bookmarks) == set(marked)
    for mark_id, old_number in marked.items():
        if old_number not in expected:
            continue
        anchor = bookmarks[mark_id].anchor
        assert anchor.confidence == 1.0, old_number
        assert _heading_number(new_doc.block(anchor.block).label) == expected[old_number]
    store.close()


def _heading_number(label: str | None) -> str | None:
    from tests.core.compare.corpus import numeral

    if not label or not label.startswith("第") or not label.endswith("条") or "之" in label:
        return None
    return str(numeral(label[1:-1]))
