"""Session middleware: encrypted cookie sessions and server-side sessions in a store.

The wire behaviour (cookie names, attributes, chunking, ``null`` deletions, the server-side
id cookie) was compared with Litestar 2.25 answering the same requests.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from base64 import b64decode, b64encode
from types import SimpleNamespace
from typing import Any

import msgspec
import pytest

from trioweb import Request, TrioWeb, WebSocket, get, post, websocket
from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.middleware.session import client_side
from trioweb.middleware.session.base import BaseBackendConfig
from trioweb.middleware.session.client_side import CHUNK_SIZE, CookieBackendConfig
from trioweb.middleware.session.server_side import ServerSideSessionConfig
from trioweb.stores import memory
from trioweb.stores.memory import MemoryStore
from trioweb.testing import AsyncTestClient, TestClient

SECRET = b"0123456789abcdef"
ATTRIBUTES = "HttpOnly; Max-Age=1209600; Path=/; SameSite=lax"


@post("/session")
async def set_session(request: Request[Any, Any, Any], data: dict[str, Any]) -> None:
    request.set_session(data)


@post("/session/add")
async def add_to_session(request: Request[Any, Any, Any], data: dict[str, Any]) -> None:
    request.session.update(data)


@get("/session")
async def read_session(request: Request[Any, Any, Any]) -> dict[str, Any]:
    return {"session": request.session, "id": request.get_session_id()}


@post("/session/clear")
async def clear_session(request: Request[Any, Any, Any]) -> None:
    request.clear_session()


@get("/public/page")
async def public(request: Request[Any, Any, Any]) -> dict[str, bool]:
    return {"has_session": "session" in request.scope}


@get("/opted-out", opt={"skip_session": True})
async def opted_out(request: Request[Any, Any, Any]) -> dict[str, bool]:
    return {"has_session": "session" in request.scope}


@websocket("/ws")
async def ws_session(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    await socket.send_json(socket.session)
    await socket.close()


@websocket("/ws/has-session")
async def ws_has_session(socket: WebSocket[Any, Any, Any]) -> None:
    await socket.accept()
    await socket.send_json("session" in socket.scope)
    await socket.close()


HANDLERS = [ws_has_session, set_session, add_to_session, read_session, clear_session, public, opted_out, ws_session]


def app_with(config: BaseBackendConfig[Any], **kwargs: Any) -> TrioWeb:
    return TrioWeb(HANDLERS, middleware=[config.middleware], **kwargs)


def set_cookies(response: Any) -> list[str]:
    return list(response.headers.get_list("set-cookie"))


# -- cookie sessions -----------------------------------------------------------------------


async def test_a_cookie_session_set_in_one_request_is_read_in_the_next() -> None:
    async with AsyncTestClient(app_with(CookieBackendConfig(secret=SECRET))) as client:
        response = await client.post("/session", json={"user": "ada", "n": 1})
        assert response.status_code == 201
        (cookie,) = set_cookies(response)
        assert re.fullmatch(rf'session="?[A-Za-z0-9+/=]+"?; {ATTRIBUTES}', cookie)
        response = await client.get("/session")
        assert response.json() == {"session": {"user": "ada", "n": 1}, "id": None}
        await client.post("/session/add", json={"n": 2})
        assert (await client.get("/session")).json()["session"] == {"user": "ada", "n": 2}


def test_the_cookie_is_litestars_aes_gcm_format() -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    backend = CookieBackendConfig(secret=SECRET).middleware.kwargs["backend"]
    (chunk,) = backend.dump_data({"a": 1})
    raw = b64decode(chunk)
    nonce, rest = raw[:12], raw[12:]
    ciphertext, aad = rest.split(b"additional_authenticated_data=")
    expires_at = json.loads(aad)["expires_at"]
    assert abs(expires_at - (time.time() + 1209600)) < 5
    assert json.loads(AESGCM(SECRET).decrypt(nonce, ciphertext, aad)) == {"a": 1}


async def test_an_empty_session_sets_no_cookie_and_clearing_deletes_it() -> None:
    async with AsyncTestClient(app_with(CookieBackendConfig(secret=SECRET))) as client:
        assert set_cookies(await client.get("/session")) == []  # nothing to save, no cookie
        await client.post("/session", json={"a": 1})
        response = await client.post("/session/clear")
        (deleted,) = set_cookies(response)
        assert re.fullmatch(
            r"session=null; expires=[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} [\d:]{8} GMT; "
            r"HttpOnly; Path=/; SameSite=lax",
            deleted,
        )
        assert "session" not in client.cookies
        assert (await client.get("/session")).json()["session"] == {}
        await client.post("/session", json={"a": 1})
        (deleted,) = set_cookies(await client.post("/session", json={}))
        assert deleted.startswith("session=null;")  # set_session({}) ends it as well


@pytest.mark.parametrize(
    "value",
    [
        "garbage!!",
        "null",
        "",
        "aGVsbG8=",
        "%%%",
        *(
            b64encode(b"n" * 12 + b"sealed" + b"additional_authenticated_data=" + aad).decode()
            for aad in (b"{bad", b"[1]", b"{}", b'{"expires_at":"soon"}', b'{"expires_at":9999999999}')
        ),
        None,
    ],
    ids=[
        "not-base64", "null", "empty", "no-aad", "percent",
        "aad-not-json", "aad-a-list", "aad-no-expiry", "aad-bad-expiry", "bad-ciphertext",
        "tampered",
    ],
)
async def test_an_unreadable_cookie_is_an_empty_session_not_an_error(value: str | None) -> None:
    app = app_with(CookieBackendConfig(secret=SECRET))
    async with AsyncTestClient(app) as client:
        if value is None:  # a real cookie with one byte of its ciphertext flipped
            await client.post("/session", json={"admin": False})
            raw = bytearray(b64decode(client.cookies["session"]))
            raw[20] ^= 1
            value = b64encode(bytes(raw)).decode()
        client.cookies.clear()
        client.cookies.set("session", value, domain="testserver.local")
        response = await client.get("/session")
        assert response.status_code == 200
        assert response.json()["session"] == {}
        # the unreadable cookie is deleted
        assert [c.split(";")[0] for c in set_cookies(response)] == ["session=null"]


async def test_a_cookie_from_another_secret_is_an_empty_session() -> None:
    async with AsyncTestClient(app_with(CookieBackendConfig(secret=SECRET))) as writer:
        await writer.post("/session", json={"a": 1})
        cookie = writer.cookies["session"]
    other = app_with(CookieBackendConfig(secret=b"f" * 32))
    async with AsyncTestClient(other, cookies={"session": cookie}) as reader:
        response = await reader.get("/session")
        assert response.status_code == 200 and response.json()["session"] == {}


async def test_a_cookie_past_its_max_age_is_an_empty_session(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = CookieBackendConfig(secret=SECRET, max_age=60)
    async with AsyncTestClient(app_with(config)) as client:
        await client.post("/session", json={"a": 1})
        later = time.time() + 61  # the browser would have dropped it; a replayed copy is refused
        monkeypatch.setattr(client_side, "time", SimpleNamespace(time=lambda: later))
        assert (await client.get("/session")).json()["session"] == {}


async def test_a_big_session_is_split_over_numbered_cookies_and_joined_back() -> None:
    async with AsyncTestClient(app_with(CookieBackendConfig(secret=SECRET))) as client:
        big = {"blob": "x" * 9000}
        response = await client.post("/session", json=big)
        cookies = set_cookies(response)
        assert [c.split("=")[0] for c in cookies] == ["session-0", "session-1", "session-2", "session-3"]
        for cookie in cookies:
            assert len(cookie.split(";")[0]) <= CHUNK_SIZE + len("session-0=") + 2
            assert cookie.endswith(ATTRIBUTES)
        assert (await client.get("/session")).json()["session"] == big
        # shrinking back to one cookie deletes the numbered ones
        response = await client.post("/session", json={"small": 1})
        names = sorted(c.split(";")[0].split("=")[0] + ("=null" if "=null" in c else "") for c in set_cookies(response))
        assert names == ["session", "session-0=null", "session-1=null", "session-2=null", "session-3=null"]
        assert (await client.get("/session")).json()["session"] == {"small": 1}


async def test_more_than_ten_chunks_are_joined_in_numeric_order() -> None:
    # Litestar joins session-10 before session-2 and loses such a session
    async with AsyncTestClient(app_with(CookieBackendConfig(secret=SECRET))) as client:
        huge = {"blob": "y" * 45000}
        response = await client.post("/session", json=huge)
        assert len(set_cookies(response)) == 15
        assert (await client.get("/session")).json()["session"] == huge


class Profile(msgspec.Struct):
    user: str
    admin: bool = False


@post("/session/struct")
async def set_struct_session(request: Request[Any, Any, Any]) -> None:
    request.set_session(Profile(user="ada"))


@pytest.mark.parametrize(
    "config",
    [CookieBackendConfig(secret=SECRET), ServerSideSessionConfig()],
    ids=["cookie", "server"],
)
async def test_a_struct_session_is_saved_as_json_and_read_back_as_a_dict(
    config: BaseBackendConfig[Any],
) -> None:
    app = TrioWeb([set_struct_session, read_session], middleware=[config.middleware])
    async with AsyncTestClient(app) as client:
        await client.post("/session/struct")
        session = (await client.get("/session")).json()["session"]
        assert session == {"user": "ada", "admin": False}


async def test_cookie_attributes_follow_the_config() -> None:
    config = CookieBackendConfig(
        secret=SECRET, key="sid", max_age=10, path="/", domain="testserver.local",
        secure=True, httponly=False, samesite="strict",
    )
    async with AsyncTestClient(app_with(config)) as client:
        (cookie,) = set_cookies(await client.post("/session", json={"a": 1}))
        assert cookie.startswith("sid=")
        assert cookie.endswith("; Domain=testserver.local; Max-Age=10; Path=/; SameSite=strict; Secure")


def test_a_cookie_config_refuses_bad_settings() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="secret length must be 16"):
        CookieBackendConfig(secret=b"short")
    with pytest.raises(ImproperlyConfiguredException, match="key must be a string"):
        CookieBackendConfig(secret=SECRET, key="")
    with pytest.raises(ImproperlyConfiguredException, match="max_age must be greater than 0"):
        CookieBackendConfig(secret=SECRET, max_age=0)
    for size in (16, 24, 32):
        CookieBackendConfig(secret=b"k" * size)


# -- server-side sessions ------------------------------------------------------------------


async def test_a_server_side_session_keeps_its_data_in_the_apps_store() -> None:
    app = app_with(ServerSideSessionConfig())
    async with AsyncTestClient(app) as client:
        response = await client.post("/session", json={"cart": [1, 2]})
        (cookie,) = set_cookies(response)
        match = re.fullmatch(rf"session=([0-9a-f]{{64}}); {ATTRIBUTES}", cookie)
        assert match is not None
        session_id = match.group(1)
        store = app.stores.get("sessions")
        assert isinstance(store, MemoryStore)
        assert json.loads(await store.get(session_id) or b"") == {"cart": [1, 2]}
        assert await store.expires_in(session_id) in (1209599, 1209600)
        assert (await client.get("/session")).json() == {"session": {"cart": [1, 2]}, "id": session_id}

        response = await client.post("/session/clear")
        (deleted,) = set_cookies(response)
        assert deleted.startswith("session=null; expires=")
        assert deleted.endswith(f"; {ATTRIBUTES}")  # Litestar keeps Max-Age on the deletion
        assert await store.get(session_id) is None


async def test_every_covered_response_saves_the_session_as_litestar_does() -> None:
    app = app_with(ServerSideSessionConfig())
    async with AsyncTestClient(app) as client:
        first = (await client.get("/session")).json()["id"]
        assert re.fullmatch("[0-9a-f]{64}", first)  # the id exists before the response
        assert client.cookies["session"] == first
        assert (await client.get("/session")).json()["id"] == first


async def test_a_server_side_session_expires_with_max_age(clock: list[float]) -> None:
    app = app_with(ServerSideSessionConfig(max_age=100))
    async with AsyncTestClient(app) as client:
        await client.post("/session", json={"a": 1})
        clock[0] += 99
        assert (await client.get("/session")).json()["session"] == {"a": 1}
        clock[0] += 1  # the read above saved the session again, restarting max_age
        assert (await client.get("/session")).json()["session"] == {"a": 1}
        clock[0] += 100
        assert (await client.get("/session")).json()["session"] == {}


async def test_sessions_go_to_the_store_the_config_names() -> None:
    mine = MemoryStore()
    app = app_with(ServerSideSessionConfig(store="my_sessions"), stores={"my_sessions": mine})
    async with AsyncTestClient(app) as client:
        await client.post("/session", json={"a": 1})
        assert await mine.get(client.cookies["session"]) == b'{"a":1}'


async def test_an_unknown_or_forged_session_id_is_an_empty_session() -> None:
    async with AsyncTestClient(app_with(ServerSideSessionConfig())) as client:
        client.cookies.set("session", "f" * 64, domain="testserver.local")
        response = await client.get("/session")
        assert response.status_code == 200 and response.json()["session"] == {}


async def test_stored_data_that_is_not_a_session_is_an_empty_session() -> None:
    app = app_with(ServerSideSessionConfig())
    async with AsyncTestClient(app) as client:
        for junk in (b"{not json", b"[1, 2]"):
            await app.stores.get("sessions").set("f" * 64, junk)
            client.cookies.set("session", "f" * 64, domain="testserver.local")
            response = await client.get("/session")
            assert response.status_code == 200 and response.json()["session"] == {}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(memory, "_now", lambda: now[0])
    return now


# -- both ----------------------------------------------------------------------------------

CONFIGS = [CookieBackendConfig(secret=SECRET), ServerSideSessionConfig()]


@pytest.mark.parametrize("config", CONFIGS, ids=["cookie", "server"])
async def test_excluded_paths_and_opted_out_handlers_get_no_session(
    config: BaseBackendConfig[Any],
) -> None:
    config = dataclasses.replace(config, exclude="^/public")
    async with AsyncTestClient(app_with(config)) as client:
        await client.post("/session", json={"a": 1})
        for path in ("/public/page", "/opted-out"):
            response = await client.get(path)
            assert response.json() == {"has_session": False}
            assert set_cookies(response) == []


@pytest.mark.parametrize("config", CONFIGS, ids=["cookie", "server"])
async def test_a_websocket_reads_the_session(config: BaseBackendConfig[Any]) -> None:
    async with AsyncTestClient(app_with(config)) as client:
        await client.post("/session", json={"user": "ada"})
        async with client.websocket_connect("/ws") as ws:
            assert await ws.receive_json() == {"user": "ada"}


async def test_scopes_limits_the_connection_types() -> None:
    config = CookieBackendConfig(secret=SECRET, scopes={"http"})
    async with AsyncTestClient(app_with(config)) as client:
        await client.post("/session", json={"user": "ada"})
        async with client.websocket_connect("/ws/has-session") as ws:
            assert await ws.receive_json() is False
        assert (await client.get("/session")).json()["session"] == {"user": "ada"}


async def test_without_a_session_middleware_the_session_is_a_config_error() -> None:
    async with AsyncTestClient(TrioWeb(HANDLERS), raise_server_exceptions=False) as client:
        assert (await client.get("/session")).status_code == 500


# -- the test clients ------------------------------------------------------------------------


@pytest.mark.parametrize("config", CONFIGS, ids=["cookie", "server"])
async def test_the_async_client_sets_and_reads_session_data(config: BaseBackendConfig[Any]) -> None:
    async with AsyncTestClient(app_with(config), session_config=config) as client:
        assert await client.get_session_data() == {}
        await client.set_session_data({"user": "ada"})
        assert (await client.get("/session")).json()["session"] == {"user": "ada"}
        await client.post("/session/add", json={"role": "admin"})
        assert await client.get_session_data() == {"user": "ada", "role": "admin"}


@pytest.mark.parametrize("config", CONFIGS, ids=["cookie", "server"])
def test_the_sync_client_sets_and_reads_session_data(config: BaseBackendConfig[Any]) -> None:
    with TestClient(app_with(config), session_config=config) as client:
        client.set_session_data({"user": "ada"})
        assert client.get("/session").json()["session"] == {"user": "ada"}
        assert client.get_session_data() == {"user": "ada"}


async def test_session_data_needs_a_session_config() -> None:
    async with AsyncTestClient(app_with(ServerSideSessionConfig())) as client:
        with pytest.raises(ImproperlyConfiguredException, match="session_config"):
            await client.get_session_data()
