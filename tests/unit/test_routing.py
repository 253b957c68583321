"""Routing: default status codes, 404/405/OPTIONS/HEAD, typed path parameters, nesting, reverse.

Expected answers are Litestar 2.25's, byte for byte, unless a test says otherwise.
"""

import datetime
import decimal
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
import trio

from tests.unit._wire import json_error, wire
from trioweb import (
    Controller,
    Litestar,
    Request,
    Router,
    asgi,
    delete,
    get,
    head,
    patch,
    post,
    put,
    route,
)
from trioweb.exceptions import ImproperlyConfiguredException, NoRouteMatchFoundException
from trioweb.testing import create_async_test_client

JSON = ("content-type", "application/json")
TEXT = ("content-type", "text/plain; charset=utf-8")
NOT_FOUND = (404, [JSON, ("content-length", "40")], json_error(404, "Not Found"))


# -- status codes -----------------------------------------------------------------------------


async def test_each_method_has_litestars_default_status_code() -> None:
    @post("/items")
    async def create() -> dict[str, bool]:
        return {"ok": True}

    @get("/items/{item_id:int}")
    async def read(item_id: int) -> dict[str, int]:
        return {"get": item_id}

    @put("/items/{item_id:int}")
    async def replace(item_id: int) -> dict[str, int]:
        return {"put": item_id}

    @patch("/items/{item_id:int}")
    async def update(item_id: int) -> dict[str, int]:
        return {"patch": item_id}

    @delete("/items/{item_id:int}")
    async def remove(item_id: int) -> None:
        return None

    async with create_async_test_client([create, read, replace, update, remove]) as client:
        assert wire(await client.post("/items")) == (
            201,
            [JSON, ("content-length", "11")],
            b'{"ok":true}',
        )
        assert (await client.get("/items/1")).status_code == 200
        assert (await client.put("/items/1")).status_code == 200
        assert (await client.patch("/items/1")).status_code == 200
        # a 204 carries no body, hence neither content-type nor content-length
        assert wire(await client.delete("/items/1")) == (204, [], b"")


async def test_sync_handlers_run_in_a_worker_thread_under_the_limiter() -> None:
    # issue 2: unless sync_to_thread=False, a sync handler never blocks the event loop
    loop_thread = threading.get_ident()

    def where() -> dict[str, Any]:
        in_loop = threading.get_ident() == loop_thread
        borrowed = None if in_loop else trio.from_thread.run_sync(_borrowed_handler_tokens)
        return {"in_loop": in_loop, "limiter_tokens_in_use": borrowed}

    @get("/default")
    def default() -> dict[str, Any]:
        return where()

    @get("/thread", sync_to_thread=True)
    def thread() -> dict[str, Any]:
        return where()

    @get("/inline", sync_to_thread=False)
    def inline() -> dict[str, Any]:
        return where()

    async with create_async_test_client([default, thread, inline]) as client:
        off_loop = {"in_loop": False, "limiter_tokens_in_use": 1}
        assert (await client.get("/default")).json() == off_loop
        assert (await client.get("/thread")).json() == off_loop
        assert (await client.get("/inline")).json() == {
            "in_loop": True,
            "limiter_tokens_in_use": None,
        }


def _borrowed_handler_tokens() -> int:
    from trioweb._lifecycle import handler_limiter

    return int(handler_limiter().borrowed_tokens)


async def test_a_route_with_several_methods_is_201_if_one_is_post() -> None:
    # Litestar's documentation says 200; Litestar itself answers 201 (any POST wins,
    # then any DELETE gives 204). We answer what Litestar answers.
    @route("/multi", http_method=["GET", "POST"])
    async def multi() -> str:
        return "m"

    async with create_async_test_client([multi]) as client:
        assert (await client.get("/multi")).status_code == 201
        assert (await client.post("/multi")).status_code == 201


async def test_status_code_can_be_set_on_the_decorator() -> None:
    @get("/teapot", status_code=418)
    async def teapot() -> str:
        return "short and stout"

    async with create_async_test_client([teapot]) as client:
        assert wire(await client.get("/teapot")) == (
            418,
            [TEXT, ("content-length", "15")],
            b"short and stout",
        )


