"""``Controller``: a class whose methods are route handlers sharing a path and settings."""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any, ClassVar

from trioweb.config._app_options import check_layer_options
from trioweb.handlers.base import LAYERED_OPTIONS, BaseRouteHandler, Layer, normalize_path
from trioweb.types.empty import Empty

__all__ = ("Controller",)


class Controller(Layer):
    """Subclass it, set ``path`` and layered settings as class attributes, decorate methods."""

    path: ClassVar[str] = "/"
    dependencies: ClassVar[Any] = None
    exception_handlers: ClassVar[Any] = None
    guards: ClassVar[Any] = None
    middleware: ClassVar[Any] = None
    opt: ClassVar[Any] = None
    response_headers: ClassVar[Any] = None
    response_cookies: ClassVar[Any] = None
    response_class: ClassVar[Any] = None
    request_class: ClassVar[Any] = None
    type_encoders: ClassVar[Any] = None
    type_decoders: ClassVar[Any] = None
    before_request: ClassVar[Any] = None
    after_request: ClassVar[Any] = None
    after_response: ClassVar[Any] = None
    cache_control: ClassVar[Any] = None
    etag: ClassVar[Any] = None
    request_max_body_size: ClassVar[Any] = Empty
    cancel_on_disconnect: ClassVar[Any] = None
    signature_namespace: ClassVar[Any] = None
    signature_types: ClassVar[Any] = None
    websocket_class: ClassVar[Any] = None

    def __init__(self, owner: Any = None) -> None:
        klass = type(self)
        check_layer_options(
            {name: getattr(klass, name) for name in ("dto", "return_dto", "parameters")
             if hasattr(klass, name)},
            f"controller {klass.__qualname__}",
        )  # fmt: skip
        self.owner = owner
        options: dict[str, Any] = {}
        for name in LAYERED_OPTIONS:
            value = getattr(type(self), name, None)
            if isinstance(value, types.FunctionType):  # hooks declared as plain functions
                value = getattr(type(self), name)
            options[name] = value
        options["signature_types"] = type(self).signature_types
        self._init_layer(options)
        self.route_path = normalize_path(type(self).path)

    def get_route_handlers(self) -> Iterator[tuple[BaseRouteHandler, Any]]:
        """Each handler of this controller with its function bound to this instance."""
        seen: set[str] = set()
        for klass in type(self).__mro__:
            for name, value in vars(klass).items():
                if name in seen or not isinstance(value, BaseRouteHandler):
                    continue
                seen.add(name)
                fn = value.fn
                bound = types.MethodType(fn, self) if isinstance(fn, types.FunctionType) else fn
                yield value, bound
