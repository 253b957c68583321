"""``Request``: an HTTP connection with its body.

Error handling: a body over ``request_max_body_size`` answers 413 (checked from
``Content-Length`` first, then counted while streaming); malformed JSON, MessagePack or
forms answer 400; a client that leaves while the body is read raises
``ClientDisconnectedException`` (a 4xx that is never sent, as nobody is listening).
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

import msgspec

from trioweb.connection.base import ASGIConnection
from trioweb.datastructures import Accept, FormMultiDict, State
from trioweb.enums import RequestEncodingType
from trioweb.exceptions import (
    ClientException,
    HTTPException,
    InternalServerException,
    LitestarException,
    LitestarWarning,
    RequestEntityTooLarge,
)

if TYPE_CHECKING:
    from trioweb.types import Method, Scope

__all__ = ("ClientDisconnectedException", "Request", "parse_content_type")

UserT = TypeVar("UserT")
AuthT = TypeVar("AuthT")
StateT = TypeVar("StateT", bound=State)

DEFAULT_MAX_BODY_SIZE: Final = 10_000_000
#: The request headers a push promise carries (Litestar's list).
_PUSH_HEADERS: Final = frozenset(
    {b"accept", b"accept-encoding", b"accept-language", b"cache-control", b"user-agent"}
)
_JSON_DECODER: Final = msgspec.json.Decoder()
_MSGPACK_DECODER: Final = msgspec.msgpack.Decoder()


class ClientDisconnectedException(HTTPException):
    """The client went away while its request body was being read.

    Also what generator dependencies see raised at their ``yield`` when a disconnect
    cancelled the handler half-way (``cancel_on_disconnect``), so they can roll back.
    """

    status_code = 499
    detail = "Client disconnected"


def parse_content_type(value: str) -> tuple[str, dict[str, str]]:
    """Split a ``Content-Type`` value into the media type and its parameters."""
    if ";" not in value:
        return value.strip().lower(), {}
    media, _, rest = value.partition(";")
    options: dict[str, str] = {}
    for part in rest.split(";"):
        key, sep, val = part.partition("=")
        if sep:
            options[key.strip().lower()] = val.strip().strip('"')
    return media.strip().lower(), options


def _raw_header(scope: Scope, name: bytes) -> str | None:
    """The first value of header ``name`` straight from the scope (no ``Headers`` built)."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return cast("bytes", value).decode("latin-1")
    return None


