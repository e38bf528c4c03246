"""TLS (PROTOCOL.md §1) against a loopback TLS server made with the standard `ssl` module:
certificate verification, ALPN, mutual TLS, and frames both ways through the TLS transport."""

import asyncio
import socket
import ssl
import threading

import pytest

from framedrpc import Connection, StatusCode, TlsConfig
from framedrpc.aio import Connection as AsyncConnection
from framedrpc.framing import PREFACE, FrameType
from repo_paths import CERTIFICATES
from scripted_server import CONFIG, WAIT, ScriptedServer


class TlsServer:
    """Accepts one TLS connection on 127.0.0.1 and hands it to `script` on a thread."""

    def __init__(self, script, require_client_certificate: bool = False) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(CERTIFICATES / "server.pem", CERTIFICATES / "server-key.pem")
        context.set_alpn_protocols(["framedrpc/1"])
        if require_client_certificate:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(CERTIFICATES / "ca.pem")
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(WAIT)
        self.port = self._listener.getsockname()[1]
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._serve, args=(context, script), daemon=True)
        self._thread.start()

    def _serve(self, context: ssl.SSLContext, script) -> None:
        try:
            sock, _ = self._listener.accept()
            with context.wrap_socket(sock, server_side=True) as tls_sock:
                server = ScriptedServer(tls_sock)
                server.send_preface()
                assert server.read_preface() == PREFACE
                script(server)
        except BaseException as error:  # reported by finish()
            self.error = error
        finally:
            self._listener.close()

    def finish(self) -> BaseException | None:
        self._thread.join(WAIT)
        assert not self._thread.is_alive(), "TLS server script did not finish"
        return self.error


def echo_one_call(server: ScriptedServer) -> None:
    """Answers one call: echoes each MESSAGE (returning its credit) until HALF_CLOSE, then OK.

    Ignores the client's WINDOW_UPDATEs: the echoes never wait for credit."""
    assert server.read_frame().type == FrameType.HEADERS
    while (frame := server.read_frame()).type != FrameType.HALF_CLOSE:
        if frame.type == FrameType.MESSAGE:
            server.reply_message(frame.stream_id, frame.payload)
            if frame.payload:
                server.grant(frame.stream_id, len(frame.payload))
    server.reply_status(frame.stream_id)
    server.read_until_closed()


def connect(port: int, **tls_fields) -> Connection:
    tls = TlsConfig(**{"cafile": str(CERTIFICATES / "ca.pem"), **tls_fields})
    return Connection.connect("127.0.0.1", port, tls=tls, config=CONFIG)


def test_frames_flow_both_ways_over_tls():
    server = TlsServer(echo_one_call)
    with connect(server.port) as connection:
        assert connection.alpn_protocol == "framedrpc/1"
        call = connection.start_call("/s.S/Echo", timeout=WAIT)
        chunk = bytes(range(256)) * 4096  # 1 MiB: needs the server's credit to continue
        for _ in range(3):
            assert call.send(chunk)
            assert call.recv() == chunk
        call.half_close()
        assert call.recv() is None
    assert server.finish() is None


@pytest.mark.parametrize("hostname", ["localhost", "127.0.0.1"])
def test_server_certificate_names_are_verified(hostname):
    server = TlsServer(echo_one_call)
    tls = TlsConfig(cafile=str(CERTIFICATES / "ca.pem"), server_hostname=hostname)
    with Connection.connect("127.0.0.1", server.port, tls=tls, config=CONFIG) as connection:
        call = connection.start_call("/s.S/Echo", request=b"hi", timeout=WAIT)
        assert call.recv() == b"hi"
        assert call.status().code == StatusCode.OK
    server.finish()


@pytest.mark.parametrize("fields", [
    {"cafile": str(CERTIFICATES / "other-ca.pem")},
    {"server_hostname": "not-the-server.example"},
], ids=["untrusted_ca", "wrong_name"])
def test_unverifiable_server_is_refused(fields):
    server = TlsServer(echo_one_call)
    with pytest.raises(ssl.SSLCertVerificationError):
        connect(server.port, **fields)
    server.finish()


def test_mutual_tls_with_a_client_certificate():
    server = TlsServer(echo_one_call, require_client_certificate=True)
    with connect(server.port, certfile=str(CERTIFICATES / "client.pem"),
                 keyfile=str(CERTIFICATES / "client-key.pem")) as connection:
        call = connection.start_call("/s.S/Echo", request=b"mtls", timeout=WAIT)
        assert call.recv() == b"mtls"
    assert server.finish() is None


def test_mutual_tls_without_a_client_certificate_fails_the_connect():
    server = TlsServer(echo_one_call, require_client_certificate=True)
    with pytest.raises((ssl.SSLError, ConnectionError)):
        connect(server.port)
    assert isinstance(server.finish(), ssl.SSLError)


def test_tls_over_a_socket_needs_a_server_name():
    client_sock, server_sock = socket.socketpair()
    with server_sock, pytest.raises(ValueError, match="TLS needs a server name"):
        Connection.over_socket(client_sock, tls=TlsConfig(), config=CONFIG)
    assert client_sock.fileno() == -1  # closed: the connection owned it


def test_tls_over_a_socket_needs_a_server_name_on_asyncio():
    client_sock, server_sock = socket.socketpair()
    with client_sock, server_sock, pytest.raises(ValueError, match="TLS needs a server name"):
        asyncio.run(AsyncConnection.over_socket(client_sock, tls=TlsConfig(), config=CONFIG))


def test_keyfile_without_certfile_is_a_configuration_error():
    with pytest.raises(ValueError, match="keyfile is set without certfile"):
        TlsConfig(keyfile="key.pem").create_context()
