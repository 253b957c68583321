"""The ASGI lifespan protocol, driven the way hypercorn's trio worker drives it.

States::

    (not started) ──startup()──▶ starting ──complete──▶ running ──shutdown()──▶ stopping ──▶ done
                                    │ failed / timeout: raise        failed / timeout: raise │
                                    └ app returned or raised without replying:               │
                                      unsupported, run without lifespan (like hypercorn)     │
                                                                                           done

* The lifespan call is a child of the server nursery, started by :meth:`startup`; it is
  cancelled once the app has answered ``lifespan.shutdown`` (or ``lifespan.startup.failed``),
  exactly as hypercorn cancels its lifespan nursery. So the app must finish its cleanup before
  it sends ``lifespan.shutdown.complete``.
* ``scope["state"]`` is :attr:`LifespanDriver.state`; every request scope gets a shallow copy.
* ``receive()`` never returns anything but ``lifespan.startup`` and ``lifespan.shutdown``; once
  both have been delivered it blocks, as hypercorn's channel does.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING, Any

import trio

from trioweb.testing._app_call import AppCall
from trioweb.types import Message

if TYPE_CHECKING:
    from trioweb.types import ASGIApp

__all__ = ("LifespanDriver",)

logger = logging.getLogger("trioweb.testing")

_REPLIES = {
    "startup": ("lifespan.startup.complete", "lifespan.startup.failed"),
    "shutdown": ("lifespan.shutdown.complete", "lifespan.shutdown.failed"),
}


class LifespanDriver:
    """Sends ``lifespan.startup``/``lifespan.shutdown`` to an app and checks its replies."""

    def __init__(self, app: ASGIApp, *, timeout: float) -> None:
        self.app = app
        self.timeout = timeout
        self.state: dict[str, Any] = {}
        self.supported = False
        self._call = AppCall()
        self._phase: str | None = None
        self._to_app_send, self._to_app_recv = trio.open_memory_channel[Message](math.inf)
        self._from_app_send, self._from_app_recv = trio.open_memory_channel[Message](math.inf)

    async def startup(self, nursery: trio.Nursery) -> None:
        """Start the lifespan call and wait for its answer to ``lifespan.startup``.

        Error handling: ``lifespan.startup.failed`` raises the app's own exception if the call
        ended with one, else a :class:`RuntimeError` with the failure message; no answer within
        the timeout raises :class:`TimeoutError`. An app that returns or raises before
        answering does not support lifespan: it is logged (if it raised) and ignored.
        """
        nursery.start_soon(self._run)
        self._phase = "startup"
        self._to_app_send.send_nowait({"type": "lifespan.startup"})
        reply = await self._reply()
        if reply is None:
            error = self._call.take_error()
            if error is not None:
                logger.warning(
                    "ASGI app raised on the lifespan scope; continuing without lifespan",
                    exc_info=error,
                )
            return
        if reply["type"] == "lifespan.startup.failed":
            await self._fail(reply)
        self.supported = True

    async def shutdown(self) -> None:
        """Send ``lifespan.shutdown`` and wait for the answer; no-op without lifespan support.

        Error handling: as :meth:`startup`; in addition an exception the lifespan call raised
        at any point while running is raised here.

        Cancellation: shielded and bounded by the timeout (twice, if the call must be
        cancelled), since this runs on the client's close path.
        """
        if not self.supported:
            return
        self.supported = False
        with trio.CancelScope(shield=True):
            if self._call.done.is_set():
                reply = None
            else:
                self._phase = "shutdown"
                self._to_app_send.send_nowait({"type": "lifespan.shutdown"})
                reply = await self._reply()
            if reply is not None and reply["type"] == "lifespan.shutdown.failed":
                await self._fail(reply)
            self._call.cancel_scope.cancel()
            await self._call.wait(self.timeout)
        error = self._call.take_error()
        if error is not None:
            raise error

    async def _run(self) -> None:
        scope = {
            "type": "lifespan",
            "asgi": {"version": "3.0", "spec_version": "2.0"},
            "state": self.state,
        }
        try:
            await self._call.run(self.app, scope, self._to_app_recv.receive, self._send)
        finally:
            self._from_app_send.close()

    async def _send(self, message: Message) -> None:
        await trio.lowlevel.checkpoint()
        kind = message.get("type")
        expected = _REPLIES.get(self._phase or "", ())
        if kind not in expected:
            raise RuntimeError(
                f"unexpected ASGI message {kind!r} on the lifespan scope; expected one of "
                f"{expected or 'nothing (no lifespan event is pending)'}"
            )
        self._phase = None
        self._from_app_send.send_nowait(dict(message))

    async def _reply(self) -> Message | None:
        """The app's answer to the pending event, or ``None`` if the call ended first."""
        phase = self._phase
        with trio.move_on_after(self.timeout):
            try:
                return await self._from_app_recv.receive()
            except trio.EndOfChannel:
                return None
        self._call.cancel_scope.cancel()
        raise TimeoutError(
            f"the ASGI app did not complete lifespan {phase} within {self.timeout} s"
        )

    async def _fail(self, reply: Message) -> None:
        phase = reply["type"].split(".")[1]
        detail = f"lifespan.{phase}.failed: {reply.get('message', '')!r}"
        self._call.cancel_scope.cancel()
        await self._call.wait(self.timeout)
        error = self._call.take_error()
        if error is None:
            raise RuntimeError(f"ASGI lifespan {phase} failed ({detail})")
        error.add_note(detail)
        raise error
