"""A guarded fix for hypercorn's trio worker dying when both ends close a socket at once.

The defect (hypercorn 0.18.0 and earlier, trio worker only; asyncio is not affected):
``hypercorn.trio.tcp_server.TCPServer._close`` calls ``stream.send_eof()`` without taking
``TCPServer.send_lock``, the lock every ``send_all`` holds. trio's ``SocketStream.send_eof``
keeps the stream's send-conflict detector across a checkpoint, so a ``send_all`` started by
another task during that checkpoint raises ``trio.BusyResourceError``. ``protocol_send`` only
expects ``BrokenResourceError``/``ClosedResourceError``, so the error escapes; when the task
that hits it is the connection's read loop (answering the client's close frame while the app
task, having closed and returned, is in ``_close``), it propagates through the server nursery
and the whole worker exits: every connection dropped, server down. On loopback a bare ASGI
app that closes as its client closes takes about twenty such closes to die
(``tests/integration/test_websocket_close_race.py`` reproduces it).

The fix: ``_close`` takes ``send_lock`` (without waiting) around ``send_eof``. If the lock is
free, the half-close can no longer overlap a send, so senders queue behind it and then see the
closed socket as ``ClosedResourceError``, which hypercorn already handles. If another task
holds the lock, a send is in flight: the half-close is skipped, exactly as hypercorn does when
its own ``send_eof`` fails with ``BusyResourceError``, and closing the socket ends that send.
The socket is also closed when ``send_eof`` is cancelled (hypercorn would leave it open, the
CLOSE_WAIT symptom of hypercorn#106).

When it applies: on ``import trioweb`` if hypercorn's trio server is already imported (the
``hypercorn --worker-class trio`` workers import it before the app); in ``trioweb run``
before it serves (in every worker), whatever the app is; and, as a last resort, when a
trioweb app receives its lifespan or a WebSocket scope (a script that imports trioweb
before ``hypercorn.trio`` and calls ``serve`` itself). The class attribute is replaced, so
connections already open are covered too.

A structural check keeps it safe across versions: the patch is installed only when
``TCPServer`` still has ``send_lock``, ``protocol_send`` and a ``_close`` that calls
``send_eof`` without mentioning ``send_lock``, so a hypercorn release that fixes the defect
is left alone. Set ``TRIOWEB_PATCH_HYPERCORN=0`` to opt out (of this fix and of the HTTP/2
reset fix in :mod:`trioweb._hypercorn_h2_patch`, which :func:`apply` installs alongside).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, Final, Literal

import trio

from trioweb import _hypercorn_h2_patch

__all__ = (
    "ENV_OPT_OUT",
    "PatchStatus",
    "apply",
    "apply_if_loaded",
    "defect_present",
    "patch_status",
    "unpatched",
)

logger = logging.getLogger("trioweb")

TCP_SERVER_MODULE: Final = "hypercorn.trio.tcp_server"
ENV_OPT_OUT: Final = "TRIOWEB_PATCH_HYPERCORN"
_MARK: Final = "__trioweb_patched__"

CloseFn = Callable[[Any], Coroutine[Any, Any, None]]


class PatchStatus:
    """What :func:`apply` found and did; ``state`` is one of the literals below.

    * ``"patched"``: the fix is installed on ``TCPServer._close``.
    * ``"not-loaded"``: hypercorn's trio server is not imported in this process (yet).
    * ``"not-needed"``: this hypercorn's ``_close`` already serialises with ``send_lock``,
      or the class no longer has the shape the fix is written for.
    * ``"disabled"``: ``TRIOWEB_PATCH_HYPERCORN=0``.
    """

    __slots__ = ("reason", "state")

    def __init__(
        self, state: Literal["patched", "not-loaded", "not-needed", "disabled"], reason: str = ""
    ) -> None:
        # a plain class rather than a dataclass: import time (see trioweb/_routing.py)
        self.state = state
        self.reason = reason

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PatchStatus):
            return NotImplemented
        return (self.state, self.reason) == (other.state, other.reason)

    def __hash__(self) -> int:
        return hash((self.state, self.reason))

    def __repr__(self) -> str:
        return f"PatchStatus(state={self.state!r}, reason={self.reason!r})"

    @property
    def hypercorn_version(self) -> str | None:
        """hypercorn's installed version (None while its trio server is not loaded).

        Looked up on first use: ``importlib.metadata`` costs more to import than the fix.
        """
        return None if self.state == "not-loaded" else _hypercorn_version()


_status: PatchStatus = PatchStatus("not-loaded")
_original_close: CloseFn | None = None


async def _close(self: Any) -> None:
    """``TCPServer._close`` with ``send_eof`` serialised against ``send_all`` (see module doc).

    Cancellation: the socket is closed even if ``send_eof`` is cancelled.
    """
    lock: trio.Lock = self.send_lock
    stream = self.stream
    acquired = False
    try:
        if lock.statistics().owner is trio.lowlevel.current_task():
            may_half_close = True  # this task is the sender; no send is in flight
        else:
            try:
                lock.acquire_nowait()
            except trio.WouldBlock:
                may_half_close = False  # a send is in flight; closing the socket ends it
            else:
                acquired = may_half_close = True
        if may_half_close:
            with contextlib.suppress(
                trio.BrokenResourceError,
                trio.BusyResourceError,
                trio.ClosedResourceError,
                AttributeError,  # an SSL stream has no send_eof
            ):
                await stream.send_eof()
    finally:
        if acquired:
            lock.release()
        await stream.aclose()


setattr(_close, _MARK, True)


@functools.cache
def _hypercorn_version() -> str | None:
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover - stdlib since 3.8
        return None
    try:
        return version("hypercorn")
    except PackageNotFoundError:
        return None


def defect_present(tcp_server_class: type) -> tuple[bool, str]:
    """Whether ``tcp_server_class`` has the unserialised ``send_eof``; and why (or why not).

    Reads the names the methods' code refers to, so it follows hypercorn's source rather
    than its version number.
    """
    close = getattr(tcp_server_class, "_close", None)
    init = getattr(tcp_server_class, "__init__", None)
    protocol_send = getattr(tcp_server_class, "protocol_send", None)
    close_code = getattr(close, "__code__", None)
    init_code = getattr(init, "__code__", None)
    if close_code is None or init_code is None or protocol_send is None:
        return False, "TCPServer no longer has _close/__init__/protocol_send"
    if "send_lock" not in init_code.co_names:
        return False, "TCPServer no longer has a send_lock"
    if "send_eof" not in close_code.co_names:
        return False, "TCPServer._close no longer calls send_eof"
    if "send_lock" in close_code.co_names:
        return False, "TCPServer._close already takes send_lock"
    return True, "TCPServer._close calls send_eof outside send_lock"


def apply(*, force_import: bool = False) -> PatchStatus:
    """Install the fix if hypercorn's trio server is loaded and still has the defect.

    Idempotent and cheap once decided. ``force_import`` imports hypercorn's trio server
    first (tests, and callers that are about to serve anyway).

    Error handling: never raises; anything unexpected leaves hypercorn untouched and is
    reported in the returned status (and logged at debug level).
    """
    global _status, _original_close
    if _status.state in ("patched", "disabled", "not-needed"):
        return _status
    if os.environ.get(ENV_OPT_OUT, "1").strip().lower() in ("0", "false", "no", "off"):
        _status = PatchStatus("disabled", f"{ENV_OPT_OUT} is off")
        return _status
    module = sys.modules.get(TCP_SERVER_MODULE)
    if module is None and force_import:
        try:
            import hypercorn.trio.tcp_server as module
        except ImportError as exc:
            return PatchStatus("not-loaded", f"cannot import {TCP_SERVER_MODULE}: {exc}")
    if module is None:
        return _status
    _hypercorn_h2_patch.apply()  # the HTTP/2 reset fix; see its module
    found = getattr(module, "TCPServer", None)
    if not isinstance(found, type):
        _status = PatchStatus("not-needed", "hypercorn has no trio TCPServer class")
        return _status
    tcp_server: Any = found
    if getattr(tcp_server._close, _MARK, False):
        _status = PatchStatus("patched", "already installed")
        return _status
    present, reason = defect_present(tcp_server)
    if not present:
        _status = PatchStatus("not-needed", reason)
        logger.debug("hypercorn close-race fix not installed: %s", reason)
        return _status
    _original_close = tcp_server._close
    tcp_server._close = _close
    _status = PatchStatus("patched", reason)
    logger.debug("hypercorn close-race fix installed (%s)", reason)
    return _status


def apply_if_loaded() -> None:
    """:func:`apply` if hypercorn's trio server is imported; one dict lookup once decided."""
    if _status.state == "not-loaded" and TCP_SERVER_MODULE in sys.modules:
        apply()


def patch_status() -> PatchStatus:
    """The current :class:`PatchStatus`."""
    return _status


@contextmanager
def unpatched() -> Iterator[type]:
    """Restore hypercorn's own ``TCPServer._close`` for the block (to reproduce the defect).

    Yields the ``TCPServer`` class. Only for tests: the fix is re-installed on exit.
    """
    import hypercorn.trio.tcp_server as module

    apply()
    tcp_server: Any = module.TCPServer
    if _original_close is None:
        yield tcp_server
        return
    tcp_server._close = _original_close
    try:
        yield tcp_server
    finally:
        tcp_server._close = _close
