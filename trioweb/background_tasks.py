"""Work to run after a response: ``BackgroundTask`` and ``BackgroundTasks``.

Policy (also in docs/background-tasks.md): background tasks run inside the connection's
ASGI call once the response has ended, i.e.

* after a completed response, and also after the client disconnected mid-stream (the
  response has ended; the follow-up work was promised by the handler);
* never when the handler raised (the error response carries no background work);
* a task that raises is logged with its traceback and does not stop the tasks after it,
  nor the server; with ``run_in_task_group=True`` the others keep running;
* at server shutdown they are part of the in-flight connection: hypercorn lets them
  finish within its ``graceful_timeout`` and then cancels them.
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
