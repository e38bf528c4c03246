"""The client connection against a scripted server over a socket pair: call lifecycle,
flow control, PING, GOAWAY and connection errors (PROTOCOL.md §2-7)."""

import socket
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from framedrpc import (
    Client, Connection, Metadata, ProtocolError, RpcError, StatusCode,
)
from framedrpc.framing import Frame, FrameType
from framedrpc.v1 import wire_pb2
from scripted_server import CONFIG, WAIT

MIB = 1024 * 1024


def decode_headers(frame: Frame) -> wire_pb2.CallHeaders:
    assert frame.type == FrameType.HEADERS
    return wire_pb2.CallHeaders.FromString(frame.payload)


class TestCalls:
    def test_stream_ids_are_1_3_5(self, pair):
        connection, server = pair
        for _ in range(3):
            connection.start_call("/s.S/M")
        assert [frame.stream_id for frame in server.read_frames(3)] == [1, 3, 5]

    def test_headers_carry_method_metadata_and_timeout(self, pair):
        connection, server = pair
        connection.start_call("/s.S/M", metadata=[("k", "v"), ("k-bin", b"\x00")], timeout=1.5)
        headers = decode_headers(server.read_frame())
        assert headers.method == "/s.S/M"
        assert headers.timeout_micros == 1_500_000
        assert [(e.key, e.WhichOneof("value")) for e in headers.metadata] == [
            ("k", "text"), ("k-bin", "binary")]

    def test_no_timeout_sends_zero(self, pair):
        connection, server = pair
        connection.start_call("/s.S/M")
        assert decode_headers(server.read_frame()).timeout_micros == 0

    def test_unary_exchange(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M", request=b"req")
        frames = server.read_frames(3)
        assert [f.type for f in frames] == [
            FrameType.HEADERS, FrameType.MESSAGE, FrameType.HALF_CLOSE]
        assert frames[1].payload == b"req"
        server.reply_headers(1, [wire_pb2.MetadataEntry(key="i", text="1")])
        server.reply_message(1, b"resp")
        trailing = [wire_pb2.MetadataEntry(key="t-bin", binary=b"\x01")]
        server.reply_status(1, trailing_metadata=trailing)
        assert call.recv(WAIT) == b"resp"
        assert call.recv(WAIT) is None
        assert call.initial_metadata() == Metadata([("i", "1")])
        assert call.trailing_metadata() == Metadata([("t-bin", b"\x01")])

    def test_initial_metadata_is_empty_without_response_headers(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M", request=b"")
        server.reply_message(1, b"")
        assert call.initial_metadata(WAIT) == Metadata()

    def test_error_status_is_raised_after_queued_messages(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M", request=b"")
        server.reply_message(1, b"one")
        server.reply_status(1, code=5, message="gone")
        assert call.recv(WAIT) == b"one"
        with pytest.raises(RpcError) as error:
            call.recv(WAIT)
        assert (error.value.code, error.value.message) == (StatusCode.NOT_FOUND, "gone")

    def test_code_above_16_reads_as_unknown(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M", request=b"")
        server.reply_status(1, code=99, message="odd")
        with pytest.raises(RpcError) as error:
            call.recv(WAIT)
        assert error.value.code == StatusCode.UNKNOWN

    def test_status_before_half_close_stops_sending(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M")
        server.reply_status(1)
        assert call.status(WAIT).ok
        assert call.send(b"late") is False
        call.half_close()
        connection.start_call("/s.S/Next")
        assert [f.type for f in server.read_frames(2)] == [FrameType.HEADERS, FrameType.HEADERS]

    def test_recv_timeout_leaves_the_call_open(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M")
        with pytest.raises(TimeoutError):
            call.recv(timeout=0.05)
        server.reply_message(1, b"later")
        assert call.recv(WAIT) == b"later"

    def test_oversized_message_is_refused_before_sending(self, pair):
        connection, _ = pair
        call = connection.start_call("/s.S/M")
        with pytest.raises(ValueError, match="frame limit"):
            call.send(bytes(4 * MIB + 1))


class TestClient:
    def test_client_streaming_cancels_when_the_requests_fail(self, pair):
        connection, server = pair

        def requests():
            yield b"first"
            raise KeyError("broken generator")

        with pytest.raises(KeyError):
            Client(connection).client_streaming("/s.S/M", requests(), None)
        assert [f.type for f in server.read_frames(3)] == [
            FrameType.HEADERS, FrameType.MESSAGE, FrameType.CANCEL]

    def test_unary_with_two_responses_is_internal(self, pair):
        connection, server = pair
        with ThreadPoolExecutor(max_workers=1) as pool:
            result = pool.submit(Client(connection).unary, "/s.S/M", b"", None, timeout=WAIT)
            server.read_frames(3)
            server.reply_message(1, b"one")
            server.reply_message(1, b"two")
            server.reply_status(1)
            with pytest.raises(RpcError, match="more than one response") as error:
                result.result(WAIT)
        assert error.value.code == StatusCode.INTERNAL


class TestCancelAndDeadline:
    def test_cancel_sends_cancel_and_ends_with_cancelled(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M")
        assert call.cancel() is True
        assert call.cancel() is False
        with pytest.raises(RpcError) as error:
            call.recv(WAIT)
        assert error.value.code == StatusCode.CANCELLED
        assert [(f.type, f.stream_id) for f in server.read_frames(2)] == [
            (FrameType.HEADERS, 1), (FrameType.CANCEL, 1)]

    def test_frames_for_a_cancelled_call_are_ignored(self, pair):
        connection, server = pair
        connection.start_call("/s.S/M").cancel()
        server.reply_message(1, b"crossed")
        server.reply_status(1, code=1)
        second = connection.start_call("/s.S/M", request=b"")
        server.reply_message(3, b"ok")
        server.reply_status(3)
        assert second.recv(WAIT) == b"ok"

    def test_deadline_is_enforced_locally(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M", timeout=0.05)
        with pytest.raises(RpcError) as error:
            call.recv(WAIT)
        assert error.value.code == StatusCode.DEADLINE_EXCEEDED
        assert [f.type for f in server.read_frames(2)] == [FrameType.HEADERS, FrameType.CANCEL]


    def test_a_response_that_does_not_decode_ends_the_call_with_internal(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M", response_type=wire_pb2.GoAway, request=b"")
        server.reply_message(1, b"\xff")  # a truncated varint
        with pytest.raises(RpcError) as error:
            call.recv(WAIT)
        assert error.value.code == StatusCode.INTERNAL
        assert "/s.S/M does not decode" in error.value.message
        assert call.status(WAIT).code == StatusCode.INTERNAL
        assert [f.type for f in server.read_frames(4)] == [
            FrameType.HEADERS, FrameType.MESSAGE, FrameType.HALF_CLOSE, FrameType.CANCEL]


class TestFlowControl:
    def test_send_waits_for_credit_once_the_window_is_spent(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M")
        assert call.send(bytes(MIB))  # window: 1 MiB -> 0
        with pytest.raises(TimeoutError):
            call.send(b"next", timeout=0.1)
        server.grant(1, 1)
        assert call.send(b"next", timeout=WAIT)
        _, first, second = server.read_frames(3)
        assert [(f.type, len(f.payload)) for f in (first, second)] == [
            (FrameType.MESSAGE, MIB), (FrameType.MESSAGE, 4)]

    def test_a_message_may_overshoot_a_positive_window(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M")
        assert call.send(bytes(MIB - 1))
        assert call.send(bytes(2 * MIB), timeout=0.1)  # window was 1 byte
        with pytest.raises(TimeoutError):
            call.send(b"", timeout=0.1)  # window is now negative

    def test_credit_is_returned_after_half_the_window_is_consumed(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M", request=b"")
        server.read_frames(3)
        server.reply_message(1, bytes(300 * 1024))
        server.reply_message(1, bytes(300 * 1024))
        assert len(call.recv(WAIT)) == 300 * 1024
        marker = connection.start_call("/s.S/Marker")  # frame order shows nothing came before it
        assert server.read_frame().stream_id == marker.stream_id
        assert len(call.recv(WAIT)) == 300 * 1024
        update = server.read_frame()
        assert (update.type, update.stream_id, update.window_increment) == (
            FrameType.WINDOW_UPDATE, 1, 600 * 1024)

    def test_server_overrunning_the_window_is_a_connection_error(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M")
        server.reply_message(1, bytes(MIB))
        server.reply_message(1, b"x")  # the window was 0
        status = call.status(WAIT)  # reached only by the connection failing
        assert status.code == StatusCode.INTERNAL
        assert "FLOW_CONTROL_ERROR" in status.message
        server.read_until_closed()


class TestConnectionFrames:
    def test_ping_is_answered_with_pong(self, pair):
        _, server = pair
        server.send(Frame(FrameType.PING, 0, b"pingdata"))
        assert server.read_frame() == Frame(FrameType.PONG, 0, b"pingdata")

    def test_client_ping_measures_a_round_trip(self, pair):
        connection, server = pair
        result = {}
        thread = threading.Thread(target=lambda: result.update(rtt=connection.ping(WAIT)))
        thread.start()
        ping = server.read_frame()
        assert ping.type == FrameType.PING
        server.send(Frame(FrameType.PONG, 0, ping.payload))
        thread.join(WAIT)
        assert result["rtt"] >= 0

    def test_goaway_refuses_new_calls_and_fails_unprocessed_ones(self, pair):
        connection, server = pair
        accepted = connection.start_call("/s.S/M", request=b"")
        refused = connection.start_call("/s.S/M", request=b"")
        goaway = wire_pb2.GoAway(last_stream_id=1, code=wire_pb2.NO_ERROR, message="draining")
        server.send(Frame(FrameType.GOAWAY, 0, goaway.SerializeToString()))
        with pytest.raises(RpcError) as error:
            refused.recv(WAIT)
        assert error.value.code == StatusCode.UNAVAILABLE
        assert "may be retried" in error.value.message
        with pytest.raises(RpcError, match="GOAWAY NO_ERROR: draining"):
            connection.start_call("/s.S/M")
        server.reply_message(1, b"done")
        server.reply_status(1)
        assert accepted.recv(WAIT) == b"done"
        assert connection.goaway.message == "draining"

    def test_server_closing_ends_open_calls_with_unavailable(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M")
        server.sock.shutdown(socket.SHUT_RDWR)
        with pytest.raises(RpcError) as error:
            call.recv(WAIT)
        assert error.value.code == StatusCode.UNAVAILABLE

    def test_close_cancels_open_calls(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M")
        frames = []

        def serve_until_closed():  # a server closes its side when the client closes
            frames.extend(server.read_until_closed())
            server.sock.shutdown(socket.SHUT_RDWR)

        server_thread = threading.Thread(target=serve_until_closed)
        server_thread.start()
        connection.close()
        server_thread.join(WAIT)
        with pytest.raises(RpcError) as error:
            call.recv(WAIT)
        assert error.value.code == StatusCode.CANCELLED
        assert [f.type for f in frames] == [FrameType.HEADERS]
        with pytest.raises(RpcError) as error:
            connection.start_call("/s.S/M")
        assert error.value.code == StatusCode.UNAVAILABLE


class TestConnectionErrors:
    @pytest.mark.parametrize("bad, reason", [
        ((4 * MIB + 1).to_bytes(4, "big") + bytes([2, 0, 0, 0, 0, 1]), "FRAME_TOO_LARGE"),
        (Frame(FrameType.MESSAGE, 7, b"").encode(), "never opened"),
        (bytes.fromhex("00000000 0a 00 00000001"), "unknown frame type"),
        (Frame(FrameType.HEADERS, 1, b"\xff").encode(), "does not decode"),
    ])
    def test_fails_every_call_and_closes(self, pair, bad, reason):
        connection, server = pair
        call = connection.start_call("/s.S/M")
        server.send_raw(bad)
        with pytest.raises(RpcError) as error:
            call.recv(WAIT)
        assert error.value.code == StatusCode.INTERNAL
        assert reason in error.value.message
        server.read_until_closed()

    def test_second_response_headers_is_a_protocol_error(self, pair):
        connection, server = pair
        call = connection.start_call("/s.S/M")
        server.reply_headers(1, [])
        server.reply_headers(1, [])
        with pytest.raises(RpcError, match="after its initial metadata"):
            call.recv(WAIT)


@pytest.mark.parametrize("preface, reason", [
    (b"HTTP/1.1 400\r\n", "does not speak this protocol"),
    (bytes.fromhex("46 52 50 43 0D 0A 02 00"), "major version 2"),
])
def test_wrong_server_preface_fails_the_connect(preface, reason):
    client_sock, server_sock = socket.socketpair()
    with server_sock:
        server_sock.sendall(preface)
        with pytest.raises(ProtocolError, match=reason):
            Connection.over_socket(client_sock, config=CONFIG)


def test_server_closing_before_its_preface_fails_the_connect():
    client_sock, server_sock = socket.socketpair()
    server_sock.close()
    with pytest.raises(ConnectionError):
        Connection.over_socket(client_sock, config=CONFIG)
