"""Connection objects: ``ASGIConnection`` (shared), ``Request`` and ``WebSocket``."""

from trioweb.connection.base import ASGIConnection
from trioweb.connection.request import Request
from trioweb.connection.websocket import WebSocket

__all__ = ("ASGIConnection", "Request", "WebSocket")
