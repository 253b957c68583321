"""The in-process ASGI server that the test clients run an application on.

Ownership (everything lives in one nursery, opened by :func:`open_server`)::

    open_server(app)                  async context manager, entered by the test's own task
      └─ server nursery
           ├─ lifespan call           app({"type": "lifespan"}) for the client's lifetime
           ├─ HTTP exchange           one per request (transport.py)
           │    ├─ app call
           │    └─ request pump       request body → receive(), then one http.disconnect
           └─ WebSocket session       one per websocket_connect (websocket_test_session.py)
                └─ app call

Invariants:

* Nothing raises into the server nursery except ``trio.Cancelled``. :class:`AppCall` captures
  each app call's outcome and hands it to whoever consumes the connection (the response stream,
  the WebSocket session, the lifespan driver). So the only exception group the nursery can build
  wraps the exception of its own body, and :func:`open_server` unwraps exactly that one.
* No app call outlives :func:`open_server`. On exit every live connection gets its disconnect
  message and ``disconnect_timeout`` seconds to return; a call still running after that is
  cancelled and reported as a :class:`TimeoutError`. (Hypercorn would let it run forever.)
* Every wait on a close path is shielded and time-boxed.
* An app error is reported once: to the test that consumes the connection, or, if nothing did,
  when the server closes. With ``raise_server_exceptions=False`` it is logged instead.
"""

from __future__ import annotations

import logging
import math
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Protocol

import trio

from trioweb.testing._app_call import AppCall
from trioweb.testing._lifespan import LifespanDriver

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    import httpx

    from trioweb.types import ASGIApp, Scope

__all__ = (
    "Connection",
    "InProcessServer",
    "logger",
    "open_server",
    "raw_headers",
    "read_timeout",
)

logger = logging.getLogger("trioweb.testing")

CLIENT_ADDRESS = ("testclient", 50000)
_DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}


class Connection(Protocol):
    """What the server needs from an HTTP exchange or a WebSocket session."""

    call: AppCall

    def client_left(self) -> None:
        """Deliver the disconnect message to the app; never blocks."""


class InProcessServer:
    """Runs app calls in its nursery and builds their scopes, as hypercorn's trio worker would.

    Create it with :func:`open_server`.
    """

    def __init__(
        self,
        app: ASGIApp,
        nursery: trio.Nursery,
        *,
        root_path: str,
        raise_server_exceptions: bool,
        lifespan_timeout: float,
        disconnect_timeout: float,
    ) -> None:
        self.app = app
        self.root_path = root_path
        self.raise_server_exceptions = raise_server_exceptions
        self.disconnect_timeout = disconnect_timeout
        self.lifespan = LifespanDriver(app, timeout=lifespan_timeout)
        self._nursery = nursery
        self._live: set[Connection] = set()
        self._unreported: list[Exception] = []

    @property
    def lifespan_state(self) -> dict[str, Any]:
        """The ``scope["state"]`` the app filled in during lifespan startup."""
        return self.lifespan.state

    # scopes ------------------------------------------------------------------------------

    def http_scope(self, request: httpx.Request) -> Scope:
        """The ``http`` scope hypercorn would build for ``request`` over HTTP/1.1."""
        scope = self._base_scope(request, request.url.scheme)
        scope.update(
            type="http",
            asgi={"version": "3.0", "spec_version": "2.1"},
            method=request.method,
            extensions={},
        )
        return scope

    def websocket_scope(self, request: httpx.Request) -> Scope:
        """The ``websocket`` scope hypercorn would build for an upgrade ``request``."""
        scheme = "wss" if request.url.scheme in ("https", "wss") else "ws"
        scope = self._base_scope(request, scheme)
        offered = request.headers.get("sec-websocket-protocol", "")
        scope.update(
            type="websocket",
            asgi={"version": "3.0", "spec_version": "2.3"},
            subprotocols=[item.strip() for item in offered.split(",") if item.strip()],
            extensions={"websocket.http.response": {}},
        )
        return scope

    def _base_scope(self, request: httpx.Request, scheme: str) -> Scope:
        url = request.url
        return {
            "http_version": "1.1",
            "scheme": scheme,
            "path": url.path,  # httpx has already percent-decoded it
            "raw_path": url.raw_path.partition(b"?")[0],
            "query_string": url.query,
            "root_path": self.root_path,
            "headers": [(name.lower(), value) for name, value in request.headers.raw],
            "client": CLIENT_ADDRESS,
            "server": (url.host, url.port or _DEFAULT_PORTS.get(scheme, 80)),
            "state": dict(self.lifespan.state),
        }

    # connections -------------------------------------------------------------------------

    def start(self, connection: Connection, serve: Callable[[], Awaitable[None]]) -> None:
        """Run ``serve`` (which calls the app) as a child task of the server nursery."""
        self._live.add(connection)
        self._nursery.start_soon(serve)

    async def retire(self, connection: Connection, *, report: bool) -> None:
        """Wait for a connection whose client has left, then report how its app call ended.

        Error handling: with ``report=True`` the app's exception (or a :class:`TimeoutError` if
        it had to be cancelled) is raised here; with ``report=False`` it is kept and raised when
        the server closes. ``raise_server_exceptions=False`` logs app exceptions instead.

        Cancellation: the wait is shielded and bounded by ``disconnect_timeout``. If the caller
        has been cancelled, ``Cancelled`` is raised and the error stays pending.
        """
        finished = await connection.call.wait(self.disconnect_timeout)
        self._live.discard(connection)
        error = self.report(connection.call.take_error())
        if not finished:
            hang = self._hang_error(1)
            hang.__cause__ = error
            error = hang
        if error is None:
            return
        self._unreported.append(error)
        if report:
            await trio.lowlevel.checkpoint_if_cancelled()
            self._unreported.remove(error)
            raise error

    def report(self, error: Exception | None) -> Exception | None:
        """Return ``error`` if it should be raised in the test; log it otherwise."""
        if error is None or self.raise_server_exceptions:
            return error
        logger.error("Exception in ASGI application", exc_info=error)
        return None

    def _hang_error(self, count: int) -> TimeoutError:
        what = "the ASGI app call" if count == 1 else f"{count} ASGI app calls"
        return TimeoutError(
            f"{what} did not return within {self.disconnect_timeout} s (disconnect_timeout) "
            "after the response was complete or the client left, and had to be cancelled; a "
            "server would have let it run on. Does it ignore http.disconnect or "
            "websocket.disconnect, call receive() again after getting one, or run background "
            "work for longer than that?"
        )

    async def aclose(self) -> list[Exception]:
        """Disconnect every live connection, run lifespan shutdown, and return the errors.

        Cancellation: shielded and time-boxed throughout, so it completes on a cancelled path.
        """
        with trio.CancelScope(shield=True):
            errors = await self._close_connections()
            try:
                await self.lifespan.shutdown()
            except Exception as exc:
                errors.append(exc)
        errors[:0] = self._unreported
        self._unreported = []
        return errors

    async def _close_connections(self) -> list[Exception]:
        live = list(self._live)
        for connection in live:
            connection.client_left()
        with trio.move_on_after(self.disconnect_timeout):
            for connection in live:
                await connection.call.done.wait()
        stuck = [c for c in live if not c.call.done.is_set()]
        for connection in stuck:
            connection.call.cancel_scope.cancel()
        with trio.move_on_after(self.disconnect_timeout):
            for connection in stuck:
                await connection.call.done.wait()
        self._live.clear()
        errors: list[Exception] = []
        for connection in live:
            error = self.report(connection.call.take_error())
            if error is not None:
                errors.append(error)
        if stuck:
            errors.append(self._hang_error(len(stuck)))
        return errors


