"""The generated control messages (Proto/framedrpc/v1/wire.proto) and conversions to them.

The `*_pb2` modules live in Generated/python/, which must be on `sys.path` (see
clients/python/README.md); `framedrpc/__init__.py` lets `framedrpc.v1` and
`framedrpc.testing` resolve there.
"""

from __future__ import annotations

from collections.abc import Iterable

try:
    from framedrpc.v1 import wire_pb2
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "generated protobuf modules not found (framedrpc.v1.wire_pb2): put Generated/python "
        "on PYTHONPATH, and run scripts/generate.sh if it is empty "
        "(see clients/python/README.md)"
    ) from error

from .metadata import Metadata
from .status import Status, StatusCode, StatusDetail

__all__ = ["wire_pb2", "metadata_to_wire", "metadata_from_wire", "status_from_wire"]


def metadata_to_wire(metadata: Metadata) -> list[wire_pb2.MetadataEntry]:
    """Entries for a CallHeaders message; `metadata` is already validated."""
    entries = []
    for key, value in metadata:  # validated: bytes exactly for the -bin keys
        if isinstance(value, bytes):
            entries.append(wire_pb2.MetadataEntry(key=key, binary=value))
        else:
            entries.append(wire_pb2.MetadataEntry(key=key, text=value))
    return entries


def metadata_from_wire(entries: Iterable[wire_pb2.MetadataEntry]) -> Metadata:
    """Metadata as the server sent it: each entry's value is whichever of text/binary is set."""
    return Metadata.received(
        (entry.key, entry.binary if entry.WhichOneof("value") == "binary" else entry.text)
        for entry in entries
    )


def status_from_wire(message: wire_pb2.CallStatus) -> Status:
    """The Status a STATUS frame carries; codes above 16 become UNKNOWN (§4.4)."""
    return Status(
        code=StatusCode.from_wire(message.code),
        message=message.message,
        details=tuple(StatusDetail(d.type_url, d.value) for d in message.details),
        trailing_metadata=metadata_from_wire(message.trailing_metadata),
    )
