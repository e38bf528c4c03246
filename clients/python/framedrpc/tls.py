"""TLS settings for a client connection (PROTOCOL.md §1)."""

from __future__ import annotations

import ssl
from dataclasses import dataclass

ALPN_PROTOCOL = "framedrpc/1"

TLS12_CIPHERS = ":".join([
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
])
"""The forward-secret AEAD suites the server accepts with TLS 1.2 (TLS 1.3 suites are
not affected by this list)."""


@dataclass(frozen=True)
class TlsConfig:
    """How to secure a connection.

    - `cafile`: PEM bundle of CAs to trust; None trusts the system's default CAs.
    - `certfile` / `keyfile`: the client certificate chain and key, for mutual TLS;
      `keyfile` may be None when the key is inside `certfile`.
    - `server_hostname`: the name to verify the server certificate against (also sent as
      SNI when it is a DNS name); None uses the host passed to `connect`.

    The server certificate is always verified. TLS 1.2 is the minimum version; ALPN
    offers "framedrpc/1".
    """

    cafile: str | None = None
    certfile: str | None = None
    keyfile: str | None = None
    server_hostname: str | None = None

    def verified_name(self, host: str | None) -> str:
        """The name the server certificate is verified against: `server_hostname`, else `host`
        (the host connected to; None for a socket connected elsewhere). Raises ValueError when
        neither is set."""
        name = self.server_hostname or host
        if name is None:
            raise ValueError("TLS needs a server name: set TlsConfig.server_hostname")
        return name

    def create_context(self) -> ssl.SSLContext:
        """A client SSLContext with these settings; raises OSError/ssl.SSLError for bad files."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies certificate and hostname
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.set_ciphers(TLS12_CIPHERS)
        context.set_alpn_protocols([ALPN_PROTOCOL])
        if self.cafile is None:
            context.load_default_certs(ssl.Purpose.SERVER_AUTH)
        else:
            context.load_verify_locations(cafile=self.cafile)
        if self.certfile is not None:
            context.load_cert_chain(self.certfile, self.keyfile)
        elif self.keyfile is not None:
            raise ValueError("TlsConfig.keyfile is set without certfile: set both for mutual TLS")
        return context
