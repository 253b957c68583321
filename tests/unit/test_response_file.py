"""File responses: Litestar's headers, ranges, conditional requests, HEAD, errors, cleanup."""

from __future__ import annotations

import io
import logging
import os
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import trio

from trioweb import Request, TrioWeb, get
from trioweb.background_tasks import BackgroundTask
from trioweb.datastructures import ETag
from trioweb.exceptions import ImproperlyConfiguredException, NotFoundException
from trioweb.response import ASGIFileResponse, File, Response
from trioweb.response.file import FileChangedError, create_etag_for_file
from trioweb.testing import AsyncTestClient

CONTENT = bytes(range(256)) * 4  # 1 KiB, every byte value


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.bin"
    path.write_bytes(CONTENT)
    return path


def app_for(make: Any, **handler_options: Any) -> TrioWeb:
    @get("/", **handler_options)
    async def handler() -> File:
        return make()  # type: ignore[no-any-return]

    return TrioWeb([handler])


async def fetch(app: TrioWeb, method: str = "GET", **headers: str) -> httpx.Response:
    """Request ``/``; ``if_none_match="x"`` sends ``if-none-match: x``."""
    raw = {name.replace("_", "-"): value for name, value in headers.items()}
    async with AsyncTestClient(app) as client:
        return await client.request(method, "/", headers=raw)


def http_only(response: ASGIFileResponse) -> Any:
    """An ASGI app answering every HTTP request with ``response`` (no lifespan)."""

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await response(scope, receive, send)

    return app


# -- Litestar's headers ------------------------------------------------------------------


async def test_headers_match_litestar(data_file: Path) -> None:
    response = await fetch(app_for(lambda: File(data_file, filename="report.pdf")))
    stat = data_file.stat()
    assert response.status_code == 200
    assert response.content == CONTENT
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="report.pdf"'
    assert response.headers["content-length"] == str(len(CONTENT))
    assert response.headers["last-modified"] == formatdate(stat.st_mtime, usegmt=True)
    assert response.headers["etag"] == create_etag_for_file(data_file, stat.st_mtime, len(CONTENT))
    assert response.headers["accept-ranges"] == "bytes"


def test_etag_format_is_litestars() -> None:
    # adler32("/a"): a = 1 + 47 + 97 = 145, b = 48 + 145 = 193, (193 << 16) + 145
    assert create_etag_for_file("/a", 1.5, 10) == '"1.5-10-12648593"'
    assert create_etag_for_file("/a", None, 10) == '"10-12648593"'


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("plain.txt", 'attachment; filename="plain.txt"'),
        ("Jacky Chen.txt", "attachment; filename*=utf-8''Jacky%20Chen.txt"),
        ("成龍.txt", "attachment; filename*=utf-8''%E6%88%90%E9%BE%8D.txt"),
        ('a"b\r\nx.txt', "attachment; filename*=utf-8''a%22b%0D%0Ax.txt"),
        ("", 'attachment; filename=""'),
    ],
)
async def test_content_disposition(data_file: Path, filename: str, expected: str) -> None:
    response = await fetch(app_for(lambda: File(data_file, filename=filename)))
    assert response.headers["content-disposition"] == expected


async def test_inline_disposition(data_file: Path) -> None:
    make = lambda: File(data_file, filename="a.png", content_disposition_type="inline")  # noqa: E731
    response = await fetch(app_for(make))
    assert response.headers["content-disposition"] == 'inline; filename="a.png"'
    assert response.headers["content-type"] == "image/png"


@pytest.mark.parametrize(
    ("filename", "options", "expected"),
    [
        (None, {}, "application/octet-stream"),  # guessed from the filename, never the path
        ("notes.txt", {}, "text/plain; charset=utf-8"),
        ("notes.txt", {"media_type": "application/pdf"}, "application/pdf"),
        ("unknown.zzz", {}, "application/octet-stream"),
    ],
)
async def test_media_type(
    data_file: Path, filename: str | None, options: dict[str, Any], expected: str
) -> None:
    response = await fetch(app_for(lambda: File(data_file, filename=filename), **options))
    assert response.headers["content-type"] == expected


async def test_compressed_name_sets_content_encoding(data_file: Path) -> None:
    # HEAD: the test client would otherwise un-gzip the (not gzipped) body
    response = await fetch(app_for(lambda: File(data_file, filename="a.tar.gz")), "HEAD")
    assert response.headers["content-type"] == "application/x-tar"
    assert response.headers["content-encoding"] == "gzip"


