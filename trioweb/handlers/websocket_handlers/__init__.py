"""WebSocket route handlers: ``websocket``, listeners and streams (Litestar's names)."""

from trioweb.handlers.websocket_handlers.listener import (
    WebsocketListener,
    WebsocketListenerRouteHandler,
    websocket_listener,
)
from trioweb.handlers.websocket_handlers.route_handler import (
    WebsocketHandlerOptions,
    WebsocketRouteHandler,
    websocket,
)
from trioweb.handlers.websocket_handlers.stream import (
    WebsocketStreamRouteHandler,
    send_websocket_stream,
    websocket_stream,
)

__all__ = (
    "WebsocketHandlerOptions",
    "WebsocketListener",
    "WebsocketListenerRouteHandler",
    "WebsocketRouteHandler",
    "WebsocketStreamRouteHandler",
    "send_websocket_stream",
    "websocket",
    "websocket_listener",
    "websocket_stream",
)
