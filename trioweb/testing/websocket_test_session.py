"""WebSocket sessions between a test and the app under test.

:class:`AsyncWebSocketTestSession` is the real one; :class:`WebSocketTestSession` drives it
from synchronous code through the :class:`~trioweb.testing.TestClient`'s event loop thread.

The app side behaves like hypercorn's ``WSStream`` (ASGI spec 2.3, extension
``websocket.http.response``):

* ``receive()`` yields ``websocket.connect``, then each client message as
  ``websocket.receive`` with *both* ``text`` and ``bytes`` keys, one of them ``None``; then one
  ``websocket.disconnect``: the client's code when the test closes (``close()`` or leaving the
  ``async with`` block, 1000 by default), or 1000 right after the app's own
  ``websocket.close``. A ``receive()`` after that blocks.
* ``send()`` checks the handshake state machine (accept / close / denial response before the
  handshake completes, then ``websocket.send`` / ``websocket.close``) and raises
  :class:`RuntimeError` on a violation. Messages after a close are dropped silently.

The test side:

* entering the session waits for the handshake. A ``websocket.close`` before accept raises
  :class:`~trioweb.exceptions.WebSocketDisconnect` with the app's code and reason; a denial
  response raises :class:`WebSocketDenialResponse` with its status, headers and body.
* ``receive*()`` return what the app sent; once the app has closed, they raise
  :class:`~trioweb.exceptions.WebSocketDisconnect` with its code (1011 if the app returned
  without closing, which is what hypercorn sends), or the app's own exception if it crashed
  and ``raise_server_exceptions`` is on.
* leaving the session delivers ``websocket.disconnect`` (unless the app closed first) and
  waits for the app call, bounded by the client's ``disconnect_timeout``.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import httpx
import trio

from trioweb.exceptions import WebSocketDisconnect
from trioweb.serialization import decode_json, decode_msgpack, encode_json, encode_msgpack
from trioweb.status_codes import (
    WS_1000_NORMAL_CLOSURE,
    WS_1006_ABNORMAL_CLOSURE,
    WS_1011_INTERNAL_ERROR,
)
from trioweb.testing._app_call import AppCall
from trioweb.testing._server import raw_headers
from trioweb.types import Message

if TYPE_CHECKING:
    from types import TracebackType

    from trioweb.testing._portal import LoopThread
    from trioweb.testing._server import InProcessServer
    from trioweb.types import Scope

__all__ = ("AsyncWebSocketTestSession", "WebSocketDenialResponse", "WebSocketTestSession")

WebSocketMode = Literal["text", "binary"]


class WebSocketDenialResponse(WebSocketDisconnect):
    """The app refused the WebSocket handshake with an HTTP response.

    Raised when entering the session. ``status_code``, ``headers`` and ``content`` describe
    the response (sent with ``websocket.http.response.start``/``.body``); ``code`` is 1006,
    what a browser reports for a handshake that failed.
    """

    def __init__(self, status_code: int, headers: httpx.Headers, content: bytes) -> None:
        super().__init__(
            detail=f"WebSocket handshake denied with HTTP {status_code}",
            code=WS_1006_ABNORMAL_CLOSURE,
        )
        self.status_code = status_code
        self.headers = headers
        self.content = content

    @property
    def body(self) -> bytes:
        """The same as :attr:`content`."""
        return self.content

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.content.decode()

    def json(self) -> Any:
        """The body decoded as JSON."""
        return decode_json(self.content)


class AsyncWebSocketTestSession:
    """A WebSocket connection from the test to the app; see the module docstring.

    Use as ``async with client.websocket_connect("/ws") as ws:`` (``async with await ...``
    also works, for code written against Litestar's async client).
    """

    def __init__(
        self, server: InProcessServer, scope: Scope, *, connect_timeout: float | None = None
    ) -> None:
        self.scope = scope
        self.accepted_subprotocol: str | None = None
        self.extra_headers: list[tuple[bytes, bytes]] | None = None
        self.call = AppCall()
        self._server = server
        self._connect_timeout = math.inf if connect_timeout is None else connect_timeout
        self._to_app_send, self._to_app_recv = trio.open_memory_channel[Message](math.inf)
        self._from_app_send, self._from_app_recv = trio.open_memory_channel[Message](math.inf)
        self._app_state: Literal["connecting", "open", "denying", "closed"] = "connecting"
        self._disconnect_sent = False  # the app has been given its websocket.disconnect
        self._closed_by_test = False
        self._close: tuple[int, str] | None = None  # the app's close (code, reason), once seen
        self._entered = False

    def __await__(self) -> Generator[Any, None, AsyncWebSocketTestSession]:
        return self._itself().__await__()

    async def _itself(self) -> AsyncWebSocketTestSession:
        return self

    # the app's side ----------------------------------------------------------------------

    async def _serve(self) -> None:
        try:
            await self.call.run(self._server.app, self.scope, self._to_app_recv.receive, self._send)
        finally:
            self._from_app_send.close()

    async def _send(self, message: Message) -> None:
        await trio.lowlevel.checkpoint()
        kind = message.get("type")
        state = self._app_state
        if state == "closed" or self._closed_by_test:
            return  # the connection is gone; hypercorn drops these too
        if state == "connecting" and kind == "websocket.accept":
            subprotocol = message.get("subprotocol")
            if subprotocol is not None and subprotocol not in self.scope["subprotocols"]:
                raise RuntimeError(f"the ASGI app accepted unoffered subprotocol {subprotocol!r}")
            raw_headers(message.get("headers") or ())
            self._app_state = "open"
        elif state == "connecting" and kind == "websocket.http.response.start":
            raw_headers(message.get("headers") or ())
            self._app_state = "denying"
        elif state == "denying" and kind == "websocket.http.response.body":
            if not message.get("more_body", False):
                self._app_closed()
        elif state == "open" and kind == "websocket.send":
            if message.get("bytes") is None and not isinstance(message.get("text"), str):
                raise TypeError("'websocket.send' needs 'bytes' or a str 'text'")
        elif state in ("connecting", "open") and kind == "websocket.close":
            self._app_closed()
        else:
            raise RuntimeError(f"unexpected ASGI message {kind!r} in WebSocket state {state!r}")
        self._from_app_send.send_nowait(dict(message))

    def _app_closed(self) -> None:
        # The test client answers the app's close at once: the app's next receive() is a
        # websocket.disconnect with code 1000, as hypercorn reports an app-initiated close.
        self._app_state = "closed"
        self._deliver_disconnect({"type": "websocket.disconnect", "code": WS_1000_NORMAL_CLOSURE})

    def _deliver_disconnect(self, message: Message) -> None:
        if not self._disconnect_sent:
            self._disconnect_sent = True
            self._to_app_send.send_nowait(message)

    def client_left(self) -> None:
        """Disconnect with code 1000 if still connected; never blocks."""
        self._disconnect(WS_1000_NORMAL_CLOSURE, "")

    def _disconnect(self, code: int, reason: str) -> None:
        self._closed_by_test = True
        message: Message = {"type": "websocket.disconnect", "code": code}
        if reason:
            message["reason"] = reason
        self._deliver_disconnect(message)

    # the test's side ---------------------------------------------------------------------

    async def __aenter__(self) -> AsyncWebSocketTestSession:
        if self._entered:
            raise RuntimeError("a WebSocket test session can only be entered once")
        self._entered = True
        self._to_app_send.send_nowait({"type": "websocket.connect"})
        self._server.start(self, self._serve)
        try:
            with trio.fail_after(self._connect_timeout):
                message = await self._next_from_app()
        except trio.TooSlowError:
            self._disconnect(WS_1006_ABNORMAL_CLOSURE, "")
            await self._server.retire(self, report=False)
            raise TimeoutError(
                f"the ASGI app did not answer the WebSocket handshake within "
                f"{self._connect_timeout} s"
            ) from None
        except BaseException:
            self._disconnect(WS_1006_ABNORMAL_CLOSURE, "")
            await self._server.retire(self, report=False)
            raise
        if message is not None and message["type"] == "websocket.accept":
            self.accepted_subprotocol = message.get("subprotocol")
            self.extra_headers = raw_headers(message.get("headers") or ())
            return self
        rejection = await self._rejection(message)
        # The app is told the handshake is over; its exception, if any, wins.
        self._disconnect(WS_1006_ABNORMAL_CLOSURE, "")
        await self._server.retire(self, report=True)
        raise rejection

    async def _rejection(self, message: Message | None) -> WebSocketDisconnect | RuntimeError:
        if message is None:
            if self._server.raise_server_exceptions:
                return RuntimeError(
                    "the ASGI app returned without accepting or rejecting the WebSocket"
                )
            return WebSocketDenialResponse(500, httpx.Headers(), b"")
        if message["type"] == "websocket.close":
            return _disconnect_error(message)
        status = int(message["status"])
        headers = httpx.Headers(list(message.get("headers") or []))
        content = bytearray()
        while (part := await self._next_from_app()) is not None:
            content += part.get("body", b"")
            if not part.get("more_body", False):
                break
        return WebSocketDenialResponse(status, headers, bytes(content))

    async def _next_from_app(self) -> Message | None:
        try:
            return await self._from_app_recv.receive()
        except trio.EndOfChannel:
            return None

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._disconnect(WS_1000_NORMAL_CLOSURE, "")
        await self._server.retire(self, report=exc_value is None)

    async def send(
        self,
        data: str | bytes | Mapping[str, Any],
        mode: WebSocketMode = "text",
        encoding: str = "utf-8",
    ) -> None:
        """Send ``data`` as a text or binary message; a mapping is sent as a raw ASGI message.

        Error handling: after the test has seen the app close, raises
        :class:`~trioweb.exceptions.WebSocketDisconnect`; after :meth:`close`, raises
        :class:`RuntimeError`. A message sent after the app closed but before the test
        noticed is dropped, as the network would.
        """
        await trio.lowlevel.checkpoint()
        if self._close is not None:
            raise WebSocketDisconnect(detail=self._close[1], code=self._close[0])
        if self._closed_by_test:
            raise RuntimeError("the test already closed this WebSocket")
        if isinstance(data, Mapping):
            message = dict(data)
            if message.get("type") == "websocket.disconnect":
                self._closed_by_test = True
                self._deliver_disconnect(message)
                return
        elif mode == "text":
            text = data.decode(encoding) if isinstance(data, bytes) else data
            message = {"type": "websocket.receive", "bytes": None, "text": text}
        else:
            raw = data.encode(encoding) if isinstance(data, str) else data
            message = {"type": "websocket.receive", "bytes": raw, "text": None}
        if not self._disconnect_sent:
            self._to_app_send.send_nowait(message)

    async def send_text(self, data: str, encoding: str = "utf-8") -> None:
        """Send a text message."""
        await self.send(data, mode="text", encoding=encoding)

    async def send_bytes(self, data: bytes, encoding: str = "utf-8") -> None:
        """Send a binary message."""
        await self.send(data, mode="binary", encoding=encoding)

    async def send_json(self, data: Any, mode: WebSocketMode = "text") -> None:
        """Send ``data`` encoded as JSON, in a text or binary message."""
        await self.send(encode_json(data), mode=mode)

    async def send_msgpack(self, data: Any) -> None:
        """Send ``data`` encoded as MessagePack, in a binary message."""
        await self.send(encode_msgpack(data), mode="binary")

    async def close(self, code: int = WS_1000_NORMAL_CLOSURE, reason: str = "") -> None:
        """Close the connection: the app receives ``websocket.disconnect`` with ``code``."""
        await trio.lowlevel.checkpoint()
        self._disconnect(code, reason)

    async def receive(self, timeout: float | None = None) -> Message:
        """The next message the app sent (``websocket.send``), as the raw ASGI message.

        Error handling: raises :class:`~trioweb.exceptions.WebSocketDisconnect` once the app
        has closed (again on every later call); the app's exception if it crashed (with
        ``raise_server_exceptions=True``); :class:`TimeoutError` after ``timeout`` seconds.
        """
        if self._close is not None:
            raise WebSocketDisconnect(detail=self._close[1], code=self._close[0])
        message: Message | None
        try:
            message = self._from_app_recv.receive_nowait()
            await trio.lowlevel.cancel_shielded_checkpoint()
        except trio.WouldBlock:
            # Only now the deadline: under an expired one (timeout=0), a blocking receive()
            # would be cancelled before it took a message that is already waiting.
            try:
                with trio.fail_after(math.inf if timeout is None else timeout):
                    message = await self._next_from_app()
            except trio.TooSlowError:
                msg = f"no WebSocket message from the app within {timeout} s"
                raise TimeoutError(msg) from None
        except trio.EndOfChannel:
            message = None
        if message is None:
            self._close = (WS_1011_INTERNAL_ERROR, "the ASGI app returned without closing")
            error = self._server.report(self.call.take_error())
            if error is not None:
                raise error
        elif message["type"] == "websocket.close":
            code = message.get("code")
            self._close = (
                WS_1000_NORMAL_CLOSURE if code is None else int(code),
                message.get("reason") or "",
            )
        else:
            return message
        raise WebSocketDisconnect(detail=self._close[1], code=self._close[0])

    async def receive_text(self, timeout: float | None = None) -> str:
        """The next message, which must be a text message."""
        message = await self.receive(timeout)
        text = message.get("text")
        if not isinstance(text, str):
            raise TypeError("expected a text WebSocket message, got a binary one")
        return text

    async def receive_bytes(self, timeout: float | None = None) -> bytes:
        """The next message, which must be a binary message."""
        message = await self.receive(timeout)
        data = message.get("bytes")
        if data is None:
            raise TypeError("expected a binary WebSocket message, got a text one")
        return bytes(data)

    async def receive_json(self, mode: WebSocketMode = "text", timeout: float | None = None) -> Any:
        """The next message (text or binary, per ``mode``) decoded as JSON."""
        if mode == "text":
            return decode_json(await self.receive_text(timeout))
        return decode_json(await self.receive_bytes(timeout))

    async def receive_msgpack(self, timeout: float | None = None) -> Any:
        """The next binary message decoded as MessagePack."""
        return decode_msgpack(await self.receive_bytes(timeout))


def _disconnect_error(message: Message) -> WebSocketDisconnect:
    code = message.get("code")
    return WebSocketDisconnect(
        detail=message.get("reason") or "",
        code=WS_1000_NORMAL_CLOSURE if code is None else int(code),
    )


class WebSocketTestSession:
    """The synchronous face of :class:`AsyncWebSocketTestSession`, for :class:`TestClient`.

    Use as ``with client.websocket_connect("/ws") as ws:``. Every method runs its async
    counterpart on the client's event loop thread and has the same behaviour.
    """

    def __init__(self, session: AsyncWebSocketTestSession, loop: LoopThread[Any]) -> None:
        self._session = session
        self._loop = loop

    @property
    def scope(self) -> Scope:
        """The ASGI scope of the connection."""
        return self._session.scope

    @property
    def accepted_subprotocol(self) -> str | None:
        """The subprotocol the app accepted, if any."""
        return self._session.accepted_subprotocol

    @property
    def extra_headers(self) -> list[tuple[bytes, bytes]] | None:
        """The headers the app added to its ``websocket.accept``."""
        return self._session.extra_headers

    def __enter__(self) -> WebSocketTestSession:
        self._loop.run(self._session.__aenter__)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._loop.run(self._session.__aexit__, exc_type, exc_value, traceback)

    def send(
        self,
        data: str | bytes | Mapping[str, Any],
        mode: WebSocketMode = "text",
        encoding: str = "utf-8",
    ) -> None:
        """See :meth:`AsyncWebSocketTestSession.send`."""
        self._loop.run(self._session.send, data, mode, encoding)

    def send_text(self, data: str, encoding: str = "utf-8") -> None:
        """Send a text message."""
        self._loop.run(self._session.send_text, data, encoding)

    def send_bytes(self, data: bytes, encoding: str = "utf-8") -> None:
        """Send a binary message."""
        self._loop.run(self._session.send_bytes, data, encoding)

    def send_json(self, data: Any, mode: WebSocketMode = "text") -> None:
        """Send ``data`` encoded as JSON."""
        self._loop.run(self._session.send_json, data, mode)

    def send_msgpack(self, data: Any) -> None:
        """Send ``data`` encoded as MessagePack."""
        self._loop.run(self._session.send_msgpack, data)

    def close(self, code: int = WS_1000_NORMAL_CLOSURE, reason: str = "") -> None:
        """Close the connection with ``code``."""
        self._loop.run(self._session.close, code, reason)

    def receive(self, block: bool = True, timeout: float | None = None) -> Message:
        """The next raw message; ``block=False`` means ``timeout=0``."""
        return self._loop.run(self._session.receive, _timeout(block, timeout))

    def receive_text(self, block: bool = True, timeout: float | None = None) -> str:
        """The next message, which must be a text message."""
        return self._loop.run(self._session.receive_text, _timeout(block, timeout))

    def receive_bytes(self, block: bool = True, timeout: float | None = None) -> bytes:
        """The next message, which must be a binary message."""
        return self._loop.run(self._session.receive_bytes, _timeout(block, timeout))

    def receive_json(
        self, mode: WebSocketMode = "text", block: bool = True, timeout: float | None = None
    ) -> Any:
        """The next message decoded as JSON."""
        receive = partial(self._session.receive_json, mode, _timeout(block, timeout))
        return self._loop.run(receive)

    def receive_msgpack(self, block: bool = True, timeout: float | None = None) -> Any:
        """The next binary message decoded as MessagePack."""
        return self._loop.run(self._session.receive_msgpack, _timeout(block, timeout))


def _timeout(block: bool, timeout: float | None) -> float | None:
    return timeout if block else 0
