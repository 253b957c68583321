"""Responses: media types, ``Response(...)``, cookies, redirects, ASGI apps, custom classes.

Expected answers are Litestar 2.25's, byte for byte, unless a test says otherwise.
"""

import dataclasses
import datetime
import decimal
import enum
import re
import uuid
from pathlib import Path
from typing import Any

import msgspec
import pytest

from tests.unit._wire import json_error, wire
from trioweb import Litestar, MediaType, Response, get
from trioweb.background_tasks import BackgroundTask
from trioweb.datastructures import Cookie, MultiDict, ResponseHeader
from trioweb.response import Redirect
from trioweb.testing import AsyncTestClient, create_async_test_client
from trioweb.types import ASGIApp, Receive, Scope, Send

JSON = ("content-type", "application/json")
TEXT = ("content-type", "text/plain; charset=utf-8")


class Point(msgspec.Struct):
    x: int
    y: int


@dataclasses.dataclass
class Person:
    name: str
    age: int = 0


class Color(enum.Enum):
    RED = "red"


def _length(body: bytes) -> tuple[str, str]:
    return ("content-length", str(len(body)))


# -- what a plain return value becomes ----------------------------------------------------------


@get("/text")
async def text() -> str:
    return "hello"


@get("/unicode")
async def unicode_text() -> str:
    return "héllo ☃"


@get("/empty")
async def empty() -> str:
    return ""


@get("/bytes")
async def raw_bytes() -> bytes:
    return b"raw\xff"


@get("/dict")
async def a_dict() -> dict[str, int]:
    return {"a": 1, "b": 2}


@get("/list")
async def a_list() -> list[int]:
    return [1, 2, 3]


@get("/none")
async def none() -> None:
    return None


@get("/int")
async def an_int() -> int:
    return 42


@get("/bool")
async def a_bool() -> bool:
    return True


@get("/struct")
async def struct() -> Point:
    return Point(1, 2)


@get("/dataclass")
async def a_dataclass() -> Person:
    return Person("ann", 3)


@get("/sync", sync_to_thread=False)
def sync() -> dict[str, str]:
    return {"sync": "yes"}


@get("/str-as-json", media_type=MediaType.JSON)
async def str_as_json() -> str:
    return "as is"


@get("/misc")
async def misc() -> dict[str, Any]:
    return {
        "dt": datetime.datetime(2024, 1, 2, 3, 4, 5),
        "dtz": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        "date": datetime.date(2024, 1, 2),
        "time": datetime.time(3, 4, 5),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "dec": decimal.Decimal("1.10"),
        "set": {3, 1, 2},
        "path": Path("/a/b"),
        "enum": Color.RED,
        "td": datetime.timedelta(seconds=90),
        "bytes": b"ab",
        "tuple": (1, 2),
    }


PLAIN = [
    text,
    unicode_text,
    empty,
    raw_bytes,
    a_dict,
    a_list,
    none,
    an_int,
    a_bool,
    struct,
    a_dataclass,
    sync,
    str_as_json,
    misc,
]


@pytest.mark.parametrize(
    ("url", "content_type", "body"),
    [
        # str and bytes return annotations mean text/plain; everything else is JSON
        ("/text", TEXT, b"hello"),
        ("/unicode", TEXT, "héllo ☃".encode()),
        ("/empty", TEXT, b""),  # still with content-length: 0
        ("/bytes", TEXT, b"raw\xff"),
        ("/dict", JSON, b'{"a":1,"b":2}'),
        ("/list", JSON, b"[1,2,3]"),
        ("/none", JSON, b"null"),
        ("/int", JSON, b"42"),
        ("/bool", JSON, b"true"),
        ("/struct", JSON, b'{"x":1,"y":2}'),
        ("/dataclass", JSON, b'{"name":"ann","age":3}'),
        ("/sync", JSON, b'{"sync":"yes"}'),
        ("/str-as-json", JSON, b"as is"),  # a str is sent as is, whatever the media type
        (
            "/misc",
            JSON,
            b'{"dt":"2024-01-02T03:04:05","dtz":"2024-01-02T03:04:05Z","date":"2024-01-02",'
            b'"time":"03:04:05","uuid":"12345678-1234-5678-1234-567812345678","dec":"1.10",'
            b'"set":[1,2,3],"path":"/a/b","enum":"red","td":"PT90S","bytes":"YWI=",'
            b'"tuple":[1,2]}',
        ),
    ],
)
async def test_return_values_are_rendered_by_media_type(
    url: str, content_type: tuple[str, str], body: bytes
) -> None:
    async with create_async_test_client(PLAIN) as client:
        response = await client.get(url)
    assert wire(response) == (200, [content_type, _length(body)], body)


