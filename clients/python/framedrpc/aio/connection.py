"""A client connection on asyncio: streams from `asyncio.open_connection`, a read task."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from contextlib import nullcontext
from typing import Any

from ..config import ConnectionConfig
from ..connection_core import ConnectionCore
from ..framing import PREFACE, Frame, check_preface
from ..metadata import MetadataLike
from ..status import Status, StatusCode
from ..tls import TlsConfig
from ..transport import READ_SIZE
from .call import Call

Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class Connection(ConnectionCore[Call, "asyncio.Future[None]"]):
    """One connection to a FramedRPC server (PROTOCOL.md §2-7), on an asyncio event loop.

    Create it with `await Connection.connect(...)` (or `over_socket`) and use it, and its calls,
    on that loop only. A read task demultiplexes incoming frames to calls by stream id and
    answers PING; frames are written straight into the stream's buffer, in order, and
    `Call.send` waits while the buffer is full. Close it with `await close()` or `async with`.
    What it does with calls and frames is `ConnectionCore`'s, shared with the threaded
    `framedrpc.Connection`; the limits and timeouts are the same `ConnectionConfig`.
    """

    def __init__(self, streams: Streams, config: ConnectionConfig) -> None:
        """Use `connect` or `over_socket`; this starts the read task on ready streams."""
        super().__init__(config, nullcontext())  # one event loop: nothing interleaves
        self._reader, self._writer = streams
        self._loop = asyncio.get_running_loop()
        self._drain_lock = asyncio.Lock()  # one drain() at a time, as Python 3.9 requires
        self._read_task = self._loop.create_task(self._read_loop())

    @classmethod
    async def connect(cls, host: str, port: int, *, tls: TlsConfig | None = None,
                      config: ConnectionConfig = ConnectionConfig()) -> Connection:
        """Connects, secures with `tls` (None: plaintext, for loopback tests only) and
        exchanges prefaces, all within `config.connect_timeout`.

        Raises OSError (including TimeoutError and ConnectionError), ssl.SSLError (e.g. an
        untrusted certificate) or ProtocolError (the server's preface is wrong).
        """
        return await cls._establish(
            lambda ssl, name: asyncio.open_connection(host, port, ssl=ssl, server_hostname=name),
            tls, host, config)

    @classmethod
    async def over_socket(cls, sock: socket.socket, *, tls: TlsConfig | None = None,
                          server_hostname: str | None = None,
                          config: ConnectionConfig = ConnectionConfig()) -> Connection:
        """Like `connect`, on an already connected socket, which the connection then owns.

        `server_hostname` is the name the server certificate is verified against when
        `tls.server_hostname` is None.
        """
        return await cls._establish(
            lambda ssl, name: asyncio.open_connection(sock=sock, ssl=ssl, server_hostname=name),
            tls, server_hostname, config)

    @classmethod
    async def _establish(cls, open_streams: Callable[[Any, str | None], Awaitable[Streams]],
                         tls: TlsConfig | None, hostname: str | None,
                         config: ConnectionConfig) -> Connection:
        context, name = None, None
        if tls is not None:
            name = tls.verified_name(hostname)
            context = tls.create_context()

        async def ready() -> Streams:
            reader, writer = await open_streams(context, name)
            try:
                writer.write(PREFACE)
                check_preface(await reader.readexactly(len(PREFACE)))
            except asyncio.IncompleteReadError:
                writer.close()
                raise ConnectionError("server closed the connection before sending its "
                                      "preface") from None
            except BaseException:
                writer.close()
                raise
            return reader, writer

        try:
            streams = await asyncio.wait_for(ready(), config.connect_timeout)
        except asyncio.TimeoutError:  # not the builtin TimeoutError before Python 3.11
            raise TimeoutError(f"no connection, TLS handshake and preface within "
                               f"{config.connect_timeout} s") from None
        return cls(streams, config)

    # Public API

    @property
    def alpn_protocol(self) -> str | None:
        """The ALPN protocol the server selected ("framedrpc/1"), or None if none."""
        tls = self._writer.get_extra_info("ssl_object")
        return None if tls is None else tls.selected_alpn_protocol()

    def start_call(self, method: str, *, metadata: MetadataLike = (), timeout: float | None = None,
                   response_type: Any = None, request: Any = None) -> Call:
        """Opens a call to `method` ("/package.Service/Method") and returns it, without waiting:
        its HEADERS (and `request`) go into the write buffer.

        Arguments and errors as `framedrpc.Connection.start_call`: `metadata`, `timeout`
        (seconds, enforced here as DEADLINE_EXCEEDED), `response_type` (None gives bytes),
        `request` (the one request of a unary or server-streaming call, which half-closes it).
        """
        return self._open_call(method, metadata, timeout, response_type, request)

    async def ping(self, timeout: float) -> float:
        """Sends a PING and waits for its PONG; returns the round-trip time in seconds.

        Raises TimeoutError when no PONG arrives within `timeout`, ConnectionError when the
        connection closes first.
        """
        pong: asyncio.Future[None] = self._loop.create_future()
        started = self._loop.time()
        data = self._start_ping(pong)
        try:
            await asyncio.wait_for(pong, timeout)
            woken = True
        except asyncio.TimeoutError:
            woken = False
        self._end_ping(data, timeout, woken)
        return self._loop.time() - started

    async def close(self) -> None:
        """Closes the connection; calls still open end with CANCELLED. Idempotent.

        Buffered frames are written, then TLS close_notify (or, in plaintext, TCP FIN); waits up
        to `config.close_timeout` for that and for the server to close its side.
        """
        self._fail_calls(Status(StatusCode.CANCELLED, "connection closed by the client"))
        timeout = self._config.close_timeout
        if not self._writer.is_closing():
            if self._writer.can_write_eof():  # plaintext: FIN, then the server closes its side
                self._writer.write_eof()
                await _within(asyncio.shield(self._read_task), timeout)
            self._writer.close()  # TLS: close_notify, and the server's in answer
        if not await _within(self._writer.wait_closed(), timeout):
            self._writer.transport.abort()
        self._read_task.cancel()
        await asyncio.gather(self._read_task, return_exceptions=True)

    async def __aenter__(self) -> Connection:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # ConnectionCore, and the call's AsyncCallOwner

    def enqueue(self, frames: list[Frame]) -> None:
        """Writes frames into the stream's buffer, in order; dropped once the connection closed."""
        if frames and not self._writer.is_closing():
            self._writer.write(b"".join(frame.encode() for frame in frames))

    async def drain(self) -> None:
        """Waits while the write buffer is full; fails the connection when the server reads
        nothing for `config.write_timeout`."""
        async with self._drain_lock:
            if self._writer.is_closing():
                return
            try:
                await asyncio.wait_for(self._writer.drain(), self._config.write_timeout)
            except asyncio.TimeoutError:
                self._fail(Status(StatusCode.UNAVAILABLE, "the server read nothing for "
                                  f"{self._config.write_timeout} s"))
            except OSError as error:
                self._fail(Status(StatusCode.UNAVAILABLE,
                                  f"writing to the server failed: {error}"))

    def _new_call(self, stream_id: int, method: str, timeout: float | None,
                  deserialize: Callable[[bytes], Any]) -> Call:
        return Call(self, stream_id, method, timeout, deserialize, self._loop)

    def _wake(self, waiter: asyncio.Future[None]) -> None:
        if not waiter.done():
            waiter.set_result(None)

    # Read task

    async def _read_loop(self) -> None:
        try:
            while data := await self._reader.read(READ_SIZE):
                self._receive(data)
            self._fail(self._eof_status())
        except Exception as error:  # ProtocolError, OSError (ssl.SSLError), or a bug here
            self._fail(self._read_error_status(error))

    def _fail(self, status: Status) -> None:
        """Ends every open call with `status` and cuts the connection."""
        self._fail_calls(status)
        self._writer.transport.abort()


async def _within(awaitable: Awaitable[Any], timeout: float) -> bool:
    """Awaits `awaitable` for up to `timeout` seconds; False when it timed out or failed."""
    try:
        await asyncio.wait_for(awaitable, timeout)
        return True
    except (asyncio.TimeoutError, OSError):
        return False
