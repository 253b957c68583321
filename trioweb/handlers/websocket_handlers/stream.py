"""Proactive WebSockets: send every item an async generator yields.

``@websocket_stream("/path")`` decorates an async generator function taking any handler
parameters (``socket`` optional). The connection is accepted, each item is sent (``str`` /
``bytes`` as they are, anything else as JSON with the layered type encoders) in ``mode``,
and the socket is closed with 1000 when the generator is exhausted. Dependencies are
cleaned up after the stream ends.

With ``listen_for_disconnect=True`` (the decorator's default) a listener task receives
while the stream runs: the client leaving stops the stream at once, and anything the
client sends is dropped (with a ``LitestarWarning`` unless ``warn_on_data_discard=False``),
so do not receive elsewhere. Without it, the stream stops at its next send after the client
left, or :data:`~trioweb._lifecycle._websocket.DISCONNECT_GRACE` seconds later.

Cancellation: however it ends, the generator is closed (``aclose()``, shielded and
time-boxed), so its ``finally`` blocks run.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import AsyncIterable, AsyncIterator, Callable, Sequence
from typing import TYPE_CHECKING, Any, Unpack

import trio

from trioweb._kwargs import Cleanup
from trioweb._lifecycle import unwrap_group
from trioweb._lifecycle._streaming import close_iterator
from trioweb.connection.websocket import WebSocket, WebSocketMode
from trioweb.exceptions import ImproperlyConfiguredException, LitestarWarning, WebSocketDisconnect
from trioweb.handlers.websocket_handlers.route_handler import (
    WebsocketHandlerOptions,
    WebsocketRouteHandler,
)
from trioweb.serialization import encode_json

if TYPE_CHECKING:
    from trioweb.serialization import Serializer

__all__ = ("WebsocketStreamRouteHandler", "send_websocket_stream", "websocket_stream")

_DISCARD_WARNING = (
    "received data from websocket while listening for disconnect in a websocket_stream. "
    "listen_for_disconnect is not safe to use when attempting to receive data from the same "
    "socket concurrently with a websocket_stream. set listen_for_disconnect=False if you're "
    "attempting to receive data from this socket or set warn_on_data_discard=False to "
    "disable this warning"
)


def _encoder(serializer: Serializer | None) -> Callable[[Any], str | bytes]:
    def encode(item: Any) -> str | bytes:
        if isinstance(item, str | bytes):
            return item
        return encode_json(item, serializer)

    return encode


async def _pump(
    socket: WebSocket[Any, Any, Any],
    iterator: AsyncIterator[Any],
    mode: WebSocketMode,
    encode: Callable[[Any], str | bytes],
) -> None:
    async for item in iterator:
        await socket.send_data(encode(item), mode)


async def _drop_until_disconnect(socket: WebSocket[Any, Any, Any], warn: bool) -> None:
    try:
        while True:
            await socket.receive_data("text")
            if warn:
                warnings.warn(_DISCARD_WARNING, LitestarWarning, stacklevel=2)
    except WebSocketDisconnect:
        pass


async def send_websocket_stream(
    socket: WebSocket[Any, Any, Any],
    stream: AsyncIterable[Any],
    close: bool = True,
    mode: WebSocketMode = "text",
    send_handler: Callable[[WebSocket[Any, Any, Any], Any], Any] | None = None,
    listen_for_disconnect: bool = False,
    warn_on_data_discard: bool = True,
    *,
    serializer: Serializer | None = None,
) -> None:
    """Send every item of ``stream`` over ``socket``; close it afterwards if ``close``.

    ``send_handler(socket, item)`` replaces the default sending (``str``/``bytes`` as they
    are, anything else as JSON). With ``listen_for_disconnect`` the client leaving ends
    the stream at once (see the module docstring).

    Error handling: an error from the stream or a send propagates unwrapped (never as an
    exception group); the client leaving ends the stream quietly.
    """
    encode = _encoder(serializer)
    iterator = aiter(stream)

    async def pump() -> None:
        if send_handler is None:
            await _pump(socket, iterator, mode, encode)
        else:
            async for item in iterator:
                result = send_handler(socket, item)
                if inspect.isawaitable(result):
                    await result

    try:
        if listen_for_disconnect:
            try:
                async with trio.open_nursery() as nursery:

                    async def listen() -> None:
                        await _drop_until_disconnect(socket, warn_on_data_discard)
                        nursery.cancel_scope.cancel()

                    nursery.start_soon(listen)
                    await pump()
                    nursery.cancel_scope.cancel()
            except BaseExceptionGroup as group:
                raise unwrap_group(group) from None
        else:
            await pump()
    except WebSocketDisconnect:
        return
    finally:
        await close_iterator(iterator)
    if close and not socket.closed:
        await socket.close()


class WebsocketStreamRouteHandler(WebsocketRouteHandler):
    """The route handler made by :func:`websocket_stream`."""

    def __init__(
        self,
        path: str | Sequence[str] | None = None,
        *,
        mode: WebSocketMode = "text",
        listen_for_disconnect: bool = True,
        warn_on_data_discard: bool = True,
        **options: Unpack[WebsocketHandlerOptions],
    ) -> None:
        super().__init__(path, **options)
        self.mode: WebSocketMode = mode
        self.listen_for_disconnect = listen_for_disconnect
        self.warn_on_data_discard = warn_on_data_discard

    def _validate(self) -> None:
        if not inspect.isasyncgenfunction(self.fn):
            raise ImproperlyConfiguredException(
                f"{self}: websocket_stream needs an async generator function"
            )
        for name in ("request", "body", "data"):
            if name in inspect.signature(self.fn).parameters:
                raise ImproperlyConfiguredException(
                    f"{self}: The {name} kwarg is not supported with websocket streams"
                )

    async def run(
        self, socket: WebSocket[Any, Any, Any], cleanups: Cleanup, nursery: trio.Nursery | None
    ) -> None:
        """Accept, then stream what the generator yields."""
        kwargs = await self.resolve_kwargs(socket, cleanups, nursery)
        await socket.accept()
        await send_websocket_stream(
            socket,
            self.fn(**kwargs),
            close=True,
            mode=self.mode,
            listen_for_disconnect=self.listen_for_disconnect,
            warn_on_data_discard=self.warn_on_data_discard,
            serializer=self.serializer,
        )


def websocket_stream(
    path: str | Sequence[str] | None = None,
    *,
    mode: WebSocketMode = "text",
    listen_for_disconnect: bool = True,
    warn_on_data_discard: bool = True,
    **options: Unpack[WebsocketHandlerOptions],
) -> Callable[[Callable[..., AsyncIterator[Any]]], WebsocketStreamRouteHandler]:
    """Declare a WebSocket route that sends what an async generator yields (see module doc)."""

    def decorator(fn: Callable[..., AsyncIterator[Any]]) -> WebsocketStreamRouteHandler:
        handler = WebsocketStreamRouteHandler(
            path,
            mode=mode,
            listen_for_disconnect=listen_for_disconnect,
            warn_on_data_discard=warn_on_data_discard,
            **options,
        )
        handler(fn)
        return handler

    return decorator
