"""Exceptions for WebSocket connections; they carry a close code instead of an HTTP status."""

from typing import Any

from trioweb.exceptions.base_exceptions import LitestarException
from trioweb.status_codes import WS_1000_NORMAL_CLOSURE

__all__ = ("WebSocketDisconnect", "WebSocketException")


class WebSocketException(LitestarException):
    """A WebSocket error; raised from a handler, it closes the socket with ``code``.

    Application-defined close codes belong in the 4000-4999 range; the standard ones are the
    ``WS_*`` constants in :mod:`trioweb.status_codes`.
    """

    code: int
    """The WebSocket close code."""

    def __init__(self, *args: Any, detail: str, code: int = 4500) -> None:
        super().__init__(*args, detail=detail)
        self.code = code


class WebSocketDisconnect(WebSocketException):
    """The peer closed the connection; ``code`` is the close code it reported."""

    def __init__(self, *args: Any, detail: str, code: int = WS_1000_NORMAL_CLOSURE) -> None:
        super().__init__(*args, detail=detail, code=code)
