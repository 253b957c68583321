"""Conditional requests (RFC 9110 §13): validators, preconditions and the 304 response.

Litestar sends ``ETag`` and ``Last-Modified`` but never answers a conditional request; here
any ``GET`` or ``HEAD`` whose response is a 2xx and carries a validator is evaluated:

* ``If-None-Match`` (weak comparison, ``*`` matches anything) takes precedence; when it is
  present ``If-Modified-Since`` is ignored (RFC 9110 §13.2.2);
* otherwise ``If-Modified-Since`` matches when ``Last-Modified`` is not later than it (HTTP
  dates have one-second resolution, so the modification time is truncated);
* a match turns the response into ``304 Not Modified``: the body is dropped (a streaming
  body's iterator is closed unread), representation headers (``content-*``) are dropped,
  every other header (``etag``, ``cache-control``, ``vary``, ``set-cookie``...) is kept, and
  background tasks still run.

``If-Match`` / ``If-Unmodified-Since`` (412) are not evaluated. ``If-Range`` is evaluated by
file responses, the only ones that serve ranges (:func:`if_range_matches`).

Everything here is pure: it reads the request's raw header list and a response's encoded
headers, and never touches the wire.
"""

from __future__ import annotations

import re
from datetime import UTC
from typing import TYPE_CHECKING, Final

from trioweb.response.base import ASGIResponse
from trioweb.response.streaming import ASGIStreamingResponse
from trioweb.status_codes import HTTP_304_NOT_MODIFIED

if TYPE_CHECKING:
    from trioweb.types import Scope

__all__ = (
    "ConditionalHeaders",
    "finalize_response",
    "format_http_date",
    "if_range_matches",
    "is_not_modified",
    "make_conditional",
    "not_modified_headers",
    "parse_http_date",
)

_ENTITY_TAG_RE: Final = re.compile(r'(W/)?"[^"]*"')
_REPRESENTATION_HEADERS: Final = frozenset(
    {
        b"content-type",
        b"content-length",
        b"content-encoding",
        b"content-language",
        b"content-range",
        b"content-disposition",
    }
)
_CONDITIONAL_METHODS: Final = frozenset({"GET", "HEAD"})


def parse_http_date(value: str) -> float | None:
    """The timestamp of an HTTP-date (any of the three RFC 9110 formats), or None if invalid."""
    from email.utils import parsedate_to_datetime  # imported on first use: it is slow to import

    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def format_http_date(timestamp: float) -> str:
    """``Sun, 06 Nov 1994 08:49:37 GMT`` for ``timestamp``."""
    from email.utils import formatdate

    return formatdate(timestamp, usegmt=True)


def _opaque_tag(entity_tag: str) -> str:
    entity_tag = entity_tag.strip()
    return entity_tag[2:] if entity_tag.startswith("W/") else entity_tag


def etag_in_list(header_value: str, etag: str) -> bool:
    """Whether ``etag`` weakly matches ``If-None-Match``'s list (or the list is ``*``).

    An unquoted ``etag`` (seed 002's ``headers={"etag": str(population_count)}`` sends one)
    is not an entity tag by the grammar; clients echo it back as it came, so it matches a
    list item equal to it, quoted or not.
    """
    if header_value.strip() == "*":
        return True
    target = _opaque_tag(etag)
    if not target.startswith('"'):
        quoted = f'"{target}"'
        return any(_opaque_tag(item) in (target, quoted) for item in header_value.split(","))
    return any(
        _opaque_tag(match.group(0)) == target for match in _ENTITY_TAG_RE.finditer(header_value)
    )


