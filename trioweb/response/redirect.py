"""``Redirect``: a response that sends the client elsewhere (301, 302, 303, 307, 308)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import quote, urlencode

from trioweb.enums import MediaType
from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.response.base import ASGIResponse, Response
from trioweb.status_codes import HTTP_302_FOUND

if TYPE_CHECKING:
    from trioweb.app import TrioWeb
    from trioweb.background_tasks import BackgroundTask, BackgroundTasks
    from trioweb.connection import Request
    from trioweb.datastructures import Cookie
    from trioweb.types import ResponseCookies, ResponseHeaders

__all__ = (
    "REDIRECT_ALLOWED_MEDIA_TYPES",
    "REDIRECT_STATUS_CODES",
    "ASGIRedirectResponse",
    "Redirect",
    "RedirectStatusType",
)

RedirectStatusType = Literal[301, 302, 303, 307, 308]
REDIRECT_STATUS_CODES: Final = frozenset({301, 302, 303, 307, 308})
REDIRECT_ALLOWED_MEDIA_TYPES: Final = frozenset(
    {MediaType.TEXT.value, MediaType.HTML.value, MediaType.JSON.value}
)
# Litestar's url_quote: characters that may stand in a URL as they are; '%' included, so
# an already percent-encoded location (or query string) is left alone.
_SAFE: Final = "/#%[]=:;$&()+,!?*@'~"


def _location(path: str, query_params: Mapping[str, Any] | None) -> str:
    location = path
    if query_params:
        pairs: list[tuple[str, Any]] = []
        for key, value in query_params.items():
            if isinstance(value, list | tuple):
                pairs.extend((key, item) for item in value)
            else:
                pairs.append((key, value))
        location = f"{location}{'&' if '?' in location else '?'}{urlencode(pairs)}"
    return location


def _check_status(status_code: int | None) -> int:
    status = status_code or HTTP_302_FOUND
    if status not in REDIRECT_STATUS_CODES:
        raise ImproperlyConfiguredException(
            f"{status} is not a valid for this response. "
            f"Redirect responses should have one of the following status codes: "
            f"{', '.join(str(s) for s in sorted(REDIRECT_STATUS_CODES))}"
        )
    return status


def _check_media_type(media_type: str) -> str:
    if media_type not in REDIRECT_ALLOWED_MEDIA_TYPES:
        raise ImproperlyConfiguredException(
            f"{media_type} media type is not supported yet. Media type should be one of the "
            f"following values: {', '.join(sorted(REDIRECT_ALLOWED_MEDIA_TYPES))}"
        )
    return media_type


class ASGIRedirectResponse(ASGIResponse):
    """A low-level redirect: an empty body and a ``location`` header (percent-quoted).

    Error handling: ``ImproperlyConfiguredException`` for a status other than 301, 302, 303,
    307, 308, or a media type other than text/plain, text/html, application/json.
    """

    __slots__ = ()

    def __init__(
        self,
        path: str | bytes,
        media_type: str | None = None,
        status_code: RedirectStatusType | None = None,
        headers: dict[str, Any] | None = None,
        encoded_headers: Iterable[tuple[bytes, bytes]] | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
        body: bytes | str = b"",
        content_length: int | None = None,
        cookies: Iterable[Cookie] | None = None,
        encoding: str = "utf-8",
        is_head_response: bool = False,
    ) -> None:
        status = _check_status(status_code)
        media = _check_media_type(str(media_type or MediaType.TEXT))
        super().__init__(
            background=background,
            body=body,
            content_length=content_length,
            cookies=cookies,
            encoded_headers=encoded_headers,
            encoding=encoding,
            headers={**(headers or {}), "location": quote(path, safe=_SAFE)},
            is_head_response=is_head_response,
            media_type=media,
            status_code=status,
        )


class Redirect(Response[Any]):
    """Redirect the client to ``path`` (302 by default)."""

    __slots__ = ("url",)

    def __init__(
        self,
        path: str,
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: ResponseHeaders | None = None,
        media_type: str | MediaType | None = None,
        query_params: Mapping[str, Any] | None = None,
        status_code: RedirectStatusType | None = None,
        type_encoders: Mapping[Any, Any] | None = None,
    ) -> None:
        self.url = _location(path, query_params)
        super().__init__(
            content=b"",
            background=background,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            media_type=media_type,
            status_code=_check_status(status_code),
            type_encoders=type_encoders,
        )

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
        """Create the ``ASGIRedirectResponse``; its media type, else the handler's, else text."""
        merged_headers, merged_cookies, _ = self._merged(headers, cookies, type_encoders)
        media = self.media_type or media_type or MediaType.TEXT
        return ASGIRedirectResponse(
            path=self.url,
            media_type=media.value if isinstance(media, MediaType) else media,
            status_code=self.status_code,  # type: ignore[arg-type]
            headers=merged_headers,
            encoded_headers=encoded_headers,
            background=self.background or background,
            cookies=merged_cookies,
            encoding=self.encoding,
            is_head_response=is_head_response,
        )
