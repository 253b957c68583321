"""Static files: ``create_static_files_router`` (as in ``litestar.static_files``) and the
``StaticFiles`` app behind it.

Every file is sent by :class:`~trioweb.response.file.ASGIFileResponse`, so static files get
ETags, ``Last-Modified``, 304s, ranges and HEAD. Files are sent ``inline`` unless
``send_as_attachment``; ``html_mode`` serves ``index.html`` for a directory and the first
``404.html`` found (with status 404) for a path that matches nothing.

Confinement: a request can only reach files inside ``directories``.

* The path is split on ``/``; empty and ``.`` segments are skipped; a ``..`` segment, a
  segment holding a backslash or a NUL, or an absolute or drive-qualified segment answers
  404 at once (in ``html_mode``, with the ``404.html`` page, as any path that matches
  nothing). The server has already decoded ``%2e%2e`` and ``%2f`` into ``..`` and ``/``, so
  encoded forms are caught by the same rule; a double-encoded ``%252e`` reaches us as the
  literal name ``%2e``, which is decoded no further.
* For the local file system the candidate is then resolved with every symlink followed, and
  it must lie inside one of the directories (themselves resolved once, when the router is
  built): a symlink that points outside answers 404 (Litestar serves it), one that stays
  inside is served. The real path is what gets opened; the ETag is Litestar's, computed
  from the requested path (``directory/link.txt``, not the link's target), so both send the
  same validator.
* With another ``file_system`` (fsspec-style) only the segment rule applies; symlinks are
  that file system's business.

The look-up of one request (resolution, containment, ``stat``) is one worker-thread call.
"""

from __future__ import annotations

import os
import stat as stat_module
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Final, Literal

import trio

from trioweb.datastructures import ETag
from trioweb.enums import MediaType
from trioweb.exceptions import (
    HTTPException,
    ImproperlyConfiguredException,
    MethodNotAllowedException,
    NotFoundException,
)
from trioweb.exceptions.responses import http_exception_to_content
from trioweb.handlers import get, head
from trioweb.response.base import Response
from trioweb.response.file import (
    ASGIFileResponse,
    FileInfo,
    create_etag_for_file,
    read_file_info,
)
from trioweb.router import Router
from trioweb.status_codes import HTTP_200_OK, HTTP_404_NOT_FOUND

if TYPE_CHECKING:
    from os import stat_result as StatResult

    from trioweb.datastructures import CacheControlHeader
    from trioweb.response.file import FileSystemProtocol
    from trioweb.types import PathType, Receive, Scope, Send

__all__ = ("StaticFiles", "create_static_files_router")

_INDEX: Final = "index.html"
_NOT_FOUND_PAGE: Final = "404.html"


def _segments(path: str) -> tuple[str, ...] | None:
    """The path's segments, or None if one of them could leave the directory."""
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if (
            segment == ".."
            or "\\" in segment
            or "\x00" in segment
            or os.path.isabs(segment)
            or os.path.splitdrive(segment)[0]
        ):
            return None
        segments.append(segment)
    return tuple(segments)


def _inside(real_path: str, directory: str) -> bool:
    try:
        return os.path.commonpath([real_path, directory]) == directory
    except ValueError:  # different drives
        return False


def _stat_inside(candidate: str, directory: str) -> tuple[str, StatResult] | None:
    real_path = os.path.realpath(candidate)
    if not _inside(real_path, directory):
        return None
    try:
        return real_path, os.stat(real_path)
    except (OSError, ValueError):
        return None


_Found = tuple[str, "StatResult", str, int, str]
"""``(real path, stat, filename, status, requested path)``."""


