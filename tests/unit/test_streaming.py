"""``Stream`` in-process: what it sends, when, and how its iterator is driven and closed."""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import trio

from trioweb import Controller, Request, Router, TrioWeb, get
from trioweb._lifecycle import (
    CLEANUP_TIMEOUT,
    StreamPolicy,
    _streaming,
    handler_limiter,
    iterator_limiter,
)
from trioweb.background_tasks import BackgroundTask
from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.response import ASGIStreamingResponse, Stream
from trioweb.testing import AsyncTestClient, aiter_chunks


async def test_first_chunk_arrives_before_the_generator_finishes() -> None:
    release = trio.Event()
    finished = trio.Event()

    @get("/")
    async def handler() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            yield b"first"
            await release.wait()  # only the test, having read "first", can let it go on
            yield b"second"
            finished.set()

        return Stream(body())

    async with AsyncTestClient(TrioWeb([handler])) as client:
        with trio.fail_after(2):
            async with client.stream("GET", "/") as response:
                chunks = aiter_chunks(response)
                assert await chunks.__anext__() == b"first"
                assert not finished.is_set()
                release.set()
                assert [chunk async for chunk in chunks] == [b"second"]
    assert finished.is_set()


def _sync_gen() -> Iterator[str]:
    yield "a"
    yield "b"


async def _async_gen() -> AsyncIterator[str]:
    yield "a"
    yield "b"


class _AsyncIterable:
    def __aiter__(self) -> AsyncIterator[str]:
        return _async_gen()


@pytest.mark.parametrize(
    "make_content",
    [
        pytest.param(lambda: ["a", "b"], id="list"),
        pytest.param(lambda: iter(["a", "b"]), id="sync-iterator"),
        pytest.param(_sync_gen, id="sync-generator"),
        pytest.param(_async_gen, id="async-generator"),
        pytest.param(_AsyncIterable, id="async-iterable"),
        pytest.param(lambda: _sync_gen, id="callable-returning-generator"),
        pytest.param(lambda: _async_gen, id="callable-returning-async-generator"),
        pytest.param(lambda: [b"a", "b"], id="bytes-and-str"),
    ],
)
async def test_every_kind_of_content_streams(make_content: Any) -> None:
    @get("/")
    async def handler() -> Stream:
        return Stream(make_content(), media_type="text/plain")

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.get("/")
    assert response.status_code == 200
    assert response.content == b"ab"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert "content-length" not in response.headers


async def test_str_chunks_use_the_response_encoding_and_headers_cookies_status_apply() -> None:
    @get("/")
    async def handler() -> Stream:
        return Stream(
            ["é"],
            encoding="latin-1",
            media_type="text/plain",
            headers={"x-kind": "stream"},
            cookies={"flavour": "oat"},
            status_code=206,
        )

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.get("/")
    assert (response.status_code, response.content) == (206, "é".encode("latin-1"))
    assert response.headers["content-type"] == "text/plain; charset=latin-1"
    assert response.headers["x-kind"] == "stream"
    assert response.cookies["flavour"] == "oat"


