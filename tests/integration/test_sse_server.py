"""Server-sent events on a real hypercorn trio server, read with httpx and httpx-sse."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import httpx_sse
import pytest
import trio

from tests.integration._reading import read_all, read_until
from tests.integration._server import open_server
from trioweb import TrioWeb, get
from trioweb.params import Parameter
from trioweb.response import ServerSentEvent, ServerSentEventMessage
from trioweb.response.sse import PING
from trioweb.types import SSEData

WAIT = 5.0


def _events_app() -> TrioWeb:
    @get("/events")
    async def events() -> ServerSentEvent:
        async def produce() -> AsyncIterator[SSEData]:
            yield "plain"
            yield 42
            yield b"bytes"
            yield {"data": "from a dict", "event": "dict", "id": "d1"}
            yield ServerSentEventMessage(data="two\nlines", event="msg", id="m1", retry=500)
            yield ServerSentEventMessage(comment="just a comment", data=None)

        return ServerSentEvent(
            produce(), event_type="update", event_id="e0", comment_message="hello"
        )

    return TrioWeb([events])


EXPECTED_BODY = (
    b": hello\r\nid: e0\r\nevent: update\r\n"
    b"id: e0\r\nevent: update\r\ndata: plain\r\n\r\n"
    b"id: e0\r\nevent: update\r\ndata: 42\r\n\r\n"
    b"id: e0\r\nevent: update\r\ndata: bytes\r\n\r\n"
    b"id: d1\r\nevent: dict\r\ndata: from a dict\r\n\r\n"
    b"id: m1\r\nevent: msg\r\ndata: two\r\ndata: lines\r\nretry: 500\r\n\r\n"
    b": just a comment\r\n\r\n"
)


async def test_exact_bytes_and_headers_over_http_1_1() -> None:
    async with open_server(_events_app()) as url, httpx.AsyncClient() as client:
        async with client.stream("GET", url + "/events") as response:
            body = b"".join(await read_all(response))
    assert response.http_version == "HTTP/1.1"
    assert body == EXPECTED_BODY
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    assert response.headers["transfer-encoding"] == "chunked"
    assert "connection" not in response.headers


async def test_exact_bytes_over_http_2() -> None:
    # h2c with prior knowledge; HTTP/2 forbids connection-specific headers such as Connection
    async with (
        open_server(_events_app()) as url,
        httpx.AsyncClient(http1=False, http2=True) as client,
    ):
        async with client.stream("GET", url + "/events") as response:
            body = b"".join(await read_all(response))
    assert response.http_version == "HTTP/2"
    assert body == EXPECTED_BODY
    assert response.headers["content-type"] == "text/event-stream; charset=utf-8"


async def test_httpx_sse_reads_every_event() -> None:
    async with open_server(_events_app()) as url, httpx.AsyncClient() as client:
        async with httpx_sse.aconnect_sse(client, "GET", url + "/events") as source:
            events = [(e.event, e.data, e.id, e.retry) async for e in source.aiter_sse()]
    assert events == [
        ("update", "plain", "e0", None),
        ("update", "42", "e0", None),
        ("update", "bytes", "e0", None),
        ("dict", "from a dict", "d1", None),
        ("msg", "two\nlines", "m1", 500),
        # A comment-only message still ends in a blank line (Litestar's format), which
        # httpx-sse 0.4 reports as an empty event once an id has been seen. That is why the
        # keep-alive ping is a bare comment line, not a message.
        ("message", "", "m1", None),
    ]


async def test_pings_arrive_between_events_and_never_split_one() -> None:
    first = ServerSentEventMessage(data="first\nevent", id="1").encode()
    second = ServerSentEventMessage(data="second\nevent", id="2").encode()

    @get("/events")
    async def events() -> ServerSentEvent:
        async def produce() -> AsyncIterator[ServerSentEventMessage]:
            yield ServerSentEventMessage(data="first\nevent", id="1")
            await trio.sleep(0.35)
            yield ServerSentEventMessage(data="second\nevent", id="2")

        return ServerSentEvent(produce(), ping_interval=0.1)

    async with open_server(TrioWeb([events])) as url, httpx.AsyncClient() as client:
        async with client.stream("GET", url + "/events") as response:
            body = b"".join(await read_all(response))
        async with httpx_sse.aconnect_sse(client, "GET", url + "/events") as source:
            parsed = [(e.data, e.id) async for e in source.aiter_sse()]
    assert body.startswith(first) and body.endswith(second)
    pings = body[len(first) : -len(second)]
    assert pings == PING * (len(pings) // len(PING))
    assert 2 <= len(pings) // len(PING) <= 3
    # the pings came after an id: httpx-sse must see exactly the two events
    assert parsed == [("first\nevent", "1"), ("second\nevent", "2")]


async def test_last_event_id_reaches_the_handler() -> None:
    @get("/events")
    async def events(
        last_event_id: str | None = Parameter(header="last-event-id", default=None),
    ) -> ServerSentEvent:
        return ServerSentEvent([f"resuming after {last_event_id}"], ping_interval=None)

    async with open_server(TrioWeb([events])) as url, httpx.AsyncClient() as client:
        headers = {"Last-Event-ID": "41"}
        async with httpx_sse.aconnect_sse(client, "GET", url + "/events", headers=headers) as s:
            data = [event.data async for event in s.aiter_sse()]
    assert data == ["resuming after 41"]


@pytest.mark.parametrize("ping_interval", [None, 0.01])
async def test_leaving_an_endless_event_stream_closes_it(ping_interval: float | None) -> None:
    closed = trio.Event()

    @get("/events")
    async def events() -> ServerSentEvent:
        async def produce() -> AsyncIterator[int]:
            try:
                n = 0
                while True:
                    yield n
                    n += 1
                    await trio.sleep(0.02)
            finally:
                closed.set()

        return ServerSentEvent(produce(), ping_interval=ping_interval)

    async with open_server(TrioWeb([events])) as url, httpx.AsyncClient() as client:
        async with client.stream("GET", url + "/events") as response:
            received = await read_until(response, lambda got: b"data: 2\r\n\r\n" in got)
        events = received.replace(PING, b"")
        assert events.startswith(b"data: 0\r\n\r\ndata: 1\r\n\r\n")
        with trio.fail_after(WAIT):
            await closed.wait()
