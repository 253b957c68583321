"""Disconnects in-process: ``cancel_on_disconnect``, the nursery idiom, and nothing leaking."""

from __future__ import annotations

import gc
import inspect
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing
from typing import Any

import pytest
import trio
import trio.testing

from trioweb import Controller, Request, Router, TrioWeb, get, post
from trioweb.response import ServerSentEvent, Stream
from trioweb.testing import AsyncTestClient, aiter_chunks


async def _leave_during_handler(
    client: AsyncTestClient[Any], path: str, entered: trio.Event
) -> None:
    """Start a request, wait until the handler runs, then give up as the client."""
    async with trio.open_nursery() as nursery:
        nursery.start_soon(client.get, path)
        with trio.fail_after(2):
            await entered.wait()
        nursery.cancel_scope.cancel()


async def test_cancel_on_disconnect_is_layered() -> None:
    log: list[str] = []
    events: dict[str, trio.Event] = {
        name: trio.Event() for name in ("app", "router", "ctl", "off", "default")
    }

    async def slow(name: str) -> str:
        events[name].set()
        try:
            await trio.sleep(0.2)
        except trio.Cancelled:
            log.append(f"{name} cancelled")
            raise
        log.append(f"{name} finished")
        return name

    @get("/app")
    async def app_level() -> str:
        return await slow("app")

    @get("/off", cancel_on_disconnect=False)
    async def handler_off() -> str:
        return await slow("off")

    @get("/router")
    async def router_level() -> str:
        return await slow("router")

    @get("/default")
    async def default() -> str:
        return await slow("default")

    class Ctl(Controller):
        path = "/ctl"
        cancel_on_disconnect = True

        @get()
        async def controller_level(self) -> str:
            return await slow("ctl")

    cancelling_app = TrioWeb([app_level, handler_off], cancel_on_disconnect=True)
    layered_app = TrioWeb(
        [Router("/r", route_handlers=[router_level], cancel_on_disconnect=True), Ctl, default]
    )
    async with AsyncTestClient(cancelling_app) as client:
        await _leave_during_handler(client, "/app", events["app"])
        await _leave_during_handler(client, "/off", events["off"])
    async with AsyncTestClient(layered_app) as client:
        await _leave_during_handler(client, "/r/router", events["router"])
        await _leave_during_handler(client, "/ctl", events["ctl"])
        await _leave_during_handler(client, "/default", events["default"])
    # the test client waits for every app call, so every handler has ended by now
    assert sorted(log) == [
        "app cancelled",
        "ctl cancelled",
        "default finished",  # off by default: the handler runs on, its answer is dropped
        "off finished",
        "router cancelled",
    ]


async def test_cancel_on_disconnect_keeps_the_request_body_readable() -> None:
    @post("/echo", cancel_on_disconnect=True, media_type="text/plain")
    async def echo(request: Request[Any, Any, Any]) -> bytes:
        return await request.body()

    @post("/stream", cancel_on_disconnect=True, media_type="text/plain")
    async def stream(request: Request[Any, Any, Any]) -> bytes:
        return b"|".join([chunk async for chunk in request.stream() if chunk])

    async def chunks() -> AsyncIterator[bytes]:
        for part in (b"a" * 10, b"b" * 10):
            yield part

    async with AsyncTestClient(TrioWeb([echo, stream])) as client:
        assert (await client.post("/echo", content=b"x" * 100_000)).content == b"x" * 100_000
        streamed = await client.post("/stream", content=chunks())
    assert streamed.content.replace(b"|", b"") == b"a" * 10 + b"b" * 10


async def test_a_completed_response_cancels_nothing_in_the_connection_nursery() -> None:
    # hypercorn (and the test client) sends http.disconnect right after a complete response:
    # that one must not cancel what the handler started
    finished = trio.Event()

    @get("/", media_type="text/plain")
    async def handler(nursery: trio.Nursery) -> str:
        async def after_the_response() -> None:
            await trio.sleep(0.05)
            finished.set()

        nursery.start_soon(after_the_response)
        return "accepted"

    async with AsyncTestClient(TrioWeb([handler])) as client:
        assert (await client.get("/")).text == "accepted"
    assert finished.is_set()


# -- the trio-native idiom -------------------------------------------------------------------


