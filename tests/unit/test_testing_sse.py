"""Server-sent events: the sans-IO decoder, and aiter_sse over an endless in-process stream."""

from __future__ import annotations

from typing import Any

import pytest
import trio

from trioweb.testing import AsyncTestClient, SSEDecoder, SSEEvent, aiter_chunks, aiter_sse
from trioweb.types import Receive, Scope, Send


def _decode(*chunks: bytes, include_comments: bool = False) -> list[SSEEvent]:
    decoder = SSEDecoder(include_comments=include_comments)
    return [event for chunk in chunks for event in decoder.feed(chunk)]


@pytest.mark.parametrize("eol", [b"\r\n", b"\n", b"\r"])
def test_every_line_ending(eol: bytes) -> None:
    stream = eol.join([b"event: greeting", b"data: hello", b"data: world", b"", b""])
    assert _decode(stream) == [SSEEvent(event="greeting", data="hello\nworld")]


def test_a_crlf_split_across_chunks_is_one_line_ending() -> None:
    assert _decode(b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n") == [SSEEvent(data="a\nb")]


def test_an_event_is_dispatched_as_soon_as_its_blank_line_arrives() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: x\r\n\r") == [SSEEvent(data="x")]
    assert decoder.feed(b"\n") == []  # the LF completing that CRLF is not another blank line


def test_fields_per_the_standard() -> None:
    stream = (
        b"\xef\xbb\xbfid: 1\n"  # a leading BOM is dropped
        b"data:no space\n"
        b"data:  two spaces\n"
        b"data\n"  # a field name alone: empty value
        b"retry: 1500\n"
        b"unknown: ignored\n"
        b"\n"
        b"data: second\n"
        b"retry: soon\n"  # not digits: ignored
        b"id: bad\x00id\n"  # NUL: ignored, the last id carries over
        b"\n"
        b"id: 3\n"
        b"event: only-fields\n"
        b"\n"  # no data: nothing dispatched, but the id sticks
        b"data: third\n\n"
    )
    assert _decode(stream) == [
        SSEEvent(data="no space\n two spaces\n", id="1", retry=1500),
        SSEEvent(data="second", id="1"),
        SSEEvent(data="third", id="3"),
    ]


def test_separators_other_than_cr_and_lf_stay_in_the_data() -> None:
    data = "a\u2028b\x0cc\x1dd\x85e"
    assert _decode(f"data: {data}\n\n".encode()) == [SSEEvent(data=data)]


def test_utf8_split_across_chunks() -> None:
    encoded = "data: caf\u00e9 \u2603\n\n".encode()
    assert _decode(*(encoded[i : i + 1] for i in range(len(encoded)))) == [
        SSEEvent(data="caf\u00e9 \u2603")
    ]


def test_comments_and_keepalive_pings() -> None:
    stream = b": ping\n\n: note\ndata: x\n\n"
    assert _decode(stream) == [SSEEvent(data="x", comments=("note",))]
    assert _decode(stream, include_comments=True) == [
        SSEEvent(event="", comments=("ping",)),
        SSEEvent(data="x", comments=("note",)),
    ]


def test_an_unfinished_event_at_the_end_is_discarded() -> None:
    assert _decode(b"data: complete\n\ndata: cut off\n") == [SSEEvent(data="complete")]


def test_json_data() -> None:
    assert SSEEvent(data='{"n": [1, 2]}').json() == {"n": [1, 2]}


def _ticker(log: list[str]) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await receive()
        headers = [(b"content-type", b"text/event-stream; charset=utf-8")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})

        async def tick() -> None:
            for n in range(1_000_000):
                event = b'event: tick\r\nid: %d\r\ndata: {"n": %d}\r\n\r\n' % (n, n)
                await send({"type": "http.response.body", "body": event, "more_body": True})
                await send(
                    {"type": "http.response.body", "body": b": ping\r\n\r\n", "more_body": True}
                )
                await trio.sleep(15)

        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(tick)
                log.append((await receive())["type"])
                nursery.cancel_scope.cancel()
        finally:
            log.append("cleaned up")

    return app


async def test_reading_an_endless_event_stream_then_leaving(autojump_clock: Any) -> None:
    log: list[str] = []
    async with AsyncTestClient(_ticker(log)) as client:
        async with client.stream("GET", "/events") as response:
            seen = []
            async for event in aiter_sse(response):
                seen.append(event)
                if len(seen) == 3:
                    break  # a plain iterator: no ResourceWarning from trio
        assert log == ["http.disconnect", "cleaned up"]
    assert [(e.event, e.id, e.json()) for e in seen] == [
        ("tick", "0", {"n": 0}),
        ("tick", "1", {"n": 1}),
        ("tick", "2", {"n": 2}),
    ]


async def test_keepalive_pings_are_visible_on_request(autojump_clock: Any) -> None:
    async with AsyncTestClient(_ticker([])) as client, client.stream("GET", "/") as response:
        events = aiter_sse(response, include_comments=True)
        assert (await events.__anext__()).event == "tick"
        assert (await events.__anext__()).comments == ("ping",)


async def test_raw_chunks_arrive_one_message_at_a_time(autojump_clock: Any) -> None:
    async with AsyncTestClient(_ticker([])) as client, client.stream("GET", "/") as response:
        chunks = aiter_chunks(response)
        assert await chunks.__anext__() == b'event: tick\r\nid: 0\r\ndata: {"n": 0}\r\n\r\n'
        assert await chunks.__anext__() == b": ping\r\n\r\n"


async def test_a_response_that_is_not_an_event_stream_is_refused() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"nope"})

    async with AsyncTestClient(app) as client, client.stream("GET", "/") as response:
        with pytest.raises(ValueError, match="no content-type.*HTTP 404"):
            aiter_sse(response)
