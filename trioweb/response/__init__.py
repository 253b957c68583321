"""Response types: Response, Stream, ServerSentEvent, File, Redirect and Template."""

from trioweb.response.base import ASGIResponse, Response
from trioweb.response.file import ASGIFileResponse, File
from trioweb.response.redirect import ASGIRedirectResponse, Redirect
from trioweb.response.sse import ServerSentEvent, ServerSentEventMessage
from trioweb.response.streaming import ASGIStreamingResponse, Stream
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
