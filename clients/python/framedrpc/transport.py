"""Byte transports under a connection: plaintext TCP, or TLS over TCP.

A transport is used by exactly two threads: one reader calling `recv` and one writer
calling `send` / `close_write`. TLS runs on an `ssl.SSLObject` over memory BIOs, guarded
by a lock held only for in-memory work: OpenSSL does not allow one SSL object to be used
from two threads at once, which a plain `SSLSocket` shared by a reader and a writer would.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable

READ_SIZE = 64 * 1024
"""Most bytes taken from the socket per read."""


class TcpTransport:
    """Plaintext TCP (loopback tests only, PROTOCOL.md §1); the base of `TlsTransport`.

    The socket's timeout bounds every `recv` and `send`; `socket.timeout` (TimeoutError)
    propagates to the caller, which decides whether waiting longer is fine.
    """

    alpn_protocol: str | None = None

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def set_timeout(self, seconds: float | None) -> None:
        """Sets the bound on each blocking socket operation (None: no bound)."""
        self._sock.settimeout(seconds)

    def recv(self) -> bytes:
        """Blocks until bytes arrive; returns b"" once the peer has closed its side."""
        return self._sock.recv(READ_SIZE)

    def send(self, data: bytes) -> None:
        """Writes all of `data`."""
        self._sock.sendall(data)

    def close_write(self) -> None:
        """Ends our direction of the stream (TCP FIN); `recv` keeps working."""
        self._sock.shutdown(socket.SHUT_WR)

    def abort(self) -> None:
        """Shuts the socket down both ways, waking any thread blocked in `recv` or `send`."""
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already shut down or reset: nothing left to wake

    def close(self) -> None:
        """Releases the socket. Call only once no thread is inside `recv` or `send`."""
        self._sock.close()


class TlsTransport(TcpTransport):
    """TLS over TCP, on memory BIOs (see the module docstring for why).

    `output_ready` is called (from the reader thread) when reading produced TLS records
    that must be written, such as a key-update response; the owner then calls `send(b"")`
    from its writer thread.
    """

    def __init__(self, sock: socket.socket, tls: ssl.SSLObject,
                 incoming: ssl.MemoryBIO, outgoing: ssl.MemoryBIO) -> None:
        super().__init__(sock)
        self._tls = tls
        self._incoming = incoming
        self._outgoing = outgoing
        self._lock = threading.Lock()
        self.output_ready: Callable[[], None] = lambda: None
        self.alpn_protocol = tls.selected_alpn_protocol()

    @classmethod
    def handshake(cls, sock: socket.socket, context: ssl.SSLContext, server_hostname: str,
                  deadline: float) -> TlsTransport:
        """Runs the TLS handshake on a connected socket, finishing before `deadline`
        (a `time.monotonic()` value); raises ssl.SSLError (e.g. certificate verification),
        TimeoutError, or ConnectionError when the server closes the connection."""
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = context.wrap_bio(incoming, outgoing, server_hostname=server_hostname)
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                sock.sendall(outgoing.read())
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                data = sock.recv(READ_SIZE)
                if not data:
                    raise ConnectionError("server closed the connection during the TLS handshake")
                incoming.write(data)
        sock.sendall(outgoing.read())
        return cls(sock, tls, incoming, outgoing)

    def recv(self) -> bytes:
        """Blocks until decrypted bytes are available; b"" once the peer has closed."""
        while True:
            with self._lock:
                try:
                    data = self._tls.read(READ_SIZE)
                except ssl.SSLWantReadError:
                    data = None
                except ssl.SSLZeroReturnError:
                    return b""  # close_notify
                has_output = self._outgoing.pending > 0
            if has_output:
                self.output_ready()
            if data:
                return data
            raw = self._sock.recv(READ_SIZE)
            with self._lock:
                if raw:
                    self._incoming.write(raw)
                else:
                    self._incoming.write_eof()
            if not raw:
                return b""

    def send(self, data: bytes) -> None:
        """Encrypts and writes `data`, plus any TLS records waiting to be written."""
        with self._lock:
            if data:
                self._tls.write(data)
            records = self._outgoing.read()
        if records:
            self._sock.sendall(records)

    def close_write(self) -> None:
        """Sends TLS close_notify, then ends our direction of the TCP stream."""
        with self._lock:
            try:
                self._tls.unwrap()
            except ssl.SSLWantReadError:
                pass  # close_notify queued; the peer's reply is not awaited
            except ssl.SSLError:
                pass  # the session is already broken; closing TCP is all that is left
            records = self._outgoing.read()
        if records:
            self._sock.sendall(records)
        super().close_write()
