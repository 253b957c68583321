"""A real browser's ``EventSource`` reads trioweb's event stream from a real hypercorn server.

Headless Chromium opens a page served by the app; the page's ``EventSource`` collects every
event it dispatches (type, data, ``lastEventId``), its ``open`` and ``error`` events, and
POSTs the log back to the app once it sees the ``done`` event. The stream covers what a
browser must get right: multi-line data (every line ending), event types, ids, comments,
pings, the up-front lines, ``retry``, fields that try to inject others, and the reconnect
with ``Last-Event-ID`` after the server ends a stream. Closing the ``EventSource`` of an
endless stream must run the generator's ``finally``. A second page checks that a stream
aborted by an error after the headers is a network error to ``fetch()`` (never a whole
body), and that an ``EventSource`` on such a stream reconnects with its last id.

The tests skip when no Chromium is installed (see ``tests/integration/_browser.py``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import trio

from tests.integration._browser import browsing, require_chromium
from tests.integration._server import open_server
from trioweb import MediaType, TrioWeb, get, post
from trioweb.params import Parameter
from trioweb.response import ServerSentEvent, ServerSentEventMessage, Stream
from trioweb.testing import AsyncTestClient, aiter_sse
from trioweb.types import SSEData

REPORT_TIMEOUT = 30.0  # browser start-up included; a shared 2-core machine
RETRY_MS = 150  # the reconnect delay the stream asks for (the browser default is 3 s)

# The injection attempt: stripped of line breaks, the event type and id stay one field each.
INJECTED_EVENT = "tick\r\ndata: injected\n\nevent: evil"
INJECTED_ID = "m4\nretry: 1"
LISTENED = ["dictionary", "multi", "empty", "tickdata: injectedevent: evil", "resumed"]

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>trioweb EventSource</title></head>
<body><script>
const log = [];
const started = performance.now();
const source = new EventSource("/events");
const record = (event) => log.push(
  {type: event.type, data: event.data, lastEventId: event.lastEventId});
source.onopen = () => log.push({type: "open", at: performance.now() - started});
source.onerror = () => log.push(
  {type: "error", readyState: source.readyState, at: performance.now() - started});
source.onmessage = record;
for (const type of LISTENED) source.addEventListener(type, record);
source.addEventListener("done", (event) => {
  record(event);
  source.close();  // the stream is endless: closing it is the disconnect
  fetch("/report", {method: "POST", headers: {"content-type": "application/json"},
                    body: JSON.stringify(log)});
});
</script></body></html>
""".replace("LISTENED", json.dumps(LISTENED))


@pytest.fixture
def chromium() -> str:
    return require_chromium()


class Recorder:
    """What the app saw: each stream's ``Last-Event-ID``, the browser's report, the close."""

    def __init__(self) -> None:
        self.last_event_ids: list[str | None] = []
        self.report: list[dict[str, Any]] | None = None
        self.reported = trio.Event()
        self.endless_closed = trio.Event()


def browser_app(recorder: Recorder) -> TrioWeb:
    @get("/", media_type=MediaType.HTML)
    async def page() -> str:
        return PAGE

    async def first_stream() -> AsyncIterator[SSEData]:
        await trio.sleep(0.12)  # pings right after the unterminated up-front lines
        yield "plain"
        yield "bytes é".encode()
        yield 42
        yield {"data": "from a dict", "event": "dictionary", "id": "d1"}
        await trio.sleep(0.12)  # pings between two events
        yield ServerSentEventMessage(
            data="line one\nline two\r\nline three\rline four", event="multi", id="m1"
        )
        yield ServerSentEventMessage(data="lf separated", id="m2", sep="\n")
        yield ServerSentEventMessage(data="cr separated", id="m3", sep="\r")
        yield ServerSentEventMessage(data="payload", event=INJECTED_EVENT, id=INJECTED_ID)
        yield ServerSentEventMessage(data="", event="empty")
        yield ServerSentEventMessage(comment="a comment is no event", data=None)
        yield ServerSentEventMessage(data="last before the reconnect", id="5")
        # the stream ends here: the browser reconnects after `retry` with Last-Event-ID

    async def resumed_stream(last_event_id: str) -> AsyncIterator[SSEData]:
        try:
            yield ServerSentEventMessage(data=f"after {last_event_id}", event="resumed", id="6")
            yield ServerSentEventMessage(data="bye", event="done")
            n = 0
            while True:  # until the page closes its EventSource
                await trio.sleep(0.02)
                yield ServerSentEventMessage(data=str(n), event="ignored")
                n += 1
        finally:
            recorder.endless_closed.set()

    @get("/events")
    async def events(
        last_event_id: str | None = Parameter(header="last-event-id", default=None),
    ) -> ServerSentEvent:
        recorder.last_event_ids.append(last_event_id)
        if last_event_id is None:
            return ServerSentEvent(
                first_stream(),
                comment_message="welcome\nto the stream",
                retry_duration=RETRY_MS,
                ping_interval=0.05,
            )
        return ServerSentEvent(resumed_stream(last_event_id), ping_interval=0.05)

    @post("/report", status_code=204)
    async def report(data: list[dict[str, Any]]) -> None:
        recorder.report = data
        recorder.reported.set()

    return TrioWeb([page, events, report])


