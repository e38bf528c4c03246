"""What a client connection does with calls and frames, whichever way it does I/O.

`ConnectionCore` holds a connection's state (stream ids, open calls, GOAWAY, pings, why it
closed) and its rules: how a call opens (HEADERS, §4.1), what each frame from the server does
(§3, §4.5, §7), which calls a GOAWAY fails, what a read error means. `framedrpc.Connection` (a
reader and a writer thread) and `framedrpc.aio.Connection` (an asyncio task) subclass it and add
only the I/O and the waiting. The subclass passes the lock guarding the state: a
`threading.Lock`, or `contextlib.nullcontext()` on an event loop, where nothing interleaves.
"""

from __future__ import annotations

import math
import ssl
import struct
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Generic, Protocol, TypeVar

from google.protobuf.message import DecodeError

from .config import ConnectionConfig
from .framing import MAX_STREAM_ID, SERVER_TO_CLIENT, Frame, FrameDecoder, FrameType, ProtocolError
from .metadata import Metadata, MetadataLike
from .status import RpcError, Status, StatusCode
from .wire import metadata_to_wire, wire_pb2

_PING_DATA = struct.Struct(">Q")


class CoreCall(Protocol):
    """What the core needs of a call (both `Call` classes provide it)."""

    def initial_frames(self, request: Any) -> list[Frame]: ...
    def on_frame(self, frame: Frame) -> None: ...
    def fail(self, status: Status) -> None: ...


CallT = TypeVar("CallT", bound=CoreCall)
WaiterT = TypeVar("WaiterT")
"""What a `ping` waits on (a `threading.Event`, an `asyncio.Future`), woken by `_wake`."""


