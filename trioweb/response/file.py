"""``File``: send a file, read in chunks with trio's thread-backed file I/O.

What goes on the wire, Litestar's headers first:

* ``content-type`` from the handler or ``media_type``, else guessed from ``filename`` (not
  from the path), else ``application/octet-stream``; a compressed name such as
  ``x.tar.gz`` also sets ``content-encoding``, as in Litestar;
* ``content-disposition``: ``attachment; filename="a.txt"``, or RFC 6266/5987
  ``filename*=utf-8''%E6%88%90.txt`` when the name is not plain ASCII;
* ``content-length``, ``last-modified`` and an ``etag`` (Litestar's format,
  ``"<mtime>-<size>-<adler32 of the path>"``, unless ``etag=`` is given); headers the caller
  set are never overridden.

Beyond Litestar: ``accept-ranges: bytes``; ``Range`` (one range answers 206 with
``content-range``, several answer ``multipart/byteranges``, none satisfiable answers 416);
``If-None-Match`` / ``If-Modified-Since`` answer 304; ``If-Range`` falls back to the whole
file when the validator changed; HEAD sends the headers only; a missing file, or a path
that is not a regular file (a directory), raises ``NotFoundException`` (404) instead of a 500.

When things happen: :meth:`ASGIFileResponse.prepare_for` runs before anything is sent
(route handlers call it, so a missing file or an unsatisfiable range goes through the
exception handlers); it looks the file up in a worker thread and decides the status and
headers. Then a body no larger than ``chunk_size`` is read in one thread call and sent in one
message (no task started); a larger one is opened first (so a file deleted by then is still a
404) and streamed by the lifecycle package, which cancels on disconnect.

Error handling: a file that is truncated while it is sent ends in
:class:`FileChangedError`; the stream is aborted (the client sees an incomplete body, never a
short one passed off as whole) and the error logged once. A file deleted while it is sent is
still read to the end: an open file outlives its name on POSIX systems.

Cancellation: the file is closed on every path; trio closes it even when cancelled.
"""

from __future__ import annotations

import errno
import inspect
import logging
import os
import secrets
import stat as stat_module
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from datetime import datetime
from mimetypes import guess_type
from typing import TYPE_CHECKING, Any, BinaryIO, Final, Literal, Protocol, TypedDict, cast
from urllib.parse import quote
from zlib import adler32

import trio

from trioweb._lifecycle import StreamEnd, StreamPolicy, send_streaming
from trioweb.enums import MediaType
from trioweb.exceptions import HTTPException, ImproperlyConfiguredException, NotFoundException
from trioweb.exceptions.responses import http_exception_to_content
from trioweb.response._conditional import (
    ConditionalHeaders,
    format_http_date,
    if_range_matches,
    is_not_modified,
    not_modified_headers,
)
from trioweb.response._ranges import (
    ByteRange,
    content_range,
    multipart_layout,
    parse_range_header,
)
from trioweb.response.base import ASGIResponse, Response, status_allows_body
from trioweb.response.streaming import (
    RELAY_SCOPE_KEY,
    STREAM_ERROR_SCOPE_KEY,
    ASGIStreamingResponse,
)
from trioweb.status_codes import (
    HTTP_200_OK,
    HTTP_206_PARTIAL_CONTENT,
    HTTP_304_NOT_MODIFIED,
    HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE,
)

if TYPE_CHECKING:
    from os import stat_result as StatResult

    from trioweb._lifecycle import ReceiveRelay
    from trioweb.app import TrioWeb
    from trioweb.background_tasks import BackgroundTask, BackgroundTasks
    from trioweb.connection import Request
    from trioweb.datastructures import Cookie, ETag
    from trioweb.types import PathType, Receive, ResponseCookies, ResponseHeaders, Scope, Send

__all__ = (
    "ONE_MEGABYTE",
    "ASGIFileResponse",
    "File",
    "FileChangedError",
    "FileInfo",
    "FileSystemProtocol",
    "content_disposition",
    "create_etag_for_file",
    "info_from_stat",
    "read_file_info",
)

logger = logging.getLogger("trioweb")

ONE_MEGABYTE: Final = 1024 * 1024
_FILE_POLICY: Final = StreamPolicy()  # a file's length is promised up front: no timeouts
# fsspec file systems name the modification time in many ways (fsspec issue 526)
_MTIME_KEYS: Final = (
    "mtime",
    "ctime",
    "Last-Modified",
    "updated_at",
    "modification_time",
    "last_changed",
    "change_time",
    "last_modified",
    "last_updated",
    "timestamp",
)


