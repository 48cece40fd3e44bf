"""What every feature works on: the running :class:`App` and the open :class:`Session`."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from index.types import SearchResults
from reader.core.annotations import AnnotationStore, DocumentNotes
from reader.core.errors import ImportFailed
from reader.core.history import History
from reader.core.library import ImportResult, Library
from reader.core.model import Document
from reader.qt.i18n import LanguageSwitcher
from reader.ui.mainwindow import MainWindow
from reader.workers.jobs import Job, JobRunner
from reader.workers.notes import NotesGuard
from reader.workers.search import SearchService


class Session(QObject):
    """What is open right now; views refresh on its facts rather than being poked.

    Signals:
        document_opened(str): a document (id) is now shown.
        notes_changed(str): the open document's notes or bookmarks changed (``note``, ``bookmark``, ``all``).
        search_ready_changed(bool): whether the search engine accepts queries.
    """

    document_opened = Signal(str)
    notes_changed = Signal(str)
    search_ready_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.document: Document | None = None
        self.notes: DocumentNotes | None = None
        self.search_ready = False

    @property
    def doc_id(self) -> str:
        """Id of the open document ("" when none)."""
        return self.document.id if self.document is not None else ""


@dataclass
class App:
    """Everything the running window is made of."""

    library: Library
    settings: QSettings
    window: MainWindow
    runner: JobRunner
    session: Session
    store: AnnotationStore
    search: SearchService
    undo: QUndoStack
    language: LanguageSwitcher
    save_timer: QTimer
    guard: NotesGuard
    search_request: int = 0
    last_results: SearchResults | None = None
    import_job: Job[list[ImportResult | ImportFailed]] | None = None
    jobs: dict[str, int] = field(default_factory=dict)
    timers: dict[str, QTimer] = field(default_factory=dict)
    parallel: QWidget | None = None
    """The side-by-side window, while it is open (reader.features.parallel)."""
    reported: set[str] = field(default_factory=set)
    """Library problems already shown (each is shown once, not at every refresh)."""
    lock_state: str = ""
    """Why the store is read-only: "" (it is not), ``elsewhere`` (at start) or ``lost`` (taken over)."""
    history: History = field(default_factory=History)
    """Back and forward over jumps (:mod:`reader.features.navigation`)."""
    settled: str = ""
    """The block the reader was last settled on (the origin of the next jump)."""
    search_limit: int = 0
    """How many results the current query asks for (grows with "Show more")."""
    jump_on_results: bool = False
    """Enter was pressed before the results came: go to the next hit once they do."""