def _events(report: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    for entry in report:
        if entry["type"] == "open":
            yield ("open",)
        elif entry["type"] == "error":
            yield ("error", entry["readyState"])
        else:
            yield (entry["type"], entry["data"], entry["lastEventId"])


async def test_a_browser_event_source_reads_every_event_and_resumes_with_last_event_id(
    chromium: str, tmp_path: Path
) -> None:
    recorder = Recorder()
    async with open_server(browser_app(recorder)) as url:
        async with browsing(chromium, url + "/", tmp_path) as browser:
            with trio.move_on_after(REPORT_TIMEOUT):
                await recorder.reported.wait()
            assert recorder.report is not None, "no report from the page:\n" + browser.tail()
            with trio.fail_after(5):
                await recorder.endless_closed.wait()  # the browser's close is a disconnect
    injected_id = INJECTED_ID.replace("\n", "")
    assert list(_events(recorder.report)) == [
        ("open",),
        ("message", "plain", ""),
        ("message", "bytes é", ""),
        ("message", "42", ""),
        ("dictionary", "from a dict", "d1"),
        ("multi", "line one\nline two\nline three\nline four", "m1"),
        ("message", "lf separated", "m2"),
        ("message", "cr separated", "m3"),
        ("tickdata: injectedevent: evil", "payload", injected_id),
        ("empty", "", injected_id),
        # the comment-only message dispatches nothing in a browser
        ("message", "last before the reconnect", "5"),
        # the server ended the stream: the browser reconnects, sending Last-Event-ID
        ("error", 0),
        ("open",),
        ("resumed", "after 5", "6"),
        ("done", "bye", "6"),
    ]
    assert recorder.last_event_ids == [None, "5"]
    # the up-front `retry:` took effect: the reconnect waited RETRY_MS, not the 3 s default
    times = [e["at"] for e in recorder.report if e["type"] in {"error", "open"}]
    error_at, reopen_at = times[1:]
    assert RETRY_MS * 0.9 <= reopen_at - error_at < 2_500
    # trioweb.testing's parser reads the same stream exactly as the browser did
    browser_saw = list(_events(recorder.report))[1:11]
    async with AsyncTestClient(browser_app(Recorder())) as client:
        async with client.stream("GET", "/events") as response:
            parsed = [(e.event, e.data, e.id) async for e in aiter_sse(response)]
    assert parsed == browser_saw


ABORT_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>trioweb aborted streams</title></head>
<body><script>
const report = {events: []};
async function read(path) {
  try {
    const response = await fetch(path);
    return {status: response.status, text: await response.text()};
  } catch (error) {
    return {error: error.name};
  }
}
(async () => {
  report.whole = await read("/whole");
  report.broken = await read("/broken");
  const source = new EventSource("/events");
  source.onmessage = (event) => {
    report.events.push([event.data, event.lastEventId]);
    if (event.data === "done") {
      source.close();
      fetch("/report", {method: "POST", headers: {"content-type": "application/json"},
                        body: JSON.stringify(report)});
    }
  };
  source.onerror = () => report.events.push(["error", source.readyState]);
})();
</script></body></html>
"""


async def test_a_browser_sees_an_aborted_stream_as_broken_and_event_source_reconnects(
    chromium: str, tmp_path: Path
) -> None:
    # the iterator raises after the headers: fetch() rejects (the body never completed),
    # where a whole stream resolves; an EventSource reconnects with the last id it saw
    recorder = Recorder()

    @get("/", media_type=MediaType.HTML)
    async def page() -> str:
        return ABORT_PAGE

    async def then_fail(*chunks: Any) -> AsyncIterator[Any]:
        for chunk in chunks:
            yield chunk
            await trio.sleep(0.05)  # the browser has the first part before the error
        raise RuntimeError("lost the upstream")

    @get("/whole", media_type=MediaType.TEXT)
    async def whole() -> Stream:
        return Stream(["first part, ", "second part"])

    @get("/broken", media_type=MediaType.TEXT)
    async def broken() -> Stream:
        return Stream(then_fail("first part, "))

    @get("/events")
    async def events(
        last_event_id: str | None = Parameter(header="last-event-id", default=None),
    ) -> ServerSentEvent:
        recorder.last_event_ids.append(last_event_id)
        if last_event_id is None:
            message = ServerSentEventMessage(data="before the error", id="1", retry=RETRY_MS)
            return ServerSentEvent(then_fail(message), ping_interval=None)
        return ServerSentEvent(["done"], ping_interval=None)

    @post("/report", status_code=204)
    async def report(data: dict[str, Any]) -> None:
        recorder.report = [data]
        recorder.reported.set()

    app = TrioWeb([page, whole, broken, events, report])
    async with open_server(app) as url, browsing(chromium, url + "/", tmp_path) as browser:
        with trio.move_on_after(REPORT_TIMEOUT):
            await recorder.reported.wait()
        assert recorder.report is not None, "no report from the page:\n" + browser.tail()
    [result] = recorder.report
    assert result["whole"] == {"status": 200, "text": "first part, second part"}
    assert result["broken"] == {"error": "TypeError"}  # fetch's network error
    assert result["events"] == [
        ["before the error", "1"],
        ["error", 0],  # CONNECTING: the stream broke, the browser reconnects
        ["done", "1"],
    ]
    assert recorder.last_event_ids == [None, "1"]
