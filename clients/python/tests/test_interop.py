"""Interop cases against the Swift `framedrpc-interop` server, over TLS.

The cases and their parameters are those of gRPC's interop test descriptions
(doc/interop-test-descriptions.md in grpc/grpc), on framedrpc.testing.TestService.
The server starts once per session (see conftest.py); each test has its own connection.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest

from framedrpc import Client, Metadata, RpcError, StatusCode
from framedrpc.testing import empty_pb2, messages_pb2

SERVICE = "/framedrpc.testing.TestService/"
TIMEOUT = 10.0  # seconds each call may take, where the deadline is not what is tested

LARGE_REQUEST_SIZE = 271828
LARGE_RESPONSE_SIZE = 314159
CLIENT_STREAMING_SIZES = [27182, 8, 1828, 45904]
SERVER_STREAMING_SIZES = [31415, 9, 2653, 58979]
ECHO_INITIAL_KEY = "x-grpc-test-echo-initial"
ECHO_INITIAL_VALUE = "test_initial_metadata_value"
ECHO_TRAILING_KEY = "x-grpc-test-echo-trailing-bin"
ECHO_TRAILING_VALUE = b"\xab\xab\xab"
SPECIAL_STATUS_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n"


ECHO_METADATA = Metadata([(ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE),
                          (ECHO_TRAILING_KEY, ECHO_TRAILING_VALUE)])


def payload(size: int) -> messages_pb2.Payload:
    return messages_pb2.Payload(body=bytes(size))


def large_unary_request(**fields) -> messages_pb2.SimpleRequest:
    return messages_pb2.SimpleRequest(
        response_size=LARGE_RESPONSE_SIZE, payload=payload(LARGE_REQUEST_SIZE), **fields)


def streaming_request(*response_sizes: int, request_size: int = 0, **fields):
    return messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=s) for s in response_sizes],
        payload=payload(request_size), **fields)


def expect_error(code: StatusCode, operation, *args, **kwargs) -> RpcError:
    with pytest.raises(RpcError) as error:
        operation(*args, **kwargs)
    assert error.value.code == code, error.value
    return error.value


def test_empty_unary(client: Client):
    response = client.unary(SERVICE + "EmptyCall", empty_pb2.Empty(), empty_pb2.Empty,
                            timeout=TIMEOUT)
    assert response == empty_pb2.Empty()


def test_large_unary(client: Client):
    response = client.unary(SERVICE + "UnaryCall", large_unary_request(),
                            messages_pb2.SimpleResponse, timeout=TIMEOUT)
    assert response.payload.body == bytes(LARGE_RESPONSE_SIZE)


def test_client_streaming(client: Client):
    requests = (messages_pb2.StreamingInputCallRequest(payload=payload(size))
                for size in CLIENT_STREAMING_SIZES)
    response = client.client_streaming(SERVICE + "StreamingInputCall", requests,
                                       messages_pb2.StreamingInputCallResponse, timeout=TIMEOUT)
    assert response.aggregated_payload_size == 74922


def test_server_streaming(client: Client):
    call = client.server_streaming(SERVICE + "StreamingOutputCall",
                                   streaming_request(*SERVER_STREAMING_SIZES),
                                   messages_pb2.StreamingOutputCallResponse, timeout=TIMEOUT)
    assert [len(r.payload.body) for r in call] == SERVER_STREAMING_SIZES
    assert call.status().ok


def test_ping_pong(client: Client):
    call = client.bidi_streaming(SERVICE + "FullDuplexCall",
                                 messages_pb2.StreamingOutputCallResponse, timeout=TIMEOUT)
    for request_size, response_size in zip(CLIENT_STREAMING_SIZES, SERVER_STREAMING_SIZES):
        assert call.send(streaming_request(response_size, request_size=request_size))
        assert call.recv().payload.body == bytes(response_size)
    call.half_close()
    assert call.recv() is None


def test_empty_stream(client: Client):
    call = client.bidi_streaming(SERVICE + "FullDuplexCall",
                                 messages_pb2.StreamingOutputCallResponse, timeout=TIMEOUT)
    call.half_close()
    assert call.recv() is None


def test_custom_metadata_unary(client: Client):
    response, call = client.unary_with_call(SERVICE + "UnaryCall", large_unary_request(),
                                            messages_pb2.SimpleResponse, metadata=ECHO_METADATA,
                                            timeout=TIMEOUT)
    assert len(response.payload.body) == LARGE_RESPONSE_SIZE
    assert call.initial_metadata().get(ECHO_INITIAL_KEY) == ECHO_INITIAL_VALUE
    assert call.trailing_metadata().get(ECHO_TRAILING_KEY) == ECHO_TRAILING_VALUE


def test_custom_metadata_full_duplex(client: Client):
    call = client.bidi_streaming(SERVICE + "FullDuplexCall",
                                 messages_pb2.StreamingOutputCallResponse,
                                 metadata=ECHO_METADATA, timeout=TIMEOUT)
    assert call.send(streaming_request(LARGE_RESPONSE_SIZE, request_size=LARGE_REQUEST_SIZE))
    call.half_close()
    assert [len(r.payload.body) for r in call] == [LARGE_RESPONSE_SIZE]
    assert call.initial_metadata().get(ECHO_INITIAL_KEY) == ECHO_INITIAL_VALUE
    assert call.trailing_metadata().get(ECHO_TRAILING_KEY) == ECHO_TRAILING_VALUE


@pytest.mark.parametrize("message", ["test status message", SPECIAL_STATUS_MESSAGE],
                         ids=["status_code_and_message", "special_status_message"])
def test_status_unary(client: Client, message: str):
    request = messages_pb2.SimpleRequest(
        response_status=messages_pb2.EchoStatus(code=StatusCode.UNKNOWN, message=message))
    error = expect_error(StatusCode.UNKNOWN, client.unary, SERVICE + "UnaryCall", request,
                         messages_pb2.SimpleResponse, timeout=TIMEOUT)
    assert error.message == message


def test_status_code_and_message_full_duplex(client: Client):
    message = "test status message"
    call = client.bidi_streaming(SERVICE + "FullDuplexCall",
                                 messages_pb2.StreamingOutputCallResponse, timeout=TIMEOUT)
    call.send(streaming_request(response_status=messages_pb2.EchoStatus(
        code=StatusCode.UNKNOWN, message=message)))
    call.half_close()
    error = expect_error(StatusCode.UNKNOWN, call.recv)
    assert error.message == message


@pytest.mark.parametrize("method", [
    SERVICE + "UnimplementedCall",
    "/framedrpc.testing.UnimplementedService/UnimplementedCall",
], ids=["unimplemented_method", "unimplemented_service"])
def test_unimplemented(client: Client, method: str):
    expect_error(StatusCode.UNIMPLEMENTED, client.unary, method, empty_pb2.Empty(),
                 empty_pb2.Empty, timeout=TIMEOUT)


def test_cancel_after_begin(client: Client):
    call = client.connection.start_call(SERVICE + "StreamingInputCall",
                                        response_type=messages_pb2.StreamingInputCallResponse,
                                        timeout=TIMEOUT)
    assert call.cancel()
    expect_error(StatusCode.CANCELLED, call.recv)


def test_cancel_after_first_response(client: Client):
    call = client.bidi_streaming(SERVICE + "FullDuplexCall",
                                 messages_pb2.StreamingOutputCallResponse, timeout=TIMEOUT)
    assert call.send(streaming_request(31415, request_size=27182))
    assert len(call.recv().payload.body) == 31415
    assert call.cancel()
    expect_error(StatusCode.CANCELLED, call.recv)


def test_timeout_on_sleeping_server(client: Client):
    call = client.bidi_streaming(SERVICE + "FullDuplexCall",
                                 messages_pb2.StreamingOutputCallResponse, timeout=0.001)
    call.send(streaming_request(request_size=27182))  # may find the call already over
    expect_error(StatusCode.DEADLINE_EXCEEDED, call.recv)


def test_concurrent_large_unary(client: Client):
    def large_unary(_: int) -> int:
        response = client.unary(SERVICE + "UnaryCall", large_unary_request(),
                                messages_pb2.SimpleResponse, timeout=TIMEOUT)
        return len(response.payload.body)

    with ThreadPoolExecutor(max_workers=32) as pool:
        sizes = list(pool.map(large_unary, range(32)))
    assert sizes == [LARGE_RESPONSE_SIZE] * 32


# Beyond gRPC's cases: what this protocol adds.

def test_alpn_and_ping(client: Client):
    assert client.connection.alpn_protocol == "framedrpc/1"
    assert client.connection.ping(TIMEOUT) < TIMEOUT


def test_flow_control_beyond_the_initial_window(client: Client):
    """4 MiB each way on one call: both sides must return credit (§5) for it to finish."""
    size = 1024 * 1024
    requests = [messages_pb2.StreamingInputCallRequest(payload=payload(size)) for _ in range(4)]
    response = client.client_streaming(SERVICE + "StreamingInputCall", requests,
                                       messages_pb2.StreamingInputCallResponse, timeout=TIMEOUT)
    assert response.aggregated_payload_size == 4 * size
    call = client.server_streaming(SERVICE + "StreamingOutputCall", streaming_request(*[size] * 4),
                                   messages_pb2.StreamingOutputCallResponse, timeout=TIMEOUT)
    assert [len(r.payload.body) for r in call] == [size] * 4
