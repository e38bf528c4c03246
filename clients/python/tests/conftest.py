"""Fixtures for the interop tests: the Swift `framedrpc-interop` server, started once per
session over TLS (with reflection, for the `framedrpc` CLI tests), and a fresh client connection
per test."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from framedrpc import Client, Connection, TlsConfig
from repo_paths import CERTIFICATES
from scripted_server import connected_pair
SERVER_BINARY_ENV = "FRAMEDRPC_INTEROP_BIN"
STARTUP_TIMEOUT = 30.0   # seconds for the server to print its "listening on" line
SHUTDOWN_TIMEOUT = 10.0  # seconds for it to exit after SIGTERM, before it is killed
_LISTENING = re.compile(r"listening on (?P<host>\S+):(?P<port>\d+)")


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int


def _forward_output(stream, lines: queue.Queue) -> None:
    """Passes the server's stdout on, line by line, and to stderr so failures show it."""
    for line in stream:
        lines.put(line)
        sys.stderr.write(f"[framedrpc-interop] {line}")
    lines.put(None)


@pytest.fixture(scope="session")
def interop_server() -> Iterator[ServerAddress]:
    """The interop server, also serving reflection (the `framedrpc` CLI tests need it)."""
    yield from _serve_interop("--reflection")


@pytest.fixture(scope="session")
def interop_server_without_reflection() -> Iterator[ServerAddress]:
    """A second interop server, without reflection: what the CLI says about such a server."""
    yield from _serve_interop()


def _serve_interop(*options: str) -> Iterator[ServerAddress]:
    """Runs `framedrpc-interop serve … OPTIONS` over TLS until the generator is closed."""
    binary = os.environ.get(SERVER_BINARY_ENV)
    if not binary:
        pytest.skip(f"{SERVER_BINARY_ENV} is not set: build the server "
                    "(swift build --product framedrpc-interop) and set it to the binary's path")
    command = [binary, "serve", "--host", "127.0.0.1", "--port", "0",
               "--cert", str(CERTIFICATES / "server.pem"),
               "--key", str(CERTIFICATES / "server-key.pem"), *options]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_forward_output, args=(server.stdout, lines), daemon=True).start()
    try:
        address = _wait_until_listening(lines)
    except BaseException:
        server.kill()
        server.wait(SHUTDOWN_TIMEOUT)
        raise
    yield address
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(SHUTDOWN_TIMEOUT)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(SHUTDOWN_TIMEOUT)
        pytest.fail(f"framedrpc-interop did not exit within {SHUTDOWN_TIMEOUT} s of SIGTERM")


def _wait_until_listening(lines: queue.Queue) -> ServerAddress:
    try:
        line = lines.get(timeout=STARTUP_TIMEOUT)
    except queue.Empty:
        raise RuntimeError(
            f"framedrpc-interop printed nothing within {STARTUP_TIMEOUT} s") from None
    match = _LISTENING.fullmatch((line or "").strip())
    if match is None:
        raise RuntimeError(f"framedrpc-interop's first line is {line!r}, expected "
                           "'listening on HOST:PORT'")
    return ServerAddress(match["host"], int(match["port"]))


@pytest.fixture
def connection(interop_server: ServerAddress) -> Connection:
    tls = TlsConfig(cafile=str(CERTIFICATES / "ca.pem"))
    with Connection.connect(interop_server.host, interop_server.port, tls=tls) as connection:
        yield connection


@pytest.fixture
def client(connection: Connection) -> Client:
    return Client(connection)


@pytest.fixture
def pair():
    """A client connection and the scripted server at the other end of its socket."""
    with connected_pair() as connection_and_server:
        yield connection_and_server
