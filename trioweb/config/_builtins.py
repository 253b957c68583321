"""The route middleware the app-level configs install, in Litestar's order.

Innermost last: allowed hosts, then compression, then CSRF, all inside the route's own
middleware (as ``litestar/_asgi/routing_trie/mapping.py`` stacks them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trioweb.config.allowed_hosts import AllowedHostsConfig
from trioweb.config.compression import CompressionConfig
from trioweb.config.csrf import CSRFConfig
from trioweb.middleware.allowed_hosts import AllowedHostsMiddleware
from trioweb.middleware.base import DefineMiddleware
from trioweb.middleware.csrf import CSRFMiddleware

__all__ = ("builtin_route_middleware", "for_websockets", "resolve_allowed_hosts")


def resolve_allowed_hosts(
    allowed_hosts: Sequence[str] | AllowedHostsConfig | None,
) -> AllowedHostsConfig | None:
    """``allowed_hosts=`` as a config: a list of names becomes ``AllowedHostsConfig``."""
    if allowed_hosts is None or isinstance(allowed_hosts, AllowedHostsConfig):
        return allowed_hosts
    hosts = list(allowed_hosts)
    return AllowedHostsConfig(allowed_hosts=hosts) if hosts else None


def builtin_route_middleware(
    allowed_hosts: AllowedHostsConfig | None,
    compression_config: CompressionConfig | None,
    csrf_config: CSRFConfig | None,
) -> list[Any]:
    """The middleware factories to put inside every route's own middleware, outermost first."""
    stack: list[Any] = []
    if allowed_hosts is not None:
        stack.append(DefineMiddleware(AllowedHostsMiddleware, config=allowed_hosts))
    if compression_config is not None:
        stack.append(compression_config.middleware_class(compression_config))
    if csrf_config is not None:
        stack.append(DefineMiddleware(CSRFMiddleware, config=csrf_config))
    return stack


def for_websockets(stack: list[Any]) -> list[Any]:
    """The part of ``stack`` that also guards WebSocket routes (the host check)."""
    return [
        factory
        for factory in stack
        if isinstance(factory, DefineMiddleware) and factory.middleware is AllowedHostsMiddleware
    ]