# -- unknown paths, wrong methods, OPTIONS, HEAD -----------------------------------------------


async def test_unknown_path_is_a_json_404() -> None:
    @get("/a/b")
    async def ab() -> str:
        return "ab"

    async with create_async_test_client([ab]) as client:
        assert wire(await client.get("/nope")) == NOT_FOUND
        assert wire(await client.get("/a")) == NOT_FOUND  # a prefix of a route is not a route
        assert wire(await client.put("/nope")) == NOT_FOUND
        assert wire(await client.options("/nope")) == NOT_FOUND


async def test_wrong_method_is_405_listing_the_allowed_ones() -> None:
    @get("/items")
    async def items() -> list[int]:
        return [1]

    @post("/items")
    async def add() -> dict[str, int]:
        return {"id": 1}

    async with create_async_test_client([items, add]) as client:
        # Litestar's Allow would be "GET, OPTIONS, POST": it does not answer HEAD for GET
        # routes, and we do (see below), so HEAD is allowed here.
        assert wire(await client.delete("/items")) == (
            405,
            [("allow", "GET, HEAD, OPTIONS, POST"), JSON, ("content-length", "49")],
            json_error(405, "Method Not Allowed"),
        )


async def test_options_answers_204_with_allow_and_nothing_else() -> None:
    @get("/")
    async def root() -> str:
        return "root"

    async with create_async_test_client([root]) as client:
        assert wire(await client.options("/")) == (204, [("allow", "GET, HEAD, OPTIONS")], b"")


async def test_head_of_a_get_route_sends_the_get_headers_without_body() -> None:
    # A deliberate extension (issue 2): Litestar answers 405 here.
    @get("/")
    async def root() -> str:
        return "root"

    async with create_async_test_client([root]) as client:
        assert wire(await client.head("/")) == (200, [TEXT, ("content-length", "4")], b"")


async def test_head_handler() -> None:
    @head("/head-only")
    async def head_only() -> None:
        return None

    async with create_async_test_client([head_only]) as client:
        assert wire(await client.head("/head-only")) == (
            200,
            [JSON, ("content-length", "4")],  # describes the "null" it does not send
            b"",
        )
        assert wire(await client.get("/head-only")) == (
            405,
            [("allow", "HEAD, OPTIONS"), JSON, ("content-length", "49")],
            json_error(405, "Method Not Allowed"),
        )


async def test_a_trailing_slash_is_not_significant() -> None:
    @get("/items")
    async def items() -> list[int]:
        return [1]

    async with create_async_test_client([items]) as client:
        assert (await client.get("/items/")).content == b"[1]"


# -- path parameters --------------------------------------------------------------------------


def _show(value: Any) -> dict[str, str]:
    return {"type": type(value).__name__, "value": str(value)}


@get("/int/{v:int}")
async def int_param(v: int) -> dict[str, str]:
    return _show(v)


@get("/float/{v:float}")
async def float_param(v: float) -> dict[str, str]:
    return _show(v)


@get("/uuid/{v:uuid}")
async def uuid_param(v: uuid.UUID) -> dict[str, str]:
    return _show(v)


@get("/decimal/{v:decimal}")
async def decimal_param(v: decimal.Decimal) -> dict[str, str]:
    return _show(v)


@get("/date/{v:date}")
async def date_param(v: datetime.date) -> dict[str, str]:
    return _show(v)


@get("/datetime/{v:datetime}")
async def datetime_param(v: datetime.datetime) -> dict[str, str]:
    return _show(v)


@get("/time/{v:time}")
async def time_param(v: datetime.time) -> dict[str, str]:
    return _show(v)


@get("/path/{v:path}")
async def path_param(v: Path) -> dict[str, str]:
    return _show(v)


@get("/str/{v:str}")
async def str_param(v: str) -> dict[str, str]:
    return _show(v)


