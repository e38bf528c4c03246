"""Connection preface and frames (PROTOCOL.md §2-3): encoding, validation, decoding.

Pure byte manipulation, no I/O: `FrameDecoder` is fed whatever the transport read and
returns complete frames, so it can be tested byte by byte and in bulk.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass
from typing import cast

from .wire import wire_pb2

PREFACE_MAGIC = b"FRPC\r\n"
PROTOCOL_MAJOR = 1
PROTOCOL_MINOR = 0
PREFACE = PREFACE_MAGIC + bytes([PROTOCOL_MAJOR, PROTOCOL_MINOR])
"""The 8 bytes each side writes first: magic, major version, minor version."""

HEADER_SIZE = 10
DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024
"""Largest payload a receiver accepts unless configured otherwise (4 MiB)."""

MAX_STREAM_ID = 2**32 - 1
MAX_WINDOW_INCREMENT = 2**31 - 1
PING_DATA_SIZE = 8

_HEADER = struct.Struct(">IBBI")  # length, type, flags, stream id
_WINDOW_INCREMENT = struct.Struct(">I")


class FrameType(enum.IntEnum):
    """The frame types of §3."""

    HEADERS = 0x01
    MESSAGE = 0x02
    HALF_CLOSE = 0x03
    STATUS = 0x04
    CANCEL = 0x05
    WINDOW_UPDATE = 0x06
    PING = 0x07
    PONG = 0x08
    GOAWAY = 0x09


CONNECTION_FRAMES = frozenset({FrameType.PING, FrameType.PONG, FrameType.GOAWAY})
"""Frame types that travel on stream 0; every other type belongs to a call."""

CLIENT_TO_SERVER = frozenset({
    FrameType.HEADERS, FrameType.MESSAGE, FrameType.HALF_CLOSE, FrameType.CANCEL,
    FrameType.WINDOW_UPDATE, FrameType.PING, FrameType.PONG,
})
SERVER_TO_CLIENT = frozenset({
    FrameType.HEADERS, FrameType.MESSAGE, FrameType.STATUS, FrameType.WINDOW_UPDATE,
    FrameType.PING, FrameType.PONG, FrameType.GOAWAY,
})

_REQUIRED_PAYLOAD_SIZE = {
    FrameType.HALF_CLOSE: 0,
    FrameType.CANCEL: 0,
    FrameType.WINDOW_UPDATE: _WINDOW_INCREMENT.size,
    FrameType.PING: PING_DATA_SIZE,
    FrameType.PONG: PING_DATA_SIZE,
}


class ProtocolError(Exception):
    """The peer broke a rule of PROTOCOL.md: a connection error.

    `code` is the `GoAwayCode` value naming the broken rule (PROTOCOL_ERROR,
    FRAME_TOO_LARGE, UNSUPPORTED_VERSION or FLOW_CONTROL_ERROR).
    """

    def __init__(self, code: int, message: str) -> None:
        name = wire_pb2.GoAwayCode.Name(cast("wire_pb2.GoAwayCode.ValueType", code))
        super().__init__(f"{name}: {message}")
        self.code = code


@dataclass(frozen=True)
class Frame:
    """One frame. `payload` is the raw payload; `flags` is 0 in version 1."""

    type: FrameType
    stream_id: int
    payload: bytes = b""
    flags: int = 0

    def encode(self) -> bytes:
        """The frame's bytes: the 10-byte header followed by the payload."""
        if not 0 <= self.stream_id <= MAX_STREAM_ID:
            raise ValueError(f"stream id {self.stream_id} is outside 0...{MAX_STREAM_ID}")
        return _HEADER.pack(len(self.payload), self.type, self.flags, self.stream_id) + self.payload

    @property
    def window_increment(self) -> int:
        """The increment a WINDOW_UPDATE frame carries; only for that type of frame."""
        increment: int = _WINDOW_INCREMENT.unpack(self.payload)[0]
        return increment


def window_update(stream_id: int, increment: int) -> Frame:
    """A WINDOW_UPDATE frame; raises ValueError unless 1 <= increment <= 2**31 - 1."""
    if not 1 <= increment <= MAX_WINDOW_INCREMENT:
        raise ValueError(f"window increment {increment} is outside 1...{MAX_WINDOW_INCREMENT}")
    return Frame(FrameType.WINDOW_UPDATE, stream_id, _WINDOW_INCREMENT.pack(increment))


