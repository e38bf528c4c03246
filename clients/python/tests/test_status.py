"""Status codes (PROTOCOL.md §4.4) and RpcError."""

from framedrpc.metadata import Metadata
from framedrpc.status import RpcError, Status, StatusCode, StatusDetail
from framedrpc.wire import status_from_wire, wire_pb2


def test_the_17_canonical_codes():
    assert [code.value for code in StatusCode] == list(range(17))
    assert StatusCode(4).name == "DEADLINE_EXCEEDED"
    assert StatusCode(16).name == "UNAUTHENTICATED"


def test_codes_above_16_read_as_unknown():
    assert StatusCode.from_wire(17) is StatusCode.UNKNOWN
    assert StatusCode.from_wire(2**32 - 1) is StatusCode.UNKNOWN
    assert StatusCode.from_wire(12) is StatusCode.UNIMPLEMENTED


def test_status_from_wire_and_error_fields():
    message = wire_pb2.CallStatus(
        code=9, message="\tmulti\nline ☺",
        details=[wire_pb2.StatusDetail(type_url="type.example/x", value=b"\x01")],
        trailing_metadata=[wire_pb2.MetadataEntry(key="t-bin", binary=b"\xff")],
    )
    error = RpcError(status_from_wire(message))
    assert error.code is StatusCode.FAILED_PRECONDITION
    assert error.message == "\tmulti\nline ☺"
    assert error.details == (StatusDetail("type.example/x", b"\x01"),)
    assert error.trailing_metadata == Metadata([("t-bin", b"\xff")])
    assert str(error).startswith("FAILED_PRECONDITION: ")


def test_empty_status_payload_is_ok():
    status = status_from_wire(wire_pb2.CallStatus.FromString(b""))
    assert status == Status(StatusCode.OK)
    assert status.ok
