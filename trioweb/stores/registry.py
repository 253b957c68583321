"""``StoreRegistry``: the app's named stores (``app.stores``), as Litestar's.

``get(name)`` returns the store registered under ``name``, or registers and returns a new one
from ``default_factory`` (a :class:`~trioweb.stores.memory.MemoryStore` by default), so a
feature's store works without configuration and an app replaces it by name.
"""

from __future__ import annotations

from collections.abc import Callable

from trioweb.stores.base import Store
from trioweb.stores.memory import MemoryStore

__all__ = ("StoreRegistry",)


def default_default_factory(name: str) -> Store:
    """A new :class:`MemoryStore`, whatever the name."""
    return MemoryStore()


class StoreRegistry:
    """Stores by name; an unknown name gets a store from ``default_factory``."""

    __slots__ = ("_default_factory", "_stores")

    def __init__(
        self,
        stores: dict[str, Store] | None = None,
        default_factory: Callable[[str], Store] = default_default_factory,
    ) -> None:
        self._stores: dict[str, Store] = stores or {}
        self._default_factory = default_factory

    def register(self, name: str, store: Store, allow_override: bool = False) -> None:
        """Register ``store`` as ``name``.

        Error handling: ``ValueError`` if ``name`` is taken and ``allow_override`` is false.
        """
        if not allow_override and name in self._stores:
            raise ValueError(f"Store with the name {name!r} already exists")
        self._stores[name] = store

    def get(self, name: str) -> Store:
        """The store named ``name``, created by ``default_factory`` on first use."""
        store = self._stores.get(name)
        if store is None:
            store = self._stores[name] = self._default_factory(name)
        return store
