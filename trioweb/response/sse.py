"""``ServerSentEvent``: a ``text/event-stream`` response, and ``ServerSentEventMessage``.

Wire format (Litestar's, byte for byte; WHATWG HTML "Server-sent events"). One message is::

    : <comment line>        one per line of ``comment``
    id: <id>                CR and LF removed
    event: <event>          CR and LF removed
    data: <payload line>    one per line of ``data``, split on CRLF, CR or LF
    retry: <retry>
    <blank line>            ends the event

each line ended by ``sep`` (``"\\r\\n"`` unless the message says otherwise). Invariant: no
value can add a field or an event. Payload and comment lines are split and each gets its own
prefix; line breaks are removed from ``id``, ``event`` and ``retry``; ``sep`` must be a line
break.

What the content yields becomes:

* a :class:`ServerSentEventMessage`: its own encoding;
* a ``dict``: ``ServerSentEventMessage(**item)`` with the default separator;
* anything else (``str``, ``bytes`` as UTF-8, ``int``, ...): a message whose ``data`` is the
  item, with the response's ``event_type``, ``event_id`` and ``retry_duration``.

The response-level fields are also sent once, up front, right after the headers, as Litestar
does: ``comment_message`` lines, then ``id:``, ``event:`` and ``retry:`` lines, with *no*
blank line after them. So they merge into the first event, exactly as they do in Litestar,
and ``retry`` takes effect at once. We keep this quirk for byte-for-byte compatibility, but
send it as one chunk (Litestar sends each line separately, each through a worker thread)
and strip line breaks from the values (Litestar does not, which lets them inject fields).

Keep-alive: a ping, the comment line ``: ping``, is sent whenever nothing was sent for
``ping_interval`` seconds (15 by default; ``None`` turns it off). The receive relay, which
waits for the disconnect anyway, wakes when a ping is due and starts a task for that one
send (an idle stream holds no ping task); sends are serialised, so a ping never lands
inside an event, and none follows the end of the response. It is
one comment line, with no blank line after it (Litestar 3's opt-in ping adds one): a blank
line would end the unterminated up-front block early, and httpx-sse (0.4) turns a blank
line into an empty event once an ``id`` has been seen.

No ``Connection`` header is sent (Litestar sends ``Connection: keep-alive``, which HTTP/2
forbids); ``Cache-Control: no-cache`` (unless set) and ``X-Accel-Buffering: no`` are. The
charset is always UTF-8, the only encoding of an event stream (Litestar labels the UTF-8
body with whatever ``encoding`` it was given).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from trioweb._lifecycle import StreamPolicy
from trioweb.enums import MediaType
from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.response.streaming import ASGIStreamingResponse, Stream

if TYPE_CHECKING:
    from trioweb.app import TrioWeb
    from trioweb.background_tasks import BackgroundTask, BackgroundTasks
    from trioweb.connection import Request
    from trioweb.datastructures import Cookie
    from trioweb.response.base import ASGIResponse
    from trioweb.types import ResponseCookies, ResponseHeaders, SSEData, StreamType

__all__ = (
    "DEFAULT_PING_INTERVAL",
    "DEFAULT_SEPARATOR",
    "PING",
    "ASGIStreamingSSEResponse",
    "ServerSentEvent",
    "ServerSentEventMessage",
)

DEFAULT_SEPARATOR: Final = "\r\n"
DEFAULT_PING_INTERVAL: Final = 15.0
"""Seconds of silence after which a keep-alive ping is sent."""
PING: Final = b": ping\r\n"
"""The keep-alive ping: one comment line (see the module docstring for why no blank line)."""

_LINE_BREAK: Final = re.compile(r"\r\n|\r|\n")
_SEPARATORS: Final = frozenset({"\r\n", "\n", "\r"})


def _one_line(value: object) -> str:
    return _LINE_BREAK.sub("", str(value))


@dataclass(frozen=True, slots=True)
class ServerSentEventMessage:
    """One server-sent event; ``encode()`` gives its wire bytes.

    ``data=None`` sends no ``data:`` line (a block that sets only ``id``/``retry``, or a
    comment); ``data=""`` sends one empty ``data:`` line, which is still an event.
    """

    data: str | int | bytes | None = ""
    event: str | None = None
    id: int | str | None = None
    retry: int | None = None
    comment: str | None = None
    sep: str = DEFAULT_SEPARATOR

    def __post_init__(self) -> None:
        if self.sep not in _SEPARATORS:
            raise ValueError(f"sep must be '\\r\\n', '\\n' or '\\r', not {self.sep!r}")

    def encode(self) -> bytes:
        """The event's bytes, UTF-8, ending in a blank line."""
        sep = self.sep
        lines: list[str] = []
        if self.comment is not None:
            lines.extend(f": {line}" for line in _LINE_BREAK.split(str(self.comment)))
        if self.id is not None:
            lines.append(f"id: {_one_line(self.id)}")
        if self.event is not None:
            lines.append(f"event: {_one_line(self.event)}")
        if self.data is not None:
            data = self.data
            text = data.decode() if isinstance(data, bytes) else str(data)
            lines.extend(f"data: {line}" for line in _LINE_BREAK.split(text))
        if self.retry is not None:
            lines.append(f"retry: {_one_line(self.retry)}")
        lines.append("")
        return (sep.join(lines) + sep).encode()


