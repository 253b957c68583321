"""``WebSocket``: a WebSocket connection (Litestar's API, same names and semantics).

The state machine, as the application sees it (``connection_state`` is Litestar's, set by
what ``receive`` returned; ``accepted``/``closed`` are what the application sent)::

    init ──receive: websocket.connect──▶ connect ──receive: websocket.receive──▶ receive
      │                                     │                                     │
      └──────────── receive: websocket.disconnect (or the client left) ──────────▶ disconnect

* ``accept()`` reads the ``websocket.connect`` message if nobody has yet, then accepts.
  ``receive_*``/``send_*`` accept first when nobody has (Litestar does the same).
* After the client left, every receive and send raises :class:`WebSocketDisconnect` with
  the close code the server reported (hypercorn reports 1000 when the application closed
  first, 1006 otherwise). After the application closed, sends raise it with the
  application's code; ``close()`` again does nothing.
* Protocol mistakes raise a :class:`RuntimeError` that says what to do instead: a raw
  ``receive()`` after ``websocket.connect`` but before accepting (it would wait forever),
  sending a message before accepting through the raw ``send``, accepting twice.

Inside a trioweb handler, ``receive`` is fed by the connection's receive loop (see
``trioweb._lifecycle._websocket``), which is also how sends learn that the client left
even while nobody is receiving. Built by hand from a raw ``receive``/``send`` (as in
Litestar's tests), it works the same minus that early notice.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast, overload

import trio

from trioweb._lifecycle._streaming import close_iterator
from trioweb.connection.base import ASGIConnection, empty_receive, empty_send
from trioweb.datastructures import Headers, State
from trioweb.exceptions import WebSocketDisconnect, WebSocketException
from trioweb.serialization import decode_json, decode_msgpack, encode_json, encode_msgpack
from trioweb.status_codes import WS_1000_NORMAL_CLOSURE, WS_1007_INVALID_FRAME_PAYLOAD_DATA

if TYPE_CHECKING:
    from trioweb.serialization import Serializer
    from trioweb.types import Message, Receive, Scope, Send

__all__ = ("DISCONNECT_MESSAGE", "MessageIterator", "WebSocket", "WebSocketMode")

UserT = TypeVar("UserT")
AuthT = TypeVar("AuthT")
StateT = TypeVar("StateT", bound=State)
T = TypeVar("T")

WebSocketMode = Literal["text", "binary"]
ConnectionState = Literal["init", "connect", "receive", "disconnect"]

DISCONNECT_MESSAGE = "connection is disconnected"


def _header_list(
    headers: Headers | dict[str, Any] | list[tuple[bytes, bytes]] | None,
) -> list[tuple[bytes, bytes]]:
    if headers is None:
        return []
    if isinstance(headers, Headers):
        return list(headers.to_header_list())
    if isinstance(headers, dict):
        return [
            (str(name).lower().encode("latin-1"), str(value).encode("latin-1"))
            for name, value in headers.items()
        ]
    return list(headers)


class MessageIterator(Generic[T]):
    """What ``iter_data``/``iter_json``/``iter_msgpack`` return: the messages, until the end.

    A plain async iterator rather than an async generator: it holds nothing to clean up, so
    leaving an ``async for`` early (an exception in its body, a ``break``) needs no
    ``aclosing`` and leaves nothing for trio's async-generator finalizer to warn about.
    """

    __slots__ = ("_decode", "_done", "_mode", "_socket")

    def __init__(
        self,
        socket: WebSocket[Any, Any, Any],
        mode: WebSocketMode,
        decode: Callable[[Any], T] | None,
    ) -> None:
        self._socket = socket
        self._mode: WebSocketMode = mode
        self._decode = decode
        self._done = False

    def __aiter__(self) -> MessageIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._done:
            raise StopAsyncIteration
        try:
            data = await self._socket.receive_data(self._mode)
        except WebSocketDisconnect:
            self._done = True
            raise StopAsyncIteration from None
        if self._decode is None:
            return cast("T", data)
        return self._decode(data)

    async def aclose(self) -> None:
        """Stop iterating (for code that wraps the iterator in ``aclosing``)."""
        self._done = True
        await trio.lowlevel.checkpoint()


class WebSocket(ASGIConnection[Any, UserT, AuthT, StateT]):
    """A WebSocket connection: accept, receive and send messages, close."""

    __slots__ = ("_close_code", "_gone_code", "accepted", "connection_state")

    def __init__(
        self, scope: Scope, receive: Receive = empty_receive, send: Send = empty_send
    ) -> None:
        super().__init__(scope, self.receive_wrapper(receive), self.send_wrapper(send))
        self.connection_state: ConnectionState = "init"
        self.accepted = False
        """Whether the application has accepted the handshake."""
        self._close_code: int | None = None  # set when the application closed
        self._gone_code: int | None = None  # set when the client left

    # -- state ----------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether the connection is over: the application closed it or the client left."""
        return self._close_code is not None or self._gone_code is not None

    @property
    def close_code(self) -> int | None:
        """The code the connection was closed with (the application's, else the client's)."""
        return self._close_code if self._close_code is not None else self._gone_code

    def client_left(self, code: int) -> None:
        """Record that the client has gone (called by the connection's receive loop)."""
        if self._gone_code is None:
            self._gone_code = code

    def _send_refused(self) -> WebSocketDisconnect:
        if self._gone_code is not None:
            return WebSocketDisconnect(
                detail=f"cannot send: the client disconnected (code {self._gone_code})",
                code=self._gone_code,
            )
        code = self._close_code if self._close_code is not None else WS_1000_NORMAL_CLOSURE
        return WebSocketDisconnect(
            detail=f"cannot send: the application closed this WebSocket (code {code})",
            code=code,
        )

    # -- the ASGI callables -----------------------------------------------------------------

    def receive_wrapper(self, receive: Receive) -> Receive:
        """Wrap ``receive`` to keep ``connection_state`` and refuse impossible receives."""

        async def wrapped_receive() -> Message:
            if self.connection_state == "disconnect":
                raise WebSocketDisconnect(
                    detail=DISCONNECT_MESSAGE, code=self.close_code or WS_1000_NORMAL_CLOSURE
                )
            if (
                self.connection_state == "connect"
                and not self.accepted
                and self._close_code is None
            ):
                raise RuntimeError(
                    "cannot receive from a WebSocket that has not been accepted: the client "
                    "sends nothing before the handshake completes; call accept() first"
                )
            message = await receive()
            kind = message["type"]
            if kind == "websocket.connect":
                self.connection_state = "connect"
            elif kind == "websocket.receive":
                self.connection_state = "receive"
            else:
                self.connection_state = "disconnect"
                self.client_left(int(message.get("code", WS_1000_NORMAL_CLOSURE)))
            return message

        return wrapped_receive

    def send_wrapper(self, send: Send) -> Send:
        """Wrap ``send`` to follow what the application sent and refuse impossible sends."""

        async def wrapped_send(message: Message) -> None:
            kind = message["type"]
            if self.closed:
                raise self._send_refused()
            if kind == "websocket.accept":
                if self.accepted:
                    raise RuntimeError("this WebSocket has already been accepted")
                self.accepted = True
            elif kind == "websocket.send" and not self.accepted:
                raise RuntimeError(
                    "cannot send a message on a WebSocket that has not been accepted; "
                    "call accept() first (send_* methods do it for you)"
                )
            elif kind == "websocket.close":
                self._close_code = int(message.get("code", WS_1000_NORMAL_CLOSURE))
            await send(message)

        return wrapped_send

    # -- handshake --------------------------------------------------------------------------

    async def accept(
        self,
        subprotocols: str | None = None,
        headers: Headers | dict[str, Any] | list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        """Accept the connection, choosing the subprotocol ``subprotocols`` if given.

        ``headers`` are added to the handshake response. Does nothing if already accepted.

        Error handling: a subprotocol the client did not offer raises :class:`ValueError`.
        """
        if self.accepted:
            return
        if self.connection_state == "init":
            await self.receive()
        if subprotocols is not None and subprotocols not in self.scope.get("subprotocols", ()):
            raise ValueError(
                f"cannot accept subprotocol {subprotocols!r}: the client offered "
                f"{list(self.scope.get('subprotocols', ()))}"
            )
        await self.send(
            {
                "type": "websocket.accept",
                "subprotocol": subprotocols,
                "headers": _header_list(headers),
            }
        )

    async def close(self, code: int = WS_1000_NORMAL_CLOSURE, reason: str | None = None) -> None:
        """Close the connection with ``code`` and ``reason``.

        Before ``accept()`` this refuses the handshake (hypercorn answers HTTP 403). Does
        nothing if the connection is already closed or the client has left.
        """
        if self.closed:
            return
        await self.send({"type": "websocket.close", "code": code, "reason": reason or ""})

    # -- receiving --------------------------------------------------------------------------

    @overload
    async def receive_data(self, mode: Literal["text"]) -> str: ...
    @overload
    async def receive_data(self, mode: Literal["binary"]) -> bytes: ...
    async def receive_data(self, mode: WebSocketMode) -> str | bytes:
        """The next message, as ``str`` in ``"text"`` mode or ``bytes`` in ``"binary"`` mode.

        A binary message read in text mode is decoded as UTF-8 (a text one read in binary
        mode, encoded). Accepts the connection first if nobody has.

        Error handling: raises :class:`WebSocketDisconnect` (with the close code) once the
        client has left; a binary message that is not UTF-8 read in text mode raises
        :class:`WebSocketException` with code 1007.
        """
        if not self.accepted:
            await self.accept()
        message = await self.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(
                detail="disconnect event",
                code=int(message.get("code", WS_1000_NORMAL_CLOSURE)),
            )
        text, data = message.get("text"), message.get("bytes")
        if mode == "text":
            if text is not None:
                return str(text)
            try:
                return bytes(data or b"").decode("utf-8")
            except UnicodeDecodeError as exc:
                raise WebSocketException(
                    detail="a binary message is not valid UTF-8 text",
                    code=WS_1007_INVALID_FRAME_PAYLOAD_DATA,
                ) from exc
        if data is not None:
            return bytes(data)
        return str(text or "").encode("utf-8")

    async def receive_text(self) -> str:
        """The next message as text."""
        return await self.receive_data("text")

    async def receive_bytes(self) -> bytes:
        """The next message as bytes."""
        return await self.receive_data("binary")

    async def receive_json(self, mode: WebSocketMode = "text") -> Any:
        """The next message decoded as JSON."""
        data = await self.receive_data(mode)
        return decode_json(data)

    async def receive_msgpack(self) -> Any:
        """The next (binary) message decoded as MessagePack."""
        return decode_msgpack(await self.receive_data("binary"))

    @overload
    def iter_data(self, mode: Literal["text"] = "text") -> MessageIterator[str]: ...
    @overload
    def iter_data(self, mode: Literal["binary"]) -> MessageIterator[bytes]: ...
    def iter_data(self, mode: WebSocketMode = "text") -> MessageIterator[Any]:
        """Iterate over the messages until the client leaves; then end quietly."""
        return MessageIterator(self, mode, None)

    def iter_json(self, mode: WebSocketMode = "text") -> MessageIterator[Any]:
        """Iterate over the messages decoded as JSON until the client leaves."""
        return MessageIterator(self, mode, decode_json)

    def iter_msgpack(self) -> MessageIterator[Any]:
        """Iterate over the (binary) messages decoded as MessagePack until the client leaves."""
        return MessageIterator(self, "binary", decode_msgpack)

    # -- sending ----------------------------------------------------------------------------

    async def send_data(
        self, data: str | bytes, mode: WebSocketMode = "text", encoding: str = "utf-8"
    ) -> None:
        """Send ``data`` as a text or binary message (converting with ``encoding``).

        Accepts the connection first if nobody has.

        Error handling: raises :class:`WebSocketDisconnect` once the client has left or the
        application has closed the connection.
        """
        if not self.accepted:
            if self.closed:
                raise self._send_refused()
            await self.accept()
        if mode == "binary":
            payload = data if isinstance(data, bytes) else data.encode(encoding)
            await self.send({"type": "websocket.send", "bytes": payload, "text": None})
        else:
            text = data if isinstance(data, str) else data.decode(encoding)
            await self.send({"type": "websocket.send", "bytes": None, "text": text})

    async def send_text(self, data: str | bytes, encoding: str = "utf-8") -> None:
        """Send a text message."""
        await self.send_data(data, "text", encoding)

    async def send_bytes(self, data: str | bytes, encoding: str = "utf-8") -> None:
        """Send a binary message."""
        await self.send_data(data, "binary", encoding)

    async def send_json(
        self,
        data: Any,
        mode: WebSocketMode = "text",
        encoding: str = "utf-8",
        serializer: Serializer | None = None,
    ) -> None:
        """Send ``data`` encoded as JSON (``serializer`` handles types msgspec does not)."""
        await self.send_data(encode_json(data, serializer), mode, encoding)

    async def send_msgpack(
        self, data: Any, encoding: str = "utf-8", serializer: Serializer | None = None
    ) -> None:
        """Send ``data`` encoded as MessagePack, in a binary message."""
        await self.send_data(encode_msgpack(data, serializer), "binary", encoding)

    async def send_stream(
        self, stream: AsyncIterable[str | bytes], mode: WebSocketMode = "text"
    ) -> None:
        """Send every item of ``stream`` as a message.

        Cancellation: the stream is closed (``aclose()``) however this ends.
        """
        iterator = aiter(stream)
        try:
            async for item in iterator:
                await self.send_data(item, mode)
        finally:
            await close_iterator(iterator)
