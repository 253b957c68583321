"""Middleware base classes and helpers (Litestar's ``litestar.middleware``)."""

from trioweb.middleware.base import (
    AbstractMiddleware,
    ASGIMiddleware,
    DefineMiddleware,
    MiddlewareProtocol,
)

__all__ = ("ASGIMiddleware", "AbstractMiddleware", "DefineMiddleware", "MiddlewareProtocol")
