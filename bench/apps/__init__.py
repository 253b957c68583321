"""The contestants: the same endpoints served by a bare ASGI callable and by each framework.

Apps are imported by name, lazily, so that the main test environment (which has no peers
installed) can still load ``bare`` and ``trioweb``.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

__all__ = ("CONTESTANTS", "LABELS", "load_app", "load_module")

CONTESTANTS: tuple[str, ...] = ("bare", "trioweb", "starlette", "litestar", "quart_trio")
LABELS: dict[str, str] = {
    "bare": "bare ASGI",
    "trioweb": "trioweb",
    "starlette": "Starlette",
    "litestar": "Litestar",
    "quart_trio": "Quart-Trio",
}
_MODULES: dict[str, str] = {
    "bare": "bench.apps.bare",
    "trioweb": "bench.apps.trioweb_app",
    "starlette": "bench.apps.starlette_app",
    "litestar": "bench.apps.litestar_app",
    "quart_trio": "bench.apps.quart_trio_app",
}


def load_module(name: str) -> ModuleType:
    """The module of contestant ``name`` (``ImportError`` when its framework is missing)."""
    return importlib.import_module(_MODULES[name])


def load_app(name: str) -> Any:
    """The ASGI callable of contestant ``name``."""
    return load_module(name).app
