"""Starlette: the endpoints as a Starlette user writes them (on trio, through anyio).

Starlette has no validation, serialization of dataclasses or dependency injection: those
cases use msgspec (the library trioweb itself uses) and plain calls, so they measure the
framework rather than ``json`` against msgspec.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import msgspec
import trio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

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
_SSE_HEADERS = {"cache-control": "no-cache"}


async def plaintext(request: Request) -> Response:
    return PlainTextResponse(HELLO)


async def json_(request: Request) -> Response:
    return JSONResponse({"message": HELLO})


async def items(request: Request) -> Response:
    query = request.query_params
    if "q" not in query:
        return JSONResponse({"detail": "missing q"}, status_code=400)
    try:
        limit = int(query.get("limit", 10))
    except ValueError:
        return JSONResponse({"detail": "bad limit"}, status_code=400)
    return JSONResponse(
        {"item_id": request.path_params["item_id"], "q": query["q"], "limit": limit}
    )


async def validate(request: Request) -> Response:
    try:
        order = _ORDER_DECODER.decode(await request.body())
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        return JSONResponse({"detail": str(exc)}, status_code=400)
    return JSONResponse(order_summary(order))


async def dataclasses_(request: Request) -> Response:
    return Response(msgspec.json.encode(PEOPLE), media_type="application/json")


async def deps(request: Request) -> Response:
    c = await dep_c(await dep_b(await dep_a()))
    return JSONResponse({"value": c})


async def _chunks() -> AsyncIterator[bytes]:
    for _ in range(N_CHUNKS):
        yield CHUNK


async def stream(request: Request) -> Response:
    return StreamingResponse(_chunks(), media_type="text/plain")


async def _events() -> AsyncIterator[str]:
    for _ in range(N_EVENTS):
        yield f"data: {SSE_EVENT}\n\n"


async def _idle_events() -> AsyncIterator[str]:
    yield "data: ready\n\n"
    await trio.sleep_forever()


async def sse(request: Request) -> Response:
    return StreamingResponse(_events(), media_type="text/event-stream", headers=_SSE_HEADERS)


async def sse_idle(request: Request) -> Response:
    return StreamingResponse(_idle_events(), media_type="text/event-stream", headers=_SSE_HEADERS)


async def stream_finally(request: Request) -> Response:
    stream_id = request.query_params.get("id", "")

    async def ticks() -> AsyncIterator[bytes]:
        try:
            for _ in range(STREAM_FINALLY_MAX_CHUNKS):
                yield CHUNK
                await trio.sleep(STREAM_FINALLY_TICK)
        finally:
            record_finally(stream_id)

    return StreamingResponse(ticks(), media_type="text/plain")


async def finally_times_(request: Request) -> Response:
    return JSONResponse(finally_times())


async def ws_echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass


app = Starlette(
    routes=[
        Route("/plaintext", plaintext),
        Route("/json", json_),
        Route("/items/{item_id:int}", items),
        Route("/validate", validate, methods=["POST"]),
        Route("/dataclasses", dataclasses_),
        Route("/deps", deps),
        Route("/stream", stream),
        Route("/sse", sse),
        Route("/sse-idle", sse_idle),
        Route("/stream-finally", stream_finally),
        Route("/finally-times", finally_times_),
        WebSocketRoute("/ws", ws_echo),
    ]
)
