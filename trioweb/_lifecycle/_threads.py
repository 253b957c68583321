"""Thread offload with two separate capacity limiters.

Sync handlers and sync streaming iterators get their own limiters so that forty slow sync
streams cannot starve every sync handler (notes/engine.md §3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final, TypeVar

import trio
from trio.lowlevel import RunVar

__all__ = ("handler_limiter", "iterator_limiter", "run_sync_handler", "run_sync_iterator_step")

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


def _next_or_sentinel(iterator: Iterator[Any]) -> Any:
    return next(iterator, _EXHAUSTED)


async def run_sync_iterator_step(iterator: Iterator[T]) -> tuple[bool, T | None]:
    """Advance a sync iterator by one item in a worker thread: ``(done, item)``."""
    item = await trio.to_thread.run_sync(_next_or_sentinel, iterator, limiter=iterator_limiter())
    if item is _EXHAUSTED:
        return True, None
    return False, item
