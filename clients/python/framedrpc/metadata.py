"""Call metadata (PROTOCOL.md §6): an ordered list of key/value pairs, keys may repeat."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Union, overload

Value = Union[str, bytes]
"""A metadata value: `bytes` for keys ending in `-bin`, `str` (UTF-8 on the wire) otherwise."""

MetadataLike = Union["Metadata", Mapping[str, Value], Iterable[tuple[str, Value]]]
"""What call options accept as metadata: a `Metadata`, a mapping, or (key, value) pairs."""

BINARY_SUFFIX = "-bin"
RESERVED_PREFIX = "framedrpc-"
_KEY = re.compile(r"[a-z0-9._-]{1,255}")


def is_binary_key(key: str) -> bool:
    """True when `key` carries a binary value (it ends in `-bin`)."""
    return key.endswith(BINARY_SUFFIX)


def validate_entry(key: str, value: Value) -> None:
    """Checks one entry against §6; raises ValueError saying what is wrong.

    Keys are 1-255 characters of lowercase ASCII letters, digits, `-`, `_` and `.`; keys
    starting with `framedrpc-` are reserved for the protocol; `-bin` keys take bytes,
    other keys take str.
    """
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError(
            f"invalid metadata key {key!r}: use 1-255 characters of a-z, 0-9, '-', '_', '.'"
        )
    if key.startswith(RESERVED_PREFIX):
        raise ValueError(f"metadata key {key!r} is reserved: keys starting with "
                         f"{RESERVED_PREFIX!r} belong to the protocol")
    if is_binary_key(key):
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise ValueError(f"metadata key {key!r} ends in {BINARY_SUFFIX!r}: its value "
                             f"must be bytes, got {type(value).__name__}")
    elif not isinstance(value, str):
        raise ValueError(f"metadata key {key!r} takes a str value (use a key ending in "
                         f"{BINARY_SUFFIX!r} for bytes), got {type(value).__name__}")


class Metadata(Sequence[tuple[str, Value]]):
    """An immutable, ordered sequence of (key, value) pairs.

    Building one from caller input validates every entry (see `validate_entry`); metadata
    received from the server is kept as sent, through `Metadata.received`.
    """

    __slots__ = ("_entries",)

    def __init__(self, entries: MetadataLike = ()) -> None:
        pairs = entries.items() if isinstance(entries, Mapping) else entries
        normalized: list[tuple[str, Value]] = []
        for key, value in pairs:
            validate_entry(key, value)
            normalized.append((key, bytes(value) if isinstance(value, (bytearray, memoryview))
                               else value))
        self._entries: tuple[tuple[str, Value], ...] = tuple(normalized)

    @classmethod
    def received(cls, entries: Iterable[tuple[str, Value]]) -> Metadata:
        """Metadata as the peer sent it, without validation (the peer is not ours to police)."""
        metadata = cls.__new__(cls)
        metadata._entries = tuple(entries)
        return metadata

    @overload
    def __getitem__(self, index: int) -> tuple[str, Value]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, Value]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, Value] | Sequence[tuple[str, Value]]:
        return self._entries[index]

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[tuple[str, Value]]:
        return iter(self._entries)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Metadata):
            return self._entries == other._entries
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._entries)

    def __repr__(self) -> str:
        return f"Metadata({list(self._entries)!r})"

    def get(self, key: str, default: Value | None = None) -> Value | None:
        """The first value for `key`, or `default` when there is none."""
        return next((v for k, v in self._entries if k == key), default)

    def get_all(self, key: str) -> list[Value]:
        """Every value for `key`, in order."""
        return [v for k, v in self._entries if k == key]
