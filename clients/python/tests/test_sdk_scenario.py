"""The Cardex SDK against a real `cardex serve` over TLS: people register, share a card and see
its updates on their event stream, build a group with a tagged invitation, keep cards fresh by
query-update, look a caller up by number, upload an address book, and get typed errors.

The server starts once per module from the binary named by CARDEX_BIN, on a fresh data
directory; each test registers people of its own (numbers +1555013NNNN), so tests do not
depend on each other's order.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from cardex import CardexClient, RpcError, StatusCode
from cardex.v1 import card_pb2, events_pb2, group_pb2, registration_pb2, share_pb2, sync_pb2
from cardex_server import CardexServer, running_server

TIMEOUT = 10.0         # seconds any unary call may take
STREAM_TIMEOUT = 30.0  # seconds an event stream stays open: a missing event fails, never hangs

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> CardexServer:
    yield from running_server(tmp_path_factory, "cardex")


@dataclass
class Person:
    client: CardexClient
    phone: str
    user_id: str


@pytest.fixture
def register(server: CardexServer):
    """register(device) -> a signed-in Person with a new number; closes its client after."""
    people: list[Person] = []

    def register(device: str) -> Person:
        phone = f"+1555013{next(_numbers):04d}"
        client = server.client()
        sent = client.registration.request_code(
            phone=phone, purpose="CODE_PURPOSE_REGISTER", timeout=TIMEOUT)
        assert sent.phone == phone and sent.expires_in_seconds > 0
        signed_in = client.sign_in(phone, server.code_for(phone), device_name=device,
                                   timeout=TIMEOUT)
        assert signed_in.created and signed_in.phone == phone
        assert client.token == signed_in.session_token != ""
        people.append(Person(client, phone, signed_in.user_id))
        return people[-1]

    yield register
    for person in people:
        person.client.close()


def field(kind: str, value: str, audience: str, label: str = "") -> dict:
    """A card field as keyword-friendly request data: enums by name, messages as dicts."""
    return {"kind": f"FIELD_KIND_{kind}", "label": label, "value": value,
            "audience": {"level": f"AUDIENCE_LEVEL_{audience}"}}


def values(card: card_pb2.Card) -> list[tuple[int, str]]:
    return [(f.kind, f.value) for f in card.fields]


NAME = card_pb2.FIELD_KIND_NAME
EMAIL = card_pb2.FIELD_KIND_EMAIL


def next_event(events) -> events_pb2.Event:
    message = next(events)
    assert message.WhichOneof("message") == "event", message
    return message.event


def test_share_accept_and_follow_updates_on_the_event_stream(register):
    ada, bob = register("ada-laptop"), register("bob-phone")
    saved = ada.client.card.set_card(card={"fields": [
        field("NAME", "Ada Lovelace", "CONTACTS"),
        field("EMAIL", "ada@example.com", "CONTACTS", label="work")]}, timeout=TIMEOUT)
    assert saved.changed and saved.version.version == 1

    with bob.client.event.subscribe(timeout=STREAM_TIMEOUT) as stream:
        events = iter(stream)
        ready = next(events)
        assert ready.WhichOneof("message") == "ready" and ready.ready.latest_seq == 0

        shared = ada.client.share.share_card(
            recipients=[{"phone": bob.phone}], fields=[{"kind": NAME}], timeout=TIMEOUT)
        [share_id] = shared.share_ids
        received = next_event(events)
        assert received.seq == 1 and received.WhichOneof("kind") == "share_received"
        assert received.share_received.item_id == share_id
        assert received.share_received.shared.user_id == ada.user_id
        assert values(received.share_received.shared.card) == [(NAME, "Ada Lovelace")]

        accepted = bob.client.share.accept_share(item_id=share_id, timeout=TIMEOUT)
        assert accepted.card.user_id == ada.user_id
        assert values(accepted.card.card) == [(NAME, "Ada Lovelace")]
        removed = next_event(events)
        assert removed.inbox_item_removed.item_id == share_id
        assert removed.inbox_item_removed.reason == events_pb2.InboxItemRemoved.REASON_ACCEPTED
        on_accepting = next_event(events)
        assert on_accepting.card_updated.user_id == ada.user_id

        # Ada changes her card: Bob's stream carries the new name, still without the e-mail.
        changed = ada.client.card.set_card(card_pb2.SetCardRequest(card=card_pb2.Card(fields=[
            card_pb2.CardField(kind=NAME, value="Ada King",
                               audience=card_pb2.Audience(level=card_pb2.AUDIENCE_LEVEL_CONTACTS)),
            card_pb2.CardField(kind=EMAIL, value="ada@king.example",
                               audience=card_pb2.Audience(level=card_pb2.AUDIENCE_LEVEL_CONTACTS)),
        ])), timeout=TIMEOUT)
        assert changed.version.version == 2
        update = next_event(events)
        assert update.seq == 4 and update.WhichOneof("kind") == "card_updated"
        assert update.card_updated.user_id == ada.user_id
        assert values(update.card_updated.card) == [(NAME, "Ada King")]
    assert stream.status().code == StatusCode.CANCELLED  # leaving the block ended the call

    outgoing = ada.client.share.list_shares(timeout=TIMEOUT).shares
    assert [(s.share_id, s.status) for s in outgoing] == [
        (share_id, share_pb2.SHARE_STATUS_ACCEPTED)]
    held = bob.client.card.get_card(phone=ada.phone, timeout=TIMEOUT)
    assert values(held.card) == [(NAME, "Ada King")]


def test_group_invitation_carries_a_tag(register):
    ada, bob = register("ada"), register("bob")
    group = ada.client.group.create_group(name="Family", timeout=TIMEOUT)
    assert group.my_role == group_pb2.GROUP_ROLE_OWNER and group.member_count == 1

    invited = ada.client.group.invite(
        group_id=group.group_id,
        invitees=[{"person": {"phone": bob.phone}, "tag": "cousins"}], timeout=TIMEOUT)
    [invitation_id] = invited.invitation_ids
    [invitation] = bob.client.group.list_invitations(timeout=TIMEOUT).invitations
    assert (invitation.invitation_id, invitation.group_id, invitation.group_name,
            invitation.inviter_user_id) == (invitation_id, group.group_id, "Family", ada.user_id)

    joined = bob.client.group.accept_invitation(invitation_id=invitation_id, timeout=TIMEOUT)
    assert joined.group.my_tag == "cousins" and joined.group.member_count == 2
    assert joined.group.my_role == group_pb2.GROUP_ROLE_MEMBER
    assert list(joined.members) == []  # a tagged member sees only members with the same tag

    directory = ada.client.group.get_directory(group_id=group.group_id, timeout=TIMEOUT)
    assert [(m.user_id, m.phone, m.tag) for m in directory.members] == [
        (bob.user_id, bob.phone, "cousins")]
    own_view = bob.client.group.get_directory(
        group_id=group.group_id, include_self=True, timeout=TIMEOUT)
    assert [(m.user_id, m.tag) for m in own_view.members] == [(bob.user_id, "cousins")]


def test_query_update_answers_updated_then_not_modified(register):
    ada, bob = register("ada"), register("bob")
    ada.client.card.set_card(card={"fields": [field("NAME", "Ada Lovelace", "EVERYONE")]},
                             timeout=TIMEOUT)

    first = bob.client.sync.query_update(items=[
        {"person": {"user_id": ada.user_id}},
        {"person": {"phone": "+15550139999"}},
    ], timeout=TIMEOUT)
    updated, unknown = first.answers
    assert updated.result == sync_pb2.QUERY_RESULT_UPDATED
    assert updated.card.user_id == ada.user_id
    assert values(updated.card.card) == [(NAME, "Ada Lovelace")]
    assert unknown.result == sync_pb2.QUERY_RESULT_NO_RESULT

    again = bob.client.sync.query_update(items=[
        {"person": {"user_id": ada.user_id}, "known_etag": updated.card.version.etag}],
        timeout=TIMEOUT)
    assert [a.result for a in again.answers] == [sync_pb2.QUERY_RESULT_NOT_MODIFIED]


def test_lookup_by_phone_gives_the_public_fields(register):
    ada, bob = register("ada"), register("bob")
    ada.client.card.set_card(card={"fields": [
        field("NAME", "Ada Lovelace", "EVERYONE"),
        field("EMAIL", "ada@example.com", "CONTACTS"),
        field("PHONE", ada.phone, "ONLY_ME", label="mobile"),
    ]}, timeout=TIMEOUT)
    # Bob is a stranger: he finds Ada by number only once she lets everyone find her.
    with pytest.raises(RpcError) as hidden:
        bob.client.lookup.lookup(phone=ada.phone, timeout=TIMEOUT)
    assert hidden.value.code == StatusCode.NOT_FOUND
    ada.client.account.update_settings(
        discoverable_by=registration_pb2.DISCOVERABILITY_EVERYONE, timeout=TIMEOUT)

    found = bob.client.lookup.lookup(phone=ada.phone, timeout=TIMEOUT)
    assert (found.user_id, found.phone) == (ada.user_id, ada.phone)
    assert values(found.card) == [(NAME, "Ada Lovelace")]
    assert found.version.etag


def test_upload_book_streams_requests_from_an_iterable(register):
    ada = register("ada")

    def pages():
        yield {"entries": [{"client_entry_id": "grace", "name": "Grace Hopper",
                            "phones": ["+15550130000"]}]}
        yield {"entries": [{"client_entry_id": "alan", "name": "Alan Turing",
                            "emails": ["alan@example.com"]}]}

    result = ada.client.address_book.upload_book(pages(), timeout=TIMEOUT)
    assert (result.added, result.changed, result.unchanged, result.removed) == (2, 0, 0, 0)
    book = ada.client.address_book.download_book(timeout=TIMEOUT)
    assert [(e.client_entry_id, e.name) for e in book.entries] == [
        ("alan", "Alan Turing"), ("grace", "Grace Hopper")]


def test_failures_raise_rpc_error_with_code_and_message(server: CardexServer, register):
    phone = "+15550138888"
    with server.client() as client:
        client.registration.request_code(
            registration_pb2.RequestCodeRequest(
                phone=phone, purpose=registration_pb2.CODE_PURPOSE_REGISTER), timeout=TIMEOUT)
        wrong = "000000" if server.code_for(phone) != "000000" else "111111"
        with pytest.raises(RpcError) as error:
            client.sign_in(phone, wrong, timeout=TIMEOUT)
        assert error.value.code == StatusCode.PERMISSION_DENIED and error.value.message
        assert client.token is None

        with pytest.raises(RpcError) as error:
            client.card.get_my_card(timeout=TIMEOUT)
        assert error.value.code == StatusCode.UNAUTHENTICATED
        assert "VerifyCode" in error.value.message

    ada = register("ada")
    with pytest.raises(RpcError) as error:
        ada.client.card.set_card(card={"fields": [field("EMAIL", "not-an-address", "EVERYONE")]},
                                 timeout=TIMEOUT)
    assert error.value.code == StatusCode.INVALID_ARGUMENT
    with pytest.raises(RpcError) as error:
        ada.client.card.get_card(phone="+15550137777", timeout=TIMEOUT)
    assert error.value.code == StatusCode.NOT_FOUND

    # A token from an earlier sign-in works on a new connection; after logout it does not.
    with server.client(token=ada.client.token) as again:
        assert again.account.get_account(timeout=TIMEOUT).user_id == ada.user_id
        again.account.logout(timeout=TIMEOUT)
        with pytest.raises(RpcError) as error:
            again.account.get_account(timeout=TIMEOUT)
        assert error.value.code == StatusCode.UNAUTHENTICATED
