"""Read server-sent events from a streamed test response.

::

    async with client.stream("GET", "/events") as response:
        async for event in aiter_sse(response):
            assert event.event == "tick"
            assert event.json() == {"n": 1}
            break  # leaving the block sends the app http.disconnect

    with sync_client.stream("GET", "/events") as response:
        for event in iter_sse(response): ...

Parsing follows the HTML standard's event-stream interpretation (WHATWG HTML, "Server-sent
events", "Interpreting an event stream"):

* lines end in CRLF, LF or CR, also when a CRLF pair is split across chunks; a leading BOM
  is dropped; the input is UTF-8 (invalid bytes become U+FFFD). Only those three sequences end
  a line: U+2028, form feeds and the like stay in the data (``str.splitlines`` and httpx's
  ``aiter_lines`` would split on them);
* ``data:`` lines are joined with ``\\n``; a blank line dispatches the event, and a block
  without ``data`` dispatches nothing (its ``id``/``retry`` still apply);
* one space after the colon is removed; a line without a colon is a field with an empty value;
  unknown fields are ignored; ``retry`` must be ASCII digits; an ``id`` containing NUL is
  ignored;
* :attr:`SSEEvent.id` is the *last event ID*, which carries over to later events, as
  ``EventSource.lastEventId`` does;
* an incomplete event at the end of the stream is discarded.

:func:`aiter_sse` is a plain async iterator, not an async generator, so a test may stop early
(see :mod:`trioweb.testing.streaming`).

Comments (``: ping``) are kept in :attr:`SSEEvent.comments`. A block holding only comments
(a keep-alive ping) is not an event, so it is yielded only with ``include_comments=True``,
as an :class:`SSEEvent` whose ``event`` is ``""``.
"""

from __future__ import annotations

import codecs
import re
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trioweb.serialization import decode_json
from trioweb.testing.streaming import aiter_chunks

if TYPE_CHECKING:
    import httpx

__all__ = ("SSEDecoder", "SSEEvent", "aiter_sse", "iter_sse")

_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched server-sent event (or, on request, one comment-only block)."""

    event: str = "message"
    """The event type; ``"message"`` when the block had no ``event:`` field."""
    data: str = ""
    """The ``data:`` lines joined with ``\\n``."""
    id: str = ""
    """The last event ID seen so far in the stream (it persists across events)."""
    retry: int | None = None
    """The ``retry:`` value given in this block, in milliseconds."""
    comments: tuple[str, ...] = ()
    """The comment lines of this block, without the leading ``:`` and one space."""

    def json(self) -> Any:
        """:attr:`data` decoded as JSON."""
        return decode_json(self.data)


class SSEDecoder:
    """Incremental, sans-IO parser: feed it bytes, get the events they complete."""

    def __init__(self, *, include_comments: bool = False) -> None:
        self.include_comments = include_comments
        self._text = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._at_start = True
        self._partial = ""  # the current, unterminated line
        self._skip_lf = False  # the last chunk ended in CR: a LF opening the next one belongs to it
        self._last_id = ""
        self._reset()

    def _reset(self) -> None:
        self._event = ""
        self._data: list[str] = []
        self._retry: int | None = None
        self._comments: list[str] = []

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """Parse ``chunk``; return the events it completes, in order."""
        text = self._text.decode(chunk)
        if self._at_start and text:
            self._at_start = False
            text = text.removeprefix("\ufeff")
        if self._skip_lf and text:
            self._skip_lf = False
            text = text.removeprefix("\n")
        events: list[SSEEvent] = []
        position = 0
        for match in _LINE_END.finditer(text):
            line = self._partial + text[position : match.start()]
            self._partial = ""
            position = match.end()
            if (event := self._line(line)) is not None:
                events.append(event)
        if text.endswith("\r"):
            self._skip_lf = True
        self._partial += text[position:]
        return events

    def _line(self, line: str) -> SSEEvent | None:
        if not line:
            return self._dispatch()
        name, colon, value = line.partition(":")
        if colon:
            value = value.removeprefix(" ")
        if not name:
            self._comments.append(value)
        elif name == "event":
            self._event = value
        elif name == "data":
            self._data.append(value)
        elif name == "id":
            if "\0" not in value:
                self._last_id = value
        elif name == "retry" and value.isascii() and value.isdigit():
            self._retry = int(value)
        return None

    def _dispatch(self) -> SSEEvent | None:
        event: SSEEvent | None = None
        if self._data:
            event = SSEEvent(
                event=self._event or "message",
                data="\n".join(self._data),
                id=self._last_id,
                retry=self._retry,
                comments=tuple(self._comments),
            )
        elif self._comments and self.include_comments:
            event = SSEEvent(
                event="", id=self._last_id, retry=self._retry, comments=tuple(self._comments)
            )
        self._reset()
        return event


def _check_event_stream(response: httpx.Response) -> None:
    media_type = response.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "text/event-stream":
        raise ValueError(
            f"expected a text/event-stream response, got {media_type or 'no content-type'!r} "
            f"(HTTP {response.status_code})"
        )


class _Events:
    """Events from a chunk iterator; a plain async iterator, so stopping early is clean."""

    __slots__ = ("_chunks", "_decoder", "_ready")

    def __init__(self, chunks: AsyncIterator[bytes], decoder: SSEDecoder) -> None:
        self._chunks = chunks
        self._decoder = decoder
        self._ready: deque[SSEEvent] = deque()

    def __aiter__(self) -> _Events:
        return self

    async def __anext__(self) -> SSEEvent:
        while not self._ready:
            self._ready.extend(self._decoder.feed(await self._chunks.__anext__()))
        return self._ready.popleft()


def aiter_sse(
    response: httpx.Response, *, include_comments: bool = False
) -> AsyncIterator[SSEEvent]:
    """Iterate the events of a streamed ``text/event-stream`` response as they arrive.

    Not an async generator (see :mod:`trioweb.testing.streaming`), so a test can ``break``
    out of the loop under ``filterwarnings = error``.

    Error handling: raises :class:`ValueError` if the response is not an event stream.
    """
    _check_event_stream(response)
    return _Events(aiter_chunks(response), SSEDecoder(include_comments=include_comments))


def iter_sse(response: httpx.Response, *, include_comments: bool = False) -> Iterator[SSEEvent]:
    """The synchronous form of :func:`aiter_sse`, for the synchronous ``TestClient``."""
    _check_event_stream(response)
    decoder = SSEDecoder(include_comments=include_comments)
    for chunk in response.iter_bytes():
        yield from decoder.feed(chunk)
