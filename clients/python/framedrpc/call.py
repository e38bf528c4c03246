"""One call on a threaded connection: `CallCore` behind a condition variable."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from .call_core import CallCore
from .call_state import CallOwner
from .metadata import Metadata
from .status import Status

__all__ = ["Call"]


class Call(CallCore[CallOwner]):
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
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self._cond = threading.Condition()  # reentrant: _end may run inside _wait
        super().__init__(owner, stream_id, method, timeout, deserialize, self._cond)

    # Requests

    def send(self, message: Any, timeout: float | None = None) -> bool:
        """Queues one request; returns False, sending nothing, if the call has already ended.

        Waits while the call's send window is exhausted (§5). Raises ValueError when the
        message exceeds the frame limit, RuntimeError after `half_close()`, TimeoutError
        when `timeout` passes first.
        """
        data = self._state.encode(message)
        with self._cond:
            self._state.check_open_for_requests()
            self._wait(lambda: self._state.may_send, timeout)
            frames = self._state.send_frames(data)
            if frames is None:
                return False
            self._owner.enqueue(frames)
            return True

    # Responses

    def recv(self, timeout: float | None = None) -> Any:
        """The next response, or None once the call has ended with OK.

        Raises RpcError when the call ended otherwise: messages already received are
        delivered first when the server sent the status; none are after a local end
        (cancel, deadline, connection lost). Raises TimeoutError when `timeout` passes.
        """
        with self._cond:
            self._wait(lambda: self._state.has_response, timeout)
            data, frames = self._state.next_response()
            self._owner.enqueue(frames)
        return self._response(data)

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
            self._wait(lambda: self._state.knows_initial_metadata, timeout)
            return self._state.known_initial_metadata()

    def status(self, timeout: float | None = None) -> Status:
        """Waits for the call to end and returns how it ended (does not raise RpcError)."""
        with self._cond:
            self._wait(lambda: self._state.ended, timeout)
            outcome = self._state.outcome
            assert outcome is not None
            return outcome

    def trailing_metadata(self, timeout: float | None = None) -> Metadata:
        """Waits for the call to end; the trailing metadata of its status."""
        return self.status(timeout).trailing_metadata

    # Waiting

    def _wake(self) -> None:
        self._cond.notify_all()

    def _wait(self, ready: Callable[[], bool], timeout: float | None) -> None:
        """Waits (holding `_cond`) until `ready()`, which is true once the call ended; enforces
        the deadline."""
        limit = None if timeout is None else time.monotonic() + timeout
        while not ready():
            now = time.monotonic()
            if self._deadline is not None and now >= self._deadline:
                self._end(self._state.deadline_exceeded())
                return
            if limit is not None and now >= limit:
                raise TimeoutError(f"no progress on {self.method} within {timeout} s")
            bounds = [t for t in (limit, self._deadline) if t is not None]
            self._cond.wait(min(bounds) - now if bounds else None)
