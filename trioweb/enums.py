"""String enums for HTTP methods, media types, ASGI scope types and friends.

Members and values match ``litestar.enums`` exactly; the values end up on the wire
(``Content-Type`` headers, ``scope["type"]``, ``Content-Encoding``), so they must never drift.

Every enum here is a ``StrEnum``: a member *is* its value as far as ``==``, ``hash``,
``isinstance(m, str)``, ``str(m)`` and f-strings are concerned, so ``f"{MediaType.TEXT}"`` is
``"text/plain"`` and ``{"application/json": 1}[MediaType.JSON]`` works. Litestar 2.x declares
``class X(str, Enum)``, which on Python 3.11+ renders ``str(MediaType.JSON)`` as
``"MediaType.JSON"``; rendering the value instead removes a way to put an enum name on the wire
by accident (Litestar 3 made the same change).
"""

from enum import StrEnum

__all__ = (
    "ASGIExtension",
    "CompressionEncoding",
    "HttpMethod",
    "MediaType",
    "OpenAPIMediaType",
    "ParamType",
    "RequestEncodingType",
    "ScopeType",
)


class HttpMethod(StrEnum):
    """An HTTP request method."""

    DELETE = "DELETE"
    GET = "GET"
    HEAD = "HEAD"
    OPTIONS = "OPTIONS"
    PATCH = "PATCH"
    POST = "POST"
    PUT = "PUT"
    TRACE = "TRACE"


class MediaType(StrEnum):
    """A ``Content-Type`` value the framework knows how to produce."""

    JSON = "application/json"
    MESSAGEPACK = "application/x-msgpack"
    HTML = "text/html"
    TEXT = "text/plain"
    CSS = "text/css"
    XML = "application/xml"


class OpenAPIMediaType(StrEnum):
    """A ``Content-Type`` value for serving an OpenAPI document."""

    OPENAPI_YAML = "application/vnd.oai.openapi"
    OPENAPI_JSON = "application/vnd.oai.openapi+json"


class RequestEncodingType(StrEnum):
    """A request body encoding, named by its ``Content-Type``."""

    JSON = "application/json"
    MESSAGEPACK = "application/x-msgpack"
    MULTI_PART = "multipart/form-data"
    URL_ENCODED = "application/x-www-form-urlencoded"


class ScopeType(StrEnum):
    """The ``type`` key of an ASGI connection scope.

    ``asgi`` is not part of the ASGI specification: it marks handlers mounted as raw ASGI apps.
    Lifespan scopes never reach route handlers, so ``lifespan`` is not a member (as in Litestar).
    """

    HTTP = "http"
    WEBSOCKET = "websocket"
    ASGI = "asgi"


class ParamType(StrEnum):
    """Where a handler parameter's value comes from."""

    PATH = "path"
    QUERY = "query"
    COOKIE = "cookie"
    HEADER = "header"
    DEPENDENCY = "dependency"


class CompressionEncoding(StrEnum):
    """A ``Content-Encoding`` the compression middleware can produce."""

    GZIP = "gzip"
    BROTLI = "br"


class ASGIExtension(StrEnum):
    """A key of ``scope["extensions"]`` (https://asgi.readthedocs.io/en/latest/extensions.html)."""

    WS_DENIAL = "websocket.http.response"
    SERVER_PUSH = "http.response.push"
    ZERO_COPY_SEND_EXTENSION = "http.response.zerocopysend"
    PATH_SEND = "http.response.pathsend"
    TLS = "tls"
    EARLY_HINTS = "http.response.early_hint"
    HTTP_TRAILERS = "http.response.trailers"
