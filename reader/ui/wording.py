"""Counted phrases with the right plural: ``1 hit``, ``2 hits``; Chinese has one form for both."""

from __future__ import annotations

from reader.qt.i18n import tr


def plural(n: int, one: str, many: str) -> str:
    """``one`` or ``many`` (both source strings, each translated) with ``%n`` replaced by ``n``."""
    return tr(one if n == 1 else many).replace("%n", str(n))
