"""A trioweb app whose WebSockets close the moment a message arrives (the close-race target).

* ``/close``: a ``@websocket`` handler.
* ``/raw-close``: a raw ASGI WebSocket app mounted with ``@asgi``, which returns straight
  after its close; that timing hits hypercorn 0.18's trio close race within a few dozen
  simultaneous closes when the race is not fixed (see ``trioweb/_hypercorn_patch.py``).
* ``GET /`` answers ``up``, so a test can check the server is still alive.
"""

from typing import Any

from trioweb import TrioWeb, WebSocket, asgi, get, websocket


@websocket("/close")
async def close_on_message(socket: WebSocket) -> None:
    await socket.accept()
    await socket.receive_text()
    await socket.close()


@asgi("/raw-close")
async def raw_close_on_message(scope: Any, receive: Any, send: Any) -> None:
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    if (await receive())["type"] == "websocket.receive":
        await send({"type": "websocket.close", "code": 1000})


@get("/", sync_to_thread=False)
def up() -> str:
    return "up"


app = TrioWeb([close_on_message, raw_close_on_message, up])


async def raw_app(scope: Any, receive: Any, send: Any) -> None:
    """The same close-on-message WebSocket as a plain ASGI app: no trioweb app involved.

    Served with ``trioweb run``, only the CLI itself can install the close-race fix (no
    trioweb lifespan or WebSocket scope ever runs).
    """
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            await send({"type": message["type"] + ".complete"})
            if message["type"] == "lifespan.shutdown":
                return
    elif scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"up"})
    else:
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        if (await receive())["type"] == "websocket.receive":
            await send({"type": "websocket.close", "code": 1000})
