"""Frames and prefaces (PROTOCOL.md §2-3), including the worked example of §9 byte for byte."""

import pytest

from framedrpc.framing import (
    CLIENT_TO_SERVER, HEADER_SIZE, PREFACE, SERVER_TO_CLIENT, Frame, FrameDecoder, FrameType,
    ProtocolError, check_preface, window_update,
)
from framedrpc.testing import empty_pb2
from framedrpc.v1 import wire_pb2

# PROTOCOL.md §9, copied from the document.
SECTION_9_CLIENT = bytes.fromhex("""
    46 52 50 43 0D 0A 01 00
    00 00 00 2a 01 00 00 00 00 01
    0a 28 2f 66 72 61 6d 65 64 72
    70 63 2e 74 65 73 74 69 6e 67
    2e 54 65 73 74 53 65 72 76 69
    63 65 2f 45 6d 70 74 79 43 61
    6c 6c
    00 00 00 00 02 00 00 00 00 01
    00 00 00 00 03 00 00 00 00 01
""")
SECTION_9_SERVER = bytes.fromhex("""
    46 52 50 43 0D 0A 01 00
    00 00 00 00 02 00 00 00 00 01
    00 00 00 00 04 00 00 00 00 01
""")

EMPTY_CALL = "/framedrpc.testing.TestService/EmptyCall"

# One valid frame of every type, and the header bytes each must encode to.
EVERY_FRAME = [
    (Frame(FrameType.HEADERS, 1, b"\x0a\x01x"), "00000003 01 00 00000001"),
    (Frame(FrameType.MESSAGE, 3, b"abc"), "00000003 02 00 00000003"),
    (Frame(FrameType.MESSAGE, 5, b""), "00000000 02 00 00000005"),
    (Frame(FrameType.HALF_CLOSE, 7), "00000000 03 00 00000007"),
    (Frame(FrameType.STATUS, 9, b"\x08\x02"), "00000002 04 00 00000009"),
    (Frame(FrameType.CANCEL, 11), "00000000 05 00 0000000b"),
    (window_update(13, 65536), "00000004 06 00 0000000d"),
    (Frame(FrameType.PING, 0, b"12345678"), "00000008 07 00 00000000"),
    (Frame(FrameType.PONG, 0, b"12345678"), "00000008 08 00 00000000"),
    (Frame(FrameType.GOAWAY, 0, b"\x08\x07"), "00000002 09 00 00000000"),
    (Frame(FrameType.MESSAGE, 2**32 - 1, b"x"), "00000001 02 00 ffffffff"),
]
BOTH_WAYS = CLIENT_TO_SERVER | SERVER_TO_CLIENT


def decode_all(data: bytes, accepted=BOTH_WAYS, chunk: int | None = None) -> list[Frame]:
    decoder = FrameDecoder(accepted)
    step = chunk or max(len(data), 1)
    frames = []
    for start in range(0, len(data), step):
        frames += decoder.feed(data[start:start + step])
    assert decoder.buffered == 0
    return frames


class TestSection9Example:
    def test_client_bytes_are_encoded_exactly(self):
        headers = wire_pb2.CallHeaders(method=EMPTY_CALL)
        encoded = PREFACE + b"".join(frame.encode() for frame in [
            Frame(FrameType.HEADERS, 1, headers.SerializeToString()),
            Frame(FrameType.MESSAGE, 1, empty_pb2.Empty().SerializeToString()),
            Frame(FrameType.HALF_CLOSE, 1),
        ])
        assert encoded == SECTION_9_CLIENT

    def test_client_bytes_decode_as_documented(self):
        check_preface(SECTION_9_CLIENT[:8])
        headers, message, half_close = decode_all(SECTION_9_CLIENT[8:], CLIENT_TO_SERVER)
        assert (headers.type, headers.stream_id) == (FrameType.HEADERS, 1)
        decoded = wire_pb2.CallHeaders.FromString(headers.payload)
        assert decoded == wire_pb2.CallHeaders(method=EMPTY_CALL)
        assert len(headers.payload) == 42
        assert message == Frame(FrameType.MESSAGE, 1, b"")
        assert half_close == Frame(FrameType.HALF_CLOSE, 1)

    def test_server_bytes_decode_as_documented(self):
        check_preface(SECTION_9_SERVER[:8])
        message, status = decode_all(SECTION_9_SERVER[8:], SERVER_TO_CLIENT)
        assert message == Frame(FrameType.MESSAGE, 1, b"")
        assert status.type == FrameType.STATUS
        assert wire_pb2.CallStatus.FromString(status.payload).code == 0

    def test_server_bytes_are_encoded_exactly(self):
        encoded = PREFACE + Frame(FrameType.MESSAGE, 1).encode() + Frame(
            FrameType.STATUS, 1, wire_pb2.CallStatus(code=0).SerializeToString()).encode()
        assert encoded == SECTION_9_SERVER