async def test_given_headers_are_not_overridden(data_file: Path) -> None:
    make = lambda: File(  # noqa: E731
        data_file,
        headers={"Last-Modified": "yesterday", "ETag": '"mine"', "Content-Disposition": "inline"},
    )
    response = await fetch(app_for(make))
    assert response.headers.get_list("last-modified") == ["yesterday"]
    assert response.headers.get_list("etag") == ['"mine"']
    assert response.headers.get_list("content-disposition") == ["inline"]


async def test_given_content_length_is_kept_and_disables_ranges(tmp_path: Path) -> None:
    path = tmp_path / "one"
    path.write_bytes(b"a")
    response = await fetch(
        app_for(lambda: File(path, headers={"Content-Length": "1"})), range="bytes=0-0"
    )
    assert response.headers.get_list("content-length") == ["1"]
    assert response.status_code == 200
    assert "accept-ranges" not in response.headers


async def test_etag_argument(data_file: Path) -> None:
    response = await fetch(app_for(lambda: File(data_file, etag=ETag(value="special"))))
    assert response.headers["etag"] == '"special"'


async def test_cookies_background_and_status(data_file: Path) -> None:
    ran = trio.Event()

    async def after() -> None:
        ran.set()

    make = lambda: File(  # noqa: E731
        data_file,
        status_code=201,
        cookies={"k": "v"},
        background=BackgroundTask(after),
    )
    response = await fetch(app_for(make))
    assert response.status_code == 201
    assert response.cookies["k"] == "v"
    assert ran.is_set()
    assert "accept-ranges" not in response.headers  # ranges only for a 200


async def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty"
    path.write_bytes(b"")
    response = await fetch(app_for(lambda: File(path)))
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["content-length"] == "0"


# -- streaming ---------------------------------------------------------------------------


async def test_large_file_is_streamed_in_chunks(data_file: Path) -> None:
    app = app_for(lambda: File(data_file, chunk_size=100))
    async with AsyncTestClient(app) as client, client.stream("GET", "/") as response:
        chunks = [chunk async for chunk in response.aiter_raw()]
    assert b"".join(chunks) == CONTENT
    assert len(chunks) == 11
    assert max(len(chunk) for chunk in chunks) == 100


async def test_symlinked_file(data_file: Path, tmp_path: Path) -> None:
    link = tmp_path / "alt.bin"
    link.symlink_to(data_file)
    response = await fetch(app_for(lambda: File(link, filename="alt.bin")))
    assert response.content == CONTENT


async def test_stat_result_argument_is_used(data_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.write_bytes(b"12345")
    stat = other.stat()
    response = await fetch(app_for(lambda: File(data_file, stat_result=stat)))
    # the size comes from the given stat: only its 5 bytes are sent
    assert response.headers["content-length"] == "5"
    assert response.content == CONTENT[:5]


# -- ranges ------------------------------------------------------------------------------


@pytest.mark.parametrize("chunk_size", [1024 * 1024, 7])  # read whole, and streamed
@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=1000-", 1000, 1023),
        ("bytes=-10", 1014, 1023),
        ("bytes=1020-5000", 1020, 1023),
        ("bytes=-5000", 0, 1023),
        ("bytes=5-9, 0-4", 0, 9),  # adjacent ranges are merged
    ],
)
async def test_single_range(
    data_file: Path, chunk_size: int, header: str, start: int, end: int
) -> None:
    response = await fetch(app_for(lambda: File(data_file, chunk_size=chunk_size)), range=header)
    assert response.status_code == 206
    assert response.content == CONTENT[start : end + 1]
    assert response.headers["content-range"] == f"bytes {start}-{end}/1024"
    assert response.headers["content-length"] == str(end - start + 1)
    assert response.headers["content-type"] == "application/octet-stream"


