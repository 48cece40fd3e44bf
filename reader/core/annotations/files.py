"""One annotation file on disk: safe reads, atomic writes, backups, quarantine.

* Writes go through :func:`reader.core.atomic.atomic_write_bytes`; before a
  write the previous content is rotated into ``.backup/<name>.1`` .. ``.N``.
* A file that does not parse or validate is renamed aside
  (``<name>.corrupt-<UTC time>``; never deleted, never overwritten) and the
  newest backup that does parse is loaded instead; both are reported.
* What was last read or written is remembered (mtime, size, SHA-256) so a
  change by someone else (sync tool, hand edit, a colleague's merge) is seen
  before we write.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reader.core.annotations import codec
from reader.core.annotations.model import AnnotationSet, Problem
from reader.core.atomic import atomic_write_bytes
from reader.core.limits import LimitExceeded, read_regular_file

BACKUP_DIR = ".backup"
DEFAULT_BACKUPS = 3


@dataclass(frozen=True, slots=True)
class FileState:
    """What we know of a file's content without reading it again."""

    mtime_ns: int
    size: int
    sha256: str


@dataclass(slots=True)
class ReadResult:
    """Outcome of reading an annotation file.

    Attributes:
        data: The annotations (from the file, or from a backup), or ``None``
            when the file does not exist or nothing could be recovered.
        problems: What the user should be told.
        writable: False when the file must not be written (a newer format).
        from_backup: True when ``data`` came from a backup and should be saved.
    """

    data: AnnotationSet | None
    problems: list[Problem]
    writable: bool = True
    from_backup: bool = False


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


class AnnotationFile:
    """A YAML annotation file with change detection, backups and quarantine."""

    def __init__(self, path: Path, *, backups: int = DEFAULT_BACKUPS) -> None:
        self.path = Path(path)
        self.backups = backups
        self.state: FileState | None = None

    @property
    def backup_dir(self) -> Path:
        """Folder holding rotated backups of this file."""
        return self.path.parent / BACKUP_DIR

    def backup_path(self, n: int) -> Path:
        """Path of the ``n``-th newest backup (1 = the version before the current one)."""
        return self.backup_dir / f"{self.path.name}.{n}"

    # ------------------------------------------------------------ reading

    def _observe(self) -> tuple[bytes, FileState] | None:
        try:
            data, st = read_regular_file(self.path, codec.MAX_FILE_BYTES)
        except FileNotFoundError:
            return None
        return data, FileState(st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest())

    def read(self, *, quarantine: bool = True) -> ReadResult:
        """Read and validate the file, moving it aside if it is bad.

        Args:
            quarantine: Move a bad file aside (pass False when read-only: someone else
                owns the library, or the file is not ours, e.g. a colleague's file to merge).
        """
        try:
            observed = self._observe()
        except LimitExceeded as exc:
            # Too large, or a pipe or device put in its place: not ours to move or overwrite.
            reason = str(exc).removeprefix(f"{self.path}: ")
            problem = Problem(str(self.path), f"{reason}; left untouched, shown read-only")
            return ReadResult(None, [problem], False)
        except OSError as exc:
            return ReadResult(
                None, [Problem(str(self.path), f"cannot be read: {exc.strerror or exc}")], False
            )
        if observed is None:
            self.state = None
            return ReadResult(None, [])
        raw, state = observed
        try:
            data = codec.loads(raw)
        except codec.NewerFormatError as exc:
            self.state = state
            problem = Problem(str(self.path), f"{exc}; left untouched, shown read-only")
            return ReadResult(codec.loads_newer(raw), [problem], False)
        except codec.FormatError as exc:
            return self._bad(str(exc), quarantine)
        self.state = state
        return ReadResult(data, [])

    def _bad(self, reason: str, quarantine: bool) -> ReadResult:
        moved: Path | None = None
        if quarantine:
            moved = self.quarantine()
            self.state = None
        restored, source = self._newest_backup()
        problem = Problem(
            str(self.path),
            reason,
            moved_to=str(moved) if moved else None,
            restored_from=str(source) if source else None,
        )
        if not quarantine:
            # Leave the bad file alone; remember it so our next save sees "changed".
            observed = None
            with contextlib.suppress(OSError, LimitExceeded):
                observed = self._observe()
            self.state = observed[1] if observed else None
        return ReadResult(restored, [problem], writable=quarantine, from_backup=restored is not None)

    def _newest_backup(self) -> tuple[AnnotationSet | None, Path | None]:
        for n in range(1, self.backups + 1):
            path = self.backup_path(n)
            try:
                return codec.loads(read_regular_file(path, codec.MAX_FILE_BYTES)[0]), path
            except (OSError, LimitExceeded, codec.FormatError):
                continue
        return None, None

    def quarantine(self) -> Path | None:
        """Rename the file aside with a timestamp; returns the new path (``None`` if it vanished)."""
        for attempt in range(100):
            suffix = f".corrupt-{_stamp()}" + (f"-{attempt}" if attempt else "")
            target = self.path.with_name(self.path.name + suffix)
            if target.exists():
                continue
            try:
                # os.link + unlink would refuse to overwrite even in a race, but is not
                # available everywhere; the exists() check above suffices for one writer.
                os.replace(self.path, target)
            except FileNotFoundError:
                return None
            return target
        return None

    def changed_on_disk(self) -> bool:
        """Whether the file differs from what we last read or wrote (cheap stat first, then hash)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return self.state is not None
        if self.state is not None and (st.st_mtime_ns, st.st_size) == (self.state.mtime_ns, self.state.size):
            return False
        try:
            observed = self._observe()
        except (OSError, LimitExceeded):
            return True  # read() will say what is wrong with it
        if observed is None:
            return self.state is not None
        _, state = observed
        if self.state is not None and state.sha256 == self.state.sha256:
            self.state = state
            return False
        return True

    # ------------------------------------------------------------ writing

    def write(self, data: AnnotationSet) -> None:
        """Rotate backups and replace the file atomically with ``data``."""
        payload = codec.dumps(data).encode("utf-8")
        self._rotate_backups()
        atomic_write_bytes(self.path, payload)
        st = os.stat(self.path)
        self.state = FileState(st.st_mtime_ns, st.st_size, hashlib.sha256(payload).hexdigest())

    def _rotate_backups(self) -> None:
        if self.backups <= 0:
            return
        try:
            current = self.path.read_bytes()
        except FileNotFoundError:
            return
        self.backup_dir.mkdir(parents=True, exist_ok=True)
        for n in range(self.backups - 1, 0, -1):
            with contextlib.suppress(FileNotFoundError):
                os.replace(self.backup_path(n), self.backup_path(n + 1))
        atomic_write_bytes(self.backup_path(1), current)
