"""The ASGI lifespan: startup hooks, lifespan managers and the app nursery.

Order: ``lifespan`` managers are entered, then the app nursery opens (``app.nursery``),
then ``on_startup`` hooks run. At shutdown ``on_shutdown`` hooks run (shielded), the app
nursery's tasks get ``app.shutdown_timeout`` seconds to finish and are then cancelled, and
only then are the lifespan managers exited, so app-lifetime tasks never outlive the
resources they use.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING

import trio

from trioweb import _hypercorn_patch
from trioweb._error_responses import call_hook
from trioweb._lifecycle import unwrap_group
from trioweb.types import Receive, Scope, Send

if TYPE_CHECKING:
    from trioweb.app import TrioWeb

__all__ = ("lifespan_context", "run_lifespan")

logger = logging.getLogger("trioweb")


@asynccontextmanager
async def lifespan_context(app: TrioWeb) -> AsyncIterator[None]:
    """Run startup hooks and lifespan managers; open the app nursery; undo it all on exit."""
    async with AsyncExitStack() as stack:
        for manager in app.lifespan:
            cm = (
                manager(app)
                if callable(manager) and not isinstance(manager, AbstractAsyncContextManager)
                else manager
            )
            if callable(cm) and not isinstance(cm, AbstractAsyncContextManager):
                cm = cm()
            await stack.enter_async_context(cm)
        stack.callback(setattr, app, "nursery", None)
        nursery = await stack.enter_async_context(trio.open_nursery())
        app.nursery = nursery
        for hook in app.on_startup:
            await call_hook(hook, app)
        try:
            yield
        finally:
            with trio.CancelScope(shield=True):
                for hook in app.on_shutdown:
                    try:
                        await call_hook(hook, app)
                    except Exception:
                        logger.exception("on_shutdown hook raised")
            # the nursery is exited next (before the managers): its tasks get this long
            nursery.cancel_scope.deadline = trio.current_time() + app.shutdown_timeout


async def run_lifespan(app: TrioWeb, scope: Scope, receive: Receive, send: Send) -> None:
    """Answer the ASGI lifespan protocol around :func:`lifespan_context`."""
    _hypercorn_patch.apply_if_loaded()  # `trioweb run` imports hypercorn after trioweb
    message = await receive()
    if message["type"] != "lifespan.startup":
        return
    started = False
    try:
        async with lifespan_context(app):
            if "state" in scope:
                scope["state"].update(
                    app.state.dict() if hasattr(app.state, "dict") else dict(app.state)
                )
            await send({"type": "lifespan.startup.complete"})
            started = True
            while (await receive())["type"] != "lifespan.shutdown":
                pass
    except BaseException as exc:
        error = unwrap_group(exc)
        if isinstance(error, trio.Cancelled):
            raise
        logger.exception("error during %s", "shutdown" if started else "startup", exc_info=error)
        failed = "lifespan.shutdown.failed" if started else "lifespan.startup.failed"
        await send({"type": failed, "message": f"{type(error).__name__}: {error}"})
        return
    await send({"type": "lifespan.shutdown.complete"})
