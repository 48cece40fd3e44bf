"""Read-only notes: keep the library's notes lock alive, and stop editing (saying why) when it is lost."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from reader.features.base import App
from reader.qt.i18n import tr

LOCK_REFRESH_MS = 60_000
"""How often the notes lock is touched (other machines treat a lock idle for 15 min as abandoned)."""


def connect(app: App) -> None:
    """Keep the notes lock alive every minute; if it is lost, editing stops and the window says why."""
    if app.store.read_only:
        app.lock_state = "elsewhere"
    timer = QTimer(app.window)
    timer.setInterval(LOCK_REFRESH_MS)
    app.timers["lock"] = timer

    def refresh() -> None:
        was = app.store.read_only
        if not app.store.refresh_lock() and not was:
            app.lock_state = "lost"
        update(app)

    timer.timeout.connect(refresh)
    app.session.document_opened.connect(lambda _doc: update(app))
    timer.start()


def reason(app: App) -> str:
    """Why notes cannot be changed right now, in plain words ("" when they can)."""
    if app.lock_state == "lost":
        return tr("Notes are read-only now: another Briefing Reader took over this library.")
    if app.store.read_only:
        return tr("Notes are read-only here: this library is open in another Briefing Reader window.")
    notes = app.session.notes
    if notes is not None and notes.read_only:
        return tr("Notes on this document are read-only: %1").replace("%1", notes.read_only_reason)
    return ""


def update(app: App) -> None:
    """Enable or disable editing to match the store, and show the reason when it changes."""
    why = reason(app)
    if why != app.window.read_only_reason and why:
        app.undo.clear()  # nothing more can be written, so undo steps would only fail
    app.window.set_read_only(why, detail=app.store.read_only_reason)