class FileInfo(TypedDict, total=False):
    """What is known about a file: Litestar's ``FileInfo`` keys that matter here."""

    name: str
    size: int
    type: str
    """``"file"``, ``"directory"`` or ``"other"``."""
    mtime: float | None
    islink: bool


class FileSystemProtocol(Protocol):
    """An fsspec-style file system: ``info(path)`` and ``open(path, mode)``.

    Either method may be a coroutine function; plain ones run in a worker thread.
    """

    def info(self, path: str, **kwargs: Any) -> Any:
        """A mapping with at least ``size`` and ``type``, and a modification time."""

    def open(self, path: str, mode: str = "rb") -> Any:
        """A binary file object (or an awaitable of an async one)."""


class FileChangedError(RuntimeError):
    """The file became shorter than announced while it was being sent."""


def create_etag_for_file(path: PathType, modified_time: float | None, file_size: int) -> str:
    """Litestar's automatic ETag: ``"<mtime>-<size>-<adler32 of str(path)>"``."""
    check = adler32(str(path).encode("utf-8")) & 0xFFFFFFFF
    parts = [str(file_size), str(check)]
    if modified_time:
        parts.insert(0, str(modified_time))
    return f'"{"-".join(parts)}"'


def content_disposition(disposition_type: str, filename: str) -> str:
    """``attachment; filename="a.txt"``, or the RFC 5987 form for names that need quoting."""
    quoted = quote(filename)
    if quoted == filename:
        return f'{disposition_type}; filename="{filename}"'
    return f"{disposition_type}; filename*=utf-8''{quoted}"


def _mtime_of(info: Mapping[str, Any]) -> float | None:
    value = next((info[key] for key in _MTIME_KEYS if key in info), None)
    if value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, str):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    raise ValueError(f"Unsupported mtime-type value type {type(value)!r}")


def info_from_stat(path: PathType, result: StatResult) -> FileInfo:
    """A :class:`FileInfo` from an ``os.stat_result``."""
    if stat_module.S_ISREG(result.st_mode):
        kind = "file"
    elif stat_module.S_ISDIR(result.st_mode):
        kind = "directory"
    else:
        kind = "other"
    return FileInfo(
        name=str(path),
        size=result.st_size,
        type=kind,
        mtime=result.st_mtime,
        islink=stat_module.S_ISLNK(result.st_mode),
    )


async def _call_maybe_async(function: Callable[..., Any], *args: Any) -> Any:
    if inspect.iscoroutinefunction(function):
        return await function(*args)
    return await trio.to_thread.run_sync(function, *args)


async def read_file_info(path: PathType, file_system: FileSystemProtocol | None) -> FileInfo:
    """Look ``path`` up (following symlinks) in a worker thread."""
    if file_system is None:
        result = await trio.to_thread.run_sync(os.stat, path)
        return info_from_stat(path, result)
    return cast("FileInfo", dict(await _call_maybe_async(file_system.info, str(path))))


def _error_response(exc: Exception, is_head: bool) -> ASGIResponse:
    """The default error body, for failures found after the exception handlers had their turn."""
    content = http_exception_to_content(exc)
    if content["status_code"] >= 500:
        logger.error("error while sending a file", exc_info=exc)
    return Response(
        content,
        status_code=content["status_code"],
        headers=getattr(exc, "headers", None) or {},
        media_type=MediaType.JSON,
    ).to_asgi_response(None, None, is_head_response=is_head)


Piece = bytes | ByteRange
"""A literal (a multipart delimiter) or a range of the file to copy."""


class _Reader(Protocol):
    async def read(self, size: int = -1, /) -> bytes: ...
    async def seek(self, offset: int, whence: int = 0, /) -> int: ...
    async def aclose(self) -> None: ...


def _read_pieces(opener: Callable[[], BinaryIO], pieces: list[Piece], path: Any) -> bytes:
    """Read a small body in one go (runs in a worker thread)."""
    out: list[bytes] = []
    with opener() as file:
        position = 0
        for piece in pieces:
            if isinstance(piece, bytes):
                out.append(piece)
                continue
            if piece.start != position:
                file.seek(piece.start)
            remaining = piece.length
            while remaining:
                data = file.read(remaining)
                if not data:
                    raise FileChangedError(f"{path} is shorter than announced")
                out.append(data)
                remaining -= len(data)
            position = piece.end + 1
    return out[0] if len(out) == 1 else b"".join(out)


