"""Response compression (``compression_config=``): what is compressed, and streams stay live.

Header expectations were observed from Litestar 2.25 (``tools/litestar_diff``, cases
``compression_*``); deliberate differences are marked.
"""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import pytest
import trio

from trioweb import TrioWeb, get
from trioweb.config.compression import CompressionConfig
from trioweb.enums import MediaType
from trioweb.exceptions import ImproperlyConfiguredException, ValidationException
from trioweb.middleware.compression import BrotliCompression, CompressionMiddleware
from trioweb.middleware.compression.middleware import accepted_encodings
from trioweb.response import Response, ServerSentEvent, Stream
from trioweb.testing import AsyncTestClient
from trioweb.testing.streaming import RESPONSE_STREAM_EXTENSION
from trioweb.types import Receive, Scope, Send

BIG = {"items": [{"id": i, "name": f"item {i}"} for i in range(100)]}
GZIP = {"accept-encoding": "gzip"}


@get("/big")
async def big() -> dict[str, Any]:
    return BIG


@get("/small")
async def small() -> dict[str, int]:
    return {"a": 1}


@get("/encoded")
async def encoded() -> Response[bytes]:
    body = gzip.compress(b"x" * 600)
    return Response(body, media_type=MediaType.TEXT, headers={"content-encoding": "gzip"})


@get("/error")
async def error() -> None:
    raise ValidationException("x" * 600)


@get("/vary", media_type=MediaType.TEXT, response_headers={"vary": "Accept"})
async def vary() -> str:
    return "v" * 600


@get("/skip", opt={"no_compression": True}, media_type=MediaType.TEXT)
async def skip() -> str:
    return "n" * 600


@get("/nocontent", status_code=204)
async def nocontent() -> None:
    return None


def make_app(**options: Any) -> TrioWeb:
    config = CompressionConfig(backend="gzip", exclude_opt_key="no_compression", **options)
    return TrioWeb(
        [big, small, encoded, error, vary, skip, nocontent],
        compression_config=config,
        openapi_config=None,
    )


def test_defaults_are_litestars() -> None:
    config = CompressionConfig(backend="gzip")
    assert (config.minimum_size, config.gzip_compress_level, config.brotli_quality) == (500, 9, 5)
    assert (config.brotli_mode, config.brotli_lgwin, config.brotli_lgblock) == ("text", 22, 0)
    assert config.brotli_gzip_fallback is True and config.gzip_fallback is True
    assert config.middleware_class is CompressionMiddleware
    assert config.exclude is None and config.exclude_opt_key is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"minimum_size": 0}, "minimum_size must be greater than 0"),
        ({"gzip_compress_level": 10}, "gzip_compress_level must be a value between 0 and 9"),
    ],
)
def test_bad_settings_raise_at_configuration(options: dict[str, int], message: str) -> None:
    with pytest.raises(ImproperlyConfiguredException, match=message):
        CompressionConfig(backend="gzip", **options)


def test_brotli_without_the_package_raises_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(BrotliCompression, "is_available", staticmethod(lambda: False))
    with pytest.raises(ImproperlyConfiguredException, match="pip install brotli"):
        CompressionConfig(backend="brotli")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (b"gzip", {"gzip"}),
        (b"br, gzip;q=0.5, deflate", {"br", "gzip", "deflate"}),
        (b"gzip;q=0, br", {"br"}),
        (b"GZIP ; Q=1.0", {"gzip"}),
        (b"gzip;q=oops", set()),
        (b" , ", set()),
    ],
)
def test_accept_encoding_parsing(header: bytes, expected: set[str]) -> None:
    assert accepted_encodings(header) == expected


async def test_a_large_body_is_compressed_whole() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/big", headers=GZIP)
    raw = response.headers.raw
    assert [k for k, _ in raw] == [b"content-type", b"content-length", b"content-encoding", b"vary"]
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["vary"] == "Accept-Encoding"
    # httpx decodes; the length is that of the compressed body
    assert response.json() == BIG
    assert int(response.headers["content-length"]) < len(response.content)


@pytest.mark.parametrize("accept", ["identity", "deflate", "gzip;q=0", ""])
async def test_not_compressed_unless_gzip_is_accepted(accept: str) -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/big", headers={"accept-encoding": accept})
    assert "content-encoding" not in response.headers
    assert "vary" not in response.headers
    assert response.json() == BIG


