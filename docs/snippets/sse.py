"""Server-sent events: every kind of item, response-level fields, pings, ``Last-Event-ID``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import trio

from trioweb import TrioWeb, get
from trioweb.params import Parameter
from trioweb.response import ServerSentEvent, ServerSentEventMessage
from trioweb.types import SSEData


@get("/kinds")
async def kinds() -> ServerSentEvent:
    async def items() -> AsyncIterator[SSEData]:
        yield "a string"  # data: a string
        yield 42  # data: 42
        yield b"bytes, as UTF-8"  # data: bytes, as UTF-8
        yield "two\nlines"  # data: two / data: lines
        yield {"data": "from a dict", "event": "custom", "id": "7"}
        yield ServerSentEventMessage(data="full control", event="done", id=8, retry=3000)

    return ServerSentEvent(items(), ping_interval=None)


@get("/ticker")
async def ticker(
    last_event_id: int | None = Parameter(header="last-event-id", default=None),
) -> ServerSentEvent:
    # EventSource sends Last-Event-ID when it reconnects: carry on from there.
    start = 0 if last_event_id is None else last_event_id + 1

    async def ticks() -> AsyncIterator[ServerSentEventMessage]:
        for n in range(start, start + 3):
            yield ServerSentEventMessage(data=f"tick {n}", id=n)
            await trio.sleep(0.05)

    # a ": ping" comment line whenever nothing was sent for 0.02 s (default 15 s)
    return ServerSentEvent(ticks(), event_type="tick", ping_interval=0.02)


app = TrioWeb([kinds, ticker])
