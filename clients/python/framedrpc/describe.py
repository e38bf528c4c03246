"""Proto-like text for a service, method, message, enum or field, as `grpcurl describe` prints it.

Works on FileDescriptorProtos (what server reflection sends) rather than on a DescriptorPool's
descriptors, because only the file protos keep the source comments, which are found by each
element's path in the file (descriptor.proto's SourceCodeInfo.Location.path). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from google.protobuf.descriptor_pb2 import (
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    MethodDescriptorProto, ServiceDescriptorProto,
)

# Field numbers that make up SourceCodeInfo paths (see descriptor.proto).
_FILE_MESSAGE, _FILE_ENUM, _FILE_SERVICE = 4, 5, 6
_MESSAGE_FIELD, _MESSAGE_NESTED, _MESSAGE_ENUM = 2, 3, 4
_ENUM_VALUE = 2
_SERVICE_METHOD = 2

INDENT = "  "


@dataclass(frozen=True)
class Element:
    """One definition found in a file: its kind ("service", "method", "message", "enum",
    "field"), its descriptor proto, its SourceCodeInfo path, and for a field its message."""

    kind: str
    proto: Any
    path: tuple[int, ...]
    parent: DescriptorProto | None = None


def describe(files: Iterable[FileDescriptorProto], symbol: str) -> str | None:
    """"<symbol> is a <kind>:" and its definition with comments; None when no file defines it."""
    symbol = symbol.lstrip(".")
    for file in files:
        element = find(file, symbol)
        if element is not None:
            body = _Renderer(file).render(element)
            article = "an" if element.kind == "enum" else "a"
            return f"{symbol} is {article} {element.kind}:\n{body}"
    return None


def find(file: FileDescriptorProto, symbol: str) -> Element | None:
    """The definition of the fully qualified `symbol` in `file`, or None."""
    scope = f"{file.package}." if file.package else ""
    if not symbol.startswith(scope):
        return None
    name = symbol[len(scope):]
    for index, service in enumerate(file.service):
        path = (_FILE_SERVICE, index)
        if name == service.name:
            return Element("service", service, path)
        for method_index, method in enumerate(service.method):
            if name == f"{service.name}.{method.name}":
                return Element("method", method, (*path, _SERVICE_METHOD, method_index))
    for index, enum in enumerate(file.enum_type):
        if name == enum.name:
            return Element("enum", enum, (_FILE_ENUM, index))
    for index, message in enumerate(file.message_type):
        found = _find_in_message(message, (_FILE_MESSAGE, index), message.name, name)
        if found is not None:
            return found
    return None


def _find_in_message(message: DescriptorProto, path: tuple[int, ...], qualified: str,
                     name: str) -> Element | None:
    if name == qualified:
        return Element("message", message, path)
    if not name.startswith(qualified + "."):
        return None
    for index, field in enumerate(message.field):
        if name == f"{qualified}.{field.name}":
            return Element("field", field, (*path, _MESSAGE_FIELD, index), message)
    for index, enum in enumerate(message.enum_type):
        if name == f"{qualified}.{enum.name}":
            return Element("enum", enum, (*path, _MESSAGE_ENUM, index))
    for index, nested in enumerate(message.nested_type):
        found = _find_in_message(nested, (*path, _MESSAGE_NESTED, index),
                                 f"{qualified}.{nested.name}", name)
        if found is not None:
            return found
    return None


class _Renderer:
    """Renders the elements of one file, with the leading comments of its SourceCodeInfo.

    Every method returns finished lines: indented, each element after its comment.
    """

    def __init__(self, file: FileDescriptorProto) -> None:
        locations = file.source_code_info.location
        self._comments = {tuple(location.path): location.leading_comments
                          for location in locations if location.leading_comments}
        self._trailing = {tuple(location.path): location.trailing_comments.rstrip()
                          for location in locations
                          if location.trailing_comments.strip()
                          and "\n" not in location.trailing_comments.strip()}
        self._proto2 = file.syntax in ("", "proto2")

    def render(self, element: Element) -> str:
        if element.kind == "service":
            lines = self._service(element.proto, element.path)
        elif element.kind == "message":
            lines = self._message(element.proto, element.path, "")
        elif element.kind == "enum":
            lines = self._enum(element.proto, element.path, "")
        elif element.kind == "method":
            lines = self._line(element.path, "", method_line(element.proto))
        else:
            lines = self._line(element.path, "", self._field(element.proto, element.parent))
        return "\n".join(lines)

    def _service(self, service: ServiceDescriptorProto, path: tuple[int, ...]) -> list[str]:
        body = []
        for index, method in enumerate(service.method):
            body += self._line((*path, _SERVICE_METHOD, index), INDENT, method_line(method))
        return self._block(path, "", f"service {service.name}", body)

    def _message(self, message: DescriptorProto, path: tuple[int, ...],
                 indent: str) -> list[str]:
        inner = indent + INDENT
        body: list[str] = []
        oneofs_written: set[int] = set()
        for index, field in enumerate(message.field):
            if field.HasField("oneof_index") and not field.proto3_optional:
                if field.oneof_index not in oneofs_written:  # the oneof goes at its first field
                    oneofs_written.add(field.oneof_index)
                    body += self._oneof(message, field.oneof_index, path, inner)
                continue
            body += self._line((*path, _MESSAGE_FIELD, index), inner,
                               self._field(field, message))
        for index, nested in enumerate(message.nested_type):
            if not nested.options.map_entry:  # map entries show as map<K, V> fields
                body += self._message(nested, (*path, _MESSAGE_NESTED, index), inner)
        for index, enum in enumerate(message.enum_type):
            body += self._enum(enum, (*path, _MESSAGE_ENUM, index), inner)
        return self._block(path, indent, f"message {message.name}", body)

    def _oneof(self, message: DescriptorProto, oneof_index: int, path: tuple[int, ...],
               indent: str) -> list[str]:
        body = []
        for index, field in enumerate(message.field):
            if field.HasField("oneof_index") and field.oneof_index == oneof_index:
                body += self._line((*path, _MESSAGE_FIELD, index), indent + INDENT,
                                   self._field(field, message))
        return [f"{indent}oneof {message.oneof_decl[oneof_index].name} {{", *body, f"{indent}}}"]

    def _enum(self, enum: EnumDescriptorProto, path: tuple[int, ...], indent: str) -> list[str]:
        body = []
        for index, value in enumerate(enum.value):
            body += self._line((*path, _ENUM_VALUE, index), indent + INDENT,
                               f"{value.name} = {value.number};")
        return self._block(path, indent, f"enum {enum.name}", body)

    def _field(self, field: FieldDescriptorProto, message: DescriptorProto | None) -> str:
        entry = _map_entry(field, message)
        if entry is not None:
            key, value = entry.field
            return f"map<{_type(key)}, {_type(value)}> {field.name} = {field.number};"
        label = ""
        if field.label == FieldDescriptorProto.LABEL_REPEATED:
            label = "repeated "
        elif field.label == FieldDescriptorProto.LABEL_REQUIRED:
            label = "required "
        elif field.proto3_optional or (self._proto2 and not field.HasField("oneof_index")):
            label = "optional "
        return f"{label}{_type(field)} {field.name} = {field.number};"

    def _block(self, path: tuple[int, ...], indent: str, header: str,
               body: list[str]) -> list[str]:
        return [*self._comment(path, indent), f"{indent}{header} {{", *body, f"{indent}}}"]

    def _line(self, path: tuple[int, ...], indent: str, text: str) -> list[str]:
        """One line after its leading comment, followed by its trailing comment when that
        fits on the line (as `int32 x = 1;  // why` in the .proto)."""
        trailing = self._trailing.get(path)
        line = f"{indent}{text} //{trailing}" if trailing else indent + text
        return [*self._comment(path, indent), line]

    def _comment(self, path: tuple[int, ...], indent: str) -> list[str]:
        """The element's leading comment as `//` lines (protoc keeps the space after `//`)."""
        comment = self._comments.get(path, "").rstrip("\n")
        return [f"{indent}//{line}".rstrip() for line in comment.split("\n")] if comment else []


def method_line(method: MethodDescriptorProto) -> str:
    """`rpc Name ( .pkg.Request ) returns ( stream .pkg.Response );`, as grpcurl writes it."""
    request = ("stream " if method.client_streaming else "") + method.input_type
    response = ("stream " if method.server_streaming else "") + method.output_type
    return f"rpc {method.name} ( {request} ) returns ( {response} );"


def _type(field: FieldDescriptorProto) -> str:
    """The field's type as written in a .proto: a scalar's name, or `.pkg.Message`."""
    if field.type_name:
        return field.type_name
    return FieldDescriptorProto.Type.Name(field.type).removeprefix("TYPE_").lower()


def _map_entry(field: FieldDescriptorProto, message: DescriptorProto | None) -> Any:
    """The map-entry message a repeated field stands for, or None when it is not a map."""
    if message is None or field.label != FieldDescriptorProto.LABEL_REPEATED \
            or field.type != FieldDescriptorProto.TYPE_MESSAGE:
        return None
    entry_name = field.type_name.rsplit(".", 1)[-1]
    for nested in message.nested_type:
        if nested.name == entry_name and nested.options.map_entry:
            return nested
    return None
