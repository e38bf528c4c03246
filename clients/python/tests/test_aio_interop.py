"""The asyncio client (`framedrpc.aio`) against the Swift `framedrpc-interop` server over TLS:
gRPC's interop cases through the generated `TestServiceAsyncStub` and the raw `Client`, every
call kind, error statuses, deadlines, cancellation (of the call, and of the task awaiting it),
and a clean close. The cases and parameters are test_interop.py's, shared from there.

Each test runs its own event loop (`asyncio.run`) and connection; the server starts once per
session (conftest.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest

from conftest import ServerAddress
from framedrpc import RpcError, StatusCode, TlsConfig
from framedrpc.aio import Client, Connection
from framedrpc.testing import empty_pb2, messages_pb2
from framedrpc.testing import test_framedrpc
from repo_paths import CERTIFICATES
from test_interop import (
    CLIENT_STREAMING_SIZES, ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE, ECHO_METADATA,
    ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE, LARGE_REQUEST_SIZE, LARGE_RESPONSE_SIZE, SERVICE,
    SERVER_STREAMING_SIZES, SPECIAL_STATUS_MESSAGE, TIMEOUT, large_unary_request, payload,
    streaming_request,
)

T = TypeVar("T")

# Renamed: pytest would take a class named Test* in this module for a test class.
InteropStub = test_framedrpc.TestServiceAsyncStub
UnimplementedStub = test_framedrpc.UnimplementedServiceAsyncStub


def run(test: Callable[[Connection], Awaitable[T]], server: ServerAddress) -> T:
    """Runs `test` on a fresh event loop with a TLS connection to `server`, closed after."""
    async def connected() -> T:
        tls = TlsConfig(cafile=str(CERTIFICATES / "ca.pem"))
        async with await Connection.connect(server.host, server.port, tls=tls) as connection:
            return await asyncio.wait_for(test(connection), 2 * TIMEOUT)  # never hangs

    return asyncio.run(connected())


async def expect_error(code: StatusCode, awaitable: Awaitable[Any]) -> RpcError:
    with pytest.raises(RpcError) as error:
        await awaitable
    assert error.value.code == code, error.value
    return error.value


@pytest.fixture
def server(interop_server: ServerAddress) -> ServerAddress:
    return interop_server


def test_empty_unary(server):
    async def test(connection: Connection) -> None:
        stub = InteropStub(Client(connection))
        assert await stub.empty_call(timeout=TIMEOUT) == empty_pb2.Empty()
    run(test, server)


def test_large_unary(server):
    async def test(connection: Connection) -> None:
        response = await InteropStub(Client(connection)).unary_call(
            large_unary_request(), timeout=TIMEOUT)
        assert response.payload.body == bytes(LARGE_RESPONSE_SIZE)
    run(test, server)


def test_client_streaming_from_an_async_generator_and_from_a_list(server):
    async def requests() -> AsyncIterator[messages_pb2.StreamingInputCallRequest]:
        for size in CLIENT_STREAMING_SIZES:
            await asyncio.sleep(0)
            yield messages_pb2.StreamingInputCallRequest(payload=payload(size))

    async def test(connection: Connection) -> None:
        stub = InteropStub(Client(connection))
        response = await stub.streaming_input_call(requests(), timeout=TIMEOUT)
        assert response.aggregated_payload_size == 74922
        as_dicts = [{"payload": {"body": bytes(size)}} for size in CLIENT_STREAMING_SIZES]
        response = await stub.streaming_input_call(as_dicts, timeout=TIMEOUT)
        assert response.aggregated_payload_size == 74922
    run(test, server)


def test_server_streaming(server):
    async def test(connection: Connection) -> None:
        stub = InteropStub(Client(connection))
        async with stub.streaming_output_call(streaming_request(*SERVER_STREAMING_SIZES),
                                              timeout=TIMEOUT) as stream:
            assert [len(r.payload.body) async for r in stream] == SERVER_STREAMING_SIZES
            assert (await stream.status()).ok
    run(test, server)


def test_ping_pong(server):
    async def test(connection: Connection) -> None:
        call = InteropStub(Client(connection)).full_duplex_call(timeout=TIMEOUT)
        for request_size, response_size in zip(CLIENT_STREAMING_SIZES, SERVER_STREAMING_SIZES):
            assert await call.send(streaming_request(response_size, request_size=request_size))
            response = await call.recv()
            assert response is not None and response.payload.body == bytes(response_size)
        call.half_close()
        assert await call.recv() is None
    run(test, server)


def test_empty_stream(server):
    async def test(connection: Connection) -> None:
        call = InteropStub(Client(connection)).full_duplex_call(timeout=TIMEOUT)
        call.half_close()
        assert await call.recv() is None
    run(test, server)


def test_custom_metadata_unary_and_full_duplex(server):
    async def test(connection: Connection) -> None:
        client = Client(connection)
        response, call = await client.unary_with_call(
            SERVICE + "UnaryCall", large_unary_request(), messages_pb2.SimpleResponse,
            metadata=ECHO_METADATA, timeout=TIMEOUT)
        assert len(response.payload.body) == LARGE_RESPONSE_SIZE
        assert (await call.initial_metadata()).get(ECHO_INITIAL_KEY) == ECHO_INITIAL_VALUE
        assert (await call.trailing_metadata()).get(ECHO_TRAILING_KEY) == ECHO_TRAILING_VALUE

        duplex = client.bidi_streaming(SERVICE + "FullDuplexCall",
                                       messages_pb2.StreamingOutputCallResponse,
                                       metadata=ECHO_METADATA, timeout=TIMEOUT)
        assert await duplex.send(streaming_request(LARGE_RESPONSE_SIZE,
                                                   request_size=LARGE_REQUEST_SIZE))
        duplex.half_close()
        assert [len(r.payload.body) async for r in duplex] == [LARGE_RESPONSE_SIZE]
        assert (await duplex.initial_metadata()).get(ECHO_INITIAL_KEY) == ECHO_INITIAL_VALUE
        assert (await duplex.trailing_metadata()).get(ECHO_TRAILING_KEY) == ECHO_TRAILING_VALUE
    run(test, server)


@pytest.mark.parametrize("message", ["test status message", SPECIAL_STATUS_MESSAGE],
                         ids=["status_code_and_message", "special_status_message"])
def test_status_unary_and_full_duplex(server, message: str):
    status = messages_pb2.EchoStatus(code=StatusCode.UNKNOWN, message=message)

    async def test(connection: Connection) -> None:
        stub = InteropStub(Client(connection))
        error = await expect_error(StatusCode.UNKNOWN,
                                   stub.unary_call(response_status=status, timeout=TIMEOUT))
        assert error.message == message
        call = stub.full_duplex_call(timeout=TIMEOUT)
        await call.send(streaming_request(response_status=status))
        call.half_close()
        error = await expect_error(StatusCode.UNKNOWN, call.recv())
        assert error.message == message
    run(test, server)


def test_unimplemented_method_and_service(server):
    async def test(connection: Connection) -> None:
        client = Client(connection)
        await expect_error(StatusCode.UNIMPLEMENTED,
                           InteropStub(client).unimplemented_call(timeout=TIMEOUT))
        await expect_error(StatusCode.UNIMPLEMENTED,
                           UnimplementedStub(client).unimplemented_call(
                               timeout=TIMEOUT))
    run(test, server)


def test_cancel_after_begin_and_after_first_response(server):
    async def test(connection: Connection) -> None:
        begun = connection.start_call(SERVICE + "StreamingInputCall", timeout=TIMEOUT,
                                      response_type=messages_pb2.StreamingInputCallResponse)
        assert begun.cancel()
        await expect_error(StatusCode.CANCELLED, begun.recv())

        call = InteropStub(Client(connection)).full_duplex_call(timeout=TIMEOUT)
        assert await call.send(streaming_request(31415, request_size=27182))
        first = await call.recv()
        assert first is not None and len(first.payload.body) == 31415
        assert call.cancel()
        await expect_error(StatusCode.CANCELLED, call.recv())
        assert not call.cancel()  # already ended
    run(test, server)


def test_timeout_on_sleeping_server(server):
    async def test(connection: Connection) -> None:
        call = InteropStub(Client(connection)).full_duplex_call(timeout=0.001)
        await call.send(streaming_request(request_size=27182))  # may find the call already over
        await expect_error(StatusCode.DEADLINE_EXCEEDED, call.recv())
    run(test, server)


def test_the_deadline_ends_a_stream_nobody_is_reading(server):
    """The deadline is a timer of the call's own: it fires without a waiter, and sends CANCEL."""
    async def test(connection: Connection) -> None:
        stub = InteropStub(Client(connection))
        slow = messages_pb2.StreamingOutputCallRequest(response_parameters=[
            messages_pb2.ResponseParameters(size=1, interval_us=int(2 * TIMEOUT * 1e6))])
        stream = stub.streaming_output_call(slow, timeout=0.2)
        await asyncio.sleep(0.4)
        status = await stream.status(timeout=0)
        assert status.code == StatusCode.DEADLINE_EXCEEDED, status
        await expect_error(StatusCode.DEADLINE_EXCEEDED, stub.unary_call(
            response_size=1, timeout=0.000001))
        assert (await stub.empty_call(timeout=TIMEOUT)) == empty_pb2.Empty()  # still usable
    run(test, server)


