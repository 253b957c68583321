"""The core request/response path over a real hypercorn trio server and httpx.

The same answers as the in-process tests (tests/unit/test_*.py), checked on the wire:
what hypercorn adds (``date``, ``server``) is left out of the comparisons.
"""

from typing import Any

import httpx
import msgspec

from tests.integration._server import open_server
from trioweb import Litestar, MediaType, Request, Response, get, post
from trioweb.datastructures import Cookie, UploadFile
from trioweb.di import Provide
from trioweb.enums import RequestEncodingType
from trioweb.exceptions import NotFoundException
from trioweb.params import Body, Parameter
from trioweb.response import Redirect

SERVER_HEADERS = frozenset({"date", "server"})


class Point(msgspec.Struct):
    x: int
    y: int


def _headers(response: httpx.Response) -> list[tuple[str, str]]:
    return [
        (k.decode(), v.decode())
        for k, v in response.headers.raw
        if k.decode().lower() not in SERVER_HEADERS
    ]


@get("/items/{item_id:int}")
async def read_item(item_id: int, q: str | None = None) -> dict[str, Any]:
    return {"item_id": item_id, "q": q}


@post("/points")
async def create_point(data: Point) -> Point:
    return data


@get("/text")
async def text(name: str = Parameter(header="x-name", default="world")) -> str:
    return f"hello {name}"


@post("/upload")
async def upload(
    data: UploadFile = Body(media_type=RequestEncodingType.MULTI_PART),
) -> dict[str, Any]:
    return {"filename": data.filename, "size": len(await data.read())}


@post("/small", request_max_body_size=10)
async def small(body: bytes) -> int:
    return len(body)


@get("/cookie")
async def cookie() -> Response[str]:
    return Response(
        "c", media_type=MediaType.TEXT, cookies=[Cookie(key="k", value="v", httponly=True)]
    )


@get("/redirect")
async def redirect() -> Redirect:
    return Redirect("/text")


@get("/missing")
async def missing() -> str:
    raise NotFoundException(detail="no such thing")


@get("/boom")
async def boom() -> dict[str, str]:
    raise RuntimeError("secret")


@get("/dep")
async def with_dependency(answer: int) -> int:
    return answer


async def _answer() -> int:
    return 42


app = Litestar(
    [
        read_item,
        create_point,
        text,
        upload,
        small,
        cookie,
        redirect,
        missing,
        boom,
        with_dependency,
    ],
    dependencies={"answer": Provide(_answer)},
)


async def test_core_answers_on_the_wire() -> None:
    async with open_server(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        response = await client.get("/items/3?q=x")
        assert (response.status_code, _headers(response), response.content) == (
            200,
            [("content-type", "application/json"), ("content-length", "21")],
            b'{"item_id":3,"q":"x"}',
        )
        response = await client.post("/points", json={"x": 1, "y": 2})
        assert (response.status_code, response.content) == (201, b'{"x":1,"y":2}')
        response = await client.get("/text", headers={"x-name": "trio"})
        assert _headers(response) == [
            ("content-type", "text/plain; charset=utf-8"),
            ("content-length", "10"),
        ]
        assert response.text == "hello trio"
        assert (await client.get("/dep")).text == "42"


async def test_routing_answers_on_the_wire() -> None:
    async with open_server(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        response = await client.get("/nope")
        assert (response.status_code, response.content) == (
            404,
            b'{"status_code":404,"detail":"Not Found"}',
        )
        response = await client.get("/items/abc")
        assert response.status_code == 404
        response = await client.delete("/items/3")
        assert (response.status_code, response.headers["allow"]) == (405, "GET, HEAD, OPTIONS")
        response = await client.options("/items/3")
        assert (response.status_code, _headers(response)) == (
            204,
            [("allow", "GET, HEAD, OPTIONS")],
        )
        response = await client.head("/items/3")
        assert (response.status_code, response.content) == (200, b"")
        # the length of the GET body, '{"item_id":3,"q":null}'
        assert response.headers["content-length"] == "22"
        response = await client.get("/redirect")
        assert (response.status_code, response.headers["location"]) == (302, "/text")


async def test_errors_on_the_wire() -> None:
    async with open_server(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        response = await client.post("/points", json={"x": "a", "y": 2})
        assert response.content == (
            b'{"status_code":400,"detail":"Validation failed for POST /points","extra":'
            b'[{"message":"Expected `int`, got `str`","key":"x","source":"body"}]}'
        )
        response = await client.get("/missing")
        assert (response.status_code, response.headers["content-type"], response.content) == (
            404,
            "text/plain; charset=utf-8",
            b'{"status_code":404,"detail":"no such thing"}',
        )
        response = await client.get("/boom")
        assert (response.status_code, response.content) == (
            500,
            b'{"status_code":500,"detail":"Internal Server Error"}',
        )
        # the server keeps serving
        assert (await client.get("/items/1")).status_code == 200


async def test_bodies_and_cookies_on_the_wire() -> None:
    async with open_server(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        response = await client.post(
            "/upload", files={"file": ("a.bin", b"\x00" * 70_000, "application/octet-stream")}
        )
        assert response.content == b'{"filename":"a.bin","size":70000}'
        response = await client.post("/small", content=b"x" * 50)
        assert (response.status_code, response.content) == (
            413,
            b'{"status_code":413,"detail":"Request Entity Too Large"}',
        )
        response = await client.get("/cookie")
        assert response.headers["set-cookie"] == "k=v; HttpOnly; Path=/; SameSite=lax"


async def test_a_chunked_body_over_the_limit_is_413_while_it_streams() -> None:
    async def chunks() -> Any:  # no Content-Length: hypercorn passes it on chunk by chunk
        for _ in range(20):
            yield b"x" * 4

    async with open_server(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
        response = await client.post("/small", content=chunks())
        assert response.request.headers.get("transfer-encoding") == "chunked"
        assert (response.status_code, response.content) == (
            413,
            b'{"status_code":413,"detail":"Request Entity Too Large"}',
        )
        assert (await client.get("/items/1")).status_code == 200  # the server keeps serving


async def test_a_request_reads_the_streamed_body() -> None:
    @post("/echo")
    async def echo(request: Request) -> bytes:
        return b"".join([chunk async for chunk in request.stream()])

    async def chunks() -> Any:
        for _ in range(10):
            yield b"0123456789" * 1000

    async with (
        open_server(Litestar([echo])) as base_url,
        httpx.AsyncClient(base_url=base_url) as client,
    ):
        response = await client.post("/echo", content=chunks())
    assert response.content == b"0123456789" * 10_000


async def test_behind_a_proxy_that_keeps_the_prefix_routes_below_root_path() -> None:
    # hypercorn --root-path /api passes "/api/items/1" as is; the app routes "/items/1"
    @get("/where/{n:int}", name="where")
    async def where(request: Request, n: int) -> dict[str, Any]:
        return {
            "url": str(request.url),
            "path": request.scope["path"],
            "url_for": request.url_for("where", n=n + 1),
        }

    async with (
        open_server(Litestar([where]), root_path="/api") as base_url,
        httpx.AsyncClient(base_url=base_url) as client,
    ):
        kept = (await client.get("/api/where/1")).json()
        stripped = (await client.get("/where/1")).json()  # a proxy that strips the prefix
        assert (await client.get("/apiwhere/1")).status_code == 404
    assert kept == stripped == {
        "url": f"{base_url}/api/where/1",
        "path": "/where/1",
        "url_for": f"{base_url}/api/where/2",
    }
