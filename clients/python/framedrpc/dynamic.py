"""Calls to a method known only from descriptors learnt at run time (server reflection).

Builds a `MethodDescriptor` (the one generated stubs use) from a DescriptorPool, with message
classes made by `message_factory`, and converts its messages from and to protobuf's JSON
mapping, so that the `framedrpc` CLI can call any method without generated code.
"""

from __future__ import annotations

import json
import re
from typing import Any

from google.protobuf import descriptor_pool, json_format, message_factory
from google.protobuf.descriptor_pb2 import MethodDescriptorProto
from google.protobuf.message import Message

from .stub import CallKind, MethodDescriptor

_SERVICE_NAME = re.compile(r"\w+(\.\w+)*")
_METHOD_NAME = re.compile(r"\w+")


def split_method_name(name: str) -> tuple[str, str]:
    """("pkg.Service", "Method") from "/pkg.Service/Method", "pkg.Service/Method" or
    "pkg.Service.Method"; raises ValueError for anything else."""
    path = name[1:] if name.startswith("/") else name
    separator = "/" if "/" in path else "."
    service, _, method = path.rpartition(separator)
    if not _SERVICE_NAME.fullmatch(service) or not _METHOD_NAME.fullmatch(method):
        raise ValueError(f"{name!r} is not a method: write /package.Service/Method")
    return service, method


def find_method(pool: descriptor_pool.DescriptorPool, service: str,
                method: str) -> MethodDescriptor[Any, Any]:
    """The method `service`/`method` of `pool`, with message classes for its request and
    response; raises LookupError saying which of the two the pool does not know."""
    try:
        service_descriptor = pool.FindServiceByName(service)  # type: ignore[no-untyped-call]
    except KeyError:
        raise LookupError(f"{service} is not a service") from None
    method_descriptor = service_descriptor.methods_by_name.get(method)
    if method_descriptor is None:
        raise LookupError(f"service {service} has no method {method}")
    kinds = {(False, False): CallKind.UNARY, (False, True): CallKind.SERVER_STREAMING,
             (True, False): CallKind.CLIENT_STREAMING, (True, True): CallKind.BIDI_STREAMING}
    return MethodDescriptor(
        path=f"/{service}/{method}",
        kind=kinds[_streaming(method_descriptor)],
        request_type=message_class(method_descriptor.input_type),
        response_type=message_class(method_descriptor.output_type),
    )


def message_class(descriptor: Any) -> type[Message]:
    """The message class of a pool's message descriptor.

    protobuf 4.21 (pinned) has `MessageFactory.GetPrototype`; later releases replace it with
    `message_factory.GetMessageClass`, used when present.
    """
    get_message_class = getattr(message_factory, "GetMessageClass", None)
    if get_message_class is not None:
        found: type[Message] = get_message_class(descriptor)
        return found
    return message_factory.MessageFactory(descriptor.file.pool).GetPrototype(descriptor)


def parse_json(text: str, message_type: type[Message]) -> Any:
    """A `message_type` message from its JSON mapping (field names in lowerCamelCase or as in
    the .proto); raises ValueError saying what does not fit."""
    try:
        return json_format.Parse(text, message_type(),
                                 descriptor_pool=message_type.DESCRIPTOR.file.pool)
    except json_format.ParseError as error:
        raise ValueError(f"not a {message_type.DESCRIPTOR.full_name}: {error}") from None


def to_json(message: Any) -> str:
    """The message as one line of JSON: protobuf's JSON mapping (lowerCamelCase names, enums by
    name, bytes in base64, fields with default values left out)."""
    fields = json_format.MessageToDict(message,
                                       descriptor_pool=message.DESCRIPTOR.file.pool)
    return json.dumps(fields, ensure_ascii=False)


def _streaming(method: Any) -> tuple[bool, bool]:
    """(client_streaming, server_streaming) of a method descriptor. The pure-Python protobuf and
    upb from 4.22 on have the attributes; upb 4.21 keeps the flags only in the
    MethodDescriptorProto, which the pure-Python one cannot make for a descriptor built in a
    pool (it keeps no serialization)."""
    if hasattr(method, "client_streaming"):
        return bool(method.client_streaming), bool(method.server_streaming)
    proto = MethodDescriptorProto()
    method.CopyToProto(proto)
    return proto.client_streaming, proto.server_streaming
