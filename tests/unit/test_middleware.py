"""Middleware: layered stacks built at startup, Litestar's base classes and exclusions."""

from __future__ import annotations

from trioweb import Controller, Router, TrioWeb, get
from trioweb.middleware import AbstractMiddleware, ASGIMiddleware, DefineMiddleware
from trioweb.testing import AsyncTestClient
from trioweb.types import ASGIApp, Message, Receive, Scope, Send


def tagging(tag: str) -> type[AbstractMiddleware]:
    class Tag(AbstractMiddleware):
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            async def send_with_tag(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message["headers"], (b"x-tag", tag.encode())]
                await send(message)

            await self.app(scope, receive, send_with_tag)

    return Tag


class Prefix(ASGIMiddleware):
    exclude_path_pattern = "/skip"

    def __init__(self, value: str) -> None:
        self.value = value

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        async def send_prefixed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], (b"x-prefix", self.value.encode())]
            await send(message)

        await next_app(scope, receive, send_prefixed)


async def test_layers_wrap_outermost_first() -> None:
    @get("/h", middleware=[tagging("handler")])
    async def handler() -> str:
        return "h"

    class C(Controller):
        path = "/c"
        middleware = [tagging("controller")]

        @get("/")
        async def index(self) -> str:
            return "c"

    router = Router("/r", [handler, C], middleware=[tagging("router")])
    app = TrioWeb([router], middleware=[tagging("app")])
    async with AsyncTestClient(app) as client:
        response = await client.get("/r/h")
        # the app's middleware is outermost: it sees (and appends to) the response last
        assert response.headers.get_list("x-tag") == ["handler", "router", "app"]
        response = await client.get("/r/c")
        assert response.headers.get_list("x-tag") == ["controller", "router", "app"]
        # unmatched paths do not run route middleware
        missing = await client.get("/nope")
        assert missing.status_code == 404
        assert "x-tag" not in missing.headers


async def test_define_middleware_and_exclusions() -> None:
    @get("/ok")
    async def ok() -> str:
        return "ok"

    @get("/skip")
    async def skip() -> str:
        return "skip"

    @get("/opted-out", opt={"no_tag": True})
    async def opted_out() -> str:
        return "out"

    app = TrioWeb(
        [ok, skip, opted_out],
        middleware=[
            DefineMiddleware(tagging("defined"), exclude_opt_key="no_tag"),
            Prefix("p"),
        ],
    )
    async with AsyncTestClient(app) as client:
        response = await client.get("/ok")
        assert (response.headers["x-tag"], response.headers["x-prefix"]) == ("defined", "p")
        skipped = await client.get("/skip")
        assert "x-prefix" not in skipped.headers
        assert skipped.headers["x-tag"] == "defined"
        opted = await client.get("/opted-out")
        assert "x-tag" not in opted.headers


async def test_an_error_in_middleware_becomes_a_json_500() -> None:
    class Broken(AbstractMiddleware):
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            raise RuntimeError("middleware bug")

    @get("/")
    async def index() -> str:
        return "never"

    async with AsyncTestClient(TrioWeb([index], middleware=[Broken])) as client:
        response = await client.get("/")
        assert response.status_code == 500
        assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}
