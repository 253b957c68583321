"""HTTP caching: layered Cache-Control / ETag (nearest wins) and conditional GET (304)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from trioweb import Controller, MediaType, Router, TrioWeb, get, post
from trioweb.background_tasks import BackgroundTask
from trioweb.datastructures import CacheControlHeader, ETag, ResponseHeader
from trioweb.response import Response, Stream
from trioweb.testing import AsyncTestClient


async def header_of(app: TrioWeb, path: str, name: str) -> str | None:
    async with AsyncTestClient(app) as client:
        value: str | None = (await client.get(path)).headers.get(name)
        return value


# -- layered settings --------------------------------------------------------------------


def layered_app(kind: str, make: Any) -> TrioWeb:
    """app → router → controller → handler, each layer setting ``kind`` to ``make(layer)``."""

    class Inner(Controller):
        path = "/controller"

        @get("/handler", **{kind: make("handler")})
        async def handler(self) -> str:
            return "h"

        @get("/inherits")
        async def inherits(self) -> str:
            return "c"

    setattr(Inner, kind, make("controller"))

    @get("/router-level")
    async def router_level() -> str:
        return "r"

    @get("/app-level")
    async def app_level() -> str:
        return "a"

    router = Router("/router", [Inner, router_level], **{kind: make("router")})
    return TrioWeb([router, app_level], **{kind: make("app")})


@pytest.mark.parametrize(
    ("path", "layer"),
    [
        ("/router/controller/handler", "handler"),
        ("/router/controller/inherits", "controller"),
        ("/router/router-level", "router"),
        ("/app-level", "app"),
    ],
)
async def test_nearest_layer_wins(path: str, layer: str) -> None:
    ages = {"app": 1, "router": 2, "controller": 3, "handler": 4}
    cache_app = layered_app("cache_control", lambda name: CacheControlHeader(max_age=ages[name]))
    assert await header_of(cache_app, path, "cache-control") == f"max-age={ages[layer]}"
    etag_app = layered_app("etag", lambda name: ETag(value=name))
    assert await header_of(etag_app, path, "etag") == f'"{layer}"'


async def test_seed_example() -> None:
    class MyController(Controller):
        cache_control = CacheControlHeader(max_age=86_400, public=True)

        @get("/chance_of_rain", sync_to_thread=False)
        def get_chance_of_rain(self) -> float:
            return 0.5

        @get("/timestamp", cache_control=CacheControlHeader(no_store=True), sync_to_thread=False)
        def get_server_time(self) -> float:
            return time.time()

    @get("/population", sync_to_thread=False)
    def get_population_count() -> int:
        return 100000

    app = TrioWeb(
        route_handlers=[MyController, get_population_count],
        cache_control=CacheControlHeader(max_age=2_628_288, public=True),
    )
    assert await header_of(app, "/population", "cache-control") == "max-age=2628288, public"
    assert await header_of(app, "/chance_of_rain", "cache-control") == "max-age=86400, public"
    assert await header_of(app, "/timestamp", "cache-control") == "no-store"


async def test_seed_dynamic_etag_without_quotes_answers_304() -> None:
    # seed 002 sets the header to a bare number; clients send it back as they got it
    @get("/population-dynamic", etag=ETag(documentation_only=True))
    async def get_population_count_dynamic() -> Response[str]:
        return Response(content="741", headers={"etag": "741"}, media_type=MediaType.TEXT)

    app = TrioWeb([get_population_count_dynamic], etag=ETag(value="bar"))
    async with AsyncTestClient(app) as client:
        first = await client.get("/population-dynamic")
        echoed = await client.get("/population-dynamic", headers={"if-none-match": "741"})
        quoted = await client.get("/population-dynamic", headers={"if-none-match": '"741"'})
        in_list = await client.get("/population-dynamic", headers={"if-none-match": "1, 741"})
        other = await client.get("/population-dynamic", headers={"if-none-match": "7410"})
    assert (first.status_code, first.headers["etag"]) == (200, "741")
    assert [r.status_code for r in (echoed, quoted, in_list, other)] == [304, 304, 304, 200]
    assert echoed.headers["etag"] == "741"


async def test_documentation_only_hides_an_outer_value() -> None:
    @get("/dynamic", etag=ETag(documentation_only=True), media_type=MediaType.TEXT)
    async def dynamic() -> Response[str]:
        return Response("7", headers={"etag": '"7"'})

    @get("/quiet", etag=ETag(documentation_only=True))
    async def quiet() -> str:
        return "q"

    app = TrioWeb([dynamic, quiet], etag=ETag(value="bar"))
    assert await header_of(app, "/dynamic", "etag") == '"7"'
    assert await header_of(app, "/quiet", "etag") is None


async def test_typed_and_plain_headers_follow_layer_order() -> None:
    # a nearer layer wins whichever way it sets the header; at one layer the typed setting wins
    @get("/a", cache_control=CacheControlHeader(no_cache=True))
    async def a() -> str:
        return "a"

    @get("/b", response_headers={"Cache-Control": "private"})
    async def b() -> str:
        return "b"

    @get(
        "/c",
        response_headers=[ResponseHeader(name="etag", value='"plain"')],
        etag=ETag(value="typed"),
    )
    async def c() -> str:
        return "c"

    app = TrioWeb(
        [a, b, c],
        response_headers={"cache-control": "public"},
        cache_control=CacheControlHeader(max_age=5),
    )
    assert await header_of(app, "/a", "cache-control") == "no-cache"
    assert await header_of(app, "/b", "cache-control") == "private"
    assert await header_of(app, "/c", "etag") == '"typed"'
    async with AsyncTestClient(app) as client:
        assert (await client.get("/a")).headers.get_list("cache-control") == ["no-cache"]


def test_from_header() -> None:
    assert ETag.from_header('"foo"') == ETag(value="foo")
    assert ETag.from_header('W/"foo"') == ETag(value="foo", weak=True)
    assert CacheControlHeader.from_header("max-age=60, public") == CacheControlHeader(
        max_age=60, public=True
    )


# -- conditional GET ---------------------------------------------------------------------


async def test_layered_etag_answers_304() -> None:
    ran: list[str] = []

    @get("/", etag=ETag(value="v1"), cache_control=CacheControlHeader(max_age=60))
    async def handler() -> Response[dict[str, int]]:
        return Response({"n": 1}, background=BackgroundTask(ran.append, "bg"))

    async with AsyncTestClient(TrioWeb([handler])) as client:
        fresh = await client.get("/")
        same = await client.get("/", headers={"if-none-match": '"v1"'})
        weak = await client.get("/", headers={"if-none-match": 'W/"v1"'})
        other = await client.get("/", headers={"if-none-match": '"v0"'})
    assert (fresh.status_code, fresh.json()) == (200, {"n": 1})
    for response in (same, weak):
        assert (response.status_code, response.content) == (304, b"")
        assert response.headers["etag"] == '"v1"'
        assert response.headers["cache-control"] == "max-age=60"
        assert "content-type" not in response.headers
        assert "content-length" not in response.headers
    assert other.status_code == 200
    assert ran == ["bg"] * 4  # background work runs for a 304 too


async def test_fast_path_handler_with_layered_etag() -> None:
    @get("/")
    async def handler() -> dict[str, int]:
        return {"n": 1}

    app = TrioWeb([handler], etag=ETag(value="app", weak=True))
    async with AsyncTestClient(app) as client:
        response = await client.get("/", headers={"if-none-match": '"app"'})
        head = await client.head("/", headers={"if-none-match": "*"})
    assert response.status_code == 304
    assert head.status_code == 304


async def test_set_etag_answers_304_and_keeps_cookies() -> None:
    @get("/", media_type=MediaType.TEXT)
    async def handler() -> Response[str]:
        response = Response("body", cookies={"seen": "1"})
        response.set_etag(ETag(value="dyn"))
        return response

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.get("/", headers={"if-none-match": '"a", "dyn"'})
    assert (response.status_code, response.content) == (304, b"")
    assert response.cookies["seen"] == "1"


async def test_if_modified_since_with_last_modified_header() -> None:
    @get("/", media_type=MediaType.TEXT)
    async def handler() -> Response[str]:
        return Response("x", headers={"last-modified": "Sun, 06 Nov 1994 08:49:37 GMT"})

    async with AsyncTestClient(TrioWeb([handler])) as client:
        same = await client.get("/", headers={"if-modified-since": "Sun, 06 Nov 1994 08:49:37 GMT"})
        older = await client.get(
            "/", headers={"if-modified-since": "Sat, 05 Nov 1994 08:49:37 GMT"}
        )
    assert (same.status_code, older.status_code) == (304, 200)


async def test_stream_with_etag_is_closed_unread_on_304() -> None:
    events: list[str] = []

    async def body() -> AsyncIterator[bytes]:
        try:
            events.append("started")
            yield b"chunk"
        finally:
            events.append("closed")

    @get("/")
    async def handler() -> Stream:
        return Stream(body(), headers={"etag": '"s"'})

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.get("/", headers={"if-none-match": '"s"'})
        full = await client.get("/")
    assert (response.status_code, response.content) == (304, b"")
    assert full.content == b"chunk"
    assert events == ["started", "closed"]  # the first stream never ran; the second did


async def test_no_304_for_errors_posts_or_without_validators() -> None:
    @get("/fail", etag=ETag(value="x"))
    async def fail() -> None:
        raise ValueError("boom")

    @post("/post", etag=ETag(value="x"))
    async def make() -> str:
        return "made"

    @get("/plain")
    async def plain() -> str:
        return "plain"

    async with AsyncTestClient(TrioWeb([fail, make, plain])) as client:
        headers = {"if-none-match": "*"}
        assert (await client.get("/fail", headers=headers)).status_code == 500
        assert (await client.post("/post", headers=headers)).status_code == 201
        assert (await client.get("/plain", headers=headers)).status_code == 200
