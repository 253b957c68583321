"""The direct path (plain async handlers) answers byte for byte as the general path does.

Each handler is registered twice: as is (served by the direct path) and with a guard that
lets everything through (which sends it down the general path). Both must produce the same
messages, header order included, for GET, HEAD and conditional requests, and both must run
background work and report errors the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
import trio

from trioweb import MediaType, TrioWeb, get, post
from trioweb.background_tasks import BackgroundTask
from trioweb.datastructures import Cookie, ETag, ResponseHeader
from trioweb.exceptions import NotFoundException
from trioweb.response import Response


@dataclasses.dataclass
class Point:
    x: int
    y: int


class Item(msgspec.Struct):
    name: str
    tags: list[str]


async def _allow(connection: Any, handler: Any) -> None:
    return None


async def _call(
    app: TrioWeb,
    method: str,
    path: str,
    *,
    query: bytes = b"",
    body: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
) -> list[dict[str, Any]]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.1"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"test"), *(headers or [])],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "extensions": {},
        "state": {},
    }
    sent: list[dict[str, Any]] = []
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        if pending:
            return pending.pop()
        await trio.sleep_forever()
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


def _pair(make: Callable[..., Any], **options: Any) -> tuple[TrioWeb, TrioWeb]:
    """The same handler in an app of its own, once plain and once behind a no-op guard."""
    plain = TrioWeb([make(**options)], openapi_config=None)
    guarded = TrioWeb([make(guards=[_allow], **options)], openapi_config=None)
    return plain, guarded


VALUES: dict[str, tuple[Any, Any]] = {
    "dict": ({"a": 1, "b": [1, 2]}, dict[str, Any]),
    "list": ([1, "two", None], list[Any]),
    "str": ("héllo", str),
    "empty str": ("", str),
    "bytes": (b"\x00raw", bytes),
    "none": (None, None),
    "int": (7, int),
    "dataclass": (Point(1, 2), Point),
    "struct": (Item("a", ["x"]), Item),
    "response": (Response({"r": 1}, status_code=202, headers={"x-r": "1"}), Response[Any]),
}


@pytest.mark.parametrize("case", sorted(VALUES))
@pytest.mark.parametrize("method", ["GET", "HEAD"])
async def test_plain_values_answer_the_same_on_both_paths(case: str, method: str) -> None:
    value, annotation = VALUES[case]

    def make(**options: Any) -> Any:
        async def handler() -> Any:
            return value

        handler.__annotations__["return"] = annotation
        return get("/", **options)(handler)

    plain, guarded = _pair(make)
    assert plain.routes[0].handlers["GET"].direct
    assert not guarded.routes[0].handlers["GET"].direct
    assert await _call(plain, method, "/") == await _call(guarded, method, "/")


@pytest.mark.parametrize(
    "options",
    [
        {"status_code": 201},
        {"status_code": 204},
        {"media_type": MediaType.HTML},
        {"media_type": MediaType.MESSAGEPACK},
        {"media_type": "application/vnd.api+json"},
        {"response_headers": [ResponseHeader(name="x-layer", value="1")]},
        {"response_headers": {"content-type": "application/custom"}},
        {"response_cookies": [Cookie(key="k", value="v")]},
        {"etag": ETag(value="abc")},
    ],
    ids=repr,
)
async def test_route_options_answer_the_same_on_both_paths(options: dict[str, Any]) -> None:
    def make(**more: Any) -> Any:
        status = options.get("status_code")

        async def handler() -> Any:
            return None if status == 204 else {"x": 1}

        handler.__annotations__["return"] = None if status == 204 else dict[str, int]
        return get("/", **options, **more)(handler)

    plain, guarded = _pair(make)
    for headers in ([], [(b"if-none-match", b'"abc"')]):
        for method in ("GET", "HEAD"):
            assert await _call(plain, method, "/", headers=headers) == await _call(
                guarded, method, "/", headers=headers
            )


async def test_parameters_body_and_errors_answer_the_same_on_both_paths() -> None:
    def make(**options: Any) -> Any:
        @post("/items/{item_id:int}", **options)
        async def handler(item_id: int, data: Point, q: str, limit: int = 10) -> dict[str, Any]:
            if item_id == 0:
                raise NotFoundException("no such item")
            return {"id": item_id, "q": q, "limit": limit, "x": data.x}

        return handler

    plain, guarded = _pair(make)
    requests: list[dict[str, Any]] = [
        {"path": "/items/3", "query": b"q=a&limit=5", "body": b'{"x": 1, "y": 2}'},
        {"path": "/items/3", "query": b"q=a&limit=x", "body": b'{"x": 1, "y": 2}'},
        {"path": "/items/3", "query": b"limit=007", "body": b'{"x": 1, "y": 2}'},
        {"path": "/items/3", "query": b"q=a", "body": b'{"x": "no"}'},
        {"path": "/items/3", "query": b"q=a", "body": b"{not json"},
        {"path": "/items/0", "query": b"q=a", "body": b'{"x": 1, "y": 2}'},
    ]
    for request in requests:
        assert await _call(plain, "POST", **request) == await _call(guarded, "POST", **request)


async def test_background_work_and_a_crash_behave_the_same_on_both_paths() -> None:
    ran: list[str] = []

    def make(**options: Any) -> Any:
        @get("/", background=BackgroundTask(ran.append, "done"), **options)
        async def handler(crash: bool = False) -> str:
            if crash:
                raise RuntimeError("boom")
            return "ok"

        return handler

    plain, guarded = _pair(make)
    assert await _call(plain, "GET", "/") == await _call(guarded, "GET", "/")
    assert ran == ["done", "done"]
    crashed = await _call(plain, "GET", "/", query=b"crash=true")
    assert crashed == await _call(guarded, "GET", "/", query=b"crash=true")
    assert crashed[0]["status"] == 500
    assert ran == ["done", "done"]  # no background work after an error response
