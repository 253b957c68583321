"""A trio event loop in a background thread, for the synchronous :class:`TestClient`.

Ownership::

    caller's thread                     loop thread ("trioweb-testclient")
      LoopThread.start() ────────────▶  trio.run(_host)
                                          └─ async with <context manager>    (the transport:
                                               └─ await stop event             server nursery,
      LoopThread.run(afn, ...) ──────▶  afn runs as a trio system task        lifespan, ...)
      LoopThread.stop() ─────────────▶  stop event set; the context manager exits; run ends

Calls from the caller's thread go through ``trio.from_thread`` with the loop's
:class:`trio.lowlevel.TrioToken`, so they cannot be made from inside a trio run: a synchronous
``TestClient`` belongs in synchronous tests (``AsyncTestClient`` is for trio tests).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from typing import Any, Generic, TypeVar, TypeVarTuple, Unpack

import trio

__all__ = ("LoopThread",)

T = TypeVar("T")
R = TypeVar("R")
Ts = TypeVarTuple("Ts")


class _BlockFailed(Exception):
    """Stands in, inside the loop, for an exception raised in the caller's ``with`` block."""


class LoopThread(Generic[T]):
    """Enter an async context manager on a new trio loop thread; run calls on that loop."""

    def __init__(
        self,
        context: Callable[[], AbstractAsyncContextManager[T]],
        run_options: Mapping[str, Any] | None = None,
    ) -> None:
        self._context = context
        self._run_options = dict(run_options or {})
        self._thread: threading.Thread | None = None
        self._entered = threading.Event()
        self._token: trio.lowlevel.TrioToken | None = None
        self._stop: trio.Event | None = None
        self._block_failed = False
        self._value: T | None = None
        self._error: BaseException | None = None

    def start(self) -> T:
        """Start the thread and wait until the context manager has been entered.

        Error handling: an exception from entering it (a failed lifespan startup, say) is
        raised here, after the thread has ended.
        """
        if trio.lowlevel.in_trio_run():
            raise RuntimeError(
                "the synchronous TestClient cannot be used inside a trio run (it would block "
                "the run's thread); use `async with AsyncTestClient(app) as client:` instead"
            )
        self._thread = threading.Thread(target=self._main, name="trioweb-testclient", daemon=True)
        self._thread.start()
        self._entered.wait()
        if self._error is not None:
            self._thread.join()
            error, self._error = self._error, None
            raise error
        assert self._value is not None
        return self._value

    def run(self, afn: Callable[[Unpack[Ts]], Awaitable[R]], *args: *Ts) -> R:
        """Run ``afn(*args)`` on the loop and return its result (or raise its exception)."""
        return trio.from_thread.run(afn, *args, trio_token=self._running_token())

    def run_sync(self, fn: Callable[[Unpack[Ts]], R], *args: *Ts) -> R:
        """Run ``fn(*args)`` in the loop thread (for objects that must be made there)."""
        return trio.from_thread.run_sync(fn, *args, trio_token=self._running_token())

    def stop(self, block_error: BaseException | None = None) -> None:
        """Exit the context manager, end the loop and join the thread.

        ``block_error`` is the exception leaving the caller's ``with`` block, if any. The
        context manager then sees its block fail, and the notes it adds (errors found while
        closing) are copied onto ``block_error``.

        Error handling: an exception from exiting the context manager is raised here, unless
        the block failed.
        """
        if self._thread is None or self._stop is None:
            return
        self._block_failed = block_error is not None
        stop = self._stop
        with contextlib.suppress(trio.RunFinishedError):  # the loop already ended by itself
            trio.from_thread.run_sync(stop.set, trio_token=self._running_token())
        self._thread.join()
        self._thread = None
        error, self._error = self._error, None
        if isinstance(error, _BlockFailed):
            if block_error is not None:
                for note in getattr(error, "__notes__", ()):
                    block_error.add_note(note)
        elif error is not None:
            raise error

    def _running_token(self) -> trio.lowlevel.TrioToken:
        if self._token is None or self._thread is None:
            raise RuntimeError("the test client's event loop is not running")
        return self._token

    def _main(self) -> None:
        try:
            trio.run(self._host, **self._run_options)
        except BaseException as exc:
            self._error = exc
        finally:
            self._entered.set()

    async def _host(self) -> None:
        self._token = trio.lowlevel.current_trio_token()
        self._stop = trio.Event()
        async with self._context() as value:
            self._value = value
            self._entered.set()
            await self._stop.wait()
            if self._block_failed:
                raise _BlockFailed
