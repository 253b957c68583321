"""examples/live_feed.py: the nursery + memory channel idiom behind a live SSE feed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import httpx
import httpx_sse
import trio

from examples.live_feed import create_app
from tests.integration._server import open_server
from trioweb.testing import AsyncTestClient, SSEEvent, aiter_sse


async def _wait_for_subscribers(app: Any, count: int) -> None:
    with trio.fail_after(2):
        while app.state.hub.subscribers != count:
            await trio.sleep(0.001)


async def _take(events: AsyncIterator[SSEEvent], n: int) -> list[tuple[str, str]]:
    return [(event.id, event.data) for event in [await anext(events) for _ in range(n)]]


async def test_every_subscriber_gets_every_update_and_leaving_unsubscribes() -> None:
    app = create_app()
    async with AsyncTestClient(app) as client:
        async with client.stream("GET", "/feed") as first, client.stream("GET", "/feed") as second:
            first_events, second_events = aiter_sse(first), aiter_sse(second)
            assert first.headers["content-type"] == "text/event-stream; charset=utf-8"
            await _wait_for_subscribers(app, 2)
            for text in ("one", "two"):
                published = await client.post("/publish", json={"text": text})
                assert published.status_code == 202
            assert published.json() == {"id": 2, "subscribers": 2}
            expected = [("1", "one"), ("2", "two")]
            with trio.fail_after(2):
                assert await _take(first_events, 2) == expected
                assert await _take(second_events, 2) == expected
        # both browsers left: their producers were cancelled and unsubscribed
        assert app.state.hub.subscribers == 0
        assert (await client.post("/publish", json={"text": "nobody"})).json() == {
            "id": 3,
            "subscribers": 0,
        }


async def test_a_reconnecting_browser_gets_what_it_missed() -> None:
    app = create_app()
    async with AsyncTestClient(app) as client:
        for text in ("a", "b", "c"):
            await client.post("/publish", json={"text": text})
        async with client.stream("GET", "/feed", headers={"Last-Event-ID": "1"}) as response:
            events = aiter_sse(response)
            with trio.fail_after(2):
                assert await _take(events, 2) == [("2", "b"), ("3", "c")]
                await _wait_for_subscribers(app, 1)
                await client.post("/publish", json={"text": "d"})
                assert await _take(events, 1) == [("4", "d")]


async def test_a_stalled_subscriber_is_dropped_and_the_others_go_on() -> None:
    app = create_app()
    hub = app.state.hub
    with hub.subscribe() as stalled:  # never read
        for n in range(20):
            hub.publish(str(n))
        assert hub.subscribers == 0
        assert len([update async for update in stalled]) == 16  # its buffer, then closed


async def test_the_page_uses_eventsource() -> None:
    async with AsyncTestClient(create_app()) as client:
        page = await client.get("/")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert 'new EventSource("/feed")' in page.text


async def test_on_a_real_server_with_httpx_sse() -> None:
    app = create_app()
    async with open_server(app) as url, httpx.AsyncClient() as client:
        async with httpx_sse.aconnect_sse(client, "GET", url + "/feed") as source:
            await _wait_for_subscribers(app, 1)
            await client.post(url + "/publish", json={"text": "over the wire"})
            async with aclosing(source.aiter_sse()) as events:
                with trio.fail_after(2):
                    event = await anext(events)
                assert (event.id, event.data, event.retry) == ("1", "over the wire", 2000)
                # leave without reading on: cancel the read so httpx's generators unwind
                with trio.move_on_after(0.05):
                    await anext(events)
        with trio.fail_after(2):
            while hub_subscribers(app):
                await trio.sleep(0.01)


def hub_subscribers(app: Any) -> int:
    return int(app.state.hub.subscribers)
