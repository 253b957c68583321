"""Background tasks: every case of the policy in trioweb/background_tasks.py, in-process.

Each case runs on the three kinds of route, because they take different paths: a plain
route (no nursery), a ``cancel_on_disconnect`` route and a route that takes the connection
``nursery`` (both run in the connection nursery with a receive relay).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import trio

from trioweb import TrioWeb, get
from trioweb.background_tasks import BackgroundTask, BackgroundTasks
from trioweb.response import Stream
from trioweb.testing import AsyncTestClient, aiter_chunks

KINDS = ["plain", "cancel_on_disconnect", "nursery"]


def _route(kind: str, make: Callable[[], Any], **options: Any) -> Any:
    """A GET / handler of the given kind whose function returns ``make()``."""
    if kind == "nursery":

        async def with_nursery(nursery: trio.Nursery) -> Any:
            return await _call(make)

        return get("/", **options)(with_nursery)

    async def plain() -> Any:
        return await _call(make)

    return get("/", cancel_on_disconnect=kind == "cancel_on_disconnect", **options)(plain)


async def _call(make: Callable[[], Any]) -> Any:
    result = make()
    if hasattr(result, "__await__"):
        result = await result
    return result


class _Recorder:
    """An ASGI wrapper that logs when the final body goes out, next to the tasks' log."""

    def __init__(self, app: TrioWeb, log: list[str]) -> None:
        self.app = app
        self.log = log

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def recording_send(message: Any) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.log.append("response complete")

        await self.app(scope, receive, recording_send)


@pytest.mark.parametrize("kind", KINDS)
async def test_they_run_in_order_after_a_completed_response(kind: str) -> None:
    log: list[str] = []

    async def notify(who: str, *, greeting: str) -> None:
        await trio.sleep(0.01)  # a disconnect watcher still running would cancel this
        log.append(f"{greeting} {who}")

    def audit(what: str) -> None:
        log.append(f"audit {what} in {threading.current_thread() is threading.main_thread()}")

    handler = _route(
        kind,
        lambda: "done",
        background=BackgroundTasks(
            [BackgroundTask(notify, "ada", greeting="hello"), BackgroundTask(audit, "x")]
        ),
        media_type="text/plain",
    )
    async with AsyncTestClient(_Recorder(TrioWeb([handler]), log)) as client:
        response = await client.get("/")
    assert response.text == "done"
    assert log == ["response complete", "hello ada", "audit x in False"]


@pytest.mark.parametrize("kind", KINDS)
async def test_they_run_after_a_completed_stream(kind: str) -> None:
    log: list[str] = []

    async def after() -> None:
        await trio.sleep(0.01)
        log.append("background")

    handler = _route(kind, lambda: Stream(["a", "b"], background=BackgroundTask(after)))
    async with AsyncTestClient(_Recorder(TrioWeb([handler]), log)) as client:
        assert (await client.get("/")).content == b"ab"
    assert log == ["response complete", "background"]


@pytest.mark.parametrize("kind", KINDS)
async def test_they_run_after_the_client_left_mid_stream(kind: str) -> None:
    log: list[str] = []
    ran = trio.Event()

    async def after() -> None:
        await trio.sleep(0.01)  # runs outside the cancelled scope
        log.append("background")
        ran.set()

    async def endless() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"."
                await trio.sleep(0.001)
        finally:
            log.append("stream closed")

    handler = _route(kind, lambda: Stream(endless(), background=BackgroundTask(after)))
    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.stream("GET", "/") as response:
            assert await aiter_chunks(response).__anext__() == b"."
        with trio.fail_after(2):
            await ran.wait()
    assert log == ["stream closed", "background"]


@pytest.mark.parametrize("kind", KINDS)
async def test_they_never_run_when_the_handler_raised(kind: str) -> None:
    log: list[str] = []

    def fail() -> Any:
        raise ValueError("no")

    handler = _route(kind, fail, background=BackgroundTask(log.append, "background"))
    async with AsyncTestClient(TrioWeb([handler]), raise_server_exceptions=False) as client:
        response = await client.get("/")
    assert response.status_code == 500
    assert log == []


@pytest.mark.parametrize("kind", KINDS)
async def test_they_never_run_when_the_stream_failed(kind: str) -> None:
    log: list[str] = []

    async def broken() -> AsyncIterator[bytes]:
        yield b"partial"
        raise RuntimeError("boom")

    handler = _route(
        kind, lambda: Stream(broken(), background=BackgroundTask(log.append, "background"))
    )
    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.stream("GET", "/") as response:
            with pytest.raises(httpx.RemoteProtocolError):
                [chunk async for chunk in aiter_chunks(response)]
    assert log == []