def _locate_local(
    directories: tuple[str, ...], segments: tuple[str, ...] | None, html_mode: bool
) -> _Found | None:
    """Find the file to send (runs in a worker thread).

    ``segments`` is None for a path that tried to leave the directories: only html mode's
    404 page can answer it. The requested path (symlinks unresolved) is what Litestar
    derives the ETag from; the real path is what gets opened.
    """
    for directory in directories if segments is not None else ():
        requested = os.path.join(directory, *(segments or ()))
        found = _stat_inside(requested, directory)
        if found is None:
            continue
        real_path, result = found
        if stat_module.S_ISREG(result.st_mode):
            return real_path, result, segments[-1] if segments else "", HTTP_200_OK, requested
        if html_mode and stat_module.S_ISDIR(result.st_mode):
            requested = os.path.join(requested, _INDEX)
            index = _stat_inside(requested, directory)
            if index is not None and stat_module.S_ISREG(index[1].st_mode):
                return index[0], index[1], _INDEX, HTTP_200_OK, requested
    if html_mode:
        for directory in directories:
            requested = os.path.join(directory, _NOT_FOUND_PAGE)
            page = _stat_inside(requested, directory)
            if page is not None and stat_module.S_ISREG(page[1].st_mode):
                return page[0], page[1], _NOT_FOUND_PAGE, HTTP_404_NOT_FOUND, requested
    return None


def _litestar_etag(requested: str, result: StatResult) -> ETag:
    tag = create_etag_for_file(requested, result.st_mtime, result.st_size)
    return ETag(value=tag[1:-1])


