"""Read a streamed httpx response from a real server, and leave it early without leaking.

Leaving ``response.aiter_raw()`` by ``break`` abandons httpx's inner async generators, which
trio's finalizer reports as a ``ResourceWarning`` (an error in this suite). Cancelling the
reading task instead, while it waits inside that generator chain for the next chunk, unwinds
every layer, so nothing is left suspended.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import aclosing

import httpx
import trio

__all__ = ("read_all", "read_until")


async def read_until(
    response: httpx.Response, done: Callable[[bytes], bool], *, timeout: float = 5.0
) -> bytes:
    """Read raw body bytes until ``done(received)`` is true, then stop reading for good.

    The caller leaves the ``client.stream(...)`` block afterwards, which closes the
    connection: the server sees the client go.
    """
    received = bytearray()
    enough = trio.Event()

    async def reader() -> None:
        # no checkpoint in the loop body: a cancellation lands inside httpx's generators
        async for chunk in response.aiter_raw():
            received.extend(chunk)
            if done(bytes(received)):
                enough.set()

    with trio.fail_after(timeout):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(reader)
            await enough.wait()
            nursery.cancel_scope.cancel()
    return bytes(received)


async def read_all(response: httpx.Response) -> list[bytes]:
    """Every raw chunk of the body, as received (TCP may merge or split the app's chunks)."""
    async with aclosing(response.aiter_raw()) as chunks:
        return [chunk async for chunk in chunks]
