"""Streams on a real hypercorn trio server, read with httpx.

Real sockets, so real clocks: no ``autojump_clock`` here. ``WAIT`` bounds what should
happen "at once" on loopback.
"""

from __future__ import annotations

import gc
import inspect
import logging
import threading
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import aclosing
from typing import Any

import h2.config
import h2.connection
import h2.errors
import h2.events
import httpx
import pytest
import trio
from hypercorn.protocol.h2 import H2Protocol

from tests.integration._reading import read_all, read_until
from tests.integration._server import open_server
from trioweb import TrioWeb, get
from trioweb._lifecycle import _streaming
from trioweb.background_tasks import BackgroundTask, BackgroundTasks
from trioweb.response import ServerSentEvent, Stream

WAIT = 5.0


async def test_chunks_arrive_as_the_generator_yields_them() -> None:
    release = trio.Event()

    @get("/")
    async def handler() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            yield b"first"
            await release.wait()  # set by the client once it has read "first"
            yield b"second"

        return Stream(body())

    async with open_server(TrioWeb([handler])) as url, httpx.AsyncClient() as client:
        with trio.fail_after(WAIT):
            async with (
                client.stream("GET", url) as response,
                aclosing(response.aiter_raw()) as chunks,
            ):
                assert response.headers["transfer-encoding"] == "chunked"
                assert await anext(chunks) == b"first"
                release.set()
                assert [chunk async for chunk in chunks] == [b"second"]


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_leaving_runs_the_finally_of_async_and_sync_generators(
    cancel_on_disconnect: bool,
) -> None:
    async_closed = trio.Event()
    sync_closed = threading.Event()

    @get("/async", cancel_on_disconnect=cancel_on_disconnect)
    async def async_stream() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            try:
                while True:
                    yield b"a"
                    await trio.sleep(0.01)
            finally:
                with trio.CancelScope(shield=True):
                    await trio.sleep(0.01)  # awaiting cleanup, shielded as trio requires
                async_closed.set()

        return Stream(body())

    @get("/sync", cancel_on_disconnect=cancel_on_disconnect)
    def sync_stream() -> Stream:
        def body() -> Iterator[bytes]:
            try:
                while True:
                    yield b"s"
                    threading.Event().wait(0.01)
            finally:
                sync_closed.set()

        return Stream(body())

    async with open_server(TrioWeb([async_stream, sync_stream])) as url:
        async with httpx.AsyncClient() as client:
            for path in ("/async", "/sync"):
                async with client.stream("GET", url + path) as response:
                    await read_until(response, lambda received: len(received) >= 3)
        with trio.fail_after(WAIT):
            await async_closed.wait()
            await trio.to_thread.run_sync(sync_closed.wait)


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_a_generator_blocked_at_yield_by_a_slow_client_gets_to_await_its_cleanup(
    cancel_on_disconnect: bool,
) -> None:
    # A client that stops reading makes hypercorn's send() block (shielded) until it reads or
    # leaves: the generator then sits at its yield. When the client leaves, the stream is
    # closed with aclose(), inside a shielded, time-boxed scope: plain awaits work in finally.
    yielded = [0]
    cleaned = trio.Event()

    @get("/", cancel_on_disconnect=cancel_on_disconnect)
    async def handler() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            try:
                while True:
                    yielded[0] += 1
                    yield b"x" * 65_536
            finally:
                await trio.sleep(0.01)
                cleaned.set()

        return Stream(body())

    # A raw socket: httpx closes the connection as soon as its reader stops.
    async with open_server(TrioWeb([handler])) as url:
        port = int(url.rsplit(":", 1)[1])
        async with await trio.open_tcp_stream("127.0.0.1", port) as stream:
            await stream.send_all(b"GET / HTTP/1.1\r\nhost: test\r\n\r\n")
            assert (await stream.receive_some()).startswith(b"HTTP/1.1 200")
            # the client reads no more: once the socket buffers are full, the generator
            # stops advancing
            with trio.fail_after(WAIT):
                while True:
                    before = yielded[0]
                    await trio.sleep(0.2)
                    if yielded[0] == before:
                        break
            assert not cleaned.is_set()  # still waiting on the client
        with trio.fail_after(WAIT):
            await cleaned.wait()


