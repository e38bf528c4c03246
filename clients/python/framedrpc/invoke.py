"""Runs one call of any kind from JSON requests, writing each response as a line of JSON.

The `framedrpc call` command stands on this. Every kind of call runs the same way: requests
are sent from a thread of their own while responses are written as they arrive, so that a
bidirectional call whose requests come from a terminal or a pipe interleaves as it should.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterable, Iterator
from typing import Any, TextIO

from .client import Client
from .dynamic import parse_json, to_json
from .metadata import Metadata
from .status import RpcError
from .stub import CallKind, MethodDescriptor


class InputError(Exception):
    """A request could not be made from the input (the message says which and why)."""


def requests_from_lines(lines: Iterable[str], method: MethodDescriptor[Any, Any]) -> Iterator[Any]:
    """One request per non-empty line of JSON, read lazily (stdin may be a terminal);
    raises InputError naming the line that does not parse."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                yield parse_json(line, method.request_type)
            except ValueError as error:
                raise InputError(f"stdin line {number}: {error}") from None


def one_request(requests: Iterable[Any], method: MethodDescriptor[Any, Any]) -> Any:
    """The only request of a unary or server-streaming call; InputError for none or several."""
    iterator = iter(requests)
    request = next(iterator, None)
    if request is None:
        raise InputError(f"{method.path} takes one request: stdin has none")
    if next(iterator, None) is not None:
        raise InputError(f"{method.path} takes one request: stdin has more than one line")
    return request


def invoke(client: Client, method: MethodDescriptor[Any, Any], requests: Iterable[Any], *,
           metadata: Metadata, timeout: float | None, out: TextIO,
           log: TextIO | None = None) -> None:
    """Makes the call, writing each response to `out` as one line of JSON, flushed.

    `requests` must hold exactly one request for unary and server-streaming methods (see
    `one_request`). With `log`, the response's initial and trailing metadata are written
    there, as `grpcurl -v` does. Raises RpcError when the call ends with a status other than
    OK, and InputError (the call then cancelled) when a request cannot be read.
    """
    if method.kind in (CallKind.UNARY, CallKind.SERVER_STREAMING):
        request = one_request(requests, method)
        call = client.server_streaming(method.path, request, method.response_type,
                                       metadata=metadata, timeout=timeout)
        sender = None
    else:
        call = client.bidi_streaming(method.path, method.response_type,
                                     metadata=metadata, timeout=timeout)
        sender = _Sender(call, requests)
    try:
        if log is not None:
            _write_metadata(log, "Response headers received:", call.initial_metadata())
        for response in call:
            out.write(to_json(response) + "\n")
            out.flush()
    except RpcError as error:
        if sender is not None:
            sender.raise_if_failed()  # a request that failed is why the call was cancelled
        if log is not None:
            _write_metadata(log, "Response trailers received:", error.trailing_metadata)
        raise
    if sender is not None:
        sender.raise_if_failed()
    if log is not None:
        _write_metadata(log, "Response trailers received:", call.trailing_metadata())


class _Sender:
    """Sends the requests of a streaming call on a thread, then half-closes; a request that
    cannot be read or sent cancels the call, and the error is kept for the caller."""

    def __init__(self, call: Any, requests: Iterable[Any]) -> None:
        self._call = call
        self._requests = requests
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="framedrpc-sender", daemon=True)
        self._thread.start()

    def raise_if_failed(self) -> None:
        """Raises what stopped the sender, if anything did.

        Does not wait for the thread: once the call has ended it may still be blocked reading
        a request (from a terminal), and a failure is recorded before the call is cancelled.
        """
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            for request in self._requests:
                if not self._call.send(request):
                    return  # the call has ended: the receiving side reports how
            self._call.half_close()
        except Exception as error:  # noqa: BLE001 - handed to the thread that reports it
            self._error = error
            self._call.cancel()


def _write_metadata(log: TextIO, title: str, metadata: Metadata) -> None:
    """Metadata as `key: value` lines under a title; binary values in base64, as -H takes them."""
    lines = [f"{key}: {base64.b64encode(value).decode() if isinstance(value, bytes) else value}"
             for key, value in metadata]
    log.write("\n".join([title, *(lines or ["(empty)"])]) + "\n")
    log.flush()
