"""WebSocket listeners: ``websocket_listener`` and the ``WebsocketListener`` class."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest
import trio

from trioweb import TrioWeb, WebSocket, WebsocketListener, websocket_listener
from trioweb.di import Provide
from trioweb.exceptions import ImproperlyConfiguredException, WebSocketDisconnect
from trioweb.testing import AsyncTestClient


class Move(msgspec.Struct):
    x: int
    y: int


@dataclass
class Reply:
    moved: int


async def test_typed_data_in_and_the_return_value_sent_back() -> None:
    @websocket_listener("/")
    async def handler(data: Move) -> Reply:
        return Reply(moved=data.x + data.y)

    async with AsyncTestClient(TrioWeb([handler])) as client, client.websocket_connect("/") as ws:
        await ws.send_json({"x": 1, "y": "2"})  # lax conversion, as for HTTP bodies
        assert await ws.receive_json() == {"moved": 3}
        await ws.send_json({"x": 5, "y": 5})
        assert await ws.receive_json() == {"moved": 10}


async def test_invalid_data_closes_with_4500_and_the_reason_as_in_litestar() -> None:
    @websocket_listener("/")
    async def handler(data: Move) -> None:
        raise AssertionError("never called")

    async with AsyncTestClient(TrioWeb([handler])) as client, client.websocket_connect("/") as ws:
        await ws.send_json({"x": "left"})
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive_text()
    assert info.value.code == 4500
    assert info.value.detail == "Validation failed for WEBSOCKET /"


async def test_str_and_bytes_pass_through_and_none_sends_nothing() -> None:
    @websocket_listener("/text")
    async def text(data: str) -> str | None:
        return None if data == "quiet" else data.upper()

    @websocket_listener("/binary", receive_mode="binary", send_mode="binary")
    async def binary(data: bytes) -> bytes:
        return data[::-1]

    async with AsyncTestClient(TrioWeb([text, binary])) as client:
        async with client.websocket_connect("/text") as ws:
            await ws.send_text("quiet")
            await ws.send_text("loud")
            assert await ws.receive_text() == "LOUD"
        async with client.websocket_connect("/binary") as ws:
            await ws.send_bytes(b"abc")
            assert await ws.receive_bytes() == b"cba"


async def test_what_is_sent_follows_the_return_annotation_as_in_litestar() -> None:
    # Litestar's rule: str/bytes annotations are sent as they are, anything else as JSON.
    @websocket_listener("/unannotated")
    async def unannotated(data: str):  # type: ignore[no-untyped-def]
        return None if data == "nothing" else data

    @websocket_listener("/maybe-dict")
    async def maybe_dict(data: str) -> dict[str, str] | None:
        return None if data == "nothing" else {"got": data}

    @websocket_listener("/text-or-bytes", send_mode="binary")
    async def text_or_bytes(data: str) -> str | bytes:
        return data if data == "text" else data.encode()[::-1]

    @websocket_listener("/returns-none")
    async def returns_none(data: str) -> None:
        return None

    async with AsyncTestClient(TrioWeb([unannotated, maybe_dict, text_or_bytes, returns_none])) as client:
        async with client.websocket_connect("/unannotated") as ws:
            await ws.send_text("hi")
            assert await ws.receive_text() == '"hi"'
            await ws.send_text("nothing")
            assert await ws.receive_text() == "null"
        async with client.websocket_connect("/maybe-dict") as ws:
            await ws.send_text("nothing")
            assert await ws.receive_text() == "null"
            await ws.send_text("x")
            assert await ws.receive_json() == {"got": "x"}
        async with client.websocket_connect("/text-or-bytes") as ws:
            await ws.send_text("text")
            assert await ws.receive_bytes() == b"text"
            await ws.send_text("abc")
            assert await ws.receive_bytes() == b"cba"
        async with client.websocket_connect("/returns-none") as ws:
            await ws.send_text("x")
            with pytest.raises(TimeoutError):
                await ws.receive_text(timeout=0.05)


async def test_hooks_get_dependencies_and_on_disconnect_runs_when_the_client_leaves() -> None:
    events: list[Any] = []
    disconnected = trio.Event()
    calls = 0

    def counter() -> int:
        nonlocal calls
        calls += 1
        return calls

    async def on_accept(socket: WebSocket, user: int) -> None:
        events.append(("accept", user, socket.accepted))

    def on_disconnect(user: int, room: str) -> None:  # sync hooks run in a thread
        events.append(("disconnect", user, room))
        trio.from_thread.run_sync(disconnected.set)

    @websocket_listener(
        "/{room:str}",
        dependencies={"user": Provide(counter, sync_to_thread=False)},
        on_accept=on_accept,
        on_disconnect=on_disconnect,
    )
    async def handler(data: str, user: int, room: str, socket: WebSocket) -> str:
        return f"{room}/{user}: {data} ({socket.connection_state})"

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect("/lobby") as ws:
            await ws.send_text("a")
            assert await ws.receive_text() == "lobby/1: a (receive)"
            await ws.send_text("b")
            assert await ws.receive_text() == "lobby/1: b (receive)"
        await disconnected.wait()
    assert calls == 1  # dependencies are resolved once per connection
    assert events == [("accept", 1, True), ("disconnect", 1, "lobby")]


async def test_connection_lifespan_wraps_the_loop() -> None:
    events: list[str] = []
    done = trio.Event()

    @asynccontextmanager
    async def lifespan(socket: WebSocket, name: str) -> AsyncGenerator[None, None]:
        events.append(f"hello {name}")
        await socket.send_text("welcome")
        try:
            yield
        except WebSocketDisconnect as exc:
            events.append(f"left {exc.code}")
        finally:
            done.set()

    @websocket_listener("/", connection_lifespan=lifespan)
    def handler(data: str) -> str:  # a sync listener
        return data * 2

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect("/?name=bo") as ws:
            assert await ws.receive_text() == "welcome"
            await ws.send_text("ab")
            assert await ws.receive_text() == "abab"
        await done.wait()
    assert events == ["hello bo", "left 1000"]


async def test_the_class_based_listener() -> None:
    seen: list[str] = []

    class Shout(WebsocketListener):
        path = "/shout"
        receive_mode = "text"

        async def on_accept(self, socket: WebSocket) -> None:
            seen.append("accepted")

        def on_receive(self, data: str) -> dict[str, str]:
            return {"shout": data.upper()}

    async with (
        AsyncTestClient(TrioWeb([Shout])) as client,
        client.websocket_connect("/shout") as ws,
    ):
        await ws.send_text("hey")
        assert await ws.receive_json() == {"shout": "HEY"}
    assert seen == ["accepted"]


def test_listener_configuration_errors() -> None:
    with pytest.raises(ImproperlyConfiguredException, match="'data' parameter"):

        @websocket_listener("/")
        async def no_data(socket: WebSocket) -> None: ...

    @asynccontextmanager
    async def lifespan() -> AsyncGenerator[None, None]:
        yield

    with pytest.raises(ImproperlyConfiguredException, match="connection_lifespan"):
        websocket_listener("/", connection_lifespan=lifespan, on_accept=lambda: None)
