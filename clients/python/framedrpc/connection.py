"""A client connection: preface exchange, a reader and a writer thread, calls by stream id."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from .call import Call
from .config import ConnectionConfig
from .connection_core import ConnectionCore
from .framing import Frame, ProtocolError
from .handshake import establish
from .metadata import MetadataLike
from .status import Status, StatusCode
from .tls import TlsConfig
from .transport import TcpTransport, TlsTransport
from .writer import FrameWriter


class Connection(ConnectionCore[Call, threading.Event]):
    """One connection to a FramedRPC server (PROTOCOL.md §2-7).

    Create it with `connect` (or `over_socket`). Thread-safe: any number of threads may
    start and use calls. A reader thread demultiplexes incoming frames to calls by stream
    id and answers PING; a writer thread (`FrameWriter`) writes queued frames, so no caller
    ever blocks on the socket. Close it with `close()` or a `with` block. What it does with
    calls and frames is `ConnectionCore`'s, shared with `framedrpc.aio.Connection`.
    """

    def __init__(self, transport: TcpTransport, leftover: bytes, config: ConnectionConfig):
        """Use `connect` or `over_socket`; this starts the threads on a ready transport."""
        super().__init__(config, threading.Lock())
        self._transport = transport
        self._writer = FrameWriter(transport, self._on_write_error)
        if isinstance(transport, TlsTransport):
            transport.output_ready = self._writer.request_flush
        transport.set_timeout(config.write_timeout)
        self._reader = threading.Thread(target=self._read_loop, args=(leftover,),
                                        name="framedrpc-reader", daemon=True)
        self._writer.start()
        self._reader.start()

    @classmethod
    def connect(cls, host: str, port: int, *, tls: TlsConfig | None = None,
                config: ConnectionConfig = ConnectionConfig()) -> Connection:
        """Connects, secures with `tls` (None: plaintext, for loopback tests only) and
        exchanges prefaces, all within `config.connect_timeout`.

        Raises OSError (including TimeoutError and ConnectionError), ssl.SSLError (e.g. an
        untrusted certificate) or ProtocolError (the server's preface is wrong).
        """
        deadline = time.monotonic() + config.connect_timeout
        sock = socket.create_connection((host, port), timeout=config.connect_timeout)
        return cls(*establish(sock, tls, host, deadline), config)

    @classmethod
    def over_socket(cls, sock: socket.socket, *, tls: TlsConfig | None = None,
                    server_hostname: str | None = None,
                    config: ConnectionConfig = ConnectionConfig()) -> Connection:
        """Like `connect`, on an already connected socket, which the connection then owns.

        `server_hostname` is the name the server certificate is verified against when
        `tls.server_hostname` is None.
        """
        deadline = time.monotonic() + config.connect_timeout
        return cls(*establish(sock, tls, server_hostname, deadline), config)

    # Public API

    @property
    def alpn_protocol(self) -> str | None:
        """The ALPN protocol the server selected ("framedrpc/1"), or None if none."""
        return self._transport.alpn_protocol

    def start_call(self, method: str, *, metadata: MetadataLike = (), timeout: float | None = None,
                   response_type: Any = None, request: Any = None) -> Call:
        """Opens a call to `method` ("/package.Service/Method") and returns it.

        - `metadata`: request metadata (validated, see `Metadata`).
        - `timeout`: seconds the call may take, sent to the server and enforced here
          (DEADLINE_EXCEEDED); None for no deadline.
        - `response_type`: protobuf class that responses are parsed into; None gives bytes.
        - `request`: for unary and server-streaming calls, the one request; it is written
          with the HEADERS frame and the call is half-closed.

        Raises RpcError(UNAVAILABLE) once the connection is closing, closed, failed or has
        received GOAWAY; ValueError for invalid metadata, timeout or an oversized request.
        """
        return self._open_call(method, metadata, timeout, response_type, request)

    def ping(self, timeout: float) -> float:
        """Sends a PING and waits for its PONG; returns the round-trip time in seconds.

        Raises TimeoutError when no PONG arrives within `timeout`, ConnectionError when the
        connection closes first.
        """
        event = threading.Event()
        started = time.monotonic()
        data = self._start_ping(event)
        self._end_ping(data, timeout, event.wait(timeout))
        return time.monotonic() - started

    def close(self) -> None:
        """Closes the connection; calls still open end with CANCELLED. Idempotent.

        Queued frames are written, then TLS close_notify and TCP FIN; waits up to
        `config.close_timeout` for that and for the server to close its side.
        """
        self._fail_calls(Status(StatusCode.CANCELLED, "connection closed by the client"))
        self._writer.drain()
        timeout = self._config.close_timeout
        self._writer.join(timeout)
        self._reader.join(timeout)  # until the server closes its side too
        self._transport.abort()
        self._writer.join(timeout)
        self._reader.join(timeout)
        self._transport.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ConnectionCore

    def enqueue(self, frames: list[Frame]) -> None:
        """Queues frames for the writer thread, in order; dropped once the writer stopped."""
        self._writer.enqueue(frames)

    def _new_call(self, stream_id: int, method: str, timeout: float | None,
                  deserialize: Callable[[bytes], Any]) -> Call:
        return Call(self, stream_id, method, timeout, deserialize)

    def _wake(self, waiter: threading.Event) -> None:
        waiter.set()

    # Writer thread

    def _on_write_error(self, error: Exception) -> None:
        if isinstance(error, OSError):
            self._fail(Status(StatusCode.UNAVAILABLE, f"writing to the server failed: {error}"))
        else:
            self._fail(Status(StatusCode.INTERNAL, f"client writer thread failed: {error!r}"))

    # Reader thread

    def _read_loop(self, leftover: bytes) -> None:
        try:
            self._receive(leftover)
            while True:
                try:
                    data = self._transport.recv()
                except TimeoutError:
                    continue  # idle: the socket timeout exists for writes (see ConnectionConfig)
                if not data:
                    self._fail(self._eof_status())
                    return
                self._receive(data)
        except (ProtocolError, OSError) as error:  # ssl.SSLError is an OSError
            self._fail(self._read_error_status(error))
        except Exception as error:
            self._fail(self._read_error_status(error))
            raise

    def _fail(self, status: Status) -> None:
        """Ends every open call with `status` and tears the connection down (any thread)."""
        self._fail_calls(status)
        self._writer.stop()
        self._transport.abort()
