"""``@websocket`` handlers: parameters, DI, layered settings, guards, errors and close codes."""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from typing import Annotated, Any

import pytest
import trio

from trioweb import Router, TrioWeb, WebSocket, websocket
from trioweb.di import Provide
from trioweb.exceptions import (
    HTTPException,
    ImproperlyConfiguredException,
    NotAuthorizedException,
    PermissionDeniedException,
    WebSocketDisconnect,
    WebSocketException,
)
from trioweb.params import Parameter
from trioweb.response import Response
from trioweb.testing import AsyncTestClient, WebSocketDenialResponse
from trioweb.types import Message, Receive, Scope, Send


async def test_path_query_header_cookie_and_dependency_parameters() -> None:
    async def room_title(room: str) -> str:
        return room.title()

    @websocket("/rooms/{room:str}/{seat:int}", dependencies={"title": Provide(room_title)})
    async def handler(
        socket: WebSocket,
        room: str,
        seat: int,
        title: str,
        limit: int = 10,
        token: Annotated[str, Parameter(header="x-token")] = "",
        session: Annotated[str | None, Parameter(cookie="session")] = None,
    ) -> None:
        await socket.accept()
        await socket.send_json(
            {
                "room": room,
                "seat": seat,
                "title": title,
                "limit": limit,
                "token": token,
                "session": session,
            }
        )

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect(
            "/rooms/lobby/3?limit=5", headers={"x-token": "t"}, cookies={"session": "s"}
        ) as ws:
            assert await ws.receive_json() == {
                "room": "lobby",
                "seat": 3,
                "title": "Lobby",
                "limit": 5,
                "token": "t",
                "session": "s",
            }


async def test_invalid_parameters_refuse_the_handshake_with_400_and_litestar_body() -> None:
    @websocket("/")
    async def handler(socket: WebSocket, limit: int) -> None:
        await socket.accept()

    async with AsyncTestClient(TrioWeb([handler])) as client:
        with pytest.raises(WebSocketDenialResponse) as info:
            async with client.websocket_connect("/?limit=many"):
                pass
    assert info.value.status_code == 400
    body = info.value.json()
    assert body["detail"].startswith("Validation failed for WEBSOCKET")
    assert body["extra"][0]["key"] == "limit"
    assert info.value.headers["content-type"] == "application/json"


async def test_yield_dependency_is_cleaned_up_after_the_connection() -> None:
    events: list[str] = []
    done = trio.Event()

    async def resource() -> AsyncGenerator[str, None]:
        events.append("open")
        yield "db"
        events.append("close")
        done.set()

    @websocket("/", dependencies={"db": Provide(resource)})
    async def handler(socket: WebSocket, db: str) -> None:
        await socket.accept()
        async for message in socket.iter_data():
            events.append(f"{db}:{message}")

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.websocket_connect("/") as ws:
            await ws.send_text("m")
            await ws.send_text("n")
        await done.wait()
    assert events == ["open", "db:m", "db:n", "close"]


async def test_layered_dependencies_guards_and_websocket_class() -> None:
    seen: list[Any] = []

    class RoomSocket(WebSocket[Any, Any, Any]):
        pass

    async def allow_members(connection: Any, handler: Any) -> None:
        seen.append(("guard", type(connection).__name__, handler.handler_name))
        if connection.headers.get("x-member") != "yes":
            raise PermissionDeniedException("members only")

    @websocket("/room")
    async def room(socket: WebSocket, greeting: str) -> None:
        await socket.accept()
        await socket.send_text(greeting)

    router = Router(
        "/v1",
        [room],
        dependencies={"greeting": Provide(lambda: "welcome", sync_to_thread=False)},
        guards=[allow_members],
    )
    app = TrioWeb([router], websocket_class=RoomSocket)
    async with AsyncTestClient(app) as client:
        async with client.websocket_connect("/v1/room", headers={"x-member": "yes"}) as ws:
            assert await ws.receive_text() == "welcome"
        with pytest.raises(WebSocketDenialResponse) as info:
            async with client.websocket_connect("/v1/room"):
                pass
    assert info.value.status_code == 403
    assert info.value.json() == {"status_code": 403, "detail": "members only"}
    assert seen == [("guard", "RoomSocket", "room")] * 2


@pytest.mark.parametrize(
    ("raised", "status"),
    [(NotAuthorizedException("who are you"), 401), (HTTPException(status_code=418), 418)],
)
async def test_http_errors_before_accept_are_real_http_responses(
    raised: HTTPException, status: int
) -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        raise raised

    async with AsyncTestClient(TrioWeb([handler])) as client:
        with pytest.raises(WebSocketDenialResponse) as info:
            async with client.websocket_connect("/"):
                pass
    assert info.value.status_code == status
    assert info.value.json()["status_code"] == status


