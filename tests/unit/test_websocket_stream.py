"""``websocket_stream`` and ``send_websocket_stream``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import pytest
import trio

from trioweb import TrioWeb, WebSocket, websocket, websocket_stream
from trioweb.di import Provide
from trioweb.exceptions import LitestarWarning, WebSocketDisconnect
from trioweb.handlers import send_websocket_stream
from trioweb.testing import AsyncTestClient


async def test_every_item_is_sent_then_the_socket_closes_1000() -> None:
    @websocket_stream("/")
    async def numbers(socket: WebSocket) -> AsyncGenerator[Any, None]:
        yield "plain text"
        yield {"n": 1}
        yield [socket.path_params]

    async with AsyncTestClient(TrioWeb([numbers])) as client, client.websocket_connect("/") as ws:
        assert await ws.receive_text() == "plain text"
        assert await ws.receive_json() == {"n": 1}
        assert await ws.receive_json() == [{}]
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive_text()
    assert info.value.code == 1000


async def test_binary_mode() -> None:
    @websocket_stream("/", mode="binary")
    async def chunks() -> AsyncGenerator[bytes, None]:
        yield b"\x00"

    async with AsyncTestClient(TrioWeb([chunks])) as client, client.websocket_connect("/") as ws:
        assert await ws.receive_bytes() == b"\x00"


async def test_the_client_leaving_stops_the_stream_then_dependencies_clean_up() -> None:
    events: list[str] = []
    done = trio.Event()

    async def clock() -> AsyncGenerator[str, None]:
        yield "clock"
        events.append("dependency closed")
        done.set()

    @websocket_stream("/", dependencies={"source": Provide(clock)}, warn_on_data_discard=False)
    async def ticks(source: str) -> AsyncGenerator[str, None]:
        try:
            while True:
                yield source
                await trio.sleep(3600)
        finally:
            events.append("generator closed")

    async with AsyncTestClient(TrioWeb([ticks])) as client:
        async with client.websocket_connect("/") as ws:
            assert await ws.receive_text() == "clock"
            await ws.send_text("ignored")
        with trio.fail_after(1):  # not the hour-long sleep, nor the disconnect grace
            await done.wait()
    assert events == ["generator closed", "dependency closed"]


async def test_data_received_while_listening_is_dropped_with_a_warning() -> None:
    @websocket_stream("/")
    async def idle() -> AsyncGenerator[str, None]:
        yield "ready"
        await trio.sleep_forever()

    with pytest.warns(LitestarWarning, match="listen_for_disconnect"):
        async with AsyncTestClient(TrioWeb([idle])) as client:
            async with client.websocket_connect("/") as ws:
                assert await ws.receive_text() == "ready"
                await ws.send_text("dropped")
                await ws.send_text("sync")  # the first was handled once this one is read
                await trio.testing.wait_all_tasks_blocked()


async def test_send_websocket_stream_alongside_receiving() -> None:
    @websocket("/")
    async def handler(socket: WebSocket, nursery: trio.Nursery) -> None:
        await socket.accept()
        name = await socket.receive_text()

        async def greetings() -> AsyncGenerator[str, None]:
            for word in ("hello", "bye"):
                yield f"{word} {name}"

        await send_websocket_stream(socket, greetings(), close=False)
        await socket.send_text(f"{name} said {await socket.receive_text()}")

    async with AsyncTestClient(TrioWeb([handler])) as client, client.websocket_connect("/") as ws:
        await ws.send_text("ann")
        assert await ws.receive_text() == "hello ann"
        assert await ws.receive_text() == "bye ann"
        await ws.send_text("hi")
        assert await ws.receive_text() == "ann said hi"