@asynccontextmanager
async def open_server(
    app: ASGIApp,
    *,
    root_path: str = "",
    raise_server_exceptions: bool = True,
    lifespan_timeout: float = 10.0,
    disconnect_timeout: float = 5.0,
    lifespan: bool = True,
) -> AsyncIterator[InProcessServer]:
    """Run ``app``'s lifespan startup, yield the server, then close it and run shutdown.

    With ``lifespan=False`` the app gets no lifespan call at all.

    Error handling: a failed lifespan startup raises. Errors found while closing (app
    exceptions nobody consumed, app calls that had to be cancelled, a failed shutdown) are
    raised after the block: alone if there is one, as an ``ExceptionGroup`` if there are
    several. If the block itself raised, they are logged and attached to its exception as
    notes instead, so the test's own failure stays the one reported.

    Cancellation: closing is shielded and time-boxed, so it also runs when the block was
    cancelled; the ``Cancelled`` then propagates unchanged (never wrapped in a group).
    """
    raised: BaseException | None = None
    try:
        async with trio.open_nursery() as nursery:
            try:
                server = InProcessServer(
                    app,
                    nursery,
                    root_path=root_path,
                    raise_server_exceptions=raise_server_exceptions,
                    lifespan_timeout=lifespan_timeout,
                    disconnect_timeout=disconnect_timeout,
                )
                if lifespan:
                    await server.lifespan.startup(nursery)
                try:
                    yield server
                except BaseException as exc:
                    for error in await server.aclose():
                        logger.error("Error while closing the test client", exc_info=error)
                        exc.add_note(f"while closing the test client: {error!r}")
                    raise
                errors = await server.aclose()
                if len(errors) == 1:
                    raise errors[0]
                if errors:
                    raise ExceptionGroup("errors while closing the test client", errors)
            except BaseException as exc:
                raised = exc
                raise
            finally:
                nursery.cancel_scope.cancel()
    except BaseExceptionGroup as group:
        # Children never raise (see the module invariants), so a group holding exactly the
        # body's exception is trio's strict-groups wrapper, not information. (Compared by
        # leaves: if the body raised a group, trio may have rebuilt it with split().)
        if raised is None or _leaves(group) != _leaves(raised):
            raise
    if raised is not None:
        raise raised


def _leaves(exc: BaseException) -> list[int]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for child in exc.exceptions for leaf in _leaves(child)]
    return [id(exc)]


def raw_headers(headers: Iterable[Any]) -> list[tuple[bytes, bytes]]:
    """Check that ASGI headers are pairs of bytes, as hypercorn does; return them as a list.

    Error handling: raises :class:`TypeError` (in the app's ``send()``) otherwise.
    """
    pairs = []
    for name, value in headers:
        if not isinstance(name, bytes | bytearray) or not isinstance(value, bytes | bytearray):
            raise TypeError(f"ASGI header names and values must be bytes: {name!r}: {value!r}")
        pairs.append((bytes(name), bytes(value)))
    return pairs


def read_timeout(request: httpx.Request) -> float:
    """The read timeout httpx attached to ``request``, as seconds (``inf`` for none)."""
    timeouts = request.extensions.get("timeout") or {}
    value = timeouts.get("read")
    return math.inf if value is None else float(value)