@get("/mixed/{n:int}/files/{rest:path}")
async def mixed_param(n: int, rest: Path) -> dict[str, str]:
    return {"n": str(n), "rest": str(rest)}


PATH_PARAM_HANDLERS = [
    int_param,
    float_param,
    uuid_param,
    decimal_param,
    date_param,
    datetime_param,
    time_param,
    path_param,
    str_param,
    mixed_param,
]


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/int/5", b'{"type":"int","value":"5"}'),
        ("/int/-3", b'{"type":"int","value":"-3"}'),
        ("/int/007", b'{"type":"int","value":"7"}'),
        ("/int/+4", b'{"type":"int","value":"4"}'),
        ("/float/1.5", b'{"type":"float","value":"1.5"}'),
        (
            "/uuid/12345678-1234-5678-1234-567812345678",
            b'{"type":"UUID","value":"12345678-1234-5678-1234-567812345678"}',
        ),
        ("/decimal/1.10", b'{"type":"Decimal","value":"1.10"}'),
        ("/date/2024-01-02", b'{"type":"date","value":"2024-01-02"}'),
        ("/datetime/2024-01-02T03:04:05", b'{"type":"datetime","value":"2024-01-02 03:04:05"}'),
        (
            "/datetime/2024-01-02T03:04:05Z",
            b'{"type":"datetime","value":"2024-01-02 03:04:05+00:00"}',
        ),
        ("/time/03:04:05", b'{"type":"time","value":"03:04:05"}'),
        ("/path/a/b/c", b'{"type":"PosixPath","value":"/a/b/c"}'),
        ("/path/a", b'{"type":"PosixPath","value":"/a"}'),
        ("/str/hello%20world", b'{"type":"str","value":"hello world"}'),
        ("/mixed/3/files/a/b.txt", b'{"n":"3","rest":"/a/b.txt"}'),
    ],
)
async def test_path_parameters_arrive_typed(url: str, body: bytes) -> None:
    async with create_async_test_client(PATH_PARAM_HANDLERS) as client:
        response = await client.get(url)
    assert (response.status_code, response.content) == (200, body)


@pytest.mark.parametrize(
    "url",
    [
        "/int/abc",
        "/int/1.5",
        "/float/x",
        "/uuid/bad",
        "/date/bad",
        "/datetime/bad",
        # Litestar answers 500 here (Decimal raises an ArithmeticError it does not catch);
        # a malformed value from the client is a 404 like every other type.
        "/decimal/x",
        # a catch-all needs at least one segment
        "/path",
        "/path/",
    ],
)
async def test_a_path_parameter_that_does_not_parse_is_404(url: str) -> None:
    async with create_async_test_client(PATH_PARAM_HANDLERS) as client:
        assert wire(await client.get(url)) == NOT_FOUND


async def test_the_method_is_checked_before_the_path_parameters() -> None:
    async with create_async_test_client([int_param]) as client:
        assert (await client.post("/int/abc")).status_code == 405


async def test_path_params_of_a_catch_all_stay_strings_on_the_request() -> None:
    @get("/files/{rest:path}")
    async def files(request: Request, rest: Path) -> dict[str, Any]:
        return {"raw": request.path_params["rest"], "typed": type(rest).__name__}

    async with create_async_test_client([files]) as client:
        assert (await client.get("/files/a/b")).json() == {"raw": "/a/b", "typed": "PosixPath"}


async def test_a_static_segment_wins_over_a_parameter() -> None:
    @get("/things/static")
    async def static() -> str:
        return "static"

    @get("/things/{name:str}")
    async def param(name: str) -> str:
        return f"param {name}"

    async with create_async_test_client([static, param]) as client:
        assert (await client.get("/things/static")).text == "static"
        assert (await client.get("/things/other")).text == "param other"


# -- routers, controllers, reverse routing ----------------------------------------------------


