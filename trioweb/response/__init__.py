"""Response types: Response, Stream, ServerSentEvent, File, Redirect and Template.

``Response`` and ``Stream`` are imported with the package; the others (and what they need:
MIME types, HTTP dates, ranges, templates) on first use, so ``import trioweb`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

from trioweb.response.base import ASGIResponse, Response
from trioweb.response.streaming import ASGIStreamingResponse, Stream

if TYPE_CHECKING:
    from trioweb.response.file import ASGIFileResponse, File
    from trioweb.response.redirect import ASGIRedirectResponse, Redirect
    from trioweb.response.sse import ServerSentEvent, ServerSentEventMessage
    from trioweb.response.template import Template

__all__ = (
    "ASGIFileResponse",
    "ASGIRedirectResponse",
    "ASGIResponse",
    "ASGIStreamingResponse",
    "File",
    "Redirect",
    "Response",
    "ServerSentEvent",
    "ServerSentEventMessage",
    "Stream",
    "Template",
)

_LAZY: Final = {
    "ASGIFileResponse": "file",
    "File": "file",
    "ASGIRedirectResponse": "redirect",
    "Redirect": "redirect",
    "ServerSentEvent": "sse",
    "ServerSentEventMessage": "sse",
    "Template": "template",
}


def __getattr__(name: str) -> Any:
    submodule = _LAZY.get(name)
    if submodule is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
