"""``briefing-reader --self-test``: prove an installation works, offline, without touching user data.

With a temporary library it imports the bundled sample, searches it, adds a
note, exports the notes (Markdown and .docx), reopens the library and finds
the note again; then it starts Qt offscreen, loads the bundled CJK font and
builds the main window. Every network socket is refused meanwhile and any
attempt fails the test. Each check prints one line; the exit status is 0 when
all passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

SEARCH_QUERY = "维和情报"
NOTE_TEXT = "自检批注：请核对此段的数字 (self-test note)"
NOTE_TAG = "question"
CJK_SAMPLE = "维和行动情报政策"
WINDOW_TIMEOUT_S = 30.0


class SelfTestFailed(Exception):
    """A check did not hold; the message says what was expected and what was found."""


@dataclass
class NetworkGuard:
    """Refuses every non-local socket and DNS lookup, remembering who tried."""

    attempts: list[str] = field(default_factory=list)

    def _refuse(self, what: str) -> OSError:
        caller = "".join(traceback.format_stack(limit=6)[:-2]).strip().splitlines()
        where = caller[-2].strip() if len(caller) >= 2 else "?"
        self.attempts.append(f"{what} ({where})")
        return OSError(f"network use blocked by the self-test: {what}")

    @contextmanager
    def active(self) -> Iterator[NetworkGuard]:
        """Install the guard for the duration of the block."""
        guard = self
        original_socket = socket.socket
        original_getaddrinfo = socket.getaddrinfo
        original_create_connection = socket.create_connection
        local_families = {getattr(socket, "AF_UNIX", None)}

        class GuardedSocket(original_socket):  # type: ignore[misc, valid-type]
            def __init__(
                self, family: int = -1, type: int = -1, proto: int = -1, fileno: int | None = None
            ) -> None:
                # Wrapping an existing descriptor (socketpair, inherited fds) opens nothing new.
                if fileno is None and family not in local_families:
                    raise guard._refuse(f"socket(family={family})")
                super().__init__(family, type, proto, fileno)

        def getaddrinfo(host: object, *args: object, **kwargs: object) -> NoReturn:
            raise guard._refuse(f"getaddrinfo({host!r})")

        def create_connection(address: object, *args: object, **kwargs: object) -> NoReturn:
            raise guard._refuse(f"create_connection({address!r})")

        socket.socket = GuardedSocket  # type: ignore[misc]
        socket.getaddrinfo = getaddrinfo
        socket.create_connection = create_connection
        try:
            yield self
        finally:
            socket.socket = original_socket  # type: ignore[misc]
            socket.getaddrinfo = original_getaddrinfo
            socket.create_connection = original_create_connection


@dataclass
class Report:
    """Prints each check as it completes and remembers whether all passed."""

    failures: int = 0
    out: Any = field(default_factory=lambda: sys.stdout)

    def check(self, name: str, func: Callable[[], str]) -> bool:
        """Run one check; print ``ok``/``FAIL`` with its detail and duration."""
        started = time.perf_counter()
        try:
            detail = func()
        except Exception as exc:  # every failure becomes one clear line
            self.failures += 1
            message = str(exc) if isinstance(exc, SelfTestFailed) else f"{type(exc).__name__}: {exc}"
            print(f"FAIL {name}: {message}", file=self.out, flush=True)
            if not isinstance(exc, SelfTestFailed) and os.environ.get("BRIEFING_READER_DEBUG"):
                traceback.print_exc()
            return False
        ms = (time.perf_counter() - started) * 1000
        print(f"ok   {name}: {detail} [{ms:.0f} ms]", file=self.out, flush=True)
        return True


def expect(condition: bool, message: str) -> None:
    """Raise :class:`SelfTestFailed` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise SelfTestFailed(message)