# -- Response(...) ------------------------------------------------------------------------------


async def test_a_response_carries_its_status_headers_cookies_and_media_type() -> None:
    @get("/full")
    async def full() -> Response[str]:
        return Response(
            "body",
            status_code=202,
            headers={"X-Custom": "1"},
            cookies=[Cookie(key="a", value="b")],
            media_type=MediaType.TEXT,
        )

    @get("/typed")
    async def typed() -> Response[Point]:
        return Response(Point(3, 4), headers={"MY-HEADER": "xyz"})

    @get("/header-list")
    async def header_list() -> Response[str]:
        return Response(
            "x", headers=[ResponseHeader(name="x-listed", value="yes")], media_type=MediaType.TEXT
        )

    @get("/own-content-type")
    async def own_content_type() -> Response[str]:
        return Response("x", headers={"content-type": "application/custom"})

    async with create_async_test_client([full, typed, header_list, own_content_type]) as client:
        # given headers come first, then content-type and content-length, then cookies
        assert wire(await client.get("/full")) == (
            202,
            [
                ("x-custom", "1"),
                TEXT,
                ("content-length", "4"),
                ("set-cookie", "a=b; Path=/; SameSite=lax"),
            ],
            b"body",
        )
        assert wire(await client.get("/typed")) == (
            200,
            [("my-header", "xyz"), JSON, ("content-length", "13")],
            b'{"x":3,"y":4}',
        )
        assert wire(await client.get("/header-list")) == (
            200,
            [("x-listed", "yes"), TEXT, ("content-length", "1")],
            b"x",
        )
        # a content-type header given by the response is not doubled
        assert wire(await client.get("/own-content-type")) == (
            200,
            [("content-type", "application/custom"), ("content-length", "1")],
            b"x",
        )


@get("/msgpack", media_type=MediaType.MESSAGEPACK)
async def msgpack_handler() -> dict[str, str]:
    return {"hello": "world"}


@get("/vnd", status_code=418, media_type="application/vnd.example.resource+json")
async def vnd() -> dict[str, Any]:
    return {"title": "Server thinks it is a teapot", "status": 418}


@get("/html", media_type=MediaType.HTML)
async def html() -> str:
    return "<p>hi</p>"


@get("/csv", media_type="text/csv")
async def csv() -> str:
    return "a,b"


@get("/xml", media_type="application/xml")
async def xml() -> str:
    return "<a/>"


@get("/latin1")
async def latin1() -> Response[str]:
    return Response("café", media_type=MediaType.TEXT, encoding="latin-1")


@get("/override", media_type=MediaType.TEXT)
async def override() -> Response[dict[str, int]]:
    return Response({"a": 1}, media_type=MediaType.JSON)


@get("/pre-encoded")
async def pre_encoded() -> Response[bytes]:
    return Response(b'{"pre":"encoded"}')


MEDIA = [msgpack_handler, vnd, html, csv, xml, latin1, override, pre_encoded]


@pytest.mark.parametrize(
    ("url", "status", "content_type", "body"),
    [
        ("/msgpack", 200, "application/x-msgpack", msgspec.msgpack.encode({"hello": "world"})),
        (
            "/vnd",
            418,
            "application/vnd.example.resource+json",
            b'{"title":"Server thinks it is a teapot","status":418}',
        ),
        ("/html", 200, "text/html; charset=utf-8", b"<p>hi</p>"),
        ("/csv", 200, "text/csv; charset=utf-8", b"a,b"),
        ("/xml", 200, "application/xml", b"<a/>"),  # no charset outside text/*
        ("/latin1", 200, "text/plain; charset=latin-1", "café".encode("latin-1")),
        ("/override", 200, "application/json", b'{"a":1}'),  # the response's media type wins
        ("/pre-encoded", 200, "application/json", b'{"pre":"encoded"}'),  # bytes pass through
    ],
)
async def test_media_types(url: str, status: int, content_type: str, body: bytes) -> None:
    async with create_async_test_client(MEDIA) as client:
        response = await client.get(url)
    assert wire(response) == (status, [("content-type", content_type), _length(body)], body)


