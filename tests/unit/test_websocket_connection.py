"""The ``WebSocket`` connection API (seed 001 / Litestar), in-process through the test client."""

from __future__ import annotations

from typing import Any

import pytest
import trio

from trioweb import TrioWeb, WebSocket, websocket
from trioweb.datastructures import Headers
from trioweb.exceptions import WebSocketDisconnect, WebSocketException
from trioweb.testing import AsyncTestClient, WebSocketDenialResponse
from trioweb.types import Receive, Scope, Send


def client_for(*handlers: Any) -> AsyncTestClient[Any]:
    return AsyncTestClient(TrioWeb(list(handlers)))


@pytest.mark.parametrize("mode", ["text", "binary"])
async def test_json_round_trip_in_both_modes(mode: Any) -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        received = await socket.receive_json(mode=mode)
        await socket.send_json({"message": received}, mode=mode)

    async with client_for(handler) as client, client.websocket_connect("/") as ws:
        await ws.send_json({"hello": "world"}, mode=mode)
        assert await ws.receive_json(mode=mode) == {"message": {"hello": "world"}}


async def test_text_bytes_and_msgpack_round_trips() -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        await socket.send_text("text: " + await socket.receive_text())
        await socket.send_bytes(b"bytes: " + await socket.receive_bytes())
        await socket.send_msgpack({"echo": await socket.receive_msgpack()})
        await socket.send_data("as binary", mode="binary")
        await socket.send_data(b"as text", mode="text")

    async with client_for(handler) as client, client.websocket_connect("/") as ws:
        await ws.send_text("hi")
        assert await ws.receive_text() == "text: hi"
        await ws.send_bytes(b"\x00\xff")
        assert await ws.receive_bytes() == b"bytes: \x00\xff"
        await ws.send_msgpack([1, "two"])
        assert await ws.receive_msgpack() == {"echo": [1, "two"]}
        assert await ws.receive_bytes() == b"as binary"
        assert await ws.receive_text() == "as text"


async def test_a_message_of_the_other_kind_is_converted_not_dropped() -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        as_text = await socket.receive_data("text")
        as_bytes = await socket.receive_data("binary")
        await socket.send_json([as_text, as_bytes.decode()])

    async with client_for(handler) as client, client.websocket_connect("/") as ws:
        await ws.send_bytes("héllo".encode())
        await ws.send_text("wörld")
        assert await ws.receive_json() == ["héllo", "wörld"]


async def test_binary_that_is_not_utf8_read_as_text_closes_with_1007() -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        await socket.receive_text()

    async with client_for(handler) as client, client.websocket_connect("/") as ws:
        await ws.send_bytes(b"\xff\xfe")
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive_text()
    assert info.value.code == 1007


async def test_iterators_end_quietly_when_the_client_leaves() -> None:
    seen: dict[str, list[Any]] = {"data": [], "json": [], "msgpack": []}
    finished = trio.Event()

    @websocket("/{kind:str}")
    async def handler(socket: WebSocket, kind: str) -> None:
        await socket.accept()
        iterator: Any = {
            "data": socket.iter_data("binary"),
            "json": socket.iter_json(),
            "msgpack": socket.iter_msgpack(),
        }[kind]
        async for item in iterator:
            seen[kind].append(item)
        seen[kind].append("<end>")
        if kind == "msgpack":
            finished.set()

    async with client_for(handler) as client:
        async with client.websocket_connect("/data") as ws:
            await ws.send_bytes(b"a")
            await ws.send_bytes(b"b")
        async with client.websocket_connect("/json") as ws:
            await ws.send_json({"n": 1})
        async with client.websocket_connect("/msgpack") as ws:
            await ws.send_msgpack({"n": 2})
        await finished.wait()
    assert seen == {
        "data": [b"a", b"b", "<end>"],
        "json": [{"n": 1}, "<end>"],
        "msgpack": [{"n": 2}, "<end>"],
    }


async def test_connection_state_follows_what_the_app_received() -> None:
    states: list[str] = []

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        states.append(socket.connection_state)
        await socket.accept()
        states.append(socket.connection_state)
        await socket.receive_text()
        states.append(socket.connection_state)
        with pytest.raises(WebSocketDisconnect):
            await socket.receive_text()
        states.append(socket.connection_state)

    async with client_for(handler) as client:
        async with client.websocket_connect("/") as ws:
            await ws.send_text("x")
    assert states == ["init", "connect", "receive", "disconnect"]


@pytest.mark.parametrize(
    "headers",
    [[(b"x-room", b"lobby")], {"X-Room": "lobby"}, Headers({"x-room": "lobby"})],
    ids=["list", "dict", "Headers"],
)
async def test_accept_with_subprotocol_and_headers(headers: Any) -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        assert socket.scope["subprotocols"] == ["soap", "wamp"]
        await socket.accept(subprotocols="wamp", headers=headers)

    async with (
        client_for(handler) as client,
        client.websocket_connect("/", subprotocols=["soap", "wamp"]) as ws,
    ):
        assert ws.accepted_subprotocol == "wamp"
        assert ws.extra_headers == [(b"x-room", b"lobby")]


