"""The `framedrpc` CLI without a server: its options (headers, address, method names), usage
errors and their exit status, and the dynamic messages made from descriptors (framedrpc/dynamic.py).
"""

from __future__ import annotations

import socket

import pytest
from google.protobuf import descriptor_pool

from cli_runner import run_cli
from framedrpc import CallKind, Metadata
from framedrpc.cli import CliError, parse_address, parse_headers
from framedrpc.dynamic import find_method, parse_json, split_method_name, to_json
from framedrpc.health.v1 import health_pb2
from framedrpc.testing import empty_pb2, messages_pb2, test_pb2

SERVICE = "framedrpc.testing.TestService"


@pytest.fixture(scope="module")
def pool() -> descriptor_pool.DescriptorPool:
    """A fresh pool with the interop and health protos, as reflection would fill it."""
    pool = descriptor_pool.DescriptorPool()
    for module in (empty_pb2, messages_pb2, test_pb2, health_pb2):
        pool.AddSerializedFile(module.DESCRIPTOR.serialized_pb)
    return pool


def test_headers_become_metadata_with_lowercase_keys_and_base64_binary_values():
    assert parse_headers(["Authorization: Bearer a:b", "x-trace-bin: q6ur", "x-pad-bin: AQ",
                          "x-empty:"]) == Metadata([
        ("authorization", "Bearer a:b"), ("x-trace-bin", b"\xab\xab\xab"),
        ("x-pad-bin", b"\x01"), ("x-empty", "")])


@pytest.mark.parametrize("header, error", [
    ("no-colon", "write 'key: value'"),
    (": value", "write 'key: value'"),
    ("x-bin: not base64!", "takes base64"),
    ("framedrpc-timeout: 1", "reserved"),
    ("bad key: 1", "invalid metadata key"),
])
def test_bad_headers_are_usage_errors(header, error):
    with pytest.raises(CliError, match=error):
        parse_headers([header])


def test_addresses():
    assert parse_address("localhost:50051") == ("localhost", 50051)
    assert parse_address("[::1]:443") == ("::1", 443)
    for address in ("localhost", "localhost:0", "localhost:http", ":1", "h:65536"):
        with pytest.raises(CliError, match="is not HOST:PORT"):
            parse_address(address)


@pytest.mark.parametrize("name", [f"/{SERVICE}/UnaryCall", f"{SERVICE}/UnaryCall",
                                  f"{SERVICE}.UnaryCall"])
def test_three_spellings_of_a_method(name):
    assert split_method_name(name) == (SERVICE, "UnaryCall")


def test_a_service_without_package_needs_a_slash():
    assert split_method_name("/Greeter/SayHello") == ("Greeter", "SayHello")
    for name in ("Greeter", "Greeter.", f"/{SERVICE}/", f"/{SERVICE}/UnaryCall/x", "a..b/C"):
        with pytest.raises(ValueError, match="is not a method"):
            split_method_name(name)


def test_find_method_knows_the_four_kinds(pool):
    kinds = {name: find_method(pool, SERVICE, name).kind for name in (
        "UnaryCall", "StreamingOutputCall", "StreamingInputCall", "FullDuplexCall")}
    assert kinds == {"UnaryCall": CallKind.UNARY,
                     "StreamingOutputCall": CallKind.SERVER_STREAMING,
                     "StreamingInputCall": CallKind.CLIENT_STREAMING,
                     "FullDuplexCall": CallKind.BIDI_STREAMING}
    method = find_method(pool, SERVICE, "UnaryCall")
    assert method.path == f"/{SERVICE}/UnaryCall"
    assert method.request_type.DESCRIPTOR.full_name == "framedrpc.testing.SimpleRequest"
    with pytest.raises(LookupError, match="has no method Nope"):
        find_method(pool, SERVICE, "Nope")
    with pytest.raises(LookupError, match="framedrpc.testing.Payload is not a service"):
        find_method(pool, "framedrpc.testing.Payload", "X")


def test_json_in_and_out_uses_protobufs_mapping(pool):
    method = find_method(pool, SERVICE, "UnaryCall")
    request = parse_json('{"responseSize": 3, "response_status": {"message": "é"}}',
                         method.request_type)
    assert request.SerializeToString() == messages_pb2.SimpleRequest(
        response_size=3, response_status={"message": "é"}).SerializeToString()
    assert to_json(request) == '{"responseSize": 3, "responseStatus": {"message": "é"}}'
    response = method.response_type.FromString(
        messages_pb2.SimpleResponse(payload={"body": b"\0\0\0"}).SerializeToString())
    assert to_json(response) == '{"payload": {"body": "AAAA"}}'
    check = find_method(pool, "framedrpc.health.v1.Health", "Check")
    assert to_json(check.response_type(status=1)) == '{"status": "SERVING"}'
    with pytest.raises(ValueError, match="not a framedrpc.testing.SimpleRequest"):
        parse_json('{"noSuchField": 1}', method.request_type)


@pytest.mark.parametrize("args, error", [
    (["call", "localhost:1", "Nope"], "argument METHOD: 'Nope' is not a method"),
    (["list", "localhost"], "'localhost' is not HOST:PORT"),
    (["list", "localhost:1", "-H", "nope"], "-H 'nope': write 'key: value'"),
    (["list", "localhost:1", "--key", "k.pem"], "--key needs --cert"),
    (["list", "localhost:1", "--cacert", "/no/such/ca.pem"], "cannot use the TLS files"),
    (["list", "localhost:1", "--timeout", "0"], "'0' is not a positive number of seconds"),
    (["lst", "localhost:1"], "invalid choice: 'lst'"),
])
def test_usage_errors_exit_with_2_before_connecting(args, error):
    result = run_cli(*args)
    assert result.returncode == 2 and error in result.stderr, result


@pytest.fixture
def nowhere() -> str:
    """HOST:PORT where nothing listens (a port that was free a moment ago)."""
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{unused.getsockname()[1]}"


def test_a_server_that_is_not_there_exits_with_1(nowhere):
    result = run_cli("list", nowhere)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"framedrpc: cannot connect to {nowhere}: ")


def test_options_may_come_before_and_after_positional_arguments(nowhere):
    result = run_cli("describe", "--timeout", "5", nowhere, "-H", "a: b", "x.Y",
                     "--servername", "localhost")
    assert result.returncode == 1  # parsed: it went on to connect
    assert result.stderr.startswith(f"framedrpc: cannot connect to {nowhere}: ")