class StaticFiles:
    """Serve files from ``directories`` (an ASGI app, and the engine of the router)."""

    __slots__ = (
        "directories",
        "file_system",
        "headers",
        "is_html_mode",
        "send_as_attachment",
    )

    def __init__(
        self,
        is_html_mode: bool,
        directories: Sequence[PathType],
        file_system: FileSystemProtocol | None = None,
        send_as_attachment: bool = False,
        resolve_symlinks: bool = True,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.file_system = file_system
        if file_system is None:
            # Containment is checked against real paths, so the directories are resolved
            # whatever resolve_symlinks says (it exists for Litestar compatibility).
            self.directories: tuple[str, ...] = tuple(
                os.path.realpath(os.fspath(d)) for d in directories
            )
        else:
            self.directories = tuple(
                os.path.realpath(os.fspath(d)) if resolve_symlinks else os.fspath(d)
                for d in directories
            )
        self.is_html_mode = is_html_mode
        self.send_as_attachment = send_as_attachment
        self.headers = headers

    async def _locate_remote(
        self, segments: tuple[str, ...] | None
    ) -> tuple[str, FileInfo, str, int] | None:
        file_system = self.file_system

        async def info(path: str) -> FileInfo | None:
            try:
                return await read_file_info(path, file_system)
            except FileNotFoundError:
                return None

        for directory in self.directories if segments is not None else ():
            candidate = "/".join([directory.rstrip("/"), *(segments or ())])
            found = await info(candidate)
            if found is not None and found.get("type") == "file":
                return candidate, found, segments[-1] if segments else "", HTTP_200_OK
            if found is not None and found.get("type") == "directory" and self.is_html_mode:
                index_path = f"{candidate.rstrip('/')}/{_INDEX}"
                index = await info(index_path)
                if index is not None and index.get("type") == "file":
                    return index_path, index, _INDEX, HTTP_200_OK
        if self.is_html_mode:
            for directory in self.directories:
                page_path = f"{directory.rstrip('/')}/{_NOT_FOUND_PAGE}"
                page = await info(page_path)
                if page is not None and page.get("type") == "file":
                    return page_path, page, _NOT_FOUND_PAGE, HTTP_404_NOT_FOUND
        return None

    async def handle(self, path: str, is_head_response: bool) -> ASGIFileResponse:
        """The response for the request path ``path`` (relative to the router).

        Error handling: ``NotFoundException`` when no file matches (or the path tries to
        leave the directories).
        """
        disposition: Literal["inline", "attachment"] = (
            "attachment" if self.send_as_attachment else "inline"
        )
        segments = _segments(path)
        if self.file_system is None:
            local = await trio.to_thread.run_sync(
                _locate_local, self.directories, segments, self.is_html_mode
            )
            if local is not None:
                file_path, result, filename, status, requested = local
                return ASGIFileResponse(
                    file_path=file_path,
                    stat_result=result,
                    etag=_litestar_etag(requested, result),
                    filename=filename,
                    content_disposition_type=disposition,
                    is_head_response=is_head_response,
                    headers=self.headers,
                    status_code=status,
                )
        else:
            remote = await self._locate_remote(segments)
            if remote is not None:
                file_path, info, filename, status = remote
                return ASGIFileResponse(
                    file_path=file_path,
                    file_info=info,
                    file_system=self.file_system,
                    filename=filename,
                    content_disposition_type=disposition,
                    is_head_response=is_head_response,
                    headers=self.headers,
                    status_code=status,
                )
        # Litestar's message, with the requested path relative to the router; Litestar
        # reports a directory's absolute path on the server, which is never done here.
        shown = PurePosixPath(*path.split("/"))
        raise NotFoundException(f"no file or directory match the path {shown} was found")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve ``scope["path"]`` (mounted with ``asgi()``, the path is below the mount)."""
        is_head = scope.get("method") == "HEAD"
        try:
            if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
                raise MethodNotAllowedException(headers={"allow": "GET, HEAD"})
            response = await self.handle(scope["path"], is_head_response=is_head)
        except HTTPException as exc:
            content = http_exception_to_content(exc)
            error = Response(
                content,
                status_code=exc.status_code,
                headers=exc.headers or {},
                media_type=MediaType.JSON,
            ).to_asgi_response(None, None, is_head_response=is_head)
            await error(scope, receive, send)
            return
        await response(scope, receive, send)


def _validate_config(path: str, directories: Sequence[PathType], file_system: Any) -> None:
    if not path:
        raise ImproperlyConfiguredException("path must be a non-zero length string,")
    if not directories or not any(bool(d) for d in directories):
        raise ImproperlyConfiguredException("directories must include at least one path.")
    if "{" in path:
        raise ImproperlyConfiguredException("path parameters are not supported for static files")
    if file_system is not None and not (
        callable(getattr(file_system, "info", None))
        and callable(getattr(file_system, "open", None))
    ):
        raise ImproperlyConfiguredException(
            "file_system must adhere to the FileSystemProtocol type"
        )


def create_static_files_router(
    path: str,
    directories: Sequence[PathType],
    file_system: Any = None,
    send_as_attachment: bool = False,
    html_mode: bool = False,
    name: str = "static",
    after_request: Any = None,
    after_response: Any = None,
    before_request: Any = None,
    cache_control: CacheControlHeader | None = None,
    exception_handlers: Any = None,
    guards: Any = None,
    include_in_schema: bool = False,
    middleware: Any = None,
    opt: dict[str, Any] | None = None,
    security: Any = None,
    tags: Any = None,
    router_class: type[Router] = Router,
    resolve_symlinks: bool = True,
) -> Router:
    """A router serving the files of ``directories`` under ``path``.

    Routes (Litestar's names): ``GET {path}/{file_path:path}`` named ``name``, ``HEAD`` named
    ``f"{name}/head"``, and in ``html_mode`` ``GET {path}`` named ``f"{name}/index"``. Use
    ``request.url_for_static_asset(name, "css/site.css")`` (or ``url_for(name,
    file_path="/css/site.css")``) to build links.

    Error handling: ``ImproperlyConfiguredException`` (when called) for an empty ``path``,
    a path with parameters, no directories or a file system without ``info``/``open``.
    """
    _validate_config(path, directories, file_system)
    headers = {cache_control.HEADER_NAME: cache_control.to_header()} if cache_control else None
    static_files = StaticFiles(
        is_html_mode=html_mode,
        directories=directories,
        file_system=file_system,
        send_as_attachment=send_as_attachment,
        resolve_symlinks=resolve_symlinks,
        headers=headers,
    )

    @get("{file_path:path}", name=name)
    async def get_handler(file_path: str) -> ASGIFileResponse:
        return await static_files.handle(path=file_path, is_head_response=False)

    @head("/{file_path:path}", name=f"{name}/head")
    async def head_handler(file_path: str) -> ASGIFileResponse:
        return await static_files.handle(path=file_path, is_head_response=True)

    handlers: list[Any] = [get_handler, head_handler]
    if html_mode:

        @get("/", name=f"{name}/index")
        async def index_handler() -> ASGIFileResponse:
            return await static_files.handle(path="/", is_head_response=False)

        handlers.append(index_handler)

    return router_class(
        path=path,
        route_handlers=handlers,
        after_request=after_request,
        after_response=after_response,
        before_request=before_request,
        cache_control=cache_control,
        exception_handlers=exception_handlers,
        guards=guards,
        include_in_schema=include_in_schema,
        middleware=middleware,
        opt=opt,
        security=security,
        tags=tags,
    )
