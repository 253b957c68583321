"""End to end through handlers: content negotiation (seed 002's example) and pagination bytes."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any

import pytest

from trioweb import MediaType, Request, TrioWeb, get
from trioweb.di import Provide
from trioweb.pagination import (
    AbstractAsyncOffsetPaginator,
    AbstractSyncClassicPaginator,
    AbstractSyncCursorPaginator,
    ClassicPagination,
    CursorPagination,
    OffsetPagination,
)
from trioweb.response import Response
from trioweb.testing import AsyncTestClient


@get("/resource", sync_to_thread=False)
def retrieve_resource(request: Request[Any, Any, Any]) -> Response[bytes]:
    provided_types = [MediaType.TEXT, MediaType.HTML, "application/xml"]
    preferred_type = request.accept.best_match(provided_types, default=MediaType.TEXT)
    content = b""
    if preferred_type == MediaType.TEXT:
        content = b"Hello World!"
    elif preferred_type == MediaType.HTML:
        content = b"<h1>Hello World!</h1>"
    elif preferred_type == "application/xml":
        content = b"<xml><msg>Hello World!</msg></xml>"
    return Response(content=content, media_type=preferred_type)


@pytest.mark.parametrize(
    ("accept", "body", "content_type"),
    [
        (None, b"Hello World!", "text/plain; charset=utf-8"),
        ("text/html", b"<h1>Hello World!</h1>", "text/html; charset=utf-8"),
        ("application/xml", b"<xml><msg>Hello World!</msg></xml>", "application/xml"),
        (
            "text/html;q=0.5, application/xml;q=0.9",
            b"<xml><msg>Hello World!</msg></xml>",
            "application/xml",
        ),
        ("text/*", b"Hello World!", "text/plain; charset=utf-8"),
        ("image/png", b"Hello World!", "text/plain; charset=utf-8"),  # the default
    ],
)
async def test_seed_content_negotiation(accept: str | None, body: bytes, content_type: str) -> None:
    headers = {"accept": accept} if accept else {}
    async with AsyncTestClient(TrioWeb([retrieve_resource])) as client:
        response = await client.get("/resource", headers=headers)
    assert (response.content, response.headers["content-type"]) == (body, content_type)


async def test_accepts() -> None:
    @get("/check")
    async def check(request: Request[Any, Any, Any]) -> dict[str, bool]:
        return {
            "json": request.accept.accepts("application/json"),
            "html": request.accept.accepts("text/html"),
        }

    async with AsyncTestClient(TrioWeb([check])) as client:
        only_json = (await client.get("/check", headers={"accept": "application/*"})).json()
        anything = (await client.get("/check")).json()
    assert only_json == {"json": True, "html": False}
    assert anything == {"json": True, "html": True}


@dataclass
class Person:
    id: str
    name: str


PEOPLE = [Person(id=str(i), name=f"p{i}") for i in range(1, 8)]


class ClassicPaginator(AbstractSyncClassicPaginator[Person]):
    def get_total(self, page_size: int) -> int:
        return -(-len(PEOPLE) // page_size)

    def get_items(self, page_size: int, current_page: int) -> list[Person]:
        start = (current_page - 1) * page_size
        return PEOPLE[start : start + page_size]


class CursorPaginator(AbstractSyncCursorPaginator[str, Person]):
    def get_items(
        self, cursor: str | None, results_per_page: int
    ) -> tuple[list[Person], str | None]:
        start = 0 if cursor is None else int(cursor)
        items = PEOPLE[start : start + results_per_page]
        return items, items[-1].id if items else None


class Session:
    """Stands in for a database session that a dependency provides."""

    def __init__(self) -> None:
        self.queries = 0


class OffsetPaginator(AbstractAsyncOffsetPaginator[Person]):
    def __init__(self, session: Session) -> None:
        self.session = session

    async def get_total(self) -> int:
        self.session.queries += 1
        return len(PEOPLE)

    async def get_items(self, limit: int, offset: int) -> list[Person]:
        self.session.queries += 1
        return list(islice(PEOPLE, offset, offset + limit))


@get("/classic", sync_to_thread=False)
def classic(page_size: int, current_page: int) -> ClassicPagination[Person]:
    return ClassicPaginator()(page_size=page_size, current_page=current_page)


@get("/cursor", sync_to_thread=False)
def cursor(cursor: str | None, results_per_page: int) -> CursorPagination[str, Person]:
    return CursorPaginator()(cursor=cursor, results_per_page=results_per_page)


@get(
    "/offset",
    dependencies={
        "paginator": Provide(OffsetPaginator),
        "session": Provide(Session, sync_to_thread=False),
    },
)
async def offset(paginator: OffsetPaginator, limit: int, offset: int) -> OffsetPagination[Person]:
    return await paginator(limit=limit, offset=offset)


async def test_pagination_bytes_are_litestars() -> None:
    async with AsyncTestClient(TrioWeb([classic, cursor, offset])) as client:
        page = await client.get("/classic", params={"page_size": 3, "current_page": 3})
        batch = await client.get("/cursor", params={"results_per_page": 2})
        nxt = await client.get("/cursor", params={"results_per_page": 2, "cursor": "2"})
        window = await client.get("/offset", params={"limit": 2, "offset": 5})
    assert page.content == (
        b'{"items":[{"id":"7","name":"p7"}],"page_size":3,"current_page":3,"total_pages":3}'
    )
    assert batch.content == (
        b'{"items":[{"id":"1","name":"p1"},{"id":"2","name":"p2"}],'
        b'"results_per_page":2,"cursor":"2"}'
    )
    assert nxt.json()["items"] == [{"id": "3", "name": "p3"}, {"id": "4", "name": "p4"}]
    assert window.content == (
        b'{"items":[{"id":"6","name":"p6"},{"id":"7","name":"p7"}],"limit":2,"offset":5,"total":7}'
    )
    assert page.headers["content-type"] == "application/json"