class TestEncodeDecode:
    @pytest.mark.parametrize("frame, header", EVERY_FRAME)
    def test_round_trip(self, frame, header):
        encoded = frame.encode()
        assert encoded[:HEADER_SIZE] == bytes.fromhex(header)
        assert encoded[HEADER_SIZE:] == frame.payload
        assert decode_all(encoded) == [frame]

    @pytest.mark.parametrize("chunk", [1, 3, 10, 11, 4096])
    def test_every_split_gives_the_same_frames(self, chunk):
        stream = b"".join(frame.encode() for frame, _ in EVERY_FRAME)
        assert decode_all(stream, chunk=chunk) == [frame for frame, _ in EVERY_FRAME]

    def test_partial_frame_waits_for_more(self):
        decoder = FrameDecoder(BOTH_WAYS)
        encoded = Frame(FrameType.MESSAGE, 1, b"hello").encode()
        assert decoder.feed(encoded[:12]) == []
        assert decoder.feed(encoded[12:]) == [Frame(FrameType.MESSAGE, 1, b"hello")]

    def test_flags_are_ignored_on_receive(self):
        encoded = bytes.fromhex("00000000 03 ff 00000001")
        assert decode_all(encoded) == [Frame(FrameType.HALF_CLOSE, 1, b"", flags=0xFF)]

    def test_window_increment(self):
        assert window_update(1, 2**31 - 1).window_increment == 2**31 - 1
        for bad in (0, 2**31):
            with pytest.raises(ValueError):
                window_update(1, bad)


def raw(length: int, frame_type: int, stream_id: int, payload: bytes = b"") -> bytes:
    header = length.to_bytes(4, "big") + bytes([frame_type, 0]) + stream_id.to_bytes(4, "big")
    return header + payload


class TestConnectionErrors:
    def test_oversized_frame_is_rejected_from_its_header_alone(self):
        decoder = FrameDecoder(SERVER_TO_CLIENT, max_frame_size=4 * 1024 * 1024)
        with pytest.raises(ProtocolError) as error:
            decoder.feed(raw(4 * 1024 * 1024 + 1, 0x02, 1))
        assert error.value.code == wire_pb2.FRAME_TOO_LARGE

    def test_frame_at_the_limit_is_accepted(self):
        decoder = FrameDecoder(SERVER_TO_CLIENT, max_frame_size=16)
        assert decoder.feed(raw(16, 0x02, 1, bytes(16))) == [Frame(FrameType.MESSAGE, 1, bytes(16))]

    @pytest.mark.parametrize("data, reason", [
        (raw(0, 0x0A, 1), "unknown frame type 0x0a"),
        (raw(0, 0x00, 1), "unknown frame type 0x00"),
        (raw(1, 0x03, 1, b"x"), "HALF_CLOSE payload is 1 bytes, not 0"),
        (raw(1, 0x05, 1, b"x"), "CANCEL payload is 1 bytes, not 0"),
        (raw(3, 0x06, 1, b"\0\0\1"), "WINDOW_UPDATE payload is 3 bytes, not 4"),
        (raw(4, 0x06, 1, bytes(4)), "window increment 0"),
        (raw(4, 0x06, 1, b"\x80\0\0\0"), "window increment 2147483648"),
        (raw(7, 0x07, 0, bytes(7)), "PING payload is 7 bytes, not 8"),
        (raw(9, 0x08, 0, bytes(9)), "PONG payload is 9 bytes, not 8"),
        (raw(8, 0x07, 1, bytes(8)), "PING on stream 1, not 0"),
        (raw(0, 0x09, 3), "GOAWAY on stream 3, not 0"),
        (raw(0, 0x02, 0), "MESSAGE on stream 0"),
        (raw(0, 0x01, 0), "HEADERS on stream 0"),
    ])
    def test_malformed_frames(self, data, reason):
        with pytest.raises(ProtocolError, match=reason) as error:
            FrameDecoder(BOTH_WAYS).feed(data)
        assert error.value.code == wire_pb2.PROTOCOL_ERROR

    @pytest.mark.parametrize("frame_type", [FrameType.HALF_CLOSE, FrameType.CANCEL])
    def test_client_only_frames_are_refused_by_a_client(self, frame_type):
        with pytest.raises(ProtocolError, match="not allowed in this direction"):
            FrameDecoder(SERVER_TO_CLIENT).feed(Frame(frame_type, 1).encode())

    @pytest.mark.parametrize("frame_type", [FrameType.STATUS, FrameType.GOAWAY])
    def test_server_only_frames_are_refused_by_a_server(self, frame_type):
        stream = 0 if frame_type == FrameType.GOAWAY else 1
        with pytest.raises(ProtocolError, match="not allowed in this direction"):
            FrameDecoder(CLIENT_TO_SERVER).feed(Frame(frame_type, stream).encode())


class TestPreface:
    def test_preface_bytes(self):
        assert PREFACE == bytes.fromhex("46 52 50 43 0D 0A 01 00")

    def test_later_minor_version_is_accepted(self):
        check_preface(bytes.fromhex("46 52 50 43 0D 0A 01 07"))

    def test_wrong_magic(self):
        with pytest.raises(ProtocolError, match="does not speak this protocol") as error:
            check_preface(b"HTTP/1.1")
        assert error.value.code == wire_pb2.PROTOCOL_ERROR

    def test_other_major_version(self):
        with pytest.raises(ProtocolError, match="major version 2") as error:
            check_preface(bytes.fromhex("46 52 50 43 0D 0A 02 00"))
        assert error.value.code == wire_pb2.UNSUPPORTED_VERSION
