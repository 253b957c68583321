"""CORS (``cors_config=``): preflights and the headers on actual responses.

The expected headers were observed from Litestar 2.25 answering the same app
(``tools/litestar_diff``, cases ``cors_*``); the two deliberate differences are marked.
"""

from __future__ import annotations

from typing import Any

import pytest

from trioweb import TrioWeb, get, post
from trioweb.config.cors import CORSConfig
from trioweb.enums import MediaType
from trioweb.exceptions import PermissionDeniedException
from trioweb.middleware.cors import CORSMiddleware
from trioweb.testing import AsyncTestClient
from trioweb.types import Receive, Scope, Send

ORIGIN = "https://example.com"
ALL_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"


def _headers(response: Any) -> list[tuple[str, str]]:
    return [(k.decode(), v.decode()) for k, v in response.headers.raw]


@get("/")
async def index() -> dict[str, bool]:
    return {"ok": True}


@post("/items")
async def create(data: dict[str, int]) -> dict[str, int]:
    return data


@get("/boom")
async def boom() -> None:
    raise RuntimeError("boom")


@get("/denied")
async def denied() -> None:
    raise PermissionDeniedException("nope")


@get("/text", media_type=MediaType.TEXT, response_headers={"vary": "Accept"})
async def text() -> str:
    return "t"


def make_app(config: CORSConfig | None = None) -> TrioWeb:
    return TrioWeb(
        [index, create, boom, denied, text],
        cors_config=config or CORSConfig(),
        openapi_config=None,
    )


RESTRICTED = CORSConfig(
    allow_origins=[ORIGIN, "https://*.example.org"],
    allow_methods=["GET", "POST"],
    allow_headers=["X-Custom", "Authorization"],
    expose_headers=["X-Total", "X-Page"],
    max_age=30,
)


def test_defaults_are_litestars() -> None:
    config = CORSConfig()
    assert config.allow_origins == ["*"]
    assert config.allow_methods == ["*"]
    assert config.allow_headers == ["*"]
    assert config.allow_credentials is False
    assert config.allow_origin_regex is None
    assert config.expose_headers == []
    assert config.max_age == 600


def test_origin_matching() -> None:
    config = CORSConfig(
        allow_origins=["https://*.example.org", "http://a.test"],
        allow_origin_regex=r"https://[a-z]+\.regex\.test",
    )
    assert config.is_origin_allowed("https://a.b.example.org")
    assert config.is_origin_allowed("http://a.test")
    assert config.is_origin_allowed("https://abc.regex.test")
    assert not config.is_origin_allowed("http://a.test.evil.com")  # full match only
    assert not config.is_origin_allowed("http://aXtest")  # dots are literal
    assert CORSConfig().is_origin_allowed("anything")


async def test_a_request_without_origin_is_untouched() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/")
    assert _headers(response) == [("content-type", "application/json"), ("content-length", "11")]


async def test_an_empty_origin_is_no_origin() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/", headers={"origin": ""})
    assert "access-control-allow-origin" not in response.headers


async def test_simple_headers_with_every_origin_allowed() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/", headers={"origin": "https://evil.com"})
    assert _headers(response) == [
        ("content-type", "application/json"),
        ("content-length", "11"),
        ("access-control-allow-origin", "*"),
        ("access-control-allow-headers", "*"),
        ("access-control-allow-methods", "*"),
    ]


async def test_a_request_with_cookies_gets_its_origin_back() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/", headers={"origin": ORIGIN, "cookie": "a=b"})
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["vary"] == "Origin"


@pytest.mark.parametrize(
    ("path", "status"),
    [("/boom", 500), ("/denied", 403), ("/missing", 404)],
)
async def test_errors_and_404_carry_the_headers(path: str, status: int) -> None:
    async with AsyncTestClient(make_app(RESTRICTED)) as client:
        response = await client.get(path, headers={"origin": ORIGIN})
    assert response.status_code == status
    assert _headers(response)[2:] == [
        ("access-control-expose-headers", "X-Page, X-Total"),
        ("access-control-allow-origin", ORIGIN),
        ("vary", "Origin"),
        ("access-control-allow-headers", "authorization, x-custom"),
        ("access-control-allow-methods", "GET, POST"),
    ]


async def test_a_405_carries_the_headers() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.delete("/items", headers={"origin": ORIGIN})
    assert response.status_code == 405
    assert response.headers["access-control-allow-origin"] == "*"


async def test_a_disallowed_origin_gets_no_allow_origin() -> None:
    async with AsyncTestClient(make_app(RESTRICTED)) as client:
        response = await client.get("/", headers={"origin": "https://evil.com"})
    assert response.status_code == 200  # the server answers; the browser withholds it
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["access-control-expose-headers"] == "X-Page, X-Total"


async def test_vary_is_extended_not_replaced() -> None:
    # Deliberate difference: Litestar replaces ``Vary: Accept`` with ``Vary: Origin``.
    async with AsyncTestClient(make_app(RESTRICTED)) as client:
        response = await client.get("/text", headers={"origin": ORIGIN})
    assert response.headers.get_list("vary") == ["Accept,Origin"]


