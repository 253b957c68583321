"""Stores, as Litestar's ``litestar.stores``: :mod:`.base`, :mod:`.memory` and :mod:`.registry`.

A :class:`~trioweb.stores.base.Store` keeps bytes under string keys with an optional expiry;
the app's :class:`~trioweb.stores.registry.StoreRegistry` (``app.stores``) names them, so a
feature asks for ``app.stores.get("sessions")`` and gets a
:class:`~trioweb.stores.memory.MemoryStore` unless the app registered another one.
"""
