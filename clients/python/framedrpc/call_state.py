"""One call's state, the client side of PROTOCOL.md §4-5, without locks, waits or I/O.

`framedrpc.Call` (threads) and `framedrpc.aio.Call` (asyncio) each hold a `CallState` through
`CallCore` (call_core.py) and add only how to wait. Every rule of a call is here, once: the send
window and half-close, what each server frame means, the order responses and errors come out in,
and the statuses the client decides (cancel, deadline, an undecodable response). Methods that
change the state return the frames to write; the caller writes them, in order, and wakes its
waiters.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Protocol, TypeVar

from google.protobuf.message import DecodeError, Message

from .flow import ReceiveWindow, SendWindow
from .framing import Frame, FrameType, ProtocolError, window_update
from .metadata import Metadata
from .status import RpcError, Status, StatusCode
from .wire import metadata_from_wire, status_from_wire, wire_pb2

_M = TypeVar("_M", bound=Message)


class CallOwner(Protocol):
    """What a call needs from its connection."""

    max_frame_size: int

    def enqueue(self, frames: list[Frame]) -> None:
        """Queues frames for writing, in order, without blocking."""

    def call_ended(self, stream_id: int) -> None:
        """Forgets the call: later frames for its stream id are ignored (§4.5)."""


def serialize(message: Any) -> bytes:
    """The bytes of a protobuf message, or of a bytes-like message passed as is."""
    if isinstance(message, Message):
        return message.SerializeToString()
    return bytes(message)


class CallState:
    """What is known of one call, and what each event does to it.

    `outcome` is how the call ended: the server's STATUS, or a status decided here (`end`),
    whichever came first; once there is one, server frames for the call are ignored (§4.5).
    """

    def __init__(self, stream_id: int, method: str, timeout: float | None,
                 max_frame_size: int) -> None:
        """`timeout` (seconds, None for none) only names the deadline in its status; the owner
        measures it."""
        self.stream_id = stream_id
        self.method = method
        self.timeout = timeout
        self._max_frame_size = max_frame_size
        self._send_window = SendWindow()
        self._receive_window = ReceiveWindow()
        self.half_closed = False
        self.initial_metadata: Metadata | None = None
        self._messages: deque[bytes] = deque()
        self.status: Status | None = None       # sent by the server
        self.local_end: Status | None = None    # decided here: cancel, deadline, failure

    # What a waiter waits for

    @property
    def ended(self) -> bool:
        """True once the call has ended (its status is known)."""
        return self.status is not None or self.local_end is not None

    @property
    def outcome(self) -> Status | None:
        """How the call ended, None while it goes on."""
        return self.local_end or self.status

    @property
    def may_send(self) -> bool:
        """True when `send_frames` need not wait: the send window is open (§5), or the call
        ended."""
        return self.ended or self._send_window.open

    @property
    def has_response(self) -> bool:
        """True when `next_response` need not wait: a response is queued or the call ended."""
        return self.ended or bool(self._messages)

    @property
    def knows_initial_metadata(self) -> bool:
        """True when `known_initial_metadata` need not wait."""
        return self.ended or self.initial_metadata is not None

    # Requests

    def encode(self, message: Any) -> bytes:
        """A request's bytes; ValueError when they exceed the frame limit."""
        data = serialize(message)
        if len(data) > self._max_frame_size:
            raise ValueError(f"message of {len(data)} bytes exceeds the frame limit of "
                             f"{self._max_frame_size} bytes")
        return data

    def initial_frames(self, request: Any) -> list[Frame]:
        """MESSAGE and HALF_CLOSE for the only request of a unary or server-streaming call,
        written right after HEADERS."""
        data = self.encode(request)
        self._send_window.consume(len(data))
        self.half_closed = True
        return [Frame(FrameType.MESSAGE, self.stream_id, data),
                Frame(FrameType.HALF_CLOSE, self.stream_id)]

    def check_open_for_requests(self) -> None:
        """RuntimeError once the call is half-closed: `send` after `half_close`."""
        if self.half_closed:
            raise RuntimeError(f"send() after half_close() on {self.method}")

    def send_frames(self, data: bytes) -> list[Frame] | None:
        """The MESSAGE for `data` (from `encode`), once `may_send`; None when the call ended."""
        self.check_open_for_requests()
        if self.ended:
            return None
        self._send_window.consume(len(data))
        return [Frame(FrameType.MESSAGE, self.stream_id, data)]

    def half_close_frames(self) -> list[Frame]:
        """HALF_CLOSE, or nothing when already half-closed or ended."""
        if self.half_closed or self.ended:
            return []
        self.half_closed = True
        return [Frame(FrameType.HALF_CLOSE, self.stream_id)]

    # Responses

    def next_response(self) -> tuple[bytes | None, list[Frame]]:
        """Once `has_response`: the next response's bytes (None once the call ended with OK) and
        a WINDOW_UPDATE to write when credit is due (§5).

        Raises RpcError when the call ended otherwise: responses already received come first when
        the server sent the status; none do after a local end (they were dropped by `end`).
        """
        if self.local_end is not None:
            raise RpcError(self.local_end)
        if not self._messages:
            assert self.status is not None, "next_response() before has_response"
            if self.status.ok:
                return None, []
            raise RpcError(self.status)
        data = self._messages.popleft()
        increment = self._receive_window.consume(len(data))
        if increment and self.status is None:
            return data, [window_update(self.stream_id, increment)]
        return data, []

    def known_initial_metadata(self) -> Metadata:
        """Once `knows_initial_metadata`: the response's initial metadata (empty if the server
        sent none); RpcError when the call ended locally before it was known."""
        if self.initial_metadata is not None:
            return self.initial_metadata
        assert self.local_end is not None, "known_initial_metadata() before it is known"
        raise RpcError(self.local_end)

    def on_frame(self, frame: Frame) -> bool:
        """Applies a frame the server sent on this call; True when it ended the call (STATUS).

        Raises ProtocolError when the frame breaks a rule (a connection error).
        """
        if self.ended:
            return False  # cancelled or timed out here: the server's frames are ignored (§4.5)
        if frame.type == FrameType.HEADERS:
            if self.initial_metadata is not None:
                raise ProtocolError(wire_pb2.PROTOCOL_ERROR, f"HEADERS on stream "
                                    f"{self.stream_id} after its initial metadata or first MESSAGE")
            headers = _parse(wire_pb2.ResponseHeaders, frame.payload, self.stream_id)
            self.initial_metadata = metadata_from_wire(headers.metadata)
        elif frame.type == FrameType.MESSAGE:
            self._receive_window.receive(len(frame.payload))
            self.initial_metadata = self.initial_metadata or Metadata()
            self._messages.append(frame.payload)
        elif frame.type == FrameType.STATUS:
            message = _parse(wire_pb2.CallStatus, frame.payload, self.stream_id)
            self.status = status_from_wire(message)
            self.initial_metadata = self.initial_metadata or Metadata()
            return True
        elif frame.type == FrameType.WINDOW_UPDATE:
            self._send_window.credit(frame.window_increment)
        return False

    # Ends decided here

    def end(self, status: Status, send_cancel: bool = True) -> list[Frame] | None:
        """Ends the call with `status`: the frames to write (CANCEL, unless the connection is
        gone), or None when the call had already ended (nothing changes then)."""
        if self.ended:
            return None
        self.local_end = status
        self._messages.clear()
        return [Frame(FrameType.CANCEL, self.stream_id)] if send_cancel else []

    def cancelled(self) -> Status:
        """The status of a call the application abandons."""
        return Status(StatusCode.CANCELLED, "cancelled by the client")

    def deadline_exceeded(self) -> Status:
        """The status of a call whose deadline passed."""
        return Status(StatusCode.DEADLINE_EXCEEDED, f"deadline of {self.timeout} s exceeded")

    def undecodable(self, error: DecodeError) -> Status:
        """The status of a call whose response does not parse."""
        return Status(StatusCode.INTERNAL, f"a response of {self.method} does not decode: {error}")


def missing_response(method: str) -> RpcError:
    """The error of a unary or client-streaming call that ended with OK but no response."""
    return RpcError.local(StatusCode.INTERNAL, f"{method} ended with OK but without a response")


def extra_response(method: str) -> RpcError:
    """The error of a unary or client-streaming call that sent a second response."""
    return RpcError.local(StatusCode.INTERNAL, f"{method} sent more than one response")


def _parse(message_type: type[_M], payload: bytes, stream_id: int) -> _M:
    try:
        return message_type.FromString(payload)
    except DecodeError as error:
        raise ProtocolError(
            wire_pb2.PROTOCOL_ERROR,
            f"{message_type.__name__} on stream {stream_id} does not decode: {error}",
        ) from None
