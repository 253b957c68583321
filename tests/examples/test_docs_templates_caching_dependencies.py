"""docs/templates.md, docs/caching.md and docs/dependencies.md: their snippets do what they say."""

from __future__ import annotations

import httpx
import pytest

from docs.snippets import caching, dependencies, templates
from trioweb.testing import AsyncTestClient


async def test_templates_page() -> None:
    async with AsyncTestClient(templates.app) as client:
        book = await client.get("/books/2")
        listing = await client.get("/books")
        hello = await client.get("/hello", params={"name": "<b>"})
        missing = await client.get("/books/9")
    assert book.headers["content-type"] == "text/html; charset=utf-8"
    assert "<title>&lt;Trio&gt; &amp; You</title>" in book.text
    assert '<link rel="stylesheet" href="/static/css/site.css">' in book.text
    assert "<p>Requested at /books/2</p>" in book.text
    assert '<a href="/books">all books</a>' in book.text
    assert '<input type="hidden" name="_csrf_token" value="" />' in book.text
    assert listing.headers["content-type"] == "text/plain; charset=utf-8"
    assert listing.text == "Structured Concurrency\n&lt;Trio&gt; &amp; You\n"
    assert hello.text == "<p>Hello, &lt;b&gt;!</p>"
    assert missing.status_code == 404


async def test_caching_page() -> None:
    async with AsyncTestClient(caching.app) as client:
        rain = await client.get("/weather/chance_of_rain")
        timestamp = await client.get("/weather/timestamp")
        population = await client.get("/population")
        unchanged = await client.get("/population", headers={"if-none-match": '"census-2020"'})
        article = await client.get("/article")
        article_again = await client.get(
            "/article", headers={"if-none-match": article.headers["etag"]}
        )
    assert rain.headers["cache-control"] == "max-age=86400, public"
    assert timestamp.headers["cache-control"] == "no-store"
    assert population.headers["cache-control"] == "max-age=2628288, public"
    assert population.headers["etag"] == '"census-2020"'
    assert (unchanged.status_code, unchanged.content) == (304, b"")
    assert unchanged.headers["etag"] == '"census-2020"'
    assert article.headers["etag"] == '"b822f4c508bdc179"'
    assert article_again.status_code == 304


@pytest.fixture(autouse=True)
def _fresh_log() -> None:
    dependencies.LOG.clear()


async def test_dependencies_page(caplog: pytest.LogCaptureFixture) -> None:
    async with AsyncTestClient(dependencies.app) as client:
        export = await client.get("/export")
        async with client.stream("GET", "/export/partial") as partial:
            with pytest.raises(httpx.RemoteProtocolError):  # the body was aborted
                await partial.aread()
        broken = await client.get("/broken")
    assert export.text == "row 0\nrow 1\nrow 2\n"
    assert broken.status_code == 500
    assert dependencies.LOG == [
        "session opened",
        "committed",
        "session closed",
        "session opened",
        "rolled back: row 3 is gone",
        "session closed",
        "session opened",
        "rolled back: constraint violated",
        "session closed",
    ]
