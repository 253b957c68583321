"""The synchronous TestClient: same behaviour as the async one, from plain (non-trio) tests."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import trio
import trio.testing

from trioweb.exceptions import WebSocketDisconnect
from trioweb.testing import TestClient, iter_sse
from trioweb.types import Message, Receive, Scope, Send

Log = list[str]


def _app(log: Log) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await receive()
            scope["state"]["started"] = True
            await send({"type": "lifespan.startup.complete"})
            log.append((await receive())["type"])
            await send({"type": "lifespan.shutdown.complete"})
        elif scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.accept"})
            while (message := await receive())["type"] == "websocket.receive":
                await send({"type": "websocket.send", "text": message["text"].upper()})
            log.append(f"ws {message['code']}")
        elif scope["path"] == "/stream":
            await receive()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            for n in range(1000):
                await send({"type": "http.response.body", "body": b"%d," % n, "more_body": True})
                await trio.sleep(0)
            log.append((await receive())["type"])  # not reached unless disconnected
        elif scope["path"] == "/sse":
            await receive()
            headers = [(b"content-type", b"text/event-stream")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            body = b"event: a\r\ndata: 1\r\n\r\n: ping\r\n\r\nid: 7\ndata: 2\n\n"
            await send({"type": "http.response.body", "body": body})
        elif scope["path"] == "/boom":
            raise LookupError("sync boom")
        else:
            message = await receive()
            body = repr(scope["state"]).encode() + b" " + message["body"]
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": body})

    return app


def test_requests_lifespan_and_state() -> None:
    log: Log = []
    threads = threading.active_count()
    with TestClient(_app(log)) as client:
        assert client.lifespan_state == {"started": True}
        assert client.get("/").text == "{'started': True} "
        assert client.post("/", content=b"body").text == "{'started': True} body"
        assert client.post("/", content=iter([b"a", b"b"])).text == "{'started': True} ab"
        assert log == []
    assert log == ["lifespan.shutdown"]
    assert threading.active_count() == threads  # the loop thread has been joined


def test_leaving_a_stream_early_disconnects_the_app() -> None:
    log: Log = []
    with TestClient(_app(log)) as client:
        with client.stream("GET", "/stream") as response:
            chunks = response.iter_raw()
            assert next(chunks) == b"0,"
        assert log == ["http.disconnect"]


def test_server_sent_events() -> None:
    with TestClient(_app([])) as client, client.stream("GET", "/sse") as response:
        events = list(iter_sse(response, include_comments=True))
    assert [(e.event, e.data, e.id, e.comments) for e in events] == [
        ("a", "1", "", ()),
        ("", "", "", ("ping",)),
        ("message", "2", "7", ()),
    ]


def test_websocket() -> None:
    log: Log = []
    with TestClient(_app(log)) as client:
        with client.websocket_connect("/ws") as ws:
            ws.send_text("hi")
            assert ws.receive_text() == "hi".upper()
            ws.send_json({"k": 1})
            assert ws.receive_json() == {"K": 1}
            with pytest.raises(TimeoutError):
                ws.receive(block=False)
        assert log == ["ws 1000"]


def test_websocket_rejection() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.close", "code": 4404})

    with TestClient(app) as client, pytest.raises(WebSocketDisconnect) as info:
        with client.websocket_connect("/ws"):
            pass  # pragma: no cover
    assert info.value.code == 4404


def test_app_exceptions_are_raised_or_become_500() -> None:
    with TestClient(_app([])) as client, pytest.raises(LookupError, match="sync boom"):
        client.get("/boom")
    with TestClient(_app([]), raise_server_exceptions=False) as client:
        assert client.get("/boom").status_code == 500


def test_a_failed_startup_is_raised_on_enter() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "no config"})

    threads = threading.active_count()
    with pytest.raises(RuntimeError, match="no config"), TestClient(app):
        pass  # pragma: no cover
    assert threading.active_count() == threads


def test_errors_found_on_exit_are_noted_on_the_tests_own_failure() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        await receive()
        raise ArithmeticError("also broken")

    with pytest.raises(KeyError) as info, TestClient(app) as client:
        client.send(client.build_request("GET", "/"), stream=True)
        raise KeyError("the test failed")
    assert any("also broken" in note for note in info.value.__notes__)


def test_errors_found_on_exit_are_raised() -> None:
    messages: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        messages.append(await receive())
        raise ArithmeticError("after disconnect")

    with pytest.raises(ArithmeticError), TestClient(app) as client:
        client.send(client.build_request("GET", "/"), stream=True)
    assert messages == [{"type": "http.disconnect"}]


def test_without_with_each_request_runs_alone_and_without_lifespan() -> None:
    # Litestar's TestClient also answers outside ``with``: no lifespan, one request at a time
    log: Log = []
    client = TestClient(_app(log))
    assert client.get("/").text == "{} "
    assert client.post("/", content=iter([b"a", b"b"])).text == "{} ab"
    events = client.get("/sse")
    assert events.text.startswith("event: a\r\ndata: 1\r\n")
    assert events.headers.raw == [(b"content-type", b"text/event-stream")]  # as the app sent
    with pytest.raises(LookupError, match="sync boom"):
        client.get("/boom")
    assert TestClient(_app(log), raise_server_exceptions=False).get("/boom").status_code == 500
    with pytest.raises(RuntimeError, match="with TestClient"):
        client.websocket_connect("/ws")
    assert log == []  # no lifespan messages


def test_backend_options_reach_trio_run() -> None:
    clock = trio.testing.MockClock(autojump_threshold=0)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await trio.sleep(3600)  # instant on the autojumping clock
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"%d" % trio.current_time()})

    with TestClient(app, backend_options={"clock": clock}) as client:
        assert int(client.get("/").text) >= 3600


async def test_the_sync_client_refuses_to_run_inside_trio() -> None:
    with pytest.raises(RuntimeError, match="use `async with AsyncTestClient"), TestClient(_app([])):
        pass  # pragma: no cover
