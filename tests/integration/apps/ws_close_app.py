"""A trioweb app whose WebSocket closes the moment a message arrives (the close-race target).

``GET /`` answers ``up`` so a test can check the server is still alive.
"""

from trioweb import TrioWeb, WebSocket, get, websocket


@websocket("/close")
async def close_on_message(socket: WebSocket) -> None:
    await socket.accept()
    await socket.receive_text()
    await socket.close()


@get("/", sync_to_thread=False)
def up() -> str:
    return "up"


app = TrioWeb([close_on_message, up])
