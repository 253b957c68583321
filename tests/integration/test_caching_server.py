"""Caching headers and conditional GET on a real hypercorn trio server, read with httpx.

Layered ``cache_control`` / ``etag`` reach the wire; a conditional GET of any response that
carries a validator (a layered ETag, ``set_etag``, a ``Last-Modified`` header, a stream)
answers 304 with no body and the caching headers kept, on HTTP/1.1 keep-alive connections.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import trio

from tests.integration._server import open_server
from trioweb import Controller, MediaType, TrioWeb, get
from trioweb.datastructures import CacheControlHeader, ETag
from trioweb.response import Response, Stream

WAIT = 5.0
LAST_MODIFIED = "Tue, 14 Nov 2023 22:13:20 GMT"


def caching_app(stream_events: list[str]) -> TrioWeb:
    class Weather(Controller):
        path = "/weather"
        cache_control = CacheControlHeader(max_age=86_400, public=True)
        etag = ETag(value="forecast-1")

        @get("/today")
        async def today(self) -> dict[str, float]:
            return {"rain": 0.5}

    @get("/article", media_type=MediaType.TEXT)
    async def article() -> Response[str]:
        response = Response("text", headers={"last-modified": LAST_MODIFIED})
        response.set_etag(ETag(value="a1", weak=True))
        response.set_cookie("seen", "1")
        return response

    @get("/dated", media_type=MediaType.TEXT)
    async def dated() -> Response[str]:
        return Response("old news", headers={"last-modified": LAST_MODIFIED})

    @get("/stream")
    async def stream() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            try:
                stream_events.append("iterated")
                yield b"streamed"
            finally:
                stream_events.append("closed")

        return Stream(body(), headers={"etag": '"s1"'})

    return TrioWeb(
        [Weather, article, dated, stream],
        cache_control=CacheControlHeader(max_age=60),
    )


async def test_layered_headers_and_304s_over_the_wire() -> None:
    stream_events: list[str] = []
    async with open_server(caching_app(stream_events)) as url:
        async with httpx.AsyncClient(base_url=url) as client:
            with trio.fail_after(WAIT):
                today = await client.get("/weather/today")
                today_304 = await client.get(
                    "/weather/today", headers={"if-none-match": '"other", "forecast-1"'}
                )
                article = await client.get("/article")
                article_304 = await client.get("/article", headers={"if-none-match": '"a1"'})
                dated_304 = await client.get("/dated", headers={"if-modified-since": LAST_MODIFIED})
                dated_200 = await client.get(
                    "/dated", headers={"if-modified-since": "Mon, 13 Nov 2023 00:00:00 GMT"}
                )
                head_304 = await client.head("/weather/today", headers={"if-none-match": "*"})
                stream_304 = await client.get("/stream", headers={"if-none-match": '"s1"'})
                stream_200 = await client.get("/stream")
                after = await client.get("/weather/today")  # the connection still works
    assert (today.status_code, today.json()) == (200, {"rain": 0.5})
    assert today.headers["cache-control"] == "max-age=86400, public"
    assert today.headers["etag"] == '"forecast-1"'
    assert (today_304.status_code, today_304.content) == (304, b"")
    assert today_304.headers["etag"] == '"forecast-1"'
    assert today_304.headers["cache-control"] == "max-age=86400, public"
    assert "content-length" not in today_304.headers
    assert article.headers["etag"] == 'W/"a1"'
    assert (article_304.status_code, article_304.content) == (304, b"")
    assert article_304.headers["set-cookie"].startswith("seen=1")
    assert article_304.headers["cache-control"] == "max-age=60"
    assert (dated_304.status_code, dated_304.content) == (304, b"")
    assert (dated_200.status_code, dated_200.text) == (200, "old news")
    assert (head_304.status_code, head_304.content) == (304, b"")
    assert (stream_304.status_code, stream_304.content) == (304, b"")
    assert stream_200.content == b"streamed"
    assert stream_events == ["iterated", "closed"]  # the 304's stream was never iterated
    assert after.status_code == 200
