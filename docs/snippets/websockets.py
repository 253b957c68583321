"""WebSockets: a handler, a listener, a stream, and a handler with a task of its own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import trio

from trioweb import TrioWeb, WebSocket, websocket, websocket_listener, websocket_stream
from trioweb.exceptions import NotAuthorizedException, WebSocketDisconnect
from trioweb.handlers import WebsocketListener

LOG: list[str] = []


# 1. The low-level handler: accept, loop, react to the client leaving.
@websocket("/echo/{room:str}")
async def echo(socket: WebSocket, room: str, shout: bool = False) -> None:
    await socket.accept()
    try:
        while True:
            text = await socket.receive_text()
            await socket.send_text(f"{room}: {text.upper() if shout else text}")
    except WebSocketDisconnect as exc:
        LOG.append(f"echo: client left with {exc.code}")


# 2. A listener: typed data in, the return value sent back.
@dataclass
class Order:
    item: str
    quantity: int


@websocket_listener("/orders")
async def orders(data: Order) -> dict[str, object]:
    return {"accepted": data.item, "total": data.quantity * 2}


# ... or as a class, registered as is.
class Upper(WebsocketListener):
    path = "/upper"

    async def on_accept(self, socket: WebSocket) -> None:
        LOG.append("upper: accepted")

    async def on_disconnect(self, socket: WebSocket) -> None:
        LOG.append("upper: gone")

    def on_receive(self, data: str) -> str:  # sync: runs in a worker thread
        return data.upper()


# 3. A stream: send what a generator yields; the client leaving stops it.
@websocket_stream("/countdown")
async def countdown(start: int = 3) -> AsyncIterator[dict[str, int]]:
    try:
        for n in range(start, 0, -1):
            yield {"n": n}
            await trio.sleep(0.01)
    finally:
        LOG.append("countdown: generator closed")


# 4. A task of the connection's own: a ticker the handler starts in the connection nursery.
@websocket("/ticker")
async def ticker(socket: WebSocket, nursery: trio.Nursery, every: float = 0.01) -> None:
    async def tick() -> None:
        try:
            n = 0
            while True:
                await trio.sleep(every)
                n += 1
                await socket.send_json({"tick": n})
        finally:
            LOG.append("ticker: tick task cancelled")

    await socket.accept()
    nursery.start_soon(tick)
    async for command in socket.iter_data():  # ends quietly when the client leaves
        if command == "stop":
            return  # closes with 1000 and cancels tick()
    LOG.append("ticker: client left")


# 5. Refusing before accept: a real HTTP status and body.
@websocket("/private")
async def private(socket: WebSocket, token: str = "") -> None:
    if token != "s3cret":
        raise NotAuthorizedException("a token is needed")
    await socket.accept()
    await socket.send_text("welcome")


app = TrioWeb([echo, orders, Upper, countdown, ticker, private])
