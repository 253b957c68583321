"""examples/live_feed.py in a real browser: its page, its ``EventSource``, on hypercorn.

Headless Chromium opens the example's own page; the test reads the page's list over
DevTools. It skips without Chromium (``tests/integration/_browser.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import trio

from examples.live_feed import create_app
from tests.integration._browser import Browser, browsing, evaluate, require_chromium
from tests.integration._server import open_server

WAIT = 15.0  # the page reconnects after the example's 2 s retry
FEEDS_DONE = (
    'performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/feed")).length'
)
ITEMS = '[...document.querySelectorAll("#feed li")].map((item) => item.textContent)'


@pytest.fixture
def chromium() -> str:
    return require_chromium()


async def _until(browser: Browser, expression: str, expected: Any) -> None:
    value = None
    with trio.move_on_after(WAIT):
        while (value := await evaluate(browser, expression)) != expected:
            await trio.sleep(0.05)
    assert value == expected, browser.tail()


async def _subscribers(app: Any, count: int) -> None:
    with trio.fail_after(WAIT):
        while app.state.hub.subscribers != count:
            await trio.sleep(0.01)


async def test_the_page_shows_updates_catches_up_after_a_drop_and_unsubscribes_on_leaving(
    chromium: str, tmp_path: Path
) -> None:
    app = create_app()
    hub = app.state.hub
    async with (
        open_server(app) as url,
        httpx.AsyncClient() as client,
        browsing(chromium, url + "/", tmp_path, devtools=True) as browser,
    ):
        await _subscribers(app, 1)
        for text in ("hello", "<b>text, not markup</b>"):
            assert (await client.post(url + "/publish", json={"text": text})).status_code == 202
        await _until(browser, ITEMS, ["#1: hello", "#2: <b>text, not markup</b>"])

        # A burst the page cannot keep up with: the hub drops it after its 16-update buffer,
        # its stream ends, and its EventSource reconnects with Last-Event-ID and is replayed
        # the rest from the history. No update is lost or shown twice.
        for n in range(3, 23):
            hub.publish(f"burst {n}")
        expected = ["#1: hello", "#2: <b>text, not markup</b>"]
        expected += [f"#{n}: burst {n}" for n in range(3, 23)]
        await _until(browser, ITEMS, expected)
        await _subscribers(app, 1)  # the reconnected page
        # the first /feed response did end (resource timing lists finished fetches only)
        assert await evaluate(browser, FEEDS_DONE) == 1

        # leaving the page closes its EventSource: the producer is cancelled, unsubscribed
        await evaluate(browser, 'location.href = "about:blank"; 1')
        await _subscribers(app, 0)
        published = await client.post(url + "/publish", json={"text": "nobody listens"})
        assert published.json() == {"id": 23, "subscribers": 0}
