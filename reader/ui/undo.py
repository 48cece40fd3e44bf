"""Bridge between the core's undoable annotation commands and ``QUndoStack``."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from reader.core.annotations import Command
from reader.qt.i18n import tr


class CoreUndo(QUndoCommand):
    """A ``QUndoCommand`` running one core :class:`~reader.core.annotations.Command`."""

    def __init__(self, command: Command) -> None:
        super().__init__(tr(command.text))
        self.command = command

    def redo(self) -> None:
        """Apply (or re-apply) the core command."""
        self.command.do()

    def undo(self) -> None:
        """Revert the core command."""
        self.command.undo()

    def id(self) -> int:
        """Commands with the same non-negative id merge (typing into one note)."""
        return self.command.merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Fold a following edit of the same note into this step."""
        return isinstance(other, CoreUndo) and self.command.absorb(other.command)
