"""trioweb: a trio-native, structured-concurrency ASGI web framework (Litestar's API)."""

from trioweb import _hypercorn_patch
from trioweb.app import Litestar, TrioWeb
from trioweb.connection import Request, WebSocket
from trioweb.controller import Controller
from trioweb.enums import HttpMethod, MediaType
from trioweb.handlers import (
    WebsocketListener,
    asgi,
    delete,
    get,
    head,
    patch,
    post,
    put,
    route,
    websocket,
    websocket_listener,
    websocket_stream,
)
from trioweb.response import Response
from trioweb.router import Router

# hypercorn's trio worker imports its server before the app: fix its close race now.
_hypercorn_patch.apply_if_loaded()

__all__ = (
    "Controller",
    "HttpMethod",
    "Litestar",
    "MediaType",
    "Request",
    "Response",
    "Router",
    "TrioWeb",
    "WebSocket",
    "WebsocketListener",
    "asgi",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "route",
    "websocket",
    "websocket_listener",
    "websocket_stream",
)
