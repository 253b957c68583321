"""The ceiling: a hand-written ASGI callable serving every endpoint with no framework.

It does the least a correct app can do: a dict lookup for the route, msgspec for JSON,
and for streams one disconnect listener beside the sender (so a client that leaves stops
the stream and the ``finally`` runs at once).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

import msgspec
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
    dep_a,
    dep_b,
    dep_c,
    finally_times,
    order_summary,
    record_finally,
)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

_ENCODER = msgspec.json.Encoder()
_ORDER_DECODER = msgspec.json.Decoder(Order)
_TEXT = [(b"content-type", b"text/plain; charset=utf-8")]
_JSON = [(b"content-type", b"application/json")]
_STREAM_START = {"type": "http.response.start", "status": 200, "headers": _TEXT}
_SSE_START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")],
}
_END = {"type": "http.response.body", "body": b"", "more_body": False}
_EVENT = f"data: {SSE_EVENT}\n\n".encode()


async def _respond(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _json(send: Send, value: Any, status: int = 200) -> None:
    await _respond(send, status, _JSON, _ENCODER.encode(value))


async def plaintext(scope: Scope, receive: Receive, send: Send) -> None:
    await _respond(send, 200, _TEXT, HELLO.encode())


async def json_(scope: Scope, receive: Receive, send: Send) -> None:
    await _json(send, {"message": HELLO})


async def items(scope: Scope, receive: Receive, send: Send) -> None:
    try:
        item_id = int(scope["path"][len("/items/") :])
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        q = query["q"]
        limit = int(query.get("limit", 10))
    except (KeyError, ValueError):
        await _json(send, {"detail": "bad request"}, 400)
        return
    await _json(send, {"item_id": item_id, "q": q, "limit": limit})


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise ConnectionError("client left")
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def validate(scope: Scope, receive: Receive, send: Send) -> None:
    try:
        order = _ORDER_DECODER.decode(await _read_body(receive))
    except (msgspec.ValidationError, msgspec.DecodeError):
        await _json(send, {"detail": "invalid"}, 400)
        return
    await _json(send, order_summary(order))


async def dataclasses_(scope: Scope, receive: Receive, send: Send) -> None:
    await _json(send, PEOPLE)


async def deps(scope: Scope, receive: Receive, send: Send) -> None:
    c = await dep_c(await dep_b(await dep_a()))
    await _json(send, {"value": c})


async def _listen(receive: Receive, cancel_scope: trio.CancelScope) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    cancel_scope.cancel()


async def _stream_chunks(send: Send) -> None:
    await send(_STREAM_START)
    for _ in range(N_CHUNKS):
        await send({"type": "http.response.body", "body": CHUNK, "more_body": True})
    await send(_END)


async def _stream_events(send: Send) -> None:
    await send(_SSE_START)
    for _ in range(N_EVENTS):
        await send({"type": "http.response.body", "body": _EVENT, "more_body": True})
    await send(_END)


def _streaming(
    body: Callable[[Send], Awaitable[None]],
) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_listen, receive, nursery.cancel_scope)
            await body(send)
            nursery.cancel_scope.cancel()

    return endpoint


async def sse_idle(scope: Scope, receive: Receive, send: Send) -> None:
    # the least an idle stream can hold: the app task itself, parked in receive()
    await send(_SSE_START)
    await send({"type": "http.response.body", "body": b"data: ready\n\n", "more_body": True})
    while (await receive())["type"] != "http.disconnect":
        pass


async def stream_finally(scope: Scope, receive: Receive, send: Send) -> None:
    stream_id = dict(parse_qsl(scope["query_string"].decode("latin-1"))).get("id", "")
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_listen, receive, nursery.cancel_scope)
        try:
            await send(_STREAM_START)
            for _ in range(STREAM_FINALLY_MAX_CHUNKS):
                await send({"type": "http.response.body", "body": CHUNK, "more_body": True})
                await trio.sleep(STREAM_FINALLY_TICK)
            await send(_END)
        finally:
            record_finally(stream_id)
        nursery.cancel_scope.cancel()


async def finally_times_(scope: Scope, receive: Receive, send: Send) -> None:
    await _json(send, finally_times())


async def not_found(scope: Scope, receive: Receive, send: Send) -> None:
    await _respond(send, 404, _TEXT, b"Not Found")


ROUTES: dict[str, Callable[[Scope, Receive, Send], Awaitable[None]]] = {
    "/plaintext": plaintext,
    "/json": json_,
    "/validate": validate,
    "/dataclasses": dataclasses_,
    "/deps": deps,
    "/stream": _streaming(_stream_chunks),
    "/sse": _streaming(_stream_events),
    "/sse-idle": sse_idle,
    "/stream-finally": stream_finally,
    "/finally-times": finally_times_,
}


async def _websocket(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["path"] != "/ws":
        await send({"type": "websocket.close", "code": 1008})
        return
    while True:
        message = await receive()
        kind = message["type"]
        if kind == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif kind == "websocket.receive":
            if message.get("text") is not None:
                await send({"type": "websocket.send", "text": message["text"]})
            else:
                await send({"type": "websocket.send", "bytes": message["bytes"]})
        else:
            return


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    kind = scope["type"]
    if kind == "http":
        path = scope["path"]
        endpoint = ROUTES.get(path)
        if endpoint is None:
            endpoint = items if path.startswith("/items/") else not_found
        await endpoint(scope, receive, send)
    elif kind == "websocket":
        await _websocket(scope, receive, send)
    elif kind == "lifespan":
        await _lifespan(receive, send)