def validate(frame: Frame, accepted: frozenset[FrameType]) -> None:
    """Checks the rules of §3 that a single frame can break; raises ProtocolError.

    `accepted` is the set of types allowed in the frame's direction (`SERVER_TO_CLIENT`
    for a client). Checked: direction, stream id 0 exactly for connection frames, the
    fixed payload sizes, and the WINDOW_UPDATE increment range.
    """
    name = frame.type.name
    if frame.type not in accepted:
        raise ProtocolError(wire_pb2.PROTOCOL_ERROR, f"{name} is not allowed in this direction")
    if frame.type in CONNECTION_FRAMES and frame.stream_id != 0:
        raise ProtocolError(wire_pb2.PROTOCOL_ERROR, f"{name} on stream {frame.stream_id}, not 0")
    if frame.type not in CONNECTION_FRAMES and frame.stream_id == 0:
        raise ProtocolError(wire_pb2.PROTOCOL_ERROR, f"{name} on stream 0")
    size = _REQUIRED_PAYLOAD_SIZE.get(frame.type)
    if size is not None and len(frame.payload) != size:
        raise ProtocolError(
            wire_pb2.PROTOCOL_ERROR, f"{name} payload is {len(frame.payload)} bytes, not {size}"
        )
    if frame.type == FrameType.WINDOW_UPDATE and not (
        1 <= frame.window_increment <= MAX_WINDOW_INCREMENT
    ):
        raise ProtocolError(
            wire_pb2.PROTOCOL_ERROR, f"window increment {frame.window_increment} is outside "
            f"1...{MAX_WINDOW_INCREMENT}"
        )


def check_preface(data: bytes) -> None:
    """Checks the 8 bytes of a peer's preface (§2); raises ProtocolError if they are wrong.

    Wrong magic means the peer does not speak FramedRPC (PROTOCOL_ERROR); a major
    version other than 1 is UNSUPPORTED_VERSION. The minor version is not checked:
    minor versions only add things old peers may ignore.
    """
    if len(data) != len(PREFACE) or data[: len(PREFACE_MAGIC)] != PREFACE_MAGIC:
        raise ProtocolError(
            wire_pb2.PROTOCOL_ERROR, f"peer preface {data.hex(' ')} is not FramedRPC's "
            f"({PREFACE.hex(' ')}): the peer does not speak this protocol"
        )
    major = data[len(PREFACE_MAGIC)]
    if major != PROTOCOL_MAJOR:
        raise ProtocolError(
            wire_pb2.UNSUPPORTED_VERSION,
            f"peer speaks FramedRPC major version {major}; this client speaks {PROTOCOL_MAJOR}",
        )


class FrameDecoder:
    """Turns a byte stream into validated frames, incrementally.

    Bounded: a header announcing more than `max_frame_size` payload bytes raises
    ProtocolError(FRAME_TOO_LARGE) before any of that payload is buffered, so the
    decoder never holds more than one maximal frame plus the bytes of one `feed` call.
    Not thread-safe: one reader feeds it.
    """

    def __init__(self, accepted: frozenset[FrameType],
                 max_frame_size: int = DEFAULT_MAX_FRAME_SIZE) -> None:
        self._accepted = accepted
        self._max_frame_size = max_frame_size
        self._buffer = bytearray()
        self._header: tuple[int, FrameType, int, int] | None = None

    def feed(self, data: bytes) -> list[Frame]:
        """Adds `data` and returns every frame it completes, in order; raises ProtocolError."""
        self._buffer += data
        frames = []
        while (frame := self._next_frame()) is not None:
            frames.append(frame)
        return frames

    @property
    def buffered(self) -> int:
        """Bytes received but not yet returned as frames."""
        return len(self._buffer)

    def _next_frame(self) -> Frame | None:
        if self._header is None:
            if len(self._buffer) < HEADER_SIZE:
                return None
            self._header = self._parse_header(bytes(self._buffer[:HEADER_SIZE]))
            del self._buffer[:HEADER_SIZE]
        length, frame_type, flags, stream_id = self._header
        if len(self._buffer) < length:
            return None
        payload = bytes(self._buffer[:length])
        del self._buffer[:length]
        self._header = None
        frame = Frame(frame_type, stream_id, payload, flags)
        validate(frame, self._accepted)
        return frame

    def _parse_header(self, header: bytes) -> tuple[int, FrameType, int, int]:
        length, raw_type, flags, stream_id = _HEADER.unpack(header)
        if length > self._max_frame_size:
            raise ProtocolError(
                wire_pb2.FRAME_TOO_LARGE,
                f"frame announces {length} payload bytes; the limit is {self._max_frame_size}",
            )
        try:
            frame_type = FrameType(raw_type)
        except ValueError:
            raise ProtocolError(wire_pb2.PROTOCOL_ERROR,
                                f"unknown frame type 0x{raw_type:02x}") from None
        return length, frame_type, flags, stream_id
