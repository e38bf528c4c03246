"""What generated async service stubs stand on: `AsyncStub` and the typed views of its calls.

`protoc-gen-framedrpc-python` writes, beside each `<Service>Stub`, a `<Service>AsyncStub`: a
subclass of `AsyncStub` whose methods name the same `MethodDescriptor`s. Requests are built and
default metadata merged by `framedrpc.stub`'s functions, as for the threaded stubs.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Mapping
from typing import Any, Protocol, Union

from ..metadata import Metadata, MetadataLike
from ..status import Status
from ..stub import (
    DefaultMetadata, MethodDescriptor, RequestT, RequestT_contra, ResponseT, ResponseT_co,
    build_request, merge_metadata,
)
from .client import Client


class AsyncResponseStream(Protocol[ResponseT_co]):
    """The responses of a server-streaming call, as `framedrpc.aio.Call` provides them.

    `async for` yields each response and raises RpcError if the call ends with a status other
    than OK; `cancel()` (or leaving an `async with` block) abandons the call.
    """

    def __aiter__(self) -> AsyncIterator[ResponseT_co]: ...
    async def recv(self, timeout: float | None = None) -> ResponseT_co | None: ...
    def cancel(self) -> bool: ...
    async def initial_metadata(self, timeout: float | None = None) -> Metadata: ...
    async def status(self, timeout: float | None = None) -> Status: ...
    async def __aenter__(self) -> AsyncResponseStream[ResponseT_co]: ...
    async def __aexit__(self, *exc_info: object) -> None: ...


class AsyncBidiStream(AsyncResponseStream[ResponseT_co], Protocol[RequestT_contra, ResponseT_co]):
    """A bidirectional call, as `framedrpc.aio.Call` provides it: `send`, `half_close`, and
    the responses."""

    async def send(self, message: RequestT_contra, timeout: float | None = None) -> bool: ...
    def half_close(self) -> None: ...


AsyncRequests = Union[Iterable[Union[RequestT, Mapping[str, Any]]],
                      AsyncIterable[Union[RequestT, Mapping[str, Any]]]]
"""The requests of a client-streaming method: messages or mappings, from any iterable."""


class AsyncStub:
    """Calls of one service over a `framedrpc.aio.Client`; the base of every generated
    `<Service>AsyncStub`. Arguments and errors as `framedrpc.Stub`'s: `client`, and `metadata`
    sent with every call (a callable is read at the start of each call)."""

    def __init__(self, client: Client, *, metadata: DefaultMetadata = ()) -> None:
        self._client = client
        self._default_metadata = metadata

    async def _unary(self, method: MethodDescriptor[RequestT, ResponseT],
                     request: RequestT | Mapping[str, Any] | None, fields: Mapping[str, Any],
                     metadata: MetadataLike, timeout: float | None) -> ResponseT:
        message = build_request(method, request, fields)
        return await self._client.unary(method.path, message, method.response_type,
                                        metadata=self._metadata(metadata), timeout=timeout)

    def _server_streaming(self, method: MethodDescriptor[RequestT, ResponseT],
                          request: RequestT | Mapping[str, Any] | None,
                          fields: Mapping[str, Any], metadata: MetadataLike,
                          timeout: float | None) -> AsyncResponseStream[ResponseT]:
        message = build_request(method, request, fields)
        return self._client.server_streaming(method.path, message, method.response_type,
                                             metadata=self._metadata(metadata), timeout=timeout)

    async def _client_streaming(self, method: MethodDescriptor[RequestT, ResponseT],
                                requests: AsyncRequests[RequestT], metadata: MetadataLike,
                                timeout: float | None) -> ResponseT:
        return await self._client.client_streaming(
            method.path, _built(method, requests), method.response_type,
            metadata=self._metadata(metadata), timeout=timeout)

    def _bidi_streaming(self, method: MethodDescriptor[RequestT, ResponseT],
                        metadata: MetadataLike,
                        timeout: float | None) -> AsyncBidiStream[RequestT, ResponseT]:
        return self._client.bidi_streaming(method.path, method.response_type,
                                           metadata=self._metadata(metadata), timeout=timeout)

    def _metadata(self, call_metadata: MetadataLike) -> Metadata:
        return merge_metadata(self._default_metadata, call_metadata)


async def _built(method: MethodDescriptor[RequestT, Any],
                 requests: AsyncRequests[RequestT]) -> AsyncIterator[RequestT]:
    """The request messages of a client-streaming call, built as they are taken."""
    if isinstance(requests, AsyncIterable):
        async for request in requests:
            yield build_request(method, request, {})
    else:
        for request in requests:
            yield build_request(method, request, {})


__all__ = ["AsyncBidiStream", "AsyncRequests", "AsyncResponseStream", "AsyncStub"]
