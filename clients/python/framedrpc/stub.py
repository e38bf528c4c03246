"""What generated service stubs stand on: method descriptors, request building, default metadata.

`protoc-gen-framedrpc-python` (clients/python/codegen/) writes one `<Service>Stub` class per
service, a subclass of `Stub` whose methods are one line each: they name a `MethodDescriptor`
and hand their arguments to `Stub`, which builds the request and makes the call on a `Client`.
The `<Service>AsyncStub` beside it does the same on `framedrpc.aio.AsyncStub`, which builds
requests and merges metadata with this module's `build_request` and `merge_metadata`.
`MethodDescriptor` carries the message classes as type parameters, so every generated method
is typed from request to response. Nothing here knows any particular service.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, Union

from google.protobuf.message import Message

from .client import Client
from .metadata import Metadata, MetadataLike
from .status import Status

RequestT = TypeVar("RequestT", bound=Message)
ResponseT = TypeVar("ResponseT", bound=Message)
RequestT_contra = TypeVar("RequestT_contra", contravariant=True)
ResponseT_co = TypeVar("ResponseT_co", covariant=True)

DefaultMetadata = Union[MetadataLike, Callable[[], MetadataLike]]
"""Metadata a stub sends with every call: fixed, or a callable read at the start of each call
(so that a value set later, such as a session token, is sent from then on)."""


class CallKind(enum.Enum):
    """How many messages each side of a method sends."""

    UNARY = "unary"
    SERVER_STREAMING = "server streaming"
    CLIENT_STREAMING = "client streaming"
    BIDI_STREAMING = "bidirectional streaming"


@dataclass(frozen=True)
class MethodDescriptor(Generic[RequestT, ResponseT]):
    """One method of a service: its path ("/package.Service/Method"), kind and message classes."""

    path: str
    kind: CallKind
    request_type: type[RequestT]
    response_type: type[ResponseT]


class ResponseStream(Protocol[ResponseT_co]):
    """The responses of a server-streaming call, as `Call` provides them (typed view).

    Iterating yields each response and raises RpcError if the call ends with a status other
    than OK; `cancel()` (or leaving a `with` block) abandons the call.
    """

    def __iter__(self) -> Iterator[ResponseT_co]: ...
    def recv(self, timeout: float | None = None) -> ResponseT_co | None: ...
    def cancel(self) -> bool: ...
    def initial_metadata(self, timeout: float | None = None) -> Metadata: ...
    def status(self, timeout: float | None = None) -> Status: ...
    def __enter__(self) -> ResponseStream[ResponseT_co]: ...
    def __exit__(self, *exc_info: object) -> None: ...


class BidiStream(ResponseStream[ResponseT_co], Protocol[RequestT_contra, ResponseT_co]):
    """A bidirectional call, as `Call` provides it: `send`, `half_close`, and the responses."""

    def send(self, message: RequestT_contra, timeout: float | None = None) -> bool: ...
    def half_close(self) -> None: ...


class Stub:
    """Calls of one service over a `Client`; the base of every generated `<Service>Stub`.

    - `client`: the `Client` (one connection) the calls run on; stubs on the same client share
      its connection. Thread-safe as the client is.
    - `metadata`: sent with every call (see `DefaultMetadata`). A call's own `metadata`
      replaces default entries with the same key and comes after the others.

    Generated methods raise RpcError when a call ends with a status other than OK, TypeError
    for a request that is neither the method's message nor its fields (protobuf's ValueError
    for an unknown field name or a bad value), and ValueError for invalid metadata.
    """

    def __init__(self, client: Client, *, metadata: DefaultMetadata = ()) -> None:
        self._client = client
        self._default_metadata = metadata

    def _unary(self, method: MethodDescriptor[RequestT, ResponseT],
               request: RequestT | Mapping[str, Any] | None, fields: Mapping[str, Any],
               metadata: MetadataLike, timeout: float | None) -> ResponseT:
        message = build_request(method, request, fields)
        return self._client.unary(method.path, message, method.response_type,
                                  metadata=self._metadata(metadata), timeout=timeout)

    def _server_streaming(self, method: MethodDescriptor[RequestT, ResponseT],
                          request: RequestT | Mapping[str, Any] | None,
                          fields: Mapping[str, Any], metadata: MetadataLike,
                          timeout: float | None) -> ResponseStream[ResponseT]:
        message = build_request(method, request, fields)
        return self._client.server_streaming(method.path, message, method.response_type,
                                             metadata=self._metadata(metadata), timeout=timeout)

    def _client_streaming(self, method: MethodDescriptor[RequestT, ResponseT],
                          requests: Iterable[RequestT | Mapping[str, Any]],
                          metadata: MetadataLike, timeout: float | None) -> ResponseT:
        messages = (build_request(method, request, {}) for request in requests)
        return self._client.client_streaming(method.path, messages, method.response_type,
                                             metadata=self._metadata(metadata), timeout=timeout)

    def _bidi_streaming(self, method: MethodDescriptor[RequestT, ResponseT],
                        metadata: MetadataLike,
                        timeout: float | None) -> BidiStream[RequestT, ResponseT]:
        return self._client.bidi_streaming(method.path, method.response_type,
                                           metadata=self._metadata(metadata), timeout=timeout)

    def _metadata(self, call_metadata: MetadataLike) -> Metadata:
        return merge_metadata(self._default_metadata, call_metadata)


def merge_metadata(defaults: DefaultMetadata, call_metadata: MetadataLike) -> Metadata:
    """A call's metadata: the stub's `defaults` (read now when callable), less the keys the call
    sets itself, then the call's own."""
    default = Metadata(defaults() if callable(defaults) else defaults)
    own = call_metadata if isinstance(call_metadata, Metadata) else Metadata(call_metadata)
    if not default:
        return own
    replaced = {key for key, _ in own}
    return Metadata([*(entry for entry in default if entry[0] not in replaced), *own])


def build_request(method: MethodDescriptor[RequestT, Any],
                  request: RequestT | Mapping[str, Any] | None,
                  fields: Mapping[str, Any]) -> RequestT:
    """The request message for `method` from a message, a mapping of fields, or keyword fields.

    Nested messages may be given as mappings and enums by name, as protobuf constructors
    allow. Raises TypeError for anything else, or for a message combined with keyword fields.
    """
    request_type = method.request_type
    if isinstance(request, request_type):
        if fields:
            raise TypeError(f"{method.path}: pass either a {_name(request_type)} or keyword "
                            f"fields, not both (got fields {sorted(fields)})")
        return request
    if request is None:
        return request_type(**fields)
    if isinstance(request, Mapping):
        return request_type(**{**request, **fields})
    raise TypeError(f"{method.path} takes a {_name(request_type)}, a mapping of its fields or "
                    f"keyword fields, got {type(request).__name__}")


def _name(message_type: type[Message]) -> str:
    name: str = message_type.DESCRIPTOR.full_name
    return name


__all__ = ["BidiStream", "CallKind", "DefaultMetadata", "MethodDescriptor", "ResponseStream",
           "Stub", "build_request", "merge_metadata"]
