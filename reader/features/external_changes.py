"""External changes: pick up notes files changed on disk by a sync tool, a colleague or the CLI."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from reader.features import read_only
from reader.features.base import App
from reader.qt.i18n import tr
from reader.workers.notes import reload_job

RELOAD_POLL_MS = 5_000
"""How often the open document's notes files are checked for changes made elsewhere."""


def connect(app: App) -> None:
    """Pick up notes changed on disk (a sync tool, a colleague, the CLI): every few seconds and on focus."""
    timer = QTimer(app.window)
    timer.setInterval(RELOAD_POLL_MS)
    app.timers["reload"] = timer
    timer.timeout.connect(lambda: reload_notes(app))
    app.window.activated.connect(lambda: reload_notes(app))
    timer.start()


def reload_notes(app: App) -> None:
    """Re-read the open document's notes files in a worker if they changed (views refresh on the change)."""
    notes = app.session.notes
    if notes is None or app.jobs.get("reload"):
        return
    problems = len(notes.problems)
    job = reload_job(notes, app.guard.lock)
    app.jobs["reload"] = job.request_id

    def ended(_rid: int) -> None:
        app.jobs.pop("reload", None)
        if len(notes.problems) > problems:
            app.window.show_error(notes.problems[-1].message())
        elif job.result:
            app.window.show_message(tr("Notes changed outside this window were loaded."))
            read_only.update(app)

    def failed(_rid: int, message: str) -> None:
        app.jobs.pop("reload", None)
        app.window.show_error(message)

    job.signals.finished.connect(ended)
    job.signals.failed.connect(failed)
    job.signals.cancelled.connect(lambda _rid: app.jobs.pop("reload", None))
    app.runner.start(job)
