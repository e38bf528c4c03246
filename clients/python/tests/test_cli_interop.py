"""The `framedrpc` CLI against the Swift interop server with reflection, run as a subprocess:
list, describe, the four call kinds with JSON in and out, metadata, statuses and exit codes.

Sizes are those of test_interop.py (gRPC's interop cases); response bodies come back as
base64, protobuf's JSON mapping of bytes.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING

import pytest

from cli_runner import run_cli
from repo_paths import CERTIFICATES
from test_interop import CLIENT_STREAMING_SIZES, SERVER_STREAMING_SIZES

SERVICE = "framedrpc.testing.TestService"
UNARY = f"/{SERVICE}/UnaryCall"
TLS = ("--cacert", str(CERTIFICATES / "ca.pem"), "--timeout", "10")
UNKNOWN_EXIT = 64 + 2  # a call ending with status UNKNOWN (2)

if TYPE_CHECKING:
    from conftest import ServerAddress


@pytest.fixture(scope="module")
def address(interop_server: ServerAddress) -> str:
    return f"{interop_server.host}:{interop_server.port}"


def framedrpc(*args: str, stdin: str | None = None):
    """Runs the CLI with the test CA and a 10 s deadline per call."""
    return run_cli(*args, *TLS, stdin=stdin)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def body_size(response: dict) -> int:
    return len(base64.b64decode(response.get("payload", {}).get("body", "")))


def succeeded(result) -> str:
    assert (result.returncode, result.stderr) == (0, ""), result
    return result.stdout


def test_list_shows_the_services_sorted(address):
    assert succeeded(framedrpc("list", address)).splitlines() == [
        "framedrpc.reflection.v1.ServerReflection", SERVICE]


def test_list_with_a_service_shows_its_methods(address):
    assert succeeded(framedrpc("list", address, SERVICE)).splitlines() == [
        f"{SERVICE}.{name}" for name in ("EmptyCall", "FullDuplexCall", "StreamingInputCall",
                                         "StreamingOutputCall", "UnaryCall", "UnimplementedCall")]


def test_describe_a_service_shows_its_methods_with_streaming_markers(address):
    lines = succeeded(framedrpc("describe", address, SERVICE)).splitlines()
    assert lines[0] == f"{SERVICE} is a service:"
    assert "service TestService {" in lines
    assert ("  rpc UnaryCall ( .framedrpc.testing.SimpleRequest ) returns ( "
            ".framedrpc.testing.SimpleResponse );") in lines
    assert ("  rpc FullDuplexCall ( stream .framedrpc.testing.StreamingOutputCallRequest ) "
            "returns ( stream .framedrpc.testing.StreamingOutputCallResponse );") in lines
    assert "  // One request followed by one response." in lines  # the proto's comments


def test_describe_a_message_shows_its_fields(address):
    text = succeeded(framedrpc("describe", address, "framedrpc.testing.SimpleRequest"))
    assert text.startswith("framedrpc.testing.SimpleRequest is a message:\n")
    assert "  int32 response_size = 2;\n" in text
    assert "  .framedrpc.testing.EchoStatus response_status = 7;\n" in text


@pytest.mark.parametrize("method", [UNARY, f"{SERVICE}/UnaryCall", f"{SERVICE}.UnaryCall"])
def test_unary_call_prints_the_response_as_one_json_line(address, method):
    [response] = json_lines(succeeded(framedrpc("call", address, method,
                                                "-d", '{"responseSize": 3}')))
    assert body_size(response) == 3


def test_server_streaming_prints_one_line_per_response(address):
    request = {"responseParameters": [{"size": size} for size in SERVER_STREAMING_SIZES]}
    output = succeeded(framedrpc("call", address, f"/{SERVICE}/StreamingOutputCall",
                                 "-d", json.dumps(request)))
    assert [body_size(response) for response in json_lines(output)] == SERVER_STREAMING_SIZES


def test_client_streaming_reads_json_lines_from_stdin(address):
    lines = [json.dumps({"payload": {"body": base64.b64encode(bytes(size)).decode()}})
             for size in CLIENT_STREAMING_SIZES]
    output = succeeded(framedrpc("call", address, f"/{SERVICE}/StreamingInputCall", "-d", "@",
                                 stdin="\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:])))
    assert json_lines(output) == [{"aggregatedPayloadSize": sum(CLIENT_STREAMING_SIZES)}]


def test_bidirectional_call_answers_each_line(address):
    stdin = "".join(json.dumps({"responseParameters": [{"size": size}]}) + "\n"
                    for size in (5, 7))
    output = succeeded(framedrpc("call", address, f"/{SERVICE}/FullDuplexCall", "-d", "@",
                                 stdin=stdin))
    assert [body_size(response) for response in json_lines(output)] == [5, 7]


def test_headers_are_sent_and_verbose_prints_the_echoed_metadata(address):
    headers = ("-H", "X-Grpc-Test-Echo-Initial: hello",
               "-H", "x-grpc-test-echo-trailing-bin: q6ur")  # b"\xab\xab\xab"
    result = framedrpc("call", address, UNARY, *headers, "-v")
    assert result.returncode == 0, result
    assert result.stderr == ("Response headers received:\nx-grpc-test-echo-initial: hello\n"
                             "Response trailers received:\nx-grpc-test-echo-trailing-bin: q6ur\n")
    assert succeeded(framedrpc("call", address, UNARY, *headers)) == '{"payload": {}}\n'


def test_a_status_other_than_ok_exits_with_64_plus_its_code(address):
    result = framedrpc("call", address, UNARY,
                       "-d", '{"responseStatus": {"code": 2, "message": "x"}}')
    assert (result.returncode, result.stdout, result.stderr) == (
        UNKNOWN_EXIT, "", "ERROR: UNKNOWN: x\n")


def test_an_unimplemented_method_is_an_error_status(address):
    result = framedrpc("call", address, f"/{SERVICE}/UnimplementedCall")
    assert result.returncode == 64 + 12 and result.stderr.startswith("ERROR: UNIMPLEMENTED: ")


@pytest.mark.parametrize("args", [("describe", "no.such.Symbol"),
                                  ("list", "no.such.Symbol"),
                                  ("call", "/no.such.Symbol/Method")])
def test_an_unknown_symbol_is_a_clear_error(address, args):
    command, symbol = args
    result = framedrpc(command, address, symbol)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "framedrpc: symbol not found: no.such.Symbol\n"


def test_an_unknown_method_of_a_known_service(address):
    result = framedrpc("call", address, f"/{SERVICE}/NoSuchMethod")
    assert (result.returncode, result.stderr) == (
        1, f"framedrpc: service {SERVICE} has no method NoSuchMethod\n")


def test_streaming_requests_must_come_from_stdin(address):
    result = framedrpc("call", address, f"/{SERVICE}/StreamingInputCall", "-d", "{}")
    assert result.returncode == 1
    assert "is client streaming: give its requests on stdin" in result.stderr


@pytest.mark.parametrize("stdin, error", [
    ('{"responseSize": 1}\n{"responseSize": 2}\n', "takes one request: stdin has more than one"),
    ('{"responseSize": "many"}\n', "stdin line 1: not a framedrpc.testing.SimpleRequest"),
])
def test_bad_requests_from_stdin_are_reported_by_line(address, stdin, error):
    result = framedrpc("call", address, UNARY, "-d", "@", stdin=stdin)
    assert result.returncode == 1 and error in result.stderr, result


def test_a_bad_line_cancels_a_streaming_call(address):
    stdin = '{"responseParameters": [{"size": 1}]}\nnot json\n'
    result = framedrpc("call", address, f"/{SERVICE}/FullDuplexCall", "-d", "@", stdin=stdin)
    assert result.returncode == 1
    assert result.stderr.startswith("framedrpc: stdin line 2: not a "
                                    "framedrpc.testing.StreamingOutputCallRequest")


def test_a_client_certificate_is_presented(address):
    output = succeeded(framedrpc("call", address, UNARY, "-d", '{"responseSize": 1}',
                                 "--cert", str(CERTIFICATES / "client.pem"),
                                 "--key", str(CERTIFICATES / "client-key.pem")))
    assert body_size(json.loads(output)) == 1


def test_the_server_certificate_is_verified(address):
    untrusted = run_cli("list", address)  # the system CAs do not know the test CA
    assert untrusted.returncode == 1
    assert untrusted.stderr.startswith(f"framedrpc: cannot connect to {address}: ")
    wrong_name = framedrpc("list", address, "--servername", "wrong.example")
    assert wrong_name.returncode == 1 and "wrong.example" in wrong_name.stderr


def test_a_server_without_reflection_is_told_to_start_with_the_flag(
        interop_server_without_reflection: ServerAddress):
    server = interop_server_without_reflection
    result = framedrpc("list", f"{server.host}:{server.port}")
    assert (result.returncode, result.stderr) == (
        1, "framedrpc: the server does not serve reflection (framedrpc.reflection.v1); "
           "start it with --reflection\n")
