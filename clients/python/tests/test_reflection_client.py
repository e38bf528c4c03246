"""ServerReflection (framedrpc/reflection_client.py) against a scripted server: what it asks on
its one call, the DescriptorPool it builds from the files it is sent (imports first, a missing
import asked for), and how error answers and a server without reflection are reported."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from framedrpc import Client, StatusCode
from framedrpc.framing import FrameType
from framedrpc.reflection.v1 import reflection_pb2
from framedrpc.reflection_client import ReflectionError, ServerReflection
from framedrpc.testing import empty_pb2, messages_pb2, test_pb2
from framedrpc.v1 import wire_pb2
from scripted_server import WAIT, ScriptedServer

METHOD = "/framedrpc.reflection.v1.ServerReflection/ServerReflectionInfo"
STREAM = 1  # the reflection call is the connection's first
EMPTY, MESSAGES, TEST = (module.DESCRIPTOR for module in (empty_pb2, messages_pb2, test_pb2))


@pytest.fixture
def reflection(pair):
    """(ServerReflection, ScriptedServer, run): `run(f, ...)` calls f on a thread (it blocks
    until the scripted server answers) and returns a Future."""
    connection, server = pair
    with ThreadPoolExecutor(max_workers=1) as executor, \
            ServerReflection(Client(connection), metadata={"x-key": "v"}) as reflection:
        yield reflection, server, executor.submit


def next_question(server: ScriptedServer) -> reflection_pb2.ServerReflectionRequest:
    frame = server.read_frame()
    if frame.type == FrameType.HEADERS:  # the first question opens the call
        frame = server.read_frame()
    assert (frame.type, frame.stream_id) == (FrameType.MESSAGE, STREAM)
    return reflection_pb2.ServerReflectionRequest.FromString(frame.payload)


def answer(server: ScriptedServer, **response) -> None:
    message = reflection_pb2.ServerReflectionResponse(**response)
    server.reply_message(STREAM, message.SerializeToString())


def files(*descriptors) -> dict:
    return {"file_descriptor_response": reflection_pb2.FileDescriptorResponse(
        file_descriptor_proto=[d.serialized_pb for d in descriptors])}


def test_list_services_asks_on_the_reflection_method_and_sorts(reflection):
    client, server, run = reflection
    names = run(client.list_services)
    headers = server.read_frame()
    assert headers.type == FrameType.HEADERS
    call_headers = wire_pb2.CallHeaders.FromString(headers.payload)
    assert call_headers.method == METHOD
    assert [(e.key, e.text) for e in call_headers.metadata] == [("x-key", "v")]
    assert next_question(server).WhichOneof("message_request") == "list_services"
    answer(server, list_services_response=reflection_pb2.ListServiceResponse(service=[
        reflection_pb2.ServiceResponse(name=name) for name in ("b.Second", "a.First")]))
    assert names.result(WAIT) == ["a.First", "b.Second"]


def test_files_are_added_after_their_imports_whatever_order_they_come_in(reflection):
    client, server, run = reflection
    loaded = run(client.load_symbol, ".framedrpc.testing.TestService")
    assert next_question(server).file_containing_symbol == "framedrpc.testing.TestService"
    answer(server, **files(TEST, MESSAGES, EMPTY))
    assert [f.name for f in loaded.result(WAIT)] == [TEST.name, MESSAGES.name, EMPTY.name]
    service = client.pool.FindServiceByName("framedrpc.testing.TestService")
    assert service.methods_by_name["UnaryCall"].input_type.full_name == \
        "framedrpc.testing.SimpleRequest"
    assert set(client.files) == {TEST.name, MESSAGES.name, EMPTY.name}

    again = run(client.load_symbol, "framedrpc.testing.SimpleRequest")  # on the same call
    next_question(server)
    answer(server, **files(MESSAGES))
    assert [f.name for f in again.result(WAIT)] == [MESSAGES.name]


def test_an_import_the_server_did_not_send_is_asked_for_by_file_name(reflection):
    client, server, run = reflection
    loaded = run(client.load_symbol, "framedrpc.testing.TestService")
    next_question(server)
    answer(server, **files(TEST, MESSAGES))
    assert next_question(server).file_by_filename == EMPTY.name
    answer(server, **files(EMPTY))
    loaded.result(WAIT)
    assert client.pool.FindMessageTypeByName("framedrpc.testing.Empty")


def test_an_unknown_symbol_is_named_and_the_call_goes_on(reflection):
    client, server, run = reflection
    missing = run(client.load_symbol, "no.such.Symbol")
    next_question(server)
    answer(server, error_response=reflection_pb2.ErrorResponse(
        error_code=StatusCode.NOT_FOUND, error_message='no symbol "no.such.Symbol"'))
    with pytest.raises(ReflectionError, match="^symbol not found: no.such.Symbol$") as error:
        missing.result(WAIT)
    assert error.value.code == StatusCode.NOT_FOUND

    names = run(client.list_services)
    next_question(server)
    answer(server, list_services_response=reflection_pb2.ListServiceResponse())
    assert names.result(WAIT) == []


def test_a_server_without_reflection_is_told_to_start_with_the_flag(reflection):
    client, server, run = reflection
    names = run(client.list_services)
    next_question(server)
    server.reply_status(STREAM, code=StatusCode.UNIMPLEMENTED, message=f"unknown method {METHOD}")
    with pytest.raises(ReflectionError) as error:
        names.result(WAIT)
    assert str(error.value) == ("the server does not serve reflection (framedrpc.reflection.v1)"
                                "; start it with --reflection")
    assert error.value.code == StatusCode.UNIMPLEMENTED
