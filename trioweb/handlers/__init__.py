"""Route handlers and their decorators."""

from trioweb.handlers.asgi_handlers import ASGIRouteHandler, asgi
from trioweb.handlers.base import BaseRouteHandler
from trioweb.handlers.http_handlers import (
    HTTPRouteHandler,
    delete,
    get,
    head,
    patch,
    post,
    put,
    route,
)
from trioweb.handlers.websocket_handlers import (
    WebsocketListener,
    WebsocketListenerRouteHandler,
    WebsocketRouteHandler,
    send_websocket_stream,
    websocket,
    websocket_listener,
    websocket_stream,
)

__all__ = (
    "ASGIRouteHandler",
    "BaseRouteHandler",
    "HTTPRouteHandler",
    "WebsocketListener",
    "WebsocketListenerRouteHandler",
    "WebsocketRouteHandler",
    "asgi",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "route",
    "send_websocket_stream",
    "websocket",
    "websocket_listener",
    "websocket_stream",
)
