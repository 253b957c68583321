"""The JSON body of an error response, built from the exception that caused it.

Pure data: the application wraps the result in a response (status ``content["status_code"]``,
headers ``exc.headers``) and encodes it with its configured serializer.
"""

from typing import Any

from trioweb.exceptions.http_exceptions import HTTPException
from trioweb.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

__all__ = ("http_exception_to_content",)


def http_exception_to_content(exc: Exception) -> dict[str, Any]:
    """Return the error body for ``exc``, key for key what Litestar sends.

    The keys, in order, are ``"status_code"``, ``"detail"`` and, only when ``exc.extra`` is not
    ``None``, ``"extra"``. Headers never appear in the body.

    Any status-500 error reports ``"Internal Server Error"`` as its detail, whatever message it
    was raised with, so internal details do not reach clients. An exception that is not an
    :class:`~trioweb.exceptions.HTTPException` is treated as a plain 500.
    """
    if not isinstance(exc, HTTPException):
        return {"status_code": HTTP_500_INTERNAL_SERVER_ERROR, "detail": "Internal Server Error"}
    status_code = exc.status_code
    detail = (
        exc.detail if status_code != HTTP_500_INTERNAL_SERVER_ERROR else "Internal Server Error"
    )
    content: dict[str, Any] = {"status_code": status_code, "detail": detail}
    if exc.extra is not None:
        content["extra"] = exc.extra
    return content
