"""WebSockets on a real hypercorn trio server, talked to by a real client (trio-websocket).

Real sockets, so real clocks. Every wait is bounded by ``WAIT``.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import socket as stdlib_socket
import struct
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
import trio
import trio.lowlevel
import trio.testing
import trio_websocket
from trio_websocket import ConnectionClosed, ConnectionRejected, WebSocketConnection
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Request, TextMessage

from tests.integration._server import open_server
from trioweb import TrioWeb, WebSocket, websocket, websocket_listener
from trioweb.exceptions import NotAuthorizedException, WebSocketDisconnect

WAIT = 5.0


def ws_url(base: str, path: str) -> str:
    return base.replace("http://", "ws://") + path


@asynccontextmanager
async def open_websocket_url(url: str, **options: Any) -> AsyncIterator[WebSocketConnection]:
    """trio-websocket's client, plus closing its TCP stream.

    trio-websocket 0.12 never closes a client's socket when the *server* closes first (its
    reader stops at the server's EOF without ``aclose()``), which surfaces here as an
    unraisable ``ResourceWarning``; a client defect, not the server's.
    """
    async with trio_websocket.open_websocket_url(url, **options) as connection:
        try:
            yield connection
        finally:
            await connection._stream.aclose()


class Observed:
    """What the server side saw, for the test to wait on."""

    def __init__(self) -> None:
        self.events: list[Any] = []
        self.done = trio.Event()

    async def wait(self) -> list[Any]:
        with trio.fail_after(WAIT):
            await self.done.wait()
        return self.events


def build_app(observed: Observed) -> TrioWeb:
    async def forward_ticks(socket: WebSocket) -> None:
        try:
            while True:
                await trio.sleep(0.05)
                await socket.send_text("tick")
        finally:
            observed.events.append("forwarder finally")

    @websocket("/echo")
    async def echo(socket: WebSocket) -> None:
        await socket.accept()
        try:
            while True:
                message = await socket.receive()
                if message["type"] == "websocket.disconnect":
                    raise WebSocketDisconnect(detail="", code=message["code"])
                if message.get("text") is not None:
                    await socket.send_text(message["text"])
                else:
                    await socket.send_bytes(message["bytes"])
        except WebSocketDisconnect as exc:
            observed.events.append(("left", exc.code))
        finally:
            observed.done.set()

    @websocket_listener("/json")
    async def json_listener(data: dict[str, int]) -> dict[str, int]:
        return {key: value * 2 for key, value in data.items()}

    @websocket("/close")
    async def close(socket: WebSocket) -> None:
        await socket.accept()
        await socket.close(code=4321, reason="see you")

    @websocket("/ticks")
    async def ticks(socket: WebSocket, nursery: trio.Nursery) -> None:
        await socket.accept()
        nursery.start_soon(forward_ticks, socket)
        try:
            async for _ in socket.iter_data():
                pass
            observed.events.append("client gone")
        finally:
            observed.events.append("handler finally")
            observed.done.set()

    @websocket("/protocols")
    async def protocols(socket: WebSocket) -> None:
        await socket.accept(subprotocols="wamp")
        await socket.send_text(",".join(socket.scope["subprotocols"]))
        await socket.receive_text()

    async def members_only(connection: Any, handler: Any) -> None:
        raise NotAuthorizedException("members only")

    @websocket("/private", guards=[members_only])
    async def private(socket: WebSocket) -> None:
        await socket.accept()

    @websocket("/early-close")
    async def early_close(socket: WebSocket) -> None:
        await socket.close()

    @websocket("/bug")
    async def bug(socket: WebSocket) -> None:
        await socket.accept()
        raise RuntimeError("handler bug")

    @websocket("/done")
    async def done(socket: WebSocket) -> None:
        await socket.send_text("that is all")

    return TrioWeb([echo, json_listener, close, ticks, protocols, private, early_close, bug, done])


async def rejection(url: str) -> tuple[int, bytes]:
    """The status and body with which the server refused the handshake.

    trio-websocket 0.12 also leaves the socket of a rejected handshake for the garbage
    collector; it is collected here, with its ResourceWarning silenced (a client defect).
    """
    try:
        async with open_websocket_url(url):
            raise AssertionError("the handshake was accepted")
    except ConnectionRejected as exc:
        outcome = (exc.status_code, exc.body or b"")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    return outcome


async def closed_reason(connection: Any) -> tuple[int, str | None]:
    with trio.fail_after(WAIT), pytest.raises(ConnectionClosed) as info:
        while True:
            await connection.get_message()
    assert info.value.reason is not None
    return info.value.reason.code, info.value.reason.reason


async def test_echo_text_binary_and_client_close_observed() -> None:
    observed = Observed()
    async with open_server(build_app(observed)) as base:
        async with open_websocket_url(ws_url(base, "/echo")) as ws:
            await ws.send_message("hello")
            assert await ws.get_message() == "hello"
            await ws.send_message(b"\x00\x01\xff")
            assert await ws.get_message() == b"\x00\x01\xff"
        events = await observed.wait()
    # hypercorn reports a clean client close as 1000 or 1006 (hypercorn#127)
    assert events in ([("left", 1000)], [("left", 1006)])


async def test_json_listener() -> None:
    async with open_server(build_app(Observed())) as base:
        async with open_websocket_url(ws_url(base, "/json")) as ws:
            await ws.send_message('{"a": 2, "b": 5}')
            assert await ws.get_message() == '{"a":4,"b":10}'


async def test_server_close_with_code_and_reason() -> None:
    async with open_server(build_app(Observed())) as base:
        async with open_websocket_url(ws_url(base, "/close")) as ws:
            assert await closed_reason(ws) == (4321, "see you")


async def test_returning_closes_1000_and_an_error_closes_1011_server_stays_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with open_server(build_app(Observed())) as base:
        async with open_websocket_url(ws_url(base, "/bug")) as ws:
            assert (await closed_reason(ws))[0] == 1011
        async with open_websocket_url(ws_url(base, "/done")) as ws:
            assert await ws.get_message() == "that is all"
            assert (await closed_reason(ws))[0] == 1000
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "trioweb"]
    assert [r.exc_info[0] for r in errors if r.exc_info] == [RuntimeError]


async def test_abrupt_client_drop_cancels_the_connection_tasks() -> None:
    observed = Observed()
    async with open_server(build_app(observed)) as base:
        port = int(base.rsplit(":", 1)[1])
        sock = stdlib_socket.create_connection(("127.0.0.1", port))
        stream = trio.SocketStream(trio.socket.from_stdlib_socket(sock))
        client = WSConnection(ConnectionType.CLIENT)
        await stream.send_all(client.send(Request(host="127.0.0.1", target="/ticks")))
        with trio.fail_after(WAIT):
            accepted = False
            while not accepted:
                client.receive_data(await stream.receive_some())
                accepted = any(isinstance(e, AcceptConnection) for e in client.events())
            await stream.receive_some()  # a tick arrived: the forwarder is running
        # SO_LINGER 0 turns close() into a TCP reset: no close frame, no FIN.
        sock.setsockopt(stdlib_socket.SOL_SOCKET, stdlib_socket.SO_LINGER, struct.pack("ii", 1, 0))
        await stream.aclose()
        events = await observed.wait()
    assert sorted(events) == ["client gone", "forwarder finally", "handler finally"]


async def test_oversized_message_closes_1009_and_the_handler_sees_the_disconnect() -> None:
    observed = Observed()
    async with open_server(build_app(observed), websocket_max_message_size=1024) as base:
        async with open_websocket_url(ws_url(base, "/echo")) as ws:
            await ws.send_message("x" * 100)
            assert await ws.get_message() == "x" * 100
            await ws.send_message("x" * 2048)
            assert (await closed_reason(ws))[0] == 1009
        assert (await observed.wait())[0][0] == "left"


async def test_subprotocol_negotiation() -> None:
    async with open_server(build_app(Observed())) as base:
        async with open_websocket_url(
            ws_url(base, "/protocols"), subprotocols=["soap", "wamp"]
        ) as ws:
            assert ws.subprotocol == "wamp"
            assert await ws.get_message() == "soap,wamp"


async def test_rejections_are_real_http_responses() -> None:
    async with open_server(build_app(Observed())) as base:
        guarded = await rejection(ws_url(base, "/private"))
        missing = await rejection(ws_url(base, "/nowhere"))
        closed_early = await rejection(ws_url(base, "/early-close"))
    assert guarded == (401, b'{"status_code":401,"detail":"members only"}')
    assert missing[0] == 404
    assert closed_early[0] == 403  # hypercorn's answer to a close before accept


def live_tasks() -> int:
    """Every task of this trio run: the test's, the server's and the app's."""
    count = 0
    pending = [trio.lowlevel.current_root_task()]
    while pending:
        task = pending.pop()
        count += 1
        for nursery in task.child_nurseries:
            pending.extend(nursery.child_tasks)
    return count


