"""The `framedrpc` CLI against a real `cardex serve --reflection` (from CARDEX_BIN), run as a
subprocess: the Cardex services listed and described, health checked, and a person registered
and signed in with nothing but JSON and `-H 'authorization: Bearer …'`, as the SDK sends it."""

from __future__ import annotations

import json

import pytest

from cardex.client import AUTHORIZATION_KEY
from cardex_server import CardexServer, running_server
from cli_runner import run_cli

UNAUTHENTICATED_EXIT = 64 + 16
DEADLINE_EXCEEDED_EXIT = 64 + 4
PHONE = "+15550140001"  # under the server's --test-number-prefix, like the SDK scenario's


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> CardexServer:
    yield from running_server(tmp_path_factory, "cardex-cli", reflection=True)


@pytest.fixture(scope="module")
def framedrpc(server: CardexServer):
    """framedrpc(COMMAND, *args, stdin=…): the CLI on this server, trusting its CA, with a
    10 s deadline per call that `args` may override (the last --timeout counts)."""
    def run(command: str, *args: str, stdin: str | None = None):
        return run_cli(command, f"{server.host}:{server.port}", "--cacert",
                       str(server.ca_file), "--timeout", "10", *args, stdin=stdin)
    return run


def succeeded(result) -> str:
    assert (result.returncode, result.stderr) == (0, ""), result
    return result.stdout


def test_list_shows_the_cardex_services_health_and_reflection(framedrpc):
    services = succeeded(framedrpc("list")).splitlines()
    assert services == sorted(services)
    assert {"cardex.v1.CardService", "cardex.v1.RegistrationService", "cardex.v1.EventService",
            "framedrpc.health.v1.Health",
            "framedrpc.reflection.v1.ServerReflection"} <= set(services)


def test_health_check(framedrpc):
    output = framedrpc("call", "/framedrpc.health.v1.Health/Check", "-d", "{}")
    assert succeeded(output) == '{"status": "SERVING"}\n'


def test_describe_a_message_and_a_oneof(framedrpc):
    card = succeeded(framedrpc("describe", "cardex.v1.Card"))
    assert card == ("cardex.v1.Card is a message:\nmessage Card {\n"
                    "  repeated .cardex.v1.CardField fields = 1;\n}\n")
    request = succeeded(framedrpc("describe", "cardex.v1.GetCardRequest"))
    assert "  oneof person {\n    string user_id = 1;\n    string phone = 2; // E.164" in request


def test_a_method_needing_a_session_without_one_is_unauthenticated(framedrpc):
    result = framedrpc("call", "/cardex.v1.CardService/GetMyCard")
    assert result.returncode == UNAUTHENTICATED_EXIT and result.stdout == ""
    assert result.stderr.startswith("ERROR: UNAUTHENTICATED: ")


def test_register_then_call_with_the_session_token(server, framedrpc):
    requested = framedrpc("call", "cardex.v1.RegistrationService/RequestCode",
                          "-d", json.dumps({"phone": PHONE, "purpose": "CODE_PURPOSE_REGISTER"}))
    assert json.loads(succeeded(requested))["phone"] == PHONE
    verified = json.loads(succeeded(framedrpc(
        "call", "cardex.v1.RegistrationService.VerifyCode", "-d", json.dumps({
            "phone": PHONE, "code": server.code_for(PHONE), "purpose": "CODE_PURPOSE_REGISTER",
            "deviceName": "framedrpc-cli"}))))
    assert verified["created"] is True
    session = ("-H", f"{AUTHORIZATION_KEY}: Bearer {verified['sessionToken']}")

    card = {"card": {"fields": [{"kind": "FIELD_KIND_NAME", "value": "Ada Lovelace",
                                 "audience": {"level": "AUDIENCE_LEVEL_EVERYONE"}}]}}
    succeeded(framedrpc("call", "/cardex.v1.CardService/SetCard", *session,
                        "-d", json.dumps(card)))
    mine = json.loads(succeeded(framedrpc("call", "/cardex.v1.CardService/GetMyCard",
                                          *session)))
    assert mine["card"] == card["card"]

    # A server stream prints what arrives (here the "ready" message) until the deadline.
    subscribed = framedrpc("call", "/cardex.v1.EventService/Subscribe", *session,
                           "--timeout", "1")
    assert subscribed.returncode == DEADLINE_EXCEEDED_EXIT, subscribed
    [ready] = [json.loads(line) for line in subscribed.stdout.splitlines()]
    assert "ready" in ready
    assert subscribed.stderr.startswith("ERROR: DEADLINE_EXCEEDED: ")
