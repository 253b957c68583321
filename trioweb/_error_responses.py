"""Turning an exception into a response: exception handlers, Litestar's error body, logging.

Error handling: the nearest layered exception handler wins (an ``HTTPException``'s status
code first, then the exception's classes); an error raised by an exception handler is
logged and answered with the default body; an unexpected error is logged once with its
traceback and answered ``500`` with no details (details and traceback with ``debug=True``).
"""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from trioweb.enums import MediaType
from trioweb.exceptions import HTTPException
from trioweb.exceptions.responses import http_exception_to_content
from trioweb.response.base import ASGIResponse, Response
from trioweb.serialization import encode_json, get_serializer
from trioweb.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

if TYPE_CHECKING:
    from trioweb.app import TrioWeb
    from trioweb.connection import Request
    from trioweb.handlers.http_handlers import HTTPRouteHandler

__all__ = ("call_hook", "default_error_response", "error_response", "exception_handler_for")

logger = logging.getLogger("trioweb")


def exception_handler_for(
    handlers: Mapping[Any, Callable[..., Any]], exc: Exception
) -> Callable[..., Any] | None:
    """Litestar's lookup: an ``HTTPException``'s status code first, then the exception's
    classes (most derived first); a ``500`` handler also takes any non-HTTP exception."""
    if not handlers:
        return None
    if isinstance(exc, HTTPException):
        by_status = handlers.get(exc.status_code)
        if by_status is not None:
            return by_status
        fallback = None
    else:
        fallback = handlers.get(HTTP_500_INTERNAL_SERVER_ERROR)
    for klass in type(exc).__mro__:
        if klass in handlers:
            return handlers[klass]
    return fallback


def debug_content(exc: Exception, request: Request[Any, Any, Any]) -> tuple[Any, MediaType]:
    """Litestar's debug body for a 500: HTML, JSON or plain text, by the ``Accept`` header."""
    import html

    text = "".join(traceback.format_exception(exc))
    accept = request.headers.get("accept", "")
    if MediaType.HTML in accept:
        page = (
            "<!doctype html><html><head><title>Internal Server Error</title></head><body>"
            f"<h1>{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</h1>"
            f"<pre>{html.escape(text)}</pre></body></html>"
        )
        return page, MediaType.HTML
    if MediaType.JSON in accept:
        return {"details": text, "status_code": HTTP_500_INTERNAL_SERVER_ERROR}, MediaType.JSON
    return text, MediaType.TEXT


async def call_hook(hook: Callable[..., Any], *args: Any) -> Any:
    try:
        arity = len(inspect.signature(hook).parameters)
    except (TypeError, ValueError):
        arity = len(args)
    result = hook(*args[:arity])
    if inspect.isawaitable(result):
        result = await result
    return result


def type_encoders_of(app: TrioWeb, handler: HTTPRouteHandler | None) -> Any:
    if handler is not None:
        return handler.resolved_type_encoders or None
    return app.layer_value("type_encoders")


async def error_response(
    app: TrioWeb, exc: Exception, request: Request[Any, Any, Any], handler: HTTPRouteHandler | None
) -> ASGIResponse:
    """Turn an exception into a response via the nearest exception handler."""
    from trioweb.logging.config import exception_is_logged

    logged = exception_is_logged(
        app.logging_config, app.logger, exc, request.scope, debug=app.debug
    )
    for hook in app.after_exception:
        try:
            await call_hook(hook, exc, request.scope)
        except Exception:
            logger.exception("after_exception hook raised")
    handlers = (
        handler.resolved_exception_handlers if handler is not None else app.exception_handlers
    )
    custom = exception_handler_for(handlers, exc)
    is_head = request.scope.get("method") == "HEAD"
    if custom is not None:
        try:
            result = custom(request, exc)
            if inspect.isawaitable(result):
                result = await result
            if isinstance(result, ASGIResponse):
                return result
            return result.to_asgi_response(  # type: ignore[no-any-return]
                app,
                request,
                is_head_response=is_head,
                type_encoders=type_encoders_of(app, handler),
            )
        except Exception as handler_error:
            logger.exception("exception handler raised")
            return default_error_response(app, handler_error, is_head, request, handler)
    return default_error_response(app, exc, is_head, request, handler, log=not logged)


def default_error_response(
    app: TrioWeb,
    exc: Exception,
    is_head: bool = False,
    request: Request[Any, Any, Any] | None = None,
    handler: HTTPRouteHandler | None = None,
    *,
    log: bool = True,
) -> ASGIResponse:
    """Litestar's error response; unexpected errors are logged with their traceback.

    The body is Litestar's JSON (``status_code``, ``detail``, ``extra``), sent with the
    route's media type as Litestar does (a ``text/plain`` route answers its errors as
    ``text/plain; charset=utf-8`` with that JSON as the text). With ``debug=True`` a 500
    answers the traceback instead (HTML, JSON or text by ``Accept``).
    """
    status = exc.status_code if isinstance(exc, HTTPException) else HTTP_500_INTERNAL_SERVER_ERROR
    if log and status >= HTTP_500_INTERNAL_SERVER_ERROR:
        logger.error("error while handling a request", exc_info=exc)
    encoders = type_encoders_of(app, handler)
    content: Any
    if app.debug and status == HTTP_500_INTERNAL_SERVER_ERROR and request is not None:
        content, media_type = debug_content(exc, request)
        return Response(content, status_code=status, media_type=media_type).to_asgi_response(
            app, None, is_head_response=is_head, type_encoders=encoders
        )
    content = http_exception_to_content(exc)
    media = (handler.media_type if handler is not None else None) or MediaType.JSON
    if media != MediaType.JSON:
        content = encode_json(content, get_serializer(encoders))
    headers = getattr(exc, "headers", None) or {}
    return Response(
        content, status_code=status, headers=headers, media_type=media
    ).to_asgi_response(app, None, is_head_response=is_head, type_encoders=encoders)