async def test_an_iterator_error_breaks_the_response_is_logged_once_and_serving_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @get("/broken")
    async def broken() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            yield b"partial"
            raise RuntimeError("lost the upstream")

        return Stream(body())

    @get("/fine", media_type="text/plain")
    async def fine() -> str:
        return "fine"

    with caplog.at_level(logging.ERROR):
        async with open_server(TrioWeb([broken, fine])) as url, httpx.AsyncClient() as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(url + "/broken")
            assert (await client.get(url + "/fine")).text == "fine"
    errors = [
        r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("trioweb")
    ]
    assert len(errors) == 1
    assert "lost the upstream" in repr(errors[0].exc_info)
    assert not [r for r in caplog.records if "Error in ASGI Framework" in r.getMessage()]


BIG = bytes(range(256)) * 800  # 200 KiB


def _h2_protocols() -> list[H2Protocol]:
    return [o for o in gc.get_objects() if isinstance(o, H2Protocol)]


async def test_over_http_2_an_iterator_error_resets_that_stream_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # hypercorn alone would leave the aborted stream open: the client would wait forever
    # (trioweb._hypercorn_h2_patch resets it, as HTTP/1.1's closed connection ends it)
    ticks = trio.Event()

    @get("/broken")
    async def broken() -> ServerSentEvent:
        async def events() -> AsyncIterator[str]:
            yield "partial"
            raise RuntimeError("lost the upstream")

        return ServerSentEvent(events(), ping_interval=None)

    @get("/ticks")
    async def ticking() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            for n in range(3):
                yield b"%d," % n
                await ticks.wait()

        return Stream(body())

    @get("/big-then-broken")
    async def big_then_broken() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            yield BIG  # more than hypercorn buffers and the flow-control window
            raise RuntimeError("lost the upstream")

        return Stream(body())

    earlier = weakref.WeakSet(_h2_protocols())  # other tests' connections
    with caplog.at_level(logging.ERROR):
        async with (
            open_server(TrioWeb([broken, ticking, big_then_broken])) as url,
            httpx.AsyncClient(http1=False, http2=True) as client,
        ):
            with trio.fail_after(WAIT):
                # a neighbour on the same connection, mid-stream while the other one breaks
                async with (
                    client.stream("GET", url + "/ticks") as neighbour,
                    aclosing(neighbour.aiter_raw()) as chunks,
                ):
                    assert neighbour.http_version == "HTTP/2"
                    assert await anext(chunks) == b"0,"
                    async with client.stream("GET", url + "/broken") as response:
                        assert response.http_version == "HTTP/2"
                        received = []
                        with pytest.raises(httpx.RemoteProtocolError, match="StreamReset"):
                            async for chunk in response.aiter_raw():
                                received.append(chunk)
                    assert b"".join(received) == b"data: partial\r\n\r\n"
                    ticks.set()
                    # the rest, however the client happens to split it into reads
                    assert b"".join([chunk async for chunk in chunks]) == b"1,2,"
                assert (await client.get(url + "/ticks")).content == b"0,1,2,"
                # what was sent before the error arrives whole, then the reset
                for _ in range(5):
                    async with client.stream("GET", url + "/big-then-broken") as response:
                        received = []
                        with pytest.raises(httpx.RemoteProtocolError, match="StreamReset"):
                            async for chunk in response.aiter_raw():
                                received.append(chunk)
                    assert b"".join(received) == BIG
                # and hypercorn forgot every reset stream (no buffer left per stream)
                [protocol] = [p for p in _h2_protocols() if p not in earlier]
                while protocol.stream_buffers or protocol.streams:
                    await trio.sleep(0.01)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 6
    assert all("lost the upstream" in repr(error.exc_info) for error in errors)


