"""The WebSocket connection nursery: receive loop, spawned tasks, disconnects, nothing leaks."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import trio
import trio.lowlevel
import trio.testing

from trioweb import TrioWeb, WebSocket, asgi, websocket, websocket_listener
from trioweb._lifecycle import DISCONNECT_GRACE
from trioweb.di import Provide
from trioweb.exceptions import WebSocketDisconnect
from trioweb.testing import AsyncTestClient


def live_tasks() -> int:
    """Every task of this trio run (walks the task tree from the root)."""
    count = 0
    pending = [trio.lowlevel.current_root_task()]
    while pending:
        task = pending.pop()
        count += 1
        for nursery in task.child_nurseries:
            pending.extend(nursery.child_tasks)
    return count


async def test_tasks_the_handler_started_are_cancelled_when_the_client_leaves() -> None:
    events: list[str] = []
    done = trio.Event()
    room_send, room_receive = trio.open_memory_channel[str](10)

    forwarder_done = trio.Event()

    async def forward(socket: WebSocket) -> None:
        try:
            async for line in room_receive:
                await socket.send_text(line)
        finally:
            events.append("forwarder finally")
            forwarder_done.set()

    @websocket("/")
    async def handler(socket: WebSocket, nursery: trio.Nursery) -> None:
        await socket.accept()
        nursery.start_soon(forward, socket)
        try:
            async for text in socket.iter_data():
                await room_send.send(f"echo {text}")
            # the handler is still running: its task was cancelled when the client left
            with trio.fail_after(1):
                await forwarder_done.wait()
            events.append("handler saw the forwarder end")
        finally:
            events.append("handler finally")
            done.set()

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect("/") as ws:
            await ws.send_text("hi")
            assert await ws.receive_text() == "echo hi"
        await done.wait()
    assert events == ["forwarder finally", "handler saw the forwarder end", "handler finally"]


async def test_a_handler_that_does_not_receive_is_cancelled_after_the_grace(
    autojump_clock: Any,
) -> None:
    left_at: list[float] = []
    cancelled_at: list[float] = []

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        try:
            await trio.sleep_forever()  # e.g. waiting on a channel that never delivers
        finally:
            cancelled_at.append(trio.current_time())

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect("/"):
            await trio.sleep(3)
            left_at.append(trio.current_time())
    assert cancelled_at[0] - left_at[0] == pytest.approx(DISCONNECT_GRACE, abs=0.01)


async def test_litestar_style_disconnect_handling_runs_before_anything_is_cancelled() -> None:
    events: list[str] = []
    done = trio.Event()

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        try:
            while True:
                await socket.receive_text()
        except WebSocketDisconnect as exc:
            await trio.sleep(0)  # awaiting in the handler after the disconnect still works
            events.append(f"left with {exc.code}")
        done.set()

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect("/") as ws:
            await ws.close(4000)
        await done.wait()
    assert events == ["left with 4000"]


async def test_messages_sent_before_leaving_are_all_delivered_first() -> None:
    got: list[str] = []
    done = trio.Event()

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        await socket.receive_text()  # "go": from here on, read what was queued meanwhile
        got.extend([m async for m in socket.iter_data()])
        done.set()

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect("/") as ws:
            for i in range(40):  # more than the receive loop buffers
                await ws.send_text(str(i) if i else "go")
        await done.wait()
    assert got == [str(i) for i in range(1, 40)]


async def test_returning_closes_1000_and_cancels_the_tasks_still_running() -> None:
    cancelled = trio.Event()

    async def ticker(socket: WebSocket) -> None:
        try:
            await trio.sleep_forever()
        finally:
            cancelled.set()

    @websocket("/")
    async def handler(socket: WebSocket, nursery: trio.Nursery) -> None:
        await socket.accept()
        nursery.start_soon(ticker, socket)
        await socket.send_text("bye")

    async with AsyncTestClient(TrioWeb([handler])) as client, client.websocket_connect("/") as ws:
        assert await ws.receive_text() == "bye"
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive_text()
        assert info.value.code == 1000
        await cancelled.wait()


async def test_an_error_in_a_spawned_task_closes_1011_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    handler_cancelled = trio.Event()

    async def broken() -> None:
        raise ZeroDivisionError

    @websocket("/")
    async def handler(socket: WebSocket, nursery: trio.Nursery) -> None:
        await socket.accept()
        nursery.start_soon(broken)
        try:
            await socket.receive_text()
        except trio.Cancelled:
            handler_cancelled.set()
            raise

    async with AsyncTestClient(TrioWeb([handler])) as client, client.websocket_connect("/") as ws:
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive_text()
    assert info.value.code == 1011
    assert handler_cancelled.is_set()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.exc_info[0] for r in errors if r.exc_info] == [ZeroDivisionError]


async def test_a_user_nursery_that_ends_with_the_disconnect_is_not_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    done = trio.Event()

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(socket.receive_text)
                await socket.receive_bytes()
        finally:
            done.set()

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect("/"):
            pass
        await done.wait()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_starting_a_task_after_the_client_left_does_not_raise() -> None:
    outcome: list[str] = []
    done = trio.Event()

    async def late() -> None:
        try:
            await trio.sleep_forever()
        finally:
            outcome.append("late task cancelled")

    @websocket("/")
    async def handler(socket: WebSocket, nursery: trio.Nursery) -> None:
        await socket.accept()
        with pytest.raises(WebSocketDisconnect):
            await socket.receive_text()
        nursery.start_soon(late)
        await trio.sleep(0)
        outcome.append("handler done")
        done.set()

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect("/"):
            pass
        await done.wait()
    assert "handler done" in outcome


async def test_hundreds_of_connections_leave_no_task_behind() -> None:
    room_send, room_receive = trio.open_memory_channel[str](0)

    async def forward(socket: WebSocket) -> None:
        async for line in room_receive.clone():
            await socket.send_text(line)

    @websocket("/")
    async def handler(socket: WebSocket, nursery: trio.Nursery) -> None:
        await socket.accept()
        nursery.start_soon(forward, socket)
        nursery.start_soon(trio.sleep_forever)
        async for text in socket.iter_data():
            await socket.send_text(text)

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect("/") as ws:  # warm up the client's own tasks
            await ws.send_text("warm")
            await ws.receive_text()
        await trio.testing.wait_all_tasks_blocked()
        baseline = live_tasks()
        peak = 0
        for _ in range(300):
            async with client.websocket_connect("/") as ws:
                await ws.send_text("x")
                assert await ws.receive_text() == "x"
                peak = max(peak, live_tasks())
        await trio.testing.wait_all_tasks_blocked()
        assert peak > baseline  # the check can see a connection's tasks
        assert live_tasks() == baseline


async def test_a_dependency_or_a_listener_hook_that_takes_the_nursery_gets_one() -> None:
    # The handler functions take no nursery themselves: what they call does.
    cancelled: list[str] = []

    async def watch(name: str) -> None:
        try:
            await trio.sleep_forever()
        finally:
            cancelled.append(name)

    def watcher(nursery: trio.Nursery) -> str:
        nursery.start_soon(watch, "dependency task")
        return "watching"

    @websocket("/dependency", dependencies={"watcher": Provide(watcher, sync_to_thread=False)})
    async def handler(socket: WebSocket, watcher: str) -> None:
        await socket.send_text(watcher)
        async for _ in socket.iter_data():
            pass

    async def on_accept(socket: WebSocket, nursery: trio.Nursery) -> None:
        nursery.start_soon(watch, "hook task")

    @websocket_listener("/listener", on_accept=on_accept)
    async def listener(data: str) -> str:
        return data

    async with AsyncTestClient(TrioWeb([handler, listener])) as client:
        async with client.websocket_connect("/dependency") as ws:
            assert await ws.receive_text() == "watching"
        async with client.websocket_connect("/listener") as ws:
            await ws.send_text("hi")
            assert await ws.receive_text() == "hi"
        with trio.fail_after(2):
            while len(cancelled) < 2:
                await trio.sleep(0.01)
    assert sorted(cancelled) == ["dependency task", "hook task"]


async def test_an_idle_connection_runs_one_task_more_than_a_raw_asgi_app() -> None:
    # What an idle WebSocket costs: the receive loop, plus the task nursery only when the
    # handler takes one (see trioweb/_lifecycle/_websocket.py).
    @asgi("/raw")
    async def raw(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        while (await receive())["type"] != "websocket.disconnect":
            await send({"type": "websocket.send", "text": "x"})

    @websocket("/plain")
    async def plain(socket: WebSocket) -> None:
        async for _ in socket.iter_data():
            await socket.send_text("x")

    @websocket("/tasks")
    async def with_tasks(socket: WebSocket, nursery: trio.Nursery) -> None:
        async for _ in socket.iter_data():
            await socket.send_text("x")

    idle = 20

    async def tasks_per_connection(client: AsyncTestClient, path: str) -> float:
        async with trio.open_nursery() as nursery:
            ready = trio.Semaphore(0)
            leave = trio.Event()

            async def hold() -> None:
                async with client.websocket_connect(path) as ws:
                    await ws.send_text("ping")
                    await ws.receive_text()
                    ready.release()
                    await leave.wait()

            await trio.testing.wait_all_tasks_blocked()
            before = live_tasks()
            for _ in range(idle):
                nursery.start_soon(hold)
            for _ in range(idle):
                await ready.acquire()
            await trio.testing.wait_all_tasks_blocked()
            during = live_tasks()
            leave.set()
        return (during - before) / idle

    async with AsyncTestClient(TrioWeb([raw, plain, with_tasks])) as client:
        raw_cost = await tasks_per_connection(client, "/raw")
        assert await tasks_per_connection(client, "/plain") == raw_cost + 1
        assert await tasks_per_connection(client, "/tasks") == raw_cost + 2
