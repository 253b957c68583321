"""``ServerSentEvent`` in-process: exact wire bytes, headers, pings, ``Last-Event-ID``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import httpx_sse
import pytest
import trio

from trioweb import TrioWeb, get
from trioweb.params import Parameter
from trioweb.response import ServerSentEvent, ServerSentEventMessage
from trioweb.response.sse import PING
from trioweb.testing import AsyncTestClient, SSEDecoder, aiter_chunks, aiter_sse
from trioweb.types import SSEData


async def _body(content: Any, **options: Any) -> bytes:
    @get("/")
    async def handler() -> ServerSentEvent:
        return ServerSentEvent(content, ping_interval=None, **options)

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.get("/")
    assert response.status_code == 200
    return response.content


# -- the wire format -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "wire"),
    [
        ("hello", b"data: hello\r\n\r\n"),
        (b"bytes", b"data: bytes\r\n\r\n"),
        (7, b"data: 7\r\n\r\n"),
        ("", b"data: \r\n\r\n"),
        ("a\nb\r\nc\rd", b"data: a\r\ndata: b\r\ndata: c\r\ndata: d\r\n\r\n"),
        ("ends in a break\n", b"data: ends in a break\r\ndata: \r\n\r\n"),
        ({"data": "x", "event": "e", "id": 3}, b"id: 3\r\nevent: e\r\ndata: x\r\n\r\n"),
        ({"data": "x", "sep": "\n"}, b"data: x\r\n\r\n"),  # a dict's sep is not used
        ({"comment": "only a comment", "data": None}, b": only a comment\r\n\r\n"),
        (
            ServerSentEventMessage(
                data="d", event="e", id="i", retry=100, comment="line 1\nline 2"
            ),
            b": line 1\r\n: line 2\r\nid: i\r\nevent: e\r\ndata: d\r\nretry: 100\r\n\r\n",
        ),
        (ServerSentEventMessage(data="d", sep="\n"), b"data: d\n\n"),
        (ServerSentEventMessage(), b"data: \r\n\r\n"),
        (ServerSentEventMessage(data=None, id=5), b"id: 5\r\n\r\n"),
    ],
)
async def test_each_kind_of_item_is_encoded_as_in_litestar(item: SSEData, wire: bytes) -> None:
    assert await _body([item]) == wire


async def test_response_fields_apply_to_plain_items_and_are_sent_up_front() -> None:
    items: list[SSEData] = ["one", ServerSentEventMessage(data="two"), {"data": "three"}, 4]
    body = await _body(
        items, event_type="tick", event_id="7", retry_duration=1500, comment_message="hi\nthere"
    )
    prelude = b": hi\r\n: there\r\nid: 7\r\nevent: tick\r\nretry: 1500\r\n"
    assert body == (
        prelude
        + b"id: 7\r\nevent: tick\r\ndata: one\r\nretry: 1500\r\n\r\n"
        + b"data: two\r\n\r\n"
        + b"data: three\r\n\r\n"
        + b"id: 7\r\nevent: tick\r\ndata: 4\r\nretry: 1500\r\n\r\n"
    )
    # the up-front lines carry no blank line: they merge into the first event, as in Litestar
    events = SSEDecoder().feed(body)
    assert [(e.event, e.data, e.id) for e in events] == [
        ("tick", "one", "7"),
        ("message", "two", "7"),
        ("message", "three", "7"),
        ("tick", "4", "7"),
    ]


async def test_a_single_string_or_bytes_is_one_event_and_a_callable_is_called() -> None:
    assert await _body("just one") == b"data: just one\r\n\r\n"
    assert await _body(b"raw") == b"data: raw\r\n\r\n"

    def produce() -> Iterator[str]:
        yield "from a callable"

    assert await _body(produce) == b"data: from a callable\r\n\r\n"

    async def produce_async() -> AsyncIterator[int]:
        yield 1
        yield 2

    assert await _body(produce_async()) == b"data: 1\r\n\r\ndata: 2\r\n\r\n"


async def test_an_empty_stream_sends_only_the_prelude() -> None:
    assert await _body([], retry_duration=10) == b"retry: 10\r\n"
    assert await _body([]) == b""


@pytest.mark.parametrize(
    "options",
    [
        {"event_type": "a\r\ndata: injected\r\n\r\nevent: b"},
        {"event_id": "1\ndata: injected\n\n"},
        {"comment_message": "c\r\ndata: injected\r\n\r\n"},
        {"retry_duration": "10\ndata: injected\n\n"},
    ],
)
async def test_response_fields_cannot_inject_fields_or_events(options: dict[str, Any]) -> None:
    body = await _body(["payload"], **options)
    events = SSEDecoder().feed(body)
    assert [event.data for event in events] == ["payload"]
    assert b"\ndata: injected" not in body


@pytest.mark.parametrize(
    "message",
    [
        ServerSentEventMessage(data="payload", event="a\r\ndata: injected\r\n\r\nevent: b"),
        ServerSentEventMessage(data="payload", id="1\rdata: injected\r\r"),
        ServerSentEventMessage(data="payload", comment="c\ndata: injected\n\n"),
        ServerSentEventMessage(data="payload", retry="1\ndata: injected\n\n"),  # type: ignore[arg-type]
    ],
)
async def test_message_fields_cannot_inject_fields_or_events(
    message: ServerSentEventMessage,
) -> None:
    body = message.encode()
    events = SSEDecoder().feed(body)
    assert [event.data for event in events] == ["payload"]
    assert b"\ndata: injected" not in body and b"\rdata: injected" not in body


async def test_data_lines_never_become_other_fields() -> None:
    body = ServerSentEventMessage(data="x\nevent: evil\r\nid: 666\r\rretry: 1").encode()
    [event] = SSEDecoder().feed(body)
    assert (event.event, event.id, event.retry) == ("message", "", None)
    assert event.data == "x\nevent: evil\nid: 666\n\nretry: 1"


def test_sep_must_be_a_line_break() -> None:
    with pytest.raises(ValueError):
        ServerSentEventMessage(data="x", sep="\n\ndata: injected\n")


def test_messages_are_small_frozen_values() -> None:
    message = ServerSentEventMessage(data="x", event="e")
    assert message == ServerSentEventMessage(data="x", event="e")
    with pytest.raises(AttributeError):
        message.data = "y"  # type: ignore[misc]


def test_ping_interval_must_be_positive() -> None:
    with pytest.raises(Exception, match="ping_interval"):
        ServerSentEvent([], ping_interval=0)


# -- headers -----------------------------------------------------------------------------------


async def test_headers_are_event_stream_no_cache_no_buffering_and_no_connection() -> None:
    @get("/plain")
    async def plain() -> ServerSentEvent:
        return ServerSentEvent(["x"])

    @get("/custom")
    async def custom() -> ServerSentEvent:
        return ServerSentEvent(
            ["x"],
            headers={"cache-control": "private", "X-Accel-Buffering": "yes", "x-app": "1"},
            cookies={"seen": "yes"},
            status_code=201,
        )

    async with AsyncTestClient(TrioWeb([plain, custom])) as client:
        response = await client.get("/plain")
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-accel-buffering"] == "no"
        assert "connection" not in response.headers
        assert "content-length" not in response.headers
        custom_response = await client.get("/custom")
    assert custom_response.status_code == 201
    assert custom_response.headers.get_list("cache-control") == ["private"]
    assert custom_response.headers.get_list("x-accel-buffering") == ["no"]
    assert custom_response.headers["x-app"] == "1"
    assert custom_response.cookies["seen"] == "yes"


# -- pings --------------------------------------------------------------------------------------


async def test_pings_fill_silences_and_never_split_events(
    autojump_clock: trio.testing.MockClock,
) -> None:
    @get("/")
    async def handler() -> ServerSentEvent:
        async def events() -> AsyncIterator[str]:
            yield "first"
            await trio.sleep(40)  # two pings' worth of silence
            yield "second\nspans two lines"
            await trio.sleep(10)  # less than one ping interval: no ping
            yield "third"

        return ServerSentEvent(events(), event_id="1")  # the default 15 s interval

    first = b"id: 1\r\ndata: first\r\n\r\n"
    second = b"id: 1\r\ndata: second\r\ndata: spans two lines\r\n\r\n"
    third = b"id: 1\r\ndata: third\r\n\r\n"
    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.stream("GET", "/") as response:
            timed = [(chunk, trio.current_time()) async for chunk in aiter_chunks(response)]
    start = timed[0][1]
    assert [chunk for chunk, _ in timed] == [b"id: 1\r\n", first, PING, PING, second, third]
    assert [round(at - start) for _, at in timed] == [0, 0, 15, 30, 40, 50]


async def test_pings_are_off_with_none(autojump_clock: trio.testing.MockClock) -> None:
    @get("/")
    async def handler() -> ServerSentEvent:
        async def events() -> AsyncIterator[str]:
            yield "a"
            await trio.sleep(100)
            yield "b"

        return ServerSentEvent(events(), ping_interval=None)

    async with AsyncTestClient(TrioWeb([handler])) as client:
        response = await client.get("/")
    assert response.content == b"data: a\r\n\r\ndata: b\r\n\r\n"


async def test_event_streams_are_unbounded_by_default_and_pings_do_not_reset_an_idle_bound(
    autojump_clock: trio.testing.MockClock,
) -> None:
    closed: list[str] = []

    def quiet(name: str) -> AsyncIterator[str]:
        async def events() -> AsyncIterator[str]:
            try:
                yield "hello"
                await trio.sleep(3600)
                yield "an hour later"
            finally:
                closed.append(name)

        return events()

    @get("/default")
    async def default() -> ServerSentEvent:
        return ServerSentEvent(quiet("default"), ping_interval=10)

    @get("/bounded", stream_idle_timeout=25)
    async def bounded() -> ServerSentEvent:
        return ServerSentEvent(quiet("bounded"), ping_interval=10)

    async with AsyncTestClient(TrioWeb([default, bounded])) as client:
        start = trio.current_time()
        assert (await client.get("/default")).content.replace(PING, b"") == (
            b"data: hello\r\n\r\ndata: an hour later\r\n\r\n"
        )
        assert trio.current_time() - start >= 3600
        start = trio.current_time()
        # two pings went out, yet the stream was idle: it ends, complete, after 25 s
        assert (await client.get("/bounded")).content == b"data: hello\r\n\r\n" + PING * 2
        assert 25 <= trio.current_time() - start < 26
    assert closed == ["default", "bounded"]


async def test_every_chunk_is_a_whole_event_or_a_whole_ping_under_contention(
    autojump_clock: trio.testing.MockClock,
) -> None:
    expected = {ServerSentEventMessage(data=f"{n}\n{n}", id=n).encode() for n in range(200)}

    @get("/")
    async def handler() -> ServerSentEvent:
        async def events() -> AsyncIterator[ServerSentEventMessage]:
            for n in range(200):
                await trio.sleep(0.0101 if n % 3 else 0.0099)
                yield ServerSentEventMessage(data=f"{n}\n{n}", id=n)

        return ServerSentEvent(events(), ping_interval=0.01)

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.stream("GET", "/") as response:
            chunks = [chunk async for chunk in aiter_chunks(response)]
    pings = [chunk for chunk in chunks if chunk == PING]
    events = [chunk for chunk in chunks if chunk != PING]
    assert len(pings) > 10
    assert set(events) == expected and len(events) == 200
    parsed = SSEDecoder().feed(b"".join(chunks))
    assert [event.data for event in parsed] == [f"{n}\n{n}" for n in range(200)]


# -- clients ---------------------------------------------------------------------------------


async def test_last_event_id_reaches_the_handler_as_a_header_parameter() -> None:
    @get("/events")
    async def events(
        last_event_id: int | None = Parameter(header="last-event-id", default=None),
    ) -> ServerSentEvent:
        start = 0 if last_event_id is None else last_event_id + 1
        return ServerSentEvent(
            [ServerSentEventMessage(data=f"event {n}", id=n) for n in range(start, 5)],
            ping_interval=None,
        )

    async with AsyncTestClient(TrioWeb([events])) as client:
        async with client.stream("GET", "/events") as response:
            fresh = [(e.id, e.data) async for e in aiter_sse(response)]
        async with client.stream("GET", "/events", headers={"Last-Event-ID": "2"}) as response:
            resumed = [(e.id, e.data) async for e in aiter_sse(response)]
    assert fresh == [(str(n), f"event {n}") for n in range(5)]
    assert resumed == [("3", "event 3"), ("4", "event 4")]


async def test_httpx_sse_reads_the_stream_pings_included(
    autojump_clock: trio.testing.MockClock,
) -> None:
    @get("/events")
    async def events() -> ServerSentEvent:
        async def produce() -> AsyncIterator[SSEData]:
            yield {"data": '{"n": 1}', "event": "update", "id": "a"}
            await trio.sleep(31)  # two pings after an id: httpx-sse must not invent events
            yield ServerSentEventMessage(data="line 1\nline 2", event="update", id="b")
            yield "plain"

        return ServerSentEvent(produce(), retry_duration=2000)

    async with AsyncTestClient(TrioWeb([events])) as client:
        async with httpx_sse.aconnect_sse(client, "GET", "/events") as source:
            received = [(e.event, e.data, e.id, e.retry) async for e in source.aiter_sse()]
    assert received == [
        ("update", '{"n": 1}', "a", 2000),
        ("update", "line 1\nline 2", "b", None),
        ("message", "plain", "b", 2000),
    ]


async def test_leaving_an_endless_event_stream_closes_its_generator() -> None:
    closed = trio.Event()

    @get("/events")
    async def events() -> ServerSentEvent:
        async def forever() -> AsyncIterator[int]:
            n = 0
            try:
                while True:
                    yield n
                    n += 1
                    await trio.sleep(0.001)
            finally:
                closed.set()

        return ServerSentEvent(forever())

    async with AsyncTestClient(TrioWeb([events])) as client:
        async with client.stream("GET", "/events") as response:
            seen = []
            async for event in aiter_sse(response):
                seen.append(event.data)
                if len(seen) == 3:
                    break
        with trio.fail_after(2):
            await closed.wait()
    assert seen == ["0", "1", "2"]


async def test_an_sse_error_mid_stream_aborts_it() -> None:
    @get("/events")
    async def events() -> ServerSentEvent:
        return ServerSentEvent([{"data": "fine"}, {"unknown_field": 1}])

    async with AsyncTestClient(TrioWeb([events])) as client:
        async with client.stream("GET", "/events") as response:
            with pytest.raises(httpx.RemoteProtocolError):
                [chunk async for chunk in aiter_chunks(response)]


async def test_background_work_runs_after_the_event_stream() -> None:
    from trioweb.background_tasks import BackgroundTask

    log: list[str] = []

    @get("/events")
    async def events() -> ServerSentEvent:
        return ServerSentEvent(["x"], background=BackgroundTask(log.append, "after"))

    async with AsyncTestClient(TrioWeb([events])) as client:
        assert (await client.get("/events")).content == b"data: x\r\n\r\n"
    assert log == ["after"]


def test_the_names_litestar_users_import_are_there() -> None:
    import trioweb.response
    import trioweb.response.sse
    from trioweb.types import SSEData

    assert trioweb.response.ServerSentEvent is trioweb.response.sse.ServerSentEvent
    assert trioweb.response.ServerSentEventMessage is trioweb.response.sse.ServerSentEventMessage
    assert "ServerSentEventMessage" in repr(SSEData)
    assert {"ServerSentEvent", "ServerSentEventMessage"} <= set(trioweb.response.__all__)


async def test_an_event_stream_is_utf_8_whatever_encoding_says() -> None:
    @get("/")
    async def handler() -> ServerSentEvent:
        return ServerSentEvent(["é"], encoding="latin-1", ping_interval=None)

    async with AsyncTestClient(TrioWeb([handler])) as client:
        async with client.stream("GET", "/") as response:
            assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
            # a client that decodes by the header's charset reads what was sent
            assert [event.data async for event in httpx_sse.EventSource(response).aiter_sse()] == [
                "é"
            ]
