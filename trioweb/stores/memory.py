"""``MemoryStore``: a store in a dict of this process (Litestar's).

Expiry is measured on :func:`time.monotonic` (a wall-clock change moves nothing) and checked
on access: an expired value is dropped when it is read, and :meth:`MemoryStore.delete_expired`
sweeps the rest. There is no background task; call ``delete_expired`` from an app-lifetime
task if many sessions are abandoned (each costs memory until read or swept).

Concurrency: every operation runs without awaiting in between, so on trio's single thread it
is atomic and needs no lock.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import trio

from trioweb.stores.base import Store, seconds

if TYPE_CHECKING:
    from datetime import timedelta

__all__ = ("MemoryStore",)

#: The clock expiry is measured on (a module attribute, so a test can move time).
_now = time.monotonic


class MemoryStore(Store):
    """An in-process key/value store; values expire when read after their time."""

    __slots__ = ("_store",)

    def __init__(self) -> None:
        # key -> (value, monotonic expiry time or None)
        self._store: dict[str, tuple[bytes, float | None]] = {}

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        """Store ``value`` under ``key``; it expires after ``expires_in`` seconds."""
        if isinstance(value, str):
            value = value.encode("utf-8")
        expires_at = _now() + seconds(expires_in) if expires_in else None
        self._store[key] = (value, expires_at)

    def _live(self, key: str) -> tuple[bytes, float | None] | None:
        entry = self._store.get(key)
        if entry is not None and entry[1] is not None and _now() >= entry[1]:
            del self._store[key]
            return None
        return entry

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        """The value under ``key`` unless it expired; ``renew_for`` restarts its expiry."""
        entry = self._live(key)
        if entry is None:
            return None
        value, expires_at = entry
        if renew_for and expires_at is not None:
            self._store[key] = (value, _now() + seconds(renew_for))
        return value

    async def delete(self, key: str) -> None:
        """Remove ``key`` (no error if absent)."""
        self._store.pop(key, None)

    async def delete_all(self) -> None:
        """Remove every value."""
        self._store.clear()

    async def delete_expired(self) -> None:
        """Drop every expired value, yielding to other tasks every 1000 entries."""
        now = _now()
        for index, key in enumerate(list(self._store)):
            entry = self._store.get(key)
            if entry is not None and entry[1] is not None and now >= entry[1]:
                del self._store[key]
            if index % 1000 == 999:
                await trio.lowlevel.checkpoint()

    async def exists(self, key: str) -> bool:
        """Whether an unexpired value is stored under ``key``."""
        return self._live(key) is not None

    async def expires_in(self, key: str) -> int | None:
        """Whole seconds until ``key`` expires; ``None`` if absent or without expiry."""
        entry = self._live(key)
        if entry is None or entry[1] is None:
            return None
        return int(entry[1] - _now())
