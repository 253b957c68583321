"""Quart-Trio: the endpoints as a Quart user writes them.

Quart validates nothing by itself (that is the separate quart-schema), so ``/validate``
decodes with msgspec; dataclasses go through Quart's own JSON provider, which supports
them. Streams set ``response.timeout = None``, as Quart's streaming guide says to.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any

import msgspec
import trio
from quart import Response, make_response, request, websocket
from quart_trio import QuartTrio

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
    dep_a,
    dep_b,
    dep_c,
    finally_times,
    order_summary,
    record_finally,
)

WEBSOCKET_SKIPPED: str | None = None

_ORDER_DECODER = msgspec.json.Decoder(Order)

app = QuartTrio(__name__)


@app.get("/plaintext")
async def plaintext() -> Any:
    return Response(HELLO, mimetype="text/plain")


@app.get("/json")
async def json_() -> Any:
    return {"message": HELLO}


@app.get("/items/<int:item_id>")
async def items(item_id: int) -> Any:
    q = request.args.get("q")
    if q is None:
        return {"detail": "missing q"}, 400
    limit = request.args.get("limit", 10, type=int)
    return {"item_id": item_id, "q": q, "limit": limit}


@app.post("/validate")
async def validate() -> Any:
    try:
        order = _ORDER_DECODER.decode(await request.get_data(as_text=False))
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        return {"detail": str(exc)}, 400
    return order_summary(order)


@app.get("/dataclasses")
async def dataclasses_() -> Any:
    return [asdict(person) for person in PEOPLE]


@app.get("/deps")
async def deps() -> Any:
    c = await dep_c(await dep_b(await dep_a()))
    return {"value": c}


async def _streaming(body: AsyncIterator[Any], mimetype: str) -> Any:
    response = await make_response(body, 200, {"content-type": mimetype})
    response.timeout = None
    return response


async def _chunks() -> AsyncIterator[bytes]:
    for _ in range(N_CHUNKS):
        yield CHUNK


async def _events() -> AsyncIterator[bytes]:
    event = f"data: {SSE_EVENT}\n\n".encode()
    for _ in range(N_EVENTS):
        yield event


async def _idle_events() -> AsyncIterator[bytes]:
    yield b"data: ready\n\n"
    await trio.sleep_forever()


@app.get("/stream")
async def stream() -> Any:
    return await _streaming(_chunks(), "text/plain")


@app.get("/sse")
async def sse() -> Any:
    response = await _streaming(_events(), "text/event-stream")
    response.headers["cache-control"] = "no-cache"
    return response


@app.get("/sse-idle")
async def sse_idle() -> Any:
    response = await _streaming(_idle_events(), "text/event-stream")
    response.headers["cache-control"] = "no-cache"
    return response


@app.get("/stream-finally")
async def stream_finally() -> Any:
    stream_id = request.args.get("id", "")

    async def ticks() -> AsyncIterator[bytes]:
        try:
            for _ in range(STREAM_FINALLY_MAX_CHUNKS):
                yield CHUNK
                await trio.sleep(STREAM_FINALLY_TICK)
        finally:
            record_finally(stream_id)

    return await _streaming(ticks(), "text/plain")


@app.get("/finally-times")
async def finally_times_() -> Any:
    return finally_times()


@app.websocket("/ws")
async def ws_echo() -> None:
    while True:
        await websocket.send(await websocket.receive())