async def _stream_pieces(
    file: _Reader, pieces: list[Piece], chunk_size: int, path: Any
) -> AsyncIterator[bytes]:
    """Yield the body chunk by chunk; a delimiter travels with the chunk after it."""
    position = 0
    pending = b""
    for piece in pieces:
        if isinstance(piece, bytes):
            pending += piece
            continue
        if piece.start != position:
            await file.seek(piece.start)
        remaining = piece.length
        while remaining:
            chunk = await file.read(min(chunk_size, remaining))
            if not chunk:
                raise FileChangedError(f"{path} is shorter than announced")
            remaining -= len(chunk)
            if pending:
                chunk, pending = pending + chunk, b""
            yield chunk
        position = piece.end + 1
    if pending:
        yield pending


class ASGIFileResponse(ASGIStreamingResponse):
    """A low-level ASGI response that sends a file (see the module docstring)."""

    __slots__ = (
        "_length_given",
        "_pieces",
        "adapter",
        "chunk_size",
        "content_disposition_type",
        "etag",
        "file_info",
        "file_path",
        "file_system",
        "filename",
        "stat_result",
    )

    def __init__(
        self,
        *,
        file_path: PathType,
        background: BackgroundTask | BackgroundTasks | None = None,
        body: bytes | str = b"",
        chunk_size: int = ONE_MEGABYTE,
        content_disposition_type: Literal["attachment", "inline"] = "attachment",
        content_length: int | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoded_headers: Iterable[tuple[bytes, bytes]] | None = None,
        encoding: str = "utf-8",
        etag: ETag | None = None,
        file_info: FileInfo | Awaitable[FileInfo] | None = None,
        file_system: FileSystemProtocol | None = None,
        filename: str = "",
        headers: Mapping[str, Any] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        stat_result: StatResult | None = None,
        status_code: int | None = None,
    ) -> None:
        if file_system is not None and not (
            callable(getattr(file_system, "info", None))
            and callable(getattr(file_system, "open", None))
        ):
            raise ImproperlyConfiguredException(
                "file_system must adhere to the FileSystemProtocol type"
            )
        if chunk_size < 1:
            raise ImproperlyConfiguredException("chunk_size must be a positive number of bytes")
        own_headers = dict(headers or {})
        if not media_type:
            guessed, compression = guess_type(filename) if filename else (None, None)
            media_type = guessed or "application/octet-stream"
            if compression is not None:
                own_headers["content-encoding"] = compression
        if not any(name.lower() == "content-disposition" for name in own_headers):
            own_headers["content-disposition"] = content_disposition(
                content_disposition_type, filename
            )
        encoded_headers = list(encoded_headers or [])
        length_given = (
            content_length is not None
            or any(name.lower() == "content-length" for name in own_headers)
            or any(name == b"content-length" for name, _ in encoded_headers)
        )
        # Headers computed from the file are added in prepare_for(); ASGIStreamingResponse's
        # own initialiser would drop a caller-given content-length, so it is skipped.
        ASGIResponse.__init__(
            self,
            background=background,
            body=body,
            content_length=content_length,
            cookies=cookies,
            encoded_headers=encoded_headers,
            encoding=encoding,
            headers=own_headers,
            is_head_response=is_head_response,
            media_type=media_type,
            status_code=status_code,
        )
        if not length_given:  # the base class counted the empty body; the file decides
            self.encoded_headers = [h for h in self.encoded_headers if h[0] != b"content-length"]
        self._length_given = length_given
        self.iterator = ()
        self.policy = _FILE_POLICY
        self.encode = bytes
        self.prelude = b""
        self.adapter = None  # Litestar's attribute name; no adapter object is needed here
        self.chunk_size = chunk_size
        self.content_disposition_type = content_disposition_type
        self.etag = etag
        self.file_info = file_info
        self.file_path = file_path
        self.file_system = file_system
        self.filename = filename
        self.stat_result = stat_result
        self._pieces: list[Piece] | None = None

    async def _info(self) -> FileInfo:
        if self.file_info is not None:
            info = self.file_info
            if inspect.isawaitable(info):
                info = await info
            return info
        if self.stat_result is not None:
            return info_from_stat(self.file_path, self.stat_result)
        try:
            return await read_file_info(self.file_path, self.file_system)
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise NotFoundException() from exc
        except ValueError as exc:  # a NUL byte in the path: no such file can exist
            raise NotFoundException() from exc
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:  # a name longer than any file's can be
                raise NotFoundException() from exc
            raise

    async def prepare_for(self, scope: Scope) -> ASGIResponse:
        """Look the file up and settle status and headers for this request.

        Returns ``self``, or the 304 response that replaces it.

        Error handling: ``NotFoundException`` if the file does not exist or is not a regular
        file (a directory: Litestar answers 500; here it is logged as a warning), an
        ``HTTPException`` with status 416 if no requested range is satisfiable.
        """
        if self._pieces is not None:
            return self
        info = await self._info()
        if info.get("type", "file") != "file":
            # Litestar answers 500; the path often comes from the request (a directory name,
            # "..") and a client's input never makes a 500. Logged for the programmer's sake.
            logger.warning("file response: %s is not a regular file; answering 404", self.file_path)
            raise NotFoundException()
        size = int(info["size"])
        mtime = _mtime_of(info)
        given = {name for name, _ in self.encoded_headers}
        extra: list[tuple[bytes, bytes]] = []
        if b"last-modified" not in given and mtime is not None:
            extra.append((b"last-modified", format_http_date(mtime).encode("latin-1")))
        etag = next(
            (value.decode("latin-1") for name, value in self.encoded_headers if name == b"etag"),
            None,
        )
        if etag is None:
            etag = (
                self.etag.to_header()
                if self.etag is not None
                else create_etag_for_file(self.file_path, mtime, size)
            )
            extra.append((b"etag", etag.encode("latin-1")))
        ranges_allowed = self.status_code == HTTP_200_OK and not self._length_given
        if ranges_allowed:
            extra.append((b"accept-ranges", b"bytes"))
        conditions = ConditionalHeaders(scope.get("headers") or [])
        method = scope.get("method", "GET")
        if (
            method in ("GET", "HEAD")
            and 200 <= self.status_code < 300
            and is_not_modified(conditions, etag, mtime)
        ):
            return ASGIResponse.prepared(
                HTTP_304_NOT_MODIFIED,
                not_modified_headers([*self.encoded_headers, *extra]),
                b"",
                self.background,
            )
        pieces: list[Piece] = [ByteRange(0, size - 1)] if size else []
        length = size
        if (
            ranges_allowed
            and method == "GET"
            and conditions.range is not None
            and (conditions.if_range is None or if_range_matches(conditions.if_range, etag, mtime))
        ):
            ranges = parse_range_header(conditions.range, size)
            if ranges == []:
                raise HTTPException(
                    status_code=HTTP_416_REQUESTED_RANGE_NOT_SATISFIABLE,
                    headers={"content-range": f"bytes */{size}"},
                )
            if ranges is not None and len(ranges) == 1:
                self.status_code = HTTP_206_PARTIAL_CONTENT
                extra.append((b"content-range", content_range(ranges[0], size).encode("latin-1")))
                pieces, length = [ranges[0]], ranges[0].length
            elif ranges is not None:
                self.status_code = HTTP_206_PARTIAL_CONTENT
                layout = multipart_layout(ranges, size, self._content_type(), secrets.token_hex(12))
                self.encoded_headers = [h for h in self.encoded_headers if h[0] != b"content-type"]
                extra.insert(0, (b"content-type", layout.content_type.encode("latin-1")))
                pieces = [item for head, part in layout.parts for item in (head, part)]
                pieces.append(layout.trailer)
                length = layout.content_length
        if not self._length_given:
            extra.insert(0, (b"content-length", str(length).encode("latin-1")))
        self.encoded_headers = [*self.encoded_headers, *extra]
        self.content_length = length
        self._pieces = pieces
        return self

    def _content_type(self) -> str:
        value = next(v for name, v in self.encoded_headers if name == b"content-type")
        return value.decode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        is_head = self.is_head_response or scope.get("method") == "HEAD"
        try:
            response = await self.prepare_for(scope)
        except HTTPException as exc:
            await _error_response(exc, is_head)(scope, receive, send)
            return
        if response is not self:
            await response(scope, receive, send)
            return
        pieces = self._pieces or []
        if is_head or not status_allows_body(self.status_code) or not pieces:
            await self.start_response(send)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        elif self.content_length <= self.chunk_size:
            if not await self._send_whole(pieces, scope, receive, send):
                return
        elif await self._send_streamed(pieces, scope, receive, send) is StreamEnd.FAILED:
            return
        await self.after_response()

    async def _send_whole(
        self, pieces: list[Piece], scope: Scope, receive: Receive, send: Send
    ) -> bool:
        try:
            body = await self._read_small(pieces)
        except (FileNotFoundError, NotADirectoryError):
            await _error_response(NotFoundException(), False)(scope, receive, send)
            return False
        except (OSError, FileChangedError) as exc:
            scope[STREAM_ERROR_SCOPE_KEY] = exc
            await _error_response(exc, False)(scope, receive, send)
            return False
        await self.start_response(send)
        await send({"type": "http.response.body", "body": body, "more_body": False})
        return True

    async def _read_small(self, pieces: list[Piece]) -> bytes:
        path, file_system = self.file_path, self.file_system
        if file_system is None:
            opener: Callable[[], BinaryIO] = lambda: open(path, "rb")  # noqa: E731, SIM115
        elif inspect.iscoroutinefunction(file_system.open):
            file = await self._open()
            try:
                return b"".join(
                    [chunk async for chunk in _stream_pieces(file, pieces, self.chunk_size, path)]
                )
            finally:
                await file.aclose()
        else:
            opener = lambda: file_system.open(str(path), "rb")  # noqa: E731
        return await trio.to_thread.run_sync(_read_pieces, opener, pieces, path)

    async def _open(self) -> _Reader:
        file_system = self.file_system
        if file_system is None:
            return cast("_Reader", await trio.open_file(self.file_path, "rb"))
        if inspect.iscoroutinefunction(file_system.open):
            return cast("_Reader", await file_system.open(str(self.file_path), "rb"))
        raw = await trio.to_thread.run_sync(file_system.open, str(self.file_path), "rb")
        return cast("_Reader", trio.wrap_file(raw))

    async def _send_streamed(
        self, pieces: list[Piece], scope: Scope, receive: Receive, send: Send
    ) -> StreamEnd:
        try:
            file = await self._open()
        except (FileNotFoundError, NotADirectoryError):
            await _error_response(NotFoundException(), False)(scope, receive, send)
            return StreamEnd.FAILED
        try:
            relay: ReceiveRelay | None = scope.get(RELAY_SCOPE_KEY)
            start = {
                "type": "http.response.start",
                "status": self.status_code,
                "headers": self.encoded_headers,
            }
            failures: list[Exception] = []
            ended = await send_streaming(
                send,
                receive,
                start,
                _stream_pieces(file, pieces, self.chunk_size, self.file_path),
                bytes,
                policy=_FILE_POLICY,
                relay=relay,
                failures=failures,
            )
            if failures:
                scope[STREAM_ERROR_SCOPE_KEY] = failures[0]
            return ended
        finally:
            await file.aclose()


