"""Generated stubs and the CardexClient facade against a scripted server (no Swift server):
what a typed method puts on the wire, request building, default metadata and the token, the
stream kinds, and RpcError.detail."""

from __future__ import annotations

import importlib
import re
import threading

import pytest
from google.protobuf import descriptor_pb2

from cardex import CardexClient
from cardex.v1 import book_pb2, card_pb2, events_pb2, registration_pb2, status_pb2
from cardex.v1.registration_framedrpc import RegistrationServiceStub
from framedrpc import (
    CallKind, Client, Metadata, RpcError, StatusCode, Stub,
)
from framedrpc.framing import Frame, FrameType
from framedrpc.testing import messages_pb2
from framedrpc.testing import test_framedrpc  # as a module: pytest would collect Test* classes
from framedrpc.v1 import wire_pb2
from repo_paths import REPO
from scripted_server import WAIT, ScriptedServer


def read_call(server: ScriptedServer) -> tuple[wire_pb2.CallHeaders, Frame]:
    """HEADERS and the one MESSAGE of a unary or server-streaming call (HALF_CLOSE read too)."""
    headers, message, half_close = server.read_frames(3)
    assert (headers.type, message.type, half_close.type) == (
        FrameType.HEADERS, FrameType.MESSAGE, FrameType.HALF_CLOSE)
    return wire_pb2.CallHeaders.FromString(headers.payload), message


def answer(server: ScriptedServer, stream_id: int, response) -> None:
    server.reply_message(stream_id, response.SerializeToString())
    server.reply_status(stream_id)


def in_background(function, *args, **kwargs) -> dict:
    """Runs a blocking call on a thread; the dict gets "result" or "error" once it ends."""
    outcome: dict = {}

    def run():
        try:
            outcome["result"] = function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome["error"] = error
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    outcome["thread"] = thread
    return outcome


def finished(outcome: dict):
    outcome["thread"].join(WAIT)
    assert not outcome["thread"].is_alive(), "the call did not return"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


class TestUnary:
    def test_keyword_fields_build_the_request_and_name_the_method_path(self, pair):
        connection, server = pair
        stub = RegistrationServiceStub(Client(connection))
        outcome = in_background(stub.request_code, phone="+15550100000",
                                purpose="CODE_PURPOSE_REGISTER", timeout=WAIT)
        headers, message = read_call(server)
        assert headers.method == "/cardex.v1.RegistrationService/RequestCode"
        assert registration_pb2.RequestCodeRequest.FromString(message.payload) == \
            registration_pb2.RequestCodeRequest(
                phone="+15550100000", purpose=registration_pb2.CODE_PURPOSE_REGISTER)
        answer(server, 1, registration_pb2.RequestCodeResponse(phone="+15550100000"))
        response = finished(outcome)
        assert isinstance(response, registration_pb2.RequestCodeResponse)
        assert response.phone == "+15550100000"

    @pytest.mark.parametrize("request_form", ["message", "mapping"])
    def test_a_message_or_a_mapping_gives_the_same_bytes(self, pair, request_form):
        connection, server = pair
        stub = RegistrationServiceStub(Client(connection))
        expected = registration_pb2.VerifyCodeRequest(phone="+15550100000", code="123456")
        request = expected if request_form == "message" else {"phone": "+15550100000",
                                                              "code": "123456"}
        outcome = in_background(stub.verify_code, request, timeout=WAIT)
        _, message = read_call(server)
        assert message.payload == expected.SerializeToString()
        answer(server, 1, registration_pb2.VerifyCodeResponse())
        finished(outcome)

    def test_an_error_status_raises_rpc_error_with_code_message_and_details(self, pair):
        connection, server = pair
        stub = RegistrationServiceStub(Client(connection))
        outcome = in_background(stub.request_code, phone="+15550100000", timeout=WAIT)
        read_call(server)
        retry = status_pb2.RetryInfo(retry_after_seconds=42)
        server.reply_status(1, code=StatusCode.RESOURCE_EXHAUSTED, message="slow down",
                            details=[wire_pb2.StatusDetail(
                                type_url="type.googleapis.com/cardex.v1.RetryInfo",
                                value=retry.SerializeToString())])
        with pytest.raises(RpcError) as error:
            finished(outcome)
        assert (error.value.code, error.value.message) == (StatusCode.RESOURCE_EXHAUSTED,
                                                           "slow down")
        assert error.value.detail(status_pb2.RetryInfo) == retry
        assert error.value.detail(events_pb2.ResyncRequired) is None

    def test_wrong_request_type_and_mixed_forms_are_type_errors(self, pair):
        connection, _ = pair
        stub = RegistrationServiceStub(Client(connection))
        with pytest.raises(TypeError, match="cardex.v1.RequestCodeRequest"):
            stub.request_code(registration_pb2.VerifyCodeRequest())
        with pytest.raises(TypeError, match="not both"):
            stub.request_code(registration_pb2.RequestCodeRequest(), phone="+15550100000")
        with pytest.raises(ValueError, match="no_such_field"):
            stub.request_code(no_such_field=1)