async def talk_then_leave(port: int, index: int) -> None:
    """One raw client: handshake, one echo, then a close frame or (every third) a TCP reset."""
    sock = stdlib_socket.create_connection(("127.0.0.1", port))
    stream = trio.SocketStream(trio.socket.from_stdlib_socket(sock))
    client = WSConnection(ConnectionType.CLIENT)
    try:
        await stream.send_all(client.send(Request(host="127.0.0.1", target="/room")))
        echoed = False
        while not echoed:
            data = await stream.receive_some()
            assert data, "the server closed the connection"
            client.receive_data(data)
            for event in client.events():
                if isinstance(event, AcceptConnection):
                    await stream.send_all(client.send(TextMessage(f"hello {index}")))
                echoed = echoed or isinstance(event, TextMessage)
        if index % 3 == 0:
            sock.setsockopt(
                stdlib_socket.SOL_SOCKET, stdlib_socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
        else:
            await stream.send_all(client.send(CloseConnection(1000)))
            with contextlib.suppress(trio.BrokenResourceError):
                while await stream.receive_some():
                    pass
    finally:
        await stream.aclose()


async def test_hundreds_of_real_connections_leave_no_task_behind() -> None:
    # Each connection runs the chat shape: a forwarder task in the connection's nursery
    # and the handler reading; a third of the clients vanish with a TCP reset.
    finished = 0

    async def forward(socket: WebSocket, inbox: trio.MemoryReceiveChannel[str]) -> None:
        async for line in inbox:
            await socket.send_text(line)

    @websocket("/room")
    async def room(socket: WebSocket, nursery: trio.Nursery) -> None:
        nonlocal finished
        send, inbox = trio.open_memory_channel[str](4)
        await socket.accept()
        nursery.start_soon(forward, socket, inbox)
        try:
            async for text in socket.iter_data():
                await send.send(text)
        finally:
            finished += 1

    total = 300
    async with open_server(TrioWeb([room])) as base:
        port = int(base.rsplit(":", 1)[1])
        await talk_then_leave(port, 1)  # warm up
        with trio.fail_after(WAIT):
            while finished < 1:
                await trio.sleep(0.01)
        await trio.testing.wait_all_tasks_blocked()
        baseline = live_tasks()
        limit = trio.Semaphore(50)

        async def one(index: int) -> None:
            async with limit:
                with trio.fail_after(WAIT):
                    await talk_then_leave(port, index)

        async with trio.open_nursery() as clients:
            for index in range(total):
                clients.start_soon(one, index)
        with trio.fail_after(WAIT):
            while finished < total + 1 or live_tasks() > baseline:
                await trio.sleep(0.02)
        assert live_tasks() == baseline
