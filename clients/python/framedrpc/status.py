"""How a call ended: the canonical status codes (PROTOCOL.md §4.4) and `RpcError`."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from .metadata import Metadata


class StatusCode(enum.IntEnum):
    """The 17 canonical status codes; the value is the number in `CallStatus.code`."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def from_wire(cls, value: int) -> StatusCode:
        """Maps a wire value to a code; values above 16 read as UNKNOWN, as §4.4 requires."""
        try:
            return cls(value)
        except ValueError:
            return cls.UNKNOWN


@dataclass(frozen=True)
class StatusDetail:
    """A structured error detail: `type_url` plus a serialized message (the shape of `Any`)."""

    type_url: str
    value: bytes


@dataclass(frozen=True)
class Status:
    """The outcome of a finished call, from the server's STATUS frame or decided locally."""

    code: StatusCode
    message: str = ""
    details: tuple[StatusDetail, ...] = ()
    trailing_metadata: Metadata = field(default_factory=Metadata)

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return self.code == StatusCode.OK


class RpcError(Exception):
    """A call that ended with a status other than OK.

    Raised by the client for statuses sent by the server and for outcomes decided locally
    (CANCELLED after `cancel()`, DEADLINE_EXCEEDED when the call's timeout passes,
    UNAVAILABLE when the connection is lost, INTERNAL when the server breaks the protocol).
    """

    def __init__(self, status: Status) -> None:
        super().__init__(f"{status.code.name}: {status.message}")
        self.status = status

    @classmethod
    def local(cls, code: StatusCode, message: str) -> RpcError:
        """An error decided by the client, with no details or trailing metadata."""
        return cls(Status(code, message))

    @property
    def code(self) -> StatusCode:
        """The status code, never OK."""
        return self.status.code

    @property
    def message(self) -> str:
        """The status message (any Unicode text, possibly empty)."""
        return self.status.message

    @property
    def details(self) -> tuple[StatusDetail, ...]:
        """Structured details the server attached, in order."""
        return self.status.details

    @property
    def trailing_metadata(self) -> Metadata:
        """Trailing metadata the server sent with the status (empty if decided locally)."""
        return self.status.trailing_metadata

    def detail(self, message_type: Any) -> Any:
        """The first detail holding a `message_type` (a protobuf message class), parsed; None
        when there is none. A detail matches when its `type_url` ends in "/" followed by the
        message's full name (type.googleapis.com/package.Message)."""
        suffix = "/" + message_type.DESCRIPTOR.full_name
        for detail in self.details:
            if detail.type_url.endswith(suffix):
                return message_type.FromString(detail.value)
        return None
