"""Test trioweb apps (or any ASGI 3 app) in-process, on trio.

Mirrors ``litestar.testing``: :class:`AsyncTestClient` (trio tests, pytest-trio) and
:class:`TestClient` (synchronous tests), both ``httpx`` clients; ``websocket_connect``
sessions; ``create_test_client`` / ``create_async_test_client``. Differences from Litestar,
all deliberate:

* responses stream: a request returns once the app has sent ``http.response.start``, and body
  chunks arrive as the app sends them, so endless streams and server-sent events are testable
  (:func:`aiter_sse` parses the latter; :func:`aiter_chunks` reads raw chunks; neither is an
  async generator, so a test can stop early without trio's ResourceWarning);
* the app sees what hypercorn's trio worker gives it: the same scope keys, one
  ``http.disconnect`` after the response completes or the client leaves, ``receive()`` that
  blocks after that, silently dropped sends to a gone client, protocol errors raised in
  ``send()``;
* every app call ends before the client does: a call that ignores its disconnect for
  ``disconnect_timeout`` seconds is cancelled and fails the test with :class:`TimeoutError`;
* only trio: ``backend`` must be ``"trio"``.

With ``session_config=`` (a session middleware's config) a client can
``set_session_data({...})`` and ``get_session_data()``, as Litestar's can.

:class:`RequestFactory` builds a ``Request`` without a server, as Litestar's does;
``subprocess_async_client``/``subprocess_sync_client`` test an app served by ``trioweb run``
in a subprocess.

Modules: :mod:`.transport` (the httpx transport and the HTTP exchange),
:mod:`.websocket_test_session`, :mod:`.client`, :mod:`.sse`, :mod:`.streaming`,
:mod:`.helpers`, :mod:`.request_factory`; the private ``_server`` (the in-process server and
its nursery), ``_app_call``, ``_lifespan`` and ``_portal`` (the sync client's loop thread).
"""

from trioweb.testing.client import (
    AsyncTestClient,
    TestClient,
    subprocess_async_client,
    subprocess_sync_client,
)
from trioweb.testing.helpers import create_async_test_client, create_test_client
from trioweb.testing.request_factory import RequestFactory
from trioweb.testing.sse import SSEDecoder, SSEEvent, aiter_sse, iter_sse
from trioweb.testing.streaming import aiter_chunks
from trioweb.testing.transport import TrioASGITransport
from trioweb.testing.websocket_test_session import (
    AsyncWebSocketTestSession,
    WebSocketDenialResponse,
    WebSocketTestSession,
)

__all__ = (
    "AsyncTestClient",
    "AsyncWebSocketTestSession",
    "RequestFactory",
    "SSEDecoder",
    "SSEEvent",
    "TestClient",
    "TrioASGITransport",
    "WebSocketDenialResponse",
    "WebSocketTestSession",
    "aiter_chunks",
    "aiter_sse",
    "create_async_test_client",
    "create_test_client",
    "iter_sse",
    "subprocess_async_client",
    "subprocess_sync_client",
)
