"""One ASGI app call running as a child task, with its outcome captured instead of raised."""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

if TYPE_CHECKING:
    from trioweb.types import ASGIApp, Receive, Scope, Send

__all__ = ("AppCall",)


class AppCall:
    """One call of the ASGI app, run as a child task; its error is kept, not raised."""

    __slots__ = ("_error", "cancel_scope", "done")

    def __init__(self) -> None:
        self.cancel_scope = trio.CancelScope()
        self.done = trio.Event()
        self._error: Exception | None = None

    async def run(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        """Call ``app(scope, receive, send)`` and record how it ended.

        Error handling: an ``Exception`` from the app is stored for :meth:`take_error`.
        Cancellation: the call's own :attr:`cancel_scope` absorbs its cancellation; any other
        ``Cancelled`` (the server nursery closing) propagates.
        """
        try:
            with self.cancel_scope:
                await app(scope, receive, send)
        except Exception as exc:
            self._error = exc
        finally:
            self.done.set()

    def take_error(self) -> Exception | None:
        """Return the app's exception the first time it is asked for, then ``None``."""
        error, self._error = self._error, None
        return error

    async def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the call to return; cancel it if it does not.

        Returns ``True`` if the call returned by itself.

        Cancellation: shielded, so it also runs on a cancelled close path; bounded by twice
        ``timeout`` (the second period lets a cancelled call unwind).
        """
        with trio.CancelScope(shield=True):
            with trio.move_on_after(timeout):
                await self.done.wait()
                return True
            self.cancel_scope.cancel()
            with trio.move_on_after(timeout):
                await self.done.wait()
        return False