async def test_an_options_request_without_origin_lists_the_methods() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.options("/items")
    assert response.status_code == 204
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["allow"] == "OPTIONS, POST"


async def test_preflight_with_every_origin_allowed() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.options(
            "/items", headers={"origin": ORIGIN, "access-control-request-method": "PATCH"}
        )
    assert response.status_code == 204
    assert response.content == b""
    assert _headers(response) == [
        ("access-control-max-age", "600"),
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", ALL_METHODS),
    ]


async def test_preflight_echoes_requested_headers_when_all_are_allowed() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.options(
            "/items",
            headers={
                "origin": ORIGIN,
                "access-control-request-method": "POST",
                "access-control-request-headers": "X-Custom, content-type",
            },
        )
    assert response.headers["access-control-allow-headers"] == (
        "Accept, Accept-Language, Content-Language, Content-Type, X-Custom, content-type"
    )


async def test_preflight_is_answered_before_routing() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.options("/missing", headers={"origin": ORIGIN})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"


async def test_preflight_with_listed_origins() -> None:
    async with AsyncTestClient(make_app(RESTRICTED)) as client:
        response = await client.options(
            "/items",
            headers={
                "origin": ORIGIN,
                "access-control-request-method": "POST",
                "access-control-request-headers": "x-custom, Accept",
            },
        )
    assert response.status_code == 204
    assert _headers(response) == [
        ("access-control-max-age", "30"),
        ("vary", "Origin"),
        (
            "access-control-allow-headers",
            "Accept, Accept-Language, Content-Language, Content-Type, authorization, x-custom",
        ),
        ("access-control-allow-methods", "GET, POST"),
        ("access-control-allow-origin", ORIGIN),
    ]


@pytest.mark.parametrize(
    ("origin", "method", "headers", "body"),
    [
        ("https://evil.com", "POST", "", b"Disallowed CORS Origin"),
        (ORIGIN, "PUT", "", b"Disallowed CORS method"),
        (ORIGIN, "GET", "x-nope", b"Disallowed CORS headers"),
        ("https://evil.com", "TRACE", "x-nope", b"Disallowed CORS method, Origin, headers"),
    ],
)
async def test_a_refused_preflight_is_400_text(
    origin: str, method: str, headers: str, body: bytes
) -> None:
    request_headers = {"origin": origin, "access-control-request-method": method}
    if headers:
        request_headers["access-control-request-headers"] = headers
    async with AsyncTestClient(make_app(RESTRICTED)) as client:
        response = await client.options("/items", headers=request_headers)
    assert response.status_code == 400
    assert response.content == body
    assert _headers(response) == [
        ("content-type", "text/plain; charset=utf-8"),
        ("content-length", str(len(body))),
    ]


async def test_credentials_with_listed_origins() -> None:
    config = CORSConfig(
        allow_origins=[ORIGIN],
        allow_origin_regex=r"https://.*\.example\.org",
        allow_credentials=True,
    )
    async with AsyncTestClient(make_app(config)) as client:
        simple = await client.get("/", headers={"origin": "https://a.b.example.org"})
        preflight = await client.options("/items", headers={"origin": ORIGIN})
    assert _headers(simple)[2:] == [
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-origin", "https://a.b.example.org"),
        ("vary", "Origin"),
        ("access-control-allow-headers", "*"),
        ("access-control-allow-methods", "*"),
    ]
    assert _headers(preflight) == [
        ("access-control-max-age", "600"),
        ("vary", "Origin"),
        ("access-control-allow-credentials", "true"),
        ("access-control-allow-methods", ALL_METHODS),
        ("access-control-allow-origin", ORIGIN),
    ]


async def test_credentials_with_every_origin_name_the_origin() -> None:
    # Deliberate difference (as later Litestar and the Fetch standard): Litestar 2.25 sends
    # ``*`` with credentials, which browsers reject.
    async with AsyncTestClient(make_app(CORSConfig(allow_credentials=True))) as client:
        simple = await client.get("/", headers={"origin": ORIGIN})
        preflight = await client.options("/", headers={"origin": ORIGIN})
    for response in (simple, preflight):
        assert response.headers["access-control-allow-origin"] == ORIGIN
        assert response.headers["access-control-allow-credentials"] == "true"
        assert response.headers["vary"] == "Origin"


async def test_a_reused_start_message_is_not_modified() -> None:
    start = {"type": "http.response.start", "status": 200, "headers": [(b"x-a", b"1")]}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await send(start)
        await send({"type": "http.response.body", "body": b"ok"})

    async with AsyncTestClient(CORSMiddleware(app, CORSConfig())) as client:
        response = await client.get("/", headers={"origin": ORIGIN})
    assert response.headers["access-control-allow-origin"] == "*"
    assert start["headers"] == [(b"x-a", b"1")]


async def test_websockets_pass_through() -> None:
    calls: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["type"])

    middleware = CORSMiddleware(app, CORSConfig())

    async def receive() -> Any:
        raise AssertionError

    async def send(message: Any) -> None:
        raise AssertionError

    await middleware({"type": "websocket", "headers": [(b"origin", b"x")]}, receive, send)
    assert calls == ["websocket"]