async def test_non_iterable_content_is_refused() -> None:
    with pytest.raises(TypeError):
        Stream(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Stream("a whole string")  # type: ignore[arg-type]


async def test_head_sends_no_body_and_never_starts_the_iterator() -> None:
    started = []

    @get("/")
    async def handler() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            started.append(True)
            yield b"never"

        return Stream(body())

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.head("/")
    assert (response.status_code, response.content, started) == (200, b"", [])


# -- disconnect --------------------------------------------------------------------------


class _SlowClientApp:
    """ASGI wrapper whose body sends after the first block until the client has gone.

    That is what hypercorn's ``send`` does for a client that stopped reading: it waits until
    the client reads or leaves. So the stream's generator is suspended at its ``yield`` when
    the disconnect comes.
    """

    def __init__(self, app: TrioWeb) -> None:
        self.app = app
        self.left = trio.Event()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bodies = 0

        async def watched_receive() -> Any:
            message = await receive()
            if message["type"] == "http.disconnect":
                self.left.set()
            return message

        async def slow_send(message: Any) -> None:
            nonlocal bodies
            if message["type"] == "http.response.body":
                bodies += 1
                if bodies > 1:
                    await self.left.wait()
            await send(message)

        await self.app(scope, watched_receive, slow_send)


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_disconnect_closes_a_generator_suspended_at_yield_and_awaiting_cleanup_works(
    cancel_on_disconnect: bool,
) -> None:
    cleanup_done = trio.Event()
    blocked_in_send = trio.Event()

    @get("/", cancel_on_disconnect=cancel_on_disconnect)
    async def handler() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            try:
                yield b"one"
                blocked_in_send.set()  # the next send will block: suspended at the yield
                yield b"two"
                yield b"three"
            finally:
                await trio.sleep(0.01)  # an awaiting cleanup: works, no shield needed
                cleanup_done.set()

        return Stream(body())

    async with AsyncTestClient(_SlowClientApp(TrioWeb([handler]))) as client:
        async with client.stream("GET", "/") as response:
            assert await aiter_chunks(response).__anext__() == b"one"
            with trio.fail_after(2):
                await blocked_in_send.wait()
        with trio.fail_after(2):
            await cleanup_done.wait()


async def test_a_cleanup_that_hangs_gets_a_bounded_window_then_the_call_ends(
    autojump_clock: trio.testing.MockClock,
) -> None:
    # The shielded window is time-boxed: a finally that never finishes cannot pin the
    # connection (nor, at shutdown, the process) for longer than CLEANUP_TIMEOUT.
    blocked_in_send = trio.Event()
    cut_short_after: list[float] = []

    @get("/")
    async def handler() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            try:
                yield b"one"
                blocked_in_send.set()
                yield b"two"
            finally:
                started = trio.current_time()
                try:
                    await trio.sleep_forever()
                finally:
                    cut_short_after.append(trio.current_time() - started)

        return Stream(body())

    # the test client, like a server, lets a call run on after the client left
    app = _SlowClientApp(TrioWeb([handler]))
    async with AsyncTestClient(app, disconnect_timeout=3 * CLEANUP_TIMEOUT) as client:
        async with client.stream("GET", "/") as response:
            assert await aiter_chunks(response).__anext__() == b"one"
            await blocked_in_send.wait()
            left = trio.current_time()
        # leaving the block waited for the app call: the window had passed
        assert cut_short_after == [pytest.approx(CLEANUP_TIMEOUT)]
        assert CLEANUP_TIMEOUT <= trio.current_time() - left < CLEANUP_TIMEOUT + 1


async def test_a_sync_close_that_hangs_is_abandoned_after_the_cleanup_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Real time (autojump skips ahead while a worker thread runs), with a shorter window.
    window = 0.2
    monkeypatch.setattr(_streaming, "CLEANUP_TIMEOUT", window)
    release_thread = threading.Event()
    cleanup_started = threading.Event()

    @get("/")
    def handler() -> Stream:
        def body() -> Iterator[bytes]:
            try:
                while True:
                    yield b"s"
                    time.sleep(0.001)
            finally:
                cleanup_started.set()
                release_thread.wait(10)  # a close() stuck in a blocking call

        return Stream(body())

    try:
        async with AsyncTestClient(TrioWeb([handler])) as client:
            async with client.stream("GET", "/") as response:
                assert await aiter_chunks(response).__anext__() == b"s"
                left = trio.current_time()
            took = trio.current_time() - left
            assert cleanup_started.is_set()
            # the thread cannot be interrupted: it is abandoned, the call does not wait
            assert not release_thread.is_set()
            assert window <= took < window + 2
    finally:
        release_thread.set()


async def test_a_sync_next_that_blocks_is_waited_for_then_abandoned(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # next() cannot be interrupted. After the client left, a next() that returns within the
    # window still gets the iterator closed (its finally runs); one that does not is
    # abandoned in its thread, so the call ends anyway, with a warning.
    window = 0.3
    monkeypatch.setattr(_streaming, "CLEANUP_TIMEOUT", window)
    release = threading.Event()
    in_next = threading.Event()
    closed: list[str] = []

    def body(name: str, blocks_for: float) -> Iterator[bytes]:
        try:
            yield b"first"
            in_next.set()
            release.wait(blocks_for)
            yield b"never sent"
        finally:
            closed.append(name)

    @get("/brief")
    def brief() -> Stream:
        return Stream(body("brief", 0.1))

    @get("/stuck")
    def stuck() -> Stream:
        return Stream(body("stuck", 10))

    try:
        async with AsyncTestClient(TrioWeb([brief, stuck])) as client:
            for path in ("/brief", "/stuck"):
                in_next.clear()
                with caplog.at_level(logging.WARNING):
                    async with client.stream("GET", path) as response:
                        assert await aiter_chunks(response).__anext__() == b"first"
                        await trio.to_thread.run_sync(in_next.wait)
                        left = trio.current_time()
                took = trio.current_time() - left
                assert took < window + 1.5, path
            # /brief: next() returned within the window, so the generator was closed
            assert closed == ["brief"]
            assert not release.is_set()
    finally:
        release.set()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "did not return" in warnings[0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_sync_stream_waiting_for_a_thread_token_leaves_at_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # its next() never started, so there is nothing to wait for: no grace, no warning
    monkeypatch.setattr(_streaming, "CLEANUP_TIMEOUT", 3.0)
    iterator_limiter().total_tokens = 1  # a run-scoped limiter: this test's run only
    release = threading.Event()
    holding = threading.Event()
    started: list[str] = []

    def body(name: str) -> Iterator[bytes]:
        started.append(name)
        if name == "holder":
            holding.set()
            release.wait(10)
        yield name.encode()

    @get("/{name:str}")
    def stream(name: str) -> Stream:
        return Stream(body(name))

    try:
        async with AsyncTestClient(TrioWeb([stream])) as client, trio.open_nursery() as nursery:

            async def hold() -> None:
                assert (await client.get("/holder")).content == b"holder"

            nursery.start_soon(hold)
            await trio.to_thread.run_sync(holding.wait)
            with caplog.at_level(logging.WARNING):
                async with client.stream("GET", "/waiter") as response:
                    assert response.status_code == 200  # the headers went out
                    await trio.sleep(0.05)  # its first next() waits for the only token
                    left = trio.current_time()
                assert trio.current_time() - left < 1
            assert started == ["holder"]
            release.set()
    finally:
        release.set()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_disconnect_runs_the_finally_of_a_generator_waiting_in_its_own_await() -> None:
    seen: list[str] = []
    cleaned = trio.Event()

    @get("/")
    async def handler() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            try:
                yield b"tick"
                await trio.sleep_forever()
            except trio.Cancelled:
                seen.append("cancelled")
                raise
            finally:
                # cancelled inside its own await, the generator runs its finally in the
                # cancelled scope: awaiting cleanup needs a shield, as in any trio code
                with trio.CancelScope(shield=True):
                    await trio.sleep(0.01)
                cleaned.set()

        return Stream(body())

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.stream("GET", "/") as response:
            assert await aiter_chunks(response).__anext__() == b"tick"
        with trio.fail_after(2):
            await cleaned.wait()
    assert seen == ["cancelled"]


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_disconnect_closes_a_sync_generator_in_a_worker_thread(
    cancel_on_disconnect: bool,
) -> None:
    closed = threading.Event()
    threads: list[str] = []

    @get("/", cancel_on_disconnect=cancel_on_disconnect)
    def handler() -> Stream:
        def body() -> Iterator[bytes]:
            try:
                while True:
                    threads.append(threading.current_thread().name)
                    time.sleep(0.002)
                    yield b"x"
            finally:
                closed.set()

        return Stream(body())

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.stream("GET", "/") as response:
            assert await aiter_chunks(response).__anext__() == b"x"
    # the test client returned only once the app call did, and the app closes first
    assert closed.is_set()
    assert threading.main_thread().name not in threads


async def test_iterator_error_after_headers_aborts_the_response_logs_once_and_serving_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    closed = []

    @get("/broken")
    async def broken() -> Stream:
        async def body() -> AsyncIterator[bytes]:
            try:
                yield b"partial"
                raise RuntimeError("database went away")
            finally:
                closed.append(True)

        return Stream(body())

    @get("/fine", media_type="text/plain")
    async def fine() -> str:
        return "still serving"

    async with AsyncTestClient(TrioWeb([broken, fine])) as client:
        with caplog.at_level(logging.ERROR):
            async with client.stream("GET", "/broken") as response:
                assert response.status_code == 200  # the headers had gone out
                received = []
                with pytest.raises(httpx.RemoteProtocolError):
                    async for chunk in aiter_chunks(response):
                        received.append(chunk)
        assert received == [b"partial"]
        assert (await client.get("/fine")).text == "still serving"
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None
    assert "database went away" in str(errors[0].exc_info[1])
    assert closed == [True]


async def test_sync_streams_use_their_own_thread_limiter() -> None:
    gates = [threading.Event() for _ in range(3)]
    in_next = [threading.Event() for _ in range(3)]

    def blocking_body(index: int) -> Iterator[bytes]:
        in_next[index].set()
        gates[index].wait(5)
        yield b"%d" % index

    @get("/stream/{index:int}")
    def stream(index: int) -> Stream:
        return Stream(blocking_body(index))

    @get("/sync", media_type="text/plain")
    def sync_handler() -> str:
        return threading.current_thread().name

    iterator_limiter().total_tokens = 2  # a run-scoped limiter: this test's run only
    async with AsyncTestClient(TrioWeb([stream, sync_handler])) as client:
        try:
            async with trio.open_nursery() as nursery:
                bodies: dict[int, bytes] = {}

                async def read(index: int) -> None:
                    bodies[index] = (await client.get(f"/stream/{index}")).content

                for index in range(2):
                    nursery.start_soon(read, index)
                with trio.fail_after(2):
                    for index in range(2):
                        await trio.to_thread.run_sync(in_next[index].wait)
                nursery.start_soon(read, 2)
                await trio.sleep(0.05)
                # two slow sync streams hold every iterator token; the third waits for one
                assert iterator_limiter().borrowed_tokens == 2
                assert not in_next[2].is_set()
                # ... and a sync handler is not starved: it has a limiter of its own
                with trio.fail_after(2):
                    answer = await client.get("/sync")
                assert answer.status_code == 200
                assert answer.text != threading.main_thread().name
                assert handler_limiter().borrowed_tokens == 0
                gates[0].set()
                with trio.fail_after(2):
                    await trio.to_thread.run_sync(in_next[2].wait)
                gates[1].set()
                gates[2].set()
        finally:
            for gate in gates:
                gate.set()
    assert bodies == {0: b"0", 1: b"1", 2: b"2"}


# -- timeouts (no sockets: autojump) ---------------------------------------------------------


def _ticker(period: float, log: list[str]) -> AsyncIterator[bytes]:
    async def body() -> AsyncIterator[bytes]:
        try:
            n = 0
            while True:
                yield b"%d," % n
                n += 1
                await trio.sleep(period)
        finally:
            log.append("closed")

    return body()


async def test_idle_timeout_ends_a_silent_stream_as_a_complete_response(
    autojump_clock: trio.testing.MockClock,
) -> None:
    log: list[str] = []

    @get("/", stream_idle_timeout=5)
    async def handler() -> Stream:
        return Stream(_ticker(60, log))

    async with AsyncTestClient(TrioWeb([handler])) as client:
        start = trio.current_time()
        response = await client.get("/")
        elapsed = trio.current_time() - start
    assert (response.status_code, response.content) == (200, b"0,")
    assert 5 <= elapsed < 6
    assert log == ["closed"]


async def test_total_timeout_bounds_a_busy_stream(autojump_clock: trio.testing.MockClock) -> None:
    log: list[str] = []

    @get("/", stream_total_timeout=3.5, stream_idle_timeout=10)
    async def handler() -> Stream:
        return Stream(_ticker(1, log))

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.get("/")
    assert response.content == b"0,1,2,3,"
    assert log == ["closed"]


async def test_timeouts_are_layered_and_the_nearest_wins(
    autojump_clock: trio.testing.MockClock,
) -> None:
    log: list[str] = []

    class Feeds(Controller):
        path = "/feeds"
        stream_total_timeout = 2.5

        @get("/controller")
        async def controller_level(self) -> Stream:
            return Stream(_ticker(1, log))

        @get("/handler", stream_total_timeout=1.5)
        async def handler_level(self) -> Stream:
            return Stream(_ticker(1, log))

    @get("/router")
    async def router_level() -> Stream:
        return Stream(_ticker(1, log))

    @get("/app")
    async def app_level() -> Stream:
        return Stream(_ticker(1, log))

    app = TrioWeb(
        [Router("/r", route_handlers=[router_level], stream_total_timeout=3.5), Feeds, app_level],
        stream_total_timeout=0.5,
    )
    async with AsyncTestClient(app) as client:
        assert (await client.get("/app")).content == b"0,"
        assert (await client.get("/r/router")).content == b"0,1,2,3,"
        assert (await client.get("/feeds/controller")).content == b"0,1,2,"
        assert (await client.get("/feeds/handler")).content == b"0,1,"
    assert log == ["closed"] * 4


async def test_a_response_policy_overrides_the_route_and_fills_in_from_it(
    autojump_clock: trio.testing.MockClock,
) -> None:
    log: list[str] = []

    @get("/own", stream_total_timeout=100)
    async def own() -> ASGIStreamingResponse:
        return ASGIStreamingResponse(
            iterator=_ticker(1, log), policy=StreamPolicy(total_timeout=1.5)
        )

    @get("/inherits", stream_total_timeout=2.5)
    async def inherits() -> ASGIStreamingResponse:
        return ASGIStreamingResponse(iterator=_ticker(1, log), policy=StreamPolicy(idle_timeout=50))

    async with AsyncTestClient(TrioWeb([own, inherits])) as client:
        assert (await client.get("/own")).content == b"0,1,"
        assert (await client.get("/inherits")).content == b"0,1,2,"


async def test_no_timeout_by_default(autojump_clock: trio.testing.MockClock) -> None:
    log: list[str] = []

    @get("/")
    async def handler() -> Stream:
        return Stream(_ticker(3600, log))

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.stream("GET", "/") as response:
            chunks = aiter_chunks(response)
            assert await chunks.__anext__() == b"0,"
            assert await chunks.__anext__() == b"1,"  # an hour of silence did not end it
            assert trio.current_time() >= 3600
    assert log == ["closed"]


async def test_zero_turns_a_timeout_off_at_a_nearer_layer(
    autojump_clock: trio.testing.MockClock,
) -> None:
    log: list[str] = []

    @get("/bounded")
    async def bounded() -> Stream:
        return Stream(_ticker(1, log))

    @get("/unbounded", stream_total_timeout=0, stream_idle_timeout=0)
    async def unbounded() -> Stream:
        async def five() -> AsyncIterator[bytes]:
            for n in range(5):
                yield b"%d," % n
                await trio.sleep(60)

        return Stream(five())

    app = TrioWeb([bounded, unbounded], stream_total_timeout=2.5, stream_idle_timeout=30)
    async with AsyncTestClient(app) as client:
        assert (await client.get("/bounded")).content == b"0,1,2,"
        # neither the app's total nor its idle bound applies to this route
        assert (await client.get("/unbounded")).content == b"0,1,2,3,4,"


@pytest.mark.parametrize("value", [-1, float("nan"), "5", True])
@pytest.mark.parametrize("name", ["stream_idle_timeout", "stream_total_timeout"])
@pytest.mark.parametrize("layer", ["handler", "router", "app"])
def test_a_bad_stream_timeout_is_refused_when_the_app_is_built(
    layer: str, name: str, value: Any
) -> None:
    # not per request: a negative timeout used to abort every stream of the route
    @get("/", **({name: value} if layer == "handler" else {}))
    async def handler() -> Stream:
        return Stream([b"a"])

    options = {name: value}
    with pytest.raises(ImproperlyConfiguredException, match=name):
        if layer == "router":
            TrioWeb([Router("/r", route_handlers=[handler], **options)])
        elif layer == "app":
            TrioWeb([handler], **options)
        else:
            TrioWeb([handler])


# -- the documented signatures (seed 000, Litestar's streaming reference) ---------------------


def _parameters(function: Any) -> list[tuple[str, str, Any]]:
    return [
        (p.name, p.kind.name, p.default)
        for p in inspect.signature(function).parameters.values()
        if p.name != "self"
    ]


def test_the_signatures_are_litestars() -> None:
    empty = inspect.Parameter.empty
    assert _parameters(Stream.__init__) == [
        ("content", "POSITIONAL_OR_KEYWORD", empty),
        ("background", "KEYWORD_ONLY", None),
        ("cookies", "KEYWORD_ONLY", None),
        ("encoding", "KEYWORD_ONLY", "utf-8"),
        ("headers", "KEYWORD_ONLY", None),
        ("media_type", "KEYWORD_ONLY", None),
        ("status_code", "KEYWORD_ONLY", None),
    ]
    assert _parameters(Stream.to_asgi_response) == [
        ("app", "POSITIONAL_OR_KEYWORD", None),
        ("request", "POSITIONAL_OR_KEYWORD", None),
        ("background", "KEYWORD_ONLY", None),
        ("cookies", "KEYWORD_ONLY", None),
        ("encoded_headers", "KEYWORD_ONLY", None),
        ("headers", "KEYWORD_ONLY", None),
        ("is_head_response", "KEYWORD_ONLY", False),
        ("media_type", "KEYWORD_ONLY", None),
        ("status_code", "KEYWORD_ONLY", None),
        ("type_encoders", "KEYWORD_ONLY", None),
    ]
    # Litestar's eleven, keyword-only, then trioweb's two (policy, encode)
    assert _parameters(ASGIStreamingResponse.__init__) == [
        ("iterator", "KEYWORD_ONLY", empty),
        ("background", "KEYWORD_ONLY", None),
        ("body", "KEYWORD_ONLY", b""),
        ("content_length", "KEYWORD_ONLY", None),
        ("cookies", "KEYWORD_ONLY", None),
        ("encoded_headers", "KEYWORD_ONLY", None),
        ("encoding", "KEYWORD_ONLY", "utf-8"),
        ("headers", "KEYWORD_ONLY", None),
        ("is_head_response", "KEYWORD_ONLY", False),
        ("media_type", "KEYWORD_ONLY", None),
        ("status_code", "KEYWORD_ONLY", None),
        ("policy", "KEYWORD_ONLY", None),
        ("encode", "KEYWORD_ONLY", None),
    ]


async def test_to_asgi_response_merges_as_documented_and_the_result_is_an_asgi_app() -> None:
    ran: list[str] = []

    async def after() -> None:
        ran.append("background")

    @get("/")
    async def handler(request: Request[Any, Any, Any]) -> ASGIStreamingResponse:
        stream = Stream(
            ["a", "b"], headers={"x-own": "stream", "x-both": "stream"}, status_code=206
        )
        asgi = stream.to_asgi_response(
            None,
            request,
            background=BackgroundTask(after),
            headers={"x-both": "call", "x-extra": "call"},
            media_type="text/plain",  # the stream set none: used
            status_code=200,  # the stream set 206: ignored
        )
        assert isinstance(asgi, ASGIStreamingResponse)
        return asgi

    @get("/low-level")
    async def low_level() -> ASGIStreamingResponse:
        return ASGIStreamingResponse(
            iterator=iter([b"12", b"345"]),
            content_length=5,
            encoded_headers=[(b"x-encoded", b"yes")],
            media_type="application/octet-stream",
            status_code=201,
        )

    async with AsyncTestClient(TrioWeb([handler, low_level])) as client:
        response = await client.get("/")
        assert (response.status_code, response.content) == (206, b"ab")
        assert response.headers["x-own"] == "stream"
        assert response.headers["x-both"] == "stream"  # response headers take precedence
        assert response.headers["x-extra"] == "call"
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert ran == ["background"]
        response = await client.get("/low-level")
        assert (response.status_code, response.content) == (201, b"12345")
        assert response.headers["content-length"] == "5"
        assert response.headers["x-encoded"] == "yes"
        assert response.headers["content-type"] == "application/octet-stream"
