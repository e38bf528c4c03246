"""The asyncio connection against a scripted server over a socket pair: what goes on the wire
when a call is cancelled (also through its task) or times out, the send window, PING, GOAWAY and
connection errors. The rules are `ConnectionCore`'s and `CallState`'s, which test_connection.py
covers in depth on the threaded connection; these show the asyncio I/O applies them."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest

from framedrpc import RpcError, StatusCode
from framedrpc.aio import Client, Connection
from framedrpc.framing import PREFACE, Frame, FrameType
from framedrpc.v1 import wire_pb2
from scripted_server import CONFIG, WAIT, ScriptedServer

MIB = 1024 * 1024
T = TypeVar("T")


def run(test: Callable[[Connection, ScriptedServer], Awaitable[T]]) -> T:
    """Runs `test` on a fresh event loop with a connection to a scripted server."""
    async def connected() -> T:
        client_sock, server_sock = socket.socketpair()
        server = ScriptedServer(server_sock)
        server.send_preface()
        connection = await Connection.over_socket(client_sock, config=CONFIG)
        assert server.read_preface() == PREFACE
        try:
            return await asyncio.wait_for(test(connection, server), WAIT)
        finally:
            server_sock.shutdown(socket.SHUT_RDWR)
            await connection.close()
            server_sock.close()

    return asyncio.run(connected())


async def read_frame(server: ScriptedServer) -> Frame:
    """The client's next frame, read off the event loop (the client may need it to run)."""
    return await asyncio.to_thread(server.read_frame)


def test_a_unary_call_on_the_wire():
    async def test(connection: Connection, server: ScriptedServer) -> None:
        task = asyncio.ensure_future(Client(connection).unary("/s.S/M", b"req", wire_pb2.GoAway,
                                                              metadata={"k": "v"}, timeout=2))
        frames = [await read_frame(server) for _ in range(3)]
        assert [f.type for f in frames] == [FrameType.HEADERS, FrameType.MESSAGE,
                                            FrameType.HALF_CLOSE]
        headers = wire_pb2.CallHeaders.FromString(frames[0].payload)
        assert (headers.method, headers.timeout_micros) == ("/s.S/M", 2_000_000)
        server.reply_message(1, wire_pb2.GoAway(message="hi").SerializeToString())
        server.reply_status(1)
        assert (await task).message == "hi"
    run(test)


def test_cancelling_the_task_sends_cancel():
    async def test(connection: Connection, server: ScriptedServer) -> None:
        task = asyncio.ensure_future(Client(connection).unary("/s.S/M", b"", wire_pb2.GoAway))
        assert [(await read_frame(server)).type for _ in range(3)] == [
            FrameType.HEADERS, FrameType.MESSAGE, FrameType.HALF_CLOSE]
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert (await read_frame(server)).type == FrameType.CANCEL
    run(test)


def test_the_deadline_sends_cancel_and_later_frames_are_ignored():
    async def test(connection: Connection, server: ScriptedServer) -> None:
        call = connection.start_call("/s.S/M", timeout=0.05)
        assert (await read_frame(server)).type == FrameType.HEADERS
        assert (await read_frame(server)).type == FrameType.CANCEL
        assert (await call.status()).code == StatusCode.DEADLINE_EXCEEDED
        server.reply_message(1, b"late")  # the call has ended here: ignored (§4.5)
        server.reply_status(1)
        next_call = connection.start_call("/s.S/N")  # and the connection goes on
        assert (await read_frame(server)).stream_id == 3
        assert not next_call.done
    run(test)


def test_a_response_that_does_not_decode_ends_the_call_with_internal():
    async def test(connection: Connection, server: ScriptedServer) -> None:
        call = connection.start_call("/s.S/M", response_type=wire_pb2.GoAway, request=b"")
        assert [(await read_frame(server)).type for _ in range(3)] == [
            FrameType.HEADERS, FrameType.MESSAGE, FrameType.HALF_CLOSE]
        server.reply_message(1, b"\xff")  # a truncated varint
        with pytest.raises(RpcError) as error:
            await call.recv()
        assert error.value.code == StatusCode.INTERNAL
        assert "/s.S/M does not decode" in error.value.message
        assert (await call.status()).code == StatusCode.INTERNAL
        assert (await read_frame(server)).type == FrameType.CANCEL
    run(test)


def test_send_waits_for_window_credit():
    async def test(connection: Connection, server: ScriptedServer) -> None:
        call = connection.start_call("/s.S/M")
        # Read while the client writes: its send() also waits for the socket buffer to drain.
        frames = asyncio.ensure_future(asyncio.to_thread(server.read_frames, 3))
        assert await call.send(b"x" * MIB)  # the whole initial window
        second = asyncio.ensure_future(call.send(b"y"))
        await asyncio.sleep(0.05)
        assert not second.done()
        server.grant(1, 1)
        assert await second  # the window is 0 again
        assert [(f.type, len(f.payload)) for f in (await frames)[1:]] == [
            (FrameType.MESSAGE, MIB), (FrameType.MESSAGE, 1)]
        with pytest.raises(TimeoutError):
            await call.send(b"z", timeout=0.05)
    run(test)


def test_ping_from_the_server_is_answered():
    async def test(connection: Connection, server: ScriptedServer) -> None:
        server.send(Frame(FrameType.PING, 0, b"12345678"))
        pong = await read_frame(server)
        assert (pong.type, pong.payload) == (FrameType.PONG, b"12345678")
    run(test)


def test_goaway_fails_unprocessed_calls_and_refuses_new_ones():
    async def test(connection: Connection, server: ScriptedServer) -> None:
        first, second = connection.start_call("/s.S/A"), connection.start_call("/s.S/B")
        goaway = wire_pb2.GoAway(last_stream_id=1, code=wire_pb2.NO_ERROR, message="draining")
        server.send(Frame(FrameType.GOAWAY, 0, goaway.SerializeToString()))
        status = await second.status()
        assert status.code == StatusCode.UNAVAILABLE and "may be retried" in status.message
        assert not first.done
        with pytest.raises(RpcError) as error:
            connection.start_call("/s.S/C")
        assert error.value.code == StatusCode.UNAVAILABLE and "draining" in error.value.message
        assert connection.goaway.message == "draining"
    run(test)


def test_the_server_closing_ends_open_calls_with_unavailable():
    async def test(connection: Connection, server: ScriptedServer) -> None:
        call = connection.start_call("/s.S/M")
        server.sock.shutdown(socket.SHUT_WR)
        status = await call.status()
        assert (status.code, status.message) == (StatusCode.UNAVAILABLE,
                                                 "server closed the connection")
        with pytest.raises(ConnectionError):
            await connection.ping(WAIT)
    run(test)


def test_a_broken_rule_fails_the_connection_with_internal():
    async def test(connection: Connection, server: ScriptedServer) -> None:
        call = connection.start_call("/s.S/M")
        server.reply_message(7, b"")  # a stream the client never opened
        status = await call.status()
        assert status.code == StatusCode.INTERNAL
        assert "server broke the protocol" in status.message and "stream 7" in status.message
    run(test)
