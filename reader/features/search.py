"""Search: keep the index in sync in a worker, search as you type, jump to and highlight hits."""

from __future__ import annotations

from index.types import NoteRecord, SearchHit, SearchResults
from reader.features import navigation, reading
from reader.features.base import App
from reader.models.search import SORT_ORDER
from reader.qt.i18n import tr
from reader.workers.jobs import Job
from reader.workers.search import RESULT_LIMIT


def connect(app: App) -> None:
    """Search as you type in a worker; stale answers are dropped; hits jump and highlight."""
    window, view, panel = app.window, app.window.view, app.window.search
    panel.set_ready(False)
    app.session.search_ready_changed.connect(panel.set_ready)
    panel.search_requested.connect(lambda query, scope: search(app, query, scope))
    panel.next_hit_requested.connect(lambda: next_hit(app))
    panel.more_requested.connect(lambda: search(app, panel.query, panel.scope_key, more=True))
    panel.refresh_requested.connect(lambda query, scope: search(app, query, scope, keep=True))
    panel.sort_changed.connect(lambda key: panel.model.set_sort(key, lambda hit: _order(app, hit)))
    if str(app.settings.value("search/sort", "")) == SORT_ORDER:
        panel.sort.setCurrentIndex(panel.sort.findData(SORT_ORDER))
    panel.sort_changed.connect(lambda key: app.settings.setValue("search/sort", key))

    def hit(doc_id: str, block_id: str) -> None:
        if doc_id != app.session.doc_id:
            reading.open_document(app, doc_id, block_id)
            return
        view.goto_hit_near(block_id)

    panel.hit_requested.connect(hit)

    def find() -> None:
        window.docks["search"].show()
        window.docks["search"].raise_()
        panel.focus_box()

    window.action("find").triggered.connect(find)
    window.action("find_next").triggered.connect(lambda: step(app, 1))
    window.action("find_previous").triggered.connect(lambda: step(app, -1))
    app.session.document_opened.connect(lambda _doc: _highlight_results(app))


def _order(app: App, hit: SearchHit) -> tuple[int, ...]:
    """Where a hit is in its document: the block's position in the open one, else its paragraph number."""
    document = app.session.document
    if document is not None and hit.doc_id == document.id and document.get_block(hit.block_id) is not None:
        return (document.index_of(hit.block_id),)
    number = (hit.number or "").split(".")[0]
    return (int(number) if number.isdigit() else 1 << 30,)


def step(app: App, direction: int) -> None:
    """F3 / Shift+F3: the next or previous occurrence from the reading position, in document order."""
    view = app.window.view
    if not view.hit_count:
        return
    view.step_hit(direction)
    navigation.record(app, view.current_hit_block())


def next_hit(app: App) -> None:
    """Enter in the search box: the next hit after the reading position (another document's first)."""
    panel = app.window.search
    if app.window.view.hit_count:
        step(app, 1)
        return
    first = panel.model.hit_index(0)
    if first.isValid():
        panel.results.setCurrentIndex(first)
        hit = panel.model.hit_at(first)
        if hit is not None:
            panel.hit_requested.emit(hit.doc_id, hit.block_id)
        return
    # The results are not in yet: go once they are.
    app.jump_on_results = bool(panel.query)


def search(app: App, query: str, scope: str, *, more: bool = False, keep: bool = False) -> None:
    """Run ``query`` in ``scope`` in a worker and show the answer unless a newer query was typed.

    ``more`` asks for another page; ``keep`` (the index changed) as many results as are shown.
    """
    window, view, panel = app.window, app.window.view, app.window.search
    if more:
        app.search_limit += RESULT_LIMIT
    else:
        # A refresh may overtake the first search of a query still being typed.
        app.search_limit = max(app.search_limit, RESULT_LIMIT) if keep else RESULT_LIMIT
    if not more:
        app.jump_on_results = False

    def notes_texts() -> list[NoteRecord]:
        return [NoteRecord(t.doc_id, t.note_id, t.block_id, t.text) for t in app.store.iter_note_texts()]

    app.search_request += 1
    if not query:
        app.last_results = None
        panel.show_results(SearchResults(query=""))
        view.clear_search()
        window.contents.model.clear_hit_counts()
        return
    job = app.search.search_job(query, scope, app.session.doc_id or None, notes_texts, app.search_limit)
    wanted = app.search_request

    def done(_rid: int) -> None:
        if wanted != app.search_request or job.result is None:
            return  # a newer query was typed meanwhile
        _show_results(app, job.result)

    job.signals.finished.connect(done)
    job.signals.failed.connect(
        lambda _rid, msg: panel.show_error(msg) if wanted == app.search_request else None
    )
    app.runner.start(job)