async def test_a_charset_in_the_media_type_is_kept() -> None:
    # Deliberately not Litestar's "text/plain; charset=ascii; charset=utf-8".
    @get("/ascii", media_type="text/plain; charset=ascii")
    async def ascii_text() -> str:
        return "plain"

    async with create_async_test_client([ascii_text]) as client:
        response = await client.get("/ascii")
    assert response.headers["content-type"] == "text/plain; charset=ascii"


async def test_no_body_statuses_send_no_content_headers() -> None:
    @get("/204")
    async def no_content() -> Response[None]:
        return Response(None, status_code=204)

    @get("/304")
    async def not_modified() -> Response[bytes]:
        return Response(b"", status_code=304)

    async with create_async_test_client([no_content, not_modified]) as client:
        assert wire(await client.get("/204")) == (204, [], b"")
        assert wire(await client.get("/304")) == (304, [], b"")


async def test_content_the_media_type_cannot_render_is_a_500() -> None:
    @get("/text-dict", media_type=MediaType.TEXT)
    async def text_dict() -> dict[str, int]:
        return {"a": 1}

    async with create_async_test_client([text_dict], debug=False) as client:
        assert wire(await client.get("/text-dict")) == (
            500,
            [TEXT, ("content-length", "52")],
            json_error(500, "Internal Server Error"),
        )


# -- cookies ------------------------------------------------------------------------------------


def _no_dates(response: Any) -> list[str]:
    return [
        re.sub(r"expires=[^;]+GMT", "expires=<date>", value)
        for value in response.headers.get_list("set-cookie")
    ]


async def test_cookies_put_every_attribute_on_the_wire() -> None:
    @get("/cookies")
    async def cookies() -> Response[str]:
        return Response(
            "c",
            media_type=MediaType.TEXT,
            cookies=[
                Cookie(
                    key="full",
                    value="v",
                    max_age=10,
                    expires=100,
                    path="/p",
                    domain="example.com",
                    secure=True,
                    httponly=True,
                    samesite="strict",
                ),
                Cookie(key="plain", value="p"),
                Cookie(key="none", value="n", samesite="none", secure=True),
                Cookie(key="spaced", value="a b;c"),
                Cookie(key="empty"),
            ],
        )

    async with create_async_test_client([cookies]) as client:
        response = await client.get("/cookies")
    assert _no_dates(response) == [
        "full=v; Domain=example.com; expires=<date>; HttpOnly; Max-Age=10; Path=/p; "
        "SameSite=strict; Secure",
        "plain=p; Path=/; SameSite=lax",
        "none=n; Path=/; SameSite=none; Secure",
        'spaced="a b\\073c"; Path=/; SameSite=lax',
        'empty=""; Path=/; SameSite=lax',
    ]


async def test_set_cookie_delete_cookie_and_set_header() -> None:
    @get("/set")
    async def set_cookie() -> Response[str]:
        response = Response("s", media_type=MediaType.TEXT)
        response.set_cookie("k", "v", max_age=5, httponly=True)
        response.set_cookie(Cookie(key="obj", value="o"))
        response.set_header("X-One", "1")
        return response

    @get("/delete")
    async def delete_cookie() -> Response[str]:
        response = Response("d", media_type=MediaType.TEXT)
        response.delete_cookie("gone")
        response.delete_cookie("gone2", path="/x", domain="example.com")
        return response

    @get("/dict")
    async def cookie_dict() -> Response[str]:
        return Response("cd", media_type=MediaType.TEXT, cookies={"a": "1", "b": "2"})

    async with create_async_test_client([set_cookie, delete_cookie, cookie_dict]) as client:
        response = await client.get("/set")
        assert response.headers["x-one"] == "1"
        assert _no_dates(response) == [
            "k=v; HttpOnly; Max-Age=5; Path=/; SameSite=lax",
            "obj=o; Path=/; SameSite=lax",
        ]
        assert _no_dates(await client.get("/delete")) == [
            'gone=""; expires=<date>; Max-Age=0; Path=/; SameSite=lax',
            'gone2=""; Domain=example.com; expires=<date>; Max-Age=0; Path=/x; SameSite=lax',
        ]
        assert _no_dates(await client.get("/dict")) == [
            "a=1; Path=/; SameSite=lax",
            "b=2; Path=/; SameSite=lax",
        ]


