"""The client side of server reflection (Proto/framedrpc/reflection/v1/reflection.proto).

A generic client such as the `framedrpc` CLI has no generated code for the server it talks to:
it asks the server which services it serves and for the proto files that define a symbol, and
builds message classes from those files at run time.

The module is not named `reflection` because `framedrpc.reflection` is the generated package
(`framedrpc.reflection.v1`), which a module of that name would hide.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from google.protobuf import descriptor_pool
from google.protobuf.descriptor_pb2 import FileDescriptorProto
from google.protobuf.message import DecodeError

from framedrpc.reflection.v1 import reflection_pb2
from framedrpc.reflection.v1.reflection_framedrpc import ServerReflectionStub

from .client import Client
from .metadata import MetadataLike
from .status import RpcError, StatusCode

REFLECTION_PACKAGE = reflection_pb2.DESCRIPTOR.package
"""framedrpc.reflection.v1: named in the error that says a server does not serve reflection."""


class ReflectionError(Exception):
    """The server could not answer a reflection question (the CLI prints the message).

    `code` is the status code of the server's error_response, or UNIMPLEMENTED when the
    server does not serve reflection at all.
    """

    def __init__(self, code: StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class ServerReflection:
    """One ServerReflectionInfo call, and what its answers taught: `pool` and `files`.

    The call opens on the first question and stays open for the next ones (the server answers
    each request in order); `close()` or a `with` block ends it. Not thread-safe: questions
    go one at a time because answers are matched to questions by their order.

    - `pool`: a fresh DescriptorPool holding every file received, each added after its imports.
    - `files`: each received file's FileDescriptorProto by path, with the comments the server
      sent (`describe` shows them).
    """

    def __init__(self, client: Client, *, metadata: MetadataLike = (),
                 timeout: float | None = None) -> None:
        """`metadata` goes with the reflection call (a proxy may need credentials);
        `timeout` (seconds) bounds the whole call, None for no deadline."""
        self._stub = ServerReflectionStub(client, metadata=metadata)
        self._timeout = timeout
        self._call: Any = None
        self.pool = descriptor_pool.DescriptorPool()
        self.files: dict[str, FileDescriptorProto] = {}

    def list_services(self) -> list[str]:
        """The fully qualified names of the services the server serves, sorted."""
        response = self._ask(list_services="")
        return sorted(service.name for service in response.list_services_response.service)

    def load_symbol(self, symbol: str) -> list[FileDescriptorProto]:
        """Adds the file defining `symbol` (a service, method, message, enum or field) and its
        imports to `pool`; returns the files of the answer in the server's order (FramedRPC
        servers send the defining file first).

        Raises ReflectionError (NOT_FOUND: "symbol not found: …") when the server knows no
        such symbol.
        """
        response = self._ask(file_containing_symbol=symbol.lstrip("."))
        return self._add_files(response.file_descriptor_response.file_descriptor_proto)

    def close(self) -> None:
        """Ends the call by cancelling it: nothing more will be asked, and waiting for the
        server's status would gain nothing. Idempotent; `files` and `pool` stay usable."""
        if self._call is not None:
            self._call.cancel()
            self._call = None

    def __enter__(self) -> ServerReflection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Internals

    def _ask(self, **question: Any) -> reflection_pb2.ServerReflectionResponse:
        """Sends one request and returns its answer; raises ReflectionError for an
        error_response, or when the server does not serve reflection."""
        if self._call is None:
            self._call = self._stub.server_reflection_info(timeout=self._timeout)
        request = reflection_pb2.ServerReflectionRequest(**question)
        try:
            self._call.send(request)
            response = self._call.recv()
        except RpcError as error:
            if error.code == StatusCode.UNIMPLEMENTED:
                raise ReflectionError(StatusCode.UNIMPLEMENTED, (
                    f"the server does not serve reflection ({REFLECTION_PACKAGE}); start it "
                    "with --reflection")) from error
            raise
        if response is None:
            raise ReflectionError(StatusCode.INTERNAL, "the server ended the reflection call "
                                  "without answering")
        if response.WhichOneof("message_response") == "error_response":
            raise _error(request, response.error_response)
        answer: reflection_pb2.ServerReflectionResponse = response
        return answer

    def _add_files(self, serialized: Iterable[bytes]) -> list[FileDescriptorProto]:
        """Adds the files of one answer; returns them in the order they came."""
        received: dict[str, tuple[FileDescriptorProto, bytes]] = {}
        for data in serialized:
            file = _parse_file(data)
            received[file.name] = (file, data)
        answer = [file for file, _ in received.values()]
        for file in answer:
            self._add_file(file.name, received, adding=set())
        return answer

    def _add_file(self, name: str, received: dict[str, tuple[FileDescriptorProto, bytes]],
                  adding: set[str]) -> None:
        """Adds `name` after its imports; an import the server did not send is asked for."""
        if name in self.files:
            return
        if name in adding:
            raise ReflectionError(StatusCode.INTERNAL, f"the server's proto files import each "
                                  f"other in a cycle through {name}")
        adding.add(name)
        if name not in received:
            response = self._ask(file_by_filename=name)
            for data in response.file_descriptor_response.file_descriptor_proto:
                file = _parse_file(data)
                received.setdefault(file.name, (file, data))
            if name not in received:
                raise ReflectionError(StatusCode.NOT_FOUND, f"the server did not send {name}")
        file, data = received[name]
        for dependency in file.dependency:
            self._add_file(dependency, received, adding)
        try:
            self.pool.AddSerializedFile(data)  # type: ignore[no-untyped-call]
        except (TypeError, ValueError) as error:  # what upb raises for a file that does not build
            raise ReflectionError(StatusCode.INTERNAL, f"the server's proto file {name} does "
                                  f"not build: {error}") from None
        self.files[name] = file


def _parse_file(data: bytes) -> FileDescriptorProto:
    try:
        return FileDescriptorProto.FromString(data)
    except DecodeError as error:
        raise ReflectionError(StatusCode.INTERNAL, "the server sent a proto file that is not "
                              f"a FileDescriptorProto: {error}") from None


def _error(request: reflection_pb2.ServerReflectionRequest,
           error: reflection_pb2.ErrorResponse) -> ReflectionError:
    code = StatusCode.from_wire(error.error_code)
    question = request.WhichOneof("message_request")
    if code == StatusCode.NOT_FOUND and question == "file_containing_symbol":
        return ReflectionError(code, f"symbol not found: {request.file_containing_symbol}")
    if code == StatusCode.NOT_FOUND and question == "file_by_filename":
        return ReflectionError(code, f"proto file not found: {request.file_by_filename}")
    return ReflectionError(code, f"the server could not answer {question}: {code.name}: "
                           f"{error.error_message}")
