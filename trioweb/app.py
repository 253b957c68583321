"""``TrioWeb`` (also exported as ``Litestar``): the ASGI application.

One ASGI call is one connection. A plain request runs entirely in the server's task: no
nursery, no extra task. A route that asks for the connection nursery (a ``nursery``
parameter) or sets ``cancel_on_disconnect`` runs inside a connection nursery with a
receive relay, and a disconnect before the response is complete cancels it all.

Lifespan: ``on_startup`` hooks and ``lifespan`` context managers run in order; the app
nursery (``app.nursery``) is open for the app's lifetime; at shutdown its tasks get
``shutdown_timeout`` seconds to finish and are then cancelled.
"""

from __future__ import annotations

import copy
import datetime
import functools
import inspect
import logging
import os
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Final, Unpack
from uuid import UUID

import trio

from trioweb import _hypercorn_patch
from trioweb._app_lifespan import lifespan_context, run_lifespan
from trioweb._error_responses import error_response
from trioweb._kwargs import Cleanup, abandon_dependencies, close_dependencies
from trioweb._lifecycle import RELAY_TASK_NAME, ReceiveRelay, unwrap_group
from trioweb._routing import Route, RouteTable, path_parameter_types
from trioweb.config._app_options import AcceptedAppOptions, check_app_options
from trioweb.config._builtins import (
    builtin_route_middleware,
    default_openapi_config,
    for_websockets,
    openapi_handler,
    resolve_allowed_hosts,
    wrap_in_cors,
)
from trioweb.config.app import AppConfig, apply_app_init_hooks
from trioweb.connection import Request
from trioweb.connection.request import ClientDisconnectedException
from trioweb.controller import Controller
from trioweb.datastructures import State
from trioweb.exceptions import (
    HTTPException,
    ImproperlyConfiguredException,
    MethodNotAllowedException,
    NoRouteMatchFoundException,
    NotFoundException,
)
from trioweb.exceptions.responses import http_exception_to_content
from trioweb.handlers.asgi_handlers import ASGIRouteHandler
from trioweb.handlers.base import BaseRouteHandler, Layer, handler_identifier, normalize_path
from trioweb.handlers.http_handlers import HTTPRouteHandler
from trioweb.handlers.websocket_handlers import WebsocketListener
from trioweb.middleware.base import build_middleware_stack
from trioweb.response._conditional import finalize_response
from trioweb.response.base import ASGIResponse, Response
from trioweb.response.streaming import RELAY_SCOPE_KEY, STREAM_ERROR_SCOPE_KEY
from trioweb.router import Router
from trioweb.status_codes import HTTP_204_NO_CONTENT
from trioweb.types import Message, Receive, Scope, Send
from trioweb.types.empty import Empty, EmptyType

if TYPE_CHECKING:
    # The config modules are imported when a config is given (see trioweb.config._builtins).
    from trioweb.config.allowed_hosts import AllowedHostsConfig
    from trioweb.config.compression import CompressionConfig
    from trioweb.config.cors import CORSConfig
    from trioweb.config.csrf import CSRFConfig
    from trioweb.logging.config import BaseLoggingConfig
    from trioweb.openapi.config import OpenAPIConfig
    from trioweb.stores.registry import StoreRegistry

__all__ = ("Litestar", "TrioWeb")

logger = logging.getLogger("trioweb")

#: Path parameter types ``route_reverse`` also accepts as a ``str`` (Litestar's set).
_STR_ACCEPTED: Final = frozenset(
    {datetime.date, datetime.datetime, datetime.time, datetime.timedelta, float, UUID}
)

DEFAULT_SHUTDOWN_TIMEOUT: Final = 5.0


def _join(prefix: str, path: str) -> str:
    return normalize_path(prefix.rstrip("/") + "/" + path.lstrip("/"))