@pytest.mark.parametrize("path", ["/small", "/skip", "/nocontent"])
async def test_small_excluded_and_empty_bodies_are_sent_as_they_are(path: str) -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get(path, headers=GZIP)
    assert "content-encoding" not in response.headers


async def test_the_minimum_size_is_configurable() -> None:
    async with AsyncTestClient(make_app(minimum_size=5)) as client:
        response = await client.get("/small", headers=GZIP)
    assert response.headers["content-encoding"] == "gzip"
    assert response.json() == {"a": 1}


async def test_an_already_encoded_body_is_left_alone() -> None:
    # Deliberate difference: Litestar would compress the gzip bytes a second time.
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/encoded", headers={"accept-encoding": "gzip"})
    assert response.headers.get_list("content-encoding") == ["gzip"]
    assert response.content == b"x" * 600  # one decoding is enough


async def test_a_head_request_is_left_alone() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.head("/big", headers=GZIP)
    assert "content-encoding" not in response.headers
    assert response.content == b""


async def test_error_responses_are_compressed() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/error", headers=GZIP)
    assert response.status_code == 400
    assert response.headers["content-encoding"] == "gzip"
    assert response.json()["detail"] == "x" * 600


async def test_404_is_not_compressed() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/" + "m" * 600, headers=GZIP)
    assert response.status_code == 404
    assert "content-encoding" not in response.headers


async def test_vary_is_extended() -> None:
    async with AsyncTestClient(make_app()) as client:
        response = await client.get("/vary", headers=GZIP)
    assert response.headers.get_list("vary") == ["Accept,Accept-Encoding"]


async def _raw_chunks(response: Any) -> list[bytes]:
    source = response.extensions[RESPONSE_STREAM_EXTENSION]
    chunks = []
    while (chunk := await source.next_chunk()) is not None:
        chunks.append(chunk)
    return chunks


async def test_a_stream_is_compressed_and_every_chunk_decodes_on_arrival() -> None:
    gate = trio.Event()
    seen: list[str] = []

    @get("/stream")
    async def stream() -> Stream:
        async def chunks() -> Any:
            yield "first;" * 10
            await gate.wait()  # the client must get "first" before this is released
            yield "second;" * 10

        return Stream(chunks(), media_type=MediaType.TEXT)

    app = TrioWeb(
        [stream], compression_config=CompressionConfig(backend="gzip"), openapi_config=None
    )
    decoder = zlib.decompressobj(wbits=31)
    async with (
        AsyncTestClient(app) as client,
        client.stream("GET", "/stream", headers=GZIP) as response,
    ):
        assert response.headers["content-encoding"] == "gzip"
        assert "content-length" not in response.headers
        source = response.extensions[RESPONSE_STREAM_EXTENSION]
        while (chunk := await source.next_chunk()) is not None:
            text = decoder.decompress(chunk).decode()
            if text:
                seen.append(text)
                gate.set()
    assert seen == ["first;" * 10, "second;" * 10]
    assert decoder.eof


async def test_stream_headers_are_sent_before_the_first_chunk() -> None:
    release = trio.Event()

    @get("/events")
    async def events() -> ServerSentEvent:
        async def source() -> Any:
            await release.wait()
            yield "hello"

        return ServerSentEvent(source())

    app = TrioWeb(
        [events], compression_config=CompressionConfig(backend="gzip"), openapi_config=None
    )
    async with AsyncTestClient(app) as client:
        with trio.fail_after(5):
            async with client.stream("GET", "/events", headers=GZIP) as response:
                # the headers arrived although the stream has produced nothing yet
                assert response.headers["content-encoding"] == "gzip"
                assert response.headers["content-type"].startswith("text/event-stream")
                release.set()
                body = gzip.decompress(b"".join(await _raw_chunks(response)))
    assert b"data: hello" in body


async def test_a_chunked_body_with_a_length_is_compressed_chunk_by_chunk() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/plain"), (b"content-length", b"1200")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"a" * 600, "more_body": True})
        await send({"type": "http.response.body", "body": b"b" * 600})

    middleware = CompressionMiddleware(CompressionConfig(backend="gzip"))(app)
    async with AsyncTestClient(middleware) as client:
        response = await client.get("/", headers=GZIP)
    assert "content-length" not in response.headers
    assert response.content == b"a" * 600 + b"b" * 600


