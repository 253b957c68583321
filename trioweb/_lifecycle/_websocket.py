"""The connection nursery of a WebSocket: the receive loop, the handler and its tasks.

Ownership tree (one per WebSocket connection)::

    connection nursery
      ├─ receive loop (WebSocketRelay.run): sole reader of receive(); feeds a bounded buffer
      ├─ task host: the nursery handed to the handler (``nursery`` parameter), made only
      │    │  when the handler, a dependency or a hook takes it
      │    └─ tasks the handler spawned
      └─ the handler itself (the body of the nursery, in the ASGI call's own task)

When the client leaves (``websocket.disconnect``):

* the tasks the handler spawned are cancelled at once (their ``finally`` blocks run);
* the handler is *not* cancelled at once: a pending or later ``receive`` raises
  ``WebSocketDisconnect`` (after any message still buffered), so Litestar-style code that
  catches it, or an ``iter_*`` loop that ends quietly, runs its cleanup; sends raise
  ``WebSocketDisconnect`` too;
* if the handler has not returned :data:`DISCONNECT_GRACE` seconds later (it was waiting on
  something else than the socket), it is cancelled.

When the handler returns or raises, every task of the connection is cancelled and the
receive loop stops. Nothing of the connection outlives :func:`run_websocket_connection`.

Invariants:

* messages reach the handler in the order hypercorn delivered them; the disconnect comes
  after every message received before it, and is then returned by every later receive;
* at most :data:`MAX_BUFFERED_MESSAGES` unread messages are held; beyond that the loop stops
  reading, so hypercorn stops reading the socket (back-pressure on the client);
* exception groups from the connection nursery are unwrapped here, through
  :func:`~trioweb._lifecycle._errors.unwrap_group`; ``trio.Cancelled`` is never swallowed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

import trio

from trioweb._lifecycle._errors import unwrap_group
from trioweb.types import Message, Receive, Send

__all__ = (
    "DISCONNECT_GRACE",
    "MAX_BUFFERED_MESSAGES",
    "WebSocketRelay",
    "run_websocket_connection",
    "send_denial",
)

MAX_BUFFERED_MESSAGES: Final = 16
"""Unread client messages held per connection before reading stops."""

DISCONNECT_GRACE: Final = 1.0
"""Seconds a handler may keep running after its client left before it is cancelled."""

ABNORMAL_CLOSURE: Final = 1006


class WebSocketRelay:
    """Read a WebSocket's ``receive()`` in a task; hand messages on; announce the disconnect.

    :meth:`receive` is the ``receive`` given to the ``WebSocket``; several tasks may call it
    (each message goes to one of them, in order). The buffer is a plain list and an event
    made only while someone waits, rather than a memory channel: an idle connection holds
    one of these per socket, so it is kept small.
    """

    __slots__ = (
        "_buffer",
        "_callbacks",
        "_disconnect",
        "_done",
        "_max_buffered",
        "_readable",
        "_receive",
        "_writable",
    )

    def __init__(self, receive: Receive, *, max_buffered: int = MAX_BUFFERED_MESSAGES) -> None:
        self._receive = receive
        self._max_buffered = max(1, max_buffered)
        self._buffer: list[Message] = []
        self._readable: trio.Event | None = None  # readers wait on it; set by a message/the end
        self._writable: trio.Event | None = None  # the loop waits on it; set by a read
        self._done = False  # the loop has ended: nothing more will be buffered
        self._disconnect: Message | None = None
        self._callbacks: list[Callable[[int], object]] = []

    @property
    def disconnect_code(self) -> int | None:
        """The close code of the ``websocket.disconnect`` seen so far, if any."""
        if self._disconnect is None:
            return None
        return int(self._disconnect.get("code", ABNORMAL_CLOSURE))

    def on_disconnect(self, callback: Callable[[int], object]) -> None:
        """Call ``callback(code)`` when the disconnect arrives (at once if it already has)."""
        code = self.disconnect_code
        if code is not None:
            callback(code)
        else:
            self._callbacks.append(callback)

    async def run(self) -> None:
        """Relay messages until the disconnect; then return.

        Holds at most ``max_buffered`` unread messages: beyond that it waits for a read
        before receiving again (back-pressure).

        Cancellation: cancelled by the connection nursery when the handler is done.
        """
        try:
            while True:
                message = await self._receive()
                if message["type"] == "websocket.disconnect":
                    self._disconnect = message
                    callbacks, self._callbacks = self._callbacks, []
                    for callback in callbacks:
                        callback(self.disconnect_code or ABNORMAL_CLOSURE)
                    return
                while len(self._buffer) >= self._max_buffered:
                    self._writable = writable = trio.Event()
                    await writable.wait()
                self._buffer.append(message)
                self._wake_readers()
        finally:
            self._done = True
            self._wake_readers()

    def _wake_readers(self) -> None:
        readable = self._readable
        if readable is not None:
            self._readable = None
            readable.set()

    async def receive(self) -> Message:
        """The next message; the disconnect message once the buffer is drained.

        Cancellation: a cancelled wait takes no message (none is lost).
        """
        buffer = self._buffer
        if buffer or self._done:
            # a checkpoint before taking anything (another reader may take it meanwhile,
            # hence the loop below)
            await trio.lowlevel.checkpoint()
        while not buffer and not self._done:
            readable = self._readable
            if readable is None:
                self._readable = readable = trio.Event()
            await readable.wait()  # a checkpoint too
        # from here on no await: the message taken is returned
        if not buffer:
            if self._disconnect is None:  # the loop was stopped without a disconnect
                return {"type": "websocket.disconnect", "code": ABNORMAL_CLOSURE}
            return self._disconnect
        message = buffer.pop(0)
        writable = self._writable
        if writable is not None:
            self._writable = None
            writable.set()
        return message


class _TaskHost:
    """Owns the nursery handed to the handler; can cancel its tasks yet keep it open.

    A task of the nursery that raises cancels the nursery; the host's body then ends so the
    error propagates (and cancels the handler). :meth:`spare` (the client left) cancels the
    tasks but keeps the nursery open until :meth:`release`: a late ``start_soon`` then
    starts an already cancelled task instead of raising "Nursery is closed to new arrivals".

    Only made when the handler (or one of its dependencies or hooks) takes the nursery: an
    idle connection without one costs a task and a nursery less.
    """

    __slots__ = ("_released", "_spared", "nursery")

    def __init__(self) -> None:
        self._released = trio.Event()
        self._spared = False
        self.nursery: trio.Nursery | None = None

    async def run(
        self, *, task_status: trio.TaskStatus[trio.Nursery] = trio.TASK_STATUS_IGNORED
    ) -> None:
        async with trio.open_nursery() as tasks:
            self.nursery = tasks
            task_status.started(tasks)
            try:
                await trio.sleep_forever()
            finally:
                # cancelled: by spare() or release(), a task's error, or from outside
                if self._spared and not self._released.is_set():
                    with trio.CancelScope(shield=True):
                        await self._released.wait()

    def spare(self) -> None:
        """Cancel the tasks but keep the nursery open (until :meth:`release`)."""
        self._spared = True
        if self.nursery is not None:
            self.nursery.cancel_scope.cancel()

    def release(self) -> None:
        """Cancel the tasks and let the nursery close."""
        self._released.set()
        if self.nursery is not None:
            self.nursery.cancel_scope.cancel()


async def run_websocket_connection(
    relay: WebSocketRelay,
    handler: Callable[[trio.Nursery | None], Awaitable[None]],
    *,
    grace: float = DISCONNECT_GRACE,
    with_tasks: bool = True,
) -> Exception | None:
    """Run ``handler(nursery)`` on a new connection nursery with ``relay`` reading.

    ``nursery`` is the one the handler may start tasks in; with ``with_tasks=False`` (the
    handler takes none) there is none and ``handler(None)`` is called.

    Returns the exception that ended the handler or one of its tasks, or ``None`` when the
    handler returned (or was cancelled ``grace`` seconds after the client left).

    Cancellation: a cancellation from outside (server shutdown) cancels everything and
    propagates. Error handling: an error in a spawned task cancels the handler and is
    returned; several errors are returned as one group.
    """
    error: Exception | None = None
    host = _TaskHost() if with_tasks else None
    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(relay.run)
            tasks: trio.Nursery | None = None
            if host is not None:
                tasks = await nursery.start(host.run)

            def client_left(code: int) -> None:
                if host is not None:
                    host.spare()
                # the handler's grace; the receive loop has ended and the host is spared
                scope = nursery.cancel_scope
                scope.deadline = min(scope.deadline, trio.current_time() + grace)

            relay.on_disconnect(client_left)
            try:
                await handler(tasks)
            except Exception as exc:  # kept out of the nursery so it is not wrapped
                error = exc
            finally:
                if host is not None:
                    host.release()
                nursery.cancel_scope.cancel()
    except BaseExceptionGroup as group:
        leaf = unwrap_group(group)
        if not isinstance(leaf, Exception):
            raise
        error = leaf if error is None else ExceptionGroup("WebSocket handler errors", [error, leaf])
    return error


async def send_denial(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    """Refuse the handshake with an HTTP response (the ``websocket.http.response`` extension)."""
    await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
    await send({"type": "websocket.http.response.body", "body": body, "more_body": False})
