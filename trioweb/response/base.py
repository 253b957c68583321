"""``Response``: status, headers, cookies and a body source; ``ASGIResponse`` sends it.

Response objects are sans-IO descriptions: only ``ASGIResponse.__call__`` (and the
lifecycle package for streams) puts bytes on the wire, so response types test without a
server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar, overload

import msgspec

from trioweb.datastructures import Cookie, ETag
from trioweb.enums import MediaType
from trioweb.exceptions import ImproperlyConfiguredException, SerializationException
from trioweb.serialization import Serializer, encode_json, encode_msgpack, get_serializer
from trioweb.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT, HTTP_304_NOT_MODIFIED

if TYPE_CHECKING:
    from trioweb.app import TrioWeb
    from trioweb.background_tasks import BackgroundTask, BackgroundTasks
    from trioweb.connection import Request
    from trioweb.types import Receive, ResponseCookies, ResponseHeaders, Scope, Send

__all__ = ("ASGIResponse", "Response", "encode_headers", "render_content", "status_allows_body")

T = TypeVar("T")
EncodedHeaders = list[tuple[bytes, bytes]]


def status_allows_body(status_code: int) -> bool:
    """1xx, 204 and 304 responses carry no body."""
    return not (
        status_code < HTTP_200_OK or status_code in (HTTP_204_NO_CONTENT, HTTP_304_NOT_MODIFIED)
    )


def content_type_header(media_type: str, encoding: str) -> bytes:
    """The ``content-type`` value: text types get a charset."""
    if media_type.startswith("text/") and "charset" not in media_type:
        return f"{media_type}; charset={encoding}".encode("latin-1")
    return media_type.encode("latin-1")


def encode_headers(
    headers: Mapping[str, Any] | Iterable[tuple[str, Any]],
    cookies: Iterable[Cookie] = (),
    encoded: EncodedHeaders | None = None,
) -> EncodedHeaders:
    """Encode header names (lower-cased) and values as latin-1, then the cookies."""
    out = encoded if encoded is not None else []
    items = headers.items() if isinstance(headers, Mapping) else headers
    for name, value in items:
        out.append((name.lower().encode("latin-1"), str(value).encode("latin-1")))
    for cookie in cookies:
        out.append(cookie.to_encoded_header())
    return out


def render_content(
    content: Any, media_type: str, serializer: Serializer | None, encoding: str = "utf-8"
) -> bytes:
    """Render ``content`` into body bytes for ``media_type`` (Litestar's rules).

    bytes pass through; empty text is empty; str is encoded; MessagePack and JSON
    (including any ``application/...+json``) go through msgspec.
    """
    if isinstance(content, bytes):
        return content
    try:
        if media_type.startswith("text/") and not content:
            return b""
        if isinstance(content, str):
            return content.encode(encoding)
        if media_type == MediaType.MESSAGEPACK:
            return encode_msgpack(content, serializer)
        if media_type.startswith("application/json") or (
            media_type.startswith("application/") and media_type.split(";", 1)[0].endswith("+json")
        ):
            return encode_json(content, serializer)
    except SerializationException as exc:
        raise ImproperlyConfiguredException("Unable to serialize response content") from exc
    raise ImproperlyConfiguredException(
        f"unsupported media_type {media_type} for content {content!r}"
    )


def make_renderer(
    media_type: str, serializer: Serializer | None, encoding: str = "utf-8"
) -> Callable[[Any], bytes]:
    """A ``render_content`` specialised for one media type, built once per route.

    JSON routes (the common case) get a function that calls a prebuilt msgspec encoder;
    everything else falls back to :func:`render_content`. Same results, same errors.
    """
    is_json = media_type.startswith("application/json") or (
        media_type.startswith("application/") and media_type.split(";", 1)[0].endswith("+json")
    )
    if not is_json:
        fallback = partial(
            _render_with, media_type=media_type, serializer=serializer, encoding=encoding
        )
        if not media_type.startswith("text/"):
            return fallback

        def render_text(content: Any) -> bytes:
            # a str is the common case: empty text is empty, any other is encoded
            if type(content) is str:
                return content.encode(encoding) if content else b""
            return fallback(content)

        return render_text
    encoder = msgspec.json.Encoder(enc_hook=serializer or get_serializer(None))

    def render_json(content: Any) -> bytes:
        if isinstance(content, bytes):
            return content
        if isinstance(content, str):
            return content.encode(encoding)
        try:
            return encoder.encode(content)
        except (TypeError, msgspec.EncodeError) as exc:
            raise ImproperlyConfiguredException("Unable to serialize response content") from exc

    return render_json


def _render_with(
    content: Any, *, media_type: str, serializer: Serializer | None, encoding: str
) -> bytes:
    return render_content(content, media_type, serializer, encoding)


class ASGIResponse:
    """A low-level ASGI response: a status, encoded headers and one body."""

    __slots__ = (
        "background",
        "body",
        "content_length",
        "encoded_headers",
        "encoding",
        "is_head_response",
        "status_code",
    )

    def __init__(
        self,
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        body: bytes | str = b"",
        content_length: int | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoded_headers: Iterable[tuple[bytes, bytes]] | None = None,
        encoding: str = "utf-8",
        headers: Mapping[str, Any] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
    ) -> None:
        status_code = status_code or HTTP_200_OK
        if isinstance(body, str):
            body = body.encode(encoding)
        allows_body = status_allows_body(status_code)
        if not allows_body:
            if body and body != b"null":
                raise ImproperlyConfiguredException(
                    "response content is not supported for HEAD responses and responses with a "
                    "status code that does not allow content (304, 204, < 200)"
                )
            body = b""
        # Litestar's order: given headers first, then content-type and content-length unless
        # the given headers set them, then the cookies. A HEAD response describes the body
        # it leaves out.
        encoded: EncodedHeaders = list(encoded_headers or [])
        if headers:
            encode_headers(headers, (), encoded)
        if content_length is None:
            content_length = len(body)
        if allows_body:
            given = {name for name, _ in encoded} if encoded else ()
            if b"content-type" not in given:
                media = str(
                    media_type.value
                    if isinstance(media_type, MediaType)
                    else (media_type or MediaType.JSON)
                )
                encoded.append((b"content-type", content_type_header(media, encoding)))
            if b"content-length" not in given:
                encoded.append((b"content-length", str(content_length).encode("latin-1")))
        if cookies:
            encode_headers((), cookies, encoded)
        self.background = background
        self.body = b"" if is_head_response else body
        self.content_length = content_length
        self.encoded_headers = encoded
        self.encoding = encoding
        self.is_head_response = is_head_response
        self.status_code = status_code

    @classmethod
    def prepared(
        cls,
        status_code: int,
        encoded_headers: EncodedHeaders,
        body: bytes,
        background: BackgroundTask | BackgroundTasks | None,
    ) -> ASGIResponse:
        """Build without validation from parts computed by a route's response plan."""
        self = cls.__new__(cls)
        self.status_code = status_code
        self.encoded_headers = encoded_headers
        self.body = body
        self.background = background
        self.content_length = len(body)
        self.encoding = "utf-8"
        self.is_head_response = False
        return self

    async def start_response(self, send: Send) -> None:
        """Send the ``http.response.start`` message."""
        await send(
            {
                "type": "http.response.start",
                "status": self.status_code,
                "headers": self.encoded_headers,
            }
        )

    async def send_body(self, send: Send, receive: Receive) -> None:
        """Send the body; subclasses that stream override this."""
        await send({"type": "http.response.body", "body": self.body, "more_body": False})

    async def after_response(self) -> None:
        """Run the background work once the response has ended."""
        if self.background is not None:
            await self.background()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.start_response(send)
        await self.send_body(send, receive)
        await self.after_response()


class Response(Generic[T]):
    """An HTTP response: content rendered by media type, with headers and cookies."""

    __slots__ = (
        "background",
        "content",
        "cookies",
        "encoding",
        "headers",
        "media_type",
        "response_type_encoders",
        "status_code",
    )

    type_encoders: ClassVar[Mapping[Any, Any] | None] = None

    def __init__(
        self,
        content: T,
        *,
        status_code: int | None = None,
        media_type: MediaType | str | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
        headers: ResponseHeaders | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        type_encoders: Mapping[Any, Any] | None = None,
    ) -> None:
        self.content = content
        self.status_code = status_code
        self.media_type = media_type
        self.background = background
        self.encoding = encoding
        self.headers: dict[str, Any] = (
            dict(headers)
            if isinstance(headers, Mapping)
            else {h.name: h.value for h in headers or ()}
        )
        self.cookies: list[Cookie] = (
            [Cookie(key=key, value=value) for key, value in cookies.items()]
            if isinstance(cookies, Mapping)
            else list(cookies or ())
        )
        self.response_type_encoders = {**(self.type_encoders or {}), **(type_encoders or {})}

    @overload
    def set_cookie(self, /, key: Cookie) -> None: ...
    @overload
    def set_cookie(
        self,
        key: str,
        value: str | None = None,
        max_age: int | None = None,
        expires: int | None = None,
        path: str = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: Literal["lax", "strict", "none"] = "lax",
    ) -> None: ...
    def set_cookie(
        self,
        key: str | Cookie,
        value: str | None = None,
        max_age: int | None = None,
        expires: int | None = None,
        path: str = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: Literal["lax", "strict", "none"] = "lax",
    ) -> None:
        """Add a ``Set-Cookie`` (a ``Cookie`` instance or its fields)."""
        if not isinstance(key, Cookie):
            key = Cookie(
                key=key,
                value=value,
                max_age=max_age,
                expires=expires,
                path=path,
                domain=domain,
                secure=secure,
                httponly=httponly,
                samesite=samesite,
            )
        self.cookies.append(key)

    def set_header(self, key: str, value: Any) -> None:
        """Set a response header."""
        self.headers[key] = value

    def set_etag(self, etag: str | ETag) -> None:
        """Set the ``etag`` header."""
        self.headers["etag"] = etag.to_header() if isinstance(etag, ETag) else etag

    def delete_cookie(self, key: str, path: str = "/", domain: str | None = None) -> None:
        """Expire a cookie on the client."""
        cookie = Cookie(key=key, path=path, domain=domain, expires=0, max_age=0)
        self.cookies = [c for c in self.cookies if c != cookie]
        self.cookies.append(cookie)

    def render(self, content: Any, media_type: str, enc_hook: Serializer | None = None) -> bytes:
        """Render ``content`` into bytes for ``media_type``."""
        return render_content(content, media_type, enc_hook, self.encoding)

    def _merged(
        self,
        headers: Mapping[str, Any] | None,
        cookies: Iterable[Cookie] | None,
        type_encoders: Mapping[Any, Any] | None,
    ) -> tuple[dict[str, Any], list[Cookie], Mapping[Any, Any] | None]:
        merged_headers = {**headers, **self.headers} if headers else self.headers
        # As in Litestar: this response's cookies, then the layered ones, none dropped (a
        # layered cookie with the same key is sent too, after this response's).
        merged_cookies = [*self.cookies, *cookies] if cookies else self.cookies
        encoders = (
            {**type_encoders, **self.response_type_encoders}
            if type_encoders
            else self.response_type_encoders
        )
        return merged_headers, merged_cookies, encoders

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
        """Create the ``ASGIResponse``; this response's own settings take precedence."""
        merged_headers, merged_cookies, encoders = self._merged(headers, cookies, type_encoders)
        media = self.media_type or media_type or MediaType.JSON
        media_str = media.value if isinstance(media, MediaType) else str(media)
        status = self.status_code or status_code or HTTP_200_OK
        body = b""
        if status_allows_body(status):
            body = self.render(self.content, media_str, get_serializer(encoders))
        return ASGIResponse(
            background=self.background or background,
            body=body,
            cookies=merged_cookies,
            encoded_headers=encoded_headers,
            encoding=self.encoding,
            headers=merged_headers,
            is_head_response=is_head_response,
            media_type=media_str,
            status_code=status,
        )
