"""``yaml.safe_load`` with bounds: file size, nodes expanded, aliases, no recursion.

PyYAML shares an anchored node between its aliases, so an 877-byte "billion
laughs" file loads quickly into a structure that *looks* like a billion
strings; whatever walks it next (validation, a copy, ``str()``) then runs for
minutes.  This loader counts, while composing, how many nodes the document
would expand to (an alias counts its target's whole subtree) and stops at
:data:`~reader.core.limits.MAX_YAML_NODES`; it also refuses more than
:data:`~reader.core.limits.MAX_YAML_ALIASES` aliases and aliases to a node
that contains them (a structure that contains itself).
"""

from __future__ import annotations

import yaml
from yaml.events import AliasEvent
from yaml.nodes import Node

from reader.core.limits import MAX_YAML_ALIASES, MAX_YAML_NODES, megabytes


class YamlLimitError(yaml.YAMLError):
    """The YAML text passes a size, node or alias limit; the message says which."""


class _BoundedLoader(yaml.SafeLoader):
    """A safe loader that counts expanded nodes and aliases while composing."""

    max_nodes = MAX_YAML_NODES
    max_aliases = MAX_YAML_ALIASES

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self._expanded = 0
        self._aliases = 0
        self._sizes: dict[int, int] = {}
        # The parent argument of every compose_node call still running: the
        # ancestors of whatever is being composed now.
        self._parents: list[Node | None] = []

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Compose one node, counting what it expands to."""
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            target = self.anchors.get(event.anchor) if event.anchor is not None else None
            if target is not None:
                self._aliases += 1
                if self._aliases > self.max_aliases:
                    raise YamlLimitError(f"more than {self.max_aliases:,} aliases (*name)")
                if target is parent or any(target is p for p in self._parents):
                    raise YamlLimitError(f"alias *{event.anchor} refers to a value that contains it")
                self._grow(self._sizes.get(id(target), 1))
            return super().compose_node(parent, index)
        before = self._expanded
        self._grow(1)
        self._parents.append(parent)
        try:
            node: Node | None = super().compose_node(parent, index)
        finally:
            self._parents.pop()
        if node is not None:
            self._sizes[id(node)] = self._expanded - before
        return node

    def _grow(self, n: int) -> None:
        self._expanded += n
        if self._expanded > self.max_nodes:
            raise YamlLimitError(f"expands to more than {self.max_nodes:,} values (YAML aliases?)")


_C_LOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
"""libyaml's safe loader (the same resolver and constructors, ~20× faster), where PyYAML has it."""


def _cannot_expand(text: str | bytes) -> bool:
    """True when no limit of :class:`_BoundedLoader` can be reached, so counting is not needed.

    Without an anchor no alias can refer to anything (an alias to nothing is
    an error), so every node is written out in the text; each takes at least
    two characters, so a text under twice the node limit stays under it.
    libyaml refuses nesting deeper than 1,000 levels itself.
    """
    anchor = b"&" if isinstance(text, bytes) else "&"
    return len(text) <= 2 * _BoundedLoader.max_nodes and anchor not in text  # type: ignore[operator]


def load(text: str | bytes, *, max_bytes: int) -> object:
    """Parse YAML like ``yaml.safe_load``, refusing text over ``max_bytes`` and expansion bombs.

    Raises:
        YamlLimitError: A limit was passed (the message names it, not the file).
        yaml.YAMLError: The text is not valid YAML.
    """
    if len(text) > max_bytes:
        raise YamlLimitError(f"larger than {megabytes(max_bytes)}, the limit for this file")
    if _C_LOADER is not None and _cannot_expand(text):
        try:
            return yaml.load(text, Loader=_C_LOADER)
        except RecursionError:
            raise YamlLimitError("nested too deeply") from None
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
