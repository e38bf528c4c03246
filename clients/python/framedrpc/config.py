"""Limits and timeouts of a client connection, with their defaults."""

from __future__ import annotations

from dataclasses import dataclass

from .framing import DEFAULT_MAX_FRAME_SIZE


@dataclass(frozen=True)
class ConnectionConfig:
    """Limits and timeouts of a client connection. `ConnectionConfig()` gives the defaults:

    - `connect_timeout` = 10.0 s: TCP connect, TLS handshake and preface exchange together.
    - `write_timeout` = 30.0 s: a socket write that cannot complete within this time fails
      the connection (the server is not reading). Also the period at which an idle reader
      thread wakes up, because a socket has one timeout for both directions.
    - `max_frame_size` = 4,194,304 bytes (4 MiB): the largest frame payload accepted from
      the server, and the largest message `send` allows (the server's default limit).
    - `close_timeout` = 5.0 s: how long `Connection.close()` waits for queued frames to be
      written and for the server to close its side, before cutting the connection.
    """

    connect_timeout: float = 10.0
    write_timeout: float = 30.0
    max_frame_size: int = DEFAULT_MAX_FRAME_SIZE
    close_timeout: float = 5.0
