"""FramedRPC client: calls over the FramedRPC wire protocol (docs/PROTOCOL.md).

    from framedrpc import Client, Connection, TlsConfig
    with Connection.connect("localhost", 8443, tls=TlsConfig(cafile="ca.pem")) as connection:
        response = Client(connection).unary("/pkg.Service/Method", request, ResponseType)

Generated protobuf modules live in the subpackages `framedrpc.v1` (wire control
messages), `framedrpc.testing` (interop service), `framedrpc.health.v1` and
`framedrpc.reflection.v1`, found in Generated/python/ when that directory is on `sys.path`:
this package extends its `__path__` over every `framedrpc` directory on `sys.path` (a
pkgutil-style namespace package). So no module here may be named after one of them
(`reflection.py` would hide `framedrpc.reflection.v1`).

The same client on asyncio is `framedrpc.aio`. The `framedrpc` command (`python3 -m framedrpc`)
is in cli.py.
"""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

from .call import Call  # noqa: E402 - after __path__, so framedrpc.v1 resolves
from .client import Client  # noqa: E402
from .config import ConnectionConfig  # noqa: E402
from .connection import Connection  # noqa: E402
from .framing import ProtocolError  # noqa: E402
from .metadata import Metadata  # noqa: E402
from .status import RpcError, Status, StatusCode, StatusDetail  # noqa: E402
from .stub import CallKind, MethodDescriptor, Stub  # noqa: E402
from .tls import TlsConfig  # noqa: E402

__all__ = [
    "Call", "CallKind", "Client", "Connection", "ConnectionConfig", "Metadata",
    "MethodDescriptor", "ProtocolError", "RpcError", "Status", "StatusCode", "StatusDetail",
    "Stub", "TlsConfig",
]
