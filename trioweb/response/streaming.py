"""``Stream``: a body produced chunk by chunk by a sync or async iterator.

The stream is sent by the lifecycle package on the connection nursery: a disconnect
cancels it and closes the iterator (see ``trioweb._lifecycle._streaming``).

Background work attached to a streamed response runs once the response has ended: after
it completed, and also after the client left mid-stream; not when the iterator raised
(docs/background-tasks.md has the whole policy).
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from trioweb._lifecycle import ReceiveRelay, StreamEnd, StreamPolicy, send_streaming
from trioweb.enums import MediaType
from trioweb.response.base import ASGIResponse, Response

if TYPE_CHECKING:
    from trioweb.app import TrioWeb
    from trioweb.background_tasks import BackgroundTask, BackgroundTasks
    from trioweb.connection import Request
    from trioweb.datastructures import Cookie
    from trioweb.types import Receive, ResponseCookies, ResponseHeaders, Scope, Send, StreamType

__all__ = ("RELAY_SCOPE_KEY", "STREAM_ERROR_SCOPE_KEY", "ASGIStreamingResponse", "Stream")

RELAY_SCOPE_KEY = "_trioweb_relay"
"""Scope key under which a running receive relay is published (cancel_on_disconnect)."""
STREAM_ERROR_SCOPE_KEY = "_trioweb_stream_error"
"""Scope key of the exception that aborted a streamed body (after it was logged); the app
throws it into the route's generator dependencies, as it does a handler's error."""

StreamSource = AsyncIterable[Any] | Iterable[Any]
_DEFAULT_POLICY = StreamPolicy()


def _content_source(content: Any) -> StreamSource:
    if isinstance(content, AsyncIterable | Iterable) and not isinstance(content, str | bytes):
        return content
    if callable(content):
        produced = content()
        if isinstance(produced, AsyncIterable | Iterable):
            return produced
    raise TypeError(
        f"Stream content must be an iterable or a callable returning one, not {content!r}"
    )


class ASGIStreamingResponse(ASGIResponse):
    """A low-level streaming response, sent on the connection nursery."""

    __slots__ = ("encode", "iterator", "policy", "prelude")

    def __init__(
        self,
        *,
        iterator: StreamType[Any] | StreamSource,
        background: BackgroundTask | BackgroundTasks | None = None,
        body: bytes | str = b"",
        content_length: int | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoded_headers: Iterable[tuple[bytes, bytes]] | None = None,
        encoding: str = "utf-8",
        headers: dict[str, Any] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        policy: StreamPolicy | None = None,
        encode: Callable[[Any], bytes] | None = None,
    ) -> None:
        super().__init__(
            background=background,
            body=body,
            content_length=content_length,
            cookies=cookies,
            encoded_headers=encoded_headers,
            encoding=encoding,
            headers=headers,
            is_head_response=is_head_response,
            media_type=media_type,
            status_code=status_code,
        )
        # a streamed body has no length known up front (Content-Length only if given)
        if content_length is None:
            self.encoded_headers = [h for h in self.encoded_headers if h[0] != b"content-length"]
        self.iterator = iterator
        self.policy = policy
        self.encode = encode or self._encode_chunk
        self.prelude = b""

    def _encode_chunk(self, chunk: Any) -> bytes:
        if isinstance(chunk, bytes):
            return chunk
        if isinstance(chunk, str):
            return chunk.encode(self.encoding)
        return bytes(chunk)

    def resolve_policy(self, scope: Scope) -> StreamPolicy:
        """This response's policy; timeouts it leaves unset come from the route's layers."""
        route_policy: StreamPolicy | None = getattr(
            scope.get("route_handler"), "stream_policy", None
        )
        own = self.policy
        if own is None:
            return route_policy or _DEFAULT_POLICY
        if route_policy is None:
            return own
        return dataclasses.replace(
            own,
            idle_timeout=own.idle_timeout
            if own.idle_timeout is not None
            else route_policy.idle_timeout,
            total_timeout=own.total_timeout
            if own.total_timeout is not None
            else route_policy.total_timeout,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        relay: ReceiveRelay | None = scope.get(RELAY_SCOPE_KEY)
        failures: list[Exception] = []
        ended = await send_streaming(
            send,
            receive,
            {
                "type": "http.response.start",
                "status": self.status_code,
                "headers": self.encoded_headers,
            },
            self.iterator,
            self.encode,
            policy=self.resolve_policy(scope),
            relay=relay,
            is_head_response=self.is_head_response,
            prelude=self.prelude,
            failures=failures,
        )
        if ended is StreamEnd.FAILED:
            if failures:
                scope[STREAM_ERROR_SCOPE_KEY] = failures[0]
        else:
            await self.after_response()


class Stream(Response[StreamSource]):
    """A response whose body is streamed from an iterator (or a callable returning one)."""

    __slots__ = ("iterator",)

    def __init__(
        self,
        content: StreamType[str | bytes] | Callable[[], StreamType[str | bytes]],
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: ResponseHeaders | None = None,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        source = _content_source(content)
        super().__init__(
            content=source,
            background=background,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            media_type=media_type,
            status_code=status_code,
        )
        self.iterator: StreamSource = source

    def to_asgi_response(
        self,
        app: TrioWeb | None = None,
        request: Request[Any, Any, Any] | None = None,
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoded_headers: Iterable[tuple[bytes, bytes]] | None = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        type_encoders: Mapping[Any, Any] | None = None,
    ) -> ASGIResponse:
        """Create an ``ASGIStreamingResponse``; this response's settings take precedence."""
        merged_headers, merged_cookies, _ = self._merged(headers, cookies, type_encoders)
        return ASGIStreamingResponse(
            iterator=self.iterator,
            background=self.background or background,
            cookies=merged_cookies,
            encoded_headers=encoded_headers,
            encoding=self.encoding,
            headers=merged_headers,
            is_head_response=is_head_response,
            media_type=self.media_type or media_type or MediaType.JSON,
            status_code=self.status_code or status_code,
        )
