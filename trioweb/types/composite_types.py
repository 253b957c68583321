"""Aliases for the layered configuration values: headers, cookies, encoders, handler maps.

As in :mod:`trioweb.types.callable_types`, framework classes (``Cookie``, ``ResponseHeader``,
``Provide``, ``DefineMiddleware`` ...) appear as ``Any`` so this package imports nothing else
from trioweb.
"""

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, Literal, TypeAlias

from trioweb.enums import ScopeType
from trioweb.types.callable_types import ExceptionHandler

__all__ = (
    "ControllerRouterHandler",
    "Dependencies",
    "ExceptionHandlersMap",
    "Middleware",
    "ParametersMap",
    "PathType",
    "ReservedKwargs",
    "ResponseCookies",
    "ResponseHeaders",
    "RouteHandlerMapItem",
    "RouteHandlerType",
    "Scopes",
    "TypeDecodersSequence",
    "TypeEncodersMap",
)

RouteHandlerType: TypeAlias = Any
"""An HTTP, WebSocket or ASGI route handler (Litestar's name; ``Any`` here, see above)."""

ControllerRouterHandler: TypeAlias = type[Any] | Callable[..., Any] | Any
"""What ``route_handlers=[...]`` takes: a route handler, a ``Controller`` class, a ``Router``."""

RouteHandlerMapItem: TypeAlias = dict[str, RouteHandlerType]
"""Method (or ``"websocket"``/``"asgi"``) to the handler serving it."""

ReservedKwargs: TypeAlias = Literal[
    "request", "socket", "headers", "query", "cookies", "state", "data"
]
"""Handler parameter names with a meaning of their own."""

Dependencies: TypeAlias = Mapping[str, Any]
"""Dependency name to ``Provide(...)`` or a plain callable."""

ExceptionHandlersMap: TypeAlias = MutableMapping[int | type[Exception], ExceptionHandler[Any]]
"""Status code or exception class to the handler that turns it into a response."""

Middleware: TypeAlias = Any
"""A middleware factory, a ``DefineMiddleware``, or a middleware class."""

ParametersMap: TypeAlias = Mapping[str, Any]
"""Parameter name to its ``Parameter(...)`` declaration."""

PathType: TypeAlias = Path | PathLike[str] | str
"""A filesystem path in any of its usual spellings."""

ResponseCookies: TypeAlias = Sequence[Any] | Mapping[str, str]
"""``Cookie`` objects, or a name-to-value mapping."""

ResponseHeaders: TypeAlias = Sequence[Any] | Mapping[str, str]
"""``ResponseHeader`` objects, or a name-to-value mapping."""

Scopes: TypeAlias = set[Literal[ScopeType.HTTP, ScopeType.WEBSOCKET]]
"""The connection types a middleware applies to."""

TypeDecodersSequence: TypeAlias = Sequence[tuple[Callable[[Any], bool], Callable[[Any, Any], Any]]]
"""``(predicate(type), decoder(type, value))`` pairs for types msgspec cannot decode alone."""

TypeEncodersMap: TypeAlias = Mapping[Any, Callable[[Any], Any]]
"""Type to the function that encodes its instances."""