def test_cancelling_the_awaiting_task_cancels_the_call(server):
    async def test(connection: Connection) -> None:
        sent = asyncio.Event()

        async def requests() -> AsyncIterator[messages_pb2.StreamingInputCallRequest]:
            yield messages_pb2.StreamingInputCallRequest(payload=payload(8))
            sent.set()
            await asyncio.sleep(2 * TIMEOUT)  # never sends the rest
            yield messages_pb2.StreamingInputCallRequest()

        stub = InteropStub(Client(connection))
        task = asyncio.ensure_future(stub.streaming_input_call(requests(), timeout=TIMEOUT))
        await sent.wait()
        assert connection._calls  # noqa: SLF001 - the call is open
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not connection._calls  # noqa: SLF001 - ended here, CANCEL sent
        assert (await stub.empty_call(timeout=TIMEOUT)) == empty_pb2.Empty()
    run(test, server)


def test_a_receive_timeout_leaves_the_call_going(server):
    async def test(connection: Connection) -> None:
        call = InteropStub(Client(connection)).full_duplex_call(timeout=TIMEOUT)
        with pytest.raises(TimeoutError):
            await call.recv(timeout=0.05)
        assert await call.send(streaming_request(5))
        response = await call.recv(timeout=TIMEOUT)
        assert response is not None and len(response.payload.body) == 5
        call.half_close()
        assert await call.recv() is None
    run(test, server)


