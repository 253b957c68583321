"""Streaming: generators, cleanup, bounds, the nursery idiom and ``cancel_on_disconnect``."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import trio

from trioweb import MediaType, TrioWeb, get
from trioweb.response import Stream

CLOSED: list[str] = []  # what the snippets' cleanup did, for the tests


# 1. An async generator. Its `finally` runs however the stream ends: completed, failed,
#    the client left, the server shut down.
@get("/numbers", media_type=MediaType.TEXT)
async def numbers(upto: int = 3) -> Stream:
    async def count() -> AsyncIterator[str]:
        try:
            for n in range(1, upto + 1):
                yield f"{n}\n"
                await trio.sleep(0.01)
        finally:
            # Cancelled in the middle of its own `await`, the generator runs this in a
            # cancelled scope (as all trio code does): awaiting cleanup needs a shield.
            with trio.move_on_after(1, shield=True):
                await trio.sleep(0)  # e.g. `await connection.aclose()`
            CLOSED.append("numbers")

    return Stream(count())


# 2. A sync generator: each `next()` runs in a worker thread, under a limiter of its own.
@get("/report", media_type="text/csv")
def report() -> Stream:
    def rows() -> Iterator[str]:
        try:
            yield "id,name\n"
            for n in range(3):
                time.sleep(0.001)  # blocking work is fine here
                yield f"{n},row {n}\n"
        finally:
            CLOSED.append("report")

    return Stream(rows())


# 3. Bounded streams: end after 0.05 s without a chunk, or after 1 s in all. A stream ended
#    by a timeout is a complete response.
@get("/ticks", media_type=MediaType.TEXT, stream_idle_timeout=0.05, stream_total_timeout=1)
async def ticks() -> Stream:
    async def tick() -> AsyncIterator[str]:
        yield "tick\n"
        await trio.sleep(10)  # silence: the idle timeout ends the stream
        yield "never\n"

    return Stream(tick())


# 4. The trio-native idiom: take the connection nursery, start a producer that writes into
#    a memory channel, stream the receiving end. On disconnect both are cancelled/closed.
@get("/feed", media_type=MediaType.TEXT)
async def feed(nursery: trio.Nursery, upto: int | None = None) -> Stream:
    send_channel, receive_channel = trio.open_memory_channel[str](0)

    async def produce() -> None:
        try:
            async with send_channel:  # closing it ends the stream
                n = 0
                while upto is None or n < upto:
                    await send_channel.send(f"event {n}\n")
                    n += 1
                    await trio.sleep(0.01)
        finally:
            CLOSED.append("feed producer")

    nursery.start_soon(produce)
    return Stream(receive_channel)


# 5. A slow handler that is cancelled when its client gives up.
@get("/search", media_type=MediaType.TEXT, cancel_on_disconnect=True)
async def search(q: str) -> str:
    try:
        await trio.sleep(5)  # an expensive query
    except trio.Cancelled:
        CLOSED.append("search cancelled")
        raise
    return f"results for {q}"


app = TrioWeb([numbers, report, ticks, feed, search])
