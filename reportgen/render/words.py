"""The words of a page, as typed objects: a section reaches its own messages, nothing else.

``Words`` is a read-only view of one part of a message catalogue
(``templates/messages/<lang>.json``): ``words.heading`` is a message as safe
markup, ``words.explain["wilson"]`` one of a group, ``words.answers`` a list
of messages; a name the catalogue lacks raises ``KeyError`` naming its path,
so a template that asks for a word that is not there fails at once. Page data
hands each section the ``Words`` of its own part of the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from markupsafe import Markup


class Words(Mapping[str, Any]):
    """A part of a message catalogue: attribute or item access by name (see module)."""

    __slots__ = ("_node", "_path")

    def __init__(self, node: Mapping[str, Any], path: str = "") -> None:
        self._node = node
        self._path = path

    def __getitem__(self, name: str) -> Any:
        try:
            value = self._node[name]
        except KeyError:
            where = f"{self._path}.{name}" if self._path else name
            raise KeyError(f"the message catalogue has no {where}") from None
        return _typed(value, f"{self._path}.{name}" if self._path else name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(str(exc)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def __repr__(self) -> str:
        return f"<Words {self._path or '(all)'}: {len(self)} names>"


def _typed(value: Any, path: str) -> Any:
    if isinstance(value, Mapping):
        return Words(value, path)
    if isinstance(value, list | tuple):
        return tuple(_typed(item, path) for item in value)
    return Markup(value) if isinstance(value, str) else value
