"""A live feed over server-sent events, written the trio way.

Serve it with ``trioweb run examples.live_feed:app`` and open http://127.0.0.1:8000/ in two
browser tabs; publish with::

    curl -X POST http://127.0.0.1:8000/publish -H 'content-type: application/json' \\
         -d '{"text": "hello"}'

The shape (docs/streaming.md, "The trio-native idiom"): ``GET /feed`` takes the connection
``nursery``, starts a producer task that writes into a memory channel, and returns
``ServerSentEvent(receive_channel)``. The producer subscribes to the hub, replays what the
browser missed (``Last-Event-ID``, sent by ``EventSource`` when it reconnects), then forwards
new messages. When the browser goes away, trioweb cancels the connection nursery: the
producer is cancelled (its ``with hub.subscribe()`` unsubscribes) and the stream's end of
the channel is closed. Nothing outlives the connection.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import trio

from trioweb import MediaType, TrioWeb, get, post
from trioweb.datastructures import State
from trioweb.params import Parameter
from trioweb.response import ServerSentEvent, ServerSentEventMessage

__all__ = ("Hub", "app", "create_app")


@dataclass(frozen=True, slots=True)
class Update:
    id: int
    text: str


class Hub:
    """Fans published updates out to subscribers and keeps the last ``history`` of them.

    A subscriber that falls ``buffer`` updates behind is dropped (its channel is closed),
    so one stalled browser cannot hold up the others; ``EventSource`` reconnects and
    catches up from the history.
    """

    def __init__(self, *, history: int = 100, buffer: int = 16) -> None:
        self._history: deque[Update] = deque(maxlen=history)
        self._subscribers: set[trio.MemorySendChannel[Update]] = set()
        self._buffer = buffer
        self._next_id = 1

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    def publish(self, text: str) -> Update:
        update = Update(self._next_id, text)
        self._next_id += 1
        self._history.append(update)
        for subscriber in list(self._subscribers):
            try:
                subscriber.send_nowait(update)
            except (trio.WouldBlock, trio.BrokenResourceError):
                self._subscribers.discard(subscriber)
                subscriber.close()
        return update

    def since(self, last_id: int | None) -> list[Update]:
        if last_id is None:
            return []
        return [update for update in self._history if update.id > last_id]

    @contextmanager
    def subscribe(self) -> Iterator[trio.MemoryReceiveChannel[Update]]:
        send_channel, receive_channel = trio.open_memory_channel[Update](self._buffer)
        self._subscribers.add(send_channel)
        try:
            with receive_channel:
                yield receive_channel
        finally:
            self._subscribers.discard(send_channel)
            send_channel.close()


async def forward(
    hub: Hub, last_id: int | None, out: trio.MemorySendChannel[ServerSentEventMessage]
) -> None:
    """The producer: replay what was missed, then forward updates until cancelled."""
    async with out:
        with hub.subscribe() as updates:
            for update in hub.since(last_id):
                await out.send(ServerSentEventMessage(data=update.text, id=update.id))
            async for update in updates:
                await out.send(ServerSentEventMessage(data=update.text, id=update.id))


@get("/feed")
async def feed(
    nursery: trio.Nursery,
    state: State,
    last_event_id: int | None = Parameter(header="last-event-id", default=None),
) -> ServerSentEvent:
    send_channel, receive_channel = trio.open_memory_channel[ServerSentEventMessage](0)
    nursery.start_soon(forward, state.hub, last_event_id, send_channel)
    return ServerSentEvent(receive_channel, retry_duration=2000)


@dataclass
class Message:
    text: str


@post("/publish", status_code=202)
async def publish(data: Message, state: State) -> dict[str, int]:
    update = state.hub.publish(data.text)
    return {"id": update.id, "subscribers": state.hub.subscribers}


PAGE = """<!doctype html>
<meta charset="utf-8">
<title>trioweb live feed</title>
<ul id="feed"></ul>
<script>
  const source = new EventSource("/feed");
  source.onmessage = (event) => {
    const item = document.createElement("li");
    item.textContent = `#${event.lastEventId}: ${event.data}`;
    document.getElementById("feed").append(item);
  };
</script>
"""


@get("/", media_type=MediaType.HTML)
async def index() -> str:
    return PAGE


def create_app() -> TrioWeb:
    return TrioWeb([index, feed, publish], state=State({"hub": Hub()}))


app = create_app()