@pytest.mark.parametrize("kind", ["cancel_on_disconnect", "nursery"])
async def test_they_never_run_when_the_client_left_during_the_handler(kind: str) -> None:
    log: list[str] = []
    entered = trio.Event()

    async def slow() -> str:
        entered.set()
        await trio.sleep_forever()
        return "never"  # pragma: no cover

    handler = _route(kind, slow, background=BackgroundTask(log.append, "background"))
    async with AsyncTestClient(TrioWeb([handler])) as client:
        with trio.move_on_after(10) as scope:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(client.get, "/")
                await entered.wait()
                nursery.cancel_scope.cancel()  # the client gives up
        assert not scope.cancelled_caught
    assert log == []


async def test_a_response_background_wins_over_the_route_background() -> None:
    log: list[str] = []

    @get("/", background=BackgroundTask(log.append, "route"), media_type="text/plain")
    async def handler() -> Stream:
        return Stream(["x"], background=BackgroundTask(log.append, "response"))

    @get("/plain", background=BackgroundTask(log.append, "route"), media_type="text/plain")
    async def plain() -> str:
        return "x"

    async with AsyncTestClient(TrioWeb([handler, plain])) as client:
        await client.get("/")
        await client.get("/plain")
    assert log == ["response", "route"]


@pytest.mark.parametrize("kind", KINDS)
async def test_a_failing_task_is_logged_the_next_ones_run_and_serving_goes_on(
    kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    log: list[str] = []

    def explode() -> None:
        raise RuntimeError("task failed")

    tasks = BackgroundTasks(
        [
            BackgroundTask(log.append, "first"),
            BackgroundTask(explode),
            BackgroundTask(log.append, "third"),
        ]
    )
    handler = _route(kind, lambda: "ok", background=tasks, media_type="text/plain")
    with caplog.at_level(logging.ERROR):
        async with AsyncTestClient(TrioWeb([handler])) as client:
            first = await client.get("/")
            second = await client.get("/")
    assert (first.text, second.text) == ("ok", "ok")
    assert log == ["first", "third", "first", "third"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 2
    assert all("explode" in r.getMessage() for r in errors)
    assert all(isinstance(r.exc_info[1], RuntimeError) for r in errors if r.exc_info)


async def test_in_a_task_group_they_run_concurrently_and_a_failure_stops_no_other(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ping, pong = trio.Event(), trio.Event()
    log: list[str] = []

    async def one() -> None:
        ping.set()
        await pong.wait()  # sequentially this would deadlock: two needs to run meanwhile
        log.append("one")

    async def two() -> None:
        await ping.wait()
        pong.set()
        log.append("two")

    async def fail() -> None:
        await ping.wait()
        raise RuntimeError("concurrent failure")

    @get(
        "/",
        media_type="text/plain",
        background=BackgroundTasks(
            [BackgroundTask(one), BackgroundTask(fail), BackgroundTask(two)],
            run_in_task_group=True,
        ),
    )
    async def handler() -> str:
        return "ok"

    with caplog.at_level(logging.ERROR):
        async with AsyncTestClient(TrioWeb([handler])) as client:
            with trio.fail_after(2):
                assert (await client.get("/")).text == "ok"
    assert sorted(log) == ["one", "two"]
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1


async def test_in_order_means_each_task_waits_for_the_previous_one() -> None:
    log: list[str] = []

    async def slow(name: str) -> None:
        log.append(f"{name} start")
        await trio.sleep(0.01)
        log.append(f"{name} end")

    @get(
        "/",
        media_type="text/plain",
        background=BackgroundTasks([BackgroundTask(slow, "a"), BackgroundTask(slow, "b")]),
    )
    async def handler() -> str:
        return "ok"

    async with AsyncTestClient(TrioWeb([handler])) as client:
        await client.get("/")
    assert log == ["a start", "a end", "b start", "b end"]


async def test_a_background_task_runs_next_to_tasks_the_handler_spawned() -> None:
    spawned_running = trio.Event()
    release = trio.Event()
    log: list[str] = []

    async def spawned() -> None:
        spawned_running.set()
        await release.wait()
        log.append("spawned done")

    async def after() -> None:
        await spawned_running.wait()
        log.append("background ran while the spawned task was running")
        release.set()

    @get("/", media_type="text/plain", background=BackgroundTask(after))
    async def handler(nursery: trio.Nursery) -> str:
        nursery.start_soon(spawned)
        return "ok"

    async with AsyncTestClient(TrioWeb([handler])) as client:
        with trio.fail_after(2):
            await client.get("/")
    assert log == ["background ran while the spawned task was running", "spawned done"]
