"""Layered settings: app > router > controller > handler, the nearest layer wins.

Expected answers are Litestar 2.25's, byte for byte. Litestar keeps layered headers and
cookies in a set, so their relative order varies from run to run there; these tests compare
them as sets where Litestar's order is not fixed.
"""

from typing import Any

from tests.unit._wire import wire
from trioweb import Controller, Litestar, MediaType, Request, Response, Router, get
from trioweb.datastructures import CacheControlHeader, Cookie, ETag, ResponseHeader
from trioweb.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from trioweb.testing import AsyncTestClient

TEXT = ("content-type", "text/plain; charset=utf-8")
JSON = ("content-type", "application/json")


def _cookies(headers: list[tuple[str, str]]) -> set[str]:
    return {value for name, value in headers if name == "set-cookie"}


def _plain(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers if name != "set-cookie"]


class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents


async def test_response_headers_and_cookies() -> None:
    @get("/app")
    async def app_h() -> str:
        return "app"

    @get("/router")
    async def router_h() -> str:
        return "router"

    class C(Controller):
        path = "/c"
        response_headers = {"x-layer": "controller"}  # noqa: RUF012
        response_cookies = [Cookie(key="layer", value="controller")]  # noqa: RUF012

        @get("/controller")
        async def controller_h(self) -> str:
            return "controller"

        @get(
            "/handler",
            response_headers=[ResponseHeader(name="x-layer", value="handler")],
            response_cookies=[Cookie(key="layer", value="handler")],
        )
        async def handler_h(self) -> str:
            return "handler"

        @get("/response-wins")
        async def response_wins(self) -> Response[str]:
            return Response(
                "rw",
                media_type=MediaType.TEXT,
                headers={"x-layer": "response"},
                cookies=[Cookie(key="layer", value="response")],
            )

        @get("/boom")
        async def boom(self) -> str:
            raise NotFoundException()

    router = Router(
        "/r",
        route_handlers=[router_h, C],
        response_headers={"x-layer": "router"},
        response_cookies=[Cookie(key="layer", value="router")],
    )
    app = Litestar(
        [app_h, router],
        response_headers={"x-layer": "app", "x-app": "1"},
        response_cookies=[Cookie(key="layer", value="app"), Cookie(key="app", value="1")],
    )
    async with AsyncTestClient(app) as client:
        for url, layer in [
            ("/app", "app"),
            ("/r/router", "router"),
            ("/r/c/controller", "controller"),
            ("/r/c/handler", "handler"),
        ]:
            status, headers, body = wire(await client.get(url))
            assert (status, body) == (200, layer.encode())
            assert _plain(headers) == [
                ("x-layer", layer),
                ("x-app", "1"),
                TEXT,
                ("content-length", str(len(layer))),
            ]
            assert _cookies(headers) == {
                "app=1; Path=/; SameSite=lax",
                f"layer={layer}; Path=/; SameSite=lax",
            }

        # A response's own header replaces the layered one; its own cookies go first and a
        # layered cookie of the same name is sent as well (Litestar does not drop it).
        _, headers, _ = wire(await client.get("/r/c/response-wins"))
        assert _plain(headers) == [
            ("x-layer", "response"),
            ("x-app", "1"),
            TEXT,
            ("content-length", "2"),
        ]
        cookies = [value for name, value in headers if name == "set-cookie"]
        assert cookies[0] == "layer=response; Path=/; SameSite=lax"
        assert set(cookies[1:]) == {
            "app=1; Path=/; SameSite=lax",
            "layer=controller; Path=/; SameSite=lax",
        }

        # error responses carry no layered headers or cookies
        assert wire(await client.get("/r/c/boom")) == (
            404,
            [TEXT, ("content-length", "40")],
            b'{"status_code":404,"detail":"Not Found"}',
        )


