"""The connection's writer thread: writes queued frames, so no caller blocks on the socket."""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable

from .framing import Frame
from .transport import TcpTransport


class _State(enum.Enum):
    RUN = "run"      # write frames as they are queued
    DRAIN = "drain"  # write what is queued, end our direction of the stream, exit
    STOP = "stop"    # exit now, writing nothing more


class FrameWriter:
    """Owns the writing side of a transport.

    `enqueue` never blocks on I/O: frames are encoded into a queue that the thread writes
    in order, coalescing whatever accumulated into one write. A write error calls
    `on_error` (from the writer thread) and stops the writer.
    """

    def __init__(self, transport: TcpTransport, on_error: Callable[[Exception], None]) -> None:
        self._transport = transport
        self._on_error = on_error
        self._cond = threading.Condition()  # guards the fields below
        self._queue: list[bytes] = []
        self._flush = False
        self._state = _State.RUN
        self._thread = threading.Thread(target=self._run, name="framedrpc-writer", daemon=True)

    def start(self) -> None:
        """Starts the writer thread."""
        self._thread.start()

    def enqueue(self, frames: list[Frame]) -> None:
        """Queues frames, in order; they are dropped once the writer has been stopped."""
        with self._cond:
            if self._state != _State.STOP:
                self._queue.extend(frame.encode() for frame in frames)
                self._cond.notify()

    def request_flush(self) -> None:
        """Asks for the transport's pending output (TLS records) to be written."""
        with self._cond:
            self._flush = True
            self._cond.notify()

    def drain(self) -> None:
        """Writes what is queued, then ends our direction of the stream (close_notify, FIN)."""
        with self._cond:
            if self._state == _State.RUN:
                self._state = _State.DRAIN
            self._cond.notify()

    def stop(self) -> None:
        """Stops without writing what is still queued."""
        with self._cond:
            self._state = _State.STOP
            self._queue.clear()
            self._cond.notify()

    def join(self, timeout: float) -> None:
        """Waits up to `timeout` seconds for the thread to exit."""
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            while True:
                with self._cond:
                    # Woken by enqueue, request_flush, drain and stop; needs no timeout.
                    while not (self._queue or self._flush) and self._state == _State.RUN:
                        self._cond.wait()
                    state = self._state
                    data = b"".join(self._queue)
                    self._queue.clear()
                    flush, self._flush = self._flush, False
                if state == _State.STOP:
                    return
                if data or flush:
                    self._transport.send(data)
                if state == _State.DRAIN:
                    self._transport.close_write()
                    return
        except Exception as error:  # reported to the connection, which fails every call
            self._on_error(error)
