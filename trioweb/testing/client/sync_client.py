"""The synchronous test client, for synchronous tests and code ported from Litestar.

The app runs on a trio loop in a background thread (:class:`~trioweb.testing._portal.
LoopThread`), hosting the same :class:`~trioweb.testing.TrioASGITransport` the async client
uses, so both behave alike. Each request, body chunk and WebSocket operation is one call into
that loop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

import httpx
import trio

from trioweb.testing._portal import LoopThread
from trioweb.testing.client._session import SessionData
from trioweb.testing.client.base import (
    DEFAULT_BASE_URL,
    build_websocket_request,
    check_client_options,
)
from trioweb.testing.streaming import RESPONSE_STREAM_EXTENSION
from trioweb.testing.transport import ResponseStream, TrioASGITransport
from trioweb.testing.websocket_test_session import AsyncWebSocketTestSession, WebSocketTestSession

if TYPE_CHECKING:
    from collections.abc import Awaitable
    from types import TracebackType

    from httpx._types import CookieTypes, HeaderTypes, QueryParamTypes

    from trioweb.middleware.session.base import BaseBackendConfig
    from trioweb.types import ASGIApp

__all__ = ("TestClient",)

AppT = TypeVar("AppT", bound="Callable[..., Awaitable[Any]]")
R = TypeVar("R")


class TestClient(httpx.Client, Generic[AppT]):
    """Test an ASGI app from synchronous code: ``with TestClient(app) as client:``.

    Entering starts a trio loop thread and runs lifespan startup there; leaving runs
    shutdown and joins the thread. ``client.get(...)``, ``with client.stream(...) as r:``
    and ``with client.websocket_connect("/ws") as ws:`` behave as on
    :class:`~trioweb.testing.AsyncTestClient` (same options, same error reporting).
    ``backend_options`` are passed to :func:`trio.run` (for example a ``clock``).

    Used without ``with`` (``TestClient(app).get("/")``), as Litestar's client allows, each
    request runs the app on a loop of its own with no lifespan (startup hooks do not run),
    and the whole body is read before the call returns; WebSockets need the ``with`` block.

    It cannot be used inside a trio run (the calls would block that run's thread); use the
    ``AsyncTestClient`` in trio tests.
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
        check_client_options(base_url, backend, backend_options, sync=True)
        self.app = app
        self._session = SessionData(session_config)
        self._backend_options = dict(backend_options or {})
        self._asgi_transport = TrioASGITransport(
            cast("ASGIApp", app),
            raise_server_exceptions=raise_server_exceptions,
            root_path=root_path,
            lifespan_timeout=lifespan_timeout,
            disconnect_timeout=disconnect_timeout,
        )
        self._loop: LoopThread[TrioASGITransport] | None = None
        super().__init__(
            base_url=base_url,
            headers={"user-agent": "testclient"},
            cookies=cookies,
            timeout=timeout,
            follow_redirects=follow_redirects,
            transport=_SyncTransport(self),
        )

    def __enter__(self) -> TestClient[AppT]:
        loop = LoopThread(lambda: self._asgi_transport, self._backend_options)
        loop.start()
        self._loop = loop
        return super().__enter__()

    def __exit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        loop, self._loop = self._loop, None
        try:
            if loop is not None:
                loop.stop(exc_value)
        finally:
            super().__exit__(exc_type, exc_value, traceback)

    @property
    def loop(self) -> LoopThread[TrioASGITransport]:
        """The loop thread the app runs on; only inside the ``with`` block."""
        if self._loop is None:
            raise RuntimeError(
                "the test client is not running; use it as `with TestClient(app) as client:`"
            )
        return self._loop

    @property
    def lifespan_state(self) -> dict[str, Any]:
        """The ``scope["state"]`` the app set up during lifespan startup (copied per request)."""
        return self._asgi_transport.server.lifespan_state

    def set_session_data(self, data: dict[str, Any]) -> None:
        """Start a session holding ``data``, as the ``session_config`` middleware would.

        Error handling: ``ImproperlyConfiguredException`` if the client has no ``session_config``.
        """
        self._run(partial(self._session.set, self.app, self.base_url, self.cookies, data))

    def get_session_data(self) -> dict[str, Any]:
        """The session the client's cookies carry (``{}`` if none)."""
        return self._run(partial(self._session.get, self.app, self.cookies))

    def _run(self, afn: Callable[[], Awaitable[R]]) -> R:
        """``afn()`` on the app's loop (or on a loop of its own outside ``with``)."""
        if self._loop is not None:
            return self._loop.run(afn)
        return trio.run(afn)

    def websocket_connect(
        self,
        url: str,
        subprotocols: Sequence[str] | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        timeout: float | None = None,
    ) -> WebSocketTestSession:
        """Open a WebSocket to ``url``: ``with client.websocket_connect("/ws") as ws:``."""
        loop = self.loop
        server = self._asgi_transport.server
        request = build_websocket_request(
            self, url, subprotocols=subprotocols, params=params, headers=headers, cookies=cookies
        )
        make_session = partial(
            AsyncWebSocketTestSession,
            server,
            server.websocket_scope(request),
            connect_timeout=self.timeout.read if timeout is None else timeout,
        )
        return WebSocketTestSession(loop.run_sync(make_session), loop)


class _SyncTransport(httpx.BaseTransport):
    """Hands each request to the async transport on the client's loop thread."""

    def __init__(self, client: TestClient[Any]) -> None:
        self._client = client

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._client._loop is None:
            return self._without_loop(request)
        loop = self._client.loop
        body = request.read()  # a synchronous upload is read here, in the caller's thread
        transport = self._client._asgi_transport
        response = loop.run(transport.send_to_server, request, body)
        stream = response.stream
        if isinstance(stream, ResponseStream):
            stream = _SyncResponseStream(loop, stream)
        extensions = dict(response.extensions)
        extensions.pop(RESPONSE_STREAM_EXTENSION, None)  # async, and of the loop thread
        return httpx.Response(
            response.status_code,
            headers=response.headers.raw,
            stream=stream,
            request=request,
            extensions=extensions,
        )


    def _without_loop(self, request: httpx.Request) -> httpx.Response:
        """Serve one request outside the ``with`` block: a loop for it alone, no lifespan."""
        if trio.lowlevel.in_trio_run():
            raise RuntimeError(
                "the synchronous TestClient cannot be used inside a trio run (it would block "
                "the run's thread); use `async with AsyncTestClient(app) as client:` instead"
            )
        client = self._client
        body = request.read()
        transport = client._asgi_transport
        return trio.run(transport.serve_alone, request, body, **client._backend_options)


class _SyncResponseStream(httpx.SyncByteStream):
    """Reads the async response stream one chunk per call into the loop."""

    def __init__(self, loop: LoopThread[Any], stream: ResponseStream) -> None:
        self._loop = loop
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        while (chunk := self._loop.run(self._stream.next_chunk)) is not None:
            yield chunk

    def close(self) -> None:
        self._loop.run(self._stream.aclose)
