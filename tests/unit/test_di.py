"""Dependency injection: ``Provide`` of every kind, caching, nesting, layering, cleanup.

Expected answers are Litestar 2.25's, byte for byte, unless a test says otherwise.
"""

from collections.abc import AsyncIterator, Iterator

import msgspec

from tests.unit._wire import json_error, wire
from trioweb import Controller, Litestar, Router, get, post
from trioweb.di import Provide
from trioweb.exceptions import NotAuthorizedException
from trioweb.params import Dependency
from trioweb.testing import AsyncTestClient, create_async_test_client


class Point(msgspec.Struct):
    x: int
    y: int


class Service:
    def __init__(self) -> None:
        self.name = "svc"


async def test_sync_async_and_generator_providers() -> None:
    log: list[str] = []

    def sync_dep() -> str:
        return "sync"

    async def async_dep() -> str:
        return "async"

    def gen_dep() -> Iterator[str]:
        log.append("gen-start")
        yield "gen"
        log.append("gen-end")

    async def agen_dep() -> AsyncIterator[str]:
        log.append("agen-start")
        yield "agen"
        log.append("agen-end")

    def blocking() -> str:
        return "threaded"

    @get("/deps")
    async def deps(s: str, a: str, g: str, ag: str, b: str, svc: Service) -> list[str]:
        return [s, a, g, ag, b, svc.name]

    dependencies = {
        "s": Provide(sync_dep, sync_to_thread=False),
        "a": Provide(async_dep),
        "g": Provide(gen_dep),
        "ag": Provide(agen_dep),
        "b": Provide(blocking, sync_to_thread=True),
        "svc": Provide(Service, sync_to_thread=False),
    }
    async with create_async_test_client([deps], dependencies=dependencies) as client:
        response = await client.get("/deps")
        assert response.content == b'["sync","async","gen","agen","threaded","svc"]'
    # generators finish after the response, the last one started first
    assert log == ["gen-start", "agen-start", "agen-end", "gen-end"]


async def test_an_error_in_the_handler_is_thrown_into_generator_dependencies() -> None:
    log: list[str] = []

    async def transaction() -> AsyncIterator[str]:
        try:
            yield "tx"
        except ValueError as exc:
            log.append(f"rollback after {exc}")
            raise
        else:
            log.append("commit")

    @get("/ok")
    async def ok(tx: str) -> str:
        return tx

    @get("/boom")
    async def boom(tx: str) -> str:
        raise ValueError("boom")

    async with create_async_test_client(
        [ok, boom], dependencies={"tx": Provide(transaction)}, debug=False
    ) as client:
        assert (await client.get("/ok")).text == "tx"
        assert wire(await client.get("/boom")) == (
            500,
            [("content-type", "text/plain; charset=utf-8"), ("content-length", "52")],
            json_error(500, "Internal Server Error"),
        )
    assert log == ["commit", "rollback after boom"]


async def test_use_cache_computes_once_for_the_app_otherwise_once_per_request() -> None:
    counter = {"cached": 0, "uncached": 0, "shared": 0}

    async def cached_dep() -> int:
        counter["cached"] += 1
        return counter["cached"]

    async def uncached_dep() -> int:
        counter["uncached"] += 1
        return counter["uncached"]

    async def shared() -> int:
        counter["shared"] += 1
        return counter["shared"]

    async def uses_shared(shared: int) -> int:
        return shared

    @get("/cached")
    async def cached(c: int) -> int:
        return c

    @get("/uncached")
    async def uncached(u: int) -> int:
        return u

    @get("/twice")
    async def twice(shared: int, uses_shared: int) -> list[int]:
        return [shared, uses_shared]

    dependencies = {
        "c": Provide(cached_dep, use_cache=True),
        "u": Provide(uncached_dep),
        "shared": Provide(shared),
        "uses_shared": Provide(uses_shared),
    }
    async with create_async_test_client(
        [cached, uncached, twice], dependencies=dependencies
    ) as client:
        assert [(await client.get("/cached")).text for _ in range(2)] == ["1", "1"]
        assert [(await client.get("/uncached")).text for _ in range(2)] == ["1", "2"]
        # within one request, a dependency used twice is computed once
        assert (await client.get("/twice")).content == b"[1,1]"


async def test_dependencies_take_parameters_and_other_dependencies() -> None:
    async def base() -> int:
        return 2

    async def derived(base: int) -> int:
        return base * 10

    async def paged(limit: int) -> dict[str, int]:
        return {"limit": limit}

    async def total(data: Point) -> int:
        return data.x + data.y

    @get("/nested")
    async def nested(derived: int) -> int:
        return derived

    @get("/paged")
    async def with_query(paged: dict[str, int]) -> dict[str, int]:
        return paged

    @post("/total")
    async def with_body(total: int) -> int:
        return total

    dependencies = {
        "base": Provide(base),
        "derived": Provide(derived),
        "paged": Provide(paged),
        "total": Provide(total),
    }
    async with create_async_test_client(
        [nested, with_query, with_body], dependencies=dependencies
    ) as client:
        assert (await client.get("/nested")).text == "20"
        assert (await client.get("/paged?limit=5")).content == b'{"limit":5}'
        assert (await client.get("/paged")).content == (
            b'{"status_code":400,"detail":"Missing required query parameter \'limit\' for path '
            b'/paged"}'
        )
        assert (await client.get("/paged?limit=x")).content == (
            b'{"status_code":400,"detail":"Validation failed for GET /paged?limit=x","extra":'
            b'[{"message":"Expected `int`, got `str`","key":"limit","source":"query"}]}'
        )
        assert (await client.post("/total", json={"x": 1, "y": 2})).text == "3"


async def test_dependencies_are_layered_nearest_wins() -> None:
    def value(v: str) -> Provide:
        async def provide() -> str:
            return v

        return Provide(provide)

    @get("/app-level")
    async def app_level(x: str, y: str) -> list[str]:
        return [x, y]

    @get("/router-level")
    async def router_level(x: str, y: str) -> list[str]:
        return [x, y]

    class C(Controller):
        path = "/c"
        dependencies = {"x": value("controller")}  # noqa: RUF012

        @get("/controller-level")
        async def controller_level(self, x: str, y: str) -> list[str]:
            return [x, y]

        @get("/handler-level", dependencies={"x": value("handler")})
        async def handler_level(self, x: str, y: str) -> list[str]:
            return [x, y]

    router = Router("/r", route_handlers=[router_level, C], dependencies={"x": value("router")})
    app = Litestar([app_level, router], dependencies={"x": value("app"), "y": value("app-y")})
    async with AsyncTestClient(app) as client:
        assert (await client.get("/app-level")).content == b'["app","app-y"]'
        assert (await client.get("/r/router-level")).content == b'["router","app-y"]'
        assert (await client.get("/r/c/controller-level")).content == b'["controller","app-y"]'
        assert (await client.get("/r/c/handler-level")).content == b'["handler","app-y"]'


async def test_dependency_marker_default_and_errors_raised_by_dependencies() -> None:
    async def raising() -> str:
        raise NotAuthorizedException("nope")

    @get("/marker")
    async def marker(value: int = Dependency(default=3)) -> int:
        return value

    @get("/raises")
    async def raises(r: str) -> str:
        return r

    async with create_async_test_client(
        [marker, raises], dependencies={"r": Provide(raising)}
    ) as client:
        assert (await client.get("/marker")).text == "3"
        assert wire(await client.get("/raises")) == (
            401,
            [("content-type", "text/plain; charset=utf-8"), ("content-length", "35")],
            json_error(401, "nope"),
        )