async def test_response_class_and_type_encoders() -> None:
    class AppResponse(Response[Any]):
        def __init__(self, content: Any, **kwargs: Any) -> None:
            super().__init__(content, **kwargs)
            self.headers["x-class"] = "app"

    class RouterResponse(Response[Any]):
        def __init__(self, content: Any, **kwargs: Any) -> None:
            super().__init__(content, **kwargs)
            self.headers["x-class"] = "router"

    @get("/app")
    async def app_h() -> Money:
        return Money(150)

    @get("/router")
    async def router_h() -> Money:
        return Money(250)

    class C(Controller):
        path = "/c"
        type_encoders = {Money: lambda m: f"{m.cents} cents"}  # noqa: RUF012

        @get("/controller")
        async def controller_h(self) -> Money:
            return Money(350)

        @get("/handler", type_encoders={Money: lambda m: {"cents": m.cents}})
        async def handler_h(self) -> Money:
            return Money(450)

        @get("/response-obj")
        async def response_obj(self) -> Response[Money]:
            return Response(Money(550), type_encoders={Money: lambda m: [m.cents]})

    router = Router("/r", route_handlers=[router_h, C], response_class=RouterResponse)
    app = Litestar(
        [app_h, router],
        response_class=AppResponse,
        type_encoders={Money: lambda m: m.cents / 100},
    )
    async with AsyncTestClient(app) as client:
        assert wire(await client.get("/app")) == (
            200,
            [("x-class", "app"), JSON, ("content-length", "3")],
            b"1.5",
        )
        assert (await client.get("/r/router")).content == b"2.5"
        assert (await client.get("/r/router")).headers["x-class"] == "router"
        assert (await client.get("/r/c/controller")).content == b'"350 cents"'
        assert (await client.get("/r/c/handler")).content == b'{"cents":450}'
        # a returned Response is not the response class; its own encoders win
        assert wire(await client.get("/r/c/response-obj")) == (
            200,
            [JSON, ("content-length", "5")],
            b"[550]",
        )


async def test_exception_handlers_by_class_and_status_code() -> None:
    def text_handler(tag: str) -> Any:
        def handle(request: Request, exc: Exception) -> Response[str]:
            return Response(
                f"{tag}: {type(exc).__name__}: {exc}", status_code=418, media_type=MediaType.TEXT
            )

        return handle

    @get("/app")
    async def app_h() -> str:
        raise ValueError("app")

    @get("/router")
    async def router_h() -> str:
        raise ValueError("router")

    class C(Controller):
        path = "/c"
        exception_handlers = {ValueError: text_handler("controller")}  # noqa: RUF012

        @get("/controller")
        async def controller_h(self) -> str:
            raise ValueError("controller")

        @get("/handler", exception_handlers={ValueError: text_handler("handler")})
        async def handler_h(self) -> str:
            raise ValueError("handler")

        @get("/status")
        async def status_h(self) -> str:
            raise PermissionDeniedException("denied")

        @get("/http")
        async def http_h(self) -> str:
            raise HTTPException(status_code=409, detail="conflict")

    router = Router(
        "/r",
        route_handlers=[router_h, C],
        exception_handlers={ValueError: text_handler("router"), 403: text_handler("router-403")},
    )
    app = Litestar(
        [app_h, router],
        exception_handlers={
            ValueError: text_handler("app"),
            404: text_handler("app-404"),
            405: text_handler("app-405"),
            HTTPException: text_handler("app-http"),
        },
    )
    async with AsyncTestClient(app) as client:
        assert wire(await client.get("/app")) == (
            418,
            [TEXT, ("content-length", "20")],
            b"app: ValueError: app",
        )
        assert (await client.get("/r/router")).text == "router: ValueError: router"
        assert (await client.get("/r/c/controller")).text == "controller: ValueError: controller"
        assert (await client.get("/r/c/handler")).text == "handler: ValueError: handler"
        # a status code handler wins over a class handler of an outer layer
        assert (await client.get("/r/c/status")).text == (
            "router-403: PermissionDeniedException: 403: denied"
        )
        assert (await client.get("/r/c/http")).text == "app-http: HTTPException: 409: conflict"
        # the app's handlers also answer for unknown paths and wrong methods
        assert (await client.get("/nope")).text == "app-404: NotFoundException: 404: Not Found"
        assert (await client.post("/app")).text == (
            "app-405: MethodNotAllowedException: 405: Method Not Allowed"
        )