async def test_a_partial_response_is_left_alone() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-range", b"bytes 0-599/1000"), (b"content-length", b"600")]
        await send({"type": "http.response.start", "status": 206, "headers": headers})
        await send({"type": "http.response.body", "body": b"a" * 600})

    middleware = CompressionMiddleware(CompressionConfig(backend="gzip"))(app)
    async with AsyncTestClient(middleware) as client:
        response = await client.get("/", headers=GZIP)
    assert response.status_code == 206
    assert "content-encoding" not in response.headers


async def test_a_compressed_file_gets_a_weak_etag_and_no_ranges(tmp_path: Any) -> None:
    # The gzip bytes are another representation than the file: a strong tag shared by both
    # would let If-Range splice a resumed download from two encodings.
    from trioweb.response import File

    path = tmp_path / "notes.txt"
    path.write_text("trio " * 400)

    @get("/notes")
    async def notes() -> File:
        return File(path, filename="notes.txt")

    app = TrioWeb([notes], compression_config=CompressionConfig(backend="gzip"))
    async with AsyncTestClient(app) as client:
        plain = await client.get("/notes", headers={"accept-encoding": "identity"})
        packed = await client.get("/notes", headers=GZIP)
        strong = plain.headers["etag"]
        weak = packed.headers["etag"]
        revalidated = await client.get("/notes", headers={**GZIP, "if-none-match": weak})
        resumed = await client.get(
            "/notes", headers={"range": "bytes=5-9", "if-range": packed.headers["etag"]}
        )
        exact = await client.get("/notes", headers={"range": "bytes=5-9", "if-range": strong})
    assert strong.startswith('"') and plain.headers["accept-ranges"] == "bytes"
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.headers["etag"] == f"W/{strong}"
    assert "accept-ranges" not in packed.headers
    assert revalidated.status_code == 304  # weak comparison still matches
    # the 304 updates the cached (compressed) copy: its tag must stay weak there too
    assert revalidated.headers["etag"] == weak
    assert (resumed.status_code, resumed.content) == (200, path.read_bytes())
    assert (exact.status_code, exact.text) == (206, "trio ")


async def test_a_reused_final_message_is_not_modified() -> None:
    final = {"type": "http.response.body", "body": b"", "more_body": False}

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"x" * 10, "more_body": True})
        await send(final)

    middleware = CompressionMiddleware(CompressionConfig(backend="gzip"))(app)
    async with AsyncTestClient(middleware) as client:
        response = await client.get("/", headers=GZIP)
    assert response.content == b"x" * 10
    assert final["body"] == b""


async def test_brotli_when_installed() -> None:
    brotli = pytest.importorskip("brotli")
    app = TrioWeb(
        [big],
        compression_config=CompressionConfig(backend="brotli"),
        openapi_config=None,
    )
    async with AsyncTestClient(app) as client:
        response = await client.get("/big", headers={"accept-encoding": "br"})
        fallback = await client.get("/big", headers=GZIP)
    assert response.headers["content-encoding"] == "br"
    assert fallback.headers["content-encoding"] == "gzip"
    assert brotli is not None


async def test_excluded_paths_are_sent_as_they_are() -> None:
    app = TrioWeb(
        [big, vary],
        compression_config=CompressionConfig(backend="gzip", exclude=["/big"]),
        openapi_config=None,
    )
    async with AsyncTestClient(app) as client:
        excluded = await client.get("/big", headers=GZIP)
        included = await client.get("/vary", headers=GZIP)
    assert "content-encoding" not in excluded.headers
    assert included.headers["content-encoding"] == "gzip"


async def test_every_accept_encoding_value_gets_the_same_answer_twice() -> None:
    async with AsyncTestClient(make_app()) as client:
        for _ in range(2):
            refused = await client.get("/big", headers={"accept-encoding": "gzip;q=0"})
            accepted = await client.get("/big", headers={"accept-encoding": "gzip;q=0.1"})
            assert "content-encoding" not in refused.headers
            assert accepted.headers["content-encoding"] == "gzip"
