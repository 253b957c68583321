"""``CompressionMiddleware``: compress response bodies the client accepts compressed.

What it does with a response, decided from ``http.response.start`` and the first body:

* not touched: HEAD requests, statuses without a body, ``206`` partial content, and
  responses that already carry a ``Content-Encoding``;
* a ``Content-Length`` below ``minimum_size``: sent as is, at once;
* no ``Content-Length`` (a stream, server-sent events): compressed from the start; the
  headers go out at once and every chunk is flushed, so nothing is held back;
* otherwise the start is held until the first body message: a whole body of at least
  ``minimum_size`` bytes is compressed with a new ``Content-Length``, a body that comes in
  chunks is compressed chunk by chunk without one, a smaller whole body is sent as is.

Compressed responses get ``Content-Encoding`` and ``Vary: Accept-Encoding``. A strong
``ETag`` becomes weak (``W/"..."``) and ``Accept-Ranges`` is dropped, as nginx does: the
compressed bytes are another representation than the one the tag and byte ranges describe,
so ``If-Range`` must not match it (a resumed download would splice two encodings), while
``If-None-Match`` (weak comparison) still answers 304. The ETag of a 304 sent to a client
that accepts the encoding is weakened too, since it updates the client's cached copy, which
may be the compressed one.

Differences from Litestar, for correctness: ``Accept-Encoding`` is parsed (``gzip;q=0``
refuses gzip) instead of searched as text; already-encoded, partial and HEAD responses are
left alone instead of being compressed (again); a stream's headers are not held back until
its first chunk.

Messages are never changed in place (a sender may reuse a constant message): edited
copies are sent instead.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Final

from trioweb.enums import CompressionEncoding, ScopeType
from trioweb.middleware._headers import add_vary, find_header, remove_header, set_header
from trioweb.middleware.base import ASGIMiddleware
from trioweb.middleware.compression.gzip_facade import GzipCompression
from trioweb.response.base import status_allows_body
from trioweb.status_codes import HTTP_206_PARTIAL_CONTENT, HTTP_304_NOT_MODIFIED

if TYPE_CHECKING:
    from trioweb.config.compression import CompressionConfig
    from trioweb.middleware.compression.facade import CompressionFacade
    from trioweb.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("CompressionMiddleware", "accepted_encodings")

_CONTENT_ENCODING: Final = b"content-encoding"
_CONTENT_LENGTH: Final = b"content-length"
_ETAG: Final = b"etag"
_ACCEPT_RANGES: Final = b"accept-ranges"
_MAX_REMEMBERED: Final = 256


def accepted_encodings(header: bytes) -> frozenset[str]:
    """The codings an ``Accept-Encoding`` value accepts (a quality of 0 refuses one)."""
    accepted: set[str] = set()
    for item in header.decode("latin-1").split(","):
        token, _, params = item.partition(";")
        token = token.strip().lower()
        if not token:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            accepted.add(token)
    return frozenset(accepted)


class CompressionMiddleware(ASGIMiddleware):
    """Compress HTTP responses with the configured backend (or gzip as the fallback)."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, config: CompressionConfig) -> None:
        self.config = config
        exclude = config.exclude
        self.exclude_path_pattern = tuple(exclude) if isinstance(exclude, list | tuple) else exclude
        self.exclude_opt_key = config.exclude_opt_key
        self._encoding: str = config.compression_facade.encoding
        # Clients send few distinct Accept-Encoding values: each is parsed once.
        self._choices: dict[bytes, str | None] = {}

    def choose_encoding(self, scope: Scope) -> str | None:
        """The coding to answer ``scope`` with, or ``None`` to send the body as it is."""
        if scope.get("method") == "HEAD":
            return None
        header = find_header(scope["headers"], b"accept-encoding")
        if not header:
            return None
        try:
            return self._choices[header]
        except KeyError:
            pass
        accepted = accepted_encodings(header)
        choice: str | None = None
        if self._encoding in accepted:
            choice = self._encoding
        elif self.config.gzip_fallback and CompressionEncoding.GZIP in accepted:
            choice = CompressionEncoding.GZIP
        if len(self._choices) >= _MAX_REMEMBERED:
            self._choices.clear()
        self._choices[header] = choice
        return choice

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        """Call ``next_app`` with a ``send`` that compresses, when the client accepts it."""
        encoding = self.choose_encoding(scope)
        if encoding is None:
            await next_app(scope, receive, send)
        else:
            await next_app(scope, receive, self.create_compression_send_wrapper(send, encoding))

    def create_facade(self, buffer: BytesIO, encoding: str) -> CompressionFacade:
        """A new compressor writing into ``buffer``."""
        if encoding == CompressionEncoding.GZIP:
            return GzipCompression(buffer, encoding, self.config)
        return self.config.compression_facade(buffer, encoding, self.config)

    def create_compression_send_wrapper(self, send: Send, encoding: str) -> Send:
        """Wrap ``send`` so the response body goes out compressed with ``encoding``."""
        minimum_size = self.config.minimum_size
        raw_encoding = encoding.encode("latin-1")
        buffer: BytesIO | None = None
        facade: CompressionFacade | None = None
        held: Message | None = None
        passing = False

        def start_compressing() -> CompressionFacade:
            nonlocal buffer
            buffer = BytesIO()
            return self.create_facade(buffer, encoding)

        def take() -> bytes:
            assert buffer is not None
            data = buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            return data

        def weaken_etag(headers: list[tuple[bytes, bytes]]) -> None:
            etag = find_header(headers, _ETAG)
            if etag is not None and etag.startswith(b'"'):
                set_header(headers, _ETAG, b"W/" + etag)

        def marked(
            start: Message, headers: list[tuple[bytes, bytes]], length: int | None
        ) -> Message:
            set_header(headers, _CONTENT_ENCODING, raw_encoding)
            if length is None:
                remove_header(headers, _CONTENT_LENGTH)
            else:
                set_header(headers, _CONTENT_LENGTH, str(length).encode("latin-1"))
            add_vary(headers, b"Accept-Encoding")
            weaken_etag(headers)
            remove_header(headers, _ACCEPT_RANGES)
            return {**start, "headers": headers}

        async def send_compressed(message: Message) -> None:
            nonlocal facade, held, passing
            kind = message["type"]
            if passing or (kind != "http.response.start" and kind != "http.response.body"):
                await send(message)
                return
            if kind == "http.response.start":
                headers = message.get("headers") or ()
                status = message["status"]
                length = find_header(headers, _CONTENT_LENGTH)
                if status == HTTP_304_NOT_MODIFIED and find_header(headers, _ETAG):
                    # A 304 updates the cached (maybe compressed) copy's headers: a strong
                    # tag there would make If-Range match the compressed bytes later.
                    passing = True
                    revalidated = list(headers)
                    weaken_etag(revalidated)
                    await send({**message, "headers": revalidated})
                    return
                if (
                    not status_allows_body(status)
                    or status == HTTP_206_PARTIAL_CONTENT
                    or (length is not None and length.isdigit() and int(length) < minimum_size)
                    or find_header(headers, _CONTENT_ENCODING) is not None
                ):
                    passing = True
                    await send(message)
                elif length is None:
                    facade = start_compressing()
                    await send(marked(message, list(headers), None))
                else:
                    held = message
                return
            body = message.get("body", b"")
            more_body = message.get("more_body", False)
            if held is not None:
                start, held = held, None
                headers = list(start.get("headers") or ())
                if not more_body and len(body) < minimum_size:
                    passing = True
                    await send(start)
                    await send(message)
                    return
                facade = start_compressing()
                facade.write(body, final=not more_body)
                compressed = take()
                await send(marked(start, headers, None if more_body else len(compressed)))
                await send({**message, "body": compressed})
                return
            if facade is None:  # a body without a start: not ours to fix
                await send(message)
                return
            facade.write(body, final=not more_body)
            if not more_body:
                facade.close()
            await send({**message, "body": take()})

        return send_compressed
