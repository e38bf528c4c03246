"""One call on an asyncio connection: `CallCore` behind an `asyncio.Event`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import nullcontext
from typing import Any, Protocol

from ..call_core import CallCore
from ..call_state import CallOwner
from ..metadata import Metadata
from ..status import Status


class AsyncCallOwner(CallOwner, Protocol):
    """What a call needs from its asyncio connection: `CallOwner`, and back-pressure."""

    async def drain(self) -> None:
        """Waits until the connection's write buffer has room again."""


class Call(CallCore[AsyncCallOwner]):
    """A call: send requests, receive responses, and how it ended (asyncio).

    Created by `framedrpc.aio.Connection.start_call`; use it on that connection's event loop
    only. Coroutines take a `timeout` (seconds) and raise TimeoutError when it passes; the call
    itself goes on. The call's deadline is a timer of its own: when it passes, the call ends
    with DEADLINE_EXCEEDED and a CANCEL is sent, whether or not anything is waiting. Cancelling
    the task that waits on a call leaves the call as it is; `cancel()` or leaving an
    `async with` block ends it.
    """

    def __init__(self, owner: AsyncCallOwner, stream_id: int, method: str,
                 timeout: float | None, deserialize: Callable[[bytes], Any],
                 loop: asyncio.AbstractEventLoop) -> None:
        """`timeout` (seconds, None for none) starts counting now; `deserialize` turns a
        MESSAGE payload into the response returned by `recv`."""
        super().__init__(owner, stream_id, method, timeout, deserialize, nullcontext())
        self._changed = asyncio.Event()  # set on every change of the state
        self._deadline = (None if timeout is None
                          else loop.call_later(timeout, self._end, self._state.deadline_exceeded()))

    # Requests

    async def send(self, message: Any, timeout: float | None = None) -> bool:
        """Writes one request; returns False, sending nothing, if the call has already ended.

        Waits while the call's send window is exhausted (§5), then while the connection's
        write buffer is full. Raises ValueError when the message exceeds the frame limit,
        RuntimeError after `half_close()`, TimeoutError when `timeout` passes first.
        """
        data = self._state.encode(message)
        self._state.check_open_for_requests()
        await self._wait(lambda: self._state.may_send, timeout)
        frames = self._state.send_frames(data)
        if frames is None:
            return False
        self._owner.enqueue(frames)
        await self._owner.drain()
        return True

    # Responses

    async def recv(self, timeout: float | None = None) -> Any:
        """The next response, or None once the call has ended with OK.

        Raises RpcError when the call ended otherwise: messages already received are
        delivered first when the server sent the status; none are after a local end
        (cancel, deadline, connection lost). Raises TimeoutError when `timeout` passes.
        """
        await self._wait(lambda: self._state.has_response, timeout)
        data, frames = self._state.next_response()
        self._owner.enqueue(frames)
        return self._response(data)

    async def __aiter__(self) -> AsyncIterator[Any]:
        """Yields responses until the call ends; raises RpcError as `recv` does."""
        while (message := await self.recv()) is not None:
            yield message

    async def __aenter__(self) -> Call:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Leaving an `async with` block cancels the call unless it has already ended."""
        self.cancel()

    async def initial_metadata(self, timeout: float | None = None) -> Metadata:
        """The response's initial metadata, once known (empty if the server sent none).

        Raises RpcError if the call ended locally before it was known.
        """
        await self._wait(lambda: self._state.knows_initial_metadata, timeout)
        return self._state.known_initial_metadata()

    async def status(self, timeout: float | None = None) -> Status:
        """Waits for the call to end and returns how it ended (does not raise RpcError)."""
        await self._wait(lambda: self._state.ended, timeout)
        outcome = self._state.outcome
        assert outcome is not None
        return outcome

    async def trailing_metadata(self, timeout: float | None = None) -> Metadata:
        """Waits for the call to end; the trailing metadata of its status."""
        return (await self.status(timeout)).trailing_metadata

    # Waiting

    def _wake(self) -> None:
        self._changed.set()

    def _ended(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super()._ended()

    async def _wait(self, ready: Callable[[], bool], timeout: float | None) -> None:
        """Returns once `ready()`, which is true once the call ended."""
        if ready():
            return
        try:
            await asyncio.wait_for(self._until(ready), timeout)
        except asyncio.TimeoutError:  # not the builtin TimeoutError before Python 3.11
            raise TimeoutError(f"no progress on {self.method} within {timeout} s") from None

    async def _until(self, ready: Callable[[], bool]) -> None:
        while not ready():
            self._changed.clear()  # no await between the check and the wait: no lost wake-up
            await self._changed.wait()
