"""``Router``: a path prefix, layered settings and a list of handlers, controllers and routers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from trioweb.config._app_options import check_layer_options
from trioweb.handlers.base import Layer, normalize_path
from trioweb.types.empty import Empty, EmptyType

__all__ = ("Router",)


class Router(Layer):
    """Group route handlers under a path with shared settings (nestable)."""

    def __init__(
        self,
        path: str = "/",
        route_handlers: Sequence[Any] | None = None,
        *,
        after_request: Callable[..., Any] | None = None,
        after_response: Callable[..., Any] | None = None,
        before_request: Callable[..., Any] | None = None,
        cache_control: Any = None,
        cancel_on_disconnect: bool | None = None,
        dependencies: Mapping[str, Any] | None = None,
        etag: Any = None,
        exception_handlers: Mapping[Any, Callable[..., Any]] | None = None,
        guards: Sequence[Callable[..., Any]] | None = None,
        middleware: Sequence[Any] | None = None,
        opt: Mapping[str, Any] | None = None,
        request_class: type[Any] | None = None,
        request_max_body_size: int | EmptyType | None = Empty,
        response_class: type[Any] | None = None,
        response_cookies: Any = None,
        response_headers: Any = None,
        signature_namespace: Mapping[str, Any] | None = None,
        signature_types: Sequence[Any] | None = None,
        stream_idle_timeout: float | None = None,
        stream_total_timeout: float | None = None,
        type_encoders: Mapping[Any, Callable[[Any], Any]] | None = None,
        type_decoders: Sequence[Any] | None = None,
        websocket_class: type[Any] | None = None,
        **_documentation_only: Any,
    ) -> None:
        check_layer_options(_documentation_only, f"Router {path!r}")
        self.path = normalize_path(path)
        self.route_handlers: list[Any] = list(route_handlers or [])
        self.owner: Any = None
        self.opt = dict(opt or {})
        self._init_layer(
            {
                "after_request": after_request,
                "after_response": after_response,
                "before_request": before_request,
                "cache_control": cache_control,
                "cancel_on_disconnect": cancel_on_disconnect,
                "dependencies": dependencies,
                "etag": etag,
                "exception_handlers": exception_handlers,
                "guards": guards,
                "middleware": middleware,
                "opt": opt,
                "request_class": request_class,
                "request_max_body_size": request_max_body_size,
                "response_class": response_class,
                "response_cookies": response_cookies,
                "response_headers": response_headers,
                "signature_namespace": signature_namespace,
                "signature_types": signature_types,
                "stream_idle_timeout": stream_idle_timeout,
                "stream_total_timeout": stream_total_timeout,
                "type_encoders": type_encoders,
                "type_decoders": type_decoders,
                "websocket_class": websocket_class,
            }
        )

    def register(self, value: Any) -> None:
        """Add a handler, controller or router (the app rebuilds its routes)."""
        self.route_handlers.append(value)
        app = self._app()
        if app is not None:
            app.rebuild_routes()

    def _app(self) -> Any:
        owner: Any = self  # the app itself, when ``register`` is called on it
        while owner is not None and not hasattr(owner, "rebuild_routes"):
            owner = getattr(owner, "owner", None)
        return owner
