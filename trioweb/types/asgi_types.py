"""ASGI 3.0 types: scopes, messages, the receive/send callables and the application callable.

Scopes and messages are typed as ``MutableMapping[str, Any]`` (the convention Starlette and
most of the ASGI ecosystem use), not as Litestar's TypedDict unions. Reasons:

- the framework stores its own keys in the scope (path params, the route handler, state), which
  a closed TypedDict would reject;
- any ASGI app written against the common convention type-checks as an :data:`ASGIApp` without
  ``# type: ignore`` (Litestar's documentation tells users to add one for third-party apps);
- message dict literals need no casts to be sent.

The per-event names Litestar exports (``HTTPResponseStartEvent`` and so on) are kept as aliases so
imports and annotations carry over; they document intent rather than constrain keys.
"""

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict

from trioweb.enums import HttpMethod

if TYPE_CHECKING:
    from msgspec import Struct

    from trioweb.types.empty import EmptyType
    from trioweb.types.protocols import DataclassProtocol

__all__ = (
    "ASGIApp",
    "ASGIVersion",
    "BaseScope",
    "HTTPDisconnectEvent",
    "HTTPReceiveMessage",
    "HTTPRequestEvent",
    "HTTPResponseBodyEvent",
    "HTTPResponseStartEvent",
    "HTTPScope",
    "HTTPSendMessage",
    "HTTPServerPushEvent",
    "LifeSpanReceive",
    "LifeSpanReceiveMessage",
    "LifeSpanScope",
    "LifeSpanSend",
    "LifeSpanSendMessage",
    "LifeSpanShutdownCompleteEvent",
    "LifeSpanShutdownEvent",
    "LifeSpanShutdownFailedEvent",
    "LifeSpanStartupCompleteEvent",
    "LifeSpanStartupEvent",
    "LifeSpanStartupFailedEvent",
    "Message",
    "Method",
    "RawHeaders",
    "RawHeadersList",
    "Receive",
    "ReceiveMessage",
    "Scope",
    "ScopeSession",
    "Send",
    "WebSocketAcceptEvent",
    "WebSocketCloseEvent",
    "WebSocketConnectEvent",
    "WebSocketDisconnectEvent",
    "WebSocketMode",
    "WebSocketReceiveEvent",
    "WebSocketReceiveMessage",
    "WebSocketResponseBodyEvent",
    "WebSocketResponseStartEvent",
    "WebSocketScope",
    "WebSocketSendEvent",
    "WebSocketSendMessage",
)

Method: TypeAlias = (
    Literal["GET", "POST", "DELETE", "PATCH", "PUT", "HEAD", "TRACE", "OPTIONS"] | HttpMethod
)
"""An HTTP method, as a literal string or an :class:`~trioweb.enums.HttpMethod`."""


class ASGIVersion(TypedDict):
    """The ``scope["asgi"]`` mapping."""

    spec_version: str
    version: Literal["3.0"]


# Scopes ------------------------------------------------------------------------------------

Scope: TypeAlias = MutableMapping[str, Any]
"""An ASGI connection scope (``http``, ``websocket`` or ``lifespan``)."""

BaseScope: TypeAlias = Scope
HTTPScope: TypeAlias = Scope
WebSocketScope: TypeAlias = Scope
LifeSpanScope: TypeAlias = Scope

ScopeSession: TypeAlias = "EmptyType | dict[str, Any] | DataclassProtocol | Struct | None"
"""What session middleware stores under ``scope["session"]``."""

RawHeaders: TypeAlias = Iterable[tuple[bytes, bytes]]
"""Header name/value byte pairs, as ASGI carries them."""

RawHeadersList: TypeAlias = list[tuple[bytes, bytes]]
"""Header name/value byte pairs in a list."""

WebSocketMode: TypeAlias = Literal["text", "binary"]
"""Whether WebSocket data travels as text or binary frames."""

# Messages ----------------------------------------------------------------------------------

Message: TypeAlias = MutableMapping[str, Any]
"""An ASGI event dict; ``message["type"]`` says which."""

ReceiveMessage: TypeAlias = Message
"""An event the application receives from the server."""

HTTPRequestEvent: TypeAlias = Message
HTTPDisconnectEvent: TypeAlias = Message
HTTPResponseStartEvent: TypeAlias = Message
HTTPResponseBodyEvent: TypeAlias = Message
HTTPServerPushEvent: TypeAlias = Message
HTTPReceiveMessage: TypeAlias = Message
HTTPSendMessage: TypeAlias = Message

WebSocketConnectEvent: TypeAlias = Message
WebSocketAcceptEvent: TypeAlias = Message
WebSocketReceiveEvent: TypeAlias = Message
WebSocketSendEvent: TypeAlias = Message
WebSocketResponseStartEvent: TypeAlias = Message
WebSocketResponseBodyEvent: TypeAlias = Message
WebSocketDisconnectEvent: TypeAlias = Message
WebSocketCloseEvent: TypeAlias = Message
WebSocketReceiveMessage: TypeAlias = Message
WebSocketSendMessage: TypeAlias = Message

LifeSpanStartupEvent: TypeAlias = Message
LifeSpanShutdownEvent: TypeAlias = Message
LifeSpanStartupCompleteEvent: TypeAlias = Message
LifeSpanStartupFailedEvent: TypeAlias = Message
LifeSpanShutdownCompleteEvent: TypeAlias = Message
LifeSpanShutdownFailedEvent: TypeAlias = Message
LifeSpanReceiveMessage: TypeAlias = Message
LifeSpanSendMessage: TypeAlias = Message

# Callables ---------------------------------------------------------------------------------

Receive: TypeAlias = Callable[[], Awaitable[ReceiveMessage]]
"""Waits for the next event from the server."""

Send: TypeAlias = Callable[[Message], Awaitable[None]]
"""Sends one event to the server."""

LifeSpanReceive: TypeAlias = Receive
LifeSpanSend: TypeAlias = Send

ASGIApp: TypeAlias = Callable[[Scope, Receive, Send], Awaitable[None]]
"""An ASGI 3.0 application: ``async def app(scope, receive, send) -> None``."""
