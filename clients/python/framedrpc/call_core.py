"""What a call does with its `CallState`, whichever way it waits.

`CallCore` applies each event to a call the same way for both clients: under the call's lock it
changes the state, has the owner write the frames the state returns and wakes the waiters, then
tells the owner when the call has ended. `framedrpc.Call` (a condition variable) and
`framedrpc.aio.Call` (an `asyncio.Event`) subclass it and add only how to wait. As with
`ConnectionCore`, the subclass passes the lock: its `threading.Condition`, or
`contextlib.nullcontext()` on an event loop, where nothing interleaves.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Generic, TypeVar

from google.protobuf.message import DecodeError

from .call_state import CallOwner, CallState
from .framing import Frame
from .status import RpcError, Status

OwnerT = TypeVar("OwnerT", bound=CallOwner)


class CallCore(Generic[OwnerT]):
    """A call's state and its transitions; the subclass waits (see the module docstring).

    A subclass provides `_wake`, and may extend `_ended`.
    """

    def __init__(self, owner: OwnerT, stream_id: int, method: str, timeout: float | None,
                 deserialize: Callable[[bytes], Any], lock: AbstractContextManager[Any]) -> None:
        """`timeout` (seconds, None for none) names the deadline in its status; the subclass
        enforces it. `deserialize` turns a MESSAGE payload into the response `recv` returns."""
        self.stream_id = stream_id
        self.method = method
        self._owner = owner
        self._deserialize = deserialize
        self._lock = lock  # guards _state; held while waking waiters
        self._state = CallState(stream_id, method, timeout, owner.max_frame_size)

    # Provided by the subclass

    def _wake(self) -> None:
        """Wakes whatever waits on the call; called holding the lock, after every change."""
        raise NotImplementedError

    def _ended(self) -> None:
        """The call has just ended: the owner forgets it. Called without the call's lock."""
        self._owner.call_ended(self.stream_id)

    # Shared

    def initial_frames(self, request: Any) -> list[Frame]:
        """MESSAGE and HALF_CLOSE for the only request of a unary or server-streaming call,
        to be written with HEADERS. Only before the call is shared with other threads."""
        return self._state.initial_frames(request)

    def half_close(self) -> None:
        """Tells the server no more requests follow. Idempotent; a no-op once the call ended."""
        with self._lock:
            self._owner.enqueue(self._state.half_close_frames())

    def cancel(self) -> bool:
        """Abandons the call: the call ends with CANCELLED and the server is told so.

        Returns False when the call had already ended (nothing changes then).
        """
        return self._end(self._state.cancelled())

    @property
    def done(self) -> bool:
        """True once the call has ended (its status is known)."""
        with self._lock:
            return self._state.ended

    def on_frame(self, frame: Frame) -> None:
        """Applies a frame the server sent on this call; raises ProtocolError for a broken rule.
        Called by the connection's reader."""
        with self._lock:
            ended = self._state.on_frame(frame)
            self._wake()
        if ended:
            self._ended()

    def fail(self, status: Status) -> None:
        """Ends the call with `status` because the connection closed or failed (no CANCEL)."""
        self._end(status, send_cancel=False)

    def _end(self, status: Status, send_cancel: bool = True) -> bool:
        """Ends the call with `status` (see `CallState.end`); False when it had already ended."""
        with self._lock:
            frames = self._state.end(status, send_cancel)
            if frames is None:
                return False
            self._owner.enqueue(frames)
            self._wake()
        self._ended()
        return True

    def _response(self, data: bytes | None) -> Any:
        """What `recv` returns for the bytes `CallState.next_response` gave: None once the call
        ended with OK, else the response. One that does not decode ends the call with INTERNAL
        (the server is told with CANCEL) and raises RpcError."""
        if data is None:
            return None
        try:
            return self._deserialize(data)
        except DecodeError as error:
            status = self._state.undecodable(error)
            self._end(status)
            raise RpcError(status) from error
