"""docs/redirects.md, docs/content-negotiation.md, docs/pagination.md: the snippets answer
what the pages say."""

from __future__ import annotations

import pytest

from docs.snippets import negotiation, pagination, redirects
from trioweb.testing import AsyncTestClient


async def test_redirects_page() -> None:
    async with AsyncTestClient(redirects.app, follow_redirects=False) as client:
        found = await client.get("/old-home")
        moved = await client.get("/moved")
        see_other = await client.post("/orders")
        followed = await client.get("/old-home", follow_redirects=True)
    assert (found.status_code, found.headers["location"], found.content) == (302, "/home", b"")
    assert found.headers["content-type"] == "text/plain; charset=utf-8"
    assert (moved.status_code, moved.headers["location"]) == (
        301,
        "/search?lang=en&q=trio+web&tag=async&tag=http",
    )
    assert (see_other.status_code, see_other.headers["location"]) == (303, "/orders/42")
    assert (followed.status_code, followed.text) == (200, "home")


@pytest.mark.parametrize(
    ("accept", "body", "media_type"),
    [
        (None, b"Hello World!", "text/plain; charset=utf-8"),
        ("text/html", b"<h1>Hello World!</h1>", "text/html; charset=utf-8"),
        ("application/xml", b"<xml><msg>Hello World!</msg></xml>", "application/xml"),
        ("image/png", b"Hello World!", "text/plain; charset=utf-8"),
        ("text/*;q=0.5, application/xml;q=0.9", b"<xml><msg>Hello World!</msg></xml>", None),
    ],
)
async def test_content_negotiation_page(
    accept: str | None, body: bytes, media_type: str | None
) -> None:
    async with AsyncTestClient(negotiation.app) as client:
        response = await client.get("/resource", headers={"accept": accept} if accept else {})
    assert response.content == body
    if media_type is not None:
        assert response.headers["content-type"] == media_type


async def test_content_negotiation_accepts() -> None:
    async with AsyncTestClient(negotiation.app) as client:
        csv = await client.get("/report", headers={"accept": "text/csv"})
        json = await client.get("/report", headers={"accept": "application/json"})
    assert (csv.headers["content-type"], csv.text) == ("text/csv; charset=utf-8", "id,name\n1,Ada\n")
    assert json.json() == [{"id": 1, "name": "Ada"}]


async def test_pagination_page() -> None:
    async with AsyncTestClient(pagination.app) as client:
        pages = await client.get("/people/pages", params={"page_size": 10, "current_page": 3})
        sliced = await client.get("/people/slice", params={"limit": 2, "offset": 21})
        first = await client.get("/people/after", params={"results_per_page": 2})
        last = await client.get("/people/after", params={"results_per_page": 2, "cursor": 21})
        bad = await client.get("/people/pages", params={"page_size": "x", "current_page": 1})
    people = lambda *ids: [{"id": n, "name": f"person {n}"} for n in ids]  # noqa: E731
    assert pages.content == (
        b'{"items":[{"id":21,"name":"person 21"},{"id":22,"name":"person 22"},'
        b'{"id":23,"name":"person 23"}],"page_size":10,"current_page":3,"total_pages":3}'
    )
    assert sliced.json() == {"items": people(22, 23), "limit": 2, "offset": 21, "total": 23}
    assert first.json() == {"items": people(1, 2), "results_per_page": 2, "cursor": 2}
    assert last.json() == {"items": people(22, 23), "results_per_page": 2, "cursor": None}
    assert bad.status_code == 400
    assert bad.json()["extra"][0]["key"] == "page_size"
