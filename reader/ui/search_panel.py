"""The Search dock: a search-as-you-type box, scope, and grouped results."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from index.types import SearchResults
from reader.models.search import (
    BLOCK_ID_ROLE,
    DOC_ID_ROLE,
    HTML_ROLE,
    KIND_ROLE,
    SORT_ORDER,
    SORT_RELEVANCE,
    SearchResultsModel,
)
from reader.qt.i18n import tr
from reader.qt.text import plain_label
from reader.ui.htmldelegate import HtmlDelegate
from reader.ui.wording import plural

SCOPES = (("doc", "This document"), ("library", "Whole library"), ("notes", "Notes"))
SORTS = ((SORT_RELEVANCE, "By relevance"), (SORT_ORDER, "In document order"))
DEBOUNCE_MS = 250
RELAYOUT_MS = 120


class SearchPanel(QWidget):
    """Search box (debounced), scope selector, status line and results tree.

    Signals:
        search_requested(str, str): query and scope (``doc``, ``library``, ``notes``); "" clears.
        hit_requested(str, str): document id and block id of the hit to show.
        query_edited(str): the query as it now stands (even before search is ready), for "Go to" rows.
        goto_requested(str): go to this block of the open document (a "Go to" row).
        next_hit_requested(): Enter: the next hit after the reading position.
        more_requested(): "Show more": ask for the next page of results.
        refresh_requested(str, str): the index changed; run query and scope again, keeping as many
            results as are shown.
        sort_changed(str): ``relevance`` or ``order``.
    """

    search_requested = Signal(str, str)
    hit_requested = Signal(str, str)
    query_edited = Signal(str)
    goto_requested = Signal(str)
    next_hit_requested = Signal()
    more_requested = Signal()
    refresh_requested = Signal(str, str)
    sort_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QLineEdit(self)
        self.box.setObjectName("search_box")
        self.box.setClearButtonEnabled(True)
        self.box.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        self.scope = QComboBox(self)
        self.scope.setObjectName("search_scope")
        for key, _label in SCOPES:
            self.scope.addItem("", key)
        self.status = plain_label(QLabel(self))
        self.status.setObjectName("search_status")
        self.status.setWordWrap(True)
        self.sort = QComboBox(self)
        self.sort.setObjectName("search_sort")
        for key, _label in SORTS:
            self.sort.addItem("", key)
        self.sort.currentIndexChanged.connect(lambda _i: self.sort_changed.emit(str(self.sort.currentData())))
        self.more = QPushButton(self)
        self.more.setObjectName("search_more")
        self.more.hide()
        self.more.clicked.connect(self.more_requested)
        self.model = SearchResultsModel(self)
        self.results = QTreeView(self)
        self.results.setObjectName("search_results")
        self.results.setHeaderHidden(True)
        self.results.setModel(self.model)
        self.results.setItemDelegate(HtmlDelegate(HTML_ROLE, self.results))
        self.results.setWordWrap(True)
        self.results.clicked.connect(self._picked)
        self.results.activated.connect(self._picked)
        self.model.modelReset.connect(self.results.expandAll)
        top = QHBoxLayout()
        top.addWidget(self.box, 1)
        top.addWidget(self.scope)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.sort)
        layout.addLayout(status_row)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.more)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._fire)
        self.box.textChanged.connect(lambda _t: self._timer.start())
        self.scope.currentIndexChanged.connect(lambda _i: self._fire())
        self.box.installEventFilter(self)
        # Wrapped snippets change height with the width: lay the rows out again once resizing pauses.
        self._relayout = QTimer(self)
        self._relayout.setSingleShot(True)
        self._relayout.setInterval(RELAYOUT_MS)
        self._relayout.timeout.connect(self.results.doItemsLayout)
        self.results.viewport().installEventFilter(self)
        self._ready = False
        self._last = ("", "")
        self._results: SearchResults | None = None
        self._error = ""
        self.retranslate()

    # ------------------------------------------------------------ state
    @property
    def query(self) -> str:
        """The text in the box, trimmed."""
        return self.box.text().strip()

    @property
    def scope_key(self) -> str:
        """``doc``, ``library`` or ``notes``."""
        return str(self.scope.currentData())

    def set_scope(self, key: str) -> None:
        """Select a scope by key."""
        i = self.scope.findData(key)
        if i >= 0:
            self.scope.setCurrentIndex(i)

    def set_ready(self, ready: bool, message: str = "") -> None:
        """Search is usable (jieba and index loaded) or still preparing; the box always accepts typing."""
        self._ready = ready
        if not ready:
            self.status.setText(message or tr("Preparing search…"))
        elif self.query:
            self._last = ("", "")
            self._fire()
        else:
            self.status.setText(message or tr("Type to search. Enter jumps to the first hit."))

    @property
    def ready(self) -> bool:
        """Whether searches run now."""
        return self._ready

    def focus_box(self) -> None:
        """Put the cursor in the box with its text selected (Ctrl+F)."""
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def _fire(self) -> None:
        self._timer.stop()
        request = (self.query, self.scope_key)
        if request == self._last:
            return
        self._last = request
        self.query_edited.emit(request[0])
        if not self._ready:
            self.status.setText(tr("Preparing search…") + " " + tr("Your search will run when it is ready."))
            return
        if request[0]:
            self.status.setText(tr("Searching…"))
        self.search_requested.emit(*request)

    def flush(self) -> None:
        """Run a pending debounced search now."""
        if self._timer.isActive():
            self._fire()

    def refresh(self) -> None:
        """Run the current query again (the index changed: the old answer may be stale).

        The answer keeps as many results as are shown: a reader who asked for
        more does not see the list shrink back to one page under the cursor.
        """
        if not self._ready or not self.query:
            self._last = ("", "")
            if self.query:
                self._fire()
            return
        self._timer.stop()
        self._last = (self.query, self.scope_key)
        self.refresh_requested.emit(*self._last)

    def set_goto(self, rows: list[tuple[str, str, str]]) -> None:
        """Offer "Go to" rows (label, block id, path) above the results; Enter takes the first."""
        self.model.set_goto(rows)
        if rows and not self.model.hit_count():
            self.status.setText(tr("Press Enter to go there."))

    # ------------------------------------------------------------ results
    def show_results(self, results: SearchResults) -> None:
        """Display the results of the current query."""
        self._results = results if results.query else None
        self._error = ""
        self.model.set_hits(list(results.hits))
        self._show_status()

    def _show_status(self) -> None:
        results = self._results
        self.more.setVisible(bool(results and results.total > len(results.hits)))
        if results is None:
            self.status.setText(tr("Type to search. Enter jumps to the first hit."))
            return
        if results.total == 0:
            text = (
                tr("Press Enter to go there.")
                if self.model.goto_count()
                else tr("No results for “%1”.").replace("%1", results.query)
            )
        else:
            text = plural(results.total, "%n result (%1 ms)", "%n results (%1 ms)").replace(
                "%1", f"{results.elapsed_ms:.0f}"
            )
            if results.total > len(results.hits):
                text += " · " + tr("showing the first %1").replace("%1", str(len(results.hits)))
        if results.partial:
            text += " · " + tr("word matches will follow when the dictionary has loaded")
        if results.notice:
            text += "\n" + results.notice
        self.status.setText(text)

    def show_error(self, message: str) -> None:
        """Show a one-line failure in the status line."""
        self._error = message
        self.status.setText(message)

    def clear_results(self) -> None:
        """Empty the results tree."""
        self.model.set_hits([])

    def _picked(self, index: QModelIndex) -> None:
        if index.data(KIND_ROLE) == "goto":
            block = index.data(BLOCK_ID_ROLE)
            if isinstance(block, str):
                self.goto_requested.emit(block)
            return
        if index.data(KIND_ROLE) != "hit":
            return
        doc, block = index.data(DOC_ID_ROLE), index.data(BLOCK_ID_ROLE)
        if isinstance(doc, str) and isinstance(block, str):
            self.hit_requested.emit(doc, block)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter runs the search now and goes to the place or the next hit; Down moves into results."""
        if (
            watched is self.results.viewport()
            and isinstance(event, QResizeEvent)
            and event.size().width() != event.oldSize().width()
        ):
            self._relayout.start()
        if watched is self.box and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._fire()
                if self.model.goto_count():
                    self.goto_requested.emit(self.model.goto_block(0))
                else:
                    self.next_hit_requested.emit()
                return True
            if event.key() == Qt.Key.Key_Down and self.model.hit_count():
                self.results.setFocus()
                self.results.setCurrentIndex(self.model.hit_index(0))
                return True
        return super().eventFilter(watched, event)

    def retranslate(self) -> None:
        """Re-read strings after a language switch."""
        self.box.setPlaceholderText(tr("Search (Ctrl+F)"))
        for i, (_key, label) in enumerate(SCOPES):
            self.scope.setItemText(i, tr(label))
        for i, (_key, label) in enumerate(SORTS):
            self.sort.setItemText(i, tr(label))
        self.more.setText(tr("Show more results"))
        # The status line is rebuilt from what it reports, so it follows the language too.
        if not self._ready:
            self.status.setText(tr("Preparing search…"))
        elif self._error:
            self.status.setText(self._error)
        elif not self.query or self._results is None:
            self.status.setText(tr("Type to search. Enter jumps to the first hit."))
        else:
            self.model.set_hits(list(self._results.hits))  # group rows have translated labels too
            self._show_status()
