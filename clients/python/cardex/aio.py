"""`AsyncCardexClient`: `CardexClient` on asyncio, one typed async stub per Cardex service."""

from __future__ import annotations

from framedrpc import ConnectionConfig, TlsConfig
from framedrpc.aio import Client, Connection

from cardex.session import Session
from cardex.v1 import registration_pb2
from cardex.v1.book_framedrpc import AddressBookServiceAsyncStub
from cardex.v1.card_framedrpc import CardServiceAsyncStub
from cardex.v1.events_framedrpc import EventServiceAsyncStub
from cardex.v1.group_framedrpc import GroupServiceAsyncStub
from cardex.v1.lookup_framedrpc import LookupServiceAsyncStub
from cardex.v1.registration_framedrpc import (
    AccountServiceAsyncStub, RegistrationServiceAsyncStub,
)
from cardex.v1.share_framedrpc import ShareServiceAsyncStub
from cardex.v1.sync_framedrpc import SyncServiceAsyncStub


class AsyncCardexClient(Session):
    """A connection to a Cardex server on asyncio, with a typed async stub per service, named
    as `CardexClient`'s (ShareService -> `share`, AddressBookService -> `address_book`).

    The token rule is `CardexClient`'s (see `cardex.session.Session`). Unary and
    client-streaming methods are coroutines returning the response message; server-streaming
    and bidirectional ones return the call at once, for `async with` and `async for`. Errors as
    `CardexClient`'s (`framedrpc.RpcError`). Use it on the event loop that connected it.

        async with await AsyncCardexClient.connect(host, port, ca_file="dev-ca.pem") as client:
            await client.registration.request_code(phone=phone, purpose="CODE_PURPOSE_REGISTER")
    """

    def __init__(self, connection: Connection, *, token: str | None = None) -> None:
        """A client on a connection made elsewhere (for example plaintext, in a test); the
        client owns it from then on and closes it in `close()`. `connect` makes one over TLS."""
        super().__init__(token)
        self.connection = connection
        rpc = Client(connection)
        credentials = self.credentials
        self.registration = RegistrationServiceAsyncStub(rpc, metadata=credentials)
        """Sign-in by code, and the code step of a number change."""
        self.account = AccountServiceAsyncStub(rpc, metadata=credentials)
        """Settings, sessions, logout, account deletion."""
        self.card = CardServiceAsyncStub(rpc, metadata=credentials)
        """My card and other people's."""
        self.share = ShareServiceAsyncStub(rpc, metadata=credentials)
        """Sharing my card; the inbox of shares sent to me."""
        self.event = EventServiceAsyncStub(rpc, metadata=credentials)
        """This device's event stream (`subscribe`)."""
        self.address_book = AddressBookServiceAsyncStub(rpc, metadata=credentials)
        """My cloud address book."""
        self.group = GroupServiceAsyncStub(rpc, metadata=credentials)
        """Groups: shared address books."""
        self.sync = SyncServiceAsyncStub(rpc, metadata=credentials)
        """Query-update and delta sync."""
        self.lookup = LookupServiceAsyncStub(rpc, metadata=credentials)
        """Caller-ID lookup and contact discovery."""

    @classmethod
    async def connect(cls, host: str, port: int, ca_file: str | None = None, *,
                      token: str | None = None, server_hostname: str | None = None,
                      config: ConnectionConfig = ConnectionConfig()) -> AsyncCardexClient:
        """Connects over TLS, as `CardexClient(host, port, ca_file, ...)` does.

        Raises OSError (including ConnectionError and TimeoutError) or ssl.SSLError when the
        server cannot be reached or its certificate is not trusted.
        """
        tls = TlsConfig(cafile=ca_file, server_hostname=server_hostname)
        return cls(await Connection.connect(host, port, tls=tls, config=config), token=token)

    async def sign_in(self, phone: str, code: str, *, device_name: str = "",
                      purpose: registration_pb2.CodePurpose.ValueType =
                      registration_pb2.CODE_PURPOSE_REGISTER,
                      timeout: float | None = None) -> registration_pb2.VerifyCodeResponse:
        """Verifies a code and keeps the new session's token, as `CardexClient.sign_in`."""
        request = self._verify_request(phone, code, device_name, purpose)
        return self._signed_in(await self.registration.verify_code(request, timeout=timeout))

    async def close(self) -> None:
        """Closes the connection; calls still open end with CANCELLED."""
        await self.connection.close()

    async def __aenter__(self) -> AsyncCardexClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