# -- redirects, ASGI apps, custom response classes, background tasks ----------------------------


async def test_redirects() -> None:
    @get("/r")
    async def r() -> Redirect:
        return Redirect("/target")

    @get("/r301")
    async def r301() -> Redirect:
        return Redirect("/target", status_code=301)

    @get("/query")
    async def query() -> Redirect:
        return Redirect("/target", query_params={"a": "1", "b": ["2", "3"]})

    @get("/quoted")
    async def quoted() -> Redirect:
        return Redirect("/with space/ü")

    @get("/absolute")
    async def absolute() -> Redirect:
        return Redirect("https://example.com/a b")

    def redirect(status: int, location: str) -> tuple[int, list[tuple[str, str]], bytes]:
        return (status, [("location", location), TEXT, ("content-length", "0")], b"")

    async with create_async_test_client([r, r301, query, quoted, absolute]) as client:

        async def get_once(url: str) -> Any:
            return wire(await client.get(url, follow_redirects=False))

        assert await get_once("/r") == redirect(302, "/target")
        assert await get_once("/r301") == redirect(301, "/target")
        assert await get_once("/query") == redirect(302, "/target?a=1&b=2&b=3")
        assert await get_once("/quoted") == redirect(302, "/with%20space/%C3%BC")
        assert await get_once("/absolute") == redirect(302, "https://example.com/a%20b")


async def test_a_handler_may_return_an_asgi_app() -> None:
    @get("/function")
    async def function() -> ASGIApp:
        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            await send({"type": "http.response.start", "status": 203, "headers": [(b"x-a", b"1")]})
            await send({"type": "http.response.body", "body": b"from asgi"})

        return app

    class App:
        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            await send({"type": "http.response.start", "status": 201, "headers": []})
            await send({"type": "http.response.body", "body": b"instance"})

    @get("/instance")
    async def instance() -> ASGIApp:
        return App()

    async with create_async_test_client([function, instance]) as client:
        assert wire(await client.get("/function")) == (203, [("x-a", "1")], b"from asgi")
        assert wire(await client.get("/instance")) == (201, [], b"instance")


async def test_a_response_class_with_type_encoders_renders_what_json_cannot() -> None:
    # The MultiDict example of Litestar's responses guide.
    class MultiDictResponse(Response[Any]):
        type_encoders = {MultiDict: lambda d: d.dict()}  # noqa: RUF012

    @get("/")
    async def index() -> MultiDict[str]:
        return MultiDict([("foo", "bar"), ("foo", "baz")])

    async with AsyncTestClient(Litestar([index], response_class=MultiDictResponse)) as client:
        assert wire(await client.get("/")) == (
            200,
            [JSON, ("content-length", "21")],
            b'{"foo":["bar","baz"]}',
        )


async def test_background_tasks_run_after_the_response() -> None:
    log: list[str] = []

    async def task(tag: str) -> None:
        log.append(tag)

    @get("/response")
    async def with_task() -> Response[str]:
        return Response("bg", media_type=MediaType.TEXT, background=BackgroundTask(task, "ran"))

    @get("/handler", background=BackgroundTask(task, "handler"))
    async def handler_task() -> str:
        return "bgh"

    async with create_async_test_client([with_task, handler_task]) as client:
        assert (await client.get("/response")).text == "bg"
        assert (await client.get("/handler")).text == "bgh"
    assert log == ["ran", "handler"]
