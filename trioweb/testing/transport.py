"""An httpx transport that calls an ASGI app in-process, on trio, streaming both ways.

Unlike ``httpx.ASGITransport`` (and Litestar's test transport) it does not wait for the whole
body: the :class:`httpx.Response` is returned as soon as the app sends
``http.response.start``, and body chunks reach the test as the app sends them. That is what
makes endless streams and server-sent events testable.

One request is one :class:`_HTTPExchange`. Its ``receive()`` behaves like hypercorn's:

1. the request body, as ``http.request`` messages (one message for a body httpx holds in
   memory; for a streamed upload one per chunk with ``more_body=True``, then an empty final
   one);
2. then, once the response is complete *or* the client has gone (it closed the response,
   left ``client.stream(...)`` early, or timed out), exactly one ``http.disconnect``;
3. any later ``receive()`` blocks, as it does on hypercorn. The call then ends only if the
   app returns by itself; if it has not done so ``disconnect_timeout`` seconds after the
   disconnect, it is cancelled and the test fails with :class:`TimeoutError`.

``send()`` checks the protocol (start once, body after start, nothing after the final body,
header names and values are bytes) and raises :class:`RuntimeError`/:class:`TypeError` in the
app on a violation, like hypercorn. Sends after the client has gone are dropped silently, as on
hypercorn (ASGI spec 2.1: no ``OSError``).

Closing the response (which httpx does after reading the body, or when the ``stream`` block is
left) waits up to ``disconnect_timeout`` for the app call to return, then raises its exception
(with ``raise_server_exceptions=True``). So after ``await client.get(...)`` returns, the app
call, including work it did after sending the body, has finished.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING

import httpx
import trio

from trioweb.testing._app_call import AppCall
from trioweb.testing._server import InProcessServer, open_server, raw_headers, read_timeout
from trioweb.testing.streaming import RESPONSE_STREAM_EXTENSION, ChunkIterator
from trioweb.types import Message

if TYPE_CHECKING:
    from types import TracebackType

    from trioweb.types import ASGIApp, Scope

__all__ = ("TrioASGITransport",)

_RECEIVE_QUEUE_SIZE = 10  # hypercorn's default max_app_queue_size
_NO_BODY_STATUSES = frozenset({204, 304})


class TrioASGITransport(httpx.AsyncBaseTransport):
    """Serve httpx requests from an ASGI app running in the caller's trio run.

    ``async with`` the transport (an ``httpx.AsyncClient`` does that for you) runs the app's
    lifespan startup and opens the nursery the app calls run in; leaving it disconnects what
    is still open and runs lifespan shutdown. See :func:`trioweb.testing._server.open_server`
    for how errors found on the way out are reported.

    Usable on its own: ``httpx.AsyncClient(transport=TrioASGITransport(app),
    base_url="http://testserver.local")``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        raise_server_exceptions: bool = True,
        root_path: str = "",
        lifespan_timeout: float = 10.0,
        disconnect_timeout: float = 5.0,
        lifespan: bool = True,
    ) -> None:
        self.app = app
        self.lifespan = lifespan
        self.raise_server_exceptions = raise_server_exceptions
        self.root_path = root_path
        self.lifespan_timeout = lifespan_timeout
        self.disconnect_timeout = disconnect_timeout
        self._server: InProcessServer | None = None
        self._stack: AsyncExitStack | None = None

    @property
    def server(self) -> InProcessServer:
        """The running in-process server; only while the transport is open."""
        if self._server is None:
            raise RuntimeError(
                "the test client is not running; use it as `async with AsyncTestClient(app) as "
                "client:` (or `with TestClient(app) as client:`)"
            )
        return self._server

    async def __aenter__(self) -> TrioASGITransport:
        if self._stack is not None:
            raise RuntimeError("the transport is already open")
        async with AsyncExitStack() as stack:
            self._server = await stack.enter_async_context(
                open_server(
                    self.app,
                    root_path=self.root_path,
                    raise_server_exceptions=self.raise_server_exceptions,
                    lifespan_timeout=self.lifespan_timeout,
                    disconnect_timeout=self.disconnect_timeout,
                    lifespan=self.lifespan,
                )
            )
            self._stack = stack.pop_all()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc_value: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        stack, self._stack = self._stack, None
        if stack is None:
            return
        try:
            await stack.__aexit__(exc_type, exc_value, traceback)
        finally:
            self._server = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Start the app call for ``request``; return once it has started its response.

        Error handling: an exception the app raises before ``http.response.start`` is raised
        here with ``raise_server_exceptions=True``; otherwise it becomes an empty 500
        response, as does an app that returns without responding. No start within httpx's
        read timeout raises :class:`httpx.ReadTimeout`.

        Cancellation: cancelling the request disconnects the app and waits for it (shielded,
        bounded); an app error found then is reported when the client closes.
        """
        if self._server is None:
            return await self.serve_alone(request, _request_body(request))
        return await self.send_to_server(request, _request_body(request))

    async def serve_alone(
        self, request: httpx.Request, body: bytes | AsyncIterable[bytes]
    ) -> httpx.Response:
        """Serve ``request`` outside ``async with``, as Litestar's test clients allow.

        The request gets an in-process server of its own and no lifespan (startup hooks do
        not run); its whole body is read before this returns.
        """
        alone = TrioASGITransport(
            self.app,
            raise_server_exceptions=self.raise_server_exceptions,
            root_path=self.root_path,
            lifespan_timeout=self.lifespan_timeout,
            disconnect_timeout=self.disconnect_timeout,
            lifespan=False,
        )
        async with alone:
            response = await alone.send_to_server(request, body)
            content = await response.aread()
        return httpx.Response(
            response.status_code,
            headers=response.headers.raw,
            stream=httpx.ByteStream(content),
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    async def send_to_server(
        self, request: httpx.Request, body: bytes | AsyncIterable[bytes]
    ) -> httpx.Response:
        """:meth:`handle_async_request` with the request body given separately."""
        server = self.server
        exchange = _HTTPExchange(server, server.http_scope(request), body)
        server.start(exchange, exchange.serve)
        try:
            with trio.fail_after(read_timeout(request)):
                await exchange.head.wait()
        except trio.TooSlowError:
            await exchange.close(report=False)
            raise httpx.ReadTimeout(
                "the ASGI app did not start a response within the read timeout", request=request
            ) from None
        except BaseException:
            await exchange.close(report=False)
            raise
        if exchange.upload_error is not None:
            await exchange.close(report=False)
            raise exchange.upload_error
        if exchange.status is None:
            await exchange.close(report=True)  # raises the app's exception, if it should
            if server.raise_server_exceptions:
                raise RuntimeError("the ASGI app returned without sending 'http.response.start'")
            return httpx.Response(500, headers=[(b"content-length", b"0")], request=request)
        stream = ResponseStream(exchange, request)
        return httpx.Response(
            exchange.status,
            headers=exchange.headers,
            stream=stream,
            request=request,
            extensions={"http_version": b"HTTP/1.1", RESPONSE_STREAM_EXTENSION: stream},
        )


def _request_body(request: httpx.Request) -> bytes | AsyncIterable[bytes]:
    stream = request.stream
    if isinstance(stream, httpx.ByteStream):
        return b"".join(stream)
    if isinstance(stream, httpx.AsyncByteStream):
        return stream
    raise TypeError(
        "a synchronous request body needs the synchronous TestClient; pass bytes or an async "
        "iterable of bytes to the AsyncTestClient"
    )


class _HTTPExchange:
    """One request/response cycle: the app call, its receive/send, and the body channel."""

    def __init__(
        self, server: InProcessServer, scope: Scope, body: bytes | AsyncIterable[bytes]
    ) -> None:
        self.call = AppCall()
        self.head = trio.Event()  # set when the response starts, or when it never will
        self.status: int | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.complete = False
        self.client_gone = False
        self.upload_error: Exception | None = None
        self._server = server
        self._scope = scope
        self._body = body
        self._suppress_body = False
        # receive(): request body, then http.disconnect once _done_event is set.
        self._to_app_send, self._to_app_recv = trio.open_memory_channel[Message](
            _RECEIVE_QUEUE_SIZE
        )
        self._done_event = trio.Event()
        self._pump_scope = trio.CancelScope()
        # send() → the response stream. Unbounded: like socket buffers, a small chunk never
        # waits for the test to read it.
        self._chunks_send, self._chunks_recv = trio.open_memory_channel[bytes](math.inf)

    async def serve(self) -> None:
        """Run the app call next to the request pump (a child task of the server nursery)."""
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(self._pump)
                await self.call.run(
                    self._server.app, self._scope, self._to_app_recv.receive, self._send
                )
                nursery.cancel_scope.cancel()
        finally:
            self._chunks_send.close()
            self.head.set()

    async def _pump(self) -> None:
        try:
            with self._pump_scope:
                await self._send_request_body()
        except Exception as exc:  # the upload failed: the client is gone
            self.upload_error = exc
            self.client_left()
            self.head.set()
        await self._done_event.wait()
        await self._to_app_send.send({"type": "http.disconnect"})

    async def _send_request_body(self) -> None:
        if isinstance(self._body, bytes):
            await self._to_app_send.send(
                {"type": "http.request", "body": self._body, "more_body": False}
            )
            return
        async for chunk in self._body:
            if chunk:
                await self._to_app_send.send(
                    {"type": "http.request", "body": bytes(chunk), "more_body": True}
                )
        await self._to_app_send.send({"type": "http.request", "body": b"", "more_body": False})

    async def _send(self, message: Message) -> None:
        await trio.lowlevel.checkpoint()
        kind = message.get("type")
        if kind == "http.response.start":
            if self.status is not None:
                raise RuntimeError("the ASGI app sent 'http.response.start' twice")
            status = int(message["status"])
            self.headers = raw_headers(message.get("headers", ()))
            self.status = status
            self._suppress_body = (
                self._scope["method"] == "HEAD" or status < 200 or status in _NO_BODY_STATUSES
            )
            self.head.set()
        elif kind == "http.response.body":
            if self.status is None:
                raise RuntimeError("the ASGI app sent 'http.response.body' before the start")
            if self.complete:
                raise RuntimeError("the ASGI app sent 'http.response.body' after the final one")
            body = message.get("body", b"")
            if not isinstance(body, bytes | bytearray | memoryview):
                raise TypeError(f"'http.response.body' body must be bytes, not {type(body)}")
            if body and not self._suppress_body and not self.client_gone:
                self._chunks_send.send_nowait(bytes(body))
            if not message.get("more_body", False):
                self.complete = True
                self._chunks_send.close()
                self._done_event.set()
        else:
            raise RuntimeError(f"unexpected ASGI message {kind!r} on an HTTP/1.1 connection")

    def client_left(self) -> None:
        """The client stopped listening: the app's receive() now yields http.disconnect."""
        if self.client_gone:
            return
        self.client_gone = True
        self._chunks_recv.close()
        self._pump_scope.cancel()
        self._done_event.set()

    async def receive_chunk(self, request: httpx.Request) -> bytes | None:
        """The next body chunk the app sent, or ``None`` at the end of the response.

        Error handling: if the app call ended before the final body, raise its exception
        (with ``raise_server_exceptions=True``) or :class:`httpx.RemoteProtocolError`, which is
        what a client of a real server sees.
        """
        try:
            with trio.fail_after(read_timeout(request)):
                return await self._chunks_recv.receive()
        except (trio.EndOfChannel, trio.ClosedResourceError):
            pass
        except trio.TooSlowError:
            raise httpx.ReadTimeout(
                "the ASGI app sent no body chunk within the read timeout", request=request
            ) from None
        if self.upload_error is not None:
            raise self.upload_error
        if self.complete or self.client_gone:
            return None
        error = self._server.report(self.call.take_error())
        if error is not None:
            raise error
        raise httpx.RemoteProtocolError(
            "the ASGI app ended the response without sending its final body", request=request
        )

    async def close(self, *, report: bool) -> None:
        """Leave as the client, then wait for the app call and report how it ended."""
        self.client_left()
        await self._server.retire(self, report=report)


class ResponseStream(httpx.AsyncByteStream):
    """The response body as the app sends it; closing it disconnects the app."""

    def __init__(self, exchange: _HTTPExchange, request: httpx.Request) -> None:
        self._exchange = exchange
        self._request = request
        self._closed = False

    def __aiter__(self) -> AsyncIterator[bytes]:
        # Not an async generator, so stopping early leaves nothing for trio to warn about.
        return ChunkIterator(self)

    async def next_chunk(self) -> bytes | None:
        """The next body chunk, or ``None`` at the end of the body."""
        return await self._exchange.receive_chunk(self._request)

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            await self._exchange.close(report=True)
