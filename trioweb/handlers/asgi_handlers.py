"""``asgi``: mount a raw ASGI application at a path."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from trioweb.handlers.base import BaseRouteHandler

__all__ = ("ASGIRouteHandler", "asgi")


class ASGIRouteHandler(BaseRouteHandler):
    """A route served by an ASGI app (``is_mount``: also every path below it).

    A mounted app sees ``scope["path"]`` relative to the mount and the mount path added
    to ``scope["root_path"]``. An app that is not a mount sees the scope's own path and
    root path, with its typed ``path_params``.
    """

    def __init__(
        self,
        path: str | Sequence[str] | Callable[..., Any] | None = None,
        *,
        is_mount: bool = False,
        copy_scope: bool | None = None,
        name: str | None = None,
        opt: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> None:
        fn = None
        if callable(path):
            fn, path = path, None
        super().__init__(path, fn=fn, name=name, opt=opt, **options)
        self.is_mount = is_mount
        self.copy_scope = copy_scope

    def on_registration(self, app: Any, route_path: str) -> None:
        """Remember the app and the mount path."""
        self.app = app
        self.mount_path = route_path.rstrip("/")


def asgi(
    path: str | Sequence[str] | Callable[..., Any] | None = None,
    *,
    is_mount: bool = False,
    **options: Any,
) -> ASGIRouteHandler:
    """Declare an ASGI app route (use as a decorator on an ASGI callable)."""
    return ASGIRouteHandler(path, is_mount=is_mount, **options)
