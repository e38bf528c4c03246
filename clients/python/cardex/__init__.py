"""The Cardex SDK: typed calls to every Cardex service over FramedRPC.

    from cardex import CardexClient
    with CardexClient("localhost", 50051, ca_file="cardex-data/dev-ca.pem") as client:
        client.registration.request_code(phone="+12015550123", purpose="CODE_PURPOSE_REGISTER")
        client.sign_in("+12015550123", code, device_name="laptop")   # sets the session token
        print(client.card.get_my_card())

`AsyncCardexClient` (`cardex.aio`) is the same on asyncio: `await` the calls.

The protobuf messages are in `cardex.v1` (`card_pb2`, `share_pb2`, …) and the generated stubs
beside them (`card_framedrpc`, …), all found in Generated/python/ when that directory is on
`sys.path`, or installed with this package (`pip install ./clients/python`): like `framedrpc`,
this package extends its `__path__` over every `cardex` directory on `sys.path`.
"""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)

from framedrpc import Metadata, RpcError, Status, StatusCode  # noqa: E402

from .aio import AsyncCardexClient  # noqa: E402 - after __path__, so cardex.v1 resolves
from .client import CardexClient  # noqa: E402

__all__ = ["AsyncCardexClient", "CardexClient", "Metadata", "RpcError", "Status", "StatusCode"]
