"""A real `cardex serve` for the SDK scenario tests: started on a fresh data directory with
its development certificate, found through its log, stopped with SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from cardex import CardexClient

STARTUP_TIMEOUT = 30.0   # seconds for the server to log its address
SHUTDOWN_TIMEOUT = 10.0  # seconds for it to exit after SIGTERM, before it is killed
CODE_TIMEOUT = 5.0       # seconds for a verification code to reach the notification log
POLL_INTERVAL = 0.05     # seconds between reads of the log files
CODES_PER_ADDRESS = 1000
"""Code requests allowed per client address per hour: every test user registers from
127.0.0.1, more often than the server's default (20) allows."""

SERVER_BINARY_ENV = "CARDEX_BIN"
"""The environment variable naming the `cardex` binary; scripts/test.sh sets it."""

_ADDRESS = re.compile(r"address=(?P<host>[0-9.]+):(?P<port>\d+)")
_CODE = re.compile(r"code is (\d{6})")


class CardexServer:
    """`cardex serve --port 0 --data-dir WORK/data` and what a test needs from it.

    With `reflection`, the server also serves framedrpc.reflection.v1 (for the `framedrpc`
    CLI tests).
    """

    def __init__(self, binary: str, work: Path, *, reflection: bool = False) -> None:
        self.data_dir = work / "data"
        self.log_path = work / "serve.log"
        self.ca_file = self.data_dir / "dev-ca.pem"
        self.notifications = self.data_dir / "notifications.log"
        command = [binary, "serve", "--port", "0", "--data-dir", str(self.data_dir),
                   "--codes-per-address", str(CODES_PER_ADDRESS),
                   # The tests' numbers are under +1555, an area code that reaches no one.
                   "--test-number-prefix", "+1555"]
        if reflection:
            command.append("--reflection")
        with open(self.log_path, "wb") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            self.host, self.port = self._wait_for_address()
        except BaseException:
            self._process.kill()
            self._process.wait(SHUTDOWN_TIMEOUT)
            raise

    def client(self, token: str | None = None) -> CardexClient:
        """A new connection over TLS, trusting the server's development CA."""
        return CardexClient(self.host, self.port, ca_file=str(self.ca_file), token=token)

    def code_for(self, phone: str) -> str:
        """The last verification code sent to `phone` (E.164), waiting up to CODE_TIMEOUT."""
        deadline = time.monotonic() + CODE_TIMEOUT
        while True:
            codes = [match[1] for entry in self._notifications() if entry.get("to") == phone
                     for match in [_CODE.search(entry.get("body", ""))] if match]
            if codes:
                return codes[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no code for {phone} in {self.notifications} within "
                                     f"{CODE_TIMEOUT} s")
            time.sleep(POLL_INTERVAL)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> int:
        """Sends SIGTERM and returns the exit status; kills the server if it does not stop."""
        self._process.send_signal(signal.SIGTERM)
        try:
            return self._process.wait(SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(SHUTDOWN_TIMEOUT)
            raise AssertionError(f"cardex serve did not exit within {SHUTDOWN_TIMEOUT} s of "
                                 f"SIGTERM; its log:\n{self.log()}") from None

    def _wait_for_address(self) -> tuple[str, int]:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"cardex serve exited with status {self._process.returncode}"
                                   f"; its log:\n{self.log()}")
            match = _ADDRESS.search(self.log())
            if match and self.ca_file.exists():
                return match["host"], int(match["port"])
            time.sleep(POLL_INTERVAL)
        raise RuntimeError(f"cardex serve logged no address=HOST:PORT within {STARTUP_TIMEOUT} s"
                           f"; its log:\n{self.log()}")

    def _notifications(self) -> list[dict]:
        try:
            lines = self.notifications.read_text().splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for line in lines:
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError:
                pass  # a line still being written; read again on the next poll
        return entries


def running_server(tmp_path_factory, name: str, *, reflection: bool = False):
    """The body of a module fixture: a server in a fresh directory named `name`, stopped (and
    checked to exit cleanly) after the module. Skips without CARDEX_BIN, fails in CI."""
    binary = os.environ.get(SERVER_BINARY_ENV)
    if not binary:
        if os.environ.get("CI"):
            pytest.fail(f"{SERVER_BINARY_ENV} is not set in CI: scripts/test.sh sets it")
        pytest.skip(f"{SERVER_BINARY_ENV} is not set: build the server (swift build --product "
                    "cardex) and set it to the binary's path")
    server = CardexServer(binary, tmp_path_factory.mktemp(name), reflection=reflection)
    yield server
    assert server.stop() == 0, server.log()
