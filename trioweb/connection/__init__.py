"""Connection objects: ``ASGIConnection`` (shared), ``Request`` and ``WebSocket``."""

from trioweb.connection.base import ASGIConnection
from trioweb.connection.request import Request

__all__ = ("ASGIConnection", "Request")
