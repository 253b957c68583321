"""AsyncTestClient.websocket_connect against raw ASGI apps: handshake, messages, close codes."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import trio
import trio.testing

from trioweb.exceptions import WebSocketDisconnect
from trioweb.testing import AsyncTestClient, WebSocketDenialResponse
from trioweb.types import Message, Receive, Scope, Send


def _echo_app(log: list[Message] | None = None, **accept: Any) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept", **accept})
        while True:
            message = await receive()
            if log is not None:
                log.append(message)
            if message["type"] == "websocket.disconnect":
                return
            if message["text"] == "close":
                await send({"type": "websocket.close", "code": 4001, "reason": "asked to"})
                continue
            if message["text"] is not None:
                await send({"type": "websocket.send", "text": message["text"]})
            else:
                await send({"type": "websocket.send", "bytes": message["bytes"]})

    return app


async def test_echo_in_every_encoding() -> None:
    async with AsyncTestClient(_echo_app()) as client, client.websocket_connect("/ws") as ws:
        await ws.send_text("hello")
        assert await ws.receive_text() == "hello"
        await ws.send_bytes(b"\x00\x01")
        assert await ws.receive_bytes() == b"\x00\x01"
        await ws.send_json({"a": [1, 2]})
        assert await ws.receive_json() == {"a": [1, 2]}
        await ws.send_json({"b": None}, mode="binary")
        assert await ws.receive_json(mode="binary") == {"b": None}
        await ws.send_msgpack({"c": 3})
        assert await ws.receive_msgpack() == {"c": 3}
        await ws.send("raw", mode="binary")
        assert await ws.receive() == {"type": "websocket.send", "bytes": b"raw"}
        await ws.send({"type": "websocket.receive", "text": "as a message", "bytes": None})
        assert await ws.receive_text() == "as a message"


async def test_the_scope_and_messages_are_what_hypercorn_gives() -> None:
    seen: dict[str, Any] = {}
    log: list[Message] = []
    echo = _echo_app(log, subprotocol="chat.v2", headers=[(b"x-accepted", b"yes")])

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.update(scope)
        await echo(scope, receive, send)

    async with (
        AsyncTestClient(app) as client,
        client.websocket_connect(
            "/ws?room=1", subprotocols=["chat.v1", "chat.v2"], headers={"X-Token": "t"}
        ) as ws,
    ):
        assert ws.accepted_subprotocol == "chat.v2"
        assert ws.extra_headers == [(b"x-accepted", b"yes")]
        await ws.send_text("hi")
        await ws.receive_text()
    assert seen["type"] == "websocket"
    assert seen["asgi"] == {"version": "3.0", "spec_version": "2.3"}
    assert seen["scheme"] == "ws"
    assert seen["path"] == "/ws"
    assert seen["query_string"] == b"room=1"
    assert seen["subprotocols"] == ["chat.v1", "chat.v2"]
    assert seen["extensions"] == {"websocket.http.response": {}}
    assert seen["server"] == ("testserver.local", 80)
    headers = dict(seen["headers"])
    assert headers[b"upgrade"] == b"websocket"
    assert headers[b"x-token"] == b"t"
    assert log[0] == {"type": "websocket.receive", "text": "hi", "bytes": None}
    assert log[-1] == {"type": "websocket.disconnect", "code": 1000}


async def test_leaving_the_block_disconnects_with_1000_and_waits_for_the_app() -> None:
    log: list[Message] = []
    async with AsyncTestClient(_echo_app(log)) as client:
        async with client.websocket_connect("/ws"):
            pass
        assert log == [{"type": "websocket.disconnect", "code": 1000}]


async def test_the_test_can_close_with_its_own_code() -> None:
    log: list[Message] = []
    async with AsyncTestClient(_echo_app(log)) as client:
        async with client.websocket_connect("/ws") as ws:
            await ws.close(4000, "going away")
            with pytest.raises(RuntimeError, match="already closed"):
                await ws.send_text("late")
        assert log == [{"type": "websocket.disconnect", "code": 4000, "reason": "going away"}]


async def test_the_apps_close_code_and_reason_reach_the_test() -> None:
    log: list[Message] = []
    async with AsyncTestClient(_echo_app(log)) as client:
        async with client.websocket_connect("/ws") as ws:
            await ws.send_text("close")
            with pytest.raises(WebSocketDisconnect) as info:
                await ws.receive_text()
            assert (info.value.code, info.value.detail) == (4001, "asked to")
            with pytest.raises(WebSocketDisconnect):  # and again, not a hang
                await ws.receive()
            with pytest.raises(WebSocketDisconnect):
                await ws.send_text("after close")
        # hypercorn reports an app-initiated close to the app as 1000
        assert log[-1] == {"type": "websocket.disconnect", "code": 1000}


async def test_close_before_accept_rejects_the_handshake() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.close", "code": 4003, "reason": "no token"})

    async with AsyncTestClient(app) as client:
        with pytest.raises(WebSocketDisconnect) as info:
            async with client.websocket_connect("/ws"):
                pytest.fail("must not be entered")  # pragma: no cover
    assert (info.value.code, info.value.detail) == (4003, "no token")


async def test_a_denial_response_is_raised_with_status_headers_and_body() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send(
            {
                "type": "websocket.http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send(
            {"type": "websocket.http.response.body", "body": b'{"detail":', "more_body": True}
        )
        await send({"type": "websocket.http.response.body", "body": b'"who?"}'})

    async with AsyncTestClient(app) as client:
        with pytest.raises(WebSocketDenialResponse) as info:
            async with client.websocket_connect("/ws"):
                pass  # pragma: no cover
    denial = info.value
    assert isinstance(denial, WebSocketDisconnect)
    assert denial.status_code == 401
    assert denial.headers["content-type"] == "application/json"
    assert denial.content == denial.body == b'{"detail":"who?"}'
    assert denial.json() == {"detail": "who?"}


async def test_an_app_crash_is_raised_from_receive() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await receive()
        raise ValueError("handler broke")

    async with AsyncTestClient(app) as client, client.websocket_connect("/ws") as ws:
        await ws.send_text("x")
        with pytest.raises(ValueError, match="handler broke"):
            await ws.receive()


async def test_without_raise_server_exceptions_a_crash_is_close_1011(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        raise ValueError("handler broke")

    async with (
        AsyncTestClient(app, raise_server_exceptions=False) as client,
        client.websocket_connect("/ws") as ws,
    ):
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive()
        assert info.value.code == 1011
    assert "handler broke" in caplog.text


async def test_an_app_that_returns_without_closing_is_close_1011() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})

    async with AsyncTestClient(app) as client, client.websocket_connect("/ws") as ws:
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive()
        assert info.value.code == 1011


async def test_an_app_that_returns_during_the_handshake() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()

    async with AsyncTestClient(app) as client:
        with pytest.raises(RuntimeError, match="without accepting or rejecting"):
            async with client.websocket_connect("/ws"):
                pass  # pragma: no cover
    async with AsyncTestClient(app, raise_server_exceptions=False) as client:
        with pytest.raises(WebSocketDenialResponse) as info:
            async with client.websocket_connect("/ws"):
                pass  # pragma: no cover
        assert info.value.status_code == 500


@pytest.mark.parametrize(
    ("messages", "error", "match"),
    [
        ([{"type": "websocket.send", "text": "early"}], RuntimeError, "'connecting'"),
        (
            [{"type": "websocket.accept"}, {"type": "websocket.accept"}],
            RuntimeError,
            "'open'",
        ),
        ([{"type": "websocket.accept", "subprotocol": "x"}], RuntimeError, "unoffered"),
        ([{"type": "websocket.accept"}, {"type": "websocket.send"}], TypeError, "needs"),
    ],
)
async def test_protocol_violations_raise_in_the_app(
    messages: list[Message], error: type[Exception], match: str
) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        for message in messages:
            await send(message)
        await receive()

    async with AsyncTestClient(app) as client:
        with pytest.raises(error, match=match):
            async with client.websocket_connect("/ws") as ws:
                await ws.receive()


async def test_messages_the_app_sends_after_its_close_are_dropped() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close"})
        await send({"type": "websocket.send", "text": "too late"})
        await receive()

    async with AsyncTestClient(app) as client, client.websocket_connect("/ws") as ws:
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive()
        assert info.value.code == 1000


async def test_receive_can_time_out(autojump_clock: Any) -> None:
    async with AsyncTestClient(_echo_app()) as client, client.websocket_connect("/ws") as ws:
        with pytest.raises(TimeoutError):
            await ws.receive(timeout=2)


async def test_a_handshake_that_never_completes_times_out(autojump_clock: Any) -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        message = await receive()  # the client gives up: websocket.disconnect 1006
        assert message == {"type": "websocket.disconnect", "code": 1006}

    async with AsyncTestClient(app) as client:
        with pytest.raises(TimeoutError, match="handshake"):
            async with client.websocket_connect("/ws", timeout=5):
                pass  # pragma: no cover


async def test_litestar_style_async_with_await() -> None:
    async with AsyncTestClient(_echo_app()) as client:
        async with await client.websocket_connect("/ws") as ws:
            await ws.send_text("x")
            assert await ws.receive_text() == "x"


async def test_an_app_ignoring_the_disconnect_is_cancelled_and_reported(
    autojump_clock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        await send({"type": "websocket.accept"})
        await trio.sleep_forever()

    async with AsyncTestClient(app, disconnect_timeout=1) as client:
        with pytest.raises(TimeoutError, match="did not return within 1 s"):
            async with client.websocket_connect("/ws"):
                pass


async def test_sending_edge_cases() -> None:
    log: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        await send({"type": "websocket.accept"})
        log.append(await receive())
        await send({"type": "websocket.send", "bytes": b"bin"})
        await send({"type": "websocket.send", "text": "txt"})
        await send({"type": "websocket.close", "code": 1001})
        log.append(await receive())

    async with AsyncTestClient(app) as client:
        async with client.websocket_connect("/ws") as ws:
            await ws.send(b"caf\xc3\xa9", mode="text")  # bytes in text mode are decoded
            with pytest.raises(TypeError, match="got a binary one"):
                await ws.receive_text()
            with pytest.raises(TypeError, match="got a text one"):
                await ws.receive_bytes()
            await ws.send_text("dropped: the app closed, the test has not noticed yet")
            with pytest.raises(WebSocketDisconnect):
                await ws.receive()
        assert log == [
            {"type": "websocket.receive", "text": "café", "bytes": None},
            {"type": "websocket.disconnect", "code": 1000},
        ]


async def test_a_raw_disconnect_message_closes_the_session() -> None:
    log: list[Message] = []
    async with AsyncTestClient(_echo_app(log)) as client:
        async with client.websocket_connect("/ws") as ws:
            await ws.send({"type": "websocket.disconnect", "code": 1001})
        assert log == [{"type": "websocket.disconnect", "code": 1001}]


async def test_a_session_is_entered_once_and_cancelling_the_handshake_disconnects(
    autojump_clock: Any,
) -> None:
    log: list[Message] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        log.append(await receive())

    async with AsyncTestClient(app) as client:
        session = client.websocket_connect("/ws")
        with trio.move_on_after(1):
            await session.__aenter__()
        assert log == [{"type": "websocket.disconnect", "code": 1006}]
        with pytest.raises(RuntimeError, match="only be entered once"):
            await session.__aenter__()


async def test_receive_with_timeout_zero_takes_a_waiting_message() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "first"})
        await send({"type": "websocket.send", "text": "second"})
        await receive()

    async with AsyncTestClient(app) as client, client.websocket_connect("/ws") as ws:
        await trio.testing.wait_all_tasks_blocked()
        assert await ws.receive_text(timeout=0) == "first"
        assert await ws.receive_text(timeout=0) == "second"
        with pytest.raises(TimeoutError):
            await ws.receive(timeout=0)
