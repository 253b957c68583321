"""``CSRFMiddleware``: issue and check CSRF tokens (see ``trioweb.config.csrf``).

A token is 64 hex digits of randomness followed by their HMAC-SHA256 under the secret;
the header (or form field) and the cookie must both be validly signed and carry the same
random part. Comparisons are constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import TYPE_CHECKING, Any, Final

from trioweb.connection import Request
from trioweb.datastructures import Cookie
from trioweb.enums import RequestEncodingType
from trioweb.exceptions import PermissionDeniedException
from trioweb.middleware.base import should_bypass_middleware

if TYPE_CHECKING:
    from trioweb.config.csrf import CSRFConfig
    from trioweb.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("CSRFMiddleware", "generate_csrf_hash", "generate_csrf_token")

CSRF_SECRET_BYTES: Final = 32
CSRF_SECRET_LENGTH: Final = CSRF_SECRET_BYTES * 2
CSRF_SCOPE_KEY: Final = "_csrf_token"
_FORM_TYPES: Final = frozenset({RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART})


def generate_csrf_hash(token: str, secret: str) -> str:
    """The hex HMAC-SHA256 of ``token`` under ``secret``."""
    return hmac.new(secret.encode(), token.encode(), hashlib.sha256).hexdigest()


def generate_csrf_token(secret: str) -> str:
    """A new token: random hex digits followed by their signature."""
    random_part = secrets.token_hex(CSRF_SECRET_BYTES)
    return random_part + generate_csrf_hash(random_part, secret)


class CSRFMiddleware:
    """Give safe requests a token cookie; refuse unsafe requests without a matching token."""

    scopes: Final = frozenset({"http"})

    def __init__(self, app: ASGIApp, config: CSRFConfig) -> None:
        self.app = app
        self.config = config
        exclude = config.exclude
        self.exclude = (
            re.compile(exclude if isinstance(exclude, str) else "|".join(exclude))
            if exclude
            else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        config = self.config
        if should_bypass_middleware(
            scope=scope,
            scopes=self.scopes,
            exclude_opt_key=config.exclude_from_csrf_key,
            exclude_path_pattern=self.exclude,
        ):
            await self.app(scope, receive, send)
            return
        request_class = getattr(scope.get("route_handler"), "request_class", None) or Request
        request: Request[Any, Any, Any] = request_class(scope, receive, send)
        cookie = request.cookies.get(config.cookie_name)
        if scope["method"] in config.safe_methods:
            token = scope[CSRF_SCOPE_KEY] = cookie or generate_csrf_token(config.secret)
            if cookie is None:
                send = self._send_with_cookie(send, token)
            await self.app(scope, receive, send)
            return
        sent = request.headers.get(config.header_name)
        if not sent and request.content_type[0] in _FORM_TYPES:
            form_value = (await request.form()).get("_csrf_token")
            sent = form_value if isinstance(form_value, str) else None
        if sent is None or cookie is None or not self._tokens_match(sent, cookie):
            raise PermissionDeniedException("CSRF token verification failed")
        scope[CSRF_SCOPE_KEY] = sent
        await self.app(scope, receive, send)

    def _send_with_cookie(self, send: Send, token: str) -> Send:
        config = self.config
        header = Cookie(
            key=config.cookie_name,
            value=token,
            path=config.cookie_path,
            secure=config.cookie_secure,
            httponly=config.cookie_httponly,
            samesite=config.cookie_samesite,
            domain=config.cookie_domain,
        ).to_encoded_header()

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*(message.get("headers") or ()), header]}
            await send(message)

        return send_with_cookie

    def _unsigned(self, token: str) -> str | None:
        """The random part of a validly signed token, else ``None``."""
        if len(token) <= CSRF_SECRET_LENGTH:
            return None
        random_part, signature = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
        expected = generate_csrf_hash(random_part, self.config.secret)
        # bytes: compare_digest refuses str with non-ASCII characters (a forged token may have them)
        valid = hmac.compare_digest(signature.encode(), expected.encode())
        return random_part if valid else None

    def _tokens_match(self, sent: str, cookie: str) -> bool:
        sent_part, cookie_part = self._unsigned(sent), self._unsigned(cookie)
        if sent_part is None or cookie_part is None:
            return False
        return hmac.compare_digest(sent_part.encode(), cookie_part.encode())
