"""Run a real hypercorn trio server in-process for integration tests.

``open_server(app, **config_overrides)`` is an async context manager that serves ``app`` on
``127.0.0.1:<free port>`` in a task of its own nursery and yields the base URL
(``"http://127.0.0.1:PORT"``).  On exit it triggers hypercorn's graceful shutdown and waits
for the server to stop.  Use real sockets only: never combine it with ``autojump_clock``.

Defaults differ from hypercorn's in two places: ``read_timeout`` stays None (the framework
relies on it) and ``graceful_timeout`` is 1 s so that shutdown with a request still in flight
does not slow the suite down.  Any other hypercorn ``Config`` attribute can be overridden by
keyword; an unknown name raises ``TypeError``.

Error handling:
    An exception raised in the ``async with`` body is re-raised unchanged (not wrapped in an
    exception group) once the server has stopped.  If the server does not stop within
    ``stop_timeout`` seconds of the shutdown trigger, ``trio.TooSlowError`` is raised.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import trio
from hypercorn.config import Config
from hypercorn.trio import serve
from hypercorn.typing import ASGIFramework

__all__ = ["make_config", "open_server"]

DEFAULT_GRACEFUL_TIMEOUT = 1.0


def make_config(**overrides: Any) -> Config:
    """A hypercorn Config bound to 127.0.0.1:0 with the harness defaults and ``overrides``."""
    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.read_timeout = None
    config.graceful_timeout = DEFAULT_GRACEFUL_TIMEOUT
    for name, value in overrides.items():
        if name.startswith("_") or not hasattr(config, name):
            raise TypeError(f"hypercorn Config has no option {name!r}")
        setattr(config, name, value)
    return config


async def _serve_until(
    app: ASGIFramework,
    config: Config,
    shutdown: trio.Event,
    stop_timeout: float,
    *,
    task_status: trio.TaskStatus[list[str]] = trio.TASK_STATUS_IGNORED,
) -> None:
    # The deadline is armed only once shutdown is triggered: serving itself is unbounded.
    with trio.fail_after(math.inf) as stop_scope:

        async def trigger() -> None:
            await shutdown.wait()
            stop_scope.deadline = trio.current_time() + stop_timeout

        await serve(app, config, shutdown_trigger=trigger, task_status=task_status)


@asynccontextmanager
async def open_server(
    app: ASGIFramework, /, *, stop_timeout: float = 10.0, **config_overrides: Any
) -> AsyncIterator[str]:
    """Serve ``app`` on a free loopback port for the duration of the block; yield its base URL."""
    config = make_config(**config_overrides)
    shutdown = trio.Event()
    body_error: Exception | None = None
    try:
        async with trio.open_nursery() as nursery:
            urls: list[str] = await nursery.start(_serve_until, app, config, shutdown, stop_timeout)
            try:
                yield urls[0]
            except Exception as error:
                # Held back so the nursery does not wrap it in an exception group.
                body_error = error
            finally:
                shutdown.set()
    except BaseExceptionGroup as server_errors:
        if body_error is None:
            raise
        raise BaseExceptionGroup(
            "the test body and the server both failed", [body_error, server_errors]
        ) from None
    if body_error is not None:
        raise body_error
