"""The window around the text: title, File ▸ Recent documents, zoom level, full screen, Help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.features import reading
from reader.features.base import App
from reader.qt.i18n import tr

if TYPE_CHECKING:
    from reader.ui.help import AboutDialog, ShortcutsDialog

RECENT_LIMIT = 10
RECENT_KEY = "session/recent"


def connect(app: App) -> None:
    """Title and recent list follow the open document; zoom, F11, F1 and About."""
    window, view = app.window, app.window.view
    app.session.document_opened.connect(lambda doc: _opened(app, doc))
    window.recent_requested.connect(lambda doc: reading.open_document(app, doc))
    _show_recent(app)
    window.action("reset_zoom").triggered.connect(view.reset_zoom)
    view.zoom_changed.connect(lambda _size: window.set_zoom_level(view.zoom_percent))
    window.set_zoom_level(view.zoom_percent)
    window.action("full_screen").triggered.connect(window.set_reading_mode)
    window.docks_yielded.connect(
        lambda hidden: window.show_message(
            tr("Side panels are hidden to give the text room; they return when the window is wider.")
            if hidden
            else ""
        )
    )
    window.action("shortcuts").triggered.connect(lambda: show_shortcuts(app))
    window.action("about").triggered.connect(lambda: show_about(app))


def _opened(app: App, doc_id: str) -> None:
    document = app.session.document
    if document is not None:
        # The library's record: a title or symbol the reader set wins over the parsed one.
        title, symbol = document.title, document.symbol or ""
        record = app.library.record_by_id(doc_id)
        if record is not None:
            title, symbol = record.title or title, record.symbol or symbol
        app.window.set_document_title(title, symbol)
    recent = [d for d in recent_ids(app) if d != doc_id]
    app.settings.setValue(RECENT_KEY, [doc_id, *recent][:RECENT_LIMIT])
    _show_recent(app)


def recent_ids(app: App) -> list[str]:
    """Ids of recently opened documents, newest first."""
    value = app.settings.value(RECENT_KEY, [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value] if isinstance(value, list) else []


def _show_recent(app: App) -> None:
    rows: list[tuple[str, str]] = []
    for doc_id in recent_ids(app):
        # A removed or unreadable document drops out of the menu (no scan of the library for it).
        record = app.library.record_by_id(doc_id)
        if record is not None:
            rows.append((record.id, f"{record.title}  ({record.symbol})" if record.symbol else record.title))
    app.window.set_recent(rows)


def show_shortcuts(app: App) -> ShortcutsDialog:
    """Help ▸ Keyboard shortcuts (F1), generated from the window's actions and dock toggles."""
    from reader.ui.help import ShortcutsDialog  # dialogs load when first opened, not at start-up

    window = app.window
    actions = list(window.actions_by_name.values()) + list(window.dock_menu.actions())
    dialog = ShortcutsDialog(actions, window)
    dialog.finished.connect(lambda _r: dialog.deleteLater())
    dialog.open()
    return dialog


def show_about(app: App) -> AboutDialog:
    """Help ▸ About: version, licences, where the library lives."""
    from reader.ui.help import AboutDialog

    dialog = AboutDialog(app.library.root, app.window)
    dialog.finished.connect(lambda _r: dialog.deleteLater())
    dialog.open()
    return dialog
