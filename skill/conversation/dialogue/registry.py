"""Things looked up by name (flows, questions). A name taken twice is a programming error, refused at start-up
rather than letting the later one silently replace the earlier."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

T = TypeVar("T")


class DuplicateName(ValueError):
    """Two things were registered under one name."""


class Registry(Mapping[str, T]):
    def __init__(self, kind: str, named: Iterable[tuple[str, T]]) -> None:
        self._items: dict[str, T] = {}
        for name, item in named:
            if name in self._items:
                raise DuplicateName(f"two {kind}s are named {name!r}")
            self._items[name] = item

    def __getitem__(self, name: str) -> T:
        return self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)