@contextmanager
def _isolated_environment(root: Path) -> Iterator[None]:
    """Point the library, caches, settings and the notes author at ``root`` for the duration."""
    saved = dict(os.environ)
    os.environ["BRIEFING_READER_HOME"] = str(root / "library")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data")):
        os.environ[var] = str(root / sub)
    runtime = root / "runtime"
    runtime.mkdir(mode=0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("BRIEFING_READER_AUTHOR", "self-test")
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class SelfTest:
    """The checks, sharing state (library, document, note) from one to the next."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.library_root = root / "library"
        self.library: Any = None
        self.record: Any = None
        self.document: Any = None
        self.note_id = ""
        self.note_block = ""
        self.qt_messages: list[str] = []

    # ------------------------------------------------------------ core

    def open_sample(self) -> str:
        """Create the library, which imports the bundled sample when empty."""
        from reader.core.library import Library
        from reader.core.paths import sample_path

        expect(sample_path().is_file(), f"bundled sample missing: {sample_path()}")
        self.library = Library.open(self.library_root)
        self.record = self.library.ensure_sample()
        expect(self.record is not None, "the empty library did not import the bundled sample")
        self.document = self.library.load(self.record.id)
        paragraphs = [b for b in self.document.blocks if b.kind == "paragraph" and b.number]
        expect(
            len(paragraphs) == 147, f"expected the sample's 147 numbered paragraphs, found {len(paragraphs)}"
        )
        title = self.record.title[:30] + (f" {self.record.symbol}" if self.record.symbol else "")
        return f"{title}, {len(self.document.blocks)} blocks, {len(paragraphs)} numbered paragraphs"

    def search(self) -> str:
        """Index the library and find a phrase that occurs in the sample."""
        from reader.core.searching import LibrarySearch

        search = LibrarySearch(self.library)
        results = search.search(SEARCH_QUERY, limit=5)
        expect(results.total > 0, f"no hits for {SEARCH_QUERY!r} in the sample")
        hit = results.hits[0]
        expect(SEARCH_QUERY in hit.snippet, f"the first hit lacks {SEARCH_QUERY!r}: {hit.snippet[:60]!r}")
        where = f"paragraph {hit.number}" if hit.number else hit.block_id
        return f"{results.total} hits for {SEARCH_QUERY!r}, first in {where}"

    def compare(self) -> str:
        """Compare the sample with a copy whose paragraph 5 is reworded (the diff core is bundled)."""
        from reader.core.compare import Status, compare_documents
        from reader.core.parser import parse_text

        target = next(b for b in self.document.blocks if b.kind == "paragraph" and b.number == "5")
        start = target.spans[0][0]
        source = self.document.source
        edited = source[:start] + source[start:].replace("。", "，自检修订。", 1)
        comparison = compare_documents(self.document, parse_text(edited, source_name="rev.txt"))
        changed = [c for c in comparison.changes if c.status is Status.CHANGED]
        expect(len(changed) == 1, f"expected one changed paragraph, found {len(changed)}")
        expect(("+", "，自检修订") in changed[0].ops, f"unexpected operations {changed[0].ops[:4]}")
        return comparison.summary_line()

    def add_note(self) -> str:
        """Add a tagged note on the paragraph the search found, saved to the library."""
        from reader.core.annotations import AnnotationStore

        block = next((b for b in self.document.blocks if SEARCH_QUERY in b.text), None)
        if block is None:
            raise SelfTestFailed(f"no block contains {SEARCH_QUERY!r}")
        store = AnnotationStore(self.library, author="self-test")
        try:
            expect(not store.read_only, f"notes are read-only: {store.read_only_reason}")
            notes = store.open_document(self.record.id, self.document)
            note = notes.make_note(block.id, quote=SEARCH_QUERY, text=NOTE_TEXT, tags=[NOTE_TAG])
            notes.add_note(note)
            notes.save()
            self.note_id, self.note_block = note.id, block.id
            files = [p for p in notes.paths if p.is_file()]
            expect(bool(files), "the note was not written to disk")
        finally:
            store.close()
        return f"note {self.note_id} on {self.note_block} saved to {files[0].name}"

    def export(self) -> str:
        """Export the notes to Markdown and .docx and read both back."""
        import docx

        from reader.core.annotations import AnnotationStore, export_docx, export_markdown

        store = AnnotationStore(self.library, author="self-test", read_only=True)
        try:
            notes = store.open_document(self.record.id)
            md_path = self.root / "notes.md"
            docx_path = self.root / "notes.docx"
            count = export_markdown(notes, md_path)
            expect(count >= 1, f"the Markdown export holds {count} notes")
            markdown = md_path.read_text(encoding="utf-8")
            expect(NOTE_TEXT in markdown, "the Markdown export lacks the note's text")
            export_docx(notes, docx_path)
        finally:
            store.close()
        text = "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
        expect(NOTE_TEXT in text, "the .docx export lacks the note's text")
        return f"{count} note(s) in {md_path.name} ({md_path.stat().st_size} B) and {docx_path.name}"

    def reopen(self) -> str:
        """Open the library afresh, as on the next start, and find the note and its search hit."""
        from reader.core.annotations import AnnotationStore
        from reader.core.library import Library
        from reader.core.searching import LibrarySearch, library_notes

        library = Library.open(self.library_root)
        records = library.documents()
        expect(len(records) == 1, f"expected 1 document after reopening, found {len(records)}")
        store = AnnotationStore(library, author="self-test")
        try:
            notes = store.open_document(records[0].id)
            found = [n for n in notes.notes() if n.id == self.note_id]
            expect(bool(found), f"note {self.note_id} is gone after reopening")
            note = found[0]
            expect(note.text == NOTE_TEXT, f"the note's text changed: {note.text!r}")
            expect(note.anchor.block == self.note_block, f"the note moved to {note.anchor.block}")
            expect(NOTE_TAG in note.tags, f"the note lost its tag: {note.tags}")
        finally:
            store.close()
        results = LibrarySearch(library, notes=library_notes(library)).search("in:notes 自检批注", limit=5)
        expect(results.total >= 1, "searching the notes does not find the note")
        return f"note {self.note_id} back on {note.anchor.block} with tag {NOTE_TAG!r}; found by in:notes"

    # ------------------------------------------------------------ Qt

    def qt_platform(self) -> str:
        """Start Qt offscreen and check the plugins the bundle must carry."""
        from PySide6.QtCore import qInstallMessageHandler
        from PySide6.QtGui import QGuiApplication, QIcon, QImageReader
        from PySide6.QtWidgets import QApplication

        from reader.core.paths import resources_dir

        qInstallMessageHandler(self._qt_message)
        app = QApplication.instance() or QApplication([sys.argv[0] or "briefing-reader"])
        platform = QGuiApplication.platformName()
        expect(platform == "offscreen", f"platform is {platform!r}, expected 'offscreen'")
        formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
        expect({"svg", "png"} <= formats, f"image formats missing: {sorted({'svg', 'png'} - formats)}")
        icon = QIcon(str(resources_dir() / "icons" / "briefing-reader.svg"))
        expect(not icon.pixmap(64, 64).isNull(), "the application icon does not render")
        del app
        shown = sorted(formats & {"svg", "png", "jpeg", "gif", "ico"})
        return f"platform offscreen, image formats {', '.join(shown)}"

    def qt_locale_data(self) -> str:
        """Sort Chinese in pinyin order and upper-case text: Qt's ICU data is present and usable."""
        from PySide6.QtCore import QCollator, QLocale

        words = ["中国", "安全", "维和", "部队", "和平"]
        ordered = sorted(words, key=QCollator(QLocale("zh_CN")).sortKey)
        expected = ["安全", "部队", "和平", "维和", "中国"]
        expect(ordered == expected, f"pinyin order expected {expected}, got {ordered}")
        upper = QLocale(QLocale.Language.English).toUpper("peacekeeping ß")
        expect(upper == "PEACEKEEPING SS", f"upper-casing gave {upper!r}")
        return f"pinyin collation {' < '.join(ordered)}; case mapping"

    def cjk_font(self) -> str:
        """Register the bundled fonts and check the CJK one has glyphs for Chinese text."""
        from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

        from reader.bundled_fonts import CJK_FAMILY, font_files

        files = font_files()
        expect(bool(files), "no bundled font files in resources/fonts")
        families: list[str] = []
        for path in files:
            font_id = QFontDatabase.addApplicationFont(str(path))
            expect(font_id >= 0, f"Qt cannot load {path.name}")
            families += QFontDatabase.applicationFontFamilies(font_id)
        expect(CJK_FAMILY in families, f"{CJK_FAMILY!r} not among the loaded families {families}")
        metrics = QFontMetrics(QFont(CJK_FAMILY))
        missing = [ch for ch in CJK_SAMPLE if not metrics.inFontUcs4(ord(ch))]
        expect(not missing, f"{CJK_FAMILY} lacks glyphs for {''.join(missing)}")
        return f"{', '.join(families)} from {', '.join(p.name for p in files)}"

    def _qt_message(self, mode: object, context: object, message: str) -> None:
        # The offscreen platform cannot do everything a window asks of it; that is expected.
        if "does not support propagateSizeHints" not in message:
            self.qt_messages.append(message)

    def main_window(self) -> str:
        """Build the real application offscreen, let it open the sample and paint, then shut it down."""
        from PySide6.QtWidgets import QApplication, QDockWidget

        from reader.core.library import Library

        try:
            from reader import app as gui
        except ModuleNotFoundError as exc:
            if exc.name == "reader.app":
                return "skipped: this build has no window (reader.app missing)"
            raise
        expect(QApplication.instance() is not None, "no QApplication")
        application = gui.build(Library.open(self.library_root))
        try:
            gui.start(application)
            deadline = time.monotonic() + WINDOW_TIMEOUT_S
            while application.session.doc_id != self.record.id and time.monotonic() < deadline:
                QApplication.processEvents()
                time.sleep(0.01)
            expect(
                application.session.doc_id == self.record.id,
                f"the window did not open the sample within {WINDOW_TIMEOUT_S:.0f} s",
            )
            QApplication.processEvents()
            image = application.window.grab().toImage()
            expect(not image.isNull() and image.width() > 0, "the window did not paint")
            docks = len(application.window.findChildren(QDockWidget))
        finally:
            gui.shutdown(application)
            application.window.close()
            application.window.deleteLater()
            QApplication.processEvents()
        return f"main window opened the sample, painted {image.width()}x{image.height()} with {docks} docks"


def run(args: argparse.Namespace | None = None) -> int:
    """Run every check; print one line each; 0 when all passed."""
    print("Briefing Reader self-test (temporary library, offscreen, network blocked)", flush=True)
    started = time.perf_counter()
    report = Report()
    guard = NetworkGuard()
    with tempfile.TemporaryDirectory(prefix="briefing-reader-selftest-") as tmp:
        root = Path(tmp)
        with _isolated_environment(root), guard.active():
            test = SelfTest(root)
            core_ok = report.check("open the bundled sample", test.open_sample)
            if core_ok:
                report.check("search", test.search)
                report.check("compare two revisions", test.compare)
                if report.check("add a note", test.add_note):
                    report.check("export the notes", test.export)
                    report.check("reopen and find the note", test.reopen)
            if report.check("Qt offscreen platform and plugins", test.qt_platform):
                report.check("Qt locale data (ICU)", test.qt_locale_data)
                report.check("bundled CJK font", test.cjk_font)
                report.check("main window", test.main_window)
        for message in test.qt_messages:
            print(f"     Qt said: {message}", flush=True)
    report.check("no network use", lambda: _no_network(guard))
    seconds = time.perf_counter() - started
    if report.failures:
        print(f"self-test FAILED: {report.failures} check(s) failed ({seconds:.1f} s)", flush=True)
        return 1
    print(f"self-test passed ({seconds:.1f} s)", flush=True)
    return 0


def _no_network(guard: NetworkGuard) -> str:
    expect(not guard.attempts, f"{len(guard.attempts)} network attempt(s): {'; '.join(guard.attempts[:3])}")
    return "no socket or DNS lookup was attempted"
