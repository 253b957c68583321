"""``CORSMiddleware``: answers preflights and adds CORS headers (see ``trioweb.config.cors``).

The app installs it outside routing when ``cors_config`` is given, so 404 and 405 answers
carry the headers too, as in Litestar. A request without an ``Origin`` header costs one
scan of the request headers and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from trioweb.config.cors import DEFAULT_ALLOWED_CORS_HEADERS
from trioweb.middleware._headers import add_vary, find_header, set_header
from trioweb.response.base import ASGIResponse
from trioweb.status_codes import HTTP_204_NO_CONTENT, HTTP_400_BAD_REQUEST

if TYPE_CHECKING:
    from trioweb.config.cors import CORSConfig
    from trioweb.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("CORSMiddleware",)

_ALLOW_ORIGIN: Final = b"access-control-allow-origin"
_ALLOW_HEADERS: Final = b"access-control-allow-headers"
_SAFELISTED: Final = frozenset(name.lower() for name in DEFAULT_ALLOWED_CORS_HEADERS)


def _encode(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    ]


class CORSMiddleware:
    """Cross-origin resource sharing for every HTTP request of the app it wraps."""

    __slots__ = ("_listed", "_preflight", "_simple", "app", "config")

    def __init__(self, app: ASGIApp, config: CORSConfig) -> None:
        self.app = app
        self.config = config
        self._simple = _encode(config.simple_headers)
        # Litestar also lists the configured headers and methods on every answer.
        self._listed = [
            (_ALLOW_HEADERS, ", ".join(sorted(set(config.allow_headers))).encode("latin-1")),
            (
                b"access-control-allow-methods",
                ", ".join(sorted(set(config.allow_methods))).encode("latin-1"),
            ),
        ]
        self._preflight = _encode(config.preflight_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            origin = find_header(scope["headers"], b"origin")
            if origin:
                if scope["method"] == "OPTIONS":
                    await self.preflight_response(scope, origin)(scope, receive, send)
                    return
                # Litestar 2 also names the origin when all are allowed and cookies came along
                echo = (
                    self.config.is_allow_all_origins
                    and find_header(scope["headers"], b"cookie") is not None
                ) or self._echoes(origin)
                await self.app(scope, receive, self._send_wrapper(send, origin, echo))
                return
        await self.app(scope, receive, send)

    def _echoes(self, origin: bytes) -> bool:
        config = self.config
        return config.echoes_origin and config.is_origin_allowed(origin.decode("latin-1"))

    def _send_wrapper(self, send: Send, origin: bytes, echo: bool) -> Send:
        simple, listed = self._simple, self._listed

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or ())
                for name, value in simple:
                    set_header(headers, name, value)
                if echo:
                    set_header(headers, _ALLOW_ORIGIN, origin)
                    add_vary(headers, b"Origin")
                for name, value in listed:
                    set_header(headers, name, value)
                message = {**message, "headers": headers}
            await send(message)

        return send_with_cors

    def preflight_response(self, scope: Scope, origin: bytes) -> ASGIResponse:
        """The answer to an ``OPTIONS`` request with an ``Origin``: 204, or 400 on a refusal."""
        config = self.config
        request_headers = scope["headers"]
        failures: list[str] = []
        method = (find_header(request_headers, b"access-control-request-method") or b"").decode(
            "latin-1"
        )
        if method and not config.is_allow_all_methods and method not in config.allow_methods:
            failures.append("method")
        headers = list(self._preflight)
        if not config.is_origin_allowed(origin.decode("latin-1")):
            failures.append("Origin")
        elif config.echoes_origin:
            headers.append((_ALLOW_ORIGIN, origin))
        raw_requested = find_header(request_headers, b"access-control-request-headers") or b""
        requested = [
            name.strip() for name in raw_requested.decode("latin-1").split(",") if name.strip()
        ]
        if requested:
            if config.is_allow_all_headers:
                allowed = ", ".join(sorted(set(requested) | DEFAULT_ALLOWED_CORS_HEADERS))
                set_header(headers, _ALLOW_HEADERS, allowed.encode("latin-1"))
            else:
                known = _SAFELISTED.union(config.allow_headers)
                if any(name.lower() not in known for name in requested):
                    failures.append("headers")
        if failures:
            body = f"Disallowed CORS {', '.join(failures)}".encode()
            refusal = [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode("latin-1")),
            ]
            return ASGIResponse.prepared(HTTP_400_BAD_REQUEST, refusal, body, None)
        return ASGIResponse.prepared(HTTP_204_NO_CONTENT, headers, b"", None)