class ConnectionCore(Generic[CallT, WaiterT]):
    """A connection's calls and frames; the subclass does the I/O (see the module docstring).

    A subclass provides `enqueue` (write frames, in order, without blocking), `_new_call` and
    `_wake`, feeds what it reads to `_receive`, and calls `_fail_calls` when it closes or fails.
    """

    def __init__(self, config: ConnectionConfig, lock: AbstractContextManager[Any]) -> None:
        self.max_frame_size = config.max_frame_size
        self._config = config
        self._lock = lock                     # guards the fields below
        self._decoder = FrameDecoder(SERVER_TO_CLIENT, config.max_frame_size)
        self._calls: dict[int, CallT] = {}
        self._next_stream_id = 1
        self._highest_stream_id = 0
        self._closed: str | None = None       # why the connection closed, once it has
        self._goaway: Any = None              # the server's GoAway message, if any
        self._pings: dict[bytes, WaiterT] = {}
        self._ping_count = 0

    # Provided by the subclass

    def enqueue(self, frames: list[Frame]) -> None:
        """Writes frames, in order, without blocking; dropped once the connection is gone."""
        raise NotImplementedError

    def _new_call(self, stream_id: int, method: str, timeout: float | None,
                  deserialize: Callable[[bytes], Any]) -> CallT:
        raise NotImplementedError

    def _wake(self, waiter: WaiterT) -> None:
        """Wakes a `ping` waiting on `waiter`: its PONG came, or the connection closed."""
        raise NotImplementedError

    # Shared

    @property
    def goaway(self) -> Any:
        """The server's GOAWAY (a `wire_pb2.GoAway`), or None if it has sent none."""
        with self._lock:
            return self._goaway

    def call_ended(self, stream_id: int) -> None:
        """Forgets an ended call; frames for it are ignored from now on (§4.5)."""
        with self._lock:
            self._calls.pop(stream_id, None)

    def _open_call(self, method: str, metadata: MetadataLike, timeout: float | None,
                   response_type: Any, request: Any) -> CallT:
        """The body of `start_call` (see there), writing HEADERS and any request."""
        if timeout is not None and not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout}")
        if not isinstance(metadata, Metadata):
            metadata = Metadata(metadata)
        headers = wire_pb2.CallHeaders(
            method=method,
            metadata=metadata_to_wire(metadata),
            timeout_micros=0 if timeout is None else max(1, math.ceil(timeout * 1_000_000)),
        )
        deserialize = bytes if response_type is None else response_type.FromString
        with self._lock:  # held while queueing HEADERS, so stream ids go out in order (§4.1)
            if self._closed is not None or self._goaway is not None:
                reason = self._closed or _describe(self._goaway)
                raise RpcError.local(StatusCode.UNAVAILABLE, reason)
            stream_id = self._next_stream_id
            if stream_id > MAX_STREAM_ID:
                raise RpcError.local(StatusCode.UNAVAILABLE,
                                     "stream ids exhausted on this connection: open a new one")
            call = self._new_call(stream_id, method, timeout, deserialize)
            frames = [Frame(FrameType.HEADERS, stream_id, headers.SerializeToString())]
            if request is not None:
                frames += call.initial_frames(request)
            self._next_stream_id += 2
            self._highest_stream_id = stream_id
            self._calls[stream_id] = call
            self.enqueue(frames)
        return call

    def _start_ping(self, waiter: WaiterT) -> bytes:
        """Sends a PING whose PONG wakes `waiter`; returns its data. ConnectionError if closed."""
        with self._lock:
            if self._closed is not None:
                raise ConnectionError(self._closed)
            self._ping_count += 1
            data = _PING_DATA.pack(self._ping_count)
            self._pings[data] = waiter
        self.enqueue([Frame(FrameType.PING, 0, data)])
        return data

    def _end_ping(self, data: bytes, timeout: float, woken: bool) -> None:
        """After a ping's wait: raises TimeoutError when it was not woken within `timeout`,
        ConnectionError when the connection closed instead of a PONG coming."""
        with self._lock:
            unanswered = self._pings.pop(data, None) is not None  # a PONG removes it
            closed = self._closed
        if not woken:
            raise TimeoutError(f"no PONG within {timeout} s")
        if unanswered:
            raise ConnectionError(closed)

    def _receive(self, data: bytes) -> None:
        """Applies bytes read from the server; raises ProtocolError for a broken rule."""
        for frame in self._decoder.feed(data):
            if frame.type == FrameType.PING:
                self.enqueue([Frame(FrameType.PONG, 0, frame.payload)])
            elif frame.type == FrameType.PONG:
                with self._lock:
                    waiter = self._pings.pop(frame.payload, None)
                if waiter is not None:
                    self._wake(waiter)  # an unsolicited PONG is ignored
            elif frame.type == FrameType.GOAWAY:
                self._on_goaway(frame.payload)
            else:
                self._on_call_frame(frame)

    def _on_call_frame(self, frame: Frame) -> None:
        with self._lock:
            call = self._calls.get(frame.stream_id)
            never_opened = frame.stream_id > self._highest_stream_id
        if call is not None:
            call.on_frame(frame)
        elif never_opened:
            raise ProtocolError(wire_pb2.PROTOCOL_ERROR, f"{frame.type.name} on stream "
                                f"{frame.stream_id}, which the client never opened")
        # Otherwise the call has ended here (cancelled, timed out): ignored (§4.5).

    def _on_goaway(self, payload: bytes) -> None:
        try:
            goaway = wire_pb2.GoAway.FromString(payload)
        except DecodeError as error:
            raise ProtocolError(wire_pb2.PROTOCOL_ERROR,
                                f"GOAWAY does not decode: {error}") from None
        with self._lock:
            self._goaway = goaway
            unprocessed = [c for sid, c in self._calls.items() if sid > goaway.last_stream_id]
        for call in unprocessed:
            call.fail(Status(StatusCode.UNAVAILABLE, f"{_describe(goaway)}; the call was not "
                             "processed and may be retried on a new connection"))

    # Teardown

    def _eof_status(self) -> Status:
        """How calls end when the server closes the connection."""
        with self._lock:
            goaway = self._goaway
        if goaway is None:
            return Status(StatusCode.UNAVAILABLE, "server closed the connection")
        return Status(StatusCode.UNAVAILABLE,
                      f"server closed the connection after {_describe(goaway)}")

    @staticmethod
    def _read_error_status(error: Exception) -> Status:
        """How calls end when reading fails with `error`."""
        if isinstance(error, ProtocolError):
            # GOAWAY goes only from server to client, so the client just closes (§3).
            return Status(StatusCode.INTERNAL, f"server broke the protocol: {error}")
        if isinstance(error, (OSError, ssl.SSLError)):
            return Status(StatusCode.UNAVAILABLE, f"connection lost: {error}")
        return Status(StatusCode.INTERNAL, f"client reader failed: {error!r}")

    def _shut(self, reason: str) -> list[CallT]:
        """Marks the connection closed (the first reason wins), wakes pending pings, and
        returns the calls that were open, now forgotten."""
        with self._lock:
            self._closed = self._closed or reason
            calls = list(self._calls.values())
            self._calls.clear()
            pings = list(self._pings.values())
        for waiter in pings:
            self._wake(waiter)
        return calls

    def _fail_calls(self, status: Status) -> None:
        """Shuts the connection and ends every open call with `status` (no CANCEL)."""
        for call in self._shut(status.message):
            call.fail(status)


def _describe(goaway: Any) -> str:
    message = f": {goaway.message}" if goaway.message else ""
    return f"server sent GOAWAY {wire_pb2.GoAwayCode.Name(goaway.code)}{message}"
