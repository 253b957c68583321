"""Work to run after a response: ``BackgroundTask`` and ``BackgroundTasks``.

Policy (docs/background-tasks.md has it with examples; tests/unit/test_background_tasks.py
checks every line on all three kinds of route). Background work runs in the connection's
ASGI call, once the response has *ended*:

* it runs after a completed response, plain or streamed (a stream ended by its idle or
  total timeout is complete too), and after the client left in the middle of a stream: the
  handler promised the work, the response is over, nothing is cancelled any more;
* it never runs when the handler raised (the error response carries no background work,
  unless an exception handler returns a response with some), when a stream was aborted
  because its iterator raised, nor when a ``cancel_on_disconnect`` or ``nursery`` route was
  cancelled before its response started (there is no response);
* a response's ``background`` replaces the route's ``background=`` (as in Litestar);
* ``BackgroundTasks`` runs its tasks in order, or concurrently in a nursery with
  ``run_in_task_group=True``; a task that raises is logged once with its traceback and the
  other tasks still run (Litestar stops at the first failure, or cancels the group);
* sync functions run in a worker thread under the handler limiter;
* on a route that takes the connection ``nursery`` the work runs next to the tasks the
  handler started; after a mid-response disconnect, once those have been cancelled;
* at server shutdown it is part of the in-flight call: hypercorn lets it finish within
  ``graceful_timeout``, then cancels it. A sync function in its thread cannot be
  interrupted, so shutdown waits for it (poll ``trio.from_thread.check_cancelled()``).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Iterable
from typing import Any, ParamSpec

import trio

from trioweb._lifecycle import run_sync_handler

__all__ = ("BackgroundTask", "BackgroundTasks")

P = ParamSpec("P")
logger = logging.getLogger("trioweb")


class BackgroundTask:
    """A function (sync: in a worker thread; async: awaited) with its arguments."""

    __slots__ = ("args", "fn", "is_async", "kwargs")

    def __init__(self, fn: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.is_async = inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
            getattr(fn, "__call__", None)  # noqa: B004
        )

    async def __call__(self) -> None:
        """Run the task; errors are logged, never raised."""
        try:
            if self.is_async:
                await self.fn(*self.args, **self.kwargs)
            elif self.kwargs:
                await run_sync_handler(lambda: self.fn(*self.args, **self.kwargs))
            else:
                await run_sync_handler(self.fn, *self.args)
        except Exception:
            logger.exception("background task %r raised", getattr(self.fn, "__name__", self.fn))

    def __repr__(self) -> str:
        return f"BackgroundTask({getattr(self.fn, '__name__', self.fn)!r})"


class BackgroundTasks:
    """Several background tasks, run in order or concurrently in a nursery."""

    __slots__ = ("run_in_task_group", "tasks")

    def __init__(self, tasks: Iterable[BackgroundTask], run_in_task_group: bool = False) -> None:
        self.tasks = list(tasks)
        self.run_in_task_group = run_in_task_group

    async def __call__(self) -> None:
        """Run every task; each one's error is logged and the others still run."""
        if self.run_in_task_group:
            async with trio.open_nursery() as nursery:
                for task in self.tasks:
                    nursery.start_soon(task)
        else:
            for task in self.tasks:
                await task()
