"""The session token a Cardex client sends, and how signing in sets it (both clients' rule)."""

from __future__ import annotations

from framedrpc import Metadata

from cardex.v1 import registration_pb2

AUTHORIZATION_KEY = "authorization"
"""The metadata key of the session token, sent as "Bearer <token>" (as the Swift client does)."""


class Session:
    """The token part of `CardexClient` and `AsyncCardexClient`.

    Every call carries `authorization: Bearer <token>` once `token` is set; only RequestCode and
    VerifyCode work without one. The stubs read `credentials` at the start of each call, so a
    token set later (by `sign_in`, or assigned) is sent from then on.
    """

    def __init__(self, token: str | None) -> None:
        self.token = token
        """The session token sent with every call; None sends none."""

    def credentials(self) -> Metadata:
        """The metadata carrying the current token (empty without one)."""
        token = self.token
        return Metadata([(AUTHORIZATION_KEY, f"Bearer {token}")] if token else [])

    def _verify_request(self, phone: str, code: str, device_name: str,
                        purpose: registration_pb2.CodePurpose.ValueType
                        ) -> registration_pb2.VerifyCodeRequest:
        return registration_pb2.VerifyCodeRequest(phone=phone, code=code, purpose=purpose,
                                                  device_name=device_name)

    def _signed_in(self, response: registration_pb2.VerifyCodeResponse
                   ) -> registration_pb2.VerifyCodeResponse:
        """Keeps the token a REGISTER or LOGIN verification returned."""
        if response.session_token:
            self.token = response.session_token
        return response
