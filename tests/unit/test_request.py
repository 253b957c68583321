"""The ``Request``: URL parts, query, cookies, client, content type, Accept, and the body.

Expected answers are Litestar 2.25's, byte for byte, unless a test says otherwise.
"""

from typing import Any

import msgspec
import pytest

from tests.unit._wire import json_error
from trioweb import Litestar, MediaType, Request, Response, get, post
from trioweb.datastructures import State, UploadFile
from trioweb.exceptions import LitestarException, LitestarWarning
from trioweb.testing import create_async_test_client


async def test_what_a_request_knows_about_itself() -> None:
    @get("/info/{n:int}")
    async def info(request: Request, n: int) -> dict[str, Any]:
        return {
            "url": str(request.url),
            "base_url": str(request.base_url),
            "path": request.url.path,
            "query": request.url.query,
            "method": request.method,
            "query_params": {k: request.query_params.getall(k) for k in request.query_params},
            "path_params": request.path_params,
            "cookies": request.cookies,
            "client": list(request.client) if request.client else None,
            "content_type": list(request.content_type),
            "accepts_json": request.accept.accepts("application/json"),
            "x_custom": request.headers.get("X-Custom"),
            "app_state": request.app.state.get("k"),
            "scheme": request.url.scheme,
            "hostname": request.url.hostname,
            "port": request.url.port,
        }

    async with create_async_test_client([info], state=State({"k": "v"})) as client:
        response = await client.get(
            "/info/7?a=1&a=2&b=x%20y",
            headers={
                "cookie": "c1=v1; c2=v2",
                "accept": "text/html;q=0.9, application/json",
                "content-type": "application/json; charset=utf-8",
                "x-custom": "h",
            },
        )
        assert response.content == (
            b'{"url":"http://testserver.local/info/7?a=1&a=2&b=x%20y",'
            b'"base_url":"http://testserver.local/","path":"/info/7","query":"a=1&a=2&b=x%20y",'
            b'"method":"GET","query_params":{"a":["1","2"],"b":["x y"]},"path_params":{"n":7},'
            b'"cookies":{"c1":"v1","c2":"v2"},"client":["testclient",50000],'
            b'"content_type":["application/json",{"charset":"utf-8"}],"accepts_json":true,'
            b'"x_custom":"h","app_state":"v","scheme":"http","hostname":"testserver.local",'
            b'"port":null}'
        )
        bare = (await client.get("/info/8")).json()
        assert (bare["query_params"], bare["cookies"], bare["content_type"]) == ({}, {}, ["", {}])


async def test_urls_under_a_root_path() -> None:
    @get("/where")
    async def where(request: Request) -> dict[str, str]:
        return {
            "url": str(request.url),
            "base_url": str(request.base_url),
            "url_for": request.url_for("named", item=3),
        }

    @get("/n/{item:int}", name="named")
    async def named(item: int) -> int:
        return item

    expected = (
        b'{"url":"http://testserver.local/root/where",'
        b'"base_url":"http://testserver.local/root/",'
        b'"url_for":"http://testserver.local/root/n/3"}'
    )
    async with create_async_test_client([where, named], root_path="/root") as client:
        assert (await client.get("/where")).content == expected
        # a server that leaves root_path in the path (hypercorn does): routed below it
        assert (await client.get("/root/where")).content == expected
        assert (await client.get("/rootwhere")).status_code == 404


@pytest.mark.parametrize(
    ("accept", "body", "content_type"),
    [
        ("text/html", b"text/html", "text/html; charset=utf-8"),
        ("application/xml;q=0.5, text/plain;q=0.4", b"application/xml", "application/xml"),
        (None, b"text/plain", "text/plain; charset=utf-8"),
    ],
)
async def test_content_negotiation_with_accept(
    accept: str | None, body: bytes, content_type: str
) -> None:
    # the example of Litestar's responses guide
    @get("/resource")
    async def resource(request: Request) -> Response[bytes]:
        provided = [MediaType.TEXT, MediaType.HTML, "application/xml"]
        preferred = request.accept.best_match(provided, default=MediaType.TEXT)
        return Response(str(preferred).encode(), media_type=preferred)

    headers = {"accept": accept} if accept else {}
    async with create_async_test_client([resource]) as client:
        response = await client.get("/resource", headers=headers)
    assert (response.content, response.headers["content-type"]) == (body, content_type)


def _describe(value: Any) -> Any:
    if isinstance(value, UploadFile):
        return {"filename": value.filename, "content_type": value.content_type}
    return value


@post("/json")
async def json_(request: Request) -> dict[str, Any]:
    return {"json": await request.json()}


@post("/msgpack")
async def msgpack(request: Request) -> dict[str, Any]:
    return {"msgpack": await request.msgpack()}


@post("/form")
async def form(request: Request) -> dict[str, Any]:
    return {k: _describe(v) for k, v in (await request.form()).multi_items()}


@post("/body")
async def body(request: Request) -> bytes:
    return await request.body()


@post("/stream")
async def stream(request: Request) -> bytes:
    return b"".join([chunk async for chunk in request.stream()])


@post("/body-twice")
async def body_twice(request: Request) -> list[str]:
    return [(await request.body()).decode(), (await request.body()).decode()]