def test_concurrent_large_unary(server):
    async def test(connection: Connection) -> None:
        stub = InteropStub(Client(connection))
        responses = await asyncio.gather(*(stub.unary_call(large_unary_request(), timeout=TIMEOUT)
                                           for _ in range(32)))
        assert [len(r.payload.body) for r in responses] == [LARGE_RESPONSE_SIZE] * 32
    run(test, server)


def test_alpn_and_ping(server):
    async def test(connection: Connection) -> None:
        assert connection.alpn_protocol == "framedrpc/1"
        assert await connection.ping(TIMEOUT) < TIMEOUT
    run(test, server)


def test_flow_control_beyond_the_initial_window(server):
    """4 MiB each way on one call: both sides must return credit (§5) for it to finish."""
    size = 1024 * 1024

    async def test(connection: Connection) -> None:
        stub = InteropStub(Client(connection))
        requests = [messages_pb2.StreamingInputCallRequest(payload=payload(size))] * 4
        response = await stub.streaming_input_call(requests, timeout=TIMEOUT)
        assert response.aggregated_payload_size == 4 * size
        async with stub.streaming_output_call(streaming_request(*[size] * 4),
                                              timeout=TIMEOUT) as stream:
            assert [len(r.payload.body) async for r in stream] == [size] * 4
    run(test, server)


def test_close_ends_open_calls_with_cancelled_and_refuses_new_ones(server):
    async def test(connection: Connection) -> None:
        call = InteropStub(Client(connection)).full_duplex_call(timeout=TIMEOUT)
        await connection.close()
        assert (await call.status()).code == StatusCode.CANCELLED
        with pytest.raises(RpcError) as error:
            connection.start_call(SERVICE + "EmptyCall")
        assert error.value.code == StatusCode.UNAVAILABLE
        await connection.close()  # idempotent
    run(test, server)
