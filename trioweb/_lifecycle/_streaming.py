"""Sending a streamed body on the connection nursery.

Cancellation: a disconnect (seen by the receive relay) cancels the sender within one
scheduler pass; the user's iterator is then closed (``aclose()`` / ``close()``) inside a
shielded scope bounded by :data:`CLEANUP_TIMEOUT`, so a generator suspended at ``yield``
runs its ``finally`` with awaits that work. A generator cancelled while it was itself
awaiting runs its ``finally`` inside the cancelled scope, as trio always does: awaiting
cleanup there needs ``trio.CancelScope(shield=True)``. A sync iterator's ``next()`` under
way is waited for up to :data:`CLEANUP_TIMEOUT`, then abandoned in its thread (see
:func:`~trioweb._lifecycle._threads.run_sync_iterator_step`); an abandoned iterator is not
closed, since it is still running.

Error handling: an exception from the iterator after the start message went out is logged
once and the response is aborted (no final empty body is sent, so the server breaks the
connection and the client sees an incomplete body, never a truncated one presented as
whole). It does not propagate; a caller that passes ``failures`` gets it appended there
(the app throws it into the route's generator dependencies, so they can roll back). On a
connection-nursery route the relay's scopes are cancelled as for a disconnect, so the
tasks the handler started end with the response.

Invariants:

* the relay stops watching *before* the final body is sent: hypercorn answers a completed
  response with ``http.disconnect`` at once, and that one must not cancel anything;
* sends are serialised (``_Sender``) and nothing is sent after the final body, so a ping can
  neither split an event nor follow the end of the response;
* keep-alive pings need no task while the stream idles: the relay, already waiting in
  ``receive()`` for the disconnect, wakes when ``ping_interval`` has passed without a send
  and starts a short-lived task for the one ping (:meth:`_Sender.tick`); a disconnect
  cancels it like the rest of the stream.
"""

from __future__ import annotations

import contextlib
import enum
import inspect
import logging
import math
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import trio

from trioweb._lifecycle._relay import RELAY_TASK_NAME, ReceiveRelay
from trioweb._lifecycle._threads import run_sync_iterator_step, was_abandoned
from trioweb.types import Message, Receive, Send

__all__ = (
    "CLEANUP_TIMEOUT",
    "StreamEnd",
    "StreamPolicy",
    "close_iterator",
    "open_iterator",
    "send_streaming",
)

logger = logging.getLogger("trioweb")

CLEANUP_TIMEOUT: Final = 5.0
"""Seconds a user iterator's cleanup may take after a disconnect, error or shutdown."""

_END: Final[Message] = {"type": "http.response.body", "body": b"", "more_body": False}
_PING_TASK_NAME: Final = "trioweb._lifecycle._streaming._Sender._send_ping"
_NO_SCOPE: Final = contextlib.nullcontext()
"""Stands in for a timeout scope when there is no timeout (``__enter__`` gives None)."""


@dataclass(frozen=True, slots=True)
class StreamPolicy:
    """How a stream is bounded and kept alive.

    ``idle_timeout``: end the stream when the iterator yields nothing for this long.
    ``total_timeout``: end the stream after this long in all.
    ``ping_interval`` / ``ping``: send ``ping`` bytes when nothing was sent for this long.
    A stream ended by a timeout is completed cleanly (the client sees a whole response).
    """

    idle_timeout: float | None = None
    total_timeout: float | None = None
    ping_interval: float | None = None
    ping: bytes = b""


DEFAULT_POLICY: Final = StreamPolicy()


class StreamEnd(enum.Enum):
    """How a streamed response ended (what decides whether its background work runs)."""

    COMPLETED = "completed"
    """The final body was sent (also after an idle or total timeout, or for HEAD)."""
    DISCONNECTED = "disconnected"
    """The client left before the end; the relay cancelled the stream."""
    FAILED = "failed"
    """The iterator (or its encoder) raised after the start: aborted, logged once."""