class ConditionalHeaders:
    """The conditional header fields of one request, read from its raw ASGI header list."""

    __slots__ = ("if_modified_since", "if_none_match", "if_range", "range")

    def __init__(self, raw_headers: list[tuple[bytes, bytes]]) -> None:
        self.if_none_match: str | None = None
        self.if_modified_since: str | None = None
        self.if_range: str | None = None
        self.range: str | None = None
        for name, value in raw_headers:
            if name == b"if-none-match":
                text = value.decode("latin-1")
                # several field lines make one comma-separated list (RFC 9110 §5.3)
                self.if_none_match = (
                    text if self.if_none_match is None else f"{self.if_none_match}, {text}"
                )
            elif name == b"if-modified-since":
                self.if_modified_since = value.decode("latin-1")
            elif name == b"if-range":
                self.if_range = value.decode("latin-1")
            elif name == b"range":
                self.range = value.decode("latin-1")

    @property
    def is_conditional(self) -> bool:
        """Whether a 304 is possible at all."""
        return self.if_none_match is not None or self.if_modified_since is not None


def is_not_modified(
    conditions: ConditionalHeaders, etag: str | None, last_modified: float | None
) -> bool:
    """Evaluate ``If-None-Match`` / ``If-Modified-Since`` against the current validators."""
    if conditions.if_none_match is not None:
        return etag is not None and etag_in_list(conditions.if_none_match, etag)
    if conditions.if_modified_since is not None and last_modified is not None:
        since = parse_http_date(conditions.if_modified_since)
        return since is not None and int(last_modified) <= since
    return False


def if_range_matches(if_range: str, etag: str | None, last_modified: float | None) -> bool:
    """Whether ``If-Range`` still describes the representation (RFC 9110 §13.1.5).

    An entity tag matches by strong comparison only (a weak tag never does); a date matches
    only when it equals ``Last-Modified`` exactly.
    """
    value = if_range.strip()
    if value.startswith(('"', "W/")):
        return etag is not None and not etag.startswith("W/") and value == etag.strip()
    date = parse_http_date(value)
    return date is not None and last_modified is not None and int(last_modified) == date


def not_modified_headers(encoded_headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers a 304 keeps: everything but representation metadata (``content-*``)."""
    return [header for header in encoded_headers if header[0] not in _REPRESENTATION_HEADERS]


def _response_validators(
    encoded_headers: list[tuple[bytes, bytes]],
) -> tuple[str | None, float | None]:
    etag: str | None = None
    last_modified: float | None = None
    for name, value in encoded_headers:
        if name == b"etag":
            etag = value.decode("latin-1")
        elif name == b"last-modified":
            last_modified = parse_http_date(value.decode("latin-1"))
    return etag, last_modified


def make_conditional(response: ASGIResponse, scope: Scope) -> ASGIResponse:
    """Answer ``304 Not Modified`` instead of ``response`` when the request allows it.

    Applies to GET and HEAD requests whose response is a 2xx with an ``etag`` or
    ``last-modified`` header; anything else is returned unchanged.
    """
    if scope.get("method") not in _CONDITIONAL_METHODS:
        return response
    status = getattr(response, "status_code", None)
    if status is None or not 200 <= status < 300:
        return response
    # the response's few headers first: most responses carry no validator at all, and then
    # the request's headers need not be scanned
    etag, last_modified = _response_validators(response.encoded_headers)
    if etag is None and last_modified is None:
        return response
    conditions = ConditionalHeaders(scope.get("headers") or [])
    if not conditions.is_conditional:
        return response
    if not is_not_modified(conditions, etag, last_modified):
        return response
    headers = not_modified_headers(response.encoded_headers)
    if isinstance(response, ASGIStreamingResponse):
        # the stream is sent as a body-less response, which still closes its iterator
        response.status_code = HTTP_304_NOT_MODIFIED
        response.encoded_headers = headers
        response.is_head_response = True
        return response
    return ASGIResponse.prepared(HTTP_304_NOT_MODIFIED, headers, b"", response.background)


async def finalize_response(response: ASGIResponse, scope: Scope) -> ASGIResponse:
    """The last step before a route's response is sent.

    A response that must look at the request or the file system before its status is known
    (a file: existence, validators, ranges) does so now, so that a missing file or an
    unsatisfiable range raises here and goes through the exception handlers; any other
    response gets the generic conditional-request evaluation.
    """
    if type(response) is not ASGIResponse:
        prepare_for = getattr(response, "prepare_for", None)
        if prepare_for is not None:
            prepared: ASGIResponse = await prepare_for(scope)
            return prepared
    return make_conditional(response, scope)
