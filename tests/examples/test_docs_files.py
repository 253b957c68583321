"""docs/files.md and docs/static-files.md: their snippets answer what the pages say."""

from __future__ import annotations

from docs.snippets import files, static_files
from trioweb.testing import AsyncTestClient

REPORT = b"id,name\n1,Ada\n2,Grace\n"


async def test_files_page() -> None:
    async with AsyncTestClient(files.app) as client:
        report = await client.get("/report")
        view = await client.get("/report/view")
        unicode_name = await client.get("/report/unicode")
        part = await client.get("/report", headers={"range": "bytes=0-6"})
        fresh = await client.get("/report", headers={"if-none-match": report.headers["etag"]})
        head = await client.head("/report")
        missing = await client.get("/missing")
        async with client.stream("GET", "/report/stream") as streamed:
            chunks = [chunk async for chunk in streamed.aiter_raw()]
    assert report.content == REPORT
    assert report.headers["content-type"] == "text/csv; charset=utf-8"
    assert report.headers["content-disposition"] == 'attachment; filename="report.csv"'
    assert report.headers["content-length"] == "22"
    assert report.headers["accept-ranges"] == "bytes"
    assert {"etag", "last-modified"} <= set(report.headers)
    assert view.headers["content-disposition"] == 'inline; filename="report.csv"'
    assert unicode_name.headers["content-disposition"] == (
        "attachment; filename*=utf-8''r%C3%A9sum%C3%A9.csv"
    )
    assert (part.status_code, part.content, part.headers["content-range"]) == (
        206,
        b"id,name",
        "bytes 0-6/22",
    )
    assert (fresh.status_code, fresh.content) == (304, b"")
    assert (head.status_code, head.content, head.headers["content-length"]) == (200, b"", "22")
    assert missing.content == b'{"status_code":404,"detail":"Not Found"}'
    assert b"".join(chunks) == REPORT and len(chunks) == 3


async def test_static_files_page() -> None:
    async with AsyncTestClient(static_files.app) as client:
        css = await client.get("/static/css/site.css")
        home = await client.get("/site/")
        lost = await client.get("/site/nope")
        links = await client.get("/links")
        escape = await client.get("/static/%2e%2e/%2e%2e/files.py")
    assert css.headers["cache-control"] == "max-age=86400, public"
    assert css.headers["content-disposition"] == 'inline; filename="site.css"'
    assert (home.status_code, home.headers["content-type"]) == (200, "text/html; charset=utf-8")
    assert b"<h1>Home</h1>" in home.content
    assert (lost.status_code, b"Nothing here" in lost.content) == (404, True)
    assert links.json() == {"stylesheet": "http://testserver.local/static/css/site.css"}
    assert escape.status_code == 404