def _prelude(
    event_type: str | None,
    event_id: int | str | None,
    retry_duration: int | None,
    comment_message: str | None,
) -> bytes:
    lines: list[str] = []
    if comment_message is not None:
        lines.extend(f": {line}" for line in _LINE_BREAK.split(comment_message))
    if event_id is not None:
        lines.append(f"id: {_one_line(event_id)}")
    if event_type is not None:
        lines.append(f"event: {_one_line(event_type)}")
    if retry_duration is not None:
        lines.append(f"retry: {_one_line(retry_duration)}")
    return "".join(line + DEFAULT_SEPARATOR for line in lines).encode()


class _EventEncoder:
    """Turns one yielded item into its event bytes (runs in the sending task)."""

    __slots__ = ("event_id", "event_type", "retry_duration")

    def __init__(
        self, event_type: str | None, event_id: int | str | None, retry_duration: int | None
    ) -> None:
        self.event_type = event_type
        self.event_id = event_id
        self.retry_duration = retry_duration

    def __call__(self, item: Any) -> bytes:
        if isinstance(item, ServerSentEventMessage):
            return item.encode()
        if isinstance(item, Mapping):
            return ServerSentEventMessage(**{**item, "sep": DEFAULT_SEPARATOR}).encode()
        return ServerSentEventMessage(
            data=item, id=self.event_id, event=self.event_type, retry=self.retry_duration
        ).encode()


def _event_source(content: Any) -> AsyncIterable[Any] | Iterable[Any]:
    if callable(content) and not isinstance(content, AsyncIterable | Iterable):
        content = content()
    if isinstance(content, str | bytes):
        return (content,)
    if isinstance(content, AsyncIterable | Iterable):
        return content
    raise ImproperlyConfiguredException(f"Invalid type {type(content)} for ServerSentEvent")


class ASGIStreamingSSEResponse(ASGIStreamingResponse):
    """The low-level event stream: a streaming response with a prelude and pings."""

    __slots__ = ("ping_interval",)

    def __init__(
        self,
        *,
        ping_interval: float | None = DEFAULT_PING_INTERVAL,
        prelude: bytes = b"",
        **kwargs: Any,
    ) -> None:
        super().__init__(
            policy=StreamPolicy(ping_interval=ping_interval, ping=PING) if ping_interval else None,
            **kwargs,
        )
        self.ping_interval = ping_interval
        self.prelude = prelude


class ServerSentEvent(Stream):
    """A ``text/event-stream`` response; see the module docstring for the wire format.

    Cancellation: as for :class:`~trioweb.response.Stream`. A disconnect cancels the stream
    and any ping being sent, and closes the content iterator, so its ``finally`` runs.
    """

    __slots__ = ("event_encoder", "ping_interval", "prelude")

    def __init__(
        self,
        content: str | bytes | StreamType[SSEData] | Callable[[], Any],
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: ResponseHeaders | None = None,
        event_type: str | None = None,
        event_id: int | str | None = None,
        retry_duration: int | None = None,
        comment_message: str | None = None,
        status_code: int | None = None,
        ping_interval: float | None = DEFAULT_PING_INTERVAL,
    ) -> None:
        """Build the response.

        ``content``: a str or bytes (one event), a sync or async iterable of items, or a
        callable returning one of those. ``event_type``/``event_id``/``retry_duration``
        apply to every item that is not a message or a dict, and are sent up front;
        ``comment_message`` only up front. ``ping_interval``: seconds of silence before a
        keep-alive ping; ``None`` disables pings. ``encoding`` is accepted for Litestar's
        signature, but an event stream is always UTF-8 (WHATWG HTML; ``EventSource``
        ignores any other charset), so the body and the ``Content-Type`` say UTF-8.
        """
        if ping_interval is not None and ping_interval <= 0:
            raise ImproperlyConfiguredException("ping_interval must be positive or None")
        super().__init__(
            _event_source(content),
            background=background,
            cookies=cookies,
            encoding="utf-8",  # an event stream is UTF-8, whatever ``encoding`` says
            headers=headers,
            media_type="text/event-stream",
            status_code=status_code,
        )
        self.ping_interval = ping_interval
        self.event_encoder = _EventEncoder(event_type, event_id, retry_duration)
        self.prelude = _prelude(event_type, event_id, retry_duration, comment_message)
        names = {name.lower(): name for name in self.headers}
        if "cache-control" not in names:
            self.headers["Cache-Control"] = "no-cache"
        if "x-accel-buffering" in names:
            del self.headers[names["x-accel-buffering"]]
        self.headers["X-Accel-Buffering"] = "no"

    def to_asgi_response(
        self,
        app: TrioWeb | None = None,
        request: Request[Any, Any, Any] | None = None,
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoded_headers: Iterable[tuple[bytes, bytes]] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        type_encoders: Mapping[Any, Any] | None = None,
    ) -> ASGIResponse:
        """Create an :class:`ASGIStreamingSSEResponse`; this response's settings win."""
        merged_headers, merged_cookies, _ = self._merged(headers, cookies, type_encoders)
        return ASGIStreamingSSEResponse(
            ping_interval=self.ping_interval,
            prelude=self.prelude,
            iterator=self.iterator,
            encode=self.event_encoder,
            background=self.background or background,
            cookies=merged_cookies,
            encoded_headers=encoded_headers,
            encoding=self.encoding,
            headers=merged_headers,
            is_head_response=is_head_response,
            media_type=self.media_type,
            status_code=self.status_code or status_code,
        )
