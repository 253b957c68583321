"""Allowed hosts (``allowed_hosts=``): foreign hosts get 400 on matched routes.

Expectations observed from Litestar 2.25 (``tools/litestar_diff``, cases ``hosts_*``).
"""

from __future__ import annotations

import pytest

from trioweb import TrioWeb, get, websocket
from trioweb.config.allowed_hosts import AllowedHostsConfig
from trioweb.connection import WebSocket
from trioweb.exceptions import ImproperlyConfiguredException, WebSocketDisconnect
from trioweb.testing import AsyncTestClient


@get("/")
async def index() -> str:
    return "ok"


@get("/open", opt={"skip_hosts": True})
async def open_route() -> str:
    return "open"


@websocket("/ws")
async def socket(socket: WebSocket) -> None:
    await socket.accept()
    await socket.send_text("hi")
    await socket.close()


def make_app(allowed: list[str] | AllowedHostsConfig) -> TrioWeb:
    return TrioWeb([index, open_route, socket], allowed_hosts=allowed, openapi_config=None)


LISTED = ["example.com", "www.example.org", "*.example.net"]


@pytest.mark.parametrize(
    "host",
    ["example.com", "example.com:8000", "www.example.org", "api.example.net", "a.b.example.net"],
)
async def test_listed_hosts_pass(host: str) -> None:
    async with AsyncTestClient(make_app(LISTED)) as client:
        response = await client.get("/", headers={"host": host})
    assert (response.status_code, response.text) == (200, "ok")


@pytest.mark.parametrize("host", ["evil.com", "example.net", "example.com.evil.com", ""])
async def test_other_hosts_get_400(host: str) -> None:
    async with AsyncTestClient(make_app(LISTED)) as client:
        response = await client.get("/", headers={"host": host})
    assert response.status_code == 400
    assert response.content == b'{"message":"invalid host header"}'
    assert response.headers["content-type"] == "application/json"


async def test_the_bare_name_of_a_www_host_is_redirected() -> None:
    async with AsyncTestClient(make_app(LISTED)) as client:
        response = await client.get(
            "/?q=1", headers={"host": "example.org"}, follow_redirects=False
        )
    assert response.status_code == 302
    assert response.headers["location"] == "http://www.example.org/?q=1"


async def test_unmatched_paths_answer_404_whatever_the_host() -> None:
    async with AsyncTestClient(make_app(LISTED)) as client:
        response = await client.get("/missing", headers={"host": "evil.com"})
    assert response.status_code == 404


async def test_config_options() -> None:
    config = AllowedHostsConfig(
        allowed_hosts=["www.example.org"], www_redirect=False, exclude_opt_key="skip_hosts"
    )
    async with AsyncTestClient(make_app(config)) as client:
        bare = await client.get("/", headers={"host": "example.org"})
        excluded = await client.get("/open", headers={"host": "evil.com"})
    assert bare.status_code == 400
    assert (excluded.status_code, excluded.text) == (200, "open")


async def test_a_star_allows_everything() -> None:
    async with AsyncTestClient(make_app(["*"])) as client:
        response = await client.get("/", headers={"host": "anything.test"})
    assert response.status_code == 200


async def test_websockets_are_checked_too() -> None:
    async with AsyncTestClient(make_app(LISTED), base_url="http://example.com") as client:
        async with client.websocket_connect("/ws") as session:
            assert await session.receive_text() == "hi"
    async with AsyncTestClient(make_app(LISTED), base_url="http://evil.com") as client:
        with pytest.raises(WebSocketDisconnect) as refused:
            async with client.websocket_connect("/ws"):
                pass
    assert (refused.value.code, refused.value.detail) == (1008, "invalid host")


def test_a_wildcard_must_lead() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="domain wildcards"):
        AllowedHostsConfig(allowed_hosts=["example.*"])


def test_an_empty_list_means_no_check() -> None:
    assert make_app([]).allowed_hosts is None
