"""Typed helpers for the four kinds of call on an asyncio connection."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from typing import Any, TypeVar, Union

from google.protobuf.message import Message

from ..call_state import extra_response, missing_response
from ..metadata import MetadataLike
from .call import Call
from .connection import Connection

M = TypeVar("M", bound=Message)

Requests = Union[Iterable[Any], AsyncIterable[Any]]
"""The requests of a client-streaming call: any iterable, or an async one (a generator too)."""


class Client:
    """Makes calls on one asyncio connection, like `framedrpc.Client` does on a threaded one.

    Every method takes `metadata` (request metadata) and `timeout` (seconds; None for no
    deadline), and raises RpcError when the call ends with a status other than OK. The
    coroutines cancel their call when the task awaiting them is cancelled; the streaming
    methods return the call at once, to be used with `async with` and `async for`.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    async def unary(self, method: str, request: Any, response_type: type[M], *,
                    metadata: MetadataLike = (), timeout: float | None = None) -> M:
        """One request, one response: returns the response."""
        response, _ = await self.unary_with_call(method, request, response_type,
                                                 metadata=metadata, timeout=timeout)
        return response

    async def unary_with_call(self, method: str, request: Any, response_type: type[M], *,
                              metadata: MetadataLike = (),
                              timeout: float | None = None) -> tuple[M, Call]:
        """Like `unary`, also returning the ended call, for its metadata."""
        call = self.connection.start_call(method, metadata=metadata, timeout=timeout,
                                          response_type=response_type, request=request)
        async with call:  # cancels the call if this task is cancelled
            return await _single_response(call), call

    def server_streaming(self, method: str, request: Any, response_type: type[Message], *,
                         metadata: MetadataLike = (), timeout: float | None = None) -> Call:
        """One request, a stream of responses: `async for` over the returned call."""
        return self.connection.start_call(method, metadata=metadata, timeout=timeout,
                                          response_type=response_type, request=request)

    async def client_streaming(self, method: str, requests: Requests, response_type: type[M], *,
                               metadata: MetadataLike = (), timeout: float | None = None) -> M:
        """A stream of requests, one response: sends every request, returns the response."""
        response, _ = await self.client_streaming_with_call(
            method, requests, response_type, metadata=metadata, timeout=timeout)
        return response

    async def client_streaming_with_call(self, method: str, requests: Requests,
                                         response_type: type[M], *, metadata: MetadataLike = (),
                                         timeout: float | None = None) -> tuple[M, Call]:
        """Like `client_streaming`, also returning the ended call, for its metadata.

        Stops sending early if the server ends the call before all requests are sent; if
        `requests` raises, the call is cancelled and the exception propagates.
        """
        call = self.connection.start_call(method, metadata=metadata, timeout=timeout,
                                          response_type=response_type)
        async with call:  # cancels the call if `requests` raises or this task is cancelled
            if isinstance(requests, AsyncIterable):
                async for request in requests:
                    if not await call.send(request):
                        break
            else:
                for request in requests:
                    if not await call.send(request):
                        break
            call.half_close()
            return await _single_response(call), call

    def bidi_streaming(self, method: str, response_type: type[Message], *,
                       metadata: MetadataLike = (), timeout: float | None = None) -> Call:
        """Both sides stream: `send`, `half_close` and `recv` (or `async for`) on the call."""
        return self.connection.start_call(method, metadata=metadata, timeout=timeout,
                                          response_type=response_type)


async def _single_response(call: Call) -> Any:
    """The one response of a call that must have exactly one; raises RpcError otherwise."""
    response = await call.recv()
    if response is None:
        raise missing_response(call.method)
    if await call.recv() is not None:
        call.cancel()
        raise extra_response(call.method)
    return response
