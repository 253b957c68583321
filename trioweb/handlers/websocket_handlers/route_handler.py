"""``websocket`` / ``WebsocketRouteHandler``: a function that talks over one WebSocket.

The handler takes ``socket: WebSocket`` plus path, query, header, cookie and dependency
parameters exactly like an HTTP handler (and ``nursery: trio.Nursery`` for tasks of its
own). Options are declared once, in :class:`WebsocketHandlerOptions`; layered settings
(dependencies, guards, exception handlers, signature namespace, type encoders,
``websocket_class``, middleware) resolve as for HTTP handlers.

Per connection, :meth:`WebsocketRouteHandler.handle_websocket` runs guards, extracts the
parameters, and calls the function on the connection nursery
(:func:`trioweb._lifecycle._websocket.run_websocket_connection`); then it finishes the
connection:

* the function returned → close 1000 if the socket is still open;
* it raised before ``accept()`` → the handshake is refused with a real HTTP response when
  the server offers ``websocket.http.response`` (an ``HTTPException``: its status and JSON
  body; anything else: 500), else closed (the server answers 403);
* it raised after ``accept()`` → ``WebSocketException``: its code and detail;
  ``HTTPException``: 4500 and its detail, as Litestar closes; anything else: 1011, and the
  error is logged;
* ``WebSocketDisconnect`` (the client left) ends it quietly.

An exception handler registered for the error (layered ``exception_handlers``) is called
with ``(socket, exc)`` first; a response it returns is sent as the refusal before accept,
or turned into close code ``4000 + status_code`` after.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypedDict, Unpack

from trioweb._kwargs import Cleanup, KwargsPlan, build_plan, close_dependencies, type_hints
from trioweb._lifecycle._errors import unwrap_group
from trioweb._lifecycle._websocket import WebSocketRelay, run_websocket_connection, send_denial
from trioweb.connection.websocket import WebSocket
from trioweb.enums import MediaType
from trioweb.exceptions import (
    HTTPException,
    ImproperlyConfiguredException,
    WebSocketDisconnect,
    WebSocketException,
)
from trioweb.exceptions.responses import http_exception_to_content
from trioweb.handlers.base import BaseRouteHandler
from trioweb.response.base import ASGIResponse, Response
from trioweb.serialization import get_serializer
from trioweb.status_codes import (
    HTTP_500_INTERNAL_SERVER_ERROR,
    WS_1000_NORMAL_CLOSURE,
    WS_1011_INTERNAL_ERROR,
)

if TYPE_CHECKING:
    import trio

    from trioweb.serialization import Serializer
    from trioweb.types import ASGIApp, Receive, Scope, Send

__all__ = ("WebsocketHandlerOptions", "WebsocketRouteHandler", "websocket")

logger = logging.getLogger("trioweb")

DENIAL_EXTENSION: Final = "websocket.http.response"
_FORBIDDEN_PARAMETERS: Final = ("request", "body", "data")


class WebsocketHandlerOptions(TypedDict, total=False):
    """Every keyword option of a WebSocket route handler (Litestar's names)."""

    dependencies: Mapping[str, Any] | None
    exception_handlers: Mapping[Any, Callable[..., Any]] | None
    guards: Sequence[Callable[..., Any]] | None
    middleware: Sequence[Any] | None
    name: str | None
    opt: Mapping[str, Any] | None
    signature_namespace: Mapping[str, Any] | None
    type_decoders: Sequence[Any] | None
    type_encoders: Mapping[Any, Callable[[Any], Any]] | None
    websocket_class: type[WebSocket[Any, Any, Any]] | None
    # documentation-only options, accepted for compatibility
    dto: Any
    return_dto: Any
    include_in_schema: bool | None
    signature_types: Sequence[Any] | None


_HTTP_EXCEPTION_CLOSE_CODE: Final = 4500


def _close_code_for(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, WebSocketException):
        return exc.code, exc.detail
    if isinstance(exc, HTTPException):
        # Litestar closes with 4500 for every HTTPException after accept, whatever its status
        detail = http_exception_to_content(exc)["detail"]
        return _HTTP_EXCEPTION_CLOSE_CODE, str(detail)
    return WS_1011_INTERNAL_ERROR, "Internal Server Error"


def _is_disconnect(error: Exception) -> bool:
    """A ``WebSocketDisconnect``, or a group (from a user nursery) of nothing else."""
    if isinstance(error, ExceptionGroup):
        leaf = unwrap_group(error)
        if leaf is not error:
            return isinstance(leaf, WebSocketDisconnect)
        return all(
            isinstance(sub, WebSocketDisconnect) or _is_disconnect_group(sub)
            for sub in error.exceptions
        )
    return isinstance(error, WebSocketDisconnect)


def _is_disconnect_group(error: BaseException) -> bool:
    return isinstance(error, ExceptionGroup) and _is_disconnect(error)


def _is_unexpected(error: Exception) -> bool:
    if isinstance(error, HTTPException):
        return error.status_code >= HTTP_500_INTERNAL_SERVER_ERROR
    return not isinstance(error, WebSocketException)


def _find_exception_handler(
    handlers: Mapping[Any, Callable[..., Any]], exc: Exception
) -> Callable[..., Any] | None:
    if not handlers:
        return None
    status = getattr(exc, "status_code", None)
    if status is not None and status in handlers:
        return handlers[status]
    for klass in type(exc).__mro__:
        if klass in handlers:
            return handlers[klass]
    if not isinstance(exc, HTTPException):
        return handlers.get(HTTP_500_INTERNAL_SERVER_ERROR)
    return None


def _error_response(error: Exception) -> Response[Any]:
    status = (
        error.status_code if isinstance(error, HTTPException) else HTTP_500_INTERNAL_SERVER_ERROR
    )
    headers = error.headers if isinstance(error, HTTPException) else None
    return Response(
        http_exception_to_content(error),
        status_code=status,
        headers=headers or None,
        media_type=MediaType.JSON,
    )


async def _maybe_await(value: Any) -> Any:
    if inspect.isawaitable(value):
        return await value
    return value


class WebsocketRouteHandler(BaseRouteHandler):
    """A WebSocket route: an async function taking ``socket`` and any other parameters."""

    is_websocket_handler: Final = True

    def __init__(
        self,
        path: str | Sequence[str] | Callable[..., Any] | None = None,
        *,
        fn: Callable[..., Any] | None = None,
        **options: Unpack[WebsocketHandlerOptions],
    ) -> None:
        if callable(path):  # bare decorator: @websocket
            fn, path = path, None
        settings: dict[str, Any] = dict(options)
        name = settings.pop("name", None)
        opt = settings.pop("opt", None)
        super().__init__(path, fn=fn, name=name, opt=opt, **settings)
        self.include_in_schema = settings.get("include_in_schema", True)
        self._plan: KwargsPlan | None = None
        self._wants_nursery = True  # decided at registration
        self._asgi: ASGIApp = self._serve_connection

    def __call__(self, fn: Callable[..., Any]) -> WebsocketRouteHandler:
        """Use the handler as a decorator: remember ``fn`` and return the handler."""
        self._fn = fn
        return self

    # -- build time ---------------------------------------------------------------------

    def on_registration(self, app: Any, route_path: str) -> None:
        """Check the function, resolve layered settings and build the parameter plan."""
        from trioweb._routing import path_parameter_types

        self.app = app
        self.path_parameters = path_parameter_types(route_path)
        self.resolved_dependencies: Mapping[str, Any] = self.resolve("dependencies")
        self.resolved_exception_handlers: Mapping[Any, Callable[..., Any]] = self.resolve(
            "exception_handlers"
        )
        self.resolved_type_encoders: Mapping[Any, Any] = self.resolve("type_encoders")
        self.resolved_namespace: Mapping[str, Any] = self.resolve("signature_namespace")
        self.serializer: Serializer = get_serializer(self.resolved_type_encoders or None)
        self._guards: list[Callable[..., Any]] = self.resolve("guards")
        self.websocket_class: type[WebSocket[Any, Any, Any]] = (
            self.resolve("websocket_class") or WebSocket
        )
        self._validate()
        self._plan = self._build_plan(self.fn)
        self._wants_nursery = self._takes_nursery()
        self._asgi = self._serve_connection

    def _takes_nursery(self) -> bool:
        """Whether the function (or a dependency of it) takes the connection's nursery."""
        return self._plan is not None and self._plan.wants_nursery

    def _validate(self) -> None:
        fn = self.fn
        if not _is_async_callable(fn):
            raise ImproperlyConfiguredException(
                f"{self}: WebSocket handler functions must be asynchronous"
            )
        parameters = inspect.signature(fn).parameters
        if "socket" not in parameters:
            raise ImproperlyConfiguredException(
                f"{self}: WebSocket handlers must define a 'socket' parameter"
            )
        for name in _FORBIDDEN_PARAMETERS:
            if name in parameters:
                raise ImproperlyConfiguredException(
                    f"{self}: The {name} kwarg is not supported with websocket handlers"
                )
        returns = type_hints(fn, self.resolved_namespace).get("return", inspect.Parameter.empty)
        if returns not in (None, type(None), inspect.Parameter.empty):
            raise ImproperlyConfiguredException(f"{self}: WebSocket handlers must return 'None'")

    def _build_plan(self, fn: Callable[..., Any]) -> KwargsPlan:
        return build_plan(
            fn,
            path_params=self.path_parameters,
            dependencies=self.resolved_dependencies,
            namespace=self.resolved_namespace,
            body_allowed=False,
            type_decoders=self.resolve("type_decoders"),
        )

    def wrap_middleware(self, wrap: Callable[[ASGIApp], ASGIApp]) -> None:
        """Put route middleware around this handler (called by the app at build time)."""
        self._asgi = wrap(self._serve_connection)

    # -- connection time ----------------------------------------------------------------

    async def handle_websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one WebSocket connection (the ASGI entry point the app calls)."""
        await self._asgi(scope, receive, send)

    async def _serve_connection(self, scope: Scope, receive: Receive, send: Send) -> None:
        relay = WebSocketRelay(receive)
        socket = self.websocket_class(scope, relay.receive, send)
        relay.on_disconnect(socket.client_left)
        cleanups: Cleanup = []

        async def converse(nursery: trio.Nursery | None) -> None:
            for guard in self._guards:
                await _maybe_await(guard(socket, self))
            await self.run(socket, cleanups, nursery)

        try:
            error = await run_websocket_connection(
                relay, converse, with_tasks=self._wants_nursery
            )
            await self._finish(socket, send, error)
        finally:
            if cleanups:
                await close_dependencies(cleanups)

    async def resolve_kwargs(
        self,
        socket: WebSocket[Any, Any, Any],
        cleanups: Cleanup,
        nursery: trio.Nursery | None,
        plan: KwargsPlan | None = None,
        cache: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The arguments of ``plan`` (default: the function's) for this connection."""
        plan = plan or self._plan
        assert plan is not None, "the handler has not been registered on an app"
        if plan.is_trivial:
            return {}
        return await plan.resolve(socket, cleanups, {} if cache is None else cache, nursery)

    async def run(
        self, socket: WebSocket[Any, Any, Any], cleanups: Cleanup, nursery: trio.Nursery | None
    ) -> None:
        """Call the function (subclasses run a listener loop or a stream instead).

        ``nursery`` is ``None`` when nothing the handler calls takes it.
        """
        kwargs = await self.resolve_kwargs(socket, cleanups, nursery)
        await self.fn(**kwargs)

    async def _finish(
        self, socket: WebSocket[Any, Any, Any], send: Send, error: Exception | None
    ) -> None:
        """Close the connection the way ``error`` (or its absence) calls for."""
        if error is None or _is_disconnect(error):
            if not socket.closed:
                code, reason = WS_1000_NORMAL_CLOSURE, ""
                if isinstance(error, WebSocketDisconnect):
                    code, reason = error.code, error.detail
                await send({"type": "websocket.close", "code": code, "reason": reason})
            return
        await self._after_exception(socket, error)
        response: Response[Any] | ASGIResponse | None = None
        handled = False
        custom = _find_exception_handler(self.resolved_exception_handlers, error)
        if custom is not None:
            try:
                result = await _maybe_await(custom(socket, error))
            except Exception as handler_error:
                logger.exception("WebSocket exception handler raised")
                error = handler_error
            else:
                handled = True
                if isinstance(result, Response | ASGIResponse):
                    response = result
        if not handled and _is_unexpected(error):
            logger.error("error in WebSocket handler %s", self.handler_name, exc_info=error)
        if socket.closed:
            return
        if response is None and not socket.accepted and not isinstance(error, WebSocketException):
            response = _error_response(error)
        if response is not None:
            await self._refuse(socket, send, response, error)
            return
        code, reason = _close_code_for(error)
        await send({"type": "websocket.close", "code": code, "reason": reason})

    async def _refuse(
        self,
        socket: WebSocket[Any, Any, Any],
        send: Send,
        response: Response[Any] | ASGIResponse,
        error: Exception,
    ) -> None:
        """Send ``response`` as the handshake refusal, or close with ``4000 + status``."""
        asgi = (
            response
            if isinstance(response, ASGIResponse)
            else response.to_asgi_response(self.app, None)
        )
        if not socket.accepted and DENIAL_EXTENSION in (socket.scope.get("extensions") or {}):
            await send_denial(send, asgi.status_code, list(asgi.encoded_headers), asgi.body)
            return
        _, reason = _close_code_for(error)
        await send({"type": "websocket.close", "code": 4000 + asgi.status_code, "reason": reason})

    async def _after_exception(self, socket: WebSocket[Any, Any, Any], error: Exception) -> None:
        for hook in getattr(self.app, "after_exception", ()):
            try:
                await _maybe_await(hook(error, socket.scope))
            except Exception:
                logger.exception("after_exception hook raised")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} WEBSOCKET {self.paths} {self.handler_name}>"


def _is_async_callable(fn: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004
    )


websocket = WebsocketRouteHandler
"""Declare a WebSocket route handler: ``@websocket("/path/{room:str}")`` (Litestar's name)."""