def _feed_app(
    log: list[str], channels: list[trio.MemoryReceiveChannel[str]], count: int | None
) -> TrioWeb:
    @get("/feed")
    async def feed(nursery: trio.Nursery) -> Stream:
        send_channel, receive_channel = trio.open_memory_channel[str](0)
        channels.append(receive_channel)

        async def produce() -> None:
            try:
                async with send_channel:
                    n = 0
                    while count is None or n < count:
                        await send_channel.send(f"{n}\n")
                        n += 1
                        await trio.sleep(0.001)
                log.append("producer finished")
            except trio.Cancelled:
                log.append("producer cancelled")
                raise

        nursery.start_soon(produce)
        return Stream(receive_channel, media_type="text/plain")

    return TrioWeb([feed])


async def test_nursery_idiom_streams_until_the_producer_closes_its_end() -> None:
    log: list[str] = []
    channels: list[trio.MemoryReceiveChannel[str]] = []
    async with AsyncTestClient(_feed_app(log, channels, count=3)) as client:
        response = await client.get("/feed")
    assert response.text == "0\n1\n2\n"
    assert log == ["producer finished"]


async def test_nursery_idiom_disconnect_cancels_the_producer_and_closes_the_channel() -> None:
    log: list[str] = []
    channels: list[trio.MemoryReceiveChannel[str]] = []
    async with AsyncTestClient(_feed_app(log, channels, count=None)) as client:
        async with client.stream("GET", "/feed") as response:
            assert await aiter_chunks(response).__anext__() == b"0\n"
    assert log == ["producer cancelled"]
    with pytest.raises(trio.ClosedResourceError):
        channels[0].receive_nowait()


# -- nothing leaks ----------------------------------------------------------------------------


def _live_tasks() -> int:
    count = 0
    # this test's task and everything below it (trio's own system tasks come and go)
    stack = [trio.lowlevel.current_task()]
    while stack:
        task = stack.pop()
        count += 1
        for nursery in task.child_nurseries:
            stack.extend(nursery.child_tasks)
    return count


async def _settle() -> None:
    """Let connections that are closing finish (their tasks end within a few passes)."""
    await trio.testing.wait_all_tasks_blocked(cushion=0.01)


def _live_generators(*functions: Any) -> int:
    codes = {function.__code__ for function in functions}
    gc.collect()
    live = 0
    for obj in gc.get_objects():
        if inspect.isasyncgen(obj):
            live += obj.ag_code in codes and obj.ag_frame is not None
        elif inspect.isgenerator(obj):
            live += obj.gi_code in codes and obj.gi_frame is not None
    return live


async def _endless_async(open_count: list[int]) -> AsyncIterator[bytes]:
    open_count[0] += 1
    try:
        while True:
            yield b"x" * 100
            await trio.sleep(0.0005)
    finally:
        open_count[0] -= 1


def _endless_sync(open_count: list[int]) -> Iterator[bytes]:
    open_count[0] += 1
    try:
        while True:
            yield b"y" * 100
    finally:
        open_count[0] -= 1


async def test_hundreds_of_abandoned_streams_leave_no_task_and_no_generator() -> None:
    open_count = [0]

    @get("/async")
    async def async_stream() -> Stream:
        return Stream(_endless_async(open_count))

    @get("/sync")
    def sync_stream() -> Stream:
        return Stream(_endless_sync(open_count))

    @get("/sse", cancel_on_disconnect=True)
    async def sse() -> ServerSentEvent:
        return ServerSentEvent(_endless_async(open_count), ping_interval=0.001)

    @get("/feed")
    async def feed(nursery: trio.Nursery) -> Stream:
        send_channel, receive_channel = trio.open_memory_channel[bytes](0)

        async def produce() -> None:
            # a generator driven by user code is the user's to close (trio's rule)
            async with send_channel, aclosing(_endless_async(open_count)) as chunks:
                async for chunk in chunks:
                    await send_channel.send(chunk)

        nursery.start_soon(produce)
        return Stream(receive_channel)

    paths = ["/async", "/sync", "/sse", "/feed"]
    async with AsyncTestClient(TrioWeb([async_stream, sync_stream, sse, feed])) as client:
        # warm up once per kind (thread pool, caches), then take the baseline
        for path in paths:
            async with client.stream("GET", path) as response:
                await aiter_chunks(response).__anext__()
        await _settle()
        baseline_tasks = _live_tasks()

        async def abandon(path: str) -> None:
            async with client.stream("GET", path) as response:
                await aiter_chunks(response).__anext__()

        with trio.fail_after(20):
            for _ in range(10):
                async with trio.open_nursery() as nursery:
                    for i in range(40):
                        nursery.start_soon(abandon, paths[i % len(paths)])
        await _settle()
        assert _live_tasks() == baseline_tasks
    assert open_count == [0]
    assert _live_generators(_endless_async, _endless_sync) == 0
