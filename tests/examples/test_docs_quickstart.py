"""Every row of docs/quickstart.md's table, checked against the snippet app."""

from __future__ import annotations

from docs.snippets.quickstart import app
from trioweb.testing import AsyncTestClient


async def test_quickstart_table() -> None:
    async with AsyncTestClient(app) as client:
        index = await client.get("/")
        assert (index.status_code, index.headers["content-type"], index.text) == (
            200,
            "text/plain; charset=utf-8",
            "Welcome to the library",
        )
        book = await client.get("/books/1")
        assert book.content == b'{"title":"Structured Concurrency","year":2018}'
        missing = await client.get("/books/9")
        assert (missing.status_code, missing.content) == (
            404,
            b'{"status_code":404,"detail":"No book 9"}',
        )
        bad_path = await client.get("/books/x")
        assert bad_path.json() == {"status_code": 404, "detail": "Not Found"}
        bad_query = await client.get("/books", params={"since": "abc"})
        assert bad_query.json() == {
            "status_code": 400,
            "detail": "Validation failed for GET /books?since=abc",
            "extra": [{"message": "Expected `int`, got `str`", "key": "since", "source": "query"}],
        }
        created = await client.post("/books", json={"title": "T", "year": 2020})
        assert (created.status_code, created.json()) == (201, {"title": "T", "year": 2020})
        wrong = await client.delete("/books/1")
        assert wrong.status_code == 405
        assert wrong.headers["allow"] == "GET, HEAD, OPTIONS"


async def test_example_app_serves() -> None:
    from examples.hello import app as hello

    async with AsyncTestClient(hello) as client:
        assert (await client.get("/greet/ada", params={"excited": "true"})).json() == {
            "name": "ada",
            "excited": True,
        }
        async with client.stream("GET", "/count", params={"to": "2"}) as response:
            body = b"".join([chunk async for chunk in response.aiter_bytes()])
        assert body == b"1\n2\n"