def parse_multipart(response: httpx.Response) -> list[tuple[dict[str, str], bytes]]:
    content_type = response.headers["content-type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    boundary = content_type.split("boundary=")[1].encode()
    body = response.content
    assert body.endswith(b"\r\n--" + boundary + b"--\r\n")
    assert int(response.headers["content-length"]) == len(body)
    parts = []
    for raw in body.split(b"--" + boundary)[1:-1]:
        assert raw.startswith(b"\r\n") and raw.endswith(b"\r\n")
        head, _, payload = raw[2:-2].partition(b"\r\n\r\n")
        headers = dict(line.decode().split(": ", 1) for line in head.split(b"\r\n"))
        parts.append((headers, payload))
    return parts


@pytest.mark.parametrize("chunk_size", [1024 * 1024, 3])
async def test_multiple_ranges(data_file: Path, chunk_size: int) -> None:
    make = lambda: File(data_file, filename="a.txt", chunk_size=chunk_size)  # noqa: E731
    response = await fetch(app_for(make), range="bytes=0-1, 10-19, -2")
    assert response.status_code == 206
    parts = parse_multipart(response)
    assert [payload for _, payload in parts] == [CONTENT[0:2], CONTENT[10:20], CONTENT[-2:]]
    assert [headers["Content-Range"] for headers, _ in parts] == [
        "bytes 0-1/1024",
        "bytes 10-19/1024",
        "bytes 1022-1023/1024",
    ]
    assert {headers["Content-Type"] for headers, _ in parts} == {"text/plain; charset=utf-8"}


async def test_overlapping_ranges_are_merged(data_file: Path) -> None:
    response = await fetch(app_for(lambda: File(data_file)), range="bytes=0-10, 5-20, 100-110")
    parts = parse_multipart(response)
    assert [h["Content-Range"] for h, _ in parts] == ["bytes 0-20/1024", "bytes 100-110/1024"]


@pytest.mark.parametrize("header", ["bytes=2000-", "bytes=1024-1030", "bytes=-0"])
async def test_unsatisfiable_range_is_416(data_file: Path, header: str) -> None:
    response = await fetch(app_for(lambda: File(data_file)), range=header)
    assert response.status_code == 416
    assert response.headers["content-range"] == "bytes */1024"
    assert response.json() == {"status_code": 416, "detail": "Requested Range Not Satisfiable"}


@pytest.mark.parametrize(
    "header", ["items=0-1", "bytes=5-1", "bytes=a-b", "bytes=", "bytes=1", "0-1"]
)
async def test_invalid_or_foreign_range_is_ignored(data_file: Path, header: str) -> None:
    response = await fetch(app_for(lambda: File(data_file)), range=header)
    assert (response.status_code, response.content) == (200, CONTENT)


async def test_too_many_ranges_get_the_whole_file(data_file: Path) -> None:
    header = "bytes=" + ", ".join(f"{i * 10}-{i * 10}" for i in range(40))
    response = await fetch(app_for(lambda: File(data_file)), range=header)
    assert (response.status_code, response.content) == (200, CONTENT)


async def test_if_range(data_file: Path) -> None:
    app = app_for(lambda: File(data_file))
    etag = (await fetch(app)).headers["etag"]
    last_modified = formatdate(data_file.stat().st_mtime, usegmt=True)
    assert (await fetch(app, range="bytes=0-1", if_range=etag)).status_code == 206
    assert (await fetch(app, range="bytes=0-1", if_range=last_modified)).status_code == 206
    stale = await fetch(app, range="bytes=0-1", if_range='"old"')
    assert (stale.status_code, stale.content) == (200, CONTENT)
    weak = await fetch(app, range="bytes=0-1", if_range="W/" + etag)
    assert weak.status_code == 200  # a weak validator never matches If-Range
    old_date = await fetch(app, range="bytes=0-1", if_range="Mon, 01 Jan 2001 00:00:00 GMT")
    assert old_date.status_code == 200


async def test_range_is_ignored_for_head_and_other_statuses(data_file: Path) -> None:
    head = await fetch(app_for(lambda: File(data_file)), "HEAD", range="bytes=0-1")
    assert (head.status_code, head.headers["content-length"], head.content) == (200, "1024", b"")
    created = await fetch(app_for(lambda: File(data_file, status_code=203)), range="bytes=0-1")
    assert (created.status_code, created.content) == (203, CONTENT)


# -- conditional requests and HEAD -------------------------------------------------------


async def test_if_none_match_answers_304(data_file: Path) -> None:
    ran: list[str] = []
    app = app_for(
        lambda: File(data_file, background=BackgroundTask(ran.append, "bg"), filename="a.txt")
    )
    first = await fetch(app)
    etag = first.headers["etag"]
    for header in (etag, f'"x", {etag}', "W/" + etag, "*"):
        response = await fetch(app, if_none_match=header)
        assert (response.status_code, response.content) == (304, b""), header
        assert response.headers["etag"] == etag
        assert "content-length" not in response.headers
        assert "content-type" not in response.headers
        assert "content-disposition" not in response.headers
    assert ran == ["bg"] * 5
    assert (await fetch(app, if_none_match='"other"')).status_code == 200


async def test_if_modified_since(data_file: Path) -> None:
    app = app_for(lambda: File(data_file))
    mtime = data_file.stat().st_mtime
    same = await fetch(app, if_modified_since=formatdate(mtime, usegmt=True))
    assert same.status_code == 304
    later = await fetch(app, if_modified_since=formatdate(mtime + 60, usegmt=True))
    assert later.status_code == 304
    earlier = await fetch(app, if_modified_since=formatdate(mtime - 60, usegmt=True))
    assert earlier.status_code == 200
    garbage = await fetch(app, if_modified_since="not a date")
    assert garbage.status_code == 200
    # If-None-Match wins over If-Modified-Since
    both = await fetch(
        app, if_none_match='"other"', if_modified_since=formatdate(mtime, usegmt=True)
    )
    assert both.status_code == 200


async def test_head_sends_headers_only(data_file: Path) -> None:
    response = await fetch(app_for(lambda: File(data_file, chunk_size=10)), "HEAD")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == "1024"
    assert response.headers["accept-ranges"] == "bytes"
    assert (
        await fetch(app_for(lambda: File(data_file)), "HEAD", if_none_match="*")
    ).status_code == 304


async def test_post_is_not_conditional(data_file: Path) -> None:
    from trioweb import post

    @post("/", status_code=200)
    async def upload() -> File:
        return File(data_file)

    async with AsyncTestClient(TrioWeb([upload])) as client:
        response = await client.post("/", headers={"if-none-match": "*", "range": "bytes=0-0"})
    assert (response.status_code, response.content) == (200, CONTENT)


# -- errors ------------------------------------------------------------------------------


async def test_missing_file_is_404(tmp_path: Path) -> None:
    response = await fetch(app_for(lambda: File(tmp_path / "missing.txt")))
    assert response.status_code == 404
    assert response.json() == {"status_code": 404, "detail": "Not Found"}


async def test_missing_file_goes_through_exception_handlers(tmp_path: Path) -> None:
    def handle_404(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[str]:
        return Response("custom not found", status_code=404, media_type="text/plain")

    @get("/")
    async def handler() -> File:
        return File(tmp_path / "missing.txt")

    app = TrioWeb([handler], exception_handlers={NotFoundException: handle_404})
    async with AsyncTestClient(app) as client:
        response = await client.get("/")
    assert (response.status_code, response.text) == (404, "custom not found")


@pytest.mark.parametrize("name", ["a\x00b.txt", "x" * 300, "x/" * 2100])
async def test_impossible_names_from_the_request_are_404(tmp_path: Path, name: str) -> None:
    # a NUL byte, or a name or path too long for the file system: no such file exists
    @get("/download/{name:path}")
    async def download(name: str) -> File:
        return File(tmp_path / name.lstrip("/"), filename="x")

    async with AsyncTestClient(TrioWeb([download])) as client:
        response = await client.get("/download/" + quote(name))
    assert (response.status_code, response.json()) == (
        404,
        {"status_code": 404, "detail": "Not Found"},
    )


async def test_directory_is_404_and_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # e.g. File(UPLOADS / name) with name ".." from the request: a client's input, not a 500
    response = await fetch(app_for(lambda: File(tmp_path)))
    assert (response.status_code, response.json()) == (
        404,
        {"status_code": 404, "detail": "Not Found"},
    )
    (record,) = [r for r in caplog.records if r.name == "trioweb"]
    assert record.levelno == logging.WARNING
    assert "is not a regular file" in record.getMessage()
    with pytest.raises(NotFoundException):
        await ASGIFileResponse(file_path=tmp_path).prepare_for({"method": "GET", "headers": []})


async def test_file_deleted_after_lookup_is_404(data_file: Path) -> None:
    for chunk_size in (10, 1024 * 1024):  # streamed and read whole
        response = ASGIFileResponse(file_path=data_file, chunk_size=chunk_size)
        scope = {"type": "http", "method": "GET", "headers": []}
        await response.prepare_for(scope)
        data_file.unlink()
        async with AsyncTestClient(http_only(response)) as client:
            result = await client.get("/")
        assert result.status_code == 404
        data_file.write_bytes(CONTENT)


async def test_file_truncated_while_streamed_aborts(
    data_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    @get("/")
    async def handler() -> File:
        stat = data_file.stat()
        os.truncate(data_file, 100)  # shorter than the stat says, after the look-up
        return File(data_file, chunk_size=10, stat_result=stat)

    async with AsyncTestClient(TrioWeb([handler])) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/")
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert errors[0].exc_info is not None and errors[0].exc_info[0] is FileChangedError


async def test_small_file_truncated_before_read_is_500(data_file: Path) -> None:
    @get("/")
    async def handler() -> File:
        stat = data_file.stat()
        os.truncate(data_file, 100)
        return File(data_file, stat_result=stat)

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.get("/")
    assert response.status_code == 500


async def test_file_deleted_while_streamed_is_sent_whole(data_file: Path) -> None:
    app = app_for(lambda: File(data_file, chunk_size=100))
    async with AsyncTestClient(app) as client, client.stream("GET", "/") as response:
        chunks = response.aiter_raw()
        first = await anext(chunks)
        data_file.unlink()  # the open file outlives its name
        rest = [chunk async for chunk in chunks]
    assert first + b"".join(rest) == CONTENT


# -- other file systems and closing ------------------------------------------------------


class MemoryFileSystem:
    """A synchronous fsspec-style file system that records how its files are closed."""

    def __init__(self, files: dict[str, bytes], sizes: dict[str, int] | None = None) -> None:
        self.files = files
        self.sizes = sizes or {}
        self.opened: list[TrackedFile] = []

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        if path not in self.files:
            raise FileNotFoundError(path)
        size = self.sizes.get(path, len(self.files[path]))
        return {"name": path, "size": size, "type": "file", "mtime": 1_000_000.0}

    def open(self, path: str, mode: str = "rb") -> TrackedFile:
        file = TrackedFile(self.files[path])
        self.opened.append(file)
        return file


class TrackedFile(io.BytesIO):
    pass


async def test_custom_file_system() -> None:
    fs = MemoryFileSystem({"/x/hello.txt": b"hello from memory"})
    app = app_for(lambda: File("/x/hello.txt", file_system=fs, filename="hello.txt"))
    response = await fetch(app)
    assert response.content == b"hello from memory"
    assert response.headers["last-modified"] == formatdate(1_000_000.0, usegmt=True)
    assert response.headers["etag"] == create_etag_for_file("/x/hello.txt", 1_000_000.0, 17)
    assert (await fetch(app, range="bytes=6-9")).content == b"from"
    assert (await fetch(app_for(lambda: File("/nope", file_system=fs)))).status_code == 404
    assert fs.opened and all(file.closed for file in fs.opened)


def test_invalid_file_system_is_rejected() -> None:
    with pytest.raises(ImproperlyConfiguredException):
        File("/x", file_system=object())  # type: ignore[arg-type]


@pytest.mark.parametrize("chunk_size", [4, 1024])
async def test_file_closed_when_client_leaves(chunk_size: int) -> None:
    fs = MemoryFileSystem({"/big": b"x" * 400})
    app = app_for(lambda: File("/big", file_system=fs, chunk_size=chunk_size))
    async with AsyncTestClient(app) as client, client.stream("GET", "/") as response:
        await anext(response.aiter_raw())
    assert len(fs.opened) == 1 and fs.opened[0].closed


async def test_file_closed_when_it_is_shorter_than_announced(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fs = MemoryFileSystem({"/short": b"x" * 40}, sizes={"/short": 400})
    app = app_for(lambda: File("/short", file_system=fs, chunk_size=10))
    async with AsyncTestClient(app) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/")
    assert len(fs.opened) == 1 and fs.opened[0].closed
    assert "aborted" in caplog.text


async def test_background_does_not_run_after_an_aborted_file() -> None:
    ran: list[str] = []
    fs = MemoryFileSystem({"/short": b"x" * 40}, sizes={"/short": 400})
    app = app_for(
        lambda: File(
            "/short", file_system=fs, chunk_size=10, background=BackgroundTask(ran.append, "x")
        )
    )
    async with AsyncTestClient(app) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/")
    assert ran == []


async def test_file_in_a_connection_nursery_route(data_file: Path) -> None:
    @get("/", cancel_on_disconnect=True)
    async def handler() -> File:
        return File(data_file, chunk_size=100)

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.get("/", headers={"range": "bytes=0-499"})
    assert (response.status_code, response.content) == (206, CONTENT[:500])


async def test_asgi_file_response_as_an_app(data_file: Path) -> None:
    response = ASGIFileResponse(file_path=data_file, filename="x.bin")
    async with AsyncTestClient(http_only(response)) as client:
        result = await client.get("/", headers={"range": "bytes=2000-"})
    assert result.status_code == 416