async def close_iterator(iterator: Any) -> None:
    """Close a user iterator, shielded and bounded by :data:`CLEANUP_TIMEOUT`."""
    with trio.move_on_after(CLEANUP_TIMEOUT, shield=True):
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            try:
                await aclose()
            except Exception:
                logger.exception("error while closing a streaming iterator")
            return
        close = getattr(iterator, "close", None)
        if close is None or was_abandoned(iterator):  # not while its next() runs
            return
        try:
            if inspect.isgenerator(iterator) and inspect.getgeneratorstate(iterator) in (
                inspect.GEN_CREATED,
                inspect.GEN_CLOSED,
            ):
                close()  # runs no user code: no thread needed
            else:
                # trio's default limiter: a cleanup must not queue behind busy sync streams
                await trio.to_thread.run_sync(close, abandon_on_cancel=True)
        except Exception:
            logger.exception("error while closing a streaming iterator")


class _Sender:
    """Serialises sends so pings never land in the middle of an event, nor after the end.

    Only two tasks ever send (the pump and a ping), so instead of a ``trio.Lock`` (a
    parking lot per stream, most of a kilobyte an idle stream would hold) a flag marks a
    send in flight and an event, made only when the other task has to wait, hands over.

    It is also the relay's :class:`~trioweb._lifecycle._relay.KeepAlive` when the stream
    has a ping policy: the relay calls :meth:`tick` when its wait's deadline passes, and a
    short-lived task sends the ping (the relay itself must stay in ``receive()``), so an
    idle stream holds no pinger task.
    """

    __slots__ = (
        "busy",
        "finished",
        "interval",
        "last_sent",
        "nursery",
        "ping",
        "pinging",
        "released",
        "send",
    )

    def __init__(self, send: Send) -> None:
        self.send = send
        self.busy = False
        self.released: trio.Event | None = None
        self.last_sent = trio.current_time()
        self.finished = False
        self.pinging = False
        """A ping task is under way (at most one at a time)."""
        self.nursery: trio.Nursery | None = None
        self.interval = 0.0
        self.ping = b""

    async def _acquire(self) -> None:
        while self.busy:
            if self.released is None:
                self.released = trio.Event()
            await self.released.wait()
        self.busy = True

    def _release(self) -> None:
        self.busy = False
        released, self.released = self.released, None
        if released is not None:
            released.set()

    def tick(self) -> float:
        """The relay's wake-up: start a ping if nothing was sent for ``interval``."""
        if self.finished:
            return math.inf
        now = trio.current_time()
        due = self.last_sent + self.interval
        if due > now:
            return due
        if not self.pinging and self.nursery is not None:
            self.pinging = True
            self.nursery.start_soon(self._send_ping, name=_PING_TASK_NAME)
        # a ping under way (or blocked in a send) updates last_sent; look again later
        return now + self.interval

    async def _send_ping(self) -> None:
        try:
            await self._acquire()
            try:
                # nothing after the end, and no ping right behind an event that was just sent
                if self.finished or trio.current_time() < self.last_sent + self.interval:
                    return
                await self.send(
                    {"type": "http.response.body", "body": self.ping, "more_body": True}
                )
                self.last_sent = trio.current_time()
            finally:
                self._release()
        finally:
            self.pinging = False

    async def chunk(self, body: bytes) -> None:
        await self._acquire()
        try:
            # a ping woken by the hand-over after the end must not send
            if self.finished:
                return
            await self.send({"type": "http.response.body", "body": body, "more_body": True})
            self.last_sent = trio.current_time()
        finally:
            self._release()

    async def finish(self, relay: ReceiveRelay) -> None:
        await self._acquire()
        try:
            self.finished = True
            relay.complete()
            await self.send(_END)
        finally:
            self._release()


