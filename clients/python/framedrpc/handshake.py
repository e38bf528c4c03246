"""Getting a connected socket ready for frames: TLS handshake and preface exchange (§1-2)."""

from __future__ import annotations

import socket
import time

from .framing import PREFACE, check_preface
from .tls import TlsConfig
from .transport import TcpTransport, TlsTransport


def establish(sock: socket.socket, tls: TlsConfig | None, server_hostname: str | None,
              deadline: float) -> tuple[TcpTransport, bytes]:
    """Secures `sock` with `tls` (None: plaintext) and exchanges prefaces before `deadline`
    (a `time.monotonic()` value).

    Returns the transport and the bytes the server sent after its preface. Closes the
    socket and raises on failure: OSError (TimeoutError, ConnectionError), ssl.SSLError,
    ProtocolError (wrong server preface), ValueError (TLS without a server name).
    """
    try:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # frames are small
        if tls is None:
            transport = TcpTransport(sock)
        else:
            hostname = tls.verified_name(server_hostname)
            transport = TlsTransport.handshake(sock, tls.create_context(), hostname, deadline)
        return transport, _exchange_prefaces(transport, deadline)
    except BaseException:
        sock.close()
        raise


def _exchange_prefaces(transport: TcpTransport, deadline: float) -> bytes:
    """Writes the client preface and checks the server's; returns bytes read past it."""
    transport.send(PREFACE)
    received = b""
    while len(received) < len(PREFACE):
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise TimeoutError
            transport.set_timeout(remaining)
            data = transport.recv()
        except TimeoutError:
            raise TimeoutError("timed out waiting for the server's connection preface") from None
        if not data:
            raise ConnectionError("server closed the connection before sending its preface")
        received += data
    check_preface(received[: len(PREFACE)])
    return received[len(PREFACE):]