@post("/json-then-body")
async def json_then_body(request: Request) -> dict[str, Any]:
    return {"json": await request.json(), "body": (await request.body()).decode()}


@post("/stream-then-body")
async def stream_then_body(request: Request) -> dict[str, Any]:
    streamed = b"".join([chunk async for chunk in request.stream()])
    return {"stream": streamed.decode(), "body": (await request.body()).decode()}


BODY_HANDLERS = [json_, msgpack, form, body, stream, body_twice, json_then_body, stream_then_body]


async def test_reading_the_body() -> None:
    async with create_async_test_client(BODY_HANDLERS, debug=False) as client:
        assert (await client.post("/json", json={"a": [1, 2]})).content == b'{"json":{"a":[1,2]}}'
        assert (await client.post("/json")).content == b'{"json":null}'
        packed = msgspec.msgpack.encode({"m": 1})
        assert (await client.post("/msgpack", content=packed)).content == b'{"msgpack":{"m":1}}'
        assert (await client.post("/form", data={"a": "1", "b": "2"})).json() == {
            "a": "1",
            "b": "2",
        }
        response = await client.post(
            "/form", data={"a": "1"}, files={"f": ("f.txt", b"F", "text/plain")}
        )
        assert response.json() == {
            "a": "1",
            "f": {"filename": "f.txt", "content_type": "text/plain"},
        }
        # a body that is not a form is an empty form
        plain = await client.post("/form", content=b"x", headers={"content-type": "text/plain"})
        assert plain.content == b"{}"
        assert (await client.post("/body", content=b"raw bytes")).content == b"raw bytes"
        assert (await client.post("/stream", content=b"streamed")).content == b"streamed"
        # the body is read once and kept
        assert (await client.post("/body-twice", content=b"twice")).content == (
            b'["twice","twice"]'
        )
        assert (await client.post("/json-then-body", json={"j": 1})).content == (
            b'{"json":{"j":1},"body":"{\\"j\\":1}"}'
        )
        # ...but a streamed body is gone
        assert (await client.post("/stream-then-body", content=b"sb")).content == json_error(
            500, "Internal Server Error"
        )


async def test_a_malformed_body_read_by_the_handler_is_a_400() -> None:
    # Deliberately not Litestar, which answers 500 when ``request.json()`` or
    # ``request.msgpack()`` meet a malformed body (issue 2 asks for 400).
    async with create_async_test_client(BODY_HANDLERS) as client:
        bad_json = await client.post(
            "/json", content=b"{bad", headers={"content-type": "application/json"}
        )
        assert bad_json.content == json_error(
            400, "JSON is malformed: object keys must be strings (byte 1)"
        )
        bad_msgpack = await client.post("/msgpack", content=b"\xc1")
        assert bad_msgpack.content == json_error(
            400, "MessagePack data is malformed: invalid opcode '\\\\xc1' (byte 0)"
        )


# -- server push and the connection flag, over a hand-driven ASGI call -------------------------


def _scope(path: str, method: str = "GET", extensions: dict[str, Any] | None = None) -> Any:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "2",
        "method": method,
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"example.com"),
            (b"accept", b"text/html"),
            (b"cache-control", b"no-cache"),
            (b"cookie", b"secret=1"),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 443),
        "state": {},
        "extensions": extensions or {},
    }


async def _call(app: Any, scope: Any, incoming: list[Any]) -> list[Any]:
    sent: list[Any] = []

    async def receive() -> Any:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


async def test_send_push_promise_uses_the_servers_push_extension() -> None:
    @get("/page")
    async def page(request: Request) -> str:
        assert request.supports_push_promise
        await request.send_push_promise("/static/style.css")
        return "page"

    app = Litestar([page])
    sent = await _call(app, _scope("/page", extensions={"http.response.push": {}}), [])
    assert sent[0] == {
        "type": "http.response.push",
        "path": "/static/style.css",
        # the accept*, cache-control and user-agent headers go along; the cookie does not
        "headers": [(b"accept", b"text/html"), (b"cache-control", b"no-cache")],
    }
    assert [message["type"] for message in sent[1:]] == ["http.response.start", "http.response.body"]


async def test_send_push_promise_without_server_push_warns_or_raises() -> None:
    @get("/warn")
    async def warn(request: Request) -> str:
        with pytest.warns(LitestarWarning, match="does not support it"):
            await request.send_push_promise("/x")
        return str(request.supports_push_promise)

    @get("/raise")
    async def raise_(request: Request) -> str:
        with pytest.raises(LitestarException, match="does not support it"):
            await request.send_push_promise("/x", raise_if_unavailable=True)
        return "raised"

    async with create_async_test_client([warn, raise_]) as client:
        assert (await client.get("/warn")).text == "False"
        assert (await client.get("/raise")).text == "raised"


async def test_is_connected_turns_false_when_reading_the_body_meets_a_disconnect() -> None:
    seen: list[bool] = []

    @post("/read")
    async def read(request: Request) -> str:
        seen.append(request.is_connected)
        try:
            await request.body()
        finally:
            seen.append(request.is_connected)
        return "unreachable"

    app = Litestar([read])
    incoming = [{"type": "http.request", "body": b"part", "more_body": True}]
    await _call(app, _scope("/read", "POST"), incoming)
    assert seen == [True, False]