async def test_errors_after_accept_become_close_codes(caplog: pytest.LogCaptureFixture) -> None:
    @websocket("/{kind:str}")
    async def handler(socket: WebSocket, kind: str) -> None:
        await socket.accept()
        if kind == "ws":
            raise WebSocketException(detail="try later", code=1013)
        if kind == "http":
            raise PermissionDeniedException("not yours")
        if kind == "bug":
            raise KeyError("oops")

    codes: dict[str, tuple[int, str]] = {}
    async with AsyncTestClient(TrioWeb([handler])) as client:
        for kind in ("ws", "http", "bug", "fine"):
            async with client.websocket_connect(f"/{kind}") as ws:
                with pytest.raises(WebSocketDisconnect) as info:
                    await ws.receive_text()
                codes[kind] = (info.value.code, info.value.detail)
    assert codes == {
        "ws": (1013, "try later"),
        "http": (4500, "not yours"),  # as Litestar: 4500 for any HTTPException
        "bug": (1011, "Internal Server Error"),
        "fine": (1000, ""),
    }
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1
    assert logged[0].exc_info is not None and logged[0].exc_info[0] is KeyError


async def test_unexpected_error_before_accept_is_a_500_and_the_app_keeps_serving(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @websocket("/boom")
    async def boom(socket: WebSocket) -> None:
        raise RuntimeError("handler bug")

    @websocket("/ok")
    async def ok(socket: WebSocket) -> None:
        await socket.send_text("still here")

    async with AsyncTestClient(TrioWeb([boom, ok])) as client:
        with pytest.raises(WebSocketDenialResponse) as info:
            async with client.websocket_connect("/boom"):
                pass
        async with client.websocket_connect("/ok") as ws:
            assert await ws.receive_text() == "still here"
    assert info.value.status_code == 500
    assert info.value.json() == {"status_code": 500, "detail": "Internal Server Error"}
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


async def test_layered_exception_handlers_apply(caplog: pytest.LogCaptureFixture) -> None:
    class RoomFull(Exception):
        pass

    def room_full(socket: WebSocket, exc: RoomFull) -> Response[Any]:
        return Response({"error": "room full"}, status_code=409)

    @websocket("/{when:str}")
    async def handler(socket: WebSocket, when: str) -> None:
        if when == "after":
            await socket.accept()
        raise RoomFull

    app = TrioWeb([handler], exception_handlers={RoomFull: room_full})
    async with AsyncTestClient(app) as client:
        with pytest.raises(WebSocketDenialResponse) as denial:
            async with client.websocket_connect("/before"):
                pass
        async with client.websocket_connect("/after") as ws:
            with pytest.raises(WebSocketDisconnect) as closed:
                await ws.receive_text()
    assert (denial.value.status_code, denial.value.json()) == (409, {"error": "room full"})
    assert closed.value.code == 4409
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_route_middleware_wraps_the_websocket_handler() -> None:
    def tag(app: Any) -> Any:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            scope["tag"] = "tagged"
            await app(scope, receive, send)

        return middleware

    @websocket("/", middleware=[tag])
    async def handler(socket: WebSocket) -> None:
        await socket.send_text(socket.scope.get("tag", "untagged"))

    async with AsyncTestClient(TrioWeb([handler])) as client, client.websocket_connect("/") as ws:
        assert await ws.receive_text() == "tagged"


async def test_refusal_without_the_denial_extension_closes_the_handshake() -> None:
    @websocket("/")
    async def handler(socket: WebSocket) -> None:
        raise NotAuthorizedException

    app = TrioWeb([handler])
    sent: list[Message] = []
    incoming = [{"type": "websocket.connect"}]

    async def receive() -> Message:
        if incoming:
            return incoming.pop()
        await trio.sleep_forever()
        raise AssertionError

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {
        "type": "websocket",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "headers": [],
        "subprotocols": [],
        "state": {},
    }
    with trio.fail_after(5):
        await app(scope, receive, send)
    assert sent == [{"type": "websocket.close", "code": 4401, "reason": "Unauthorized"}]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def handler(socket: WebSocket) -> None: ...", "must be asynchronous"),
        ("async def handler() -> None: ...", "must define a 'socket' parameter"),
        ("async def handler(socket: WebSocket, data: str) -> None: ...", "data kwarg"),
        ("async def handler(socket: WebSocket) -> int: ...", "must return 'None'"),
    ],
)
def test_configuration_errors_are_raised_when_the_app_is_built(source: str, message: str) -> None:
    namespace: dict[str, Any] = {"WebSocket": WebSocket}
    exec(source, namespace)
    handler = websocket("/")(namespace["handler"])
    with pytest.raises(ImproperlyConfiguredException, match=message):
        TrioWeb([handler])
