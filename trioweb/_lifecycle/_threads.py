"""Thread offload with two separate capacity limiters.

Sync handlers and sync streaming iterators get their own limiters so that forty slow sync
streams cannot starve every sync handler (notes/engine.md §3).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any, Final, TypeVar

import trio
from trio.lowlevel import RunVar

__all__ = (
    "handler_limiter",
    "iterator_limiter",
    "run_sync_handler",
    "run_sync_iterator_step",
    "was_abandoned",
)

logger = logging.getLogger("trioweb")

T = TypeVar("T")

DEFAULT_THREAD_TOKENS: Final = 40

_handler_limiter: RunVar[trio.CapacityLimiter] = RunVar("trioweb_handler_limiter")
_iterator_limiter: RunVar[trio.CapacityLimiter] = RunVar("trioweb_iterator_limiter")

_EXHAUSTED: Final = object()


def _limiter(var: RunVar[trio.CapacityLimiter]) -> trio.CapacityLimiter:
    try:
        return var.get()
    except LookupError:
        limiter = trio.CapacityLimiter(DEFAULT_THREAD_TOKENS)
        var.set(limiter)
        return limiter


def handler_limiter() -> trio.CapacityLimiter:
    """Return this trio run's limiter for sync handlers and sync dependencies."""
    return _limiter(_handler_limiter)


def iterator_limiter() -> trio.CapacityLimiter:
    """Return this trio run's limiter for sync streaming iterators."""
    return _limiter(_iterator_limiter)


async def run_sync_handler(fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(*args)`` in a worker thread under the handler limiter.

    Cancellation: waits for the thread to finish (trio's default); sync code may poll
    ``trio.from_thread.check_cancelled()``.
    """
    return await trio.to_thread.run_sync(fn, *args, limiter=handler_limiter())


_abandoned: weakref.WeakSet[Any] = weakref.WeakSet()

_NOT_STARTED, _RUNNING, _DONE, _SKIPPED = range(4)


class _Step:
    """One ``next()`` for a worker thread, and whether it is under way (for cancellation).

    A cancelled step may never have reached its thread (it was waiting for a limiter
    token), may be inside ``next()``, or may be done; only the second is worth waiting for.
    """

    __slots__ = ("iterator", "returned", "state", "state_lock")

    def __init__(self, iterator: Iterator[Any]) -> None:
        self.iterator = iterator
        self.state = _NOT_STARTED
        self.state_lock = threading.Lock()
        self.returned = threading.Lock()  # held until next() has returned
        self.returned.acquire()

    def __call__(self) -> Any:
        with self.state_lock:
            if self.state == _SKIPPED:
                return _EXHAUSTED  # cancelled before it started: nobody waits for it
            self.state = _RUNNING
        try:
            return next(self.iterator, _EXHAUSTED)
        finally:
            with self.state_lock:
                self.state = _DONE
            self.returned.release()

    def under_way(self) -> bool:
        """After a cancellation: whether ``next()`` is running (a step not yet started
        never will be)."""
        with self.state_lock:
            if self.state == _NOT_STARTED:
                self.state = _SKIPPED
            return self.state == _RUNNING


async def run_sync_iterator_step(
    iterator: Iterator[T], *, grace: float = 5.0
) -> tuple[bool, T | None]:
    """Advance a sync iterator by one item in a worker thread: ``(done, item)``.

    Cancellation: a ``next()`` under way cannot be interrupted. When the step is cancelled,
    it waits for ``next()`` to return for at most ``grace`` seconds (shielded), so that the
    iterator can then be closed and its ``finally`` run; after that the thread is abandoned
    (it runs on, holding its limiter token, until ``next()`` returns), the iterator is
    marked (:func:`was_abandoned`), and ``Cancelled`` propagates, so a shutdown or a
    disconnect is never held up longer than ``grace`` by a ``next()`` that blocks. A step
    still waiting for a limiter token is cancelled at once.
    """
    step = _Step(iterator)
    try:
        item = await trio.to_thread.run_sync(
            step, limiter=iterator_limiter(), abandon_on_cancel=True
        )
    except trio.Cancelled:
        if step.under_way():
            with trio.CancelScope(shield=True):
                returned = await trio.to_thread.run_sync(
                    step.returned.acquire, True, grace, abandon_on_cancel=True
                )
            if not returned:
                with contextlib.suppress(TypeError):  # built-in iterators: no weakref, no close()
                    _abandoned.add(iterator)
                logger.warning(
                    "a sync streaming iterator's next() did not return within %s s of the "
                    "stream's cancellation; its thread was abandoned and the iterator is "
                    "left unclosed",
                    grace,
                )
        raise
    if item is _EXHAUSTED:
        return True, None
    return False, item


def was_abandoned(iterator: Any) -> bool:
    """Whether a cancelled step left ``iterator`` running in an abandoned thread."""
    try:
        return iterator in _abandoned
    except TypeError:  # not weak-referenceable, so never added
        return False
