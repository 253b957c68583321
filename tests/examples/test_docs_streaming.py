"""docs/streaming.md, docs/sse.md and docs/background-tasks.md: their snippets do what they say."""

from __future__ import annotations

import pytest
import trio

from docs.snippets import background, sse, streaming
from trioweb.testing import AsyncTestClient, SSEDecoder, aiter_chunks


@pytest.fixture(autouse=True)
def _fresh_logs() -> None:
    streaming.CLOSED.clear()
    background.LOG.clear()


# -- docs/streaming.md ------------------------------------------------------------------------


async def test_numbers_streams_and_cleans_up_when_complete_or_abandoned() -> None:
    async with AsyncTestClient(streaming.app) as client:
        assert (await client.get("/numbers")).text == "1\n2\n3\n"
        assert streaming.CLOSED == ["numbers"]
        async with client.stream("GET", "/numbers", params={"upto": 1000}) as response:
            assert await aiter_chunks(response).__anext__() == b"1\n"
    assert streaming.CLOSED == ["numbers", "numbers"]


async def test_report_is_a_sync_generator_in_a_thread() -> None:
    async with AsyncTestClient(streaming.app) as client:
        response = await client.get("/report")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text == "id,name\n0,row 0\n1,row 1\n2,row 2\n"
    assert streaming.CLOSED == ["report"]


async def test_ticks_is_ended_by_its_idle_timeout(autojump_clock: trio.testing.MockClock) -> None:
    async with AsyncTestClient(streaming.app) as client:
        response = await client.get("/ticks")
    assert (response.status_code, response.text) == (200, "tick\n")


async def test_feed_ends_with_its_producer_or_with_its_client() -> None:
    async with AsyncTestClient(streaming.app) as client:
        assert (await client.get("/feed", params={"upto": 2})).text == "event 0\nevent 1\n"
        assert streaming.CLOSED == ["feed producer"]
        async with client.stream("GET", "/feed") as response:
            assert await aiter_chunks(response).__anext__() == b"event 0\n"
    assert streaming.CLOSED == ["feed producer", "feed producer"]


async def test_search_is_cancelled_when_its_client_gives_up() -> None:
    async with AsyncTestClient(streaming.app) as client:
        with trio.move_on_after(0.05):
            await client.get("/search", params={"q": "trio"})
    assert streaming.CLOSED == ["search cancelled"]


# -- docs/sse.md -------------------------------------------------------------------------------


async def test_every_kind_of_item_on_the_wire() -> None:
    async with AsyncTestClient(sse.app) as client:
        response = await client.get("/kinds")
    assert response.content == (
        b"data: a string\r\n\r\n"
        b"data: 42\r\n\r\n"
        b"data: bytes, as UTF-8\r\n\r\n"
        b"data: two\r\ndata: lines\r\n\r\n"
        b"id: 7\r\nevent: custom\r\ndata: from a dict\r\n\r\n"
        b"id: 8\r\nevent: done\r\ndata: full control\r\nretry: 3000\r\n\r\n"
    )


async def test_ticker_pings_and_resumes_after_last_event_id(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with AsyncTestClient(sse.app) as client:
        fresh = await client.get("/ticker")
        resumed = await client.get("/ticker", headers={"Last-Event-ID": "4"})
    assert fresh.content == (
        b"event: tick\r\n"  # the response-level field, sent up front (see docs/sse.md)
        b"id: 0\r\ndata: tick 0\r\n\r\n"
        b": ping\r\n: ping\r\n"
        b"id: 1\r\ndata: tick 1\r\n\r\n"
        b": ping\r\n: ping\r\n"
        b"id: 2\r\ndata: tick 2\r\n\r\n"
        b": ping\r\n: ping\r\n"
    )
    events = SSEDecoder().feed(resumed.content)
    assert [(e.event, e.id, e.data) for e in events] == [
        ("tick", "5", "tick 5"),
        ("message", "6", "tick 6"),
        ("message", "7", "tick 7"),
    ]


# -- docs/background-tasks.md -----------------------------------------------------------------


async def test_signup_mails_then_audits_after_answering() -> None:
    async with AsyncTestClient(background.app) as client:
        response = await client.post("/signup", json={"email": "ada@example.com"})
    assert (response.status_code, response.json()) == (201, {"status": "welcome"})
    assert background.LOG == ["mailed ada@example.com (welcome)", "audit: signup ada@example.com"]


async def test_route_and_stream_background_tasks() -> None:
    async with AsyncTestClient(background.app) as client:
        assert (await client.get("/ping")).text == "pong"
        async with client.stream("GET", "/export") as response:
            assert await aiter_chunks(response).__anext__() == b"line 0\n"
        assert (await client.get("/export")).text == "line 0\nline 1\nline 2\n"
    assert background.LOG == ["audit: ping", "audit: export", "audit: export"]
