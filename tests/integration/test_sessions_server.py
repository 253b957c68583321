"""Sessions against a real hypercorn trio server, with httpx keeping the cookies.

Both backends: a session set by one request is read by the next over new connections, a big
cookie session travels as numbered cookies, clearing deletes it, and a WebSocket handshake
carrying the cookie sees the session.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import trio_websocket

from tests.integration._server import open_server
from trioweb import Request, TrioWeb, WebSocket, get, post, websocket
from trioweb.middleware.session.base import BaseBackendConfig
from trioweb.middleware.session.client_side import CookieBackendConfig
from trioweb.middleware.session.server_side import ServerSideSessionConfig


@post("/login")
async def login(request: Request[Any, Any, Any], data: dict[str, Any]) -> None:
    request.set_session(data)


@get("/me")
async def me(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return request.session


@post("/logout")
async def logout(request: Request[Any, Any, Any]) -> None:
    request.clear_session()


@websocket("/ws")
async def ws(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    await socket.send_json(socket.session)
    await socket.close()


@pytest.mark.parametrize(
    "config",
    [CookieBackendConfig(secret=b"k" * 32), ServerSideSessionConfig()],
    ids=["cookie", "server"],
)
async def test_a_session_survives_between_requests_on_a_real_server(
    config: BaseBackendConfig[Any],
) -> None:
    app = TrioWeb([login, me, logout, ws], middleware=[config.middleware])
    async with open_server(app) as url:
        # a new connection per request: only the cookie jar carries the session
        limits = httpx.Limits(max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=url, limits=limits) as client:
            assert (await client.get("/me")).json() == {}
            assert (await client.post("/login", json={"user": "ada"})).status_code == 201
            assert (await client.get("/me")).json() == {"user": "ada"}

            big = {"user": "ada", "notes": "n" * 6000}
            response = await client.post("/login", json=big)
            names = {c.split("=")[0] for c in response.headers.get_list("set-cookie")}
            if isinstance(config, CookieBackendConfig):
                assert {"session-0", "session-1"} <= names
            assert (await client.get("/me")).json() == big

            cookie_header = "; ".join(f"{c.name}={c.value}" for c in client.cookies.jar)
            ws_url = url.replace("http://", "ws://") + "/ws"
            async with trio_websocket.open_websocket_url(
                ws_url, extra_headers=[("cookie", cookie_header)]
            ) as conn:
                assert json.loads(await conn.get_message()) == big

            await client.post("/logout")
            assert (await client.get("/me")).json() == {}
