"""The main window: layout only (docks from one table, menus, status bar); reader.features wire behaviour."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QProgressBar, QWidget

from reader.qt.i18n import tr
from reader.qt.text import plain_label, plain_tooltip
from reader.ui.bookmarks_panel import BookmarksPanel
from reader.ui.contents_panel import ContentsPanel
from reader.ui.library_panel import LibraryPanel
from reader.ui.notes_panel import NotesPanel
from reader.ui.readingview import ReadingView
from reader.ui.search_panel import SearchPanel

STATE_VERSION = 1
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
)

# Action name, source text, shortcuts ("; " between alternatives).  Standard keys where Qt has one.
ACTION_DEFS: tuple[tuple[str, str, str], ...] = (
    ("import", "&Import documents…", "Ctrl+O"),
    ("export_notes", "&Export notes…", "Ctrl+Shift+E"),
    ("import_notes", "Import &colleague's notes…", ""),
    ("quit", "&Quit", "Ctrl+Q"),
    ("undo", "&Undo", "Ctrl+Z"),
    ("redo", "&Redo", "Ctrl+Shift+Z; Ctrl+Y"),
    ("find", "&Find…", "Ctrl+F"),
    ("find_next", "Find &next", "F3"),
    ("find_previous", "Find &previous", "Shift+F3"),
    ("add_note", "Add &note", "Ctrl+E"),
    ("toggle_bookmark", "Toggle &bookmark", "Ctrl+D"),
    ("zoom_in", "Zoom &in", "Ctrl+="),
    ("zoom_out", "Zoom &out", "Ctrl+-"),
    ("wider", "&Wider text", "Ctrl+]"),
    ("narrower", "Na&rrower text", "Ctrl+["),
    ("dark", "&Dark theme", "Ctrl+Shift+D"),
)
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("&File", ("import", "-", "export_notes", "import_notes", "-", "quit")),
    (
        "&Edit",
        ("undo", "redo", "-", "find", "find_next", "find_previous", "-", "add_note", "toggle_bookmark"),
    ),
    ("&View", ("zoom_in", "zoom_out", "wider", "narrower", "dark", "-", "docks", "language")),
)
LANGUAGE_NAMES = (("en", "English"), ("zh_CN", "简体中文"))
EDITING_ACTIONS = ("add_note", "toggle_bookmark", "import_notes")
"""Actions that change notes or bookmarks: disabled while the notes are read-only."""


class MainWindow(QMainWindow):
    """Reading view in the centre, the docks of :data:`DOCK_DEFS` around it.

    Signals:
        language_requested(str): the user picked a UI language (``en``, ``zh_CN``).
        activated(): the window became the active one (the user came back to it).
        closing(): the window is about to close (save state now).
    """

    language_requested = Signal(str)
    activated = Signal()
    closing = Signal()

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
        self.docks["notes"].raise_()
        self.resizeDocks(
            [self.docks["contents"], self.docks["search"]], [300, 360], Qt.Orientation.Horizontal
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
        self._build_menus()
        self.status_label = plain_label(QLabel(self))
        self._error_shown = False  # an error stays until a real message replaces it, not a notice
        self.status_label.setObjectName("status_message")
        self.position_label = plain_label(QLabel(self))
        self.index_progress = QProgressBar(self)
        self.index_progress.setObjectName("index_progress")
        self.index_progress.setMaximumWidth(160)
        self.index_progress.setTextVisible(False)
        self.index_progress.hide()
        self.read_only_label = plain_label(QLabel(self))
        self.read_only_label.setObjectName("read_only")
        # Bold and set apart from the position label: it explains why editing is off.
        self.read_only_label.setStyleSheet("QLabel { font-weight: bold; padding: 0 12px; }")
        self.read_only_label.hide()
        self.read_only_reason = ""
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.statusBar().addPermanentWidget(self.index_progress)
        self.statusBar().addPermanentWidget(self.position_label)
        self.resize(1280, 820)
        self.retranslate()

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

    def apply_default_sizes(self) -> None:
        """First-start proportions: readable chapter titles on the left, snippets on the right."""
        self.resizeDocks(
            [self.docks["contents"], self.docks["search"]], [330, 380], Qt.Orientation.Horizontal
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
                else:
                    menu.addAction(self.actions_by_name[name])
            self.menus.append(menu)

    def set_language_checked(self, code: str) -> None:
        """Tick the current language in the menu."""
        act = self.language_actions.get(code)
        if act is not None:
            act.setChecked(True)

    def retranslate(self) -> None:
        """Re-read every string (after a language switch)."""
        self.setWindowTitle(tr("Briefing Reader"))
        for spec in DOCK_DEFS:
            self.docks[spec.name].setWindowTitle(tr(spec.title))
        for name, text, _keys in ACTION_DEFS:
            self.actions_by_name[name].setText(tr(text))
        for menu, (title, _names) in zip(self.menus, MENUS, strict=True):
            menu.setTitle(tr(title))
        self.dock_menu.setTitle(tr("&Panels"))
        self.language_menu.setTitle(tr("&Language"))
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
        self.status_label.setText(text)

    def show_notice(self, text: str) -> None:
        """A passing status message (e.g. search is ready) that leaves an error on screen."""
        if not self._error_shown:
            self.status_label.setText(text)

    def show_error(self, text: str) -> None:
        """A plain-words error, kept until the next message."""
        self._error_shown = True
        self.status_label.setText("⚠ " + text)

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

    # ------------------------------------------------------------ state
    def save_state(self, settings: QSettings) -> None:
        """Store geometry and dock layout."""
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

    def closeEvent(self, event: QCloseEvent) -> None:
        """Announce the close so state and notes are saved."""
        self.closing.emit()
        super().closeEvent(event)
