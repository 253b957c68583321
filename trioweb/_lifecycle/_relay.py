"""The receive relay: the sole reader of an HTTP connection's ``receive()``.

Why it exists: on hypercorn's trio worker a disconnect is only ever seen by a task that is
blocked in ``receive()`` (polling inside a cancelled scope never sees it, notes/engine.md
§2), so while a response streams, or while a ``cancel_on_disconnect`` handler runs, one
task must sit in ``receive()``. The request body still has to reach the handler, so the
relay buffers ``http.request`` messages for it, and drops them once the handler is done.

Invariants:

* at most ``MAX_BUFFERED_BYTES`` of unread body are buffered; beyond that the relay stops
  reading (TCP back-pressure) until the request reads or the relay starts draining;
* on ``http.disconnect`` (or :meth:`abort`) every registered cancel scope is cancelled,
  exactly once;
* after :meth:`complete` or :meth:`stop`, no scope is cancelled by this relay any more;
* after :meth:`complete` the relay is not cancelled: it ends on the ``http.disconnect``
  that the server sends once a response is complete (ASGI; hypercorn does so at once),
  or after :data:`COMPLETION_GRACE` seconds. A cancellation costs an exception raised
  through the task, several times the price of the wake-up it replaces;
* with a :class:`KeepAlive` attached (:meth:`keep_alive`), the relay's wait in
  ``receive()`` carries the keep-alive's deadline: when it passes, the wait is cancelled
  (a memory channel's ``receive()``, hypercorn's and the test transport's, loses nothing
  when cancelled), :meth:`KeepAlive.tick` starts the ping, and the relay waits again. So an
  idle stream needs no task of its own for its pings, and the relay never sends: it is
  always back in ``receive()`` within the same scheduler pass, so a ping blocked in a send
  never hides a disconnect.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Final, Protocol

import trio

from trioweb.types import Message, Receive

__all__ = ("RELAY_TASK_NAME", "KeepAlive", "ReceiveRelay")

MAX_BUFFERED_BYTES: Final = 1 << 20
COMPLETION_GRACE: Final = 1.0
"""Seconds the relay waits for the server's ``http.disconnect`` after a complete response."""
_DISCONNECT: Final[Message] = {"type": "http.disconnect"}
RELAY_TASK_NAME: Final = "trioweb._lifecycle._relay.ReceiveRelay.run"
"""The relay task's name, given to ``start_soon`` so trio does not format one per task."""


class KeepAlive(Protocol):
    """What the relay wakes for while it waits (a stream's keep-alive pings)."""

    def tick(self) -> float:
        """Start a ping if one is due (without waiting for it); return when to call again."""
        ...


class _Flag:
    """A ``trio.Event`` that nobody waits for: ``set()`` / ``is_set()`` only.

    An Event holds a set of waiting tasks (about 200 bytes); every relay, so every idle
    stream, holds one of these for its whole life, and nobody ever waits on it.
    """

    __slots__ = ("_set",)

    def __init__(self) -> None:
        self._set = False

    def set(self) -> None:
        self._set = True

    def is_set(self) -> bool:
        return self._set


