"""The main window: layout only (docks from one table, menus, status bar); reader.features wire behaviour."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QFontMetrics,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QStyle,
    QToolBar,
    QToolButton,
    QWidget,
)

from reader.qt.i18n import tr
from reader.qt.text import plain_label, plain_tooltip
from reader.ui.bookmarks_panel import BookmarksPanel
from reader.ui.compare_view import CompareView
from reader.ui.contents_panel import ContentsPanel
from reader.ui.library_panel import LibraryPanel
from reader.ui.notes_panel import NotesPanel
from reader.ui.notifications import NotificationsPanel
from reader.ui.readingview import GUTTER, ReadingView
from reader.ui.review_panel import NotesReviewPanel
from reader.ui.search_panel import SearchPanel
from reader.ui.wording import plural

STATE_VERSION = 1
# A message of the user's own action stays at least this long before a passing notice replaces it.
NOTICE_HOLD_S = 6.0
Area = Qt.DockWidgetArea


@dataclass(frozen=True, slots=True)
class DockDef:
    """One dock: object name (state key), title, factory, default area, shortcut, shown at first start."""

    name: str
    title: str
    factory: Callable[[QWidget], QWidget]
    area: Area
    shortcut: str
    visible: bool = True


DOCK_DEFS: tuple[DockDef, ...] = (
    DockDef("contents", "Contents", ContentsPanel, Area.LeftDockWidgetArea, "Ctrl+Shift+C"),
    DockDef("library", "Library", LibraryPanel, Area.LeftDockWidgetArea, "Ctrl+Shift+L"),
    DockDef("search", "Search", SearchPanel, Area.RightDockWidgetArea, "Ctrl+Shift+F"),
    DockDef("notes", "Notes", NotesPanel, Area.RightDockWidgetArea, "Ctrl+Shift+N"),
    DockDef(
        "bookmarks", "Bookmarks", BookmarksPanel, Area.RightDockWidgetArea, "Ctrl+Shift+B", visible=False
    ),
    DockDef("compare", "Compare", CompareView, Area.BottomDockWidgetArea, "Ctrl+Shift+K", visible=False),
    DockDef(
        "review", "Notes review", NotesReviewPanel, Area.RightDockWidgetArea, "Ctrl+Shift+V", visible=False
    ),
    DockDef(
        "messages", "Messages", NotificationsPanel, Area.BottomDockWidgetArea, "Ctrl+Shift+M", visible=False
    ),
)
MIN_TEXT_CHARS = 28
"""Below this many characters in the text column the side docks yield to the text."""

# Action name, source text, shortcuts ("; " between alternatives).  Standard keys where Qt has one.
ACTION_DEFS: tuple[tuple[str, str, str], ...] = (
    ("import", "&Import documents…", "Ctrl+O"),
    ("open_document", "&Open from the library…", "Ctrl+Shift+O"),
    ("export_notes", "&Export notes…", "Ctrl+Shift+E"),
    ("import_notes", "Import &colleague's notes…", ""),
    ("compare", "&Compare with previous revision", "Ctrl+Shift+R"),
    ("compare_with", "Compare &with another document…", ""),
    ("print", "&Print…", "Ctrl+P"),
    ("export_pdf", "Export as P&DF…", "Ctrl+Shift+P"),
    ("quit", "&Quit", "Ctrl+Q"),
    ("goto", "&Go to paragraph, article or section…", "Ctrl+G"),
    ("back", "&Back", "Alt+Left"),
    ("forward", "&Forward", "Alt+Right"),
    ("next_chapter", "Next &chapter", "Ctrl+PgDown"),
    ("previous_chapter", "Previous c&hapter", "Ctrl+PgUp"),
    ("next_section", "Next &section", "Alt+Down"),
    ("previous_section", "Previous s&ection", "Alt+Up"),
    ("undo", "&Undo", "Ctrl+Z"),
    ("redo", "&Redo", "Ctrl+Shift+Z; Ctrl+Y"),
    ("find", "&Find…", "Ctrl+F"),
    ("find_next", "Find &next", "F3"),
    ("find_previous", "Find &previous", "Shift+F3"),
    ("add_note", "Add &note", "Ctrl+E"),
    ("toggle_bookmark", "Toggle &bookmark", "Ctrl+D"),
    ("zoom_in", "Zoom &in", "Ctrl+="),
    ("zoom_out", "Zoom &out", "Ctrl+-"),
    ("reset_zoom", "Reset &zoom", "Ctrl+0"),
    ("full_screen", "F&ull screen reading", "F11"),
    ("wider", "&Wider text", "Ctrl+]"),
    ("narrower", "Na&rrower text", "Ctrl+["),
    ("dark", "&Dark theme", "Ctrl+Shift+D"),
    ("shortcuts", "&Keyboard shortcuts", "F1"),
    ("about", "&About Briefing Reader", ""),
    ("parallel", "Read language versions &side by side", "Ctrl+Shift+A"),
    ("link_version", "&Link as a language version of…", ""),
    ("set_language", "Correct the document's l&anguage…", ""),
)
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "&File",
        (
            "import",
            "open_document",
            "recent",
            "-",
            "link_version",
            "set_language",
            "-",
            "export_notes",
            "import_notes",
            "-",
            "compare",
            "compare_with",
            "-",
            "print",
            "export_pdf",
            "-",
            "quit",
        ),
    ),
    (
        "&Edit",
        ("undo", "redo", "-", "find", "find_next", "find_previous", "-", "add_note", "toggle_bookmark"),
    ),
    (
        "&Go",
        (
            "goto",
            "back",
            "forward",
            "-",
            "next_chapter",
            "previous_chapter",
            "next_section",
            "previous_section",
        ),
    ),
    (
        "&View",
        (
            "parallel",
            "-",
            "zoom_in",
            "zoom_out",
            "reset_zoom",
            "wider",
            "narrower",
            "dark",
            "full_screen",
            "-",
            "docks",
            "language",
        ),
    ),
    ("&Help", ("shortcuts", "-", "about")),
)
TOOLBAR = ("back", "forward", "goto")
LANGUAGE_NAMES = (("en", "English"), ("zh_CN", "简体中文"))
EDITING_ACTIONS = ("add_note", "toggle_bookmark", "import_notes")
"""Actions that change notes or bookmarks: disabled while the notes are read-only."""


class MainWindow(QMainWindow):
    """Reading view in the centre, the docks of :data:`DOCK_DEFS` around it.

    Signals:
        language_requested(str): the user picked a UI language (``en``, ``zh_CN``).
        activated(): the window became the active one (the user came back to it).
        closing(): the window is about to close (save state now).
        recent_requested(str): a document picked from File ▸ Recent documents (its id).
        history_requested(int): the mouse's back (-1) or forward (+1) button.
        docks_yielded(bool): the side docks were hidden for a narrow window (True) or came back.
    """

    language_requested = Signal(str)
    activated = Signal()
    closing = Signal()
    recent_requested = Signal(str)
    history_requested = Signal(int)
    docks_yielded = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.setDockNestingEnabled(True)
        self.view = ReadingView(self)
        self.setCentralWidget(self.view)
        self.docks: dict[str, QDockWidget] = {}
        self.panels: dict[str, QWidget] = {}
        for spec in DOCK_DEFS:
            dock = QDockWidget(self)
            dock.setObjectName(f"dock_{spec.name}")
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetClosable
                | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            )
            panel = spec.factory(dock)
            dock.setWidget(panel)
            self.addDockWidget(spec.area, dock)
            dock.setVisible(spec.visible)
            self.docks[spec.name] = dock
            self.panels[spec.name] = panel
        self.tabifyDockWidget(self.docks["contents"], self.docks["library"])
        self.docks["contents"].raise_()
        self.tabifyDockWidget(self.docks["notes"], self.docks["bookmarks"])
        self.tabifyDockWidget(self.docks["notes"], self.docks["review"])
        self.docks["notes"].raise_()
        self.resizeDocks(
            [self.docks["contents"], self.docks["search"]], [270, 320], Qt.Orientation.Horizontal
        )
        self.actions_by_name: dict[str, QAction] = {}
        for name, _text, keys in ACTION_DEFS:
            action = QAction(self)
            action.setObjectName(f"action_{name}")
            action.setShortcuts(QKeySequence.listFromString(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)
            self.actions_by_name[name] = action
        self.actions_by_name["dark"].setCheckable(True)
        self.actions_by_name["full_screen"].setCheckable(True)
        self.recent_menu = QMenu(self)
        self.recent_menu.setObjectName("recent_menu")
        self._recent: list[tuple[str, str]] = []
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._yielded_groups: list[list[str]] = []
        self._reading_mode_hidden: list[str] | None = None
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_docks)
        # The view's own resizes count too: the window's come before its layout has settled.
        self.view.installEventFilter(self)
        self._doc_title: tuple[str, str] = ("", "")
        self.resize(1280, 820)
        self.set_zoom_level(100)
        self.retranslate()

    def _build_status_bar(self) -> None:
        self.status_label = plain_label(QLabel(self))
        self._error_shown = False  # an error stays until a real message replaces it, not a notice
        self.status_label.setObjectName("status_message")
        self.position_label = plain_label(QLabel(self))
        self.index_progress = QProgressBar(self)
        self.index_progress.setObjectName("index_progress")
        self.index_progress.setMaximumWidth(160)
        self.index_progress.setTextVisible(False)
        self.index_progress.hide()
        # Indexing (the exact sync, then words for minutes in a big library) has its own label, so
        # the messages of the user's actions are never overwritten by its progress.
        self.words_label = plain_label(QLabel(self))
        self.words_label.setObjectName("words_progress")
        self.words_label.hide()
        self._word_progress: tuple[str, int, int] = ("words", 0, 0)
        self._message_at = -NOTICE_HOLD_S  # when the last message of the user's own action was shown
        self.read_only_label = plain_label(QLabel(self))
        self.read_only_label.setObjectName("read_only")
        # Bold and set apart from the position label: it explains why editing is off.
        self.read_only_label.setStyleSheet("QLabel { font-weight: bold; padding: 0 12px; }")
        self.read_only_label.hide()
        self.read_only_reason = ""
        self.messages_button = QToolButton(self)
        self.messages_button.setObjectName("messages_button")
        self.messages_button.setAutoRaise(True)
        self.messages_button.hide()
        self.messages_button.clicked.connect(self.show_messages)
        self.messages.count_changed.connect(self._messages_counted)
        self.zoom_label = plain_label(QLabel(self))
        self.zoom_label.setObjectName("zoom_level")
        self.undo_button = QToolButton(self)
        self.undo_button.setObjectName("status_undo")
        self.undo_button.hide()
        self.undo_button.clicked.connect(lambda: self.actions_by_name["undo"].trigger())
        self.undo_button.clicked.connect(self.undo_button.hide)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addWidget(self.undo_button)
        self.statusBar().addPermanentWidget(self.messages_button)
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.statusBar().addPermanentWidget(self.words_label)
        self.statusBar().addPermanentWidget(self.index_progress)
        self.statusBar().addPermanentWidget(self.zoom_label)
        self.statusBar().addPermanentWidget(self.position_label)

    # ------------------------------------------------------------ typed panel access
    @property
    def contents(self) -> ContentsPanel:
        """The Contents panel."""
        panel = self.panels["contents"]
        assert isinstance(panel, ContentsPanel)
        return panel

    @property
    def library(self) -> LibraryPanel:
        """The Library panel."""
        panel = self.panels["library"]
        assert isinstance(panel, LibraryPanel)
        return panel

    @property
    def search(self) -> SearchPanel:
        """The Search panel."""
        panel = self.panels["search"]
        assert isinstance(panel, SearchPanel)
        return panel

    @property
    def notes(self) -> NotesPanel:
        """The Notes panel."""
        panel = self.panels["notes"]
        assert isinstance(panel, NotesPanel)
        return panel

    @property
    def bookmarks(self) -> BookmarksPanel:
        """The Bookmarks panel."""
        panel = self.panels["bookmarks"]
        assert isinstance(panel, BookmarksPanel)
        return panel

    @property
    def compare_view(self) -> CompareView:
        """The Compare dock's view."""
        panel = self.panels["compare"]
        assert isinstance(panel, CompareView)
        return panel

    @property
    def review(self) -> NotesReviewPanel:
        """The Notes review panel."""
        panel = self.panels["review"]
        assert isinstance(panel, NotesReviewPanel)
        return panel

    @property
    def messages(self) -> NotificationsPanel:
        """The Messages panel: errors and warnings that stay."""
        panel = self.panels["messages"]
        assert isinstance(panel, NotificationsPanel)
        return panel

    def apply_default_sizes(self) -> None:
        """First-start proportions: readable chapter titles on the left, snippets on the right.

        At the default window size they leave the text at least :data:`MIN_TEXT_CHARS` characters.
        """
        self.resizeDocks(
            [self.docks["contents"], self.docks["search"]], [280, 330], Qt.Orientation.Horizontal
        )
        self.resizeDocks([self.docks["search"], self.docks["notes"]], [480, 340], Qt.Orientation.Vertical)

    def action(self, name: str) -> QAction:
        """The action called ``name`` in :data:`ACTION_DEFS`."""
        return self.actions_by_name[name]

    # ------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        self.menus: list[QMenu] = []
        self.dock_menu = QMenu(self)
        for spec in DOCK_DEFS:
            toggle = self.docks[spec.name].toggleViewAction()
            toggle.setShortcut(QKeySequence(spec.shortcut))
            self.dock_menu.addAction(toggle)
        self.language_menu = QMenu(self)
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in LANGUAGE_NAMES:
            act = QAction(name, self)
            act.setCheckable(True)
            act.triggered.connect(lambda _checked=False, c=code: self.language_requested.emit(c))
            group.addAction(act)
            self.language_menu.addAction(act)
            self.language_actions[code] = act
        for _title, names in MENUS:
            menu = self.menuBar().addMenu("")
            for name in names:
                if name == "-":
                    menu.addSeparator()
                elif name == "docks":
                    menu.addMenu(self.dock_menu)
                elif name == "language":
                    menu.addMenu(self.language_menu)
                elif name == "recent":
                    menu.addMenu(self.recent_menu)
                else:
                    menu.addAction(self.actions_by_name[name])
            self.menus.append(menu)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("navigation_toolbar")
        self.toolbar.setMovable(False)
        icons = {
            "back": QStyle.StandardPixmap.SP_ArrowBack,
            "forward": QStyle.StandardPixmap.SP_ArrowForward,
            "goto": QStyle.StandardPixmap.SP_FileDialogContentsView,
        }
        for name in TOOLBAR:
            action = self.actions_by_name[name]
            action.setIcon(self.style().standardIcon(icons[name]))
            self.toolbar.addAction(action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)

    def set_recent(self, documents: list[tuple[str, str]]) -> None:
        """File ▸ Recent documents: ``(id, title)`` pairs, newest first."""
        self._recent = list(documents)
        self.recent_menu.clear()
        for doc_id, title in self._recent:
            act = self.recent_menu.addAction(title)
            act.setObjectName(f"recent_{doc_id}")
            act.triggered.connect(lambda _c=False, d=doc_id: self.recent_requested.emit(d))
        self.recent_menu.setEnabled(bool(self._recent))

    def set_language_checked(self, code: str) -> None:
        """Tick the current language in the menu."""
        act = self.language_actions.get(code)
        if act is not None:
            act.setChecked(True)

    def retranslate(self) -> None:
        """Re-read every string (after a language switch)."""
        self._apply_title()
        for spec in DOCK_DEFS:
            self.docks[spec.name].setWindowTitle(tr(spec.title))
        for name, text, _keys in ACTION_DEFS:
            self.actions_by_name[name].setText(tr(text))
        for menu, (title, _names) in zip(self.menus, MENUS, strict=True):
            menu.setTitle(tr(title))
        self.dock_menu.setTitle(tr("&Panels"))
        self.language_menu.setTitle(tr("&Language"))
        self.recent_menu.setTitle(tr("&Recent documents"))
        self.toolbar.setWindowTitle(tr("Navigation"))
        self.zoom_label.setToolTip(tr("Zoom level (Ctrl+0 resets)"))
        self.undo_button.setText(tr("Undo"))
        self._messages_counted(len(self.messages.notices))
        self._show_progress(*self._word_progress)
        for panel in self.panels.values():
            retranslate = getattr(panel, "retranslate", None)
            if retranslate is not None:
                retranslate()

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate when a new translator is installed; announce activation."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.activated.emit()
        super().changeEvent(event)

    # ------------------------------------------------------------ status bar
    def show_message(self, text: str) -> None:
        """A plain-words status message."""
        self._error_shown = False
        self._message_at = time.monotonic()
        self.undo_button.hide()
        self.status_label.setText(text)

    def show_notice(self, text: str) -> None:
        """A passing status message (e.g. search is ready).

        It leaves an error on screen, and a message shown in the last few seconds: "Exported …"
        must not vanish because an index sync happened to end just after it.
        """
        recent = time.monotonic() - self._message_at < NOTICE_HOLD_S and bool(self.status_label.text())
        if not self._error_shown and not recent:
            self.undo_button.hide()
            self.status_label.setText(text)

    def offer_undo(self, text: str) -> None:
        """A status message with an Undo button beside it (after a deletion)."""
        self._error_shown = False
        self._message_at = time.monotonic()
        self.status_label.setText(text)
        self.undo_button.show()

    def show_error(self, text: str, detail: str = "", *, record: bool = True) -> None:
        """A plain-words error: in the status bar until the next message, and kept in Messages.

        ``record=False`` when the caller has put it (and its companions) in Messages itself.
        """
        self._error_shown = True
        self.undo_button.hide()
        self.status_label.setText("⚠ " + text)
        if record:
            self.messages.add(text, "error", detail)

    def show_messages(self) -> None:
        """Open the Messages panel."""
        dock = self.docks["messages"]
        dock.show()
        dock.raise_()

    def _messages_counted(self, count: int) -> None:
        self.messages_button.setVisible(count > 0)
        self.messages_button.setText(f"⚠ {count}")
        self.messages_button.setToolTip(
            plural(count, "%n message — click to see", "%n messages — click to see")
        )

    def set_document_title(self, title: str, symbol: str = "") -> None:
        """Name the open document in the window title (kept across language switches)."""
        self._doc_title = (title, symbol)
        self._apply_title()

    def _apply_title(self) -> None:
        title, symbol = self._doc_title
        parts = [p for p in (title, symbol) if p]
        app = tr("Briefing Reader")
        self.setWindowTitle(f"{' — '.join(parts)} — {app}" if parts else app)

    def set_zoom_level(self, percent: int) -> None:
        """Show the reading view's zoom level in the status bar."""
        self.zoom_label.setText(f"{percent} %")

    def set_read_only(self, reason: str, *, detail: str = "") -> None:
        """Disable note and bookmark editing while ``reason`` (plain words) is given; "" re-enables.

        A new reason is also shown as the status message; ``detail`` (technical) goes in the tooltip.
        """
        editable = not reason
        for name in EDITING_ACTIONS:
            self.actions_by_name[name].setEnabled(editable)
        self.notes.set_read_only(not editable)
        self.bookmarks.set_read_only(not editable)
        # The reason stays in view (status messages come and go); the technical detail is a tooltip.
        self.read_only_label.setText(reason)
        self.read_only_label.setToolTip(plain_tooltip(detail))
        self.read_only_label.setVisible(bool(reason))
        if reason and reason != self.read_only_reason:
            self.show_error(reason)
        self.read_only_reason = reason

    def set_index_progress(self, done: int, total: int) -> None:
        """Indexing progress in the status bar (hidden when ``total`` is 0 or work is done)."""
        if total <= 0 or done >= total:
            self.index_progress.hide()
            return
        self.index_progress.setRange(0, total)
        self.index_progress.setValue(done)
        self.index_progress.show()

    def set_word_progress(self, done: int, total: int) -> None:
        """Word indexing progress in documents, label and bar (hidden when ``total`` is 0 or work is done)."""
        self._show_progress("words", done, total)

    def set_sync_progress(self, done: int, total: int) -> None:
        """Progress of the exact index sync in steps, in the same label and bar as the words'."""
        self._show_progress("sync", done, total)

    def _show_progress(self, kind: str, done: int, total: int) -> None:
        self._word_progress = (kind, done, total)
        if total <= 0 or done >= total:
            self.words_label.hide()
            self.index_progress.hide()
            return
        if kind == "sync":
            text = tr("Indexing for search: %1 of %2 steps").replace("%1", str(done))
            text = text.replace("%2", str(total))
            tip = tr("Search starts when this is done.")
        else:
            text = plural(
                total, "Indexing words: %1 of %n document", "Indexing words: %1 of %n documents"
            ).replace("%1", str(done))
            tip = tr("Exact search works meanwhile; looser word matches follow.")
        self.words_label.setText(text)
        self.words_label.setToolTip(tip)
        self.words_label.show()
        self.set_index_progress(done, total)

    # ------------------------------------------------------------ state
    def save_state(self, settings: QSettings) -> None:
        """Store geometry and dock layout (as the user set it: yielded docks and full screen undone)."""
        if self._reading_mode_hidden is not None:
            self.set_reading_mode(False)
        for group in reversed(self._yielded_groups):
            for name in group:
                self.docks[name].show()
        self._yielded_groups = []
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState(STATE_VERSION))

    def restore_state(self, settings: QSettings) -> bool:
        """Restore geometry and dock layout saved by :meth:`save_state`; False when none was."""
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        ok = False
        if isinstance(geometry, QByteArray):
            ok = self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            ok = self.restoreState(state, STATE_VERSION) and ok
        return ok

    # ------------------------------------------------------------ layout for small windows
    def _char_width(self) -> int:
        return max(1, QFontMetrics(self.view.document().defaultFont()).horizontalAdvance("中"))

    def text_column_chars(self) -> int:
        """How many Chinese characters fit on a line of the reading view as laid out now."""
        view = self.view
        frame = view.document().rootFrame().frameFormat()
        width = view.viewport().width() - frame.leftMargin() - frame.rightMargin()
        width -= 2 * view.document().documentMargin()
        return max(0, int(width // self._char_width()))

    def _room_chars(self, extra: int = 0) -> int:
        """Characters the text column could hold with ``extra`` pixels more, whatever the width limit."""
        view = self.view
        # The view's own width: its viewport's lags behind while the layout settles.
        inner = view.width() - 2 * view.frameWidth() - view.verticalScrollBar().sizeHint().width()
        width = inner + extra - GUTTER - GUTTER // 2 - 2 * view.document().documentMargin()
        return max(0, int(width // self._char_width()))

    def _visible_in(self, area: Area) -> list[str]:
        return [
            name
            for name, dock in self.docks.items()
            if dock.isVisible() and not dock.isFloating() and self.dockWidgetArea(dock) == area
        ]

    def _group_width(self, names: list[str]) -> int:
        # Docks of one side share a column (tabbed or stacked): the side costs its widest.
        return max((self.docks[n].width() for n in names), default=0)

    def fit_docks(self) -> None:
        """Side docks yield (right side first) while the text column is under :data:`MIN_TEXT_CHARS`.

        They come back, the last hidden first, once the window is wide enough for them and the text.
        """
        if self._reading_mode_hidden is not None:
            return
        before = bool(self._yielded_groups)
        # One step a call: showing or hiding a dock may resize the view at once or only later, and
        # the view's resize calls this again, measured afresh.
        if self._yielded_groups:
            group = self._yielded_groups[-1]
            # Come back only with a margin, so a window at the threshold does not flicker.
            if self._room_chars(-self._group_width(group)) >= MIN_TEXT_CHARS + 2:
                self._yielded_groups.pop()
                for name in group:
                    self.docks[name].show()
        if before == bool(self._yielded_groups) and self._room_chars() < MIN_TEXT_CHARS:
            for area in (Area.RightDockWidgetArea, Area.LeftDockWidgetArea):
                names = self._visible_in(area)
                if names:
                    self._yielded_groups.append(names)
                    for name in names:
                        self.docks[name].hide()
                    break
        if bool(self._yielded_groups) != before:
            self.docks_yielded.emit(bool(self._yielded_groups))

    @property
    def yielded_docks(self) -> list[str]:
        """Docks hidden to give the text room (they come back when the window grows)."""
        return [name for group in self._yielded_groups for name in group]

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Let the layout settle, then check whether the side docks must yield."""
        super().resizeEvent(event)
        self._fit_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Re-check the docks when the reading view changes size."""
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._fit_timer.start()
        return super().eventFilter(watched, event)

    def set_reading_mode(self, on: bool) -> None:
        """Full-screen reading (F11): docks, toolbar and menus out of the way; back as they were."""
        if on and self._reading_mode_hidden is None:
            self._reading_mode_hidden = [n for n, d in self.docks.items() if d.isVisible()]
            for name in self._reading_mode_hidden:
                self.docks[name].hide()
            self.toolbar.hide()
            self.showFullScreen()
        elif not on and self._reading_mode_hidden is not None:
            self.showNormal()
            self.toolbar.show()
            for name in self._reading_mode_hidden:
                self.docks[name].show()
            self._reading_mode_hidden = None
        self.actions_by_name["full_screen"].setChecked(on)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """The mouse's back and forward buttons walk the history."""
        if event.button() == Qt.MouseButton.BackButton:
            self.history_requested.emit(-1)
            event.accept()
            return
        if event.button() == Qt.MouseButton.ForwardButton:
            self.history_requested.emit(1)
            event.accept()
            return
        super().mousePressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Announce the close so state and notes are saved."""
        self.closing.emit()
        super().closeEvent(event)
