"""`CardexClient`: one connection, one typed stub per Cardex service, and the session token."""

from __future__ import annotations

from framedrpc import Client, Connection, ConnectionConfig, TlsConfig

from cardex.session import AUTHORIZATION_KEY, Session
from cardex.v1 import registration_pb2
from cardex.v1.book_framedrpc import AddressBookServiceStub
from cardex.v1.card_framedrpc import CardServiceStub
from cardex.v1.events_framedrpc import EventServiceStub
from cardex.v1.group_framedrpc import GroupServiceStub
from cardex.v1.lookup_framedrpc import LookupServiceStub
from cardex.v1.registration_framedrpc import AccountServiceStub, RegistrationServiceStub
from cardex.v1.share_framedrpc import ShareServiceStub
from cardex.v1.sync_framedrpc import SyncServiceStub

__all__ = ["AUTHORIZATION_KEY", "CardexClient"]


class CardexClient(Session):
    """A connection to a Cardex server with a typed stub per service, named after the service
    in snake_case without "Service" (ShareService -> `share`, AddressBookService ->
    `address_book`).

    Every call carries `authorization: Bearer <token>` once `token` is set (by `sign_in`, or
    by assigning a token from an earlier sign-in); only RequestCode and VerifyCode work
    without one. Stub methods return the response message, raise `framedrpc.RpcError`
    (status code and message) when the call fails, and take `metadata=` and `timeout=`
    (seconds) besides the request. Thread-safe: calls from any thread share the connection.
    `cardex.AsyncCardexClient` is the same on asyncio.
    """

    def __init__(self, host: str, port: int, ca_file: str | None = None, *,
                 token: str | None = None, server_hostname: str | None = None,
                 config: ConnectionConfig = ConnectionConfig()) -> None:
        """Connects over TLS, trusting the CAs in `ca_file` (a development server's
        `dev-ca.pem`; None trusts the system's CAs). `server_hostname` is the name the
        certificate must carry when it is not `host`.

        Raises OSError (including ConnectionError and TimeoutError) or ssl.SSLError when the
        server cannot be reached or its certificate is not trusted.
        """
        tls = TlsConfig(cafile=ca_file, server_hostname=server_hostname)
        self._init(Connection.connect(host, port, tls=tls, config=config), token)

    @classmethod
    def over_connection(cls, connection: Connection, *, token: str | None = None) -> CardexClient:
        """A client on a connection made elsewhere (for example plaintext, in a test); the
        client owns it from then on and closes it in `close()`."""
        client = cls.__new__(cls)
        client._init(connection, token)
        return client

    def _init(self, connection: Connection, token: str | None) -> None:
        Session.__init__(self, token)
        self.connection = connection
        rpc = Client(connection)
        credentials = self.credentials
        self.registration = RegistrationServiceStub(rpc, metadata=credentials)
        """Sign-in by code, and the code step of a number change."""
        self.account = AccountServiceStub(rpc, metadata=credentials)
        """Settings, sessions, logout, account deletion."""
        self.card = CardServiceStub(rpc, metadata=credentials)
        """My card and other people's."""
        self.share = ShareServiceStub(rpc, metadata=credentials)
        """Sharing my card; the inbox of shares sent to me."""
        self.event = EventServiceStub(rpc, metadata=credentials)
        """This device's event stream (`subscribe`)."""
        self.address_book = AddressBookServiceStub(rpc, metadata=credentials)
        """My cloud address book."""
        self.group = GroupServiceStub(rpc, metadata=credentials)
        """Groups: shared address books."""
        self.sync = SyncServiceStub(rpc, metadata=credentials)
        """Query-update and delta sync."""
        self.lookup = LookupServiceStub(rpc, metadata=credentials)
        """Caller-ID lookup and contact discovery."""

    def sign_in(self, phone: str, code: str, *, device_name: str = "",
                purpose: registration_pb2.CodePurpose.ValueType =
                registration_pb2.CODE_PURPOSE_REGISTER,
                timeout: float | None = None) -> registration_pb2.VerifyCodeResponse:
        """Verifies a code from RequestCode and, for REGISTER and LOGIN, keeps the new session's
        token in `token`, so later calls are made as that session.

        Raises RpcError as VerifyCode does (PERMISSION_DENIED for a wrong or expired code).
        """
        request = self._verify_request(phone, code, device_name, purpose)
        return self._signed_in(self.registration.verify_code(request, timeout=timeout))

    def close(self) -> None:
        """Closes the connection; calls still open end with CANCELLED."""
        self.connection.close()

    def __enter__(self) -> CardexClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
