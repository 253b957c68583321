"""Small generic aliases: optional sequences, sync-or-async values, streams, SSE data."""

from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Iterable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, Union

if TYPE_CHECKING:
    # Written alongside this module; the ignore lets either land first, and goes unused (and
    # unreported, thanks to ``unused-ignore``) once both exist.
    from trioweb.response.sse import (  # type: ignore[import-not-found, unused-ignore]
        ServerSentEventMessage,
    )

__all__ = (
    "AnyIOBackend",
    "MaybePartial",
    "OptionalSequence",
    "SSEData",
    "StreamType",
    "SyncOrAsyncUnion",
)

T = TypeVar("T")

OptionalSequence: TypeAlias = Sequence[T] | None
"""A sequence of ``T``, or ``None``."""

SyncOrAsyncUnion: TypeAlias = T | Awaitable[T]
"""``T`` itself, or an awaitable of ``T`` (what a sync-or-async callable returns)."""

AnyIOBackend: TypeAlias = Literal["asyncio", "trio"]
"""Backend names, as Litestar's test client accepts them; trioweb always runs on trio."""

StreamType: TypeAlias = Iterable[T] | Iterator[T] | AsyncIterable[T] | AsyncIterator[T]
"""Anything a streaming response can pull chunks of ``T`` from."""

MaybePartial: TypeAlias = T | partial[Any]
"""``T``, or a ``functools.partial`` wrapping one."""

# typing.Union because a string forward reference cannot take part in ``X | Y`` at runtime;
# the string keeps trioweb.response out of this module's runtime imports.
SSEData: TypeAlias = Union[int, str, bytes, dict[str, Any], "ServerSentEventMessage"]
"""One item of server-sent-event content: a message, or the data (or fields) of one."""
