"""The WebSocket receive loop's buffer (``trioweb._lifecycle.WebSocketRelay``).

The relay is the sole reader of the server's ``receive``; the handler and its tasks read
from it. These tests drive it with a scripted ``receive``.
"""

from __future__ import annotations

import trio
import trio.testing

from trioweb._lifecycle import WebSocketRelay
from trioweb.types import Message


class Client:
    """A scripted ASGI ``receive``: hands out what the test pushes, counts what was taken."""

    def __init__(self) -> None:
        self._send, self._receive = trio.open_memory_channel[Message](1000)
        self.taken = 0

    def say(self, text: str) -> None:
        self._send.send_nowait({"type": "websocket.receive", "text": text, "bytes": None})

    def leave(self, code: int = 1000) -> None:
        self._send.send_nowait({"type": "websocket.disconnect", "code": code})

    async def receive(self) -> Message:
        message = await self._receive.receive()
        self.taken += 1
        return message


async def test_messages_come_in_order_then_the_disconnect_for_every_later_read() -> None:
    client = Client()
    relay = WebSocketRelay(client.receive)
    codes: list[int] = []
    relay.on_disconnect(codes.append)
    for text in "abc":
        client.say(text)
    client.leave(1001)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(relay.run)
        got = [(await relay.receive()).get("text") for _ in range(3)]
        assert got == ["a", "b", "c"]
        assert await relay.receive() == {"type": "websocket.disconnect", "code": 1001}
        assert await relay.receive() == {"type": "websocket.disconnect", "code": 1001}
    assert codes == [1001]
    assert relay.disconnect_code == 1001
    late: list[int] = []
    relay.on_disconnect(late.append)  # registered after the fact: called at once
    assert late == [1001]


async def test_reading_stops_when_the_buffer_is_full_and_resumes_on_a_read() -> None:
    client = Client()
    relay = WebSocketRelay(client.receive, max_buffered=4)
    for index in range(10):
        client.say(str(index))
    async with trio.open_nursery() as nursery:
        nursery.start_soon(relay.run)
        await trio.testing.wait_all_tasks_blocked()
        assert client.taken == 5  # four buffered, one in hand: the server keeps the rest
        assert (await relay.receive())["text"] == "0"
        await trio.testing.wait_all_tasks_blocked()
        assert client.taken == 6
        rest = [(await relay.receive())["text"] for _ in range(9)]
        assert rest == [str(index) for index in range(1, 10)]
        nursery.cancel_scope.cancel()


async def test_several_readers_share_the_messages_without_loss_or_duplicates() -> None:
    client = Client()
    relay = WebSocketRelay(client.receive, max_buffered=2)
    got: list[str] = []
    ends: list[Message] = []

    async def reader() -> None:
        while (message := await relay.receive())["type"] == "websocket.receive":
            got.append(message["text"])
            await trio.sleep(0)
        ends.append(message)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(relay.run)
        for _ in range(3):
            nursery.start_soon(reader)
        await trio.testing.wait_all_tasks_blocked()
        for index in range(50):
            client.say(str(index))
        client.leave()
    assert sorted(got, key=int) == [str(index) for index in range(50)]
    # each reader saw the client's disconnect, none an early end of the buffer
    assert ends == [{"type": "websocket.disconnect", "code": 1000}] * 3


async def test_a_cancelled_read_takes_no_message() -> None:
    client = Client()
    relay = WebSocketRelay(client.receive)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(relay.run)
        with trio.move_on_after(0.01) as waited:
            await relay.receive()
        assert waited.cancelled_caught
        client.say("kept")
        with trio.fail_after(1):
            assert (await relay.receive())["text"] == "kept"
        client.say("also kept")
        await trio.testing.wait_all_tasks_blocked()  # buffered
        with trio.CancelScope() as scope:  # already cancelled: no message is taken either
            scope.cancel()
            await relay.receive()
        assert scope.cancelled_caught
        with trio.fail_after(1):
            assert (await relay.receive())["text"] == "also kept"
        nursery.cancel_scope.cancel()


async def test_a_loop_stopped_without_a_disconnect_reads_as_an_abnormal_closure() -> None:
    client = Client()
    relay = WebSocketRelay(client.receive)
    client.say("last")
    async with trio.open_nursery() as nursery:
        nursery.start_soon(relay.run)
        await trio.testing.wait_all_tasks_blocked()
        nursery.cancel_scope.cancel()
    assert (await relay.receive())["text"] == "last"
    assert await relay.receive() == {"type": "websocket.disconnect", "code": 1006}
    assert relay.disconnect_code is None