class Request(ASGIConnection[Any, UserT, AuthT, StateT]):
    """An HTTP request."""

    __slots__ = ()

    @property
    def method(self) -> Method:
        """The request method."""
        return cast("Method", self.scope["method"])

    @property
    def is_connected(self) -> bool:
        """``False`` once reading the body met the client's ``http.disconnect`` (Litestar's)."""
        return not self.scope.get("_disconnected", False)

    @property
    def supports_push_promise(self) -> bool:
        """Whether the server offers HTTP/2 server push (see :meth:`send_push_promise`)."""
        return "http.response.push" in (self.scope.get("extensions") or {})

    @property
    def content_type(self) -> tuple[str, dict[str, str]]:
        """The media type of the body and its parameters (``charset``, ``boundary``...)."""
        cached = self.scope.get("_content_type")
        if cached is None:
            raw = _raw_header(self.scope, b"content-type")
            cached = self.scope["_content_type"] = parse_content_type(raw or "")
        return cast("tuple[str, dict[str, str]]", cached)

    @property
    def mime_type(self) -> str:
        """The media type of the body alone."""
        return self.content_type[0]

    @property
    def accept(self) -> Accept:
        """The parsed ``Accept`` header (``best_match``, ``accepts``)."""
        cached = self.scope.get("_accept")
        if cached is None:
            cached = self.scope["_accept"] = Accept(self.headers.get("accept", "*/*"))
        return cast("Accept", cached)

    @property
    def content_length(self) -> int | None:
        """The ``Content-Length`` header as an int (None when absent or invalid)."""
        value = _raw_header(self.scope, b"content-length")
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            return None

    @property
    def max_body_size(self) -> int | None:
        """The body size limit of the route (``request_max_body_size``, layered)."""
        handler = self.scope.get("route_handler")
        if handler is None:
            return DEFAULT_MAX_BODY_SIZE
        return cast(
            "int | None", getattr(handler, "resolved_request_max_body_size", DEFAULT_MAX_BODY_SIZE)
        )

    def _start_reading(self) -> int | None:
        """Claim the body (it can be read once) and check its declared length: the limit."""
        if self.scope.get("_body_consumed"):
            raise InternalServerException("The request body was already consumed by stream()")
        scope = self.scope
        scope["_body_consumed"] = True
        limit = self.max_body_size
        if limit is not None:
            # one pass over the headers for the length and, while at it, the content type
            # (which whoever reads the body looks at next)
            length: bytes | None = None
            content_type: bytes | None = None
            for key, value in scope.get("headers", ()):
                if key == b"content-length":
                    if length is None:
                        length = value
                        if content_type is not None:
                            break
                elif key == b"content-type" and content_type is None:
                    content_type = value
                    if length is not None:
                        break
            if "_content_type" not in scope:
                scope["_content_type"] = parse_content_type(
                    content_type.decode("latin-1") if content_type is not None else ""
                )
            if length is not None:
                try:
                    declared = int(length.decode("latin-1"))
                except ValueError:
                    declared = None
                if declared is not None and declared > limit:
                    raise RequestEntityTooLarge()
        return limit

    async def stream(self) -> AsyncGenerator[bytes, None]:
        """Yield the body as it arrives (or from the cache once it was read whole)."""
        if "_body" in self.scope:
            yield self.scope["_body"]
            return
        limit = self._start_reading()
        received = 0
        while True:
            message = await self.receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                if chunk:
                    received += len(chunk)
                    if limit is not None and received > limit:
                        raise RequestEntityTooLarge()
                    yield chunk
                if not message.get("more_body", False):
                    return
            elif message["type"] == "http.disconnect":
                self.scope["_disconnected"] = True
                raise ClientDisconnectedException()

    async def body(self) -> bytes:
        """The whole body (read once, then cached)."""
        body = self.scope.get("_body")
        if body is not None:
            return cast("bytes", body)
        # the same rules as stream(), without an async generator per request
        limit = self._start_reading()
        message = await self.receive()
        if message["type"] == "http.request" and not message.get("more_body", False):
            # the whole body in one message: the common case
            body = message.get("body", b"")
            if limit is not None and len(body) > limit:
                raise RequestEntityTooLarge()
            self.scope["_body"] = body
            return cast("bytes", body)
        chunks: list[bytes] = []
        received = 0
        while True:
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                if chunk:
                    received += len(chunk)
                    if limit is not None and received > limit:
                        raise RequestEntityTooLarge()
                    chunks.append(chunk)
                if not message.get("more_body", False):
                    break
            elif message["type"] == "http.disconnect":
                self.scope["_disconnected"] = True
                raise ClientDisconnectedException()
            message = await self.receive()
        body = self.scope["_body"] = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        return body

    async def json(self) -> Any:
        """The body decoded as JSON (``None`` for an empty body)."""
        if "_json" not in self.scope:
            body = await self.body()
            try:
                self.scope["_json"] = _JSON_DECODER.decode(body) if body else None
            except msgspec.DecodeError as exc:
                raise ClientException(str(exc)) from exc
        return self.scope["_json"]

    async def msgpack(self) -> Any:
        """The body decoded as MessagePack (``None`` for an empty body)."""
        if "_msgpack" not in self.scope:
            body = await self.body()
            try:
                self.scope["_msgpack"] = _MSGPACK_DECODER.decode(body) if body else None
            except msgspec.DecodeError as exc:
                raise ClientException(str(exc)) from exc
        return self.scope["_msgpack"]

    async def form(self) -> FormMultiDict:
        """The body parsed as a url-encoded or multipart form."""
        cached = self.scope.get("_form")
        if cached is None:
            from trioweb._multipart import parse_form

            media, options = self.content_type
            if media not in (RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART):
                cached = FormMultiDict()
            else:
                cached = await parse_form(self, media, options)
            self.scope["_form"] = cached
        return cast("FormMultiDict", cached)

    async def send_push_promise(self, path: str, raise_if_unavailable: bool = False) -> None:
        """Ask the server to push ``path`` (HTTP/2 with the ``http.response.push`` extension).

        The request's ``accept*``, ``cache-control`` and ``user-agent`` headers go with it.

        Error handling: without server push, ``raise_if_unavailable`` raises
        ``LitestarException``; otherwise a ``LitestarWarning`` is issued (as Litestar does).
        """
        if not self.supports_push_promise:
            message = "Attempted to send a push promise but the server does not support it"
            if raise_if_unavailable:
                raise LitestarException(message)
            warnings.warn(
                f"{message}; check Request.supports_push_promise first, or pass "
                "raise_if_unavailable=True",
                LitestarWarning,
                stacklevel=2,
            )
            return
        headers = [(k, v) for k, v in self.scope.get("headers", ()) if k in _PUSH_HEADERS]
        await self.send({"type": "http.response.push", "path": path, "headers": headers})
