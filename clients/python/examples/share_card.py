"""Two people share a card with the asyncio Cardex SDK, through the typed stubs.

    python3 share_card.py HOST PORT DATA_DIR [ADA_PHONE BOB_PHONE]

against a development server (`cardex serve --data-dir DATA_DIR`, or scripts/serve.sh, which
uses ./cardex-data): the client trusts DATA_DIR/dev-ca.pem and reads the verification codes
from DATA_DIR/notifications.log, where that server writes them instead of sending SMS. Ada and
Bob register, Ada sets her card, Bob follows his event stream while Ada shares the card with
him, accepts the share, and sees Ada's card arrive (on accepting) and then her next change.
Prints what happened as JSON.

The program type-checks with `mypy --strict` (tests/test_wheel.py checks it with the installed
wheel, and runs it).
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

from cardex import AsyncCardexClient
from cardex.v1 import card_pb2, events_pb2

CODE_WAIT = 10.0     # seconds to wait for a code to reach the notification log
STREAM_WAIT = 30.0   # seconds the event stream stays open
CALL_TIMEOUT = 10.0  # seconds each call may take
_CODE = re.compile(r"code is (\d{6})")


async def code_for(phone: str, notifications: Path) -> str:
    """The last code the development server wrote for `phone`."""
    for _ in range(int(CODE_WAIT / 0.1)):
        if notifications.exists():
            for line in reversed(notifications.read_text().splitlines()):
                entry = json.loads(line)
                match = _CODE.search(entry.get("body", ""))
                if entry.get("to") == phone and match:
                    return match[1]
        await asyncio.sleep(0.1)
    raise RuntimeError(f"no code for {phone} in {notifications} within {CODE_WAIT} s")


async def signed_in(host: str, port: int, data_dir: Path, phone: str,
                    device: str) -> tuple[AsyncCardexClient, str]:
    """A client signed in as a new account for `phone`, and its user id."""
    client = await AsyncCardexClient.connect(host, port, ca_file=str(data_dir / "dev-ca.pem"))
    await client.registration.request_code(phone=phone, purpose="CODE_PURPOSE_REGISTER",
                                           timeout=CALL_TIMEOUT)
    code = await code_for(phone, data_dir / "notifications.log")
    response = await client.sign_in(phone, code, device_name=device, timeout=CALL_TIMEOUT)
    return client, response.user_id


def name_card(name: str) -> card_pb2.SetCardRequest:
    contacts = card_pb2.Audience(level=card_pb2.AUDIENCE_LEVEL_CONTACTS)
    return card_pb2.SetCardRequest(card=card_pb2.Card(fields=[
        card_pb2.CardField(kind=card_pb2.FIELD_KIND_NAME, value=name, audience=contacts)]))


def names(card: card_pb2.Card) -> list[str]:
    return [field.value for field in card.fields if field.kind == card_pb2.FIELD_KIND_NAME]


async def follow(client: AsyncCardexClient, ready: asyncio.Event,
                 events: asyncio.Queue[events_pb2.Event]) -> None:
    """Puts the events of `client`'s stream on `events`; sets `ready` once it is live."""
    async with client.event.subscribe(timeout=STREAM_WAIT) as stream:
        async for message in stream:
            if message.WhichOneof("message") == "ready":
                ready.set()
            else:
                await events.put(message.event)


async def main(host: str, port: int, data_dir: Path, ada_phone: str, bob_phone: str) -> None:
    ada, ada_id = await signed_in(host, port, data_dir, ada_phone, "ada-laptop")
    bob, bob_id = await signed_in(host, port, data_dir, bob_phone, "bob-phone")
    async with ada, bob:
        saved = await ada.card.set_card(name_card("Ada Lovelace"), timeout=CALL_TIMEOUT)
        ready = asyncio.Event()
        events: asyncio.Queue[events_pb2.Event] = asyncio.Queue()
        follower = asyncio.ensure_future(follow(bob, ready, events))
        await ready.wait()

        shared = await ada.share.share_card(recipients=[{"phone": bob_phone}],
                                            timeout=CALL_TIMEOUT)
        received = (await events.get()).share_received
        accepted = await bob.share.accept_share(item_id=received.item_id, timeout=CALL_TIMEOUT)
        await ada.card.set_card(name_card("Ada King"), timeout=CALL_TIMEOUT)
        updates: list[list[str]] = []  # Ada's card as each card_updated event shows it to Bob
        while ["Ada King"] not in updates:
            event = await events.get()
            if event.WhichOneof("kind") == "card_updated":
                assert event.card_updated.user_id == ada_id
                updates.append(names(event.card_updated.card))
        follower.cancel()
        await asyncio.gather(follower, return_exceptions=True)

        print(json.dumps({
            "ada": ada_id, "bob": bob_id, "card_version": saved.version.version,
            "shares": list(shared.share_ids), "received_from": received.shared.user_id,
            "accepted": names(accepted.card.card), "updates": updates,
        }))


if __name__ == "__main__":
    if len(sys.argv) not in (4, 6):
        sys.exit(__doc__.split("\n\n")[1])
    phones = sys.argv[4:] or ["+12015550123", "+12015550187"]
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), phones[0], phones[1]))
