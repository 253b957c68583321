"""trioweb: a trio-native, structured-concurrency ASGI web framework (Litestar's API)."""

from trioweb.app import Litestar, TrioWeb
from trioweb.connection import Request
from trioweb.controller import Controller
from trioweb.enums import HttpMethod, MediaType
from trioweb.handlers import asgi, delete, get, head, patch, post, put, route
from trioweb.response import Response
from trioweb.router import Router

__all__ = (
    "Controller",
    "HttpMethod",
    "Litestar",
    "MediaType",
    "Request",
    "Response",
    "Router",
    "TrioWeb",
    "asgi",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "route",
)
