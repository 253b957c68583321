"""``AllowedHostsMiddleware``: check the ``Host`` header (see ``trioweb.config.allowed_hosts``).

A host matches when it, or its name without the port, is listed: ``example.com`` allows
``example.com:8000``. (Litestar compares the header with its port, so a listed name never
matches a request to a non-default port.)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from trioweb.datastructures import URL
from trioweb.middleware._headers import find_header
from trioweb.middleware.base import AbstractMiddleware
from trioweb.response.base import ASGIResponse
from trioweb.response.redirect import ASGIRedirectResponse
from trioweb.status_codes import HTTP_400_BAD_REQUEST

if TYPE_CHECKING:
    from trioweb.config.allowed_hosts import AllowedHostsConfig
    from trioweb.types import ASGIApp, Receive, Scope, Send

__all__ = ("AllowedHostsMiddleware",)

_INVALID_HOST = b'{"message":"invalid host header"}'


def _host_pattern(host: str) -> str:
    if host.startswith("*."):
        return rf".*\.{re.escape(host[2:])}"
    return re.escape(host)


class AllowedHostsMiddleware(AbstractMiddleware):
    """Answer requests for a host the app does not serve with 400 (or a ``www`` redirect)."""

    def __init__(self, app: ASGIApp, config: AllowedHostsConfig) -> None:
        super().__init__(
            app=app,
            exclude=config.exclude,
            exclude_opt_key=config.exclude_opt_key,
            scopes=config.scopes,
        )
        self.allowed_hosts_regex: re.Pattern[str] | None = None
        self.redirect_domains: re.Pattern[str] | None = None
        if "*" in config.allowed_hosts:
            return
        patterns = sorted({_host_pattern(host) for host in config.allowed_hosts})
        self.allowed_hosts_regex = re.compile("|".join(patterns))
        if config.www_redirect:
            bare = sorted({re.escape(h[4:]) for h in config.allowed_hosts if h.startswith("www.")})
            if bare:
                self.redirect_domains = re.compile("|".join(bare))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        allowed = self.allowed_hosts_regex
        if allowed is None:
            await self.app(scope, receive, send)
            return
        raw = find_header(scope["headers"], b"host")
        host = raw.decode("latin-1") if raw else ""
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name:
            if allowed.fullmatch(host) or allowed.fullmatch(name):
                await self.app(scope, receive, send)
                return
            redirect = self.redirect_domains
            if redirect is not None and scope["type"] == "http" and redirect.fullmatch(name):
                url = URL.from_scope(scope)
                target = url.with_replacements(netloc=f"www.{url.netloc}")
                await ASGIRedirectResponse(path=str(target))(scope, receive, send)
                return
        await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # Closing before accepting makes the server refuse the handshake (403).
            if (await receive())["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": 1008, "reason": "invalid host"})
            return
        await ASGIResponse(body=_INVALID_HOST, status_code=HTTP_400_BAD_REQUEST)(
            scope, receive, send
        )
