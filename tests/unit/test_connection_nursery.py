"""The connection nursery: who owns which task, and what a disconnect cancels."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
import trio
import trio.testing

from trioweb import TrioWeb, get, post
from trioweb.response import Stream
from trioweb.testing import AsyncTestClient


def _live_tasks() -> int:
    count = 0
    stack = [trio.lowlevel.current_root_task()]
    while stack:
        task = stack.pop()
        count += 1
        for nursery in task.child_nurseries:
            stack.extend(nursery.child_tasks)
    return count


async def test_plain_response_starts_no_task() -> None:
    entry: list[tuple[trio.lowlevel.Task, int]] = []
    seen: list[tuple[trio.lowlevel.Task, int]] = []

    def here() -> tuple[trio.lowlevel.Task, int]:
        task = trio.lowlevel.current_task()
        return task, len(task.child_nurseries)

    @get("/")
    async def handler() -> dict[str, int]:
        seen.append(here())
        return {"ok": 1}

    app = TrioWeb([handler])

    async def asgi(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http":
            entry.append(here())
        await app(scope, receive, send)

    async with AsyncTestClient(asgi) as client:
        response = await client.get("/")
    assert response.json() == {"ok": 1}
    # the handler ran in the ASGI call's own task, and no nursery was opened around it
    assert seen == entry


async def test_handler_can_spawn_tasks_that_finish_with_the_connection() -> None:
    finished = trio.Event()

    @post("/work", status_code=202)
    async def handler(nursery: trio.Nursery) -> str:
        async def later() -> None:
            await trio.sleep(0.01)
            finished.set()

        nursery.start_soon(later)
        return "accepted"

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.post("/work")
        assert response.status_code == 202
        with trio.fail_after(2):
            await finished.wait()


async def test_disconnect_cancels_spawned_tasks_and_stream() -> None:
    producer_done = trio.Event()
    producer_cancelled = trio.Event()
    stream_closed = trio.Event()

    @get("/feed")
    async def feed(nursery: trio.Nursery) -> Stream:
        send, receive = trio.open_memory_channel[str](0)

        async def produce() -> None:
            try:
                async with send:
                    for i in range(10_000):
                        await send.send(f"{i}\n")
                        await trio.sleep(0.001)
            except trio.Cancelled:
                producer_cancelled.set()
                raise
            finally:
                producer_done.set()

        async def consume():  # type: ignore[no-untyped-def]
            try:
                async with receive:
                    async for item in receive:
                        yield item
            finally:
                stream_closed.set()

        nursery.start_soon(produce)
        return Stream(consume())

    async with AsyncTestClient(TrioWeb([feed])) as client:
        async with client.stream("GET", "/feed") as response:
            async for chunk in response.aiter_bytes():
                assert chunk.startswith(b"0")
                break
        with trio.fail_after(2):
            await producer_done.wait()
            await stream_closed.wait()
    assert producer_cancelled.is_set()


async def test_cancel_on_disconnect_cancels_a_slow_handler() -> None:
    started = trio.Event()
    cancelled = trio.Event()

    @get("/slow", cancel_on_disconnect=True)
    async def slow() -> str:
        started.set()
        try:
            await trio.sleep_forever()
        finally:
            cancelled.set()
        return "never"  # pragma: no cover

    app = TrioWeb([slow])
    async with AsyncTestClient(app) as client:
        async with trio.open_nursery() as nursery:

            async def request() -> None:
                with trio.move_on_after(10):
                    await client.get("/slow")

            nursery.start_soon(request)
            await started.wait()
            nursery.cancel_scope.cancel()  # the client gives up: the transport sends http.disconnect
        with trio.fail_after(2):
            await cancelled.wait()


async def test_a_failing_spawned_task_answers_500_and_the_app_keeps_serving() -> None:
    @get("/boom")
    async def boom(nursery: trio.Nursery) -> str:
        async def fail() -> None:
            raise RuntimeError("background failure")

        nursery.start_soon(fail)
        await trio.sleep(1)
        return "unreachable"

    @get("/ok")
    async def ok() -> str:
        return "fine"

    async with AsyncTestClient(TrioWeb([boom, ok])) as client:
        response = await client.get("/boom")
        assert response.status_code == 500
        assert response.json() == {"status_code": 500, "detail": "Internal Server Error"}
        assert (await client.get("/ok")).text == "fine"


async def test_no_task_outlives_its_connection() -> None:
    @get("/spawn")
    async def spawn(nursery: trio.Nursery) -> str:
        nursery.start_soon(trio.sleep, 0.001)
        return "ok"

    async with AsyncTestClient(TrioWeb([spawn])) as client:
        await client.get("/spawn")
        await trio.sleep(0.05)
        baseline = _live_tasks()
        for _ in range(50):
            assert (await client.get("/spawn")).text == "ok"
        await trio.sleep(0.05)
        assert _live_tasks() == baseline


async def test_an_aborted_stream_cancels_the_tasks_the_handler_started(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The response is over when its stream aborts: the producer and its siblings end with it,
    # and the one error logged is the stream's (not a BrokenResourceError from the producer).
    log: list[str] = []

    @get("/feed")
    async def feed(nursery: trio.Nursery) -> Stream:
        send_channel, receive_channel = trio.open_memory_channel[Any](0)

        async def produce() -> None:
            try:
                async with send_channel:
                    await send_channel.send(b"ok")
                    await send_channel.send({"not": "bytes"})  # the stream cannot encode it
                    await send_channel.send(b"never sent")
            finally:
                log.append("producer finally")

        async def sibling() -> None:
            try:
                await trio.sleep(60)
            except trio.Cancelled:
                log.append("sibling cancelled")
                raise

        nursery.start_soon(produce)
        nursery.start_soon(sibling)
        return Stream(receive_channel)

    async with AsyncTestClient(TrioWeb([feed])) as client:
        with caplog.at_level(logging.ERROR), trio.fail_after(5):
            async with client.stream("GET", "/feed") as response:
                with pytest.raises(httpx.RemoteProtocolError):
                    await response.aread()
        assert sorted(log) == ["producer finally", "sibling cancelled"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        "error while streaming a response; the response was aborted"
    ]
