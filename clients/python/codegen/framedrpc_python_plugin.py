"""The protoc plugin that writes typed FramedRPC stubs for Python.

For every .proto that defines a service, `<name>_framedrpc.py` next to protoc's
`<name>_pb2.py` (cardex/v1/share.proto -> cardex/v1/share_framedrpc.py) holding, per service:

- a `MethodDescriptor` per method: path "/package.Service/Method", call kind, message classes;
- `<Service>Stub(client, metadata=...)`, a `framedrpc.Stub` with one snake_case method per
  rpc (ShareCard -> share_card), its proto comment as docstring:
  - unary: `(request=None, /, *, metadata=(), timeout=None, **fields) -> Response`
  - server streaming: same arguments `-> ResponseStream[Response]` (iterate it)
  - client streaming: `(requests, /, *, metadata=(), timeout=None) -> Response`
  - bidirectional: `(*, metadata=(), timeout=None) -> BidiStream[Request, Response]`
- `<Service>AsyncStub(client, metadata=...)`, a `framedrpc.aio.AsyncStub` on a
  `framedrpc.aio.Client` with the same methods: unary and client streaming are coroutines
  (`await`; client streaming also takes an async iterable), server streaming returns an
  `AsyncResponseStream[Response]` and bidirectional an `AsyncBidiStream[Request, Response]`
  (`async with`, `async for`).

Every signature is complete (mypy --strict checks the generated modules and their callers).

A request is a message, a mapping of its fields, or its fields as keywords. A request field
named `metadata` or `timeout` is taken by the call option of that name, so such a request must
be passed as a message or a mapping.

Output depends only on the CodeGeneratorRequest: the same protos give byte-identical files.
Run by protoc through `protoc-gen-framedrpc-python` (see scripts/generate.sh).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterator
from dataclasses import dataclass

from google.protobuf import descriptor_pb2
from google.protobuf.compiler import plugin_pb2

OUTPUT_SUFFIX = "_framedrpc.py"
MAX_LINE = 100
"""Generated code wraps a call past this many characters (proto comments are kept as written)."""

# Field numbers in descriptor.proto, for SourceCodeInfo paths.
_FILE_SERVICE = 6
_SERVICE_METHOD = 2

_KIND = {
    (False, False): "UNARY",
    (False, True): "SERVER_STREAMING",
    (True, False): "CLIENT_STREAMING",
    (True, True): "BIDI_STREAMING",
}


@dataclass(frozen=True)
class PythonType:
    """Where protoc's Python output puts a message class."""

    module: str  # "cardex.v1.share_pb2"
    path: str    # "ShareCardRequest", or "Outer.Inner" for a nested message


def generate(request: plugin_pb2.CodeGeneratorRequest) -> plugin_pb2.CodeGeneratorResponse:
    """Files for every file to generate that defines a service; errors go in `response.error`."""
    response = plugin_pb2.CodeGeneratorResponse()
    response.supported_features = plugin_pb2.CodeGeneratorResponse.FEATURE_PROTO3_OPTIONAL
    types = dict(_index_types(request.proto_file))
    files = {proto.name: proto for proto in request.proto_file}
    try:
        for name in request.file_to_generate:
            proto = files[name]
            if proto.service:
                output = response.file.add()
                output.name = output_name(proto.name)
                output.content = render_file(proto, types)
    except CodegenError as error:
        response.error = str(error)
    return response


class CodegenError(Exception):
    """A proto the plugin cannot write stubs for; protoc reports the message."""


def output_name(proto_name: str) -> str:
    """cardex/v1/share.proto -> cardex/v1/share_framedrpc.py (protoc's own `_pb2` naming)."""
    return re.sub(r"\.proto$", "", proto_name) + OUTPUT_SUFFIX


def pb2_module(proto_name: str) -> str:
    """cardex/v1/share.proto -> cardex.v1.share_pb2, where protoc's --python_out puts it."""
    return re.sub(r"\.proto$", "", proto_name).replace("-", "_").replace("/", ".") + "_pb2"


def snake_case(name: str) -> str:
    """ShareCard -> share_card, GetURL -> get_url; a Python keyword gets a trailing "_"."""
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()
    return snake + "_" if keyword.iskeyword(snake) else snake


