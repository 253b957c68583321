"""Read a streamed test response chunk by chunk, without async generators.

Trio emits a ``ResourceWarning`` for every async generator that is garbage collected before
it is exhausted, and ``filterwarnings = error`` makes that a test failure. httpx's
``response.aiter_raw()`` / ``aiter_bytes()`` are async generators layered on another one
(``BoundAsyncStream.__aiter__``), and ``aclosing()`` cannot close the inner layer, so a test
that stops reading a stream early (the usual way to test an endless stream) trips the
warning. :func:`aiter_chunks` reads the test transport's stream directly instead::

    async with client.stream("GET", "/numbers") as response:
        async for chunk in aiter_chunks(response):
            if chunk == b"3":
                break  # leaving the block sends the app http.disconnect

The chunks are what the app sent, one per ``http.response.body`` message. A response with a
``content-encoding``, or one that is not from a trioweb test client, is read through
``response.aiter_bytes()`` instead (decoded, but with httpx's generators).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import httpx

__all__ = ("RESPONSE_STREAM_EXTENSION", "ChunkIterator", "ChunkSource", "aiter_chunks")

RESPONSE_STREAM_EXTENSION = "trioweb.testing.response_stream"
"""The key of ``response.extensions`` under which the test transport exposes its stream."""


class ChunkSource(Protocol):
    """What the test transport's response stream offers."""

    async def next_chunk(self) -> bytes | None:
        """The next body chunk, or ``None`` at the end of the body."""


class ChunkIterator:
    """Iterates a :class:`ChunkSource`; a plain async iterator, not an async generator."""

    __slots__ = ("_source",)

    def __init__(self, source: ChunkSource) -> None:
        self._source = source

    def __aiter__(self) -> ChunkIterator:
        return self

    async def __anext__(self) -> bytes:
        chunk = await self._source.next_chunk()
        if chunk is None:
            raise StopAsyncIteration
        return chunk


def aiter_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """Iterate the body of a streamed response as the app sends it; see the module docstring.

    Error handling: as for reading the body through httpx: the app's exception if it ended
    the body early (with ``raise_server_exceptions=True``), else
    :class:`httpx.RemoteProtocolError`; :class:`httpx.ReadTimeout` on the read timeout.
    """
    source: ChunkSource | None = response.extensions.get(RESPONSE_STREAM_EXTENSION)
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if source is None or response.is_stream_consumed or encoding not in ("", "identity"):
        return response.aiter_bytes()
    return ChunkIterator(source)
