"""Dependency injection: ``Provide``."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

__all__ = ("Provide",)


class Provide:
    """A dependency provider: a callable (sync, async, generator or async generator).

    ``use_cache``: compute the value once and reuse it for every request.
    ``sync_to_thread``: run a sync provider in a worker thread (default: inline, as
    Litestar warns otherwise; set True for blocking providers).
    """

    __slots__ = (
        "dependency",
        "has_async_generator_dependency",
        "has_sync_generator_dependency",
        "is_async",
        "sync_to_thread",
        "use_cache",
        "value",
    )

    def __init__(
        self,
        dependency: Callable[..., Any] | type[Any],
        use_cache: bool = False,
        sync_to_thread: bool | None = None,
    ) -> None:
        if not callable(dependency):
            raise TypeError("Provide expects a callable")
        self.dependency = dependency
        self.use_cache = use_cache
        self.sync_to_thread = bool(sync_to_thread)
        self.has_sync_generator_dependency = inspect.isgeneratorfunction(dependency)
        self.has_async_generator_dependency = inspect.isasyncgenfunction(dependency)
        self.is_async = inspect.iscoroutinefunction(dependency)
        self.value: Any = _UNSET

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Provide) and other.dependency == self.dependency

    def __hash__(self) -> int:
        return hash(self.dependency)

    def __repr__(self) -> str:
        return f"Provide({getattr(self.dependency, '__name__', self.dependency)!r})"


class _Unset:
    __slots__ = ()


_UNSET: Any = _Unset()