def render_file(proto: descriptor_pb2.FileDescriptorProto,
                types: dict[str, PythonType]) -> str:
    """The source of `<name>_framedrpc.py` for one proto with services."""
    comments = _comments(proto)
    type_names = {name for service in proto.service for method in service.method
                  for name in (method.input_type, method.output_type)}
    missing = sorted(name for name in type_names if name not in types)
    if missing:
        raise CodegenError(f"{proto.name}: no message definition for {', '.join(missing)}")
    aliases = _aliases(sorted({types[name].module for name in type_names}))

    def ref(type_name: str) -> str:
        python_type = types[type_name]
        return f"{aliases[python_type.module]}.{python_type.path}"

    methods = [method for service in proto.service for method in service.method]
    shapes = {(m.client_streaming, m.server_streaming) for m in methods}
    sync_runtime = {"CallKind", "MethodDescriptor", "Stub"}
    async_runtime = {"AsyncStub"}
    if (True, True) in shapes:
        sync_runtime.add("BidiStream")
        async_runtime.add("AsyncBidiStream")
    if (False, True) in shapes:
        sync_runtime.add("ResponseStream")
        async_runtime.add("AsyncResponseStream")
    if (True, False) in shapes:
        async_runtime.add("AsyncRequests")
    lines = [
        f"# Generated by protoc-gen-framedrpc-python from {proto.name}. DO NOT EDIT.",
        f'"""Typed FramedRPC stubs for the services of {proto.name}, threaded and asyncio."""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import "
        + ("Iterable, Mapping" if (True, False) in shapes else "Mapping"),
        "from typing import Any",
        "",
        f"from framedrpc.aio.stub import {', '.join(sorted(async_runtime))}",
        "from framedrpc.metadata import MetadataLike",
        f"from framedrpc.stub import {', '.join(sorted(sync_runtime))}",
        "",
    ]
    for module in sorted(aliases):
        package, _, name = module.rpartition(".")
        alias = aliases[module]
        suffix = "" if alias == name else f" as {alias}"
        lines.append(f"from {package} import {name}{suffix}" if package
                     else f"import {name}{suffix}")
    stubs = []
    for s_index, service in enumerate(proto.service):
        lines += ["", ""]
        lines += _render_service(proto, service, s_index, comments, ref)
        stubs += [f"{service.name}Stub", f"{service.name}AsyncStub"]
    lines += ["", "", "__all__ = [" + ", ".join(f'"{name}"' for name in stubs) + "]", ""]
    return "\n".join(lines)


def _render_service(proto, service, s_index, comments, ref) -> list[str]:
    full_name = f"{proto.package}.{service.name}" if proto.package else service.name
    prefix = "_" + snake_case(service.name).upper()
    lines = []
    constants = []
    for method in service.method:
        constant = f"{prefix}_{snake_case(method.name).rstrip('_').upper()}"
        constants.append(constant)
        kind = _KIND[(method.client_streaming, method.server_streaming)]
        lines += [
            f"{constant} = MethodDescriptor(",
            f'    "/{full_name}/{method.name}", CallKind.{kind},',
            f"    {ref(method.input_type)}, {ref(method.output_type)})",
        ]
    names: list[str] = []
    for method in service.method:
        name = snake_case(method.name)
        if name in names:
            raise CodegenError(f"{proto.name}: {service.name} has two methods named "
                               f"{name!r} in snake_case")
        names.append(name)
    doc = comments.get((_FILE_SERVICE, s_index)) or f"The {service.name} service."
    for asynchronous in (False, True):
        stub = f"{service.name}{'AsyncStub' if asynchronous else 'Stub'}"
        base = "AsyncStub" if asynchronous else "Stub"
        client = "framedrpc.aio.Client" if asynchronous else "framedrpc.Client"
        lines += ["", "", f"class {stub}({base}):"]
        lines += _docstring(f"{doc}\n\nCalls `{full_name}` over a `{client}`. See\n"
                            f"`{client.rpartition('.')[0]}.{base}` for the arguments and errors "
                            "every method shares.", indent=4)
        lines += ["", f'    SERVICE = "{full_name}"', "    METHODS = ("]
        lines += [f"        {constant}," for constant in constants]
        lines += ["    )"]
        for m_index, method in enumerate(service.method):
            comment = comments.get((_FILE_SERVICE, s_index, _SERVICE_METHOD, m_index), "")
            lines.append("")
            lines += _render_method(names[m_index], method, constants[m_index], comment, ref,
                                    asynchronous)
    return lines


