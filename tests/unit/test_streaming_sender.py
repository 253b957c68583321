"""Pings and chunks share one sender: never two sends at once, nothing after the end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import trio
import trio.testing

from trioweb._lifecycle import StreamEnd, StreamPolicy, send_streaming

PING = b": ping\r\n"


class _SlowServer:
    """A ``send`` that takes a while for every message and notes any overlap."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.in_flight = 0
        self.overlaps = 0
        self.messages: list[dict[str, Any]] = []
        self.ended = False
        self.after_end = 0

    async def send(self, message: dict[str, Any]) -> None:
        self.in_flight += 1
        if self.in_flight > 1:
            self.overlaps += 1
        try:
            await trio.sleep(self.delay)
            if self.ended:
                self.after_end += 1
            self.messages.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.ended = True
        finally:
            self.in_flight -= 1

    async def receive(self) -> dict[str, Any]:
        await trio.sleep_forever()
        raise AssertionError("unreachable")


async def _slow_events(count: int, gap: float) -> AsyncIterator[bytes]:
    for index in range(count):
        await trio.sleep(gap)
        yield f"data: {index}\r\n\r\n".encode()


async def test_pings_and_events_are_sent_one_at_a_time_and_never_after_the_end(
    autojump_clock: trio.testing.MockClock,
) -> None:
    # Sends take longer than the ping interval, so the pinger and the pump keep
    # contending for the sender: each must wait for the other's send to finish.
    server = _SlowServer(delay=0.03)
    start = {"type": "http.response.start", "status": 200, "headers": []}
    ended = await send_streaming(
        server.send,
        server.receive,
        start,
        _slow_events(20, gap=0.02),
        lambda item: item,
        policy=StreamPolicy(ping_interval=0.01, ping=PING),
    )
    assert ended is StreamEnd.COMPLETED
    assert server.overlaps == 0
    assert server.after_end == 0
    bodies = [m["body"] for m in server.messages if m["type"] == "http.response.body"]
    events = [body for body in bodies if body.startswith(b"data:")]
    assert events == [f"data: {i}\r\n\r\n".encode() for i in range(20)]
    assert PING in bodies  # the pinger did get its turns
    assert bodies[-1] == b""  # the end, last
