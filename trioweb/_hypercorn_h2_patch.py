"""A guarded fix for hypercorn leaving an HTTP/2 stream open when the app ends mid-body.

The defect (hypercorn 0.18.0 and earlier, every worker): when an ASGI call returns (or
raises) after ``http.response.start`` but before the final ``http.response.body``, HTTP/1.1
closes the connection, so the client sees an incomplete body. Over HTTP/2 hypercorn only
forgets the stream (``H2Protocol._close_stream``): it sends neither ``END_STREAM`` nor
``RST_STREAM``, so the client waits for the rest of the body until its own timeout, and an
``EventSource`` never reconnects. trioweb aborts a stream whose iterator raised exactly this
way (DESIGN.md: "errors inside a stream after headers went out abort the stream"), and a
stream cancelled at shutdown ends the same way.

The fix: before hypercorn forgets a stream whose response never ended (its send buffer was
never marked complete, so no ``END_STREAM`` is coming) and which the client has not closed,
let the data already sent go out (within :data:`RESET_GRACE`), then reset the stream with
``INTERNAL_ERROR`` (RFC 9113 §5.4.2: a stream error), as HTTP/1.1's closed connection does
for its one response. Other streams of the connection are unaffected. Only under trio
(trioweb's worker); hypercorn's asyncio worker is left alone.

When it applies: together with the close-race fix in :mod:`trioweb._hypercorn_patch`, which
calls :func:`apply` (and shares its ``TRIOWEB_PATCH_HYPERCORN=0`` opt-out). A structural
check keeps it safe across versions: it is installed only when ``H2Protocol`` still has
``_close_stream`` (not mentioning ``reset_stream``), ``stream_buffers``, ``connection`` and a
``StreamBuffer`` with its ``_complete`` flag.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any, Final, Literal

import trio

__all__ = ("H2_MODULE", "apply", "defect_present", "status")

logger = logging.getLogger("trioweb")

H2_MODULE: Final = "hypercorn.protocol.h2"
_MARK: Final = "__trioweb_patched__"

CloseStream = Callable[[Any, int], Coroutine[Any, Any, None]]
State = Literal["patched", "not-loaded", "not-needed"]

RESET_GRACE: Final = 1.0
"""Seconds the data sent before the app ended may take to go out before the reset."""

_state: State = "not-loaded"
_original: CloseStream | None = None


def _unended(protocol: Any, stream_id: int) -> bool:
    """Whether the response on ``stream_id`` never ended and the client still waits for it."""
    if protocol.closed:
        return False
    buffer = protocol.stream_buffers.get(stream_id)
    if buffer is None or buffer._complete:
        return False  # ended (END_STREAM is on its way), or already torn down
    h2_stream = protocol.connection.streams.get(stream_id)
    return h2_stream is not None and not h2_stream.closed


async def _reset(protocol: Any, stream_id: int) -> None:
    """Send what the app sent before it ended, then ``RST_STREAM`` (``INTERNAL_ERROR``).

    Cancellation: shielded and bounded by :data:`RESET_GRACE`, since hypercorn calls this
    from the app task's ``finally``, cancelled at shutdown. A client that does not read
    (flow control) gets the reset once the grace is over.
    """
    import h2.errors
    import h2.exceptions

    buffer = protocol.stream_buffers[stream_id]
    with trio.move_on_after(RESET_GRACE, shield=True):
        if buffer.buffer:
            await buffer.drain()  # the send task empties it
        with contextlib.suppress(h2.exceptions.ProtocolError, h2.exceptions.StreamClosedError):
            protocol.connection.reset_stream(
                stream_id, error_code=h2.errors.ErrorCodes.INTERNAL_ERROR
            )
            await protocol._flush()
    # hypercorn's send task tears the buffer down: ending a reset stream fails, and its
    # handler for that closes the buffer and forgets the stream
    buffer.set_complete()
    protocol.priority.unblock(stream_id)
    await protocol.has_data.set()


async def _close_stream(self: Any, stream_id: int) -> None:
    """``H2Protocol._close_stream`` that resets a stream whose response never ended."""
    assert _original is not None
    try:
        if _in_trio() and _unended(self, stream_id):
            await _reset(self, stream_id)
    finally:
        await _original(self, stream_id)


def _in_trio() -> bool:
    try:
        trio.lowlevel.current_task()
    except RuntimeError:
        return False  # hypercorn's asyncio worker: left as it is
    return True


setattr(_close_stream, _MARK, True)


def defect_present(protocol_class: type, buffer_class: type) -> tuple[bool, str]:
    """Whether ``protocol_class`` forgets unended streams; and why (or why not)."""
    close = getattr(protocol_class, "_close_stream", None)
    init = getattr(protocol_class, "__init__", None)
    buffer_init = getattr(buffer_class, "__init__", None)
    codes = [getattr(fn, "__code__", None) for fn in (close, init, buffer_init)]
    if None in codes or not hasattr(protocol_class, "_flush"):
        return False, "H2Protocol no longer has _close_stream/__init__/_flush"
    close_code, init_code, buffer_code = codes
    assert close_code is not None and init_code is not None and buffer_code is not None
    if not {"stream_buffers", "connection", "priority"} <= set(init_code.co_names):
        return False, "H2Protocol no longer keeps stream_buffers/connection/priority"
    if "_complete" not in buffer_code.co_names:
        return False, "StreamBuffer no longer has a _complete flag"
    if "reset_stream" in close_code.co_names:
        return False, "H2Protocol._close_stream already resets streams"
    return True, "H2Protocol._close_stream forgets a stream without ending or resetting it"


def apply() -> State:
    """Install the fix if hypercorn's HTTP/2 protocol is loaded and still has the defect.

    Error handling: never raises; a shape it does not recognise leaves hypercorn untouched.
    """
    global _state, _original
    if _state != "not-loaded":
        return _state
    module = sys.modules.get(H2_MODULE)
    if module is None:
        return _state
    found, buffer = getattr(module, "H2Protocol", None), getattr(module, "StreamBuffer", None)
    if not isinstance(found, type) or not isinstance(buffer, type):
        _state = "not-needed"
        return _state
    protocol: Any = found
    if getattr(protocol._close_stream, _MARK, False):
        _state = "patched"
        return _state
    present, reason = defect_present(protocol, buffer)
    if not present:
        _state = "not-needed"
        logger.debug("hypercorn HTTP/2 reset fix not installed: %s", reason)
        return _state
    _original = protocol._close_stream
    protocol._close_stream = _close_stream
    _state = "patched"
    logger.debug("hypercorn HTTP/2 reset fix installed (%s)", reason)
    return _state


def status() -> State:
    """``"patched"``, ``"not-loaded"`` (hypercorn's HTTP/2 code not imported yet) or
    ``"not-needed"`` (this hypercorn does not have the defect's shape)."""
    return _state
