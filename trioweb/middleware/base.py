"""Middleware: ``AbstractMiddleware``, ``ASGIMiddleware``, ``DefineMiddleware``.

Middleware given on the app, a router, a controller or a handler wraps that route's ASGI
app (outermost layer first), exactly like Litestar: it runs after routing, for matched
routes. Each stack is built once, at startup.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from typing import Any, Protocol, runtime_checkable

from trioweb.enums import ScopeType
from trioweb.types import ASGIApp, Receive, Scope, Send

__all__ = (
    "ASGIMiddleware",
    "AbstractMiddleware",
    "DefineMiddleware",
    "MiddlewareProtocol",
    "build_middleware_stack",
    "should_bypass_middleware",
)


@runtime_checkable
class MiddlewareProtocol(Protocol):
    """An ASGI callable that wraps ``app``."""

    app: ASGIApp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None: ...


def _pattern(exclude: str | Iterable[str] | None) -> re.Pattern[str] | None:
    if not exclude:
        return None
    return re.compile(exclude if isinstance(exclude, str) else "|".join(exclude))


def should_bypass_middleware(
    *,
    scope: Scope,
    scopes: Iterable[str],
    exclude_opt_key: str | None = None,
    exclude_path_pattern: re.Pattern[str] | None = None,
) -> bool:
    """Whether a middleware should let this connection through untouched."""
    if scope["type"] not in scopes:
        return True
    handler = scope.get("route_handler")
    if exclude_opt_key and handler is not None and getattr(handler, "opt", {}).get(exclude_opt_key):
        return True
    return bool(exclude_path_pattern and exclude_path_pattern.findall(scope.get("path", "")))


class AbstractMiddleware:
    """A class-based middleware with Litestar's ``exclude``/``exclude_opt_key``/``scopes``.

    Subclasses implement ``__call__``; it is skipped (the wrapped app is called directly)
    for excluded paths, opted-out handlers and other scope types.
    """

    scopes: set[str] = {ScopeType.HTTP, ScopeType.WEBSOCKET}
    exclude: str | list[str] | None = None
    exclude_opt_key: str | None = None

    def __init__(
        self,
        app: ASGIApp,
        exclude: str | list[str] | None = None,
        exclude_opt_key: str | None = None,
        scopes: set[str] | None = None,
    ) -> None:
        self.app = app
        self.scopes = scopes or self.scopes
        self.exclude_opt_key = exclude_opt_key or self.exclude_opt_key
        self.exclude_pattern = _pattern(exclude or self.exclude)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        original = cls.__dict__.get("__call__")
        if original is None:
            return

        async def call(
            self: AbstractMiddleware, scope: Scope, receive: Receive, send: Send
        ) -> None:
            if should_bypass_middleware(
                scope=scope,
                scopes=self.scopes,
                exclude_opt_key=self.exclude_opt_key,
                exclude_path_pattern=self.exclude_pattern,
            ):
                await self.app(scope, receive, send)
            else:
                await original(self, scope, receive, send)

        cls.__call__ = call  # type: ignore[method-assign]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError("AbstractMiddleware subclasses must implement __call__")


class ASGIMiddleware(ABC):
    """Litestar's newer middleware: implement ``handle(scope, receive, send, next_app)``."""

    scopes: tuple[str, ...] = (ScopeType.HTTP, ScopeType.WEBSOCKET, ScopeType.ASGI)
    exclude_path_pattern: str | tuple[str, ...] | None = None
    exclude_opt_key: str | None = None

    def __call__(self, app: ASGIApp) -> ASGIApp:
        """Wrap ``app``; the exclusion rules are compiled once, here."""
        pattern = _pattern(self.exclude_path_pattern)

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if should_bypass_middleware(
                scope=scope,
                scopes=self.scopes,
                exclude_opt_key=self.exclude_opt_key,
                exclude_path_pattern=pattern,
            ):
                await app(scope, receive, send)
            else:
                await self.handle(scope, receive, send, app)

        return middleware

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        """Process the connection; call ``next_app`` to continue."""


class DefineMiddleware:
    """A middleware factory with its arguments: ``DefineMiddleware(Cls, *args, **kwargs)``."""

    __slots__ = ("args", "kwargs", "middleware")

    def __init__(self, middleware: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.middleware = middleware
        self.args = args
        self.kwargs = kwargs

    def __call__(self, app: ASGIApp) -> ASGIApp:
        """Build the middleware around ``app``."""
        return self.middleware(*self.args, app=app, **self.kwargs)  # type: ignore[no-any-return]


def _wrap(factory: Any, app: ASGIApp) -> ASGIApp:
    if isinstance(factory, DefineMiddleware | ASGIMiddleware):
        return factory(app)
    if isinstance(factory, type):
        return factory(app=app)  # type: ignore[no-any-return]
    return factory(app)  # type: ignore[no-any-return]


def build_middleware_stack(middleware: Iterable[Any], app: ASGIApp) -> ASGIApp:
    """Wrap ``app`` so that the first middleware listed is the outermost."""
    for factory in reversed(list(middleware)):
        app = _wrap(factory, app)
    return app