async def test_routers_and_controllers_nest_their_paths() -> None:
    class Things(Controller):
        path = "/things"

        @get()
        async def list_things(self) -> list[str]:
            return ["a"]

        @get("/{tid:int}")
        async def one(self, tid: int) -> dict[str, int]:
            return {"tid": tid}

    api = Router("/api", route_handlers=[Router("/v1", route_handlers=[Things])])
    async with create_async_test_client([api]) as client:
        assert (await client.get("/api/v1/things")).content == b'["a"]'
        assert (await client.get("/api/v1/things/3")).content == b'{"tid":3}'
        assert wire(await client.get("/api/v1")) == NOT_FOUND


async def test_url_for_and_route_reverse_find_named_handlers() -> None:
    @get("/named/{item_id:int}", name="item")
    async def named(request: Request, item_id: int) -> dict[str, str]:
        return {
            "url_for": request.url_for("item", item_id=item_id + 1),
            "reverse": request.app.route_reverse("item", item_id=9),
            "router": request.url_for("in-router"),
        }

    @get("/named-in-router", name="in-router")
    async def in_router() -> str:
        return "r"

    @get("/missing")
    async def missing(request: Request) -> str:
        return request.url_for("nope")

    sub = Router("/sub", route_handlers=[in_router])
    async with create_async_test_client([named, sub, missing], debug=False) as client:
        assert (await client.get("/named/7")).content == (
            b'{"url_for":"http://testserver.local/named/8","reverse":"/named/9",'
            b'"router":"http://testserver.local/sub/named-in-router"}'
        )
        # an unknown name is the app's bug: a 500, with the route's (text) media type
        assert wire(await client.get("/missing")) == (
            500,
            [TEXT, ("content-length", "52")],
            json_error(500, "Internal Server Error"),
        )


def test_route_reverse_as_litestar_documents_it() -> None:
    # the example of Litestar's route_reverse docstring, and its type rules
    @get("/group/{group_id:int}", name="get_group_members")
    async def get_group_members(group_id: int) -> None:
        return None

    @get("/group/{group_id:int}/user/{user_id:int}", name="get_membership_details")
    async def get_membership_details(group_id: int, user_id: int) -> None:
        return None

    @get(["/items", "/items/{item_id:int}", "/items/{item_id:int}/{part:path}"])
    async def unnamed(item_id: int = 0, part: Path | None = None) -> None:
        return None

    @get("/on/{day:date}", name="day")
    async def day(day: datetime.date) -> None:
        return None

    app = Litestar([get_group_members, get_membership_details, unnamed, day])
    assert app.route_reverse(get_group_members, group_id=10) == "/group/10"
    assert app.route_reverse("get_membership_details", user_id=100, group_id=10) == (
        "/group/10/user/100"
    )
    # an unnamed handler is found by itself or by its function's qualified name, and the
    # path using the most of the given parameters is chosen
    assert app.route_reverse(unnamed) == "/items"
    assert app.route_reverse(str(unnamed), item_id=3) == "/items/3"
    assert app.route_reverse(unnamed, item_id=3, part=Path("a/b")) == "/items/3/a/b"
    assert str(unnamed) == f"{__name__}.{unnamed.fn.__qualname__}"
    # dates (like datetimes, times, timedeltas, floats, UUIDs and paths) may be strings
    assert app.route_reverse("day", day=datetime.date(2024, 1, 2)) == "/on/2024-01-02"
    assert app.route_reverse("day", day="2024-01-02") == "/on/2024-01-02"
    for name, params in [
        ("get_group_members", {"group_id": "10"}),  # an int must be an int
        ("get_group_members", {}),  # missing
        ("nope", {}),  # unknown name
    ]:
        with pytest.raises(NoRouteMatchFoundException):
            app.route_reverse(name, **params)


def test_two_handlers_with_one_name_is_a_configuration_error() -> None:
    @get("/a", name="same")
    async def a() -> str:
        return "a"

    @get("/b", name="same")
    async def b() -> str:
        return "b"

    with pytest.raises(ImproperlyConfiguredException, match="same is not unique"):
        Litestar([a, b])
    # the same handler under two routers keeps its name, with both paths
    app = Litestar([Router("/one", route_handlers=[a]), Router("/two", route_handlers=[a])])
    assert app.get_handler_index_by_name("same")["paths"] == ["/one/a", "/two/a"]  # type: ignore[index]