class TestMetadata:
    def test_default_metadata_is_read_per_call_and_a_call_overrides_it(self, pair):
        connection, server = pair
        value = ["first"]
        stub = RegistrationServiceStub(Client(connection), metadata=lambda: {
            "x-team": "cardex", "x-value": value[0]})
        outcome = in_background(stub.request_code, metadata={"x-value": "mine"}, timeout=WAIT)
        headers, _ = read_call(server)
        assert [(e.key, e.text) for e in headers.metadata] == [("x-team", "cardex"),
                                                              ("x-value", "mine")]
        answer(server, 1, registration_pb2.RequestCodeResponse())
        finished(outcome)
        value[0] = "second"
        outcome = in_background(stub.request_code, timeout=WAIT)
        headers, _ = read_call(server)
        assert [(e.key, e.text) for e in headers.metadata] == [("x-team", "cardex"),
                                                              ("x-value", "second")]
        answer(server, 3, registration_pb2.RequestCodeResponse())
        finished(outcome)

    def test_cardex_client_sends_the_token_once_sign_in_set_it(self, pair):
        connection, server = pair
        client = CardexClient.over_connection(connection)
        outcome = in_background(client.sign_in, "+15550100000", "123456", timeout=WAIT)
        headers, _ = read_call(server)
        assert list(headers.metadata) == []
        answer(server, 1, registration_pb2.VerifyCodeResponse(session_token="tok-1"))
        finished(outcome)
        assert client.token == "tok-1"

        outcome = in_background(client.card.get_my_card, timeout=WAIT)
        headers, _ = read_call(server)
        assert headers.method == "/cardex.v1.CardService/GetMyCard"
        assert [(e.key, e.text) for e in headers.metadata] == [("authorization", "Bearer tok-1")]
        answer(server, 3, card_pb2.GetMyCardResponse())
        assert finished(outcome) == card_pb2.GetMyCardResponse()


