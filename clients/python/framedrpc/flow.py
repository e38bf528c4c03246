"""Per-call flow-control accounting (PROTOCOL.md §5). Pure arithmetic, no locking."""

from __future__ import annotations

from .framing import MAX_WINDOW_INCREMENT, ProtocolError
from .wire import wire_pb2

INITIAL_WINDOW = 1024 * 1024
"""Every call's window in each direction starts at 1 MiB; the protocol does not negotiate it."""


class SendWindow:
    """The sender's view of the peer's receive window for one call.

    A MESSAGE may be sent only while `open` is true; sending subtracts its size, so the
    window may go negative after a large message. WINDOW_UPDATE adds credit.
    """

    def __init__(self, initial: int = INITIAL_WINDOW) -> None:
        self.available = initial

    @property
    def open(self) -> bool:
        """True when the window is greater than zero, so a MESSAGE may be sent."""
        return self.available > 0

    def consume(self, size: int) -> None:
        """Accounts for a MESSAGE of `size` payload bytes about to be sent."""
        self.available -= size

    def credit(self, increment: int) -> None:
        """Applies a WINDOW_UPDATE increment (already range-checked by the decoder)."""
        self.available += increment


class ReceiveWindow:
    """The receiver's accounting for one call: detects overruns, decides when to return credit.

    The window as the receiver computes it is `initial + credit returned - bytes received`.
    Credit is returned once half of `initial` has been consumed by the application, so a
    call that only ever receives one small message never sends a WINDOW_UPDATE.
    """

    def __init__(self, initial: int = INITIAL_WINDOW) -> None:
        self._threshold = initial // 2
        self._window = initial
        self._unreturned = 0

    def receive(self, size: int) -> None:
        """Accounts for an arriving MESSAGE; raises ProtocolError(FLOW_CONTROL_ERROR) when the
        peer sent it while the window was zero or less."""
        if self._window <= 0:
            raise ProtocolError(
                wire_pb2.FLOW_CONTROL_ERROR,
                f"MESSAGE of {size} bytes arrived while the call's window was {self._window}",
            )
        self._window -= size

    def consume(self, size: int) -> int:
        """Accounts for a message the application has taken; returns the increment to send
        in a WINDOW_UPDATE now, or 0 when no update is due yet."""
        self._unreturned += size
        if self._unreturned < max(self._threshold, 1):
            return 0
        increment = min(self._unreturned, MAX_WINDOW_INCREMENT)
        self._unreturned -= increment
        self._window += increment
        return increment
