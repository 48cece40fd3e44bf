from __future__ import annotations

from pathlib import Path

from pytestqt.modeltest import ModelTester

from index.types import SearchHit
from reader.app import App
from reader.core.annotations import AnnotationStore
from reader.core.importers import load_path
from reader.core.library import Library
from reader.models.contents import BLOCK_ID_ROLE, ContentsModel, paragraph_range
from reader.models.library import LibraryModel
from reader.models.notes import SORT_TIME, BookmarksModel, NotesModel
from reader.models.search import HTML_ROLE, SearchResultsModel, snippet_html
from tests.ui.conftest import handmade_document


def test_contents_model(qtmodeltester: ModelTester) -> None:
    model = ContentsModel()
    model.set_document(handmade_document())
    qtmodeltester.check(model)
    model.set_hit_counts({"p2": 2, "p3": 5})
    qtmodeltester.check(model)
    top = model.index(0, 0)
    assert model.data(top) == "一 战略背景  ¶1–2  (2)"
    assert model.data(model.index(0, 0, top)) == "A. 维和前景  ¶1–2  (2)"
    assert model.data(model.index(1, 0)) == "二 抗击大流行  ¶3–4  (5)"
    model.set_document(None)
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_paragraph_range_single_and_none() -> None:
    doc = handmade_document()
    assert paragraph_range(doc, "h2") == "¶3–4"
    assert paragraph_range(doc, "h1.1") == "¶1–2"


def test_library_model(qtmodeltester: ModelTester, library: Library) -> None:
    library.ensure_sample()
    model = LibraryModel()
    model.set_records(library.documents())
    model.set_note_counts({library.documents()[0].id: 3})
    qtmodeltester.check(model)
    assert model.data(model.index(0, 3)) == "3"
    assert model.data(model.index(0, 0)) == "维持和平行动特别委员会各项建议的执行情况"


def hit(
    block: str,
    number: str | None,
    path: tuple[str, ...],
    snippet: str,
    spans: tuple[tuple[int, int], ...],
    doc: str = "d1",
) -> SearchHit:
    return SearchHit(
        doc, block, number, path, "paragraph", snippet, spans, spans, 1.0, doc_title=f"Doc {doc}"
    )


def test_search_model_groups_and_escapes(qtmodeltester: ModelTester) -> None:
    model = SearchResultsModel()
    model.set_hits(
        [
            hit("p1", "1", ("一章",), "<script>维和情报</script>", ((8, 12),)),
            hit("p2", "2", ("一章",), "维和情报 again", ((0, 4),)),
            hit("p9", "9", ("二章",), "维和情报", ((0, 4),)),
            hit("p1", "1", ("甲",), "维和情报", ((0, 4),), doc="d2"),
        ]
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.rowCount(model.index(0, 0)) == 2
    first = model.hit_index(0)
    assert "&lt;script&gt;<b>维和情报</b>&lt;/script&gt;" in first.data(HTML_ROLE)
    assert model.hit_count() == 4
    assert model.hit_number(model.hit_index(3)) == 3
    model.set_hits([])
    qtmodeltester.check(model)


def test_snippet_html_escapes_everything() -> None:
    assert snippet_html("a<b>c", ((1, 4),)) == "a<b>&lt;b&gt;</b>c"


def test_notes_and_bookmark_models(qtmodeltester: ModelTester, running: App) -> None:
    assert running.session.notes is not None
    notes = running.session.notes
    a = notes.make_note("p3", 0, 4, text="甲", colour="green", tags=["support"])
    b = notes.make_note("p1", 0, 2, text="乙")
    notes.add_note(a)
    notes.add_note(b)
    notes.add_bookmark(notes.make_bookmark("p5"))
    order = {"p1": 1, "p3": 3, "p5": 5}
    model = NotesModel()
    model.set_notes(notes.notes(), lambda block: order.get(block, 99))
    qtmodeltester.check(model)
    assert [model.note_id(r) for r in range(2)] == [b.id, a.id]
    model.set_sort(SORT_TIME)
    assert model.note_id(0) == b.id
    model.set_filter(tag="support")
    assert model.rowCount() == 1
    model.set_filter(colour="yellow")
    assert [model.note_id(r) for r in range(model.rowCount())] == [b.id]
    model.set_filter(text="甲")
    assert model.rowCount() == 1
    qtmodeltester.check(model)
    marks = BookmarksModel()
    marks.set_bookmarks(notes.bookmarks(), lambda block: order.get(block, 99), lambda block: f"label {block}")
    qtmodeltester.check(marks)
    assert marks.data(marks.index(0)) == "label p5"
    assert isinstance(running.store, AnnotationStore)


def test_an_arabic_heading_keeps_its_paragraph_range_left_to_right() -> None:
    texts = Path(__file__).resolve().parents[1] / "fixtures" / "texts"
    model = ContentsModel()
    model.set_document(load_path(texts / "redteam4_ga_report_ar_tabs.txt"))
    first = model.index(0, 0)
    assert first.data(BLOCK_ID_ROLE) == "h1"
    # Chapter أولا holds paragraphs 1 and 2 (the text): isolated, so it is not shown as 2–1.
    assert first.data().endswith("\u2066¶1–2\u2069")
    model.set_document(load_path(texts / "redteam4_ga_report_zh_tabs.txt"))
    assert model.index(0, 0).data() == "一. 导言  ¶1–2"  # left-to-right text needs no marks
