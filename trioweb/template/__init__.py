"""Templating, mirroring ``litestar.template``.

``TemplateConfig`` on the app picks the engine; handlers return
``trioweb.response.Template``. ``JinjaTemplateEngine`` (the ``templates`` extra, jinja2) is
importable from here and from ``trioweb.contrib.jinja``; it is loaded on first use so that
importing this package does not need jinja2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from trioweb.template.base import (
    TemplateCallableType,
    TemplateEngineProtocol,
    TemplateProtocol,
    csrf_token,
    url_for,
    url_for_static_asset,
)
from trioweb.template.config import TemplateConfig

if TYPE_CHECKING:
    from trioweb.contrib.jinja import JinjaTemplateEngine

__all__ = (
    "JinjaTemplateEngine",
    "TemplateCallableType",
    "TemplateConfig",
    "TemplateEngineProtocol",
    "TemplateProtocol",
    "csrf_token",
    "url_for",
    "url_for_static_asset",
)


def __getattr__(name: str) -> Any:
    if name == "JinjaTemplateEngine":
        from trioweb.contrib.jinja import JinjaTemplateEngine

        return JinjaTemplateEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
