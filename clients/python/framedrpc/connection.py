"""A client connection: preface exchange, a reader and a writer thread, calls by stream id."""

from __future__ import annotations

import math
import socket
import ssl
import struct
import threading
import time
from typing import Any

from google.protobuf.message import DecodeError

from .call import Call
from .config import ConnectionConfig
from .framing import MAX_STREAM_ID, SERVER_TO_CLIENT, Frame, FrameDecoder, FrameType, ProtocolError
from .handshake import establish
from .metadata import Metadata, MetadataLike
from .status import RpcError, Status, StatusCode
from .tls import TlsConfig
from .transport import TcpTransport, TlsTransport
from .wire import metadata_to_wire, wire_pb2
from .writer import FrameWriter

_PING_DATA = struct.Struct(">Q")


class Connection:
    """One connection to a FramedRPC server (PROTOCOL.md §2-7).

    Create it with `connect` (or `over_socket`). Thread-safe: any number of threads may
    start and use calls. A reader thread demultiplexes incoming frames to calls by stream
    id and answers PING; a writer thread (`FrameWriter`) writes queued frames, so no caller
    ever blocks on the socket. Close it with `close()` or a `with` block.
    """

    def __init__(self, transport: TcpTransport, leftover: bytes, config: ConnectionConfig):
        """Use `connect` or `over_socket`; this starts the threads on a ready transport."""
        self.max_frame_size = config.max_frame_size
        self._transport = transport
        self._config = config
        self._decoder = FrameDecoder(SERVER_TO_CLIENT, config.max_frame_size)
        self._lock = threading.Lock()          # guards the fields below
        self._calls: dict[int, Call] = {}
        self._next_stream_id = 1
        self._highest_stream_id = 0
        self._closed: str | None = None        # why the connection closed, once it has
        self._goaway: Any = None               # the server's GoAway message, if any
        self._pings: dict[bytes, threading.Event] = {}
        self._ping_count = 0
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

    @property
    def goaway(self) -> Any:
        """The server's GOAWAY (a `wire_pb2.GoAway`), or None if it has sent none."""
        with self._lock:
            return self._goaway

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
        if timeout is not None and not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds, got {timeout}")
        if not isinstance(metadata, Metadata):
            metadata = Metadata(metadata)
        headers = wire_pb2.CallHeaders(
            method=method,
            metadata=metadata_to_wire(metadata),
            timeout_micros=0 if timeout is None else max(1, math.ceil(timeout * 1_000_000)),
        )
        deserialize = bytes if response_type is None else response_type.FromString
        with self._lock:  # held while queueing HEADERS, so stream ids go out in order (§4.1)
            if self._closed is not None or self._goaway is not None:
                reason = self._closed or _describe(self._goaway)
                raise RpcError.local(StatusCode.UNAVAILABLE, reason)
            stream_id = self._next_stream_id
            if stream_id > MAX_STREAM_ID:
                raise RpcError.local(StatusCode.UNAVAILABLE,
                                     "stream ids exhausted on this connection: open a new one")
            call = Call(self, stream_id, method, timeout, deserialize)
            frames = [Frame(FrameType.HEADERS, stream_id, headers.SerializeToString())]
            if request is not None:
                frames += call.initial_frames(request)
            self._next_stream_id += 2
            self._highest_stream_id = stream_id
            self._calls[stream_id] = call
            self.enqueue(frames)
        return call

    def ping(self, timeout: float) -> float:
        """Sends a PING and waits for its PONG; returns the round-trip time in seconds.

        Raises TimeoutError when no PONG arrives within `timeout`, ConnectionError when the
        connection closes first.
        """
        event = threading.Event()
        with self._lock:
            if self._closed is not None:
                raise ConnectionError(self._closed)
            self._ping_count += 1
            data = _PING_DATA.pack(self._ping_count)
            self._pings[data] = event
        started = time.monotonic()
        self.enqueue([Frame(FrameType.PING, 0, data)])
        woken = event.wait(timeout)
        with self._lock:
            unanswered = self._pings.pop(data, None) is not None  # the PONG handler removes it
            closed = self._closed
        if not woken:
            raise TimeoutError(f"no PONG within {timeout} s")
        if unanswered:
            raise ConnectionError(closed)
        return time.monotonic() - started

    def close(self) -> None:
        """Closes the connection; calls still open end with CANCELLED. Idempotent.

        Queued frames are written, then TLS close_notify and TCP FIN; waits up to
        `config.close_timeout` for that and for the server to close its side.
        """
        for call in self._shut("connection closed by the client"):
            call.fail(Status(StatusCode.CANCELLED, "connection closed by the client"))
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

    # CallOwner

    def enqueue(self, frames: list[Frame]) -> None:
        """Queues frames for the writer thread, in order; dropped once the writer stopped."""
        self._writer.enqueue(frames)

    def call_ended(self, stream_id: int) -> None:
        """Forgets an ended call; frames for it are ignored from now on (§4.5)."""
        with self._lock:
            self._calls.pop(stream_id, None)

    # Writer thread

    def _on_write_error(self, error: Exception) -> None:
        if isinstance(error, OSError):
            self._fail(Status(StatusCode.UNAVAILABLE, f"writing to the server failed: {error}"))
        else:
            self._fail(Status(StatusCode.INTERNAL, f"client writer thread failed: {error!r}"))

    # Reader thread

    def _read_loop(self, leftover: bytes) -> None:
        try:
            self._dispatch(self._decoder.feed(leftover))
            while True:
                try:
                    data = self._transport.recv()
                except TimeoutError:
                    continue  # idle: the socket timeout exists for writes (see ConnectionConfig)
                if not data:
                    self._fail(Status(StatusCode.UNAVAILABLE, self._describe_eof()))
                    return
                self._dispatch(self._decoder.feed(data))
        except ProtocolError as error:
            # GOAWAY goes only from server to client, so the client just closes (§3).
            self._fail(Status(StatusCode.INTERNAL, f"server broke the protocol: {error}"))
        except (OSError, ssl.SSLError) as error:
            self._fail(Status(StatusCode.UNAVAILABLE, f"connection lost: {error}"))
        except Exception as error:
            self._fail(Status(StatusCode.INTERNAL, f"client reader thread failed: {error!r}"))
            raise

    def _dispatch(self, frames: list[Frame]) -> None:
        for frame in frames:
            if frame.type == FrameType.PING:
                self.enqueue([Frame(FrameType.PONG, 0, frame.payload)])
            elif frame.type == FrameType.PONG:
                with self._lock:
                    event = self._pings.pop(frame.payload, None)
                if event is not None:
                    event.set()  # an unsolicited PONG is ignored
            elif frame.type == FrameType.GOAWAY:
                self._on_goaway(frame.payload)
            else:
                self._on_call_frame(frame)

    def _on_call_frame(self, frame: Frame) -> None:
        with self._lock:
            call = self._calls.get(frame.stream_id)
            never_opened = frame.stream_id > self._highest_stream_id
        if call is not None:
            call.on_frame(frame)
        elif never_opened:
            raise ProtocolError(wire_pb2.PROTOCOL_ERROR, f"{frame.type.name} on stream "
                                f"{frame.stream_id}, which the client never opened")
        # Otherwise the call has ended here (cancelled, timed out): ignored (§4.5).

    def _on_goaway(self, payload: bytes) -> None:
        try:
            goaway = wire_pb2.GoAway.FromString(payload)
        except DecodeError as error:
            raise ProtocolError(wire_pb2.PROTOCOL_ERROR,
                                f"GOAWAY does not decode: {error}") from None
        with self._lock:
            self._goaway = goaway
            unprocessed = [c for sid, c in self._calls.items() if sid > goaway.last_stream_id]
        for call in unprocessed:
            call.fail(Status(StatusCode.UNAVAILABLE, f"{_describe(goaway)}; the call was not "
                             "processed and may be retried on a new connection"))

    # Teardown

    def _describe_eof(self) -> str:
        with self._lock:
            goaway = self._goaway
        if goaway is None:
            return "server closed the connection"
        return f"server closed the connection after {_describe(goaway)}"

    def _shut(self, reason: str) -> list[Call]:
        """Marks the connection closed (the first reason wins), wakes pending pings, and
        returns the calls that were open, now forgotten."""
        with self._lock:
            self._closed = self._closed or reason
            calls = list(self._calls.values())
            self._calls.clear()
            pings = list(self._pings.values())
        for event in pings:
            event.set()
        return calls

    def _fail(self, status: Status) -> None:
        """Ends every open call with `status` and tears the connection down (any thread)."""
        for call in self._shut(status.message):
            call.fail(status)
        self._writer.stop()
        self._transport.abort()


def _describe(goaway: Any) -> str:
    message = f": {goaway.message}" if goaway.message else ""
    return f"server sent GOAWAY {wire_pb2.GoAwayCode.Name(goaway.code)}{message}"