async def _pump(
    iterator: AsyncIterator[Any] | Iterator[Any],
    encode: Callable[[Any], bytes],
    sender: _Sender,
    idle_timeout: float | None,
) -> None:
    is_async = isinstance(iterator, AsyncIterator)
    while True:
        # no cancel scope at all without an idle timeout (an idle stream would hold it)
        with trio.move_on_after(idle_timeout) if idle_timeout else _NO_SCOPE as idle:
            if is_async:
                try:
                    item = await anext(iterator)  # type: ignore[arg-type]
                except StopAsyncIteration:
                    return
            else:
                done, item = await run_sync_iterator_step(
                    iterator,  # type: ignore[arg-type]
                    grace=CLEANUP_TIMEOUT,
                )
                if done:
                    return
        if idle is not None and idle.cancelled_caught:
            return
        body = encode(item)
        if body:
            await sender.chunk(body)


def open_iterator(source: AsyncIterable[Any] | Iterable[Any]) -> AsyncIterator[Any] | Iterator[Any]:
    """Return the iterator that will be driven (and closed) for ``source``."""
    if isinstance(source, AsyncIterable):
        return aiter(source)
    return iter(source)


async def send_streaming(
    send: Send,
    receive: Receive,
    start: Message,
    source: AsyncIterable[Any] | Iterable[Any],
    encode: Callable[[Any], bytes],
    *,
    policy: StreamPolicy = DEFAULT_POLICY,
    relay: ReceiveRelay | None = None,
    is_head_response: bool = False,
    prelude: bytes = b"",
    failures: list[Exception] | None = None,
) -> StreamEnd:
    """Send ``start``, then ``prelude``, then every item of ``source`` (through ``encode``).

    Returns how the stream ended (:class:`StreamEnd`). With a ``relay`` that is already
    running (a connection-nursery route), the relay's other scopes are cancelled by a
    disconnect too, so the ``Cancelled`` propagates instead of DISCONNECTED being returned.

    Cancellation: runs in its own nursery, whose scope the relay cancels on disconnect.
    A cancellation from outside (server shutdown) closes the iterator and propagates.
    """
    iterator = open_iterator(source)
    try:
        if is_head_response:
            await send(start)
            await send(_END)
            return StreamEnd.COMPLETED
        outcome = StreamEnd.DISCONNECTED
        async with trio.open_nursery() as nursery:
            own_relay = relay is None
            if relay is None:
                relay = ReceiveRelay(receive)
                nursery.start_soon(relay.run, name=RELAY_TASK_NAME)
            relay.drain()
            relay.cancel_on_disconnect(nursery.cancel_scope)
            sender = _Sender(send)
            total = policy.total_timeout
            try:
                with trio.move_on_after(total) if total else _NO_SCOPE:
                    await send(start)
                    sender.last_sent = trio.current_time()
                    if prelude:
                        await sender.chunk(prelude)
                    if policy.ping_interval:
                        sender.nursery = nursery
                        sender.interval = policy.ping_interval
                        sender.ping = policy.ping
                        relay.keep_alive(sender)
                    await _pump(iterator, encode, sender, policy.idle_timeout)
                await sender.finish(relay)
                outcome = StreamEnd.COMPLETED
            except Exception as exc:
                outcome = StreamEnd.FAILED
                logger.exception("error while streaming a response; the response was aborted")
                if failures is not None:
                    failures.append(exc)
                if not own_relay:
                    # the response is over: the tasks the handler started go too, before the
                    # iterator is closed (a producer then ends cancelled, not with a broken send)
                    relay.abort()
            finally:
                sender.finished = True  # no ping from now on
                relay.keep_alive(None)  # before this nursery (the pings' home) closes
                if own_relay:
                    relay.stop()
                if outcome is not StreamEnd.COMPLETED:
                    nursery.cancel_scope.cancel()
                # else the relay ends by itself (ReceiveRelay.complete)
        return outcome
    finally:
        await close_iterator(iterator)