async def test_accepting_a_subprotocol_the_client_did_not_offer_is_refused() -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept(subprotocols="graphql-ws")

    async with client_for(handler) as client:
        with pytest.raises(WebSocketDenialResponse) as info:
            async with client.websocket_connect("/", subprotocols=["wamp"]):
                pass
    assert info.value.status_code == 500


async def test_close_with_code_and_reason() -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        await socket.close(code=4001, reason="Going Away")

    async with client_for(handler) as client, client.websocket_connect("/") as ws:
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive_text()
    assert (info.value.code, info.value.detail) == (4001, "Going Away")


async def test_closing_before_accept_rejects_the_handshake() -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.close(code=1001)

    async with client_for(handler) as client:
        with pytest.raises(WebSocketDisconnect) as info:
            async with client.websocket_connect("/"):
                pass
    assert info.value.code == 1001


async def test_send_after_close_is_a_clear_error_and_close_again_does_nothing() -> None:
    errors: list[WebSocketDisconnect] = []

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        await socket.close(code=4002)
        await socket.close(code=4003)  # no-op
        try:
            await socket.send_text("too late")
        except WebSocketDisconnect as exc:
            errors.append(exc)

    async with client_for(handler) as client, client.websocket_connect("/") as ws:
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive_text()
    assert info.value.code == 4002
    assert errors[0].code == 4002
    assert "application closed" in errors[0].detail


async def test_disconnect_carries_the_client_close_code_and_later_calls_raise_too() -> None:
    outcome: dict[str, Any] = {}
    done = trio.Event()

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        try:
            await socket.receive_text()
        except WebSocketException as exc:
            outcome["code"] = exc.code
        try:
            await socket.receive()
        except WebSocketDisconnect as exc:
            outcome["again"] = exc.code
        try:
            await socket.send_text("anyone?")
        except WebSocketDisconnect as exc:
            outcome["send"] = (exc.code, exc.detail)
        done.set()

    async with client_for(handler) as client:
        async with client.websocket_connect("/") as ws:
            await ws.close(code=1001)
        await done.wait()
    assert outcome == {
        "code": 1001,
        "again": 1001,
        "send": (1001, "cannot send: the client disconnected (code 1001)"),
    }


async def test_receive_and_send_accept_first_when_nobody_has() -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        name = await socket.receive_text()  # accepts
        await socket.send_text(f"hi {name}")

    async with client_for(handler) as client, client.websocket_connect("/") as ws:
        await ws.send_text("ann")
        assert await ws.receive_text() == "hi ann"


async def test_protocol_mistakes_raise_errors_that_say_what_to_do() -> None:
    errors: list[str] = []

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        assert (await socket.receive())["type"] == "websocket.connect"
        for attempt in (
            socket.receive,
            lambda: socket.send({"type": "websocket.send", "text": "x"}),
        ):
            try:
                await attempt()
            except RuntimeError as exc:
                errors.append(str(exc))
        await socket.accept()  # still possible after a manual receive of the connect
        await socket.accept()  # and idempotent
        try:
            await socket.send({"type": "websocket.accept"})
        except RuntimeError as exc:
            errors.append(str(exc))
        await socket.send_text("accepted")

    async with client_for(handler) as client, client.websocket_connect("/") as ws:
        assert await ws.receive_text() == "accepted"
    assert len(errors) == 3
    assert "call accept() first" in errors[0]
    assert "call accept() first" in errors[1]
    assert "already been accepted" in errors[2]


async def test_a_websocket_built_by_hand_over_raw_asgi() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        socket: WebSocket[Any, Any, Any] = WebSocket(scope, receive=receive, send=send)
        await socket.accept()
        await socket.send_json({"path": socket.url.path, "q": socket.query_params.get("q")})
        assert (await socket.receive())["type"] == "websocket.disconnect"
        with pytest.raises(WebSocketException):
            await socket.receive()

    async with AsyncTestClient(app) as client:
        async with client.websocket_connect("/raw?q=1") as ws:
            assert await ws.receive_json() == {"path": "/raw", "q": "1"}


async def test_send_stream_sends_every_item_and_closes_the_iterator(autojump_clock: Any) -> None:
    closed = trio.Event()

    async def words() -> Any:
        try:
            for word in ("a", "b"):
                yield word
            await trio.sleep_forever()
        finally:
            closed.set()

    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        await socket.accept()
        stream = words()
        with trio.move_on_after(0.5):
            await socket.send_stream(stream)
        await closed.wait()

    async with client_for(handler) as client, client.websocket_connect("/") as ws:
        assert [await ws.receive_text(), await ws.receive_text()] == ["a", "b"]
        with pytest.raises(WebSocketDisconnect) as info:
            await ws.receive_text()
    assert info.value.code == 1000