# -- configuration errors, raised when the app is built ---------------------------------------


def test_two_handlers_for_one_path_and_method_is_a_configuration_error() -> None:
    @get("/")
    async def a() -> str:
        return "a"

    @get("/")
    async def b() -> str:
        return "b"

    with pytest.raises(ImproperlyConfiguredException) as info:
        Litestar([a, b])
    assert info.value.detail == "Handler already registered for path '/' and http method GET"


def test_an_unknown_path_parameter_type_is_a_configuration_error() -> None:
    @get("/{x:nope}")
    async def a(x: int) -> str:
        return "a"

    with pytest.raises(ImproperlyConfiguredException) as info:
        Litestar([a])
    assert info.value.detail == (
        "Path parameters should be declared with an allowed type, i.e. one of str, int, float, "
        "uuid, decimal, date, datetime, time, timedelta, path in path: '/{x:nope}'"
    )


def test_a_get_handler_cannot_take_a_body() -> None:
    @get("/")
    async def h(data: dict[str, Any]) -> None:
        return None

    with pytest.raises(ImproperlyConfiguredException) as info:
        Litestar([h])
    assert info.value.detail == "'data' kwarg is unsupported for 'GET' request handlers"


def test_a_204_handler_cannot_return_a_body() -> None:
    @delete("/")
    async def h() -> dict[str, Any]:
        return {}

    with pytest.raises(ImproperlyConfiguredException) as info:
        Litestar([h])
    assert info.value.detail == (
        "A status code 204, 304 or in the range below 200 does not support a response body. "
        f"If {__name__}.test_a_204_handler_cannot_return_a_body.<locals>.h should return a "
        "value, change the route handler status code to an appropriate value."
    )


# -- ASGI apps as routes ----------------------------------------------------------------------


async def _echo_scope(scope: Any, receive: Any, send: Any) -> None:
    body = f"{scope['path']}|{scope['root_path']}|{scope.get('path_params')}".encode()
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}
    )
    await send({"type": "http.response.body", "body": body})


async def test_a_mounted_asgi_app_serves_every_path_below_its_prefix() -> None:
    mounted = asgi("/mount", is_mount=True)(_echo_scope)

    @get("/mount/special")
    async def special() -> str:
        return "a handler below the mount wins"

    async with create_async_test_client([mounted, special]) as client:
        # the app sees the path below the mount, and the mount in root_path (so an app that
        # builds URLs from root_path, like Starlette's url_for, gets them right)
        assert (await client.get("/mount/a/b?q=1")).text == "/a/b|/mount|{}"
        assert (await client.post("/mount")).text == "/|/mount|{}"
        assert (await client.get("/mount/special")).text == "a handler below the mount wins"
        assert (await client.get("/mountain")).status_code == 404


async def test_an_asgi_route_that_is_not_a_mount_sees_the_scope_unchanged() -> None:
    exact = asgi("/exact")(_echo_scope)
    typed = asgi("/item/{item_id:int}")(_echo_scope)
    async with create_async_test_client([exact, typed]) as client:
        assert (await client.get("/exact")).text == "/exact||{}"
        assert (await client.get("/exact/below")).status_code == 404
        assert (await client.get("/item/5")).text == "/item/5||{'item_id': 5}"
        assert wire(await client.get("/item/x"))[2] == json_error(404, "Not Found")


async def test_an_asgi_route_also_takes_websockets_with_its_path_params() -> None:
    async def ws_app(scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "websocket"
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        text = f"{scope['path']} {scope['path_params']}"
        await send({"type": "websocket.send", "text": text})
        await send({"type": "websocket.close", "code": 1000})

    route_app = asgi("/ws/{room:int}")(ws_app)
    async with create_async_test_client([route_app]) as client:
        async with client.websocket_connect("/ws/7") as ws:
            assert await ws.receive_text() == "/ws/7 {'room': 7}"
