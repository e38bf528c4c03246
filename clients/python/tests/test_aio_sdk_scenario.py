"""The asyncio Cardex SDK (`AsyncCardexClient`) against a real `cardex serve` over TLS: people
register, one shares her card while the other follows his event stream in a task of its own,
accepts and sees the update; an address book goes up from an async generator; calls run
concurrently on one connection; failures, deadlines and a cancelled stream.

The server starts once per module (CARDEX_BIN, see cardex_server.py); each test registers people
of its own (+1555014NNNN) on its own event loop.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cardex import AsyncCardexClient, RpcError, StatusCode
from cardex.v1 import card_pb2, events_pb2, share_pb2
from cardex_server import CardexServer, running_server

TIMEOUT = 10.0         # seconds any unary call may take
STREAM_TIMEOUT = 30.0  # seconds an event stream stays open: a missing event fails, never hangs
NAME = card_pb2.FIELD_KIND_NAME

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> CardexServer:
    yield from running_server(tmp_path_factory, "cardex-aio")


@dataclass
class Person:
    client: AsyncCardexClient
    phone: str
    user_id: str


class People:
    """Registers people on one event loop and closes their clients at the end."""

    def __init__(self, server: CardexServer) -> None:
        self.server = server
        self.people: list[Person] = []

    async def register(self, device: str) -> Person:
        phone = f"+1555014{next(_numbers):04d}"
        client = await self.connect()
        await client.registration.request_code(phone=phone, purpose="CODE_PURPOSE_REGISTER",
                                               timeout=TIMEOUT)
        code = await asyncio.to_thread(self.server.code_for, phone)  # polls a file
        signed_in = await client.sign_in(phone, code, device_name=device, timeout=TIMEOUT)
        assert signed_in.created and client.token == signed_in.session_token != ""
        self.people.append(Person(client, phone, signed_in.user_id))
        return self.people[-1]

    async def connect(self, token: str | None = None) -> AsyncCardexClient:
        return await AsyncCardexClient.connect(self.server.host, self.server.port,
                                               ca_file=str(self.server.ca_file), token=token)

    async def close(self) -> None:
        for person in self.people:
            await person.client.close()


def run(server: CardexServer, test: Callable[[People], Awaitable[Any]]) -> None:
    async def scenario() -> None:
        people = People(server)
        try:
            await asyncio.wait_for(test(people), STREAM_TIMEOUT)
        finally:
            await people.close()

    asyncio.run(scenario())


def field(value: str, audience: str = "CONTACTS") -> dict:
    return {"kind": NAME, "value": value, "audience": {"level": f"AUDIENCE_LEVEL_{audience}"}}


def values(card: card_pb2.Card) -> list[tuple[int, str]]:
    return [(f.kind, f.value) for f in card.fields]


def test_share_accept_and_follow_updates_on_the_event_stream(server):
    async def test(people: People) -> None:
        ada, bob = await people.register("ada-laptop"), await people.register("bob-phone")
        await ada.client.card.set_card(card={"fields": [field("Ada Lovelace")]}, timeout=TIMEOUT)

        events: asyncio.Queue[events_pb2.Event] = asyncio.Queue()
        ready = asyncio.Event()

        async def follow() -> None:
            async with bob.client.event.subscribe(timeout=STREAM_TIMEOUT) as stream:
                async for message in stream:
                    if message.WhichOneof("message") == "ready":
                        ready.set()
                    else:
                        await events.put(message.event)

        follower = asyncio.ensure_future(follow())
        await ready.wait()
        shared = await ada.client.share.share_card(recipients=[{"phone": bob.phone}],
                                                   fields=[{"kind": NAME}], timeout=TIMEOUT)
        [share_id] = shared.share_ids
        received = await events.get()
        assert received.WhichOneof("kind") == "share_received"
        assert received.share_received.item_id == share_id
        assert values(received.share_received.shared.card) == [(NAME, "Ada Lovelace")]

        accepted = await bob.client.share.accept_share(item_id=share_id, timeout=TIMEOUT)
        assert values(accepted.card.card) == [(NAME, "Ada Lovelace")]
        assert (await events.get()).inbox_item_removed.item_id == share_id
        assert (await events.get()).card_updated.user_id == ada.user_id

        await ada.client.card.set_card(card={"fields": [field("Ada King")]}, timeout=TIMEOUT)
        update = await events.get()
        assert update.card_updated.user_id == ada.user_id
        assert values(update.card_updated.card) == [(NAME, "Ada King")]

        follower.cancel()  # cancelling the task leaves the async with block: CANCEL is sent
        with pytest.raises(asyncio.CancelledError):
            await follower
        outgoing = (await ada.client.share.list_shares(timeout=TIMEOUT)).shares
        assert [(s.share_id, s.status) for s in outgoing] == [
            (share_id, share_pb2.SHARE_STATUS_ACCEPTED)]
    run(server, test)


def test_upload_book_from_an_async_generator_and_concurrent_calls(server):
    async def test(people: People) -> None:
        ada, bob = await people.register("ada"), await people.register("bob")

        async def pages() -> AsyncIterator[dict]:
            for entry_id, name in [("grace", "Grace Hopper"), ("alan", "Alan Turing")]:
                await asyncio.sleep(0)
                yield {"entries": [{"client_entry_id": entry_id, "name": name}]}

        result = await ada.client.address_book.upload_book(pages(), timeout=TIMEOUT)
        assert (result.added, result.changed, result.unchanged, result.removed) == (2, 0, 0, 0)

        await ada.client.card.set_card(card={"fields": [field("Ada", "EVERYONE")]},
                                       timeout=TIMEOUT)
        book, account, answers = await asyncio.gather(
            ada.client.address_book.download_book(timeout=TIMEOUT),
            ada.client.account.get_account(timeout=TIMEOUT),
            bob.client.sync.query_update(items=[{"person": {"user_id": ada.user_id}}],
                                         timeout=TIMEOUT))
        assert [e.client_entry_id for e in book.entries] == ["alan", "grace"]
        assert account.user_id == ada.user_id
        assert values(answers.answers[0].card.card) == [(NAME, "Ada")]
    run(server, test)


def test_failures_raise_rpc_error_and_deadlines_apply(server):
    async def test(people: People) -> None:
        stranger = await people.connect()
        try:
            with pytest.raises(RpcError) as error:
                await stranger.card.get_my_card(timeout=TIMEOUT)
            assert error.value.code == StatusCode.UNAUTHENTICATED
            with pytest.raises(RpcError) as error:
                await stranger.sign_in("+15550149999", "000000", timeout=TIMEOUT)
            assert error.value.code == StatusCode.PERMISSION_DENIED
            assert stranger.token is None
        finally:
            await stranger.close()

        ada = await people.register("ada")
        with pytest.raises(RpcError) as error:
            await ada.client.card.get_card(phone="+15550147777", timeout=TIMEOUT)
        assert error.value.code == StatusCode.NOT_FOUND
        # No event comes within the stream's deadline: it ends with DEADLINE_EXCEEDED.
        stream = ada.client.event.subscribe(timeout=0.3)
        with pytest.raises(RpcError) as error:
            async for message in stream:
                assert message.WhichOneof("message") == "ready"
        assert error.value.code == StatusCode.DEADLINE_EXCEEDED

        # The token works on a new connection; after logout it does not.
        again = await people.connect(token=ada.client.token)
        try:
            assert (await again.account.get_account(timeout=TIMEOUT)).user_id == ada.user_id
            await again.account.logout(timeout=TIMEOUT)
            with pytest.raises(RpcError) as error:
                await again.account.get_account(timeout=TIMEOUT)
            assert error.value.code == StatusCode.UNAUTHENTICATED
        finally:
            await again.close()
    run(server, test)