_HOW = {
    (False, False): "Unary.",
    (False, True): ("Server streaming: iterate the returned stream for the responses; leaving\n"
                    "a `with` block or `cancel()` ends the call."),
    (True, False): ("Client streaming: sends every request of `requests` (messages or mappings\n"
                    "of fields), then returns the one response."),
    (True, True): ("Bidirectional streaming: `send` requests, `half_close`, and iterate the\n"
                   "responses (or `recv`)."),
}
_ASYNC_HOW = {
    (False, False): "Unary, awaited.",
    (False, True): ("Server streaming: `async for` over the returned stream for the responses;\n"
                    "leaving an `async with` block or `cancel()` ends the call."),
    (True, False): ("Client streaming, awaited: sends every request of `requests` (messages or\n"
                    "mappings of fields, from an iterable or an async iterable), then returns\n"
                    "the one response."),
    (True, True): ("Bidirectional streaming: `await send(...)` requests, `half_close()`, and\n"
                   "`async for` over the responses (or `await recv()`)."),
}


def _render_method(name, method, constant, comment, ref, asynchronous) -> list[str]:
    request, response = ref(method.input_type), ref(method.output_type)
    shape = (method.client_streaming, method.server_streaming)
    options = [
        "        metadata: MetadataLike = (),",
        "        timeout: float | None = None,",
    ]
    stream = "Async" if asynchronous else ""
    if shape == (True, True):
        signature = ["        *,", *options]
        returns = f"{stream}BidiStream[{request}, {response}]"
        body = f"return self._bidi_streaming({constant}, metadata, timeout)"
    elif shape == (True, False):
        requests = (f"AsyncRequests[{request}]" if asynchronous
                    else f"Iterable[{request} | Mapping[str, Any]]")
        signature = [f"        requests: {requests},", "        /,", "        *,", *options]
        returns = response
        body = f"return self._client_streaming({constant}, requests, metadata, timeout)"
    else:
        signature = [f"        request: {request} | Mapping[str, Any] | None = None,",
                     "        /,", "        *,", *options, "        **fields: Any,"]
        call = "_server_streaming" if method.server_streaming else "_unary"
        returns = f"{stream}ResponseStream[{response}]" if method.server_streaming else response
        body = f"return self.{call}({constant}, request, fields, metadata, timeout)"
    awaited = asynchronous and not method.server_streaming  # unary and client streaming
    how = (_ASYNC_HOW if asynchronous else _HOW)[shape]
    if not method.client_streaming:
        how += "\nThe request is a message, a mapping of its fields, or its fields as keywords."
    if awaited:
        body = body.replace("return self.", "return await self.")
    lines = [f"    {'async def' if awaited else 'def'} {name}(", "        self,", *signature,
             f"    ) -> {returns}:"]
    doc = f"{comment}\n\n{how}" if comment else how
    lines += _docstring(doc, indent=8)
    call, _, arguments = body.partition("(")
    if len(body) + 8 <= MAX_LINE:
        lines.append(f"        {body}")
    else:
        lines += [f"        {call}(", f"            {arguments}"]
    return lines


def _docstring(text: str, indent: int) -> list[str]:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    pad = " " * indent
    body = text.strip("\n").split("\n")
    if len(body) == 1:
        return [f'{pad}"""{body[0]}"""']
    return ([f'{pad}"""{body[0]}'] + [f"{pad}{line}".rstrip() for line in body[1:]]
            + [f'{pad}"""'])


def _comments(proto: descriptor_pb2.FileDescriptorProto) -> dict[tuple[int, ...], str]:
    """Leading comments by SourceCodeInfo path, one leading space per line removed."""
    comments = {}
    for location in proto.source_code_info.location:
        if location.leading_comments:
            lines = location.leading_comments.rstrip("\n").split("\n")
            comments[tuple(location.path)] = "\n".join(
                line[1:] if line.startswith(" ") else line for line in lines).strip("\n")
    return comments


def _aliases(modules: list[str]) -> dict[str, str]:
    """Import names: the module's own name (share_pb2), or its dotted path with "_" where two
    modules share a name."""
    names = [module.rpartition(".")[2] for module in modules]
    return {module: name if names.count(name) == 1 else module.replace(".", "_")
            for module, name in zip(modules, names)}


def _index_types(files) -> Iterator[tuple[str, PythonType]]:
    """(".package.Message", PythonType) for every message, nested ones too."""
    for proto in files:
        module = pb2_module(proto.name)
        prefix = f".{proto.package}" if proto.package else ""
        stack = [(message, message.name) for message in proto.message_type]
        while stack:
            message, path = stack.pop()
            yield f"{prefix}.{path}", PythonType(module, path)
            stack += [(nested, f"{path}.{nested.name}") for nested in message.nested_type]