async def test_before_request_after_request_and_after_response() -> None:
    log: list[str] = []

    async def app_before(request: Request) -> Any:
        return {"short": "app"} if request.query_params.get("short") else None

    def router_before(request: Request) -> Any:
        return "router short" if request.query_params.get("short") else None

    async def app_after(response: Response[Any]) -> Response[Any]:
        response.set_header("x-after", "app")
        return response

    def router_after(response: Response[Any]) -> Response[Any]:
        response.headers["x-after"] = "router"
        return response

    async def app_after_response(request: Request) -> None:
        log.append(f"app {request.url.path}")

    async def ctl_after_response(request: Request) -> None:
        log.append(f"controller {request.url.path}")

    def replace(response: Response[Any]) -> Response[str]:
        return Response("replaced", media_type=MediaType.TEXT, status_code=203)

    @get("/plain")
    async def plain() -> str:
        return "plain"

    @get("/routed")
    async def routed() -> str:
        return "routed"

    class C(Controller):
        path = "/c"
        after_response = ctl_after_response

        @get("/ctl")
        async def ctl(self) -> str:
            return "ctl"

        @get("/replaced", after_request=replace)
        async def replaced(self) -> str:
            return "not sent"

    router = Router(
        "/r", route_handlers=[routed, C], before_request=router_before, after_request=router_after
    )
    app = Litestar(
        [plain, router],
        before_request=app_before,
        after_request=app_after,
        after_response=app_after_response,
        debug=False,
    )
    async with AsyncTestClient(app) as client:
        assert wire(await client.get("/plain")) == (
            200,
            [("x-after", "app"), TEXT, ("content-length", "5")],
            b"plain",
        )
        # before_request's value replaces the handler's; here a dict cannot be rendered as
        # the route's text/plain, an error (500), after which after_response does not run
        assert (await client.get("/plain?short=1")).status_code == 500
        assert wire(await client.get("/r/routed?short=1")) == (
            200,
            [("x-after", "router"), TEXT, ("content-length", "12")],
            b"router short",
        )
        assert (await client.get("/r/c/ctl")).headers["x-after"] == "router"
        assert wire(await client.get("/r/c/replaced")) == (
            203,
            [TEXT, ("content-length", "8")],
            b"replaced",
        )
    assert log == ["app /plain", "app /r/routed", "controller /r/c/ctl", "controller /r/c/replaced"]


async def test_cache_control_and_etag() -> None:
    @get("/cc")
    async def cc() -> str:
        return "cc"

    @get("/etag", etag=ETag(value="abc"))
    async def etag() -> str:
        return "etag"

    @get("/etag-weak", etag=ETag(value="w", weak=True))
    async def etag_weak() -> str:
        return "weak"

    @get("/cc-router")
    async def cc_router() -> str:
        return "ccr"

    @get("/cc-handler", cache_control=CacheControlHeader(no_store=True))
    async def cc_handler() -> str:
        return "cch"

    router = Router(
        "/r",
        route_handlers=[cc_router, cc_handler],
        cache_control=CacheControlHeader(private=True, max_age=5),
    )
    app = Litestar(
        [cc, etag, etag_weak, router], cache_control=CacheControlHeader(max_age=10, public=True)
    )
    async with AsyncTestClient(app) as client:
        assert wire(await client.get("/cc")) == (
            200,
            [("cache-control", "max-age=10, public"), TEXT, ("content-length", "2")],
            b"cc",
        )
        assert set(_plain(wire(await client.get("/etag"))[1])) == {
            ("etag", '"abc"'),
            ("cache-control", "max-age=10, public"),
            TEXT,
            ("content-length", "4"),
        }
        assert (await client.get("/etag-weak")).headers["etag"] == 'W/"w"'
        assert (await client.get("/r/cc-router")).headers["cache-control"] == "max-age=5, private"
        assert (await client.get("/r/cc-handler")).headers["cache-control"] == "no-store"


