"""The asynchronous test client: an ``httpx.AsyncClient`` wired to the app, for trio tests."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

import httpx

from trioweb.testing.client._session import SessionData
from trioweb.testing.client.base import (
    DEFAULT_BASE_URL,
    build_websocket_request,
    check_client_options,
)
from trioweb.testing.transport import TrioASGITransport
from trioweb.testing.websocket_test_session import AsyncWebSocketTestSession

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from httpx._types import CookieTypes, HeaderTypes, QueryParamTypes

    from trioweb.middleware.session.base import BaseBackendConfig
    from trioweb.types import ASGIApp

__all__ = ("AsyncTestClient",)

AppT = TypeVar("AppT", bound="Callable[..., Awaitable[Any]]")


class AsyncTestClient(httpx.AsyncClient, Generic[AppT]):
    """Test an ASGI app from a trio test: ``async with AsyncTestClient(app) as client:``.

    Entering runs the app's lifespan startup and opens the nursery its calls run in (owned by
    the test's task); leaving disconnects whatever is still open, waits for the app calls
    (each bounded by ``disconnect_timeout``), and runs lifespan shutdown. Requests are plain
    httpx: ``await client.get("/")``, ``async with client.stream("GET", "/events") as r:``
    (chunks arrive as the app sends them; leaving the block early sends the app
    ``http.disconnect``). WebSockets: ``async with client.websocket_connect("/ws") as ws:``.
    Used without ``async with``, as Litestar's client allows, each request gets an
    in-process server of its own with no lifespan, and its whole body is read before it
    returns.

    Error handling: with ``raise_server_exceptions=True`` (the default) an exception raised by
    the app is raised in the test: from the request if the response had not started, while
    reading the body if it ended the body early, otherwise when the response is closed. With
    ``False`` it is logged (logger ``trioweb.testing``) and the client sees an empty 500 or
    a truncated body, as from a real server. An app call still running ``disconnect_timeout``
    seconds after its client left is cancelled and reported as :class:`TimeoutError`.
    """

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        app: AppT,
        base_url: str = DEFAULT_BASE_URL,
        raise_server_exceptions: bool = True,
        root_path: str = "",
        backend: Literal["trio"] = "trio",
        backend_options: Mapping[str, Any] | None = None,
        session_config: BaseBackendConfig[Any] | None = None,
        timeout: float | None = None,
        cookies: CookieTypes | None = None,
        *,
        follow_redirects: bool = True,
        lifespan_timeout: float = 10.0,
        disconnect_timeout: float = 5.0,
    ) -> None:
        check_client_options(base_url, backend, backend_options, sync=False)
        self.app = app
        self._session = SessionData(session_config)
        self._asgi_transport = TrioASGITransport(
            cast("ASGIApp", app),
            raise_server_exceptions=raise_server_exceptions,
            root_path=root_path,
            lifespan_timeout=lifespan_timeout,
            disconnect_timeout=disconnect_timeout,
        )
        super().__init__(
            base_url=base_url,
            headers={"user-agent": "testclient"},
            cookies=cookies,
            timeout=timeout,
            follow_redirects=follow_redirects,
            transport=self._asgi_transport,
        )

    @property
    def lifespan_state(self) -> dict[str, Any]:
        """The ``scope["state"]`` the app set up during lifespan startup (copied per request)."""
        return self._asgi_transport.server.lifespan_state

    async def set_session_data(self, data: dict[str, Any]) -> None:
        """Start a session holding ``data``, as the ``session_config`` middleware would.

        Error handling: ``ImproperlyConfiguredException`` if the client has no ``session_config``.
        """
        await self._session.set(self.app, self.base_url, self.cookies, data)

    async def get_session_data(self) -> dict[str, Any]:
        """The session the client's cookies carry (``{}`` if none)."""
        return await self._session.get(self.app, self.cookies)

    def websocket_connect(
        self,
        url: str,
        subprotocols: Sequence[str] | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        timeout: float | None = None,
    ) -> AsyncWebSocketTestSession:
        """Open a WebSocket to ``url``: ``async with client.websocket_connect("/ws") as ws:``.

        ``timeout`` bounds the wait for the app to accept (default: the client's read
        timeout, which is none unless set). See :class:`AsyncWebSocketTestSession`.
        """
        server = self._asgi_transport.server
        request = build_websocket_request(
            self, url, subprotocols=subprotocols, params=params, headers=headers, cookies=cookies
        )
        return AsyncWebSocketTestSession(
            server,
            server.websocket_scope(request),
            connect_timeout=self.timeout.read if timeout is None else timeout,
        )