async def _release(
    scope: Scope, cleanups: Cleanup, error: Exception | None, *, abandon: bool = False
) -> None:
    """After a route's response: close its generator dependencies and a parsed form's files.

    The dependencies get ``error`` (the handler's, else a stream's failure) thrown in at their
    ``yield``, or with ``abandon`` (the handler was cancelled) are closed there unfinished.
    """
    if cleanups:
        if abandon:
            await abandon_dependencies(cleanups)
        else:
            await close_dependencies(cleanups, error or scope.get(STREAM_ERROR_SCOPE_KEY))
    if "_form" in scope:
        await _close_form(scope)


async def _close_form(scope: Scope) -> None:
    """Close the request's uploaded files (spooled to memory or disk) once it is answered."""
    with trio.CancelScope(shield=True):
        await scope["_form"].close()


class _StartedFlag:
    """Wraps ``send`` to know whether the response has started (route middleware)."""

    __slots__ = ("send", "started")

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


class _ResponseTracker:
    """Wraps ``send`` on a connection-nursery route: how far did the response get?

    The relay stops watching just before the final body goes out: hypercorn answers a
    completed response with ``http.disconnect`` at once, and that one must not cancel the
    connection nursery (tasks the handler spawned, background work).
    """

    __slots__ = ("completed", "relay", "send", "started")

    def __init__(self, send: Send, relay: ReceiveRelay) -> None:
        self.send = send
        self.relay = relay
        self.started = False
        self.completed = False

    async def __call__(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.started = True
        elif kind == "http.response.body" and not message.get("more_body", False):
            self.completed = not self.relay.disconnected.is_set()
            self.relay.complete()
        await self.send(message)


def _with_before_send(
    handler: Callable[[Scope, Receive, Send], Any], hooks: tuple[Callable[..., Any], ...]
) -> Callable[[Scope, Receive, Send], Any]:
    """``handler`` with Litestar's ``before_send`` hooks: ``hook(message, scope)`` (sync or
    async) runs for every message, in order, before it is sent."""

    async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_after_hooks(message: Message) -> None:
            for hook in hooks:
                result = hook(message, scope)
                if inspect.isawaitable(result):
                    await result
            await send(message)

        await handler(scope, receive, send_after_hooks)

    return asgi


def _strip_root_path(scope: Scope) -> None:
    """Route below ``root_path`` when the server left it in ``path`` (as hypercorn does
    behind a proxy that keeps the prefix): Litestar's rule, at a segment boundary only.

    ``scope["path"]`` is rewritten to the part below ``root_path`` (as in Litestar), so
    ``request.url`` (``root_path`` + ``path``) stays the URL the client asked for.
    """
    root_path: str = scope["root_path"].rstrip("/")
    path: str = scope["path"]
    if root_path and path.startswith(root_path):
        rest = path[len(root_path) :]
        if not rest or rest.startswith("/"):
            scope["path"] = rest or "/"


def _detach_background(response: ASGIResponse) -> tuple[ASGIResponse, Any]:
    """``response`` without its background work, and that work (the caller runs it)."""
    background = getattr(response, "background", None)
    if background is None:
        return response, None
    detached = copy.copy(response)
    detached.background = None
    return detached, background


class TrioWeb(Router):
    """The application: routes, layered settings, lifespan and error handling."""

    def __init__(
        self,
        route_handlers: Sequence[Any] | None = None,
        *,
        after_exception: Sequence[Callable[..., Any]] | None = None,
        after_request: Callable[..., Any] | None = None,
        after_response: Callable[..., Any] | None = None,
        allowed_hosts: Sequence[str] | AllowedHostsConfig | None = None,
        before_request: Callable[..., Any] | None = None,
        before_send: Sequence[Callable[..., Any]] | None = None,
        cache_control: Any = None,
        cancel_on_disconnect: bool | None = None,
        compression_config: CompressionConfig | None = None,
        cors_config: CORSConfig | None = None,
        csrf_config: CSRFConfig | None = None,
        debug: bool | None = None,
        dependencies: Mapping[str, Any] | None = None,
        etag: Any = None,
        exception_handlers: Mapping[Any, Callable[..., Any]] | None = None,
        guards: Sequence[Callable[..., Any]] | None = None,
        lifespan: Sequence[
            Callable[..., AbstractAsyncContextManager[Any]] | AbstractAsyncContextManager[Any]
        ]
        | None = None,
        logging_config: BaseLoggingConfig | None = None,
        middleware: Sequence[Any] | None = None,
        on_app_init: Sequence[Callable[..., Any]] | None = None,
        on_shutdown: Sequence[Callable[..., Any]] | None = None,
        on_startup: Sequence[Callable[..., Any]] | None = None,
        openapi_config: OpenAPIConfig | EmptyType | None = Empty,
        opt: Mapping[str, Any] | None = None,
        request_class: type[Any] | None = None,
        request_max_body_size: int | None = 10_000_000,
        response_class: type[Any] | None = None,
        response_cookies: Any = None,
        response_headers: Any = None,
        shutdown_timeout: float = DEFAULT_SHUTDOWN_TIMEOUT,
        signature_namespace: Mapping[str, Any] | None = None,
        signature_types: Sequence[Any] | None = None,
        state: State | None = None,
        stream_idle_timeout: float | None = None,
        stream_total_timeout: float | None = None,
        template_config: Any = None,
        type_encoders: Mapping[Any, Callable[[Any], Any]] | None = None,
        type_decoders: Sequence[Any] | None = None,
        websocket_class: type[Any] | None = None,
        **litestar_options: Unpack[AcceptedAppOptions],
    ) -> None:
        if on_app_init:
            # Litestar's protocol: each hook gets the keywords as an AppConfig and returns it;
            # the app is then built from what the last hook returned.
            options: dict[str, Any] = dict(locals())
            options.pop("self")
            options.pop("__class__", None)
            options.update(options.pop("litestar_options"))
            rebuilt = apply_app_init_hooks(options)
            rebuilt["on_app_init"] = None
            TrioWeb.__init__(self, **rebuilt)
            return
        check_app_options(litestar_options)
        self.multipart_form_part_limit: int = litestar_options.get(
            "multipart_form_part_limit", 1000
        )
        if signature_types:
            signature_namespace = {
                **{kind.__name__: kind for kind in signature_types},
                **(signature_namespace or {}),
            }
        super().__init__(
            "/",
            route_handlers,
            after_request=after_request,
            after_response=after_response,
            before_request=before_request,
            cache_control=cache_control,
            cancel_on_disconnect=cancel_on_disconnect,
            dependencies=dependencies,
            etag=etag,
            exception_handlers=exception_handlers,
            guards=guards,
            middleware=middleware,
            opt=opt,
            request_class=request_class,
            request_max_body_size=request_max_body_size,
            response_class=response_class,
            response_cookies=response_cookies,
            response_headers=response_headers,
            signature_namespace=signature_namespace,
            stream_idle_timeout=stream_idle_timeout,
            stream_total_timeout=stream_total_timeout,
            type_encoders=type_encoders,
            type_decoders=type_decoders,
            websocket_class=websocket_class,
        )
        self.debug = (
            debug if debug is not None else os.environ.get("TRIOWEB_DEBUG", "") in ("1", "true")
        )
        self.state = state if state is not None else State()
        self.on_startup = list(on_startup or [])
        self.on_shutdown = list(on_shutdown or [])
        self.lifespan = list(lifespan or [])
        self._stores_option: Any = litestar_options.get("stores")
        if self._stores_option:
            # Litestar enters the stores it was given for the app's lifetime
            self.lifespan.extend(self.stores._stores.values())
        self.after_exception = list(after_exception or [])
        self.before_send = list(before_send or [])
        self.shutdown_timeout = shutdown_timeout
        self.template_config = template_config
        self.template_engine = (
            template_config.engine_instance if template_config is not None else None
        )
        self.allowed_hosts = resolve_allowed_hosts(allowed_hosts)
        self.compression_config = compression_config
        self.cors_config = cors_config
        self.csrf_config = csrf_config
        self.openapi_config = (
            default_openapi_config() if openapi_config is Empty else openapi_config
        )
        self.logging_config = logging_config
        # Litestar's names: ``get_logger(name)`` and ``logger``, the framework's own logger.
        self.get_logger: Callable[..., logging.Logger] = (
            logging_config.configure() if logging_config is not None else logging.getLogger
        )
        self.logger = self.get_logger("trioweb")
        self._builtin_middleware = builtin_route_middleware(
            self.allowed_hosts, compression_config, csrf_config
        )
        self.nursery: trio.Nursery | None = None
        self.exception_handlers: Mapping[Any, Callable[..., Any]] = dict(exception_handlers or {})
        self._route_names: dict[str, tuple[BaseRouteHandler, list[str]]] = {}
        self._path_types: dict[str, dict[str, type[Any]]] = {}
        self._table = RouteTable()
        self.asgi_handler: Callable[[Scope, Receive, Send], Any] = self._dispatch
        if cors_config is not None:
            self.asgi_handler = wrap_in_cors(self.asgi_handler, cors_config)
        if self.before_send:  # outermost: the hooks see every message the app sends
            self.asgi_handler = _with_before_send(self.asgi_handler, tuple(self.before_send))
        self._http_direct = cors_config is None and not self.before_send
        schema_handler = openapi_handler(self.openapi_config)
        if schema_handler is not None:
            self.route_handlers.append(schema_handler)
        self.rebuild_routes()

    @functools.cached_property
    def stores(self) -> StoreRegistry:
        """The app's named stores (``TrioWeb(stores=...)``), a ``StoreRegistry`` as Litestar's.

        Built on first use, so an app without stores never imports them.
        """
        from trioweb.stores.registry import StoreRegistry

        given = self._stores_option
        return given if isinstance(given, StoreRegistry) else StoreRegistry(given)

    @classmethod
    def from_config(cls, config: AppConfig) -> TrioWeb:
        """The app built from an :class:`~trioweb.config.app.AppConfig` (Litestar's)."""
        return cls(**config.to_app_options())

    # -- building ---------------------------------------------------------------------

    def rebuild_routes(self) -> None:
        """(Re)build the route table from every registered handler. Raises on bad config."""
        self._table = RouteTable()
        self._route_names = {}
        self._path_types = {}
        for item in self.route_handlers:
            self._collect(item, "/", [self], self)

    def _collect(self, item: Any, prefix: str, layers: list[Layer], owner: Any) -> None:
        if isinstance(item, Router) and not isinstance(item, TrioWeb):
            item.owner = owner
            for child in item.route_handlers:
                self._collect(child, _join(prefix, item.path), [*layers, item], item)
        elif isinstance(item, type) and issubclass(item, Controller):
            controller = item(owner)
            for handler, bound in controller.get_route_handlers():
                self._register_handler(
                    handler,
                    _join(prefix, controller.route_path),
                    [*layers, controller],
                    controller,
                    bound,
                )
        elif isinstance(item, BaseRouteHandler):
            self._register_handler(item, prefix, layers, owner, None)
        elif isinstance(item, type) and issubclass(item, WebsocketListener):
            self._register_handler(item(owner).to_handler(), prefix, layers, owner, None)
        else:
            raise ImproperlyConfiguredException(
                f"Cannot register {item!r}: not a route handler, controller or router"
            )

    def _register_handler(
        self, handler: BaseRouteHandler, prefix: str, layers: list[Layer], owner: Any, bound: Any
    ) -> None:
        for path in handler.paths:
            full = _join(prefix, path)
            clone = handler.copy_for(owner, layers, bound)
            if isinstance(clone, ASGIRouteHandler) and clone.is_mount:
                route = self._table.add_mount(full)
                route.mount = clone
            else:
                route = self._table.add(full)
                self._attach(route, clone, full)
            clone.on_registration(self, full)
            middleware = clone.resolve("middleware")
            if isinstance(clone, HTTPRouteHandler):
                middleware = [*middleware, *self._builtin_middleware]
                clone.middleware_app = (
                    build_middleware_stack(middleware, self.handle_route) if middleware else None
                )
            elif hasattr(clone, "wrap_middleware"):
                middleware = [*middleware, *for_websockets(self._builtin_middleware)]
                if middleware:
                    clone.wrap_middleware(partial(build_middleware_stack, middleware))
            route.finalize()
            self._index_name(clone, full)

    def _index_name(self, handler: BaseRouteHandler, path: str) -> None:
        """Index ``handler`` by its name, or by its function's qualified name (Litestar's)."""
        identifier = handler.name or handler_identifier(handler)
        self._path_types[path] = path_parameter_types(path)
        known = self._route_names.get(identifier)
        if known is None:
            self._route_names[identifier] = (handler, [path])
            return
        if handler.name and handler_identifier(known[0]) != handler_identifier(handler):
            raise ImproperlyConfiguredException(
                f"route handler names must be unique - {handler.name} is not unique."
            )
        if path not in known[1]:
            known[1].append(path)

    def _attach(self, route: Route, handler: BaseRouteHandler, path: str) -> None:
        if isinstance(handler, HTTPRouteHandler):
            for method in handler.http_methods:
                if method in route.handlers:
                    raise ImproperlyConfiguredException(
                        f"Handler already registered for path {path!r} and http method {method}"
                    )
                route.handlers[method] = handler
        elif isinstance(handler, ASGIRouteHandler):
            route.mount = handler
        elif getattr(handler, "is_websocket_handler", False):
            if route.websocket is not None:
                raise ImproperlyConfiguredException(
                    f"A websocket handler is already registered for {path!r}"
                )
            route.websocket = handler
        else:
            raise ImproperlyConfiguredException(f"Unknown route handler type {handler!r}")

    @property
    def routes(self) -> list[Route]:
        """Every route of the app."""
        return list(self._table.routes)

    def route_reverse(self, name: str | BaseRouteHandler, **path_parameters: Any) -> str:
        """The path of the handler ``name`` (or the handler itself), parameters filled in.

        As in Litestar: of a handler's paths, the one using the most of the given parameters
        is chosen; a value must have its parameter's type, except that ``date``, ``datetime``,
        ``time``, ``timedelta``, ``float``, ``uuid`` and ``path`` also take a ``str``.

        Error handling: an unknown name, a missing parameter or a value of the wrong type
        raises ``NoRouteMatchFoundException``.
        """
        if isinstance(name, BaseRouteHandler):
            name = name.name or handler_identifier(name)
        known = self._route_names.get(name)
        if known is None:
            raise NoRouteMatchFoundException(f"Route {name} can not be found")
        candidates = sorted(
            ((self._path_types[path], path) for path in known[1]),
            key=lambda item: len(item[0]),
            reverse=True,
        )
        given = set(path_parameters)
        types, path = next(
            ((types, path) for types, path in candidates if given.issuperset(types)),
            candidates[-1],
        )
        out = []
        for segment in path.split("/"):
            if segment.startswith("{") and segment.endswith("}"):
                key = segment[1:-1].split(":", 1)[0]
                if key not in path_parameters:
                    raise NoRouteMatchFoundException(
                        f"Route {name} can not be found: missing {key!r}"
                    )
                value = path_parameters[key]
                expected = types[key]
                is_path = segment.endswith(":path}")
                if is_path:
                    expected = PurePath
                if not isinstance(value, expected) and not (
                    isinstance(value, str) and (is_path or expected in _STR_ACCEPTED)
                ):
                    raise NoRouteMatchFoundException(
                        f"Received type for path parameter {key} doesn't match declared type "
                        f"{expected}"
                    )
                segment = str(value).strip("/") if is_path else str(value)
            out.append(segment)
        return "/".join(out) or "/"

    def url_for_static_asset(self, name: str, file_path: str) -> str:
        """The path of ``file_path`` served by the static files router named ``name``."""
        if name not in self._route_names:
            raise NoRouteMatchFoundException(f"Static handler {name} can not be found")
        _, paths = self._route_names[name]
        base = paths[0].split("{", 1)[0].rstrip("/")
        return f"{base}/{file_path.lstrip('/')}"

    def get_handler_index_by_name(self, name: str) -> dict[str, Any] | None:
        """Litestar's lookup of a handler by name (``handler``, ``paths``, ``identifier``)."""
        if name not in self._route_names:
            return None
        handler, paths = self._route_names[name]
        return {"handler": handler, "paths": sorted(paths), "identifier": name}

    # -- ASGI ---------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["app"] = scope["litestar_app"] = self
        kind = scope["type"]
        if kind == "http" and self._http_direct:
            await self._http(scope, receive, send)  # the common case, one call shorter
        elif kind == "lifespan":
            await run_lifespan(self, scope, receive, send)
        else:
            await self.asgi_handler(scope, receive, send)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("root_path"):
            _strip_root_path(scope)
        route, raw_params = self._table.match(scope["path"])
        if route is None:
            await self._respond_error(
                NotFoundException(), Request(scope, receive, send), None, scope, receive, send
            )
            return
        if route.mount is not None and not route.handlers:
            if not route.mount.is_mount:
                await self._asgi_route(route, raw_params, scope, receive, send)
                return
            await self._mount(route.mount, scope, receive, send)
            return
        method = scope["method"]
        handler = route.handlers.get(method)
        if handler is None:
            if method == "HEAD":
                handler = route.handlers.get("GET")
            elif method == "OPTIONS":
                await ASGIResponse.prepared(
                    HTTP_204_NO_CONTENT, [(b"allow", route.allow.encode("latin-1"))], b"", None
                )(scope, receive, send)
                return
            if handler is None:
                await self._respond_error(
                    MethodNotAllowedException(headers={"allow": route.allow}),
                    Request(scope, receive, send),
                    None,
                    scope,
                    receive,
                    send,
                )
                return
        if raw_params:
            try:
                scope["path_params"] = route.parse_params(raw_params)
            except HTTPException as exc:
                await self._respond_error(
                    exc, Request(scope, receive, send), None, scope, receive, send
                )
                return
        else:
            scope["path_params"] = {}
        scope["route_handler"] = handler
        if handler.middleware_app is not None:
            await self._through_middleware(handler, scope, receive, send)
        elif handler.direct:
            await self._handle_direct(handler, scope, receive, send)
        else:
            await self.handle_route(scope, receive, send)

    async def _through_middleware(
        self, handler: HTTPRouteHandler, scope: Scope, receive: Receive, send: Send
    ) -> None:
        tracked = _StartedFlag(send)
        try:
            await handler.middleware_app(scope, receive, tracked)  # type: ignore[misc]
        except Exception as exc:
            if tracked.started:
                raise
            request = handler.request_class(scope, receive, send)
            await (await error_response(self, exc, request, handler))(scope, receive, send)

    async def handle_route(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The innermost ASGI app of every HTTP route (what route middleware wraps)."""
        handler: HTTPRouteHandler = scope["route_handler"]
        if handler.direct:
            await self._handle_direct(handler, scope, receive, send)
            return
        request = handler.request_class(scope, receive, send)
        if handler.needs_nursery:
            await self._http_in_nursery(handler, request, scope, receive, send)
            return
        cleanups: Cleanup = []
        error: Exception | None = None
        try:
            response = await handler.handle(request, cleanups)
        except Exception as exc:
            error = exc
            response = await error_response(self, exc, request, handler)
        except BaseException:  # cancelled (a server shutting down): no commit, no GC cleanup
            if cleanups:
                await abandon_dependencies(cleanups)
            raise
        try:
            await response(scope, receive, send)
        finally:
            if cleanups or "_form" in scope:
                await _release(scope, cleanups, error)
        # As in Litestar, after_response follows a response the handler produced, not an
        # error response.
        if error is None and handler.after_response_hook is not None:
            await self._after_response(handler, request)

    async def _handle_direct(
        self, handler: HTTPRouteHandler, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """``handle_route`` for a direct handler (see ``HTTPRouteHandler.direct``).

        The same steps as ``handler.handle`` with nothing to skip: parameters, the function,
        and a plain value sent as two messages with no ``ASGIResponse`` in between.
        """
        request: Request[Any, Any, Any] | None = (
            None if handler.lazy_request else handler.request_class(scope, receive, send)
        )
        cleanups: Cleanup = []
        plain: tuple[Message, bytes] | None = None
        response: ASGIResponse | None = None
        error: Exception | None = None
        try:
            if handler.trivial_plan:
                data = await handler.fn()
            else:
                data = await handler.fn(
                    **(await handler.plan.resolve(request, cleanups, {}, None))  # type: ignore[arg-type]
                )
            plain = handler.plain_start(data, scope["method"])
            if plain is None:
                if request is None:
                    request = handler.request_class(scope, receive, send)
                response = await finalize_response(await handler.to_response(data, request), scope)
                data = None  # a stream may be long: do not hold the response object as well
        except Exception as exc:
            error = exc
            if request is None:
                request = handler.request_class(scope, receive, send)
            response = await error_response(self, exc, request, handler)
        except BaseException:  # cancelled (a server shutting down): no commit, no GC cleanup
            if cleanups:
                await abandon_dependencies(cleanups)
            raise
        try:
            if plain is not None:
                await send(plain[0])
                await send({"type": "http.response.body", "body": plain[1], "more_body": False})
                if handler.background is not None:
                    await handler.background()
            else:
                await response(scope, receive, send)  # type: ignore[misc]
        finally:
            if cleanups or "_form" in scope:
                await _release(scope, cleanups, error)

    async def _after_response(
        self, handler: HTTPRouteHandler, request: Request[Any, Any, Any]
    ) -> None:
        try:
            result = handler.after_response_hook(request)
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.exception("after_response hook raised")

    async def _http_in_nursery(
        self,
        handler: HTTPRouteHandler,
        request: Request[Any, Any, Any],
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        cleanups: Cleanup = []
        handler_error: Exception | None = None
        relay = ReceiveRelay(receive)
        tracked = _ResponseTracker(send, relay)
        request.receive = relay.receive
        scope[RELAY_SCOPE_KEY] = relay
        background: Any = None
        handler_returned = False
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(relay.run, name=RELAY_TASK_NAME)
                relay.cancel_on_disconnect(nursery.cancel_scope)
                try:
                    response = await handler.handle(request, cleanups, nursery)
                except Exception as exc:
                    handler_error = exc
                    response = await error_response(self, exc, request, handler)
                handler_returned = True
                # The response's background work must not sit inside the scope a disconnect
                # cancels: it runs here once the response completed, or below once the
                # connection nursery has unwound from a mid-response disconnect.
                response, background = _detach_background(response)
                await response(scope, relay.receive, tracked)
                relay.stop()
                if tracked.completed and background is not None:
                    background, work = None, background
                    await work()
            if background is not None and tracked.started and relay.disconnected.is_set():
                await background()
        except BaseExceptionGroup as group:
            error = unwrap_group(group)
            if isinstance(error, trio.Cancelled | KeyboardInterrupt | SystemExit) or not isinstance(
                error, Exception
            ):
                raise
            logger.error("a task in the connection nursery raised", exc_info=error)
            handler_error = handler_error or error
            if not tracked.started:
                await (await error_response(self, error, request, handler))(scope, receive, send)
        finally:
            abandoned = False
            if not handler_returned and handler_error is None:
                # the handler was cancelled half-way: its dependencies must not take that for
                # success (a session would commit half of the handler's work)
                if relay.disconnected.is_set():
                    handler_error = ClientDisconnectedException(
                        detail="the client disconnected before the handler returned"
                    )
                else:  # cancelled from outside: a server shutting down
                    abandoned = True
            if cleanups or "_form" in scope:
                await _release(scope, cleanups, handler_error, abandon=abandoned)
        if handler_error is None and handler.after_response_hook is not None:
            await self._after_response(handler, request)

    async def _mount(
        self, handler: ASGIRouteHandler, scope: Scope, receive: Receive, send: Send
    ) -> None:
        path = scope["path"]
        prefix = handler.mount_path
        child = dict(scope)
        child["path"] = path[len(prefix) :] or "/"
        child["root_path"] = scope.get("root_path", "") + prefix
        child["path_params"] = {}
        child["route_handler"] = handler
        await handler.fn(child, receive, send)

    async def _asgi_route(
        self, route: Route, raw_params: Any, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """An ``asgi`` route that is not a mount: the app sees the scope's own path."""
        handler = route.mount
        assert handler is not None
        try:
            path_params = route.parse_params(raw_params)
        except HTTPException as exc:
            if scope["type"] == "websocket":
                await self._reject_websocket(scope, receive, send, exc)
            else:
                await self._respond_error(
                    exc, Request(scope, receive, send), None, scope, receive, send
                )
            return
        child = dict(scope) if handler.copy_scope else scope
        child["path_params"] = path_params
        child["route_handler"] = handler
        await handler.fn(child, receive, send)

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        _hypercorn_patch.apply_if_loaded()  # see trioweb/_hypercorn_patch.py
        if scope.get("root_path"):
            _strip_root_path(scope)
        route, raw_params = self._table.match(scope["path"])
        if route is not None and route.mount is not None and route.websocket is None:
            if not route.mount.is_mount:
                await self._asgi_route(route, raw_params, scope, receive, send)
                return
            await self._mount(route.mount, scope, receive, send)
            return
        if route is None or route.websocket is None:
            await self._reject_websocket(scope, receive, send, NotFoundException())
            return
        try:
            scope["path_params"] = route.parse_params(raw_params)
        except HTTPException as exc:
            await self._reject_websocket(scope, receive, send, exc)
            return
        scope["route_handler"] = route.websocket
        await route.websocket.handle_websocket(scope, receive, send)

    async def _reject_websocket(
        self, scope: Scope, receive: Receive, send: Send, exc: HTTPException
    ) -> None:
        message = await receive()
        if message["type"] != "websocket.connect":
            return
        if "websocket.http.response" in (scope.get("extensions") or {}):
            body = Response(http_exception_to_content(exc), status_code=exc.status_code)
            asgi = body.to_asgi_response(self, None)
            await send(
                {
                    "type": "websocket.http.response.start",
                    "status": asgi.status_code,
                    "headers": asgi.encoded_headers,
                }
            )
            await send({"type": "websocket.http.response.body", "body": asgi.body})
        else:
            await send(
                {
                    "type": "websocket.close",
                    "code": 4404 if exc.status_code == 404 else 1008,
                    "reason": exc.detail,
                }
            )

    async def _respond_error(
        self,
        exc: Exception,
        request: Request[Any, Any, Any],
        handler: HTTPRouteHandler | None,
        scope: Scope,
        receive: Receive,
        send: Send,
    ) -> None:
        await (await error_response(self, exc, request, handler))(scope, receive, send)

    @asynccontextmanager
    async def lifespan_context(self) -> AsyncIterator[None]:
        """Run the app's startup and shutdown around a block (see ``trioweb._app_lifespan``)."""
        async with lifespan_context(self):
            yield


Litestar = TrioWeb
