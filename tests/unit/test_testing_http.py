"""AsyncTestClient over HTTP, against raw ASGI apps: scope, streaming, disconnects, errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import trio

from trioweb.testing import AsyncTestClient, TrioASGITransport, aiter_chunks
from trioweb.types import Message, Receive, Scope, Send


def _all_tasks() -> set[trio.lowlevel.Task]:
    tasks: set[trio.lowlevel.Task] = set()

    def walk(task: trio.lowlevel.Task) -> None:
        tasks.add(task)
        for nursery in task.child_nurseries:
            for child in nursery.child_tasks:
                walk(child)

    root = trio.lowlevel.current_root_task()
    assert root is not None
    walk(root)
    return tasks


async def _read_body(receive: Receive) -> list[tuple[bytes, bool]]:
    messages = []
    while True:
        message = await receive()
        assert message["type"] == "http.request"
        messages.append((message["body"], message["more_body"]))
        if not message["more_body"]:
            return messages


async def _respond(send: Send, body: bytes = b"", status: int = 200, **headers: str) -> None:
    raw = [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def test_scope_is_what_hypercorn_builds() -> None:
    seen: dict[str, Any] = {}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            seen.update(scope)
            await _respond(send)

    async with AsyncTestClient(app, root_path="/api") as client:
        await client.get("/a%20b/c", params={"q": "1 2"}, headers={"X-Thing": "Yes"})

    assert seen["type"] == "http"
    assert seen["asgi"] == {"version": "3.0", "spec_version": "2.1"}
    assert seen["http_version"] == "1.1"
    assert seen["method"] == "GET"
    assert seen["scheme"] == "http"
    assert seen["path"] == "/a b/c"
    assert seen["raw_path"] == b"/a%20b/c"
    assert seen["query_string"] == b"q=1+2"
    assert seen["root_path"] == "/api"
    assert (b"x-thing", b"Yes") in seen["headers"]
    assert (b"host", b"testserver.local") in seen["headers"]
    assert (b"user-agent", b"testclient") in seen["headers"]
    assert all(name == name.lower() for name, _ in seen["headers"])
    assert seen["client"] == ("testclient", 50000)
    assert seen["server"] == ("testserver.local", 80)
    assert seen["extensions"] == {}
    assert seen["state"] == {}


async def test_first_chunk_arrives_while_the_app_is_still_streaming() -> None:
    release = trio.Event()
    finished = False

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal finished
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"one", "more_body": True})
        await release.wait()  # only the test can set this, after it has seen b"one"
        await send({"type": "http.response.body", "body": b"two"})
        finished = True

    async with AsyncTestClient(app) as client, client.stream("GET", "/") as response:
        chunks = response.aiter_raw()
        assert await chunks.__anext__() == b"one"
        assert not finished
        release.set()
        assert [chunk async for chunk in chunks] == [b"two"]
    assert finished


async def test_leaving_a_stream_early_disconnects_the_app_and_runs_its_finally() -> None:
    events: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await _read_body(receive)
        try:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"first", "more_body": True})
            events.append((await receive())["type"])
            await send({"type": "http.response.body", "body": b"dropped", "more_body": True})
        finally:
            events.append("finally")

    async with AsyncTestClient(app) as client:
        async with client.stream("GET", "/") as response:
            async for chunk in aiter_chunks(response):
                assert chunk == b"first"
                break
        # Closing the response waited for the app call.
        assert events == ["http.disconnect", "finally"]


async def test_endless_stream_stops_when_the_client_leaves(autojump_clock: Any) -> None:
    sent = 0
    stopped = trio.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal sent
        if scope["type"] != "http":
            return
        await _read_body(receive)
        await send({"type": "http.response.start", "status": 200, "headers": []})

        async def stream(cancel_scope: trio.CancelScope) -> None:
            nonlocal sent
            while True:
                await send({"type": "http.response.body", "body": b"tick", "more_body": True})
                sent += 1
                await trio.sleep(1)

        async with trio.open_nursery() as nursery:
            nursery.start_soon(stream, nursery.cancel_scope)
            assert (await receive())["type"] == "http.disconnect"
            nursery.cancel_scope.cancel()
        stopped.set()

    async with AsyncTestClient(app) as client:
        async with client.stream("GET", "/") as response:
            received = 0
            async for _ in aiter_chunks(response):
                received += 1
                if received == 3:
                    break
        assert stopped.is_set()
        assert sent == 3


async def test_http_disconnect_follows_a_complete_response() -> None:
    after: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await _read_body(receive)
        await _respond(send, b"done")
        after.append(await receive())  # hypercorn answers this at once

    async with AsyncTestClient(app) as client:
        response = await client.get("/")
        assert response.text == "done"
        assert after == [{"type": "http.disconnect"}]


async def test_receive_after_the_disconnect_blocks_and_the_call_is_reported(
    autojump_clock: Any,
) -> None:
    cancelled = False

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal cancelled
        if scope["type"] != "http":
            return
        await _read_body(receive)
        await _respond(send)
        assert (await receive())["type"] == "http.disconnect"
        try:
            await receive()  # blocks forever on hypercorn too
        except trio.Cancelled:
            cancelled = True
            raise

    async with AsyncTestClient(app, disconnect_timeout=2) as client:
        with pytest.raises(TimeoutError, match="did not return within 2 s"):
            await client.get("/")
        assert cancelled


async def test_request_body_as_one_message_or_as_chunks() -> None:
    bodies: list[list[tuple[bytes, bool]]] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            bodies.append(await _read_body(receive))
            await _respond(send)

    async def upload() -> AsyncIterator[bytes]:
        yield b"a"
        yield b""
        yield b"b"

    async with AsyncTestClient(app) as client:
        await client.post("/", content=b"hello")
        await client.post("/", content=upload())
        await client.get("/")

    assert bodies == [
        [(b"hello", False)],
        [(b"a", True), (b"b", True), (b"", False)],
        [(b"", False)],
    ]


async def test_a_failing_upload_is_raised_and_disconnects_the_app() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        while (message := await receive())["type"] == "http.request":
            seen.append(message["body"].decode())
        seen.append(message["type"])

    async def upload() -> AsyncIterator[bytes]:
        yield b"part"
        raise OSError("disk on fire")

    async with AsyncTestClient(app) as client:
        with pytest.raises(OSError, match="disk on fire"):
            await client.post("/", content=upload())
    assert seen == ["part", "http.disconnect"]


class Boom(Exception):
    pass


async def _boom_before_start(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        raise Boom("before start")


async def _boom_mid_body(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise Boom("mid body")


async def _boom_after_body(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "http":
        await _respond(send, b"fine")
        raise Boom("after body")


@pytest.mark.parametrize("app", [_boom_before_start, _boom_mid_body, _boom_after_body])
async def test_app_exceptions_are_raised_in_the_test(app: Any) -> None:
    async with AsyncTestClient(app) as client:
        with pytest.raises(Boom):
            await client.get("/")


async def test_without_raise_server_exceptions_errors_look_like_a_real_server(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="trioweb.testing")
    async with AsyncTestClient(_boom_before_start, raise_server_exceptions=False) as client:
        response = await client.get("/")
        assert response.status_code == 500
        assert response.content == b""
    async with AsyncTestClient(_boom_mid_body, raise_server_exceptions=False) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/")
    async with AsyncTestClient(_boom_after_body, raise_server_exceptions=False) as client:
        response = await client.get("/")
        assert response.text == "fine"
    logged = [record.exc_info[1] for record in caplog.records if record.exc_info]
    assert [str(error) for error in logged] == ["before start", "mid body", "after body"]


async def test_an_app_that_never_responds() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        return

    async with AsyncTestClient(app) as client:
        with pytest.raises(RuntimeError, match="without sending 'http.response.start'"):
            await client.get("/")
    async with AsyncTestClient(app, raise_server_exceptions=False) as client:
        assert (await client.get("/")).status_code == 500


@pytest.mark.parametrize(
    ("messages", "error", "match"),
    [
        (
            [
                {"type": "http.response.start", "status": 200},
                {"type": "http.response.start", "status": 200},
            ],
            RuntimeError,
            "twice",
        ),
        ([{"type": "http.response.body", "body": b"x"}], RuntimeError, "before the start"),
        (
            [
                {"type": "http.response.start", "status": 200},
                {"type": "http.response.body", "body": b"x"},
                {"type": "http.response.body", "body": b"y"},
            ],
            RuntimeError,
            "after the final one",
        ),
        (
            [{"type": "http.response.start", "status": 200, "headers": [("a", "b")]}],
            TypeError,
            "must be bytes",
        ),
        ([{"type": "http.response.trailers", "headers": []}], RuntimeError, "unexpected"),
    ],
)
async def test_protocol_violations_raise_in_the_app(
    messages: list[Message], error: type[Exception], match: str
) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for message in messages:
                await send(message)

    async with AsyncTestClient(app) as client:
        with pytest.raises(error, match=match):
            await client.get("/")


@pytest.mark.parametrize(("method", "status"), [("HEAD", 200), ("GET", 204), ("GET", 304)])
async def test_bodies_are_suppressed_where_http_has_none(method: str, status: int) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await _respond(send, b"body", status=status)

    async with AsyncTestClient(app) as client:
        response = await client.request(method, "/")
        assert response.status_code == status
        assert response.content == b""


async def _redirect_and_cookies(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    if scope["path"] == "/old":
        await _respond(send, status=302, location="/new")
    elif scope["path"] == "/set":
        await _respond(send, set_cookie="flavour=oat; Path=/")
    else:
        cookie = dict(scope["headers"]).get(b"cookie", b"")
        await _respond(send, scope["path"].encode() + b" " + cookie)


async def test_redirects_are_followed_by_default() -> None:
    async with AsyncTestClient(_redirect_and_cookies) as client:
        response = await client.get("/old")
        assert response.text == "/new "
        assert [r.status_code for r in response.history] == [302]
        assert (await client.get("/old", follow_redirects=False)).status_code == 302
    async with AsyncTestClient(_redirect_and_cookies, follow_redirects=False) as client:
        assert (await client.get("/old")).status_code == 302


async def test_cookies_persist_between_requests() -> None:
    async with AsyncTestClient(_redirect_and_cookies, cookies={"a": "1"}) as client:
        assert (await client.get("/x")).text == "/x a=1"
        await client.get("/set")
        assert client.cookies["flavour"] == "oat"
        assert (await client.get("/x")).text in ("/x a=1; flavour=oat", "/x flavour=oat; a=1")


async def test_a_dotless_base_url_warns_because_cookies_would_be_lost() -> None:
    with pytest.warns(UserWarning, match="no dot"):
        AsyncTestClient(_redirect_and_cookies, base_url="http://testserver")


async def test_only_trio_is_supported() -> None:
    with pytest.raises(ValueError, match="trio only"):
        AsyncTestClient(_redirect_and_cookies, backend="asyncio")  # type: ignore[arg-type]


async def test_read_timeout_disconnects_the_app(autojump_clock: Any) -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await _read_body(receive)
        seen.append((await receive())["type"])  # never responds; waits for the client to go

    async with AsyncTestClient(app, timeout=3) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/")
        assert seen == ["http.disconnect"]


async def test_cancelling_a_request_disconnects_the_app(autojump_clock: Any) -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await _read_body(receive)
        seen.append((await receive())["type"])

    async with AsyncTestClient(app) as client:
        with trio.move_on_after(1) as scope:
            await client.get("/")
        assert scope.cancelled_caught
        assert seen == ["http.disconnect"]


async def test_no_task_outlives_the_client() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        await _read_body(receive)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        await receive()

    before = _all_tasks()
    async with AsyncTestClient(app) as client:
        # Left open on purpose: the client must disconnect it.
        await client.send(client.build_request("GET", "/"), stream=True)
        assert len(_all_tasks() - before) >= 3  # lifespan call, exchange, request pump
    assert _all_tasks() == before


async def test_app_errors_nobody_consumed_are_raised_when_the_client_closes() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        await receive()
        raise Boom("after the client left")

    with pytest.raises(Boom, match="after the client left"):  # not an ExceptionGroup
        async with AsyncTestClient(app) as client:
            await client.send(client.build_request("GET", "/"), stream=True)


async def test_the_tests_own_exception_leaves_the_block_unwrapped() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await _respond(send, b"x", status=200)
        await receive()
        raise Boom("also broken")

    with pytest.raises(KeyError) as info:
        async with AsyncTestClient(app) as client:
            await client.send(client.build_request("GET", "/"), stream=True)
            raise KeyError("the test failed")
    assert any("also broken" in note for note in info.value.__notes__)


async def test_without_async_with_each_request_is_served_alone_without_lifespan() -> None:
    # as Litestar's AsyncTestClient allows; cookies and redirects still work
    lifespan_calls: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            lifespan_calls.append("lifespan")
            return
        await _redirect_and_cookies(scope, receive, send)

    client = AsyncTestClient(app)
    await client.get("/set")
    response = await client.get("/old")
    assert (response.text, [r.status_code for r in response.history]) == ("/new flavour=oat", [302])
    assert lifespan_calls == []
    with pytest.raises(RuntimeError, match="async with AsyncTestClient"):
        client.websocket_connect("/ws")


async def test_the_transport_works_with_a_plain_httpx_client() -> None:
    transport = TrioASGITransport(_redirect_and_cookies)
    async with httpx.AsyncClient(transport=transport, base_url="http://example.com") as client:
        response = await client.get("/x", headers={"cookie": "k=v"})
    assert response.text == "/x k=v"


async def test_a_body_that_is_not_bytes_is_a_type_error() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200})
            await send({"type": "http.response.body", "body": "text"})

    async with AsyncTestClient(app) as client:
        with pytest.raises(TypeError, match="must be bytes"):
            await client.get("/")


async def test_read_timeout_between_chunks(autojump_clock: Any) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await _read_body(receive)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        assert (await receive())["type"] == "http.disconnect"

    async with AsyncTestClient(app, timeout=5) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/")


async def test_a_sync_request_body_needs_the_sync_client() -> None:
    request = httpx.Request("POST", "http://testserver.local/", content=iter([b"sync"]))
    async with TrioASGITransport(_redirect_and_cookies) as transport:
        with pytest.raises(TypeError, match="synchronous TestClient"):
            await transport.handle_async_request(request)


async def test_the_transport_cannot_be_opened_twice() -> None:
    async with TrioASGITransport(_redirect_and_cookies) as transport:
        with pytest.raises(RuntimeError, match="already open"):
            await transport.__aenter__()


async def _left_open(app: Any, **options: Any) -> None:
    async with AsyncTestClient(app, **options) as client:
        await client.send(client.build_request("GET", "/"), stream=True)
        await client.send(client.build_request("GET", "/"), stream=True)


async def test_apps_ignoring_the_disconnect_at_close_are_cancelled(autojump_clock: Any) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await _read_body(receive)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await trio.sleep_forever()

    with pytest.raises(TimeoutError, match="2 ASGI app calls did not return within 3 s"):
        await _left_open(app, disconnect_timeout=3)


async def test_several_errors_at_close_are_raised_together() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await _read_body(receive)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await receive()
            raise Boom("one of two")

    with pytest.RaisesGroup(Boom, Boom, match="errors while closing the test client"):
        await _left_open(app)


@pytest.fixture
async def fixture_client() -> AsyncIterator[AsyncTestClient[Any]]:
    # pytest-trio runs this fixture in its own task: the client's nursery lives there, and
    # the test's requests (made from another task) still run inside it.
    async with AsyncTestClient(_redirect_and_cookies) as client:
        yield client


async def test_the_client_works_from_an_async_fixture(fixture_client: AsyncTestClient[Any]) -> None:
    assert (await fixture_client.get("/x")).text == "/x "
    async with fixture_client.stream("GET", "/y") as response:
        assert [chunk async for chunk in aiter_chunks(response)] == [b"/y "]