class File(Response[Any]):
    """Send the file at ``path`` (see the module docstring for the headers and statuses)."""

    __slots__ = (
        "chunk_size",
        "content_disposition_type",
        "etag",
        "file_info",
        "file_path",
        "file_system",
        "filename",
        "stat_result",
    )

    def __init__(
        self,
        path: PathType,
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        chunk_size: int = ONE_MEGABYTE,
        content_disposition_type: Literal["attachment", "inline"] = "attachment",
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        etag: ETag | None = None,
        file_info: FileInfo | Awaitable[FileInfo] | None = None,
        file_system: FileSystemProtocol | None = None,
        filename: str | None = None,
        headers: ResponseHeaders | None = None,
        media_type: Literal[MediaType.TEXT] | str | None = None,
        stat_result: StatResult | None = None,
        status_code: int | None = None,
    ) -> None:
        if file_system is not None and not (
            callable(getattr(file_system, "info", None))
            and callable(getattr(file_system, "open", None))
        ):
            raise ImproperlyConfiguredException(
                "file_system must adhere to the FileSystemProtocol type"
            )
        self.chunk_size = chunk_size
        self.content_disposition_type = content_disposition_type
        self.etag = etag
        self.file_info = file_info
        self.file_path = path
        self.file_system = file_system
        self.filename = filename or ""
        self.stat_result = stat_result
        super().__init__(
            content=None,
            background=background,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            media_type=media_type,
            status_code=status_code,
        )

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
    ) -> ASGIFileResponse:
        """Create the :class:`ASGIFileResponse`; this response's own settings take precedence."""
        merged_headers, merged_cookies, _ = self._merged(headers, cookies, type_encoders)
        media = self.media_type or media_type
        return ASGIFileResponse(
            background=self.background or background,
            chunk_size=self.chunk_size,
            content_disposition_type=self.content_disposition_type,
            cookies=merged_cookies,
            encoded_headers=encoded_headers,
            encoding=self.encoding,
            etag=self.etag,
            file_info=self.file_info,
            file_path=self.file_path,
            file_system=self.file_system,
            filename=self.filename,
            headers=merged_headers,
            is_head_response=is_head_response,
            media_type=media.value if isinstance(media, MediaType) else media,
            stat_result=self.stat_result,
            status_code=self.status_code or status_code,
        )
