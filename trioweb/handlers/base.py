"""Layered settings and the base of every route handler.

A setting can be given on the app, a router, a controller and a handler; the layer
nearest the handler wins. Mappings are merged (nearer keys win), sequences are joined
(outer first). Everything is resolved once, when the app is built.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from trioweb.config._app_options import check_layer_options
from trioweb.types.empty import Empty

__all__ = (
    "LAYERED_OPTIONS",
    "BaseRouteHandler",
    "Layer",
    "handler_identifier",
    "resolve_layered",
)

MERGED: Final = frozenset(
    {
        "dependencies",
        "exception_handlers",
        "type_encoders",
        "signature_namespace",
        "opt",
        "response_headers",
    }
)
JOINED: Final = frozenset(
    {"guards", "middleware", "type_decoders", "response_cookies", "tags", "security"}
)
NEAREST: Final = frozenset(
    {
        "after_request",
        "after_response",
        "before_request",
        "cache_control",
        "etag",
        "request_class",
        "response_class",
        "websocket_class",
        "request_max_body_size",
        "cancel_on_disconnect",
        "stream_idle_timeout",
        "stream_total_timeout",
        "include_in_schema",
    }
)
LAYERED_OPTIONS: Final = MERGED | JOINED | NEAREST
#: Options where ``None`` is a value (Litestar: ``request_max_body_size=None`` turns the limit
#: off at that layer); a layer leaves them unset with ``Empty`` instead.
NONE_IS_A_VALUE: Final = frozenset({"request_max_body_size"})

_UNSET: Final = object()


class Layer:
    """Something that carries layered settings: app, router, controller or handler."""

    def _init_layer(self, options: Mapping[str, Any]) -> None:
        self._layer: dict[str, Any] = {
            key: value
            for key, value in options.items()
            if key in LAYERED_OPTIONS
            and value is not Empty
            and (value is not None or key in NONE_IS_A_VALUE)
        }
        signature_types = options.get("signature_types")
        if signature_types:  # Litestar's shorthand: each type under its own name
            self._layer["signature_namespace"] = {
                **{kind.__name__: kind for kind in signature_types},
                **(self._layer.get("signature_namespace") or {}),
            }

    def layer_value(self, name: str) -> Any:
        """The value this layer sets for ``name`` (``None`` when it sets none)."""
        return getattr(self, "_layer", {}).get(name)


def _as_mapping(name: str, value: Any) -> dict[Any, Any]:
    if name == "response_headers" and not isinstance(value, Mapping):
        return {header.name: header for header in value}
    return dict(value)


def resolve_layered(layers: Sequence[Layer], name: str, default: Any = None) -> Any:
    """Resolve ``name`` across ``layers`` ordered outermost first."""
    if name in MERGED:
        merged: dict[Any, Any] = {}
        for layer in layers:
            value = layer.layer_value(name)
            if value:
                merged.update(_as_mapping(name, value))
        return merged
    if name in JOINED:
        joined: list[Any] = []
        for layer in layers:
            value = layer.layer_value(name)
            if value:
                joined.extend(value.items() if isinstance(value, Mapping) else value)
        return joined
    if name in NONE_IS_A_VALUE:
        for layer in reversed(layers):
            found = getattr(layer, "_layer", {}).get(name, _UNSET)
            if found is not _UNSET:
                return found
        return default
    for layer in reversed(layers):
        value = layer.layer_value(name)
        if value is not None:
            return value
    return default


class BaseRouteHandler(Layer):
    """What every route handler has: paths, a function, a name and layered settings."""

    def __init__(
        self,
        path: str | Sequence[str] | None = None,
        *,
        fn: Callable[..., Any] | None = None,
        name: str | None = None,
        opt: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> None:
        check_layer_options(options, f"handler at {path!r}")
        if path is None:
            paths = ["/"]
        elif isinstance(path, str):
            paths = [path]
        else:
            paths = list(path) or ["/"]
        self.paths: list[str] = [normalize_path(p) for p in paths]
        self.name = name
        self.opt: dict[str, Any] = dict(opt or {})
        self._fn: Callable[..., Any] | None = fn
        self.owner: Any = None
        self.layers: list[Layer] = []
        self._init_layer({**options, "opt": opt})
        self.options = options

    def __call__(self, fn: Callable[..., Any]) -> BaseRouteHandler:
        """Use the handler as a decorator: remember ``fn`` and return the handler."""
        self._fn = fn
        return self

    @property
    def fn(self) -> Callable[..., Any]:
        """The decorated function."""
        if self._fn is None:
            raise TypeError(f"{type(self).__name__} has no function: use it as a decorator")
        return self._fn

    @property
    def handler_name(self) -> str:
        """The function's name (used in error messages and as a default route name)."""
        return getattr(self._fn, "__name__", "anonymous")

    def copy_for(
        self, owner: Any, layers: list[Layer], bound_fn: Callable[..., Any] | None = None
    ) -> Any:
        """A copy of this handler registered under ``owner`` with its layer chain."""
        clone = copy.copy(self)
        clone.owner = owner
        clone.layers = [*layers, clone]
        if bound_fn is not None:
            clone._fn = bound_fn
        # Litestar: a registered handler's ``opt`` is every layer's, the nearest key winning
        # (what guards and ``exclude_opt_key`` read)
        clone.opt = resolve_layered(clone.layers, "opt")
        return clone

    def resolve(self, name: str, default: Any = None) -> Any:
        """A layered setting as seen from this handler."""
        return resolve_layered(self.layers or [self], name, default)

    def on_registration(self, app: Any, route_path: str) -> None:
        """Called once when the app is built; subclasses build their plans here."""

    def __str__(self) -> str:
        """Litestar's unique identifier of the handler: its function's qualified name."""
        return handler_identifier(self)


def handler_identifier(handler: BaseRouteHandler) -> str:
    """``module.qualname`` of the handler's function: Litestar's ``str(handler)``, the key
    ``route_reverse`` and ``url_for`` find an unnamed handler by."""
    target: Any = handler.fn
    while isinstance(target, functools.partial):
        target = target.func
    target = getattr(target, "__func__", target)  # a controller's bound method
    if not hasattr(target, "__qualname__"):
        target = type(target)
    return f"{target.__module__}.{target.__qualname__}"


def normalize_path(path: str) -> str:
    """``"items/"`` → ``"/items"``; the root stays ``"/"``."""
    return "/" + path.strip("/")