async def test_over_http_2_leaving_a_stream_runs_its_finally_and_spares_its_neighbours() -> None:
    # A raw h2 client, as a browser behaves: it resets the stream it leaves (httpx does not,
    # it only stops reading). The other stream of the connection streams on.
    closed: list[str] = []

    @get("/endless/{name:str}")
    async def endless(name: str) -> Stream:
        async def body() -> AsyncIterator[bytes]:
            try:
                while True:
                    yield name.encode()
                    await trio.sleep(0.01)
            finally:
                closed.append(name)

        return Stream(body())

    received: dict[int, bytes] = {1: b"", 3: b""}
    arrived = trio.Event()
    connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))

    send_lock = trio.Lock()

    async def flush(stream: trio.SocketStream) -> None:
        async with send_lock:
            await stream.send_all(connection.data_to_send())

    async def read(stream: trio.SocketStream) -> None:
        while data := await stream.receive_some():
            for event in connection.receive_data(data):
                if isinstance(event, h2.events.DataReceived):
                    received[event.stream_id] += event.data
                    connection.acknowledge_received_data(
                        event.flow_controlled_length, event.stream_id
                    )
                    arrived.set()
            await flush(stream)

    async def wait_for(condition: Any) -> None:
        nonlocal arrived
        while not condition():
            arrived = trio.Event()
            await arrived.wait()

    async with open_server(TrioWeb([endless])) as url:
        port = int(url.rsplit(":", 1)[1])
        with trio.fail_after(WAIT):
            async with (
                await trio.open_tcp_stream("127.0.0.1", port) as stream,
                trio.open_nursery() as nursery,
            ):
                connection.initiate_connection()
                for stream_id, name in ((1, "kept"), (3, "left")):
                    headers = [(":method", "GET"), (":scheme", "http"), (":authority", "test")]
                    headers.append((":path", f"/endless/{name}"))
                    connection.send_headers(stream_id, headers, end_stream=True)
                await flush(stream)
                nursery.start_soon(read, stream)
                await wait_for(lambda: received[1] and received[3])
                connection.reset_stream(3, error_code=h2.errors.ErrorCodes.CANCEL)
                await flush(stream)
                while "left" not in closed:
                    await trio.sleep(0.01)
                assert closed == ["left"]
                # the neighbour still streams over the same connection
                so_far = len(received[1])
                await wait_for(lambda: received[1].count(b"kept") >= so_far // 4 + 3)
                nursery.cancel_scope.cancel()
            while "kept" not in closed:  # the connection closed: the last one goes too
                await trio.sleep(0.01)


async def test_an_aborted_nursery_stream_takes_the_handlers_tasks_with_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log: list[str] = []

    @get("/feed")
    async def feed(nursery: trio.Nursery) -> Stream:
        send_channel, receive_channel = trio.open_memory_channel[bytes](0)

        async def produce() -> None:
            try:
                async with send_channel:
                    await send_channel.send(b"ok")
                    await trio.sleep(60)
            finally:
                log.append("producer finally")

        nursery.start_soon(produce)

        async def body() -> AsyncIterator[bytes]:
            async with receive_channel:
                yield await receive_channel.receive()
                raise RuntimeError("lost the upstream")

        return Stream(body())

    with caplog.at_level(logging.ERROR):
        async with open_server(TrioWeb([feed])) as url, httpx.AsyncClient() as client:
            with trio.fail_after(WAIT):
                with pytest.raises(httpx.RemoteProtocolError):
                    await client.get(url + "/feed")
                while not log:
                    await trio.sleep(0.01)
    assert log == ["producer finally"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "lost the upstream" in repr(errors[0].exc_info)


async def test_cancel_on_disconnect_cancels_a_slow_handler_whose_client_left() -> None:
    entered = trio.Event()
    outcome: list[str] = []

    @get("/slow", cancel_on_disconnect=True)
    async def slow() -> str:
        entered.set()
        try:
            await trio.sleep(30)
        except trio.Cancelled:
            outcome.append("cancelled")
            raise
        return "too late"  # pragma: no cover

    async with open_server(TrioWeb([slow])) as url, httpx.AsyncClient() as client:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(client.get, url + "/slow")
            with trio.fail_after(WAIT):
                await entered.wait()
            nursery.cancel_scope.cancel()  # httpx closes the connection
        with trio.fail_after(WAIT):
            while not outcome:
                await trio.sleep(0.01)
    assert outcome == ["cancelled"]


async def test_the_nursery_idiom_on_a_real_server() -> None:
    log: list[str] = []

    @get("/feed")
    async def feed(nursery: trio.Nursery) -> Stream:
        send_channel, receive_channel = trio.open_memory_channel[bytes](0)

        async def produce() -> None:
            try:
                async with send_channel:
                    while True:
                        await send_channel.send(b"tick\n")
                        await trio.sleep(0.01)
            finally:
                log.append("producer done")

        nursery.start_soon(produce)
        return Stream(receive_channel, media_type="text/plain")

    async with open_server(TrioWeb([feed])) as url, httpx.AsyncClient() as client:
        async with client.stream("GET", url + "/feed") as response:
            received = await read_until(response, lambda got: got.count(b"tick") >= 2)
        assert received.startswith(b"tick\ntick\n")
        with trio.fail_after(WAIT):
            while not log:
                await trio.sleep(0.01)
    assert log == ["producer done"]


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


async def test_hundreds_of_abandoned_streams_on_a_real_server_leave_nothing_behind() -> None:
    live = [0]

    async def endless() -> AsyncIterator[bytes]:
        live[0] += 1
        try:
            while True:
                yield b"." * 512
                await trio.sleep(0.001)
        finally:
            live[0] -= 1

    @get("/plain")
    async def plain() -> Stream:
        return Stream(endless())

    @get("/sse", cancel_on_disconnect=True)
    async def sse() -> ServerSentEvent:
        return ServerSentEvent(endless(), ping_interval=0.005)

    limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
    async with (
        open_server(TrioWeb([plain, sse])) as url,
        httpx.AsyncClient(limits=limits) as client,
    ):
        # abandoning a stream closes its connection
        async def abandon(path: str) -> None:
            async with client.stream("GET", url + path) as response:
                await read_until(response, lambda received: len(received) > 0)

        await abandon("/plain")
        await abandon("/sse")
        with trio.fail_after(WAIT):
            while live[0]:
                await trio.sleep(0.01)
        baseline = _live_tasks()
        with trio.fail_after(20):
            for _ in range(10):
                async with trio.open_nursery() as nursery:
                    for i in range(20):
                        nursery.start_soon(abandon, "/sse" if i % 2 else "/plain")
        # hypercorn finishes each closed connection's tasks shortly after the close
        with trio.fail_after(WAIT):
            while live[0] or _live_tasks() > baseline:
                await trio.sleep(0.01)
        assert (live[0], _live_tasks()) == (0, baseline)
    # and no generator object is left suspended (not merely its finally run)
    gc.collect()
    suspended = [
        obj
        for obj in gc.get_objects()
        if inspect.isasyncgen(obj) and obj.ag_code is endless.__code__ and obj.ag_frame
    ]
    assert suspended == []


@pytest.mark.parametrize("http2", [False, True])
async def test_shutdown_with_streams_open_runs_every_finally_within_the_graceful_timeout(
    http2: bool,
) -> None:
    graceful = 0.5
    started = [0]
    finished: list[str] = []
    sync_finished = threading.Event()
    background: list[str] = []

    async def endless(name: str) -> AsyncIterator[bytes]:
        started[0] += 1
        try:
            while True:
                yield name.encode()
                await trio.sleep(0.05)
        finally:
            finished.append(name)

    @get("/async/{name:str}")
    async def async_stream(name: str) -> Stream:
        return Stream(endless(name))

    @get("/sse", cancel_on_disconnect=True)
    async def sse() -> ServerSentEvent:
        return ServerSentEvent(endless("sse"))

    @get("/sync")
    def sync_stream() -> Stream:
        def body() -> Iterator[bytes]:
            started[0] += 1
            try:
                while True:
                    yield b"sync"
                    threading.Event().wait(0.05)
            finally:
                sync_finished.set()

        return Stream(body())

    @get("/feed")
    async def feed(nursery: trio.Nursery) -> Stream:
        send_channel, receive_channel = trio.open_memory_channel[bytes](0)

        async def produce() -> None:
            started[0] += 1
            try:
                async with send_channel:
                    while True:
                        await send_channel.send(b"feed")
                        await trio.sleep(0.05)
            finally:
                finished.append("feed producer")

        nursery.start_soon(produce)
        return Stream(receive_channel)

    async def short_task() -> None:
        await trio.sleep(0.1)
        background.append("short task finished")

    async def long_task() -> None:
        try:
            await trio.sleep(30)
        except trio.Cancelled:
            background.append("long task cancelled")
            raise

    @get("/work", media_type="text/plain", background=BackgroundTask(short_task))
    async def work() -> str:
        return "queued"

    @get("/long", media_type="text/plain", background=BackgroundTask(long_task))
    async def long() -> str:
        return "queued"

    app = TrioWeb([async_stream, sse, sync_stream, feed, work, long])
    paths = ["/async/one", "/async/two", "/sse", "/sync", "/feed"]

    versions: set[str] = set()

    async def hold(client: httpx.AsyncClient, url: str) -> None:
        try:
            async with client.stream("GET", url) as response:
                versions.add(response.http_version)
                async for _ in response.aiter_raw():
                    pass
        except httpx.HTTPError:
            pass  # the server went away, as it should

    async with trio.open_nursery() as clients:
        async with httpx.AsyncClient(timeout=None, http1=not http2, http2=http2) as client:
            async with open_server(app, graceful_timeout=graceful) as url:
                for path in paths:
                    clients.start_soon(hold, client, url + path)
                assert (await client.get(url + "/work")).text == "queued"
                assert (await client.get(url + "/long")).text == "queued"
                with trio.fail_after(WAIT):
                    while started[0] < len(paths):
                        await trio.sleep(0.01)
                await trio.sleep(0.05)
                stopping = trio.current_time()
            stopped_after = trio.current_time() - stopping
            clients.cancel_scope.cancel()
    assert versions == {"HTTP/2" if http2 else "HTTP/1.1"}
    # endless streams: without the cancellation this would never end; the margin is for a
    # loaded machine (the shutdown itself takes a few ms past the graceful timeout)
    assert stopped_after < graceful + 2.5
    assert sorted(finished) == ["feed producer", "one", "sse", "two"]
    assert sync_finished.is_set()
    assert sorted(background) == ["long task cancelled", "short task finished"]


async def test_shutdown_is_not_held_up_by_a_sync_next_that_blocks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # next() in a worker thread cannot be interrupted: after the graceful timeout the stream
    # waits CLEANUP_TIMEOUT for it, then abandons the thread, and the server stops
    window, graceful = 0.3, 0.3
    monkeypatch.setattr(_streaming, "CLEANUP_TIMEOUT", window)
    in_next = threading.Event()
    release = threading.Event()

    @get("/stuck")
    def stuck() -> Stream:
        def body() -> Iterator[bytes]:
            yield b"first"
            in_next.set()
            release.wait(30)  # a blocking read that never comes back
            yield b"never sent"

        return Stream(body())

    async def hold(url: str) -> None:
        async with httpx.AsyncClient(timeout=None) as client:
            try:
                async with client.stream("GET", url) as response:
                    async for _ in response.aiter_raw():
                        pass
            except httpx.HTTPError:
                pass  # the server went away, as it should

    try:
        async with trio.open_nursery() as clients:
            async with open_server(TrioWeb([stuck]), graceful_timeout=graceful) as url:
                clients.start_soon(hold, url + "/stuck")
                with trio.fail_after(WAIT):
                    await trio.to_thread.run_sync(in_next.wait)
                stopping = trio.current_time()
            stopped_after = trio.current_time() - stopping
            clients.cancel_scope.cancel()
    finally:
        release.set()
    assert stopped_after < graceful + window + 1.5


async def test_background_tasks_run_after_the_client_left_a_real_stream() -> None:
    ran = trio.Event()

    async def after() -> None:
        ran.set()

    @get("/")
    async def handler() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            while True:
                yield b"."
                await trio.sleep(0.01)

        return Stream(body(), background=BackgroundTask(after))

    async with open_server(TrioWeb([handler])) as url, httpx.AsyncClient() as client:
        async with client.stream("GET", url) as response:
            await read_until(response, lambda received: len(received) > 0)
        with trio.fail_after(WAIT):
            await ran.wait()


async def test_background_policy_on_a_real_server(caplog: pytest.LogCaptureFixture) -> None:
    # completed: runs; a task raises: logged once, the next task runs, serving goes on;
    # the handler raised: nothing runs; the stream's iterator raised: nothing runs
    ran: list[str] = []

    async def record(name: str) -> None:
        ran.append(name)

    async def explode() -> None:
        raise RuntimeError("the mail server is down")

    def sync_record(name: str) -> None:
        ran.append(name)

    tasks = BackgroundTasks(
        [BackgroundTask(explode), BackgroundTask(sync_record, "after the failure")]
    )

    @get("/completed", media_type="text/plain", background=tasks)
    async def completed() -> str:
        return "done"

    @get("/raises", background=BackgroundTask(record, "handler raised"))
    async def raises() -> str:
        raise RuntimeError("handler bug")

    @get("/broken")
    async def broken() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            yield b"partial"
            raise RuntimeError("iterator bug")

        return Stream(body(), background=BackgroundTask(record, "stream failed"))

    @get("/streamed")
    async def streamed() -> Stream:
        return Stream([b"a", b"b"], background=BackgroundTask(record, "stream completed"))

    app = TrioWeb([completed, raises, broken, streamed])
    with caplog.at_level(logging.ERROR):
        async with open_server(app) as url, httpx.AsyncClient() as client:
            assert (await client.get(url + "/completed")).text == "done"
            assert (await client.get(url + "/raises")).status_code == 500
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(url + "/broken")
            assert (await client.get(url + "/streamed")).content == b"ab"
            with trio.fail_after(WAIT):
                while len(ran) < 2:
                    await trio.sleep(0.01)
            await trio.sleep(0.1)  # anything else that was going to run has run
            assert (await client.get(url + "/completed")).text == "done"  # still serving
    # (the server's graceful shutdown let the last request's background work finish)
    assert ran == ["after the failure", "stream completed", "after the failure"]
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert logged.count("background task 'explode' raised") == 2  # once per request
    assert not [r for r in caplog.records if "Error in ASGI Framework" in r.getMessage()]


async def test_a_finite_stream_is_a_complete_response(serve: Any) -> None:
    @get("/")
    def handler() -> Stream:
        return Stream(iter([b"a", b"b", b"c"]), media_type="text/plain")

    async with serve(TrioWeb([handler])) as url, httpx.AsyncClient() as client:
        async with client.stream("GET", url) as response:
            assert b"".join(await read_all(response)) == b"abc"


@pytest.mark.parametrize("http2", [False, True])
async def test_the_call_ends_promptly_after_a_complete_response(http2: bool) -> None:
    # After a complete response the relay waits for the server's http.disconnect instead of
    # being cancelled (cheaper); hypercorn sends it at once, over HTTP/1.1 and HTTP/2 alike,
    # so the call never sits out the relay's grace period.
    ended: dict[str, float] = {}

    def hook(name: str) -> Any:
        def after_response(request: Any) -> None:
            ended[name] = trio.current_time()

        return after_response

    async def mark(name: str) -> None:
        ended[name] = trio.current_time()

    @get(
        "/plain",
        media_type="text/plain",
        cancel_on_disconnect=True,
        after_response=hook("/plain"),
    )
    async def plain() -> str:
        return "done"

    @get(
        "/stream",
        media_type="text/plain",
        cancel_on_disconnect=True,
        after_response=hook("/stream"),
    )
    async def stream() -> Stream:
        return Stream(["a", "b"])

    @get("/own-relay", media_type="text/plain")
    async def own_relay() -> Stream:
        return Stream(["a", "b"], background=BackgroundTask(mark, "/own-relay"))

    app = TrioWeb([plain, stream, own_relay])
    async with (
        open_server(app) as url,
        httpx.AsyncClient(http1=not http2, http2=http2) as client,
    ):
        for path in ("/plain", "/stream", "/own-relay"):
            response = await client.get(url + path)
            received = trio.current_time()
            assert response.http_version == ("HTTP/2" if http2 else "HTTP/1.1")
            with trio.fail_after(WAIT):
                while path not in ended:
                    await trio.sleep(0.005)
            assert ended[path] - received < 0.5, path
