"""``Template``: a response rendered by the app's template engine (``template_config=``).

As in Litestar: the context gets ``request`` and ``csrf_input`` (a hidden ``_csrf_token``
input); the media type is the response's, else the handler's, else guessed from the
template name's suffixes (``page.html.jinja2`` is ``text/html``), else ``text/plain``;
``template_str`` renders as ``text/html``. The status is 200 unless given.

Rendering happens on the trio thread, when the handler's result is turned into a response
(so a missing template or a rendering error goes through the exception handlers like any
handler error). It is not offloaded to a worker thread: rendering is CPU-bound work under
the GIL, so a thread would not make it faster, would cost a thread hop per response, and
would only buy the event loop a chance to switch tasks during a long render. A page whose
rendering takes long enough to matter can render in a thread itself:
``html = await trio.to_thread.run_sync(template.render, context)`` and return
``Response(html, media_type=MediaType.HTML)``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from mimetypes import guess_type
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from trioweb.enums import MediaType
from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.response.base import ASGIResponse, Response
from trioweb.status_codes import HTTP_200_OK
from trioweb.template.base import CSRF_TOKEN_SCOPE_KEY

if TYPE_CHECKING:
    from trioweb.app import TrioWeb
    from trioweb.background_tasks import BackgroundTask, BackgroundTasks
    from trioweb.connection import Request
    from trioweb.datastructures import Cookie
    from trioweb.types import ResponseCookies

__all__ = ("Template",)


def _media_type_for(template_name: str) -> str:
    for suffix in PurePath(template_name).suffixes:
        guessed = guess_type(f"name{suffix}")[0]
        if guessed:
            return guessed
    return MediaType.TEXT.value


class Template(Response[bytes]):
    """Render ``template_name`` (or ``template_str``) with ``context``."""

    __slots__ = ("context", "template_name", "template_str")

    def __init__(
        self,
        template_name: str | None = None,
        *,
        template_str: str | None = None,
        background: BackgroundTask | BackgroundTasks | None = None,
        context: dict[str, Any] | None = None,
        cookies: ResponseCookies | None = None,
        encoding: str = "utf-8",
        headers: dict[str, Any] | None = None,
        media_type: MediaType | str | None = None,
        status_code: int = HTTP_200_OK,
    ) -> None:
        """Error handling: ``ValueError`` unless exactly one of the two templates is given."""
        if not (template_name or template_str):
            raise ValueError("Either template_name or template_str must be provided.")
        if template_name and template_str:
            raise ValueError("Either template_name or template_str must be provided, not both.")
        super().__init__(
            content=b"",
            background=background,
            cookies=cookies,
            encoding=encoding,
            headers=headers,
            media_type=media_type,
            status_code=status_code,
        )
        self.context = context or {}
        self.template_name = template_name
        self.template_str = template_str

    def create_template_context(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        """The render context: the given one plus ``request`` and ``csrf_input``.

        The token is HTML-escaped in ``csrf_input`` (as in Litestar): on a safe request it
        is the client's own cookie, unchecked, and templates render the field ``| safe``.
        """
        token = html.escape(request.scope.get(CSRF_TOKEN_SCOPE_KEY, ""))
        return {
            **self.context,
            "request": request,
            "csrf_input": f'<input type="hidden" name="_csrf_token" value="{token}" />',
        }

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
        """Render and create the ``ASGIResponse``.

        Error handling: ``ImproperlyConfiguredException`` without a template engine on the
        app; ``TemplateNotFoundException`` (500) for an unknown template name.
        """
        if request is None:
            raise ImproperlyConfiguredException("A Template response needs the request")
        engine = request.app.template_engine
        if not engine:
            raise ImproperlyConfiguredException("Template engine is not configured")
        merged_headers, merged_cookies, _ = self._merged(headers, cookies, type_encoders)
        media = self.media_type or media_type
        if not media:
            media = _media_type_for(self.template_name) if self.template_name else MediaType.HTML
        context = self.create_template_context(request)
        if self.template_str is not None:
            body = engine.render_string(self.template_str, context).encode(self.encoding)
        else:
            template = engine.get_template(str(self.template_name))
            body = template.render(**context).encode(self.encoding)
        return ASGIResponse(
            background=self.background or background,
            body=body,
            cookies=merged_cookies,
            encoded_headers=encoded_headers,
            encoding=self.encoding,
            headers=merged_headers,
            is_head_response=is_head_response,
            media_type=media.value if isinstance(media, MediaType) else media,
            status_code=self.status_code or status_code,
        )
