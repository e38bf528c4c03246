#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus: Fuzz/Corpus/frames/ and Fuzz/Corpus/connection/.

Each seed is a real client byte stream (docs/PROTOCOL.md): the preface, then frames of every
type, valid and broken. Connection seeds add the harness operations of
Fuzz/Sources/FuzzSupport/ConnectionScript.swift (advance time, drain, split a frame).
Control messages are encoded with the committed Generated/python/framedrpc/v1/wire_pb2.py.

    python3 Fuzz/make-corpus.py     # rewrites the seeds; commit what changes

Output is deterministic. Inputs libFuzzer found (crashes) are kept beside the seeds, named
crash-*; this script does not touch them.
"""
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Generated", "python"))
from framedrpc.v1 import wire_pb2  # noqa: E402

PREFACE = b"FRPC\r\n\x01\x00"
HEADERS, MESSAGE, HALF_CLOSE, STATUS, CANCEL, WINDOW_UPDATE, PING, PONG, GOAWAY = range(1, 10)
# Harness operations (ConnectionScript.Operation); the stream-id field is the argument.
ADVANCE_TIME, DRAIN, SPLIT_NEXT_FRAME = 0xF0, 0xF1, 0xF2


def frame(frame_type, stream, payload=b"", flags=0):
    return struct.pack(">IBBI", len(payload), frame_type, flags, stream) + payload


def op(operation, argument):
    return frame(operation, argument)


def headers(stream, method, metadata=(), timeout_micros=0):
    message = wire_pb2.CallHeaders(method=method, timeout_micros=timeout_micros)
    for key, value in metadata:
        entry = message.metadata.add(key=key)
        if isinstance(value, bytes):
            entry.binary = value
        else:
            entry.text = value
    return frame(HEADERS, stream, message.SerializeToString())


def bytes_value(value):
    """A google.protobuf.BytesValue: field 1, length-delimited (values here are < 128 bytes)."""
    return b"\x0a" + bytes([len(value)]) + value if value else b""


def message(stream, value):
    return frame(MESSAGE, stream, bytes_value(value))


def unary(stream, method, value, **kwargs):
    return headers(stream, method, **kwargs) + message(stream, value) + frame(HALF_CLOSE, stream)


ECHO, REPEAT, COLLECT, CHAT, FAIL = (f"/fuzz.Echo/{m}" for m in ("Echo", "Repeat", "Collect", "Chat", "Fail"))
WINDOW = struct.pack(">I", 65536)

# Seeds for both targets: plain client byte streams.
STREAMS = {
    "unary-echo": PREFACE + unary(1, ECHO, b"hello"),
    "unary-echo-metadata": PREFACE + unary(
        1, ECHO, b"hi", metadata=[("x-echo", "text"), ("x-echo-bin", b"\x00\xff")], timeout_micros=5_000_000),
    "server-streaming": PREFACE + unary(1, REPEAT, b"\x03abc") + frame(WINDOW_UPDATE, 1, WINDOW),
    "client-streaming": PREFACE + headers(1, COLLECT) + message(1, b"a") + message(1, b"bc")
    + message(1, b"") + frame(HALF_CLOSE, 1),
    "bidi": PREFACE + headers(1, CHAT) + message(1, b"one") + message(1, b"two") + frame(HALF_CLOSE, 1),
    "fail": PREFACE + unary(1, FAIL, b"\x05"),
    "rejected": PREFACE + unary(1, ECHO, b"x", metadata=[("x-reject", "1")]),
    "cancel": PREFACE + headers(1, COLLECT) + message(1, b"a") + frame(CANCEL, 1),
    "ping": PREFACE + frame(PING, 0, b"\x00\x01\x02\x03\x04\x05\x06\x07"),
    "pong": PREFACE + frame(PONG, 0, b"\x00" * 8),
    "window-update": PREFACE + headers(1, CHAT) + frame(WINDOW_UPDATE, 1, WINDOW) + message(1, b"w")
    + frame(HALF_CLOSE, 1),
    "client-goaway": PREFACE + frame(GOAWAY, 0, wire_pb2.GoAway(last_stream_id=0, message="bye").SerializeToString()),
    "client-status": PREFACE + headers(1, COLLECT)
    + frame(STATUS, 1, wire_pb2.CallStatus(code=1, message="no").SerializeToString()),
    "unknown-method": PREFACE + unary(1, "/fuzz.Echo/Nope", b"") + unary(3, "/other.Service/Call", b""),
    "invalid-path": PREFACE + unary(1, "fuzz.Echo/Echo", b"") + unary(3, "/fuzz.Echo/", b""),
    "invalid-metadata": PREFACE + unary(1, ECHO, b"", metadata=[("X-Bad", "v"), ("text-bin", "t")]),
    "many-calls": PREFACE + b"".join(headers(stream, COLLECT) for stream in (1, 3, 5, 7, 9, 11)),
    "stream-reuse": PREFACE + headers(3, ECHO) + headers(1, ECHO),
    "bad-magic": b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    "unsupported-version": b"FRPC\r\n\x02\x00",
    "oversize-frame": PREFACE + headers(1, COLLECT) + struct.pack(">IBBI", 1 << 20, MESSAGE, 0, 1),
    "unknown-type": PREFACE + frame(0x42, 1),
    # docs/PROTOCOL.md §9: EmptyCall of the interop service.
    "worked-example": PREFACE + headers(1, "/framedrpc.testing.TestService/EmptyCall") + frame(MESSAGE, 1)
    + frame(HALF_CLOSE, 1),
}

# Seeds for the connection target only: time, drain and split reads between frames.
CONNECTION_ONLY = {
    "deadline": PREFACE + headers(1, COLLECT, timeout_micros=1000) + message(1, b"a") + op(ADVANCE_TIME, 5),
    "drain": PREFACE + headers(1, COLLECT) + message(1, b"a") + op(DRAIN, 100) + headers(3, ECHO)
    + op(ADVANCE_TIME, 200),
    "drain-finishes": PREFACE + headers(1, COLLECT) + op(DRAIN, 1000) + frame(HALF_CLOSE, 1),
    "split-reads": PREFACE + op(SPLIT_NEXT_FRAME, 2) + headers(1, ECHO) + op(SPLIT_NEXT_FRAME, 0)
    + message(1, b"split") + frame(HALF_CLOSE, 1),
    "idle-timeout": PREFACE + op(ADVANCE_TIME, 0xFFFFFFFF),
    "keepalive": PREFACE + op(ADVANCE_TIME, 0x7FFFFFFF) + op(ADVANCE_TIME, 0x7FFFFFFF),
    "flow-control-wait": PREFACE + unary(1, REPEAT, b"\xff" + b"r" * 100) + op(ADVANCE_TIME, 1)
    + frame(WINDOW_UPDATE, 1, WINDOW),
}


def write(directory, seeds):
    path = os.path.join(ROOT, "Fuzz", "Corpus", directory)
    os.makedirs(path, exist_ok=True)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(path, name), "wb") as file:
            file.write(data)


write("frames", STREAMS)
write("connection", {**STREAMS, **CONNECTION_ONLY})
