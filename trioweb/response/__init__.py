"""Response types: Response, Stream, ServerSentEvent, File, Redirect and Template."""

from trioweb.response.base import ASGIResponse, Response
from trioweb.response.redirect import ASGIRedirectResponse, Redirect
from trioweb.response.sse import ServerSentEvent, ServerSentEventMessage
from trioweb.response.streaming import ASGIStreamingResponse, Stream

__all__ = (
    "ASGIRedirectResponse",
    "ASGIResponse",
    "ASGIStreamingResponse",
    "Redirect",
    "Response",
    "ServerSentEvent",
    "ServerSentEventMessage",
    "Stream",
)
