"""The route that serves the OpenAPI document as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import msgspec

from trioweb.handlers.http_handlers import HTTPRouteHandler, get

if TYPE_CHECKING:
    from trioweb.connection import Request
    from trioweb.openapi.config import OpenAPIConfig

__all__ = ("OPENAPI_MEDIA_TYPE", "openapi_route_handler")

OPENAPI_MEDIA_TYPE: Final = "application/vnd.oai.openapi+json"


def openapi_route_handler(config: OpenAPIConfig) -> HTTPRouteHandler:
    """A ``GET {path}/openapi.json`` handler; the document is built on its first request.

    The document is rebuilt only when the app's routes were (``app.register``).
    """
    cached: dict[str, Any] = {}

    async def openapi_json(request: Request[Any, Any, Any]) -> bytes:
        app = request.app
        routes = app.routes
        key = [id(route) for route in routes]
        if cached.get("key") != key:
            from trioweb.openapi import _generator  # imported once the document is asked for

            cached["body"] = msgspec.json.encode(_generator.build_openapi_document(app, config))
            cached["key"] = key
        body: bytes = cached["body"]
        return body

    handler = get(
        f"{config.schema_path}/openapi.json",
        include_in_schema=False,
        media_type=OPENAPI_MEDIA_TYPE,
        name="openapi.json",
        sync_to_thread=False,
    )(openapi_json)
    assert isinstance(handler, HTTPRouteHandler)
    return handler
