"""Exceptions that carry an HTTP status: raise one from a handler to send that error response."""

from http import HTTPStatus
from typing import Any

from trioweb.exceptions.base_exceptions import LitestarException
from trioweb.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_405_METHOD_NOT_ALLOWED,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_499_CLIENT_CLOSED_REQUEST,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)

__all__ = (
    "ClientException",
    "HTTPException",
    "ImproperlyConfiguredException",
    "InternalServerException",
    "MethodNotAllowedException",
    "NoRouteMatchFoundException",
    "NotAuthorizedException",
    "NotFoundException",
    "PermissionDeniedException",
    "RequestEntityTooLarge",
    "ServiceUnavailableException",
    "TemplateNotFoundException",
    "TooManyRequestsException",
    "ValidationException",
)

# Codes in trioweb.status_codes that http.HTTPStatus does not know.
_EXTRA_PHRASES = {HTTP_499_CLIENT_CLOSED_REQUEST: "Client Closed Request"}


def _reason_phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return _EXTRA_PHRASES.get(status_code, "")


class HTTPException(LitestarException):
    """An error that becomes an HTTP response with ``status_code``.

    ``detail`` defaults, in order, to: the ``detail`` keyword; the first truthy positional
    argument; the class-level ``detail`` if a subclass sets one; the status code's reason phrase
    (``"Not Found"`` for 404). ``str(exc)`` is ``"<status_code>: <detail>"`` followed by any
    remaining positional arguments.

    ``headers`` are added to the error response; ``extra`` is sent in its body under ``"extra"``.
    For status 500 the body's detail is always ``"Internal Server Error"`` so that internal
    messages do not leak (see :func:`trioweb.exceptions.responses.http_exception_to_content`).
    """

    status_code: int = HTTP_500_INTERNAL_SERVER_ERROR
    """The response status; subclasses override it."""
    detail: str
    """The human-readable message."""
    headers: dict[str, str] | None
    """Headers to add to the error response."""
    extra: dict[str, Any] | list[Any] | None
    """Extra data sent in the error response body."""

    def __init__(
        self,
        *args: Any,
        detail: str = "",
        status_code: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | list[Any] | None = None,
    ) -> None:
        super().__init__(*args, detail=detail)
        self.status_code = status_code or self.status_code
        self.extra = extra
        self.headers = headers
        if not self.detail:
            self.detail = _reason_phrase(self.status_code)
        self.args = (f"{self.status_code}: {self.detail}", *self.args)

    def __repr__(self) -> str:
        return f"{self.status_code} - {type(self).__name__} - {self.detail}"

    def __str__(self) -> str:
        return " ".join(self.args).strip()


class ImproperlyConfiguredException(HTTPException, ValueError):
    """The application is configured wrongly (raised while it is built)."""


class ClientException(HTTPException):
    """The request is at fault (400 unless a subclass says otherwise)."""

    status_code: int = HTTP_400_BAD_REQUEST


class ValidationException(ClientException, ValueError):
    """Request data failed validation (400)."""


class NotAuthorizedException(ClientException):
    """The request lacks valid credentials (401)."""

    status_code = HTTP_401_UNAUTHORIZED


class PermissionDeniedException(ClientException):
    """The credentials are valid but do not grant access (403)."""

    status_code = HTTP_403_FORBIDDEN


class NotFoundException(ClientException, ValueError):
    """No such resource (404)."""

    status_code = HTTP_404_NOT_FOUND


class MethodNotAllowedException(ClientException):
    """The path exists but does not accept this method (405)."""

    status_code = HTTP_405_METHOD_NOT_ALLOWED


class RequestEntityTooLarge(ClientException):
    """The request body is larger than the configured limit (413)."""

    status_code = HTTP_413_REQUEST_ENTITY_TOO_LARGE
    detail = "Request Entity Too Large"


class TooManyRequestsException(ClientException):
    """A rate limit was exceeded (429)."""

    status_code = HTTP_429_TOO_MANY_REQUESTS


class InternalServerException(HTTPException):
    """The server failed to handle a valid request (500)."""

    status_code: int = HTTP_500_INTERNAL_SERVER_ERROR


class ServiceUnavailableException(InternalServerException):
    """The server cannot handle requests right now (503)."""

    status_code = HTTP_503_SERVICE_UNAVAILABLE


class NoRouteMatchFoundException(InternalServerException):
    """No route has the name given to ``route_reverse``/``url_for``."""


class TemplateNotFoundException(InternalServerException):
    """A template given by name does not exist."""

    def __init__(self, *args: Any, template_name: str) -> None:
        super().__init__(*args, detail=f"Template {template_name} not found.")
