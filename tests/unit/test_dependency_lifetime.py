"""Generator dependencies live until the response is fully sent, streams and SSE included.

Litestar tears them down before the first body byte of a stream; here the cleanup runs after
the final body message went out, or after the client left, and its errors are logged.
"""

from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import trio
import trio.testing

from trioweb import TrioWeb, get
from trioweb._kwargs import DEPENDENCY_CLEANUP_TIMEOUT
from trioweb.di import Provide
from trioweb.response import ServerSentEvent, Stream
from trioweb.testing import AsyncTestClient
from trioweb.types import Message, Receive, Scope, Send


class Session:
    """A stand-in for a database session: usable until closed, records what happens."""

    def __init__(self, events: list[str]) -> None:
        self.events = events
        self.closed = False

    async def query(self, n: int) -> str:
        assert not self.closed, "the session was closed while still in use"
        await trio.sleep(0)
        return f"row {n}"


def session_dependency(events: list[str]) -> Provide:
    async def provide_session() -> AsyncIterator[Session]:
        session = Session(events)
        events.append("open")
        try:
            yield session
        except Exception as exc:
            events.append(f"rollback: {exc}")
            raise
        else:
            events.append("commit")
        finally:
            session.closed = True
            events.append("close")

    return Provide(provide_session)


def recording(app: TrioWeb, events: list[str]) -> Any:
    """``app`` with every final body message recorded in ``events`` as it is sent."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        async def record(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                events.append("final body sent")

        await app(scope, receive, record if scope["type"] == "http" else send)

    return wrapped


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_stream_uses_the_session_and_cleanup_follows_the_last_byte(
    cancel_on_disconnect: bool,
) -> None:
    events: list[str] = []

    @get(
        "/rows",
        dependencies={"session": session_dependency(events)},
        cancel_on_disconnect=cancel_on_disconnect,
    )
    async def rows(session: Session) -> Stream:
        async def produce() -> AsyncIterator[str]:
            for n in range(3):
                yield await session.query(n) + "\n"

        return Stream(produce())

    async with AsyncTestClient(recording(TrioWeb([rows]), events)) as client:
        response = await client.get("/rows")
    assert response.text == "row 0\nrow 1\nrow 2\n"
    assert events == ["open", "final body sent", "commit", "close"]


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_cleanup_runs_when_the_client_leaves_mid_stream(cancel_on_disconnect: bool) -> None:
    events: list[str] = []
    stream_closed = trio.Event()

    @get(
        "/forever",
        dependencies={"session": session_dependency(events)},
        cancel_on_disconnect=cancel_on_disconnect,
    )
    async def forever(session: Session) -> Stream:
        async def produce() -> AsyncIterator[str]:
            try:
                n = 0
                while True:
                    yield await session.query(n)
                    n += 1
                    await trio.sleep(0.01)
            finally:
                events.append("stream closed")
                stream_closed.set()

        return Stream(produce())

    async with AsyncTestClient(TrioWeb([forever])) as client:
        async with client.stream("GET", "/forever") as response:
            assert (await anext(response.aiter_raw())) == b"row 0"
        with trio.fail_after(5):
            await stream_closed.wait()
    assert events[0] == "open"
    assert events[-3:] == ["stream closed", "commit", "close"]


async def test_server_sent_events_keep_the_session() -> None:
    events: list[str] = []

    @get("/events", dependencies={"session": session_dependency(events)})
    async def stream_events(session: Session) -> ServerSentEvent:
        async def produce() -> AsyncIterator[str]:
            for n in range(2):
                yield await session.query(n)

        return ServerSentEvent(produce())

    async with AsyncTestClient(recording(TrioWeb([stream_events]), events)) as client:
        response = await client.get("/events")
    assert "data: row 1" in response.text
    assert events == ["open", "final body sent", "commit", "close"]


async def test_handler_error_is_thrown_into_the_dependency() -> None:
    events: list[str] = []

    @get("/fail", dependencies={"session": session_dependency(events)})
    async def fail(session: Session) -> str:
        raise RuntimeError("no such row")

    async with AsyncTestClient(recording(TrioWeb([fail]), events)) as client:
        response = await client.get("/fail")
    assert response.status_code == 500
    assert events == ["open", "final body sent", "rollback: no such row", "close"]


async def test_cleanup_errors_are_logged_not_lost(caplog: pytest.LogCaptureFixture) -> None:
    async def broken() -> AsyncIterator[int]:
        yield 1
        raise OSError("connection reset during close")

    def sync_resource() -> Iterator[str]:
        yield "r"
        raise ValueError("sync cleanup failed")

    @get(
        "/",
        dependencies={"value": Provide(broken), "other": Provide(sync_resource)},
        sync_to_thread=False,
    )
    def handler(value: int, other: str) -> str:
        return f"{value}{other}"

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.get("/")
    assert (response.status_code, response.text) == (200, "1r")
    messages = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(messages) == 2
    raised = {type(r.exc_info[1]) for r in messages if r.exc_info}
    assert raised == {OSError, ValueError}


async def test_sync_generator_dependency_in_a_stream() -> None:
    events: list[str] = []

    def resource() -> Iterator[list[str]]:
        events.append("acquire")
        yield events
        events.append("release")

    @get("/", dependencies={"log": Provide(resource)})
    async def handler(log: list[str]) -> Stream:
        def produce() -> Iterator[bytes]:
            log.append("streaming")
            yield b"x"

        return Stream(produce())

    async with AsyncTestClient(recording(TrioWeb([handler]), events)) as client:
        assert (await client.get("/")).content == b"x"
    assert events == ["acquire", "streaming", "final body sent", "release"]


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_background_tasks_run_before_the_cleanup(cancel_on_disconnect: bool) -> None:
    from trioweb.background_tasks import BackgroundTask
    from trioweb.response import Response

    events: list[str] = []

    @get(
        "/",
        dependencies={"session": session_dependency(events)},
        cancel_on_disconnect=cancel_on_disconnect,
    )
    async def handler(session: Session) -> Response[str]:
        async def audit() -> None:
            events.append(await session.query(0))

        return Response("ok", background=BackgroundTask(audit))

    async with AsyncTestClient(recording(TrioWeb([handler]), events)) as client:
        assert (await client.get("/")).text == "ok"
    assert events == ["open", "final body sent", "row 0", "commit", "close"]


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_stream_error_is_thrown_into_the_dependency(
    cancel_on_disconnect: bool, caplog: pytest.LogCaptureFixture
) -> None:
    # A stream that fails after its headers went out must not look like a success to the
    # session it used: the error is thrown in at the yield, so the dependency rolls back.
    events: list[str] = []

    @get(
        "/rows",
        dependencies={"session": session_dependency(events)},
        cancel_on_disconnect=cancel_on_disconnect,
    )
    async def rows(session: Session) -> Stream:
        async def produce() -> AsyncIterator[str]:
            yield await session.query(0)
            raise LookupError("row 1 vanished")

        return Stream(produce())

    async with AsyncTestClient(TrioWeb([rows])) as client:
        async with client.stream("GET", "/rows") as response:
            assert response.status_code == 200
            with pytest.raises(httpx.RemoteProtocolError):
                await response.aread()
    assert events == ["open", "rollback: row 1 vanished", "close"]
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [type(r.exc_info[1]) for r in logged if r.exc_info] == [LookupError]  # once


async def test_truncated_file_is_thrown_into_the_dependency() -> None:
    from trioweb.response import File

    events: list[str] = []

    class ShortFS:
        def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
            return {"name": path, "size": 10_000, "type": "file", "mtime": 1.0}

        def open(self, path: str, mode: str = "rb") -> io.BytesIO:
            return io.BytesIO(b"x" * 3_000)  # shorter than announced

    @get("/", dependencies={"session": session_dependency(events)})
    async def download(session: Session) -> File:
        return File("/mem", file_system=ShortFS(), chunk_size=1_000)

    async with AsyncTestClient(TrioWeb([download])) as client:
        async with client.stream("GET", "/") as response:
            with pytest.raises(httpx.RemoteProtocolError):
                await response.aread()
    assert events[0] == "open"
    assert events[1].startswith("rollback: ") and "shorter than announced" in events[1]
    assert events[2:] == ["close"]


async def test_a_stuck_cleanup_is_abandoned_and_logged(
    autojump_clock: trio.testing.MockClock, caplog: pytest.LogCaptureFixture
) -> None:
    finished: list[str] = []

    async def outer() -> AsyncIterator[str]:
        try:
            yield "outer"
            finished.append("outer cleanup")
        finally:
            finished.append("outer closed")

    async def stuck(outer: str) -> AsyncIterator[str]:
        yield "stuck"
        await trio.sleep_forever()  # e.g. a pool that never gives the connection back

    @get("/", dependencies={"outer": Provide(outer), "value": Provide(stuck)})
    async def handler(value: str) -> str:
        return value

    async with AsyncTestClient(TrioWeb([handler]), disconnect_timeout=60) as client:
        started = trio.current_time()
        response = await client.get("/")  # returns once the app call has returned
        waited = trio.current_time() - started
    assert (response.status_code, response.text) == (200, "stuck")
    assert waited == pytest.approx(DEPENDENCY_CLEANUP_TIMEOUT, abs=0.5)
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.getMessage().startswith(
        "the cleanup of generator dependency "
        "test_a_stuck_cleanup_is_abandoned_and_logged.<locals>.stuck did not finish within 5.0 s"
    )
    assert record.getMessage().endswith("<locals>.outer")
    # the deadline is for all of them: the next one is closed, never left to the GC
    assert finished == ["outer closed"]


async def test_handler_cancelled_by_a_disconnect_rolls_the_dependency_back() -> None:
    # cancel_on_disconnect stops the handler half-way: committing then would keep half of
    # its work, so the dependency sees ClientDisconnectedException at its yield instead
    from trioweb.connection.request import ClientDisconnectedException

    events: list[str] = []
    handler_started = trio.Event()
    hooks: list[str] = []

    @get(
        "/slow",
        dependencies={"session": session_dependency(events)},
        cancel_on_disconnect=True,
        after_response=lambda request: hooks.append("after_response"),
    )
    async def slow(session: Session) -> str:
        events.append("handler started")
        handler_started.set()
        await trio.sleep_forever()
        raise AssertionError("not reached")

    async with AsyncTestClient(TrioWeb([slow])) as client:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(client.get, "/slow")
            await handler_started.wait()
            nursery.cancel_scope.cancel()  # the client leaves
        with trio.fail_after(5):
            while events[-1] != "close":
                await trio.sleep(0.01)
    assert events == [
        "open",
        "handler started",
        f"rollback: {ClientDisconnectedException.status_code}: "
        "the client disconnected before the handler returned",
        "close",
    ]
    assert hooks == []  # after_response follows a response, and there was none


def _http_scope(path: str) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
    }


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_handler_cancelled_from_outside_closes_the_dependency_at_once(
    autojump_clock: trio.testing.MockClock, cancel_on_disconnect: bool
) -> None:
    # A server shutting down cancels the app call. The dependency is closed before the
    # call returns (its finally runs, no commit), not left for the garbage collector.
    events: list[str] = []

    @get(
        "/slow",
        dependencies={"session": session_dependency(events)},
        cancel_on_disconnect=cancel_on_disconnect,
    )
    async def slow(session: Session) -> str:
        events.append("handler started")
        await trio.sleep(60)
        return "too late"

    async def receive() -> Message:
        await trio.sleep_forever()
        raise AssertionError("not reached")

    async def send(message: Message) -> None:
        events.append(message["type"])

    with trio.move_on_after(1):
        await TrioWeb([slow])(_http_scope("/slow"), receive, send)
    events.append("app call returned")
    assert events == ["open", "handler started", "close", "app call returned"]
