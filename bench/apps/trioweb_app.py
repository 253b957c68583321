"""trioweb: the endpoints written as a trioweb user would (Litestar's API, trio inside)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import trio

from bench.apps._shared import (
    CHUNK,
    HELLO,
    N_CHUNKS,
    N_EVENTS,
    PEOPLE,
    SSE_EVENT,
    STREAM_FINALLY_MAX_CHUNKS,
    STREAM_FINALLY_TICK,
    Order,
    Person,
    dep_a,
    dep_b,
    dep_c,
    finally_times,
    order_summary,
    record_finally,
)
from trioweb import MediaType, TrioWeb, WebSocket, get, post, websocket
from trioweb.di import Provide
from trioweb.exceptions import WebSocketDisconnect
from trioweb.response import Stream

WEBSOCKET_SKIPPED: str | None = None
"""Why the WebSocket endpoint is missing (None: it is served)."""


@get("/plaintext", media_type=MediaType.TEXT)
async def plaintext() -> str:
    return HELLO


@get("/json")
async def json_() -> dict[str, str]:
    return {"message": HELLO}


@get("/items/{item_id:int}")
async def items(item_id: int, q: str, limit: int = 10) -> dict[str, Any]:
    return {"item_id": item_id, "q": q, "limit": limit}


@post("/validate", status_code=200)
async def validate(data: Order) -> dict[str, object]:
    return order_summary(data)


@get("/dataclasses")
async def dataclasses_() -> list[Person]:
    return PEOPLE


@get(
    "/deps",
    dependencies={"a": Provide(dep_a), "b": Provide(dep_b), "c": Provide(dep_c)},
)
async def deps(c: int) -> dict[str, int]:
    return {"value": c}


async def _chunks() -> AsyncIterator[bytes]:
    for _ in range(N_CHUNKS):
        yield CHUNK


@get("/stream")
async def stream() -> Stream:
    return Stream(_chunks(), media_type=MediaType.TEXT)


try:  # ServerSentEvent arrives with the streaming work; until then, a Stream of events
    from trioweb.response import ServerSentEvent  # type: ignore[attr-defined]

    SSE_IMPL = "ServerSentEvent"

    def _sse(events: AsyncIterator[str]) -> Any:
        return ServerSentEvent(events)

    def _event(data: str) -> str:
        return data

except ImportError:
    SSE_IMPL = "Stream(media_type=text/event-stream)"

    def _sse(events: AsyncIterator[str]) -> Any:
        return Stream(events, media_type="text/event-stream", headers={"cache-control": "no-cache"})

    def _event(data: str) -> str:
        return f"data: {data}\n\n"


async def _events() -> AsyncIterator[str]:
    for _ in range(N_EVENTS):
        yield _event(SSE_EVENT)


async def _idle_events() -> AsyncIterator[str]:
    yield _event("ready")
    await trio.sleep_forever()


@get("/sse")
async def sse() -> Any:
    return _sse(_events())


@get("/sse-idle")
async def sse_idle() -> Any:
    return _sse(_idle_events())


@get("/stream-finally")
async def stream_finally(id: str) -> Stream:
    async def ticks() -> AsyncIterator[bytes]:
        try:
            for _ in range(STREAM_FINALLY_MAX_CHUNKS):
                yield CHUNK
                await trio.sleep(STREAM_FINALLY_TICK)
        finally:
            record_finally(id)

    return Stream(ticks(), media_type=MediaType.TEXT)


@get("/finally-times")
async def finally_times_() -> dict[str, float]:
    return finally_times()


handlers: list[Any] = [
    plaintext,
    json_,
    items,
    validate,
    dataclasses_,
    deps,
    stream,
    sse,
    sse_idle,
    stream_finally,
    finally_times_,
]


@websocket("/ws")
async def ws_echo(socket: WebSocket) -> None:
    await socket.accept()
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await socket.send_text(await socket.receive_text())


handlers.append(ws_echo)

app = TrioWeb(route_handlers=handlers)