class TestStreams:
    def test_server_stream_iterates_and_a_with_block_cancels(self, pair):
        connection, server = pair
        client = CardexClient.over_connection(connection, token="tok")
        with client.event.subscribe(after_seq=0, timeout=WAIT) as stream:
            headers, message = read_call(server)
            assert headers.method == "/cardex.v1.EventService/Subscribe"
            assert events_pb2.SubscribeRequest.FromString(message.payload).HasField("after_seq")
            ready = events_pb2.SubscribeResponse(ready=events_pb2.SubscriptionReady(latest_seq=7))
            server.reply_message(1, ready.SerializeToString())
            assert next(iter(stream)) == ready
        assert server.read_frame().type == FrameType.CANCEL
        assert stream.status().code == StatusCode.CANCELLED

    def test_client_stream_sends_every_item_then_half_closes(self, pair):
        connection, server = pair
        client = CardexClient.over_connection(connection, token="tok")
        pages = [{"entries": [{"client_entry_id": "1", "name": "Grace"}]},
                 book_pb2.UploadBookRequest(removals=["2"])]
        outcome = in_background(client.address_book.upload_book, iter(pages), timeout=WAIT)
        headers, first, second, half_close = server.read_frames(4)
        assert wire_pb2.CallHeaders.FromString(headers.payload).method == \
            "/cardex.v1.AddressBookService/UploadBook"
        assert book_pb2.UploadBookRequest.FromString(first.payload).entries[0].name == "Grace"
        assert book_pb2.UploadBookRequest.FromString(second.payload).removals == ["2"]
        assert half_close.type == FrameType.HALF_CLOSE
        answer(server, 1, book_pb2.UpdateBookResponse(added=1, removed=1))
        assert finished(outcome) == book_pb2.UpdateBookResponse(added=1, removed=1)

    def test_bidi_stream_sends_and_receives(self, pair):
        connection, server = pair
        stub = test_framedrpc.TestServiceStub(Client(connection))
        call = stub.full_duplex_call(timeout=WAIT)
        assert call.send(messages_pb2.StreamingOutputCallRequest(response_status={"code": 0}))
        call.half_close()
        headers, message, half_close = server.read_frames(3)
        assert wire_pb2.CallHeaders.FromString(headers.payload).method == \
            "/framedrpc.testing.TestService/FullDuplexCall"
        response = messages_pb2.StreamingOutputCallResponse(payload={"body": b"x"})
        answer(server, 1, response)
        assert list(call) == [response]


KINDS = {(False, False): CallKind.UNARY, (False, True): CallKind.SERVER_STREAMING,
         (True, False): CallKind.CLIENT_STREAMING, (True, True): CallKind.BIDI_STREAMING}


def cardex_services() -> list[tuple[str, str]]:
    """(module, service) for every service of Proto/cardex/v1, from the generated modules."""
    services = []
    for path in sorted((REPO / "Generated" / "python" / "cardex" / "v1").glob("*_pb2.py")):
        module = importlib.import_module(f"cardex.v1.{path.stem}")
        # keys(): iterating the map itself gives the descriptors under protobuf 4.21.0 (upb).
        services += [(path.stem, name) for name in module.DESCRIPTOR.services_by_name.keys()]
    return services


def test_every_cardex_service_has_a_stub_on_the_facade(pair):
    connection, _ = pair
    client = CardexClient.over_connection(connection)
    services = cardex_services()
    assert len(services) >= 9
    for module_name, service in services:
        stubs = importlib.import_module(f"cardex.v1.{module_name.removesuffix('_pb2')}_framedrpc")
        stub_type = getattr(stubs, f"{service}Stub")
        attribute = re.sub(r"(?<!^)(?=[A-Z])", "_", service.removesuffix("Service")).lower()
        assert isinstance(getattr(client, attribute, None), stub_type), (service, attribute)
        descriptor = importlib.import_module(f"cardex.v1.{module_name}") \
            .DESCRIPTOR.services_by_name[service]
        assert [m.path for m in stub_type.METHODS] == [
            f"/cardex.v1.{service}/{m.name}" for m in descriptor.methods]
        service_proto = descriptor_pb2.ServiceDescriptorProto()
        descriptor.CopyToProto(service_proto)  # the runtime's descriptor lacks streaming flags
        assert [m.kind for m in stub_type.METHODS] == [
            KINDS[(m.client_streaming, m.server_streaming)] for m in service_proto.method]


def test_stub_metadata_merging_keeps_order_and_validates():
    stub = Stub(Client.__new__(Client), metadata=[("a", "1"), ("b", "2"), ("a", "3")])
    assert stub._metadata({"b": "x"}) == Metadata([("a", "1"), ("a", "3"), ("b", "x")])
    with pytest.raises(ValueError, match="invalid metadata key"):
        stub._metadata({"Bad Key": "x"})
