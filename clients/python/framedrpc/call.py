"""One call on a connection: the client side of PROTOCOL.md §4-5."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from google.protobuf.message import DecodeError

from .flow import ReceiveWindow, SendWindow
from .framing import Frame, FrameType, ProtocolError, window_update
from .metadata import Metadata
from .status import RpcError, Status, StatusCode
from .wire import metadata_from_wire, status_from_wire, wire_pb2


class CallOwner(Protocol):
    """What a call needs from its connection."""

    max_frame_size: int

    def enqueue(self, frames: list[Frame]) -> None:
        """Queues frames for writing, in order, without blocking."""

    def call_ended(self, stream_id: int) -> None:
        """Forgets the call: later frames for its stream id are ignored (§4.5)."""


def serialize(message: Any) -> bytes:
    """The bytes of a protobuf message, or of a bytes-like message passed as is."""
    if hasattr(message, "SerializeToString"):
        return message.SerializeToString()
    return bytes(message)


class Call:
    """A call: send requests, receive responses, and how it ended.

    Created by `Connection.start_call`. Thread-safe, but requests must be sent from one
    thread at a time (their order is the order of `send` calls).

    Blocking methods take a `timeout` (seconds) and raise TimeoutError when it passes; the
    call itself goes on. Every wait also ends at the call's deadline, where the call ends
    with DEADLINE_EXCEEDED and a CANCEL is sent. With neither, a wait lasts until the call
    ends (a STATUS, `cancel()`, or the connection closing or failing).
    """

    def __init__(self, owner: CallOwner, stream_id: int, method: str,
                 timeout: float | None, deserialize: Callable[[bytes], Any]) -> None:
        """`timeout` (seconds, None for none) starts counting now; `deserialize` turns a
        MESSAGE payload into the response returned by `recv`."""
        self.stream_id = stream_id
        self.method = method
        self._owner = owner
        self._timeout = timeout
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self._deserialize = deserialize
        self._cond = threading.Condition()  # reentrant: _end_locally may run inside _wait
        self._send_window = SendWindow()
        self._receive_window = ReceiveWindow()
        self._half_closed = False
        self._initial_metadata: Metadata | None = None
        self._messages: deque[bytes] = deque()
        self._status: Status | None = None       # sent by the server
        self._local_end: Status | None = None    # decided here: cancel, deadline, failure

    # Requests

    def initial_frames(self, request: Any) -> list[Frame]:
        """MESSAGE and HALF_CLOSE for the only request of a unary or server-streaming call,
        to be written with HEADERS. Only before the call is shared with other threads."""
        data = self._checked(serialize(request))
        self._send_window.consume(len(data))
        self._half_closed = True
        return [Frame(FrameType.MESSAGE, self.stream_id, data),
                Frame(FrameType.HALF_CLOSE, self.stream_id)]

    def send(self, message: Any, timeout: float | None = None) -> bool:
        """Queues one request; returns False, sending nothing, if the call has already ended.

        Waits while the call's send window is exhausted (§5). Raises ValueError when the
        message exceeds the frame limit, RuntimeError after `half_close()`, TimeoutError
        when `timeout` passes first.
        """
        data = self._checked(serialize(message))
        with self._cond:
            if self._half_closed:
                raise RuntimeError(f"send() after half_close() on {self.method}")
            self._wait(lambda: self._send_window.open, timeout)
            if self._ended:
                return False
            self._send_window.consume(len(data))
            self._owner.enqueue([Frame(FrameType.MESSAGE, self.stream_id, data)])
            return True

    def half_close(self) -> None:
        """Tells the server no more requests follow. Idempotent; a no-op once the call ended."""
        with self._cond:
            if self._half_closed or self._ended:
                return
            self._half_closed = True
            self._owner.enqueue([Frame(FrameType.HALF_CLOSE, self.stream_id)])

    def cancel(self) -> bool:
        """Abandons the call: the call ends with CANCELLED and the server is told so.

        Returns False when the call had already ended (nothing changes then).
        """
        return self._end_locally(Status(StatusCode.CANCELLED, "cancelled by the client"))

    # Responses

    def recv(self, timeout: float | None = None) -> Any:
        """The next response, or None once the call has ended with OK.

        Raises RpcError when the call ended otherwise: messages already received are
        delivered first when the server sent the status; none are after a local end
        (cancel, deadline, connection lost). Raises TimeoutError when `timeout` passes.
        """
        with self._cond:
            self._wait(lambda: bool(self._messages), timeout)
            if self._local_end is not None:
                raise RpcError(self._local_end)
            if not self._messages:
                assert self._status is not None
                if self._status.ok:
                    return None
                raise RpcError(self._status)
            data = self._messages.popleft()
            increment = self._receive_window.consume(len(data))
            if increment and self._status is None:
                self._owner.enqueue([window_update(self.stream_id, increment)])
        try:
            return self._deserialize(data)
        except DecodeError as error:
            status = Status(StatusCode.INTERNAL, f"a response of {self.method} does not decode: "
                            f"{error}")
            self._end_locally(status)
            raise RpcError(status) from error

    def __iter__(self) -> Iterator[Any]:
        """Yields responses until the call ends; raises RpcError as `recv` does."""
        while (message := self.recv()) is not None:
            yield message

    def __enter__(self) -> Call:
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Leaving a `with` block cancels the call unless it has already ended."""
        self.cancel()

    def initial_metadata(self, timeout: float | None = None) -> Metadata:
        """The response's initial metadata, once known (empty if the server sent none).

        Raises RpcError if the call ended locally before it was known.
        """
        with self._cond:
            self._wait(lambda: self._initial_metadata is not None, timeout)
            if self._initial_metadata is not None:
                return self._initial_metadata
            assert self._local_end is not None
            raise RpcError(self._local_end)

    def status(self, timeout: float | None = None) -> Status:
        """Waits for the call to end and returns how it ended (does not raise RpcError)."""
        with self._cond:
            self._wait(lambda: False, timeout)
            return self._local_end or self._status

    def trailing_metadata(self, timeout: float | None = None) -> Metadata:
        """Waits for the call to end; the trailing metadata of its status."""
        return self.status(timeout).trailing_metadata

    @property
    def done(self) -> bool:
        """True once the call has ended (its status is known)."""
        with self._cond:
            return self._ended

    # Called by the connection's reader thread

    def on_frame(self, frame: Frame) -> None:
        """Applies a frame the server sent on this call; raises ProtocolError for a broken rule."""
        with self._cond:
            if self._ended:
                return  # cancelled or timed out here: the server's frames are ignored (§4.5)
            if frame.type == FrameType.HEADERS:
                self._on_headers(frame.payload)
            elif frame.type == FrameType.MESSAGE:
                self._receive_window.receive(len(frame.payload))
                self._initial_metadata = self._initial_metadata or Metadata()
                self._messages.append(frame.payload)
            elif frame.type == FrameType.STATUS:
                self._on_status(frame.payload)
            elif frame.type == FrameType.WINDOW_UPDATE:
                self._send_window.credit(frame.window_increment)
            self._cond.notify_all()
        if frame.type == FrameType.STATUS:
            self._owner.call_ended(self.stream_id)

    def fail(self, status: Status) -> None:
        """Ends the call with `status` because the connection closed or failed (no CANCEL)."""
        self._end_locally(status, send_cancel=False)

    # Internals

    @property
    def _ended(self) -> bool:
        return self._status is not None or self._local_end is not None

    def _checked(self, data: bytes) -> bytes:
        if len(data) > self._owner.max_frame_size:
            raise ValueError(f"message of {len(data)} bytes exceeds the frame limit of "
                             f"{self._owner.max_frame_size} bytes")
        return data

    def _on_headers(self, payload: bytes) -> None:
        if self._initial_metadata is not None:
            raise ProtocolError(wire_pb2.PROTOCOL_ERROR, f"HEADERS on stream {self.stream_id} "
                                "after its initial metadata or first MESSAGE")
        headers = _parse(wire_pb2.ResponseHeaders, payload, self.stream_id)
        self._initial_metadata = metadata_from_wire(headers.metadata)

    def _on_status(self, payload: bytes) -> None:
        self._status = status_from_wire(_parse(wire_pb2.CallStatus, payload, self.stream_id))
        self._initial_metadata = self._initial_metadata or Metadata()

    def _end_locally(self, status: Status, send_cancel: bool = True) -> bool:
        with self._cond:
            if self._ended:
                return False
            self._local_end = status
            self._messages.clear()
            if send_cancel:
                self._owner.enqueue([Frame(FrameType.CANCEL, self.stream_id)])
            self._cond.notify_all()
        self._owner.call_ended(self.stream_id)
        return True

    def _wait(self, ready: Callable[[], bool], timeout: float | None) -> None:
        """Waits (holding `_cond`) until `ready()` or the call ends; enforces the deadline."""
        limit = None if timeout is None else time.monotonic() + timeout
        while not self._ended and not ready():
            now = time.monotonic()
            if self._deadline is not None and now >= self._deadline:
                self._end_locally(Status(StatusCode.DEADLINE_EXCEEDED,
                                         f"deadline of {self._timeout} s exceeded"))
                return
            if limit is not None and now >= limit:
                raise TimeoutError(f"no progress on {self.method} within {timeout} s")
            bounds = [t for t in (limit, self._deadline) if t is not None]
            self._cond.wait(min(bounds) - now if bounds else None)


def _parse(message_type: type, payload: bytes, stream_id: int) -> Any:
    try:
        return message_type.FromString(payload)
    except DecodeError as error:
        raise ProtocolError(
            wire_pb2.PROTOCOL_ERROR,
            f"{message_type.__name__} on stream {stream_id} does not decode: {error}",
        ) from None
