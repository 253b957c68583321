"""A chat room over WebSockets, written the trio way.

Serve it with ``trioweb run examples.chat:app`` and open http://127.0.0.1:8000/ in two
browser tabs (``/?room=trio`` for another room).

The shape (docs/websockets.md, "Fan-out with memory channels"): ``/ws/{room}`` takes the
connection ``nursery``. Joining a room gives the connection its own memory channel; a task
in the nursery forwards what arrives on it to the socket, while the handler reads what the
browser sends and publishes it to everyone in the room. When the browser leaves, the
handler's ``iter_json`` loop ends, the ``with rooms.join(...)`` block leaves the room (and
tells the others), and trioweb cancels the forwarder. Nothing outlives the connection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import msgspec
import trio

from trioweb import MediaType, TrioWeb, WebSocket, get, websocket
from trioweb.datastructures import State
from trioweb.exceptions import SerializationException, WebSocketDisconnect

__all__ = ("Rooms", "app", "create_app")


class Said(msgspec.Struct):
    """What a browser sends: a line of text."""

    text: str


class Rooms:
    """Who is in which room; publishing fans a message out to everyone in a room.

    A member whose channel is full (a browser that stopped reading while ``buffer``
    messages piled up) is dropped from the room, so one stalled browser cannot hold up the
    others: its forwarder ends and the connection is closed.
    """

    def __init__(self, *, buffer: int = 64) -> None:
        self._members: defaultdict[str, dict[str, trio.MemorySendChannel[dict[str, Any]]]] = (
            defaultdict(dict)
        )
        self._buffer = buffer

    def names(self, room: str) -> list[str]:
        return sorted(self._members[room])

    def publish(self, room: str, message: dict[str, Any]) -> None:
        for name, channel in list(self._members[room].items()):
            try:
                channel.send_nowait(message)
            except trio.WouldBlock:
                channel.close()
                del self._members[room][name]
            except trio.ClosedResourceError:
                del self._members[room][name]

    @contextmanager
    def join(self, room: str, name: str) -> Iterator[trio.MemoryReceiveChannel[dict[str, Any]]]:
        """Be in ``room`` for the block; yields the channel the room's messages arrive on."""
        if name in self._members[room]:
            raise ValueError(f"{name!r} is already in {room!r}")
        send, receive = trio.open_memory_channel[dict[str, Any]](self._buffer)
        self.publish(room, {"event": "joined", "name": name})
        self._members[room][name] = send
        try:
            yield receive
        finally:
            if self._members[room].get(name) is send:
                del self._members[room][name]
            send.close()
            self.publish(room, {"event": "left", "name": name})
            if not self._members[room]:
                del self._members[room]


PAGE = """<!doctype html>
<html>
<head><meta charset="utf-8"><title>trioweb chat</title>
<style>
  body { font: 16px system-ui, sans-serif; max-width: 40em; margin: 2em auto; }
  #log { border: 1px solid #ccc; height: 20em; overflow-y: auto; padding: .5em; }
  .event { color: #888; }
</style></head>
<body>
<h1>Room <span id="room"></span></h1>
<div id="log"></div>
<form id="form">
  <input id="text" autocomplete="off" size="50" autofocus> <button>Send</button>
</form>
<script>
  const params = new URLSearchParams(location.search);
  const room = params.get("room") || "lobby";
  const name = params.get("name") || "guest-" + Math.floor(Math.random() * 1000);
  document.getElementById("room").textContent = room + " as " + name;
  const log = document.getElementById("log");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${location.host}/ws/${encodeURIComponent(room)}` +
              `?name=${encodeURIComponent(name)}`;
  const socket = new WebSocket(url);
  function show(text, css) {
    const line = document.createElement("div");
    line.textContent = text;
    if (css) line.className = css;
    log.appendChild(line);
    log.scrollTop = log.scrollHeight;
  }
  socket.onmessage = (event) => {
    const m = JSON.parse(event.data);
    if (m.event === "said") show(`${m.name}: ${m.text}`);
    else if (m.event === "welcome") show(`in the room: ${m.names.join(", ")}`, "event");
    else show(`${m.name} ${m.event}`, "event");
  };
  socket.onclose = (event) => show(`disconnected (${event.code} ${event.reason})`, "event");
  document.getElementById("form").onsubmit = (event) => {
    event.preventDefault();
    const input = document.getElementById("text");
    if (input.value) socket.send(JSON.stringify({text: input.value}));
    input.value = "";
  };
</script>
</body>
</html>
"""


@get("/", media_type=MediaType.HTML, sync_to_thread=False)
def index() -> str:
    return PAGE


async def forward(socket: WebSocket, inbox: trio.MemoryReceiveChannel[dict[str, Any]]) -> None:
    """Send the room's messages to this browser (cancelled when the connection ends)."""
    async for message in inbox:
        await socket.send_json(message)
    # The room dropped us (we fell behind): end the conversation.
    await socket.close(code=1008, reason="too slow, please reconnect")


@websocket("/ws/{room:str}")
async def chat(
    socket: WebSocket, room: str, name: str, state: State, nursery: trio.Nursery
) -> None:
    rooms: Rooms = state.rooms
    await socket.accept()
    try:
        with rooms.join(room, name) as inbox:
            await socket.send_json({"event": "welcome", "names": rooms.names(room)})
            nursery.start_soon(forward, socket, inbox)
            async for said in socket.iter_json():
                text = msgspec.convert(said, Said).text
                rooms.publish(room, {"event": "said", "name": name, "text": text})
    except (ValueError, SerializationException) as exc:
        # the name is taken, or a message was not {"text": "..."}
        await socket.close(code=4000, reason=str(exc)[:100])
    except WebSocketDisconnect:
        pass


def create_app() -> TrioWeb:
    """A fresh app with its own rooms (tests build one each)."""
    return TrioWeb(
        route_handlers=[index, chat],
        state=State({"rooms": Rooms()}),
    )


app = create_app()
"""Serve with ``trioweb run examples.chat:app``."""
