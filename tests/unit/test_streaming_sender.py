"""Pings and chunks share one sender: never two sends at once, nothing after the end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import trio
import trio.testing

from trioweb._lifecycle import ReceiveRelay, StreamEnd, StreamPolicy, send_streaming

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


# -- keep-alive pings timed by the receive relay -------------------------------------------


class _Wire:
    """A hypercorn-like transport: ``receive`` is a memory channel's; sends are timed."""

    def __init__(self) -> None:
        self.to_app, self._from_client = trio.open_memory_channel[dict[str, Any]](10)
        self.receive = self._from_client.receive
        self.sent: list[tuple[float, bytes]] = []
        self.ended_at: float | None = None
        self.after_end = 0
        self.block_pings: trio.Event | None = None
        """While set to an unset event, a ping's send waits for it (a client not reading)."""
        self.shielded = False
        self.ping_attempts = 0

    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] != "http.response.body":
            return
        body = message["body"]
        if body == PING:
            self.ping_attempts += 1
        if body == PING and self.block_pings is not None:
            # hypercorn's send is shielded: it returns only when the client reads or leaves
            with trio.CancelScope(shield=self.shielded):
                await self.block_pings.wait()
        await trio.lowlevel.checkpoint()
        if self.ended_at is not None:
            self.after_end += 1
        self.sent.append((trio.current_time(), body))
        if not message.get("more_body"):
            self.ended_at = trio.current_time()

    def pings(self, since: float = 0.0) -> list[float]:
        return [round(at - since, 6) for at, body in self.sent if body == PING]


_START = {"type": "http.response.start", "status": 200, "headers": []}


def _ping_tasks() -> list[str]:
    found: list[str] = []

    def walk(task: trio.lowlevel.Task) -> None:
        if "trioweb._lifecycle._streaming." in task.name:  # a ping (or pinger) task
            found.append(task.name)
        for nursery in task.child_nurseries:
            for child in nursery.child_tasks:
                walk(child)

    walk(trio.lowlevel.current_root_task())
    return found


async def test_pings_come_every_interval_of_silence_and_no_task_waits_for_them(
    autojump_clock: trio.testing.MockClock,
) -> None:
    wire = _Wire()
    events_sent = trio.Event()
    ping_tasks_seen: list[list[str]] = []

    async def events() -> AsyncIterator[bytes]:
        await trio.sleep(25)
        yield b"data: a\r\n\r\n"  # resets the silence: the next ping is due at 35
        events_sent.set()
        await trio.sleep_forever()

    async def client() -> None:
        for _ in range(4):
            await trio.sleep(9)  # between pings: an idle stream has no ping task
            ping_tasks_seen.append(_ping_tasks())
        await trio.sleep(60 - 36)
        await wire.to_app.send({"type": "http.disconnect"})

    begin = trio.current_time()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(client)
        ended = await send_streaming(
            wire.send,
            wire.receive,
            _START,
            events(),
            lambda item: item,
            policy=StreamPolicy(ping_interval=10, ping=PING),
        )
    assert ended is StreamEnd.DISCONNECTED
    assert wire.pings(begin) == [10, 20, 35, 45, 55]
    assert ping_tasks_seen == [[], [], [], []]
    assert events_sent.is_set()


async def test_no_ping_right_behind_an_event_whose_send_was_slow(
    autojump_clock: trio.testing.MockClock,
) -> None:
    # The event's send takes 30 s (a slow client): the ping due at 10 waits for it, and
    # then nothing has been silent for 10 s any more, so the next pings are at 35 + 10, 55.
    wire = _Wire()
    slow_send = wire.send

    async def send(message: dict[str, Any]) -> None:
        if message.get("body") == b"data: big\r\n\r\n":
            await trio.sleep(30)
        await slow_send(message)

    async def events() -> AsyncIterator[bytes]:
        await trio.sleep(5)
        yield b"data: big\r\n\r\n"
        await trio.sleep(25)

    begin = trio.current_time()
    ended = await send_streaming(
        send,
        wire.receive,
        _START,
        events(),
        lambda item: item,
        policy=StreamPolicy(ping_interval=10, ping=PING),
    )
    assert ended is StreamEnd.COMPLETED
    bodies = [body for _, body in wire.sent]
    assert bodies == [b"data: big\r\n\r\n", PING, PING, b""]
    assert wire.pings(begin) == [45, 55]
    assert wire.after_end == 0


async def test_no_ping_after_the_end_even_when_one_is_due_as_it_ends(
    autojump_clock: trio.testing.MockClock,
) -> None:
    wire = _Wire()

    async def events() -> AsyncIterator[bytes]:
        yield b"data: a\r\n\r\n"
        await trio.sleep(10)  # the end and a ping fall due together

    ended = await send_streaming(
        wire.send,
        wire.receive,
        _START,
        events(),
        lambda item: item,
        policy=StreamPolicy(ping_interval=10, ping=PING),
    )
    assert ended is StreamEnd.COMPLETED
    assert [body for _, body in wire.sent][-1] == b""
    assert wire.after_end == 0


async def test_a_shared_relay_sends_no_ping_once_its_stream_has_ended(
    autojump_clock: trio.testing.MockClock,
) -> None:
    # A connection-nursery route: the relay outlives the stream (the app stops it later).
    wire = _Wire()
    relay = ReceiveRelay(wire.receive)

    async def events() -> AsyncIterator[bytes]:
        await trio.sleep(15)
        yield b"data: a\r\n\r\n"

    async with trio.open_nursery() as nursery:
        nursery.start_soon(relay.run)
        ended = await send_streaming(
            wire.send,
            relay.receive,
            _START,
            events(),
            lambda item: item,
            policy=StreamPolicy(ping_interval=10, ping=PING),
            relay=relay,
        )
        assert ended is StreamEnd.COMPLETED
        await trio.sleep(100)  # the relay is still there, draining
        relay.stop()
    assert [body for _, body in wire.sent] == [PING, b"data: a\r\n\r\n", b""]
    assert wire.after_end == 0


@pytest.mark.parametrize("shielded", [False, True], ids=["cancellable", "shielded"])
async def test_a_disconnect_while_a_ping_send_is_blocked_ends_the_stream(
    autojump_clock: trio.testing.MockClock, shielded: bool
) -> None:
    # The client stopped reading, so the ping's send blocks; then it leaves. The relay is
    # still in receive() (the ping has its own task), so the disconnect is seen at once: a
    # cancellable send is cancelled, a shielded one (hypercorn's) returns as the client
    # leaves, and either way the stream ends and the generator's finally runs.
    wire = _Wire()
    wire.block_pings = trio.Event()
    wire.shielded = shielded
    cleaned: list[float] = []

    async def events() -> AsyncIterator[bytes]:
        try:
            yield b"data: a\r\n\r\n"
            await trio.sleep_forever()
        finally:
            cleaned.append(trio.current_time())

    async def client() -> None:
        await trio.sleep(30)  # the ping at 10 is stuck in its send
        assert len(_ping_tasks()) == 1
        if shielded:
            wire.block_pings.set()  # the socket closed: hypercorn's send returns
        await wire.to_app.send({"type": "http.disconnect"})

    begin = trio.current_time()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(client)
        ended = await send_streaming(
            wire.send,
            wire.receive,
            _START,
            events(),
            lambda item: item,
            policy=StreamPolicy(ping_interval=10, ping=PING),
        )
    assert ended is StreamEnd.DISCONNECTED
    assert [round(at - begin, 6) for at in cleaned] == [30]
    assert _ping_tasks() == []
    # one ping at most is under way: the relay did not stack more behind the stuck one
    assert wire.ping_attempts == 1