class ReceiveRelay:
    """Read ``receive()`` in a task; hand body messages on; turn a disconnect into cancellation."""

    __slots__ = (
        "_buffer",
        "_buffered",
        "_cancel_scope",
        "_completed",
        "_data_ready",
        "_draining",
        "_grace_deadline",
        "_keep_alive",
        "_receive",
        "_room",
        "_scopes",
        "_stopped",
        "disconnected",
    )

    def __init__(self, receive: Receive) -> None:
        # The buffer and the two wake-up events are made when first needed: most relays
        # only ever watch for a disconnect (an idle stream holds one for its lifetime).
        self._receive = receive
        self._buffer: deque[Message] | None = None
        self._buffered = 0
        self._data_ready: trio.Event | None = None
        self._room: trio.Event | None = None
        self._draining = False
        self._scopes: list[trio.CancelScope] = []
        self._cancel_scope = trio.CancelScope()
        self._completed = False
        self._stopped = False
        self._grace_deadline = math.inf
        self._keep_alive: KeepAlive | None = None
        self.disconnected = _Flag()
        """Set once the client has gone (``is_set()``; nothing waits on it)."""

    async def run(self, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED) -> None:
        """Relay until the client disconnects or :meth:`stop` is called."""
        task_status.started()
        # One scope at a time: its deadline is the sooner of the completion grace and the
        # keep-alive's next tick; stop() cancels it. A new one is made only after a tick.
        scope = self._cancel_scope
        while True:
            with scope:
                await self._relay()
                return
            if self._stopped:
                return
            deadline = self._grace_deadline
            if trio.current_time() >= deadline:
                return
            keep_alive = self._keep_alive
            if keep_alive is not None:
                deadline = min(deadline, keep_alive.tick())
            self._cancel_scope = scope = trio.CancelScope(deadline=deadline)

    async def _relay(self) -> None:
        while True:
            while self._buffered > MAX_BUFFERED_BYTES and not self._draining:
                self._room = room = trio.Event()
                await room.wait()
            message = await self._receive()
            if message["type"] != "http.request":
                self._on_disconnect()
                return
            if self._draining:
                continue
            if self._buffer is None:
                self._buffer = deque()
            self._buffer.append(message)
            self._buffered += len(message.get("body", b""))
            if self._data_ready is not None:
                self._data_ready.set()

    def keep_alive(self, keep_alive: KeepAlive | None) -> None:
        """Wake for ``keep_alive`` while waiting (``None``: stop; call before its nursery ends)."""
        self._keep_alive = keep_alive
        if keep_alive is not None:
            scope = self._cancel_scope
            scope.deadline = min(scope.deadline, keep_alive.tick())

    def _on_disconnect(self) -> None:
        self.disconnected.set()
        if self._data_ready is not None:
            self._data_ready.set()
        self.abort()

    async def receive(self) -> Message:
        """The ``receive`` callable handed to the request while the relay runs."""
        buffer = self._buffer
        while not buffer:
            if self.disconnected.is_set():
                return _DISCONNECT
            self._data_ready = ready = trio.Event()
            await ready.wait()
            buffer = self._buffer
        message = buffer.popleft()
        self._buffered -= len(message.get("body", b""))
        if self._room is not None:
            self._room.set()
        return message

    def drain(self) -> None:
        """Stop keeping body messages: nobody will read them any more."""
        self._draining = True
        if self._buffer:
            self._buffer.clear()
        self._buffered = 0
        if self._room is not None:
            self._room.set()

    def cancel_on_disconnect(self, scope: trio.CancelScope) -> None:
        """Cancel ``scope`` when the client goes away (at once if it already has)."""
        if self.disconnected.is_set():
            scope.cancel()
        else:
            self._scopes.append(scope)

    def abort(self) -> None:
        """The response was aborted: cancel every registered scope, as a disconnect does."""
        scopes, self._scopes = self._scopes, []
        for scope in scopes:
            scope.cancel()

    def complete(self) -> None:
        """The final body is about to be sent: cancel nothing from now on.

        The relay keeps reading (and dropping) until the server's ``http.disconnect``,
        bounded by :data:`COMPLETION_GRACE`, so it ends without being cancelled.
        """
        self._scopes.clear()
        self._completed = True
        self._keep_alive = None
        self.drain()
        self._grace_deadline = deadline = trio.current_time() + COMPLETION_GRACE
        self._cancel_scope.deadline = min(self._cancel_scope.deadline, deadline)

    def stop(self) -> None:
        """Stop relaying and forget every registered scope (at once, unless completed)."""
        self._scopes.clear()
        if not self._completed:
            self._stopped = True
            self._cancel_scope.cancel()
