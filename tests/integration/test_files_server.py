"""Files and static files on a real hypercorn trio server, read with httpx and raw sockets.

Real sockets, so real clocks. ``WAIT`` bounds what should happen "at once" on loopback.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
import trio

from tests.integration._reading import read_until
from tests.integration._server import open_server
from trioweb import TrioWeb, get
from trioweb.datastructures import CacheControlHeader
from trioweb.response import File
from trioweb.response.file import FileChangedError
from trioweb.static_files import create_static_files_router

WAIT = 5.0
BIG = os.urandom(3 * 1024 * 1024 + 123)  # a few chunks of the default 1 MiB, plus a tail


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    public = tmp_path / "public"
    public.mkdir()
    (public / "big.bin").write_bytes(BIG)
    (public / "index.html").write_text("<h1>home</h1>")
    (public / "hello.txt").write_text("hello world")
    (public / "404.html").write_text("<h1>not here</h1>")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    (public / "escape.txt").symlink_to(secret)
    return public


def files_app(public: Path, *extra: Any, **handler_options: Any) -> TrioWeb:
    @get("/download", **handler_options)
    async def download() -> File:
        return File(public / "big.bin", filename="big.bin")

    @get("/missing")
    async def missing() -> File:
        return File(public / "nope.bin")

    static = create_static_files_router(
        "/static", [public], html_mode=True, cache_control=CacheControlHeader(max_age=60)
    )
    return TrioWeb([download, missing, static, *extra])


async def raw_request(url: str, target: str) -> bytes:
    """Send ``GET target`` byte for byte (no client-side path cleaning); return the reply."""
    port = int(url.rsplit(":", 1)[1])
    stream = await trio.open_tcp_stream("127.0.0.1", port)
    async with stream:
        request = f"GET {target} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"
        await stream.send_all(request.encode("latin-1"))
        reply = bytearray()
        with trio.fail_after(WAIT):
            while chunk := await stream.receive_some():
                reply.extend(chunk)
    return bytes(reply)


async def test_big_file_streams_whole(tree: Path) -> None:
    async with open_server(files_app(tree)) as url, httpx.AsyncClient(base_url=url) as client:
        with trio.fail_after(WAIT):
            response = await client.get("/download")
    assert response.status_code == 200
    assert hashlib.sha256(response.content).digest() == hashlib.sha256(BIG).digest()
    assert response.headers["content-length"] == str(len(BIG))
    assert response.headers["content-disposition"] == 'attachment; filename="big.bin"'
    assert response.headers["accept-ranges"] == "bytes"
    assert "transfer-encoding" not in response.headers


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_ranges_conditionals_and_head(tree: Path, cancel_on_disconnect: bool) -> None:
    app = files_app(tree, cancel_on_disconnect=cancel_on_disconnect)
    async with open_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        with trio.fail_after(WAIT):
            full = await client.head("/download")
            tail = await client.get("/download", headers={"range": "bytes=-100"})
            middle = await client.get(
                "/download",
                headers={"range": "bytes=1048570-1048580", "if-range": full.headers["etag"]},
            )
            multi = await client.get("/download", headers={"range": "bytes=0-9, 2097152-2097161"})
            unsatisfiable = await client.get("/download", headers={"range": f"bytes={len(BIG)}-"})
            not_modified = await client.get(
                "/download", headers={"if-none-match": full.headers["etag"]}
            )
            since = await client.get(
                "/download", headers={"if-modified-since": full.headers["last-modified"]}
            )
    assert (full.status_code, full.content, full.headers["content-length"]) == (
        200,
        b"",
        str(len(BIG)),
    )
    assert (tail.status_code, tail.content) == (206, BIG[-100:])
    assert tail.headers["content-range"] == f"bytes {len(BIG) - 100}-{len(BIG) - 1}/{len(BIG)}"
    assert (middle.status_code, middle.content) == (206, BIG[1048570:1048581])
    assert multi.status_code == 206
    assert multi.headers["content-type"].startswith("multipart/byteranges; boundary=")
    assert BIG[0:10] in multi.content and BIG[2097152:2097162] in multi.content
    assert int(multi.headers["content-length"]) == len(multi.content)
    assert unsatisfiable.status_code == 416
    assert unsatisfiable.headers["content-range"] == f"bytes */{len(BIG)}"
    assert (not_modified.status_code, not_modified.content) == (304, b"")
    assert since.status_code == 304


async def test_missing_file_is_404(tree: Path) -> None:
    async with open_server(files_app(tree)) as url, httpx.AsyncClient(base_url=url) as client:
        response = await client.get("/missing")
    assert (response.status_code, response.json()) == (
        404,
        {"status_code": 404, "detail": "Not Found"},
    )


async def test_static_files(tree: Path) -> None:
    async with open_server(files_app(tree)) as url, httpx.AsyncClient(base_url=url) as client:
        with trio.fail_after(WAIT):
            index = await client.get("/static/")
            hello = await client.get("/static/hello.txt", headers={"range": "bytes=6-"})
            cached = await client.get("/static/hello.txt", headers={"if-none-match": "*"})
    assert (index.status_code, index.text) == (200, "<h1>home</h1>")
    assert (hello.status_code, hello.text) == (206, "world")
    assert hello.headers["cache-control"] == "max-age=60"
    assert cached.status_code == 304
    assert cached.headers["cache-control"] == "max-age=60"


@pytest.mark.parametrize(
    "target",
    [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/%2E%2E%2Fsecret.txt",
        "/static/..%2fsecret.txt",
        "/static/escape.txt",
        "/static/%2e%2e/public/../secret.txt",
        "/static/..%5csecret.txt",  # backslashes
        "/static/%5c..%5csecret.txt",
        "/static/..\\secret.txt",
        "/static/hello.txt%00",  # NUL bytes
        "/static/%00/../secret.txt",
        "/static/%252e%252e/secret.txt",  # double-encoded: decoded once, never twice
        "/static/%252e%252e%252fsecret.txt",
    ],
)
async def test_traversal_over_the_wire(tree: Path, target: str) -> None:
    async with open_server(files_app(tree)) as url:
        reply = await raw_request(url, target)
    status_line = reply.split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 404"), reply[:200]
    assert b"TOP SECRET" not in reply
    assert reply.endswith(b"<h1>not here</h1>")  # html_mode: the 404 page, as for any miss


async def test_static_files_validators_head_and_attachment(tree: Path) -> None:
    attachments = create_static_files_router("/dl", [tree], send_as_attachment=True)
    app = files_app(tree, attachments)
    async with open_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        with trio.fail_after(WAIT):
            hello = await client.get("/static/hello.txt")
            etag, modified = hello.headers["etag"], hello.headers["last-modified"]
            head = await client.head("/static/hello.txt")
            weak_list = await client.get(
                "/static/hello.txt", headers={"if-none-match": f'"other", W/{etag}'}
            )
            head_304 = await client.head("/static/hello.txt", headers={"if-none-match": etag})
            stale_range = await client.get(
                "/static/hello.txt", headers={"range": "bytes=0-4", "if-range": '"old"'}
            )
            dated_range = await client.get(
                "/static/hello.txt", headers={"range": "bytes=0-4", "if-range": modified}
            )
            missing = await client.get("/static/nothing/here")
            attachment = await client.get("/dl/hello.txt")
    assert head.status_code == 200 and head.content == b""
    assert {k: head.headers[k] for k in ("content-length", "etag", "content-type")} == {
        "content-length": "11",
        "etag": etag,
        "content-type": "text/plain; charset=utf-8",
    }
    assert (weak_list.status_code, weak_list.content) == (304, b"")  # weak comparison
    assert weak_list.headers["etag"] == etag and weak_list.headers["cache-control"] == "max-age=60"
    assert "content-length" not in weak_list.headers
    assert (head_304.status_code, head_304.content) == (304, b"")
    assert (stale_range.status_code, stale_range.text) == (200, "hello world")
    assert (dated_range.status_code, dated_range.text) == (206, "hello")
    assert (missing.status_code, missing.text) == (404, "<h1>not here</h1>")
    assert missing.headers["content-type"] == "text/html; charset=utf-8"
    assert attachment.headers["content-disposition"] == 'attachment; filename="hello.txt"'


async def test_multiple_ranges_body_is_exact(tree: Path) -> None:
    async with open_server(files_app(tree)) as url, httpx.AsyncClient(base_url=url) as client:
        with trio.fail_after(WAIT):
            response = await client.get("/download", headers={"range": "bytes=-5, 0-2, 10-12"})
    boundary = response.headers["content-type"].split("boundary=", 1)[1]
    size = len(BIG)
    expected = b"".join(
        (b"\r\n" if i else b"")
        + f"--{boundary}\r\nContent-Type: application/octet-stream\r\n".encode()
        + f"Content-Range: bytes {start}-{end}/{size}\r\n\r\n".encode()
        + BIG[start : end + 1]
        for i, (start, end) in enumerate([(0, 2), (10, 12), (size - 5, size - 1)])
    ) + f"\r\n--{boundary}--\r\n".encode()
    assert response.status_code == 206
    assert response.content == expected
    assert response.headers["content-length"] == str(len(expected))


async def test_unsatisfiable_range_over_the_wire(tree: Path) -> None:
    async with open_server(files_app(tree)) as url, httpx.AsyncClient(base_url=url) as client:
        with trio.fail_after(WAIT):
            response = await client.get("/static/hello.txt", headers={"range": "bytes=50-60"})
    assert response.status_code == 416
    assert response.headers["content-range"] == "bytes */11"
    assert response.json() == {"status_code": 416, "detail": "Requested Range Not Satisfiable"}


async def test_local_file_truncated_mid_download_aborts(
    tree: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # far more than loopback socket buffers hold, so the server is still reading when the
    # file shrinks under it
    content = BIG * 8
    path = tree / "huge.bin"
    path.write_bytes(content)

    @get("/")
    async def download() -> File:
        return File(path, chunk_size=64 * 1024)

    async with open_server(TrioWeb([download])) as url, httpx.AsyncClient() as client:
        with trio.fail_after(WAIT):
            async with client.stream("GET", url) as response:
                chunks = response.aiter_raw()
                received = await anext(chunks)
                with path.open("r+b") as file:
                    file.truncate(128 * 1024)
                with pytest.raises(httpx.RemoteProtocolError):
                    async for chunk in chunks:
                        received += chunk
            again = await client.get(url, headers={"range": "bytes=0-3"})  # still serving
    assert len(received) < len(content)  # never a short body passed off as whole
    assert again.content == BIG[:4]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "trioweb"]
    assert [r.exc_info[0] for r in errors if r.exc_info] == [FileChangedError]


async def test_absolute_target_stays_inside(tree: Path) -> None:
    async with open_server(files_app(tree)) as url:
        reply = await raw_request(url, "/static/" + str(tree.parent / "secret.txt"))
    assert reply.startswith(b"HTTP/1.1 404")
    assert b"TOP SECRET" not in reply


class ClosingFS:
    """A file system over bytes, recording whether each opened file got closed."""

    def __init__(self, data: bytes, size: int | None = None) -> None:
        self.data = data
        self.size = len(data) if size is None else size
        self.opened: list[io.BytesIO] = []

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        return {"name": path, "size": self.size, "type": "file", "mtime": 1.0}

    def open(self, path: str, mode: str = "rb") -> io.BytesIO:
        file = io.BytesIO(self.data)
        self.opened.append(file)
        return file


@pytest.mark.parametrize("cancel_on_disconnect", [False, True])
async def test_client_leaving_mid_download_closes_the_file(cancel_on_disconnect: bool) -> None:
    fs = ClosingFS(b"y" * (8 * 1024 * 1024))

    @get("/", cancel_on_disconnect=cancel_on_disconnect)
    async def download() -> File:
        return File("/mem", file_system=fs, chunk_size=64 * 1024)

    async with open_server(TrioWeb([download])) as url, httpx.AsyncClient() as client:
        async with client.stream("GET", url) as response:
            await read_until(response, lambda received: len(received) >= 64 * 1024)
        with trio.fail_after(WAIT):
            while not (fs.opened and fs.opened[0].closed):
                await trio.sleep(0.01)
        again = await client.get(url, headers={"range": "bytes=0-3"})  # still serving
    assert again.content == b"yyyy"


async def test_truncated_file_aborts_and_the_server_carries_on(
    tree: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fs = ClosingFS(b"z" * 300_000, size=1_000_000)  # shorter than its announced size

    @get("/short")
    async def short() -> File:
        return File("/mem", file_system=fs, chunk_size=64 * 1024)

    app = TrioWeb([short, create_static_files_router("/static", [tree])])
    async with open_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        with trio.fail_after(WAIT):
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get("/short")
            hello = await client.get("/static/hello.txt")
    assert hello.text == "hello world"
    assert fs.opened[0].closed
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "trioweb"]
    assert [r.exc_info[0] for r in errors if r.exc_info] == [FileChangedError]


async def test_file_deleted_mid_download_still_arrives_whole(tree: Path) -> None:
    path = tree / "big.bin"

    @get("/")
    async def download() -> File:
        return File(path, chunk_size=64 * 1024)

    async with open_server(TrioWeb([download])) as url, httpx.AsyncClient() as client:
        with trio.fail_after(WAIT):
            async with client.stream("GET", url) as response:
                chunks = response.aiter_raw()
                received = await anext(chunks)
                path.unlink()
                async for chunk in chunks:
                    received += chunk
    assert received == BIG


async def test_compressed_file_cannot_be_resumed_across_encodings(tree: Path) -> None:
    from trioweb.config.compression import CompressionConfig

    text = tree / "notes.txt"
    text.write_text("structured concurrency " * 2000)

    @get("/notes")
    async def notes() -> File:
        return File(text, filename="notes.txt")

    app = TrioWeb([notes], compression_config=CompressionConfig(backend="gzip"))
    async with open_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        with trio.fail_after(WAIT):
            packed = await client.get("/notes", headers={"accept-encoding": "gzip"})
            weak = packed.headers["etag"]
            resumed = await client.get(
                "/notes",
                headers={"accept-encoding": "gzip", "range": "bytes=100-", "if-range": weak},
            )
            cached = await client.get(
                "/notes", headers={"accept-encoding": "gzip", "if-none-match": weak}
            )
    assert packed.headers["content-encoding"] == "gzip" and weak.startswith('W/"')
    assert "accept-ranges" not in packed.headers
    assert packed.text == text.read_text()  # httpx decoded it
    assert resumed.status_code == 200 and resumed.text == text.read_text()  # the whole file
    assert (cached.status_code, cached.headers["etag"]) == (304, weak)