def start_indexing(app: App) -> None:
    """Sync the index with the library in a worker: search is ready once exact matching is, words follow.

    One job stores the documents for exact matching while worker processes
    index their words (:meth:`index.SearchEngine.sync`): "Search is ready."
    comes at its ``exact`` stage, and from then on the words' progress shows in
    the status bar until the job ends.  A sync asked for while one runs is run
    again after it; if the running one is past its exact stage (only words
    are left), it is stopped first: both write the index, and the next one
    continues its words.
    """
    if _shut(app):
        return
    if app.jobs.get("index"):
        app.jobs["index_again"] = 1
        running = _running(app, "index")
        if running is not None and app.jobs.get("index_exact") == running.request_id:
            running.cancel()
        return
    window = app.window
    job = app.search.sync_job(words=True)
    app.jobs["index"] = job.request_id
    words_seen = [0, 0]

    def progress(_rid: int, done: int, total: int) -> None:
        if app.jobs.get("index_exact") != job.request_id:
            window.set_sync_progress(done, total)

    def word_progress(_rid: int, _part: str, done: int, total: int) -> None:
        words_seen[:] = [done, total]
        # Shown once search is ready: until then the sync's own progress is what the user waits for.
        if app.jobs.get("index_exact") == job.request_id and not _shut(app):
            window.set_word_progress(done, total)

    def exact_ready(_rid: int, _stage: str, failed: str) -> None:
        if _shut(app):
            return
        app.jobs["index_exact"] = job.request_id
        window.set_sync_progress(0, 0)
        if failed:
            window.show_error(tr("Some documents could not be indexed: %1").replace("%1", failed))
        else:
            window.show_notice(tr("Search is ready."))
        was_ready = app.session.search_ready
        _set_search_ready(app, True)
        if was_ready:
            # The index changed under the results shown: ask again (set_ready does it the first time).
            window.search.refresh()
        done, total = words_seen
        if total and done < total:
            window.set_word_progress(done, total)

    def ended(*, refresh: bool) -> None:
        app.jobs.pop("index", None)
        exact = app.jobs.pop("index_exact", None) == job.request_id
        if _shut(app):
            return  # the window may be gone; a report that arrives late is dropped
        window.set_sync_progress(0, 0)
        window.set_word_progress(0, 0)
        if app.jobs.pop("index_again", None):
            start_indexing(app)
        elif refresh and exact and words_seen[1]:
            # Looser word matches are available now: the results shown may gain some.
            window.search.refresh()

    def failed(msg: str) -> None:
        if not _shut(app):
            if app.jobs.get("index_exact") == job.request_id:
                window.show_error(tr("Word matching is unavailable: %1").replace("%1", msg))
            else:
                window.show_error(tr("Some documents could not be indexed: %1").replace("%1", msg))
                # What was stored before the failure is searchable: search is not left waiting.
                _set_search_ready(app, True)
        ended(refresh=False)

    job.signals.progress.connect(progress)
    job.signals.part_progress.connect(word_progress)
    job.signals.stage.connect(exact_ready)
    job.signals.finished.connect(lambda _rid: ended(refresh=True))
    job.signals.cancelled.connect(lambda _rid: ended(refresh=False))
    job.signals.failed.connect(lambda _rid, msg: failed(msg))
    app.runner.start(job)


def _shut(app: App) -> bool:
    """True once the app is shutting down (no job is started then; late reports are dropped)."""
    return bool(getattr(app, "_shut", False))


def _running(app: App, name: str) -> Job[object] | None:
    """The running job recorded under ``name`` in ``app.jobs``, if any."""
    rid = app.jobs.get(name)
    return next((j for j in app.runner.running() if j.request_id == rid), None) if rid else None


def _set_search_ready(app: App, ready: bool) -> None:
    if app.session.search_ready != ready:
        app.session.search_ready = ready
        app.session.search_ready_changed.emit(ready)


def _show_results(app: App, results: SearchResults) -> None:
    app.last_results = results
    panel = app.window.search
    if panel.model.sort_key == SORT_ORDER:
        panel.model.set_sort(SORT_ORDER, lambda hit: _order(app, hit))
    panel.show_results(results)
    _highlight_results(app)
    if app.jump_on_results:
        app.jump_on_results = False
        next_hit(app)


def _highlight_results(app: App) -> None:
    """Highlight every occurrence of what the current results matched, and count hits per chapter."""
    view, document, results = app.window.view, app.session.document, app.last_results
    if document is None or results is None:
        return
    terms: set[str] = set()
    mine = [h for h in results.hits if h.doc_id == document.id and h.note_id is None]
    # Looser word matches would paint every lone 维和 and 情报; show them only when nothing matched exactly.
    exact = [h for h in mine if h.exact]
    for hit in exact or mine:
        block = document.get_block(hit.block_id)
        if block is None:
            continue
        for start, end in hit.block_spans:
            if 0 <= start < end <= len(block.text):
                terms.add(block.text[start:end])
    view.set_search_terms(sorted(terms))
    # Matching paragraphs per chapter, as the Search pane counts its result rows.
    app.window.contents.model.set_hit_counts(dict.fromkeys({h.block_id for h in mine}, 1))
