"""Form bodies: url-encoded (stdlib) and multipart (python-multipart, fed as chunks arrive).

Error handling: a malformed or incomplete body, or a part without a name, answers 400
``Invalid multipart/form-data``; too many parts answers 400 ``Request Entity Too Large``
(both Litestar's words). An empty body is an empty form. Files are spooled by
``UploadFile`` (memory, then disk).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qsl

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from trioweb.datastructures import FormMultiDict, UploadFile
from trioweb.enums import RequestEncodingType
from trioweb.exceptions import ClientException

if TYPE_CHECKING:
    from trioweb.connection import Request

__all__ = ("DEFAULT_PART_LIMIT", "parse_form")

DEFAULT_PART_LIMIT: Final = 1000
_INVALID: Final = "Invalid multipart/form-data"


class _Collector:
    """Callbacks for python-multipart that build the list of (name, value) items."""

    def __init__(self, part_limit: int) -> None:
        self.items: list[tuple[str, Any]] = []
        self.part_limit = part_limit
        self.parts = 0
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[str, str] = {}
        self._name = ""
        self._filename: str | None = None
        self._content_type = ""
        self._data = bytearray()
        self._file: UploadFile | None = None
        self.pending: list[tuple[UploadFile, bytes]] = []
        self.ended = False

    def on_part_begin(self) -> None:
        self.parts += 1
        if self.parts > self.part_limit:
            raise ClientException("Request Entity Too Large")
        self._headers = {}
        self._data = bytearray()
        self._file = None

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_field.decode("latin-1").lower()] = self._header_value.decode(
            "latin-1"
        )
        self._header_field = b""
        self._header_value = b""

    def on_headers_finished(self) -> None:
        disposition, options = parse_options_header(self._headers.get("content-disposition", ""))
        if disposition != b"form-data" or b"name" not in options:
            raise ClientException(_INVALID)
        self._name = options[b"name"].decode("utf-8", "replace")
        filename = options.get(b"filename")
        self._filename = filename.decode("utf-8", "replace") if filename is not None else None
        self._content_type = self._headers.get("content-type", "text/plain")
        if self._filename is not None:
            self._file = UploadFile(
                content_type=self._content_type,
                filename=self._filename,
                headers=dict(self._headers),
            )
            self.items.append((self._name, self._file))

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is not None:
            self.pending.append((self._file, data[start:end]))
        else:
            self._data += data[start:end]

    def on_part_end(self) -> None:
        if self._file is None:
            self.items.append((self._name, self._data.decode("utf-8", "replace")))

    def on_end(self) -> None:
        self.ended = True


async def parse_form(
    request: Request[Any, Any, Any], media: str, options: dict[str, str]
) -> FormMultiDict:
    """Parse the request body as a form of the given media type."""
    if media == RequestEncodingType.URL_ENCODED:
        body = await request.body()
        return FormMultiDict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    boundary = options.get("boundary")
    async with aclosing(request.stream()) as stream:
        first = await anext(stream, b"")
        if not first:
            return FormMultiDict()
        if not boundary:
            raise ClientException(_INVALID)
        handler = request.scope.get("route_handler")
        limit = getattr(handler, "multipart_form_part_limit", None) or DEFAULT_PART_LIMIT
        collector = _Collector(limit)
        try:
            await _feed(collector, boundary, first, stream)
        except BaseException:
            for _, value in collector.items:
                if isinstance(value, UploadFile):
                    await value.close()
            raise
    for _, value in collector.items:
        if isinstance(value, UploadFile):
            await value.seek(0)
    return FormMultiDict(collector.items)


async def _feed(
    collector: _Collector, boundary: str, first: bytes, stream: AsyncGenerator[bytes, None]
) -> None:
    callbacks: Any = {
        "on_part_begin": collector.on_part_begin,
        "on_part_data": collector.on_part_data,
        "on_part_end": collector.on_part_end,
        "on_header_field": collector.on_header_field,
        "on_header_value": collector.on_header_value,
        "on_header_end": collector.on_header_end,
        "on_headers_finished": collector.on_headers_finished,
        "on_end": collector.on_end,
    }
    parser = MultipartParser(boundary, callbacks)
    try:
        chunk = first
        while chunk:
            parser.write(chunk)
            for upload, data in collector.pending:
                await upload.write(data)
            collector.pending.clear()
            chunk = await anext(stream, b"")
        parser.finalize()
    except MultipartParseError as exc:
        raise ClientException(_INVALID) from exc
    if not collector.ended:
        raise ClientException(_INVALID)
