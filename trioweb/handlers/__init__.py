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

__all__ = (
    "ASGIRouteHandler",
    "BaseRouteHandler",
    "HTTPRouteHandler",
    "asgi",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "route",
)
