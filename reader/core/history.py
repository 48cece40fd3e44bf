"""Back and forward over every jump, like a browser's history (Qt-free).

A jump records where the reader was and where they went; going back first
remembers where they are now, so forward returns there rather than to where
the jump first landed.
"""

from __future__ import annotations

from dataclasses import dataclass

LIMIT = 200
"""Places kept; the oldest go first."""


@dataclass(frozen=True, slots=True)
class Place:
    """A document and a block in it."""

    doc_id: str
    block_id: str


class History:
    """A list of places with a current index."""

    def __init__(self, limit: int = LIMIT) -> None:
        self._places: list[Place] = []
        self._index = -1
        self._limit = limit

    @property
    def places(self) -> list[Place]:
        """Every place kept, oldest first."""
        return list(self._places)

    @property
    def index(self) -> int:
        """Position of the current place (-1 when empty)."""
        return self._index

    def can_go_back(self) -> bool:
        """Whether there is a place before the current one."""
        return self._index > 0

    def can_go_forward(self) -> bool:
        """Whether there is a place after the current one."""
        return 0 <= self._index < len(self._places) - 1

    def jump(self, origin: Place | None, target: Place) -> None:
        """Record a jump from ``origin`` (where the reader was) to ``target``; forward places are dropped."""
        del self._places[self._index + 1 :]
        if origin is not None:
            if self._places:
                self._places[-1] = origin
            else:
                self._places.append(origin)
        if not self._places or self._places[-1] != target:
            self._places.append(target)
        overflow = len(self._places) - self._limit
        if overflow > 0:
            del self._places[:overflow]
        self._index = len(self._places) - 1

    def back(self, here: Place | None) -> Place | None:
        """The place before the current one (``here`` replaces the current: the reader may have read on)."""
        if not self.can_go_back():
            return None
        if here is not None:
            self._places[self._index] = here
        self._index -= 1
        return self._places[self._index]

    def forward(self, here: Place | None) -> Place | None:
        """The place after the current one."""
        if not self.can_go_forward():
            return None
        if here is not None:
            self._places[self._index] = here
        self._index += 1
        return self._places[self._index]
