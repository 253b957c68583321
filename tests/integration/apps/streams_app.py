"""A trioweb app with endless streams of every kind, for the SIGTERM test.

Each stream appends ``<kind>-started`` and, from its ``finally``, ``<kind>-finally`` to the
file named by ``$TRIOWEB_TEST_MARKER``.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator, Iterator

import trio

from trioweb import MediaType, TrioWeb, get
from trioweb.response import ServerSentEvent, Stream

MARKER_ENV = "TRIOWEB_TEST_MARKER"


def mark(event: str) -> None:
    with open(os.environ[MARKER_ENV], "a") as file:
        file.write(event + "\n")


async def endless(kind: str) -> AsyncIterator[str]:
    mark(f"{kind}-started")
    try:
        while True:
            yield f"{kind}\n"
            await trio.sleep(0.05)
    finally:
        mark(f"{kind}-finally")


@get("/", media_type=MediaType.TEXT)
async def ready() -> str:
    return "ready"


@get("/async")
async def async_stream() -> Stream:
    return Stream(endless("async"))


@get("/sync")
def sync_stream() -> Stream:
    def body() -> Iterator[str]:
        mark("sync-started")
        try:
            while True:
                yield "sync\n"
                time.sleep(0.05)
        finally:
            mark("sync-finally")

    return Stream(body())


@get("/sse", cancel_on_disconnect=True)
async def sse() -> ServerSentEvent:
    return ServerSentEvent(endless("sse"))


@get("/feed")
async def feed(nursery: trio.Nursery) -> Stream:
    send_channel, receive_channel = trio.open_memory_channel[str](0)

    async def produce() -> None:
        mark("feed-started")
        try:
            async with send_channel:
                while True:
                    await send_channel.send("feed\n")
                    await trio.sleep(0.05)
        finally:
            mark("feed-finally")

    nursery.start_soon(produce)
    return Stream(receive_channel)


app = TrioWeb([ready, async_stream, sync_stream, sse, feed], on_shutdown=[lambda: mark("shutdown")])
