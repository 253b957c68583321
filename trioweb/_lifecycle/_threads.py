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


def _next_or_sentinel(iterator: Iterator[Any], returned: threading.Event) -> Any:
    try:
        return next(iterator, _EXHAUSTED)
    finally:
        returned.set()


async def run_sync_iterator_step(
    iterator: Iterator[T], *, grace: float = 5.0
) -> tuple[bool, T | None]:
    """Advance a sync iterator by one item in a worker thread: ``(done, item)``.

    Cancellation: a ``next()`` under way cannot be interrupted. When the step is cancelled,
    it waits for ``next()`` to return for at most ``grace`` seconds (shielded), so that the
    iterator can then be closed and its ``finally`` run; after that the thread is abandoned
    (it runs on, holding its limiter token, until ``next()`` returns), the iterator is
    marked (:func:`was_abandoned`), and ``Cancelled`` propagates, so a shutdown or a
    disconnect is never held up longer than ``grace`` by a ``next()`` that blocks.
    """
    returned = threading.Event()
    try:
        item = await trio.to_thread.run_sync(
            _next_or_sentinel,
            iterator,
            returned,
            limiter=iterator_limiter(),
            abandon_on_cancel=True,
        )
    except trio.Cancelled:
        with trio.CancelScope(shield=True):
            if not await trio.to_thread.run_sync(returned.wait, grace, abandon_on_cancel=True):
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
