"""A server end of a socket that a test drives frame by frame (no Swift server needed)."""

from __future__ import annotations

import socket
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from framedrpc import Connection, ConnectionConfig
from framedrpc.framing import (
    CLIENT_TO_SERVER, PREFACE, Frame, FrameDecoder, FrameType, window_update,
)
from framedrpc.v1 import wire_pb2

IO_TIMEOUT = 5.0
"""Seconds any read of the scripted server may block: a broken client fails, never hangs."""

CONFIG = ConnectionConfig(connect_timeout=5, close_timeout=1)
"""The client connection settings of tests against a scripted server."""

WAIT = 5.0
"""Seconds any client wait in these tests may take before the test fails."""


class ScriptedServer:
    """Reads the client's frames and writes whatever frames the test wants."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.sock.settimeout(IO_TIMEOUT)
        self._decoder = FrameDecoder(CLIENT_TO_SERVER, max_frame_size=8 * 1024 * 1024)
        self._frames: deque[Frame] = deque()

    def send_preface(self) -> None:
        self.sock.sendall(PREFACE)

    def read_preface(self) -> bytes:
        data = b""
        while len(data) < len(PREFACE):
            chunk = self.sock.recv(len(PREFACE) - len(data))
            assert chunk, "client closed before sending its preface"
            data += chunk
        return data

    def send(self, *frames: Frame) -> None:
        self.sock.sendall(b"".join(frame.encode() for frame in frames))

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def read_frame(self) -> Frame:
        """The client's next frame; raises TimeoutError after IO_TIMEOUT."""
        while not self._frames:
            data = self.sock.recv(65536)
            assert data, "client closed the connection"
            self._frames.extend(self._decoder.feed(data))
        return self._frames.popleft()

    def read_frames(self, count: int) -> list[Frame]:
        return [self.read_frame() for _ in range(count)]

    def read_until_closed(self) -> list[Frame]:
        """Every frame until the client closes the connection."""
        frames = list(self._frames)
        self._frames.clear()
        while data := self.sock.recv(65536):
            frames += self._decoder.feed(data)
        return frames

    # Shorthands for server frames

    def reply_headers(self, stream_id: int, metadata: list[wire_pb2.MetadataEntry]) -> None:
        self.send(Frame(FrameType.HEADERS, stream_id,
                        wire_pb2.ResponseHeaders(metadata=metadata).SerializeToString()))

    def reply_message(self, stream_id: int, payload: bytes) -> None:
        self.send(Frame(FrameType.MESSAGE, stream_id, payload))

    def reply_status(self, stream_id: int, code: int = 0, message: str = "", **fields) -> None:
        status = wire_pb2.CallStatus(code=code, message=message, **fields)
        self.send(Frame(FrameType.STATUS, stream_id, status.SerializeToString()))

    def grant(self, stream_id: int, increment: int) -> None:
        self.send(window_update(stream_id, increment))


@contextmanager
def connected_pair() -> Iterator[tuple[Connection, ScriptedServer]]:
    """A client connection over a socket pair and the scripted server at the other end, past
    the preface exchange; shut down and closed afterwards."""
    client_sock, server_sock = socket.socketpair()
    server = ScriptedServer(server_sock)
    server.send_preface()  # sent first, so the client's preface exchange completes
    connection = Connection.over_socket(client_sock, config=CONFIG)
    assert server.read_preface() == PREFACE
    try:
        yield connection, server
    finally:
        server_sock.shutdown(socket.SHUT_RDWR)  # as a server would; close() then need not wait
        connection.close()
        server_sock.close()
