"""Bookmarks: Ctrl+D toggles one on the current paragraph; the Bookmarks pane jumps and removes."""

from __future__ import annotations

from reader.core.annotations import AddBookmark, RemoveBookmark
from reader.features import notes as notes_feature
from reader.features.base import App
from reader.qt.i18n import tr


def connect(app: App) -> None:
    """Ctrl+D toggles a bookmark on the current paragraph; the pane jumps and removes."""
    window, view, panel = app.window, app.window.view, app.window.bookmarks
    window.action("toggle_bookmark").triggered.connect(lambda: toggle(app))
    panel.block_requested.connect(lambda block: view.scroll_to_block(block))
    panel.delete_requested.connect(
        lambda mark: (
            notes_feature.push(app, RemoveBookmark(app.session.notes, mark)) if app.session.notes else None
        )
    )


def toggle(app: App) -> None:
    """Add a bookmark on the current paragraph, or remove the one already there."""
    window, view = app.window, app.window.view
    notes = app.session.notes
    if notes is None:
        return
    block = view.current_block()
    if not block:
        return
    existing = [b for b in notes.bookmarks() if b.anchor.block == block]
    if existing:
        notes_feature.push(
            app,
            RemoveBookmark(notes, existing[0].id),
            lambda: window.show_message(tr("Bookmark removed.")),
        )
        return
    try:
        mark = notes.make_bookmark(block)
    except (KeyError, ValueError) as exc:
        window.show_error(str(exc))
        return
    notes_feature.push(app, AddBookmark(notes, mark), lambda: window.show_message(tr("Bookmark added.")))
