"""Typed helpers for the four kinds of call, on top of `Connection.start_call`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from google.protobuf.message import Message

from .call import Call
from .call_state import extra_response, missing_response
from .connection import Connection
from .metadata import MetadataLike

M = TypeVar("M", bound=Message)


class Client:
    """Makes calls on one connection. Thread-safe, like the connection.

    Every method takes `metadata` (request metadata) and `timeout` (seconds; None for no
    deadline), and raises RpcError when the call ends with a status other than OK.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def unary(self, method: str, request: Any, response_type: type[M], *,
              metadata: MetadataLike = (), timeout: float | None = None) -> M:
        """One request, one response: returns the response."""
        return self.unary_with_call(method, request, response_type,
                                    metadata=metadata, timeout=timeout)[0]

    def unary_with_call(self, method: str, request: Any, response_type: type[M], *,
                        metadata: MetadataLike = (),
                        timeout: float | None = None) -> tuple[M, Call]:
        """Like `unary`, also returning the ended call, for its metadata."""
        call = self.connection.start_call(method, metadata=metadata, timeout=timeout,
                                          response_type=response_type, request=request)
        return _single_response(call), call

    def server_streaming(self, method: str, request: Any, response_type: type[Message], *,
                         metadata: MetadataLike = (), timeout: float | None = None) -> Call:
        """One request, a stream of responses: iterate over the returned call."""
        return self.connection.start_call(method, metadata=metadata, timeout=timeout,
                                          response_type=response_type, request=request)

    def client_streaming(self, method: str, requests: Iterable[Any], response_type: type[M], *,
                         metadata: MetadataLike = (), timeout: float | None = None) -> M:
        """A stream of requests, one response: sends every request, returns the response."""
        return self.client_streaming_with_call(method, requests, response_type,
                                               metadata=metadata, timeout=timeout)[0]

    def client_streaming_with_call(self, method: str, requests: Iterable[Any],
                                   response_type: type[M], *, metadata: MetadataLike = (),
                                   timeout: float | None = None) -> tuple[M, Call]:
        """Like `client_streaming`, also returning the ended call, for its metadata.

        Stops sending early if the server ends the call before all requests are sent; if
        `requests` raises, the call is cancelled and the exception propagates.
        """
        call = self.connection.start_call(method, metadata=metadata, timeout=timeout,
                                          response_type=response_type)
        try:
            for request in requests:
                if not call.send(request):
                    break
        except BaseException:
            call.cancel()
            raise
        call.half_close()
        return _single_response(call), call

    def bidi_streaming(self, method: str, response_type: type[Message], *,
                       metadata: MetadataLike = (), timeout: float | None = None) -> Call:
        """Both sides stream: use `send`, `half_close` and `recv` (or iterate) on the call."""
        return self.connection.start_call(method, metadata=metadata, timeout=timeout,
                                          response_type=response_type)


def _single_response(call: Call) -> Any:
    """The one response of a call that must have exactly one; raises RpcError otherwise."""
    response = call.recv()
    if response is None:
        raise missing_response(call.method)
    if call.recv() is not None:
        call.cancel()
        raise extra_response(call.method)
    return response
