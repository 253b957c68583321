"""``create_test_client`` and ``create_async_test_client``: build an app and a client at once."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from trioweb.testing.client.async_client import AsyncTestClient
from trioweb.testing.client.base import DEFAULT_BASE_URL
from trioweb.testing.client.sync_client import TestClient

if TYPE_CHECKING:
    from httpx._types import CookieTypes

__all__ = ("create_async_test_client", "create_test_client")


def _create_app(route_handlers: Any, debug: bool, app_kwargs: Mapping[str, Any]) -> Any:
    # Imported when called: trioweb.app builds on the rest of the framework, and
    # trioweb.testing must stay importable (and usable with any ASGI app) without it.
    app_module = importlib.import_module("trioweb.app")
    if route_handlers is None:
        route_handlers = []
    elif not isinstance(route_handlers, Sequence):
        route_handlers = [route_handlers]
    return app_module.TrioWeb(route_handlers=route_handlers, debug=debug, **app_kwargs)


def create_test_client(
    route_handlers: Any = None,
    *,
    backend: Literal["trio"] = "trio",
    backend_options: Mapping[str, Any] | None = None,
    base_url: str = DEFAULT_BASE_URL,
    raise_server_exceptions: bool = True,
    root_path: str = "",
    timeout: float | None = None,
    cookies: CookieTypes | None = None,
    session_config: Any = None,
    lifespan_timeout: float = 10.0,
    disconnect_timeout: float = 5.0,
    debug: bool = True,
    **app_kwargs: Any,
) -> TestClient[Any]:
    """Build ``TrioWeb(route_handlers=..., debug=debug, **app_kwargs)`` and a :class:`TestClient`.

    ``route_handlers`` is one handler, controller or router, or a sequence of them. ``debug``
    defaults to ``True``, as in Litestar. The client options are :class:`TestClient`'s; every
    other keyword goes to the app. Use the result as a context manager::

        with create_test_client([my_handler]) as client:
            assert client.get("/").status_code == 200
    """
    return TestClient(
        _create_app(route_handlers, debug, app_kwargs),
        base_url=base_url,
        raise_server_exceptions=raise_server_exceptions,
        root_path=root_path,
        backend=backend,
        backend_options=backend_options,
        timeout=timeout,
        cookies=cookies,
        session_config=session_config,
        lifespan_timeout=lifespan_timeout,
        disconnect_timeout=disconnect_timeout,
    )


def create_async_test_client(
    route_handlers: Any = None,
    *,
    backend: Literal["trio"] = "trio",
    base_url: str = DEFAULT_BASE_URL,
    raise_server_exceptions: bool = True,
    root_path: str = "",
    timeout: float | None = None,
    cookies: CookieTypes | None = None,
    session_config: Any = None,
    lifespan_timeout: float = 10.0,
    disconnect_timeout: float = 5.0,
    debug: bool = True,
    **app_kwargs: Any,
) -> AsyncTestClient[Any]:
    """Build ``TrioWeb(route_handlers=..., debug=debug, **app_kwargs)`` and an AsyncTestClient.

    The same as :func:`create_test_client`, for trio tests::

        async with create_async_test_client([my_handler]) as client:
            assert (await client.get("/")).status_code == 200
    """
    return AsyncTestClient(
        _create_app(route_handlers, debug, app_kwargs),
        base_url=base_url,
        raise_server_exceptions=raise_server_exceptions,
        root_path=root_path,
        backend=backend,
        timeout=timeout,
        cookies=cookies,
        session_config=session_config,
        lifespan_timeout=lifespan_timeout,
        disconnect_timeout=disconnect_timeout,
    )