async def test_opt_is_merged_across_layers_for_guards_and_exclude_opt_key() -> None:
    from trioweb.middleware import AbstractMiddleware
    from trioweb.types import Receive, Scope, Send

    seen: dict[str, dict[str, Any]] = {}

    def guard(connection: Any, handler: Any) -> None:
        seen[connection.url.path] = dict(handler.opt)

    class Tagging(AbstractMiddleware):
        exclude_opt_key = "no_tag"

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            async def tagged(message: Any) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message["headers"], (b"x-tag", b"1")]
                await send(message)

            await self.app(scope, receive, tagged)

    @get("/h", opt={"h": 1, "shared": "handler"})
    async def handler_level(request: Request) -> dict[str, Any]:
        return dict(request.route_handler.opt)

    class Public(Controller):
        path = "/c"
        opt = {"c": 1, "shared": "controller", "no_tag": True}

        @get("/x")
        async def x(self, request: Request) -> dict[str, Any]:
            return dict(request.route_handler.opt)

    router = Router(
        "/r", route_handlers=[handler_level, Public], opt={"r": 1, "shared": "router"}, guards=[guard]
    )
    app = Litestar(
        [router],
        opt={"a": 1, "shared": "app"},
        middleware=[Tagging],
    )
    async with AsyncTestClient(app) as client:
        handler_response = await client.get("/r/h")
        controller_response = await client.get("/r/c/x")
    # Litestar's merge, its key order included: outer layers first, nearer values winning
    assert handler_response.content == b'{"a":1,"shared":"handler","r":1,"h":1}'
    assert controller_response.content == b'{"a":1,"shared":"controller","r":1,"c":1,"no_tag":true}'
    assert seen["/r/h"] == {"a": 1, "shared": "handler", "r": 1, "h": 1}
    # an opt key set on a controller excludes its handlers from the middleware
    assert handler_response.headers["x-tag"] == "1"
    assert "x-tag" not in controller_response.headers


class Celsius:
    def __init__(self, degrees: float) -> None:
        self.degrees = degrees


async def test_type_decoders_are_layered_and_used_for_parameters_bodies_and_dependencies() -> None:
    from trioweb import post
    from trioweb.di import Provide

    def is_celsius(kind: Any) -> bool:
        return kind is Celsius

    def decode_celsius(kind: Any, value: Any) -> Celsius:
        return Celsius(float(str(value).rstrip("C")))

    def decode_kelvin_style(kind: Any, value: Any) -> Celsius:  # the router's, nearer
        return Celsius(float(str(value).rstrip("K")) - 273)

    @get("/q")
    async def query(t: Celsius) -> float:
        return t.degrees

    @post("/body")
    async def body(data: dict[str, Celsius]) -> float:
        return data["t"].degrees

    async def provide(t: Celsius) -> float:
        return t.degrees + 100

    @get("/dep", dependencies={"d": Provide(provide)})
    async def dep(d: float) -> float:
        return d

    @get("/q")
    async def router_query(t: Celsius) -> float:
        return t.degrees

    router = Router(
        "/r", route_handlers=[router_query], type_decoders=[(is_celsius, decode_kelvin_style)]
    )
    app = Litestar([query, body, dep, router], type_decoders=[(is_celsius, decode_celsius)])
    async with AsyncTestClient(app) as client:
        assert (await client.get("/q?t=21.5C")).text == "21.5"
        assert (await client.post("/body", json={"t": "30C"})).text == "30.0"
        assert (await client.get("/dep?t=5C")).text == "105.0"
        # layers are joined, outer first: the app's decoder matches first, as in Litestar
        assert (await client.get("/r/q?t=300C")).text == "300.0"


async def test_signature_types_on_every_layer_resolve_string_annotations() -> None:
    import msgspec

    from trioweb import post

    class Widget(msgspec.Struct):
        name: str

    class Gadget(msgspec.Struct):
        size: int

    class Gizmo(msgspec.Struct):
        ok: bool

    # string annotations, as under ``from __future__ import annotations``, naming types the
    # handlers' module does not have: each layer's ``signature_types`` supplies one
    @post("/widget", signature_types=[Widget])
    async def widget(data: "Widget") -> str:
        return data.name

    @post("/gadget")
    async def gadget(data: "Gadget") -> int:
        return data.size

    class Gizmos(Controller):
        path = "/gizmo"
        signature_types = [Gizmo]

        @post()
        async def gizmo(self, data: "Gizmo") -> bool:
            return data.ok

    router = Router("/r", route_handlers=[widget, gadget, Gizmos], signature_types=[Gadget])
    async with AsyncTestClient(Litestar([router])) as client:
        assert (await client.post("/r/widget", json={"name": "w"})).text == "w"
        assert (await client.post("/r/gadget", json={"size": 3})).text == "3"
        assert (await client.post("/r/gizmo", json={"ok": True})).text == "true"
        assert (await client.post("/r/gadget", json={"size": "x"})).status_code == 400
