"""HTTP route handlers and their decorators (``get``, ``post``, ... ``route``).

Handler options are declared once, in :class:`HTTPHandlerOptions`; each decorator is a
one-line partial of :class:`HTTPRouteHandler` with its method.

Per request, :meth:`HTTPRouteHandler.handle` runs: before_request → parameters and
dependencies (a plan built at startup) → the function (sync ones in a worker thread) →
after_request → an ``ASGIResponse``. A plain value returned for the default response
class takes a fast path whose headers were encoded at startup.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Final, TypedDict, Unpack, cast

from trioweb._kwargs import Cleanup, KwargsPlan, build_plan, type_hints
from trioweb._lifecycle import StreamPolicy, run_sync_handler
from trioweb.background_tasks import BackgroundTask, BackgroundTasks
from trioweb.connection import Request
from trioweb.datastructures import CacheControlHeader, Cookie, ETag
from trioweb.enums import HttpMethod, MediaType
from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.handlers.base import BaseRouteHandler
from trioweb.response._conditional import finalize_response
from trioweb.response.base import (
    ASGIResponse,
    Response,
    content_type_header,
    encode_headers,
    make_renderer,
    status_allows_body,
)
from trioweb.serialization import get_serializer
from trioweb.status_codes import (
    HTTP_200_OK,
    HTTP_201_CREATED,
    HTTP_204_NO_CONTENT,
)

if TYPE_CHECKING:
    import trio

    from trioweb.types import Message

__all__ = (
    "HTTPHandlerOptions",
    "HTTPRouteHandler",
    "delete",
    "get",
    "head",
    "patch",
    "post",
    "put",
    "route",
)

_EMPTY_KWARGS: Final[dict[str, Any]] = {}
_RESPONSE_TYPES: Final = (Response, ASGIResponse)


class HTTPHandlerOptions(TypedDict, total=False):
    """Every keyword option of an HTTP route handler (Litestar's names)."""

    after_request: Callable[..., Any] | None
    after_response: Callable[..., Any] | None
    background: BackgroundTask | BackgroundTasks | None
    before_request: Callable[..., Any] | None
    cache: bool | int
    cache_control: CacheControlHeader | None
    cancel_on_disconnect: bool | None
    dependencies: Mapping[str, Any] | None
    etag: ETag | None
    exception_handlers: Mapping[Any, Callable[..., Any]] | None
    guards: Sequence[Callable[..., Any]] | None
    media_type: MediaType | str | None
    middleware: Sequence[Any] | None
    name: str | None
    opt: Mapping[str, Any] | None
    request_class: type[Any] | None
    request_max_body_size: int | None
    response_class: type[Response[Any]] | None
    response_cookies: Sequence[Cookie] | Mapping[str, str] | None
    response_headers: Sequence[Any] | Mapping[str, str] | None
    signature_namespace: Mapping[str, Any] | None
    status_code: int | None
    stream_idle_timeout: float | None
    stream_total_timeout: float | None
    sync_to_thread: bool | None
    type_encoders: Mapping[Any, Callable[[Any], Any]] | None
    type_decoders: Sequence[Any] | None
    # documentation-only options, accepted for compatibility
    content_encoding: str | None
    content_media_type: str | None
    deprecated: bool
    description: str | None
    include_in_schema: bool | None
    operation_class: Any
    operation_id: str | Callable[..., str] | None
    raises: Sequence[type[Exception]] | None
    response_description: str | None
    responses: Mapping[int, Any] | None
    security: Sequence[Any] | None
    summary: str | None
    tags: Sequence[str] | None
    dto: Any
    return_dto: Any
    signature_types: Sequence[Any] | None


def _default_status(methods: frozenset[str]) -> int:
    # Litestar's rule, also for ``route`` with several methods: any POST makes it 201,
    # else any DELETE makes it 204.
    if "POST" in methods:
        return HTTP_201_CREATED
    if "DELETE" in methods:
        return HTTP_204_NO_CONTENT
    return HTTP_200_OK


def _encode_cookies(cookies: Iterable[Any]) -> list[Cookie]:
    unique: dict[str, Cookie] = {}
    for cookie in cookies:
        if isinstance(cookie, tuple):
            cookie = Cookie(key=cookie[0], value=cookie[1])
        if not cookie.documentation_only:
            unique[cookie.key] = cookie
    return list(unique.values())


def _check_stream_timeout(name: str, value: Any) -> None:
    """A stream timeout is ``None`` (inherit), ``0`` (off at this layer) or positive seconds."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ImproperlyConfiguredException(
            f"{name} must be a non-negative number of seconds (0 turns it off) or None, "
            f"not {value!r}"
        )


class HTTPRouteHandler(BaseRouteHandler):
    """An HTTP route handler: a function plus the settings to call it and render its result."""

    def __init__(
        self,
        path: str | Sequence[str] | Callable[..., Any] | None = None,
        *,
        http_method: HttpMethod | str | Iterable[HttpMethod | str],
        **options: Unpack[HTTPHandlerOptions],
    ) -> None:
        fn: Callable[..., Any] | None = None
        if callable(path):  # bare decorator: @get
            fn, path = path, None
        methods = [http_method] if isinstance(http_method, str) else list(http_method)
        self.http_methods: frozenset[str] = frozenset(
            (m.value if isinstance(m, HttpMethod) else str(m)).upper() for m in methods
        )
        rest: dict[str, Any] = dict(options)
        name, opt = rest.pop("name", None), rest.pop("opt", None)
        super().__init__(path, fn=fn, name=name, opt=opt, **rest)
        self.status_code: int = options.get("status_code") or _default_status(self.http_methods)
        self.media_type: MediaType | str | None = options.get("media_type")
        self.background = options.get("background")
        self.sync_to_thread = options.get("sync_to_thread")
        self.cache = options.get("cache", False)
        self.include_in_schema = options.get("include_in_schema", True)
        self._plan: KwargsPlan | None = None

    # -- build time ---------------------------------------------------------------------

    def on_registration(self, app: Any, route_path: str) -> None:
        """Resolve every layered setting and build the parameter and response plans."""
        fn = self.fn
        self.app = app
        hints = type_hints(fn, self.resolve("signature_namespace"))
        self.return_annotation = hints.get("return", inspect.Parameter.empty)
        self._resolve_media_type()
        self._check_status_and_return()
        from trioweb._routing import path_parameter_types

        self.path_parameters = path_parameter_types(route_path)
        self.resolved_dependencies = self.resolve("dependencies")
        self._plan = build_plan(
            fn,
            path_params=self.path_parameters,
            dependencies=self.resolved_dependencies,
            namespace=self.resolve("signature_namespace"),
            body_allowed="GET" not in self.http_methods,
            type_decoders=self.resolve("type_decoders"),
        )
        self.resolved_request_max_body_size = self.resolve("request_max_body_size", 10_000_000)
        self.request_class: type[Request[Any, Any, Any]] = self.resolve("request_class") or Request
        body = self._plan.body
        app_limit: int = getattr(app, "multipart_form_part_limit", 1000)
        self.multipart_form_part_limit: int = (body.part_limit if body else None) or app_limit
        self.middleware_app: Callable[..., Any] | None = None
        self.resolved_exception_handlers = self.resolve("exception_handlers")
        self.resolved_type_encoders = self.resolve("type_encoders")
        self.cancel_on_disconnect = bool(self.resolve("cancel_on_disconnect", False))
        self.needs_nursery = self._plan.wants_nursery or self.cancel_on_disconnect
        idle, total = self.resolve("stream_idle_timeout"), self.resolve("stream_total_timeout")
        _check_stream_timeout("stream_idle_timeout", idle)
        _check_stream_timeout("stream_total_timeout", total)
        self.stream_policy = (
            StreamPolicy(idle_timeout=idle, total_timeout=total) if idle or total else None
        )
        self._before_request = self.resolve("before_request")
        self._after_request = self.resolve("after_request")
        self.after_response_hook = self.resolve("after_response")
        self._guards = self.resolve("guards")
        self._response_class: type[Response[Any]] = self.resolve("response_class") or Response
        self._serializer = get_serializer(
            {
                **(getattr(self._response_class, "type_encoders", None) or {}),
                **self.resolved_type_encoders,
            }
        )
        self._is_async = inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
            getattr(fn, "__call__", None)  # noqa: B004
        )
        self._offload = not self._is_async and self.sync_to_thread is not False
        self._build_response_plan()

    def _resolve_media_type(self) -> None:
        if self.media_type is not None:
            return
        annotation = self.return_annotation
        if annotation in (str, bytes) or (
            isinstance(annotation, type) and issubclass(annotation, str | bytes)
        ):
            self.media_type = MediaType.TEXT
            return
        # As in Litestar, a handler annotated with a response class (File, Template,
        # Redirect...) leaves the media type to the response, which may guess it.
        klass = getattr(annotation, "__origin__", annotation)
        if not (isinstance(klass, type) and issubclass(klass, Response)):
            self.media_type = MediaType.JSON

    def _check_status_and_return(self) -> None:
        if status_allows_body(self.status_code):
            return
        annotation = self.return_annotation
        if annotation in (None, type(None), inspect.Parameter.empty):
            return
        klass = getattr(annotation, "__origin__", annotation)
        if isinstance(klass, type) and issubclass(klass, Response | ASGIResponse):
            return
        fn = self.fn
        name = f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', self.handler_name)}"
        raise ImproperlyConfiguredException(
            "A status code 204, 304 or in the range below 200 does not support a response body. "
            f"If {name} should return a value, change the route handler status code to an "
            "appropriate value."
        )

    def _build_response_plan(self) -> None:
        media = self.media_type or MediaType.JSON
        self._media_str: str = media.value if isinstance(media, MediaType) else str(media)
        # Litestar's order: layer by layer, outermost first, a layer's response_headers and
        # then its cache_control / etag; nearer layers override (a documentation-only
        # header, too, hides an outer layer's value).
        layered: dict[str, Any] = {}
        for layer in self.layers or [self]:
            own = layer.layer_value("response_headers")
            if own:
                items = own.items() if isinstance(own, Mapping) else ((h.name, h) for h in own)
                layered.update((name.lower(), value) for name, value in items)
            for typed in (layer.layer_value("cache_control"), layer.layer_value("etag")):
                if typed is not None:
                    layered[typed.HEADER_NAME] = typed
        headers: dict[str, Any] = {}
        for key, value in layered.items():
            if isinstance(value, CacheControlHeader | ETag):
                if not value.documentation_only:
                    headers[key] = value.to_header()
            elif hasattr(value, "documentation_only"):
                if not value.documentation_only:
                    headers[key] = value.value
            else:
                headers[key] = value
        self.resolved_headers = headers
        self.resolved_cookies = _encode_cookies(self.resolve("response_cookies"))
        # The fast path's headers in Litestar's order: layered headers, content-type and
        # content-length (unless a layered header sets them), cookies.
        self._lead_headers = encode_headers(headers)
        given = {name for name, _ in self._lead_headers}
        self._content_type: tuple[bytes, bytes] | None = (
            None
            if b"content-type" in given
            else (b"content-type", content_type_header(self._media_str, "utf-8"))
        )
        self._sets_length = b"content-length" not in given
        self._cookie_headers = encode_headers((), self.resolved_cookies)
        self._body_allowed = status_allows_body(self.status_code)
        self._render = make_renderer(self._media_str, self._serializer)
        self._fast = self._response_class is Response
        # The direct path's headers before content-length (layered headers, content-type)
        self._prefix_headers = [
            *self._lead_headers,
            *([self._content_type] if self._content_type is not None else []),
        ]
        # Only a validator among the layered headers lets a plain response become a 304.
        self._maybe_conditional = 200 <= self.status_code < 300 and any(
            name in (b"etag", b"last-modified") for name, _ in self._lead_headers
        )
        plan = self._plan
        assert plan is not None
        self.plan: KwargsPlan = plan
        self.trivial_plan = plan.is_trivial
        # The direct path (see TrioWeb.handle_route): an async function, no hooks, guards
        # or connection nursery, the default response class. Its plain return values are
        # answered without building an ASGIResponse, exactly as handle() would answer them.
        self.direct = (
            self._fast
            and self._is_async
            and not self._guards
            and self._before_request is None
            and self._after_request is None
            and self.after_response_hook is None
            and not self.needs_nursery
        )
        # No request object is built for a direct route whose function takes nothing.
        self.lazy_request = self.direct and self.trivial_plan and self.request_class is Request

    # -- request time -------------------------------------------------------------------

    def plain_start(self, data: Any, method: str) -> tuple[Message, bytes] | None:
        """The start message and body for a plain return value on the direct path.

        ``None`` when ``data`` needs the general path (a response object, an ASGI app, a
        HEAD request, a body-less status, a possible 304): :meth:`to_response` and
        ``finalize_response`` then answer it. Otherwise the result is what they would send.
        """
        if (
            method == "HEAD"
            or not self._body_allowed
            or self._maybe_conditional
            or callable(data)
            or isinstance(data, _RESPONSE_TYPES)
        ):
            return None
        body = self._render(data)
        headers = [*self._prefix_headers]
        if self._sets_length:
            headers.append((b"content-length", str(len(body)).encode()))
        if self._cookie_headers:
            headers.extend(self._cookie_headers)
        return {"type": "http.response.start", "status": self.status_code, "headers": headers}, body

    async def resolve_kwargs(
        self, request: Request[Any, Any, Any], cleanups: Cleanup, nursery: trio.Nursery | None
    ) -> dict[str, Any]:
        """Extract and validate the function's arguments."""
        plan = self._plan
        assert plan is not None
        if plan.is_trivial:
            return _EMPTY_KWARGS
        return await plan.resolve(request, cleanups, {}, nursery)

    async def call(self, kwargs: dict[str, Any]) -> Any:
        """Call the function (a sync one in a worker thread unless ``sync_to_thread=False``)."""
        fn = self.fn
        if self._is_async:
            return await fn(**kwargs)
        if self._offload:
            return await run_sync_handler(partial(fn, **kwargs) if kwargs else fn)
        result = fn(**kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def handle(
        self,
        request: Request[Any, Any, Any],
        cleanups: Cleanup,
        nursery: trio.Nursery | None = None,
    ) -> ASGIResponse:
        """Run hooks, guards and the function; return the response to send."""
        if self._guards:
            for guard in self._guards:
                outcome = guard(request, self)
                if inspect.isawaitable(outcome):
                    await outcome
        if self._before_request is not None:
            early = self._before_request(request)
            if inspect.isawaitable(early):
                early = await early
            if early:  # as in Litestar, a falsy value lets the handler run
                return await finalize_response(
                    await self.to_response(early, request), request.scope
                )
        kwargs = await self.resolve_kwargs(request, cleanups, nursery)
        data = await self.call(kwargs)
        return await finalize_response(await self.to_response(data, request), request.scope)

    async def to_response(self, data: Any, request: Request[Any, Any, Any]) -> ASGIResponse:
        """Turn the function's return value into an ``ASGIResponse``."""
        after = self._after_request
        is_head = request.scope["method"] == "HEAD"
        if after is None and self._fast and not is_head and not isinstance(data, _RESPONSE_TYPES):
            if callable(data) and not isinstance(data, type) and _is_asgi_app(data):
                return _ASGIAppResponse(data)
            if not self._body_allowed:
                headers = [*self._lead_headers, *self._cookie_headers]
                return ASGIResponse.prepared(self.status_code, headers, b"", self.background)
            body = self._render(data)
            headers = [*self._lead_headers]
            if self._content_type is not None:
                headers.append(self._content_type)
            if self._sets_length:
                headers.append((b"content-length", str(len(body)).encode()))
            headers.extend(self._cookie_headers)
            return ASGIResponse.prepared(self.status_code, headers, body, self.background)
        if isinstance(data, ASGIResponse):
            return data
        if not isinstance(data, Response):
            if callable(data) and not isinstance(data, type) and _is_asgi_app(data):
                return _ASGIAppResponse(data)
            data = self._response_class(
                content=data,
                background=self.background,
                status_code=self.status_code,
                media_type=self.media_type,
            )
        if after is not None:
            data = after(data)
            if inspect.isawaitable(data):
                data = await data
            if isinstance(data, ASGIResponse):
                return data
        response = cast("Response[Any]", data)
        return response.to_asgi_response(
            self.app,
            request,
            background=self.background,
            cookies=self.resolved_cookies,
            headers=self.resolved_headers,
            is_head_response=is_head,
            media_type=self.media_type,
            status_code=self.status_code,
            type_encoders=self.resolved_type_encoders or None,
        )

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {sorted(self.http_methods)} {self.paths} {self.handler_name}>"
        )


def _is_asgi_app(value: Any) -> bool:
    """An async callable of ``(scope, receive, send)``: a function, method or instance."""
    call = value if inspect.isfunction(value) or inspect.ismethod(value) else type(value).__call__
    if not inspect.iscoroutinefunction(call):
        return False
    try:
        # the signature of an instance is its ``__call__``'s without ``self``
        return len(inspect.signature(value).parameters) == 3
    except (TypeError, ValueError):
        return False


class _ASGIAppResponse(ASGIResponse):
    """A handler returned an ASGI app: it answers the request itself."""

    __slots__ = ("asgi_app",)

    def __init__(self, asgi_app: Any) -> None:
        self.asgi_app = asgi_app
        self.background = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.asgi_app(scope, receive, send)


def _decorator(method: HttpMethod) -> Callable[..., HTTPRouteHandler]:
    def decorator(
        path: str | Sequence[str] | Callable[..., Any] | None = None,
        **options: Unpack[HTTPHandlerOptions],
    ) -> HTTPRouteHandler:
        return HTTPRouteHandler(path, http_method=method, **options)

    decorator.__name__ = decorator.__qualname__ = method.value.lower()
    decorator.__doc__ = f"Declare a ``{method.value}`` route handler (use as a decorator)."
    return decorator


get = _decorator(HttpMethod.GET)
post = _decorator(HttpMethod.POST)
put = _decorator(HttpMethod.PUT)
patch = _decorator(HttpMethod.PATCH)
delete = _decorator(HttpMethod.DELETE)
head = _decorator(HttpMethod.HEAD)


def route(
    path: str | Sequence[str] | None = None,
    *,
    http_method: HttpMethod | str | Iterable[HttpMethod | str],
    **options: Unpack[HTTPHandlerOptions],
) -> HTTPRouteHandler:
    """Declare a route handler for one or several methods."""
    return HTTPRouteHandler(path, http_method=http_method, **options)
