"""FramedRPC on asyncio: the same wire protocol and calls as `framedrpc`, without threads.

    from framedrpc import TlsConfig
    from framedrpc.aio import Client, Connection
    async with await Connection.connect("localhost", 8443, tls=TlsConfig(cafile="ca.pem")) as c:
        response = await Client(c).unary("/pkg.Service/Method", request, ResponseType)

A connection lives on the event loop that connected it (asyncio streams, TLS through
`ssl.SSLContext`); one read task demultiplexes its frames. What a connection and a call do
with frames (`framedrpc.connection_core`, `framedrpc.call_core`, `framedrpc.call_state`),
framing, flow control, metadata, status and TLS settings are the threaded client's own modules;
this package adds only the asyncio I/O and waiting. Generated stubs have a `<Service>AsyncStub`
on `Client`.
"""

from .call import Call
from .client import Client
from .connection import Connection
from .stub import AsyncBidiStream, AsyncResponseStream, AsyncStub

__all__ = ["AsyncBidiStream", "AsyncResponseStream", "AsyncStub", "Call", "Client", "Connection"]
