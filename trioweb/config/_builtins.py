"""What the app-level configs install, imported only when a config asks for it.

Route middleware, innermost last: allowed hosts, then compression, then CSRF, all inside the
route's own middleware (as ``litestar/_asgi/routing_trie/mapping.py`` stacks them). CORS
wraps the whole app. The OpenAPI route is added to the app's handlers.

The modules behind each feature are imported here, when the app is built with it, so
``import trioweb`` does not pay for features an app does not use.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trioweb.config.allowed_hosts import AllowedHostsConfig
    from trioweb.config.compression import CompressionConfig
    from trioweb.config.cors import CORSConfig
    from trioweb.config.csrf import CSRFConfig
    from trioweb.handlers.http_handlers import HTTPRouteHandler
    from trioweb.openapi.config import OpenAPIConfig
    from trioweb.types import ASGIApp

__all__ = (
    "builtin_route_middleware",
    "default_openapi_config",
    "for_websockets",
    "openapi_handler",
    "resolve_allowed_hosts",
    "wrap_in_cors",
)


def resolve_allowed_hosts(
    allowed_hosts: Sequence[str] | AllowedHostsConfig | None,
) -> AllowedHostsConfig | None:
    """``allowed_hosts=`` as a config: a list of names becomes ``AllowedHostsConfig``."""
    if allowed_hosts is None:
        return None
    from trioweb.config.allowed_hosts import AllowedHostsConfig

    if isinstance(allowed_hosts, AllowedHostsConfig):
        return allowed_hosts
    hosts = list(allowed_hosts)
    return AllowedHostsConfig(allowed_hosts=hosts) if hosts else None


def builtin_route_middleware(
    allowed_hosts: AllowedHostsConfig | None,
    compression_config: CompressionConfig | None,
    csrf_config: CSRFConfig | None,
) -> list[Any]:
    """The middleware factories to put inside every route's own middleware, outermost first."""
    from trioweb.middleware.base import DefineMiddleware

    stack: list[Any] = []
    if allowed_hosts is not None:
        from trioweb.middleware.allowed_hosts import AllowedHostsMiddleware

        stack.append(DefineMiddleware(AllowedHostsMiddleware, config=allowed_hosts))
    if compression_config is not None:
        stack.append(compression_config.middleware_class(compression_config))
    if csrf_config is not None:
        from trioweb.middleware.csrf import CSRFMiddleware

        stack.append(DefineMiddleware(CSRFMiddleware, config=csrf_config))
    return stack


def for_websockets(stack: list[Any]) -> list[Any]:
    """The part of ``stack`` that also guards WebSocket routes (the host check)."""
    if not stack:
        return []
    from trioweb.middleware.allowed_hosts import AllowedHostsMiddleware

    return [f for f in stack if getattr(f, "middleware", None) is AllowedHostsMiddleware]


def wrap_in_cors(app: ASGIApp, config: CORSConfig) -> ASGIApp:
    """``app`` behind the CORS middleware."""
    from trioweb.middleware.cors import CORSMiddleware

    return CORSMiddleware(app, config)


def default_openapi_config() -> OpenAPIConfig:
    """Litestar's default: a document titled "Litestar API", version 1.0.0."""
    from trioweb.openapi.config import OpenAPIConfig

    return OpenAPIConfig()


def openapi_handler(config: OpenAPIConfig | None) -> HTTPRouteHandler | None:
    """The route serving the document, unless the config turns it off."""
    if config is None or (
        config.enabled_endpoints is not None and "openapi.json" not in config.enabled_endpoints
    ):
        return None
    from trioweb.openapi._endpoint import openapi_route_handler

    return openapi_route_handler(config)
