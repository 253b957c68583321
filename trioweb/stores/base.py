"""``Store``: the interface of an asynchronous key/value store with expiry (Litestar's).

Keys are strings, values bytes (a ``str`` value is stored UTF-8 encoded). ``expires_in`` and
``renew_for`` are seconds (an ``int``) or a :class:`~datetime.timedelta`. A store is also an
async context manager, entered for the app's lifetime when it is given in ``TrioWeb(stores=)``.

:class:`StorageObject` is Litestar's envelope for stores that keep serialised bytes (a file,
a database): the data with its wall-clock expiry, as MessagePack.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Self

import msgspec

if TYPE_CHECKING:
    from types import TracebackType

__all__ = ("NamespacedStore", "StorageObject", "Store")


def seconds(value: int | timedelta) -> float:
    """``value`` in seconds."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Store(ABC):
    """An asynchronous key/value store; values may expire."""

    __slots__ = ()

    @abstractmethod
    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        """Store ``value`` under ``key``, replacing what was there; it expires after
        ``expires_in`` seconds (never if ``None``)."""

    @abstractmethod
    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        """The value under ``key``, or ``None`` if there is none or it expired.

        ``renew_for``: a value that was set with an expiry now expires ``renew_for`` seconds
        from now (no effect on a value without one).
        """

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove ``key``; no error if it is not there."""

    @abstractmethod
    async def delete_all(self) -> None:
        """Remove every value."""

    @abstractmethod
    async def exists(self, key: str) -> bool:
        """Whether a value is stored under ``key``."""

    @abstractmethod
    async def expires_in(self, key: str) -> int | None:
        """Whole seconds until ``key`` expires; ``None`` if it is not there or never expires."""

    async def __aenter__(self) -> None:  # noqa: B027 - a store needs no set-up by default
        pass

    async def __aexit__(  # noqa: B027
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        pass


class NamespacedStore(Store):
    """A store with child namespaces: ``delete_all`` on a parent clears its children too."""

    __slots__ = ("namespace",)

    @abstractmethod
    def with_namespace(self, namespace: str) -> Self:
        """A store for the child ``namespace`` of this one."""


class StorageObject(msgspec.Struct):
    """Serialised data with its expiry time (UTC), for stores that keep bytes."""

    expires_at: datetime | None
    data: bytes

    @classmethod
    def new(cls, data: bytes, expires_in: int | timedelta | None) -> StorageObject:
        """``data`` expiring ``expires_in`` seconds from now (never if ``None`` or 0)."""
        if isinstance(expires_in, int):
            expires_in = timedelta(seconds=expires_in)
        expires_at = datetime.now(tz=UTC) + expires_in if expires_in else None
        return cls(expires_at=expires_at, data=data)

    @property
    def expired(self) -> bool:
        """Whether the expiry time has passed."""
        return self.expires_at is not None and datetime.now(tz=UTC) >= self.expires_at

    @property
    def expires_in(self) -> int:
        """Whole seconds until expiry; ``-1`` if it never expires."""
        if self.expires_at is None:
            return -1
        return int(self.expires_at.timestamp() - datetime.now(tz=UTC).timestamp())

    def to_bytes(self) -> bytes:
        """The object as MessagePack."""
        return msgspec.msgpack.encode(self)

    @classmethod
    def from_bytes(cls, raw: bytes) -> StorageObject:
        """The object :meth:`to_bytes` encoded."""
        return msgspec.msgpack.decode(raw, type=cls)
