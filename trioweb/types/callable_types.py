"""Signatures of user-supplied callables: hooks, guards, exception handlers, lifespan hooks.

Framework objects (the request, the response, the connection, the route handler, the app) appear
as ``Any`` here so that this package stays a leaf that imports nothing else from trioweb. Any
callable with the right arity is accepted, so annotating a hook with the precise classes (as
Litestar code does: ``def guard(connection: ASGIConnection, handler: BaseRouteHandler)``) still
type-checks. Where a callable may be sync or async, its result is typed
:data:`~trioweb.types.helper_types.SyncOrAsyncUnion`.
"""

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import Any, TypeAlias, TypeVar

from trioweb.types.asgi_types import Message, Method, Scope
from trioweb.types.helper_types import SyncOrAsyncUnion
from trioweb.types.protocols import Logger

__all__ = (
    "AfterExceptionHookHandler",
    "AfterRequestHookHandler",
    "AfterResponseHookHandler",
    "AnyCallable",
    "AnyGenerator",
    "AsyncAnyCallable",
    "BeforeMessageSendHookHandler",
    "BeforeRequestHookHandler",
    "CacheKeyBuilder",
    "ExceptionHandler",
    "GetLogger",
    "Guard",
    "LifespanHook",
    "OnAppInitHandler",
    "OperationIDCreator",
    "Serializer",
)

ExceptionT = TypeVar("ExceptionT", bound=Exception)

AnyCallable: TypeAlias = Callable[..., Any]
"""Any callable."""

AsyncAnyCallable: TypeAlias = Callable[..., Awaitable[Any]]
"""Any callable returning an awaitable."""

AnyGenerator: TypeAlias = Generator[Any, Any, Any] | AsyncGenerator[Any, Any]
"""A sync or async generator (a yield-dependency, for instance)."""

AfterExceptionHookHandler: TypeAlias = Callable[[ExceptionT, Scope], SyncOrAsyncUnion[None]]
"""``(exc, scope)``: called after an exception escaped a handler."""

AfterRequestHookHandler: TypeAlias = Callable[[Any], SyncOrAsyncUnion[Any]]
"""``(response) -> response``: may replace the handler's response (or ASGI app)."""

AfterResponseHookHandler: TypeAlias = Callable[[Any], SyncOrAsyncUnion[None]]
"""``(request)``: called after the response was sent."""

BeforeMessageSendHookHandler: TypeAlias = Callable[[Message, Scope], SyncOrAsyncUnion[None]]
"""``(message, scope)``: sees every ASGI message before it is sent."""

BeforeRequestHookHandler: TypeAlias = Callable[[Any], Any]
"""``(request)``: returning anything but ``None`` short-circuits the handler with that value."""

CacheKeyBuilder: TypeAlias = Callable[[Any], str]
"""``(request) -> key`` for the response cache."""

ExceptionHandler: TypeAlias = Callable[[Any, ExceptionT], Any]
"""``(request, exc) -> response``."""

GetLogger: TypeAlias = Callable[..., Logger]
"""Returns a logger."""

Guard: TypeAlias = Callable[[Any, Any], SyncOrAsyncUnion[None]]
"""``(connection, route_handler)``: raises (e.g. ``NotAuthorizedException``) to refuse access."""

LifespanHook: TypeAlias = (
    Callable[[Any], SyncOrAsyncUnion[Any]] | Callable[[], SyncOrAsyncUnion[Any]]
)
"""An ``on_startup``/``on_shutdown`` hook, taking the app or nothing."""

OnAppInitHandler: TypeAlias = Callable[[Any], Any]
"""``(app_config) -> app_config``: adjusts the configuration before the app is built."""

OperationIDCreator: TypeAlias = Callable[[Any, Method, list[Any]], str]
"""``(route_handler, method, path_components) -> operationId`` for OpenAPI."""

Serializer: TypeAlias = Callable[[Any], Any]
"""Turns an unsupported value into something the encoder understands."""
