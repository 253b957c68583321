"""What the synchronous and the asynchronous test client share: checks and WebSocket requests."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from httpx._types import CookieTypes, HeaderTypes, QueryParamTypes

__all__ = ("DEFAULT_BASE_URL", "build_websocket_request", "check_client_options")

DEFAULT_BASE_URL = "http://testserver.local"
"""Litestar's default. The dot matters: ``http.cookiejar`` drops cookies for dotless hosts."""


def check_client_options(
    base_url: str, backend: str, backend_options: Mapping[str, Any] | None, *, sync: bool
) -> None:
    """Refuse options trioweb cannot honour; warn about a base URL that loses cookies."""
    if backend != "trio":
        raise ValueError(f"trioweb's test clients run on trio only, not {backend!r}")
    if backend_options and not sync:
        raise ValueError(
            "backend_options only apply to the synchronous TestClient, which starts its own "
            "trio loop; the AsyncTestClient runs on the caller's loop"
        )
    host = httpx.URL(base_url).host
    if "." not in host:
        warnings.warn(
            f"the base_url {base_url!r} has no dot in its host name, so cookies set by the app "
            f"will not be stored; try {host + '.local'!r}",
            UserWarning,
            stacklevel=3,
        )


def build_websocket_request(
    client: httpx.Client | httpx.AsyncClient,
    url: str,
    *,
    subprotocols: Sequence[str] | None,
    params: QueryParamTypes | None,
    headers: HeaderTypes | None,
    cookies: CookieTypes | None,
) -> httpx.Request:
    """The upgrade request for ``url``, with the client's base URL, headers and cookies."""
    handshake = httpx.Headers(
        {
            "connection": "upgrade",
            "upgrade": "websocket",
            "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
            "sec-websocket-version": "13",
        }
    )
    if subprotocols:
        handshake["sec-websocket-protocol"] = ", ".join(subprotocols)
    handshake.update(httpx.Headers(headers))  # the test's own headers win
    return client.build_request("GET", url, params=params, headers=handshake, cookies=cookies)
