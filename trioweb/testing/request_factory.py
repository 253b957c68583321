"""``RequestFactory``: build a :class:`~trioweb.Request` without a server (Litestar's).

For unit tests of code that takes a request (guards, dependencies, exception handlers,
middleware helpers)::

    request = RequestFactory().get("/items", query_params={"page": 2}, headers={"x-a": "1"})
    assert request.query_params["page"] == "2"

    request = RequestFactory().post("/items", data={"name": "x"})
    assert await request.json() == {"name": "x"}

The scope is what Litestar's factory builds: server ``test.org:3000``, the client at the
same address, ``session``, ``user`` and ``auth`` keys set (``user``/``auth`` to ``None``
unless given), and a route handler: a do-nothing handler for the method (built with
``handler_kwargs``) registered under ``app``, or the one given. A body is already read:
``await request.body()`` returns it without an ASGI ``receive``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlencode

import msgspec

from trioweb.connection import Request
from trioweb.enums import HttpMethod, RequestEncodingType
from trioweb.serialization import encode_json, get_serializer

if TYPE_CHECKING:
    from trioweb.app import TrioWeb
    from trioweb.datastructures import Cookie
    from trioweb.types import Scope

__all__ = ("RequestFactory",)

FileValue = bytes | str | tuple[str, bytes | str] | tuple[str, bytes | str, str]
Files = Mapping[str, FileValue] | Sequence[tuple[str, FileValue]]

_NO_BODY: Final = frozenset({HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS})


class RequestFactory:
    """Make requests as a client would send them to ``app`` (default: an empty app)."""

    __slots__ = ("app", "handler_kwargs", "port", "root_path", "scheme", "server")

    def __init__(
        self,
        app: TrioWeb | None = None,
        server: str = "test.org",
        port: int = 3000,
        root_path: str = "",
        scheme: str = "http",
        handler_kwargs: dict[str, Any] | None = None,
    ) -> None:
        if app is None:
            from trioweb.app import TrioWeb

            app = TrioWeb(route_handlers=[], openapi_config=None)
        self.app = app
        self.server = server
        self.port = port
        self.root_path = root_path
        self.scheme = scheme
        self.handler_kwargs = handler_kwargs

    # -- one method per HTTP method -------------------------------------------------------

    def get(self, path: str = "/", **options: Any) -> Request[Any, Any, Any]:
        """A ``GET`` request (options as :meth:`request`, without a body)."""
        return self.request(HttpMethod.GET, path, **options)

    def head(self, path: str = "/", **options: Any) -> Request[Any, Any, Any]:
        """A ``HEAD`` request."""
        return self.request(HttpMethod.HEAD, path, **options)

    def delete(self, path: str = "/", **options: Any) -> Request[Any, Any, Any]:
        """A ``DELETE`` request."""
        return self.request(HttpMethod.DELETE, path, **options)

    def post(self, path: str = "/", **options: Any) -> Request[Any, Any, Any]:
        """A ``POST`` request; ``data`` (and ``files``) become its body."""
        return self.request(HttpMethod.POST, path, **options)

    def put(self, path: str = "/", **options: Any) -> Request[Any, Any, Any]:
        """A ``PUT`` request; ``data`` (and ``files``) become its body."""
        return self.request(HttpMethod.PUT, path, **options)

    def patch(self, path: str = "/", **options: Any) -> Request[Any, Any, Any]:
        """A ``PATCH`` request; ``data`` (and ``files``) become its body."""
        return self.request(HttpMethod.PATCH, path, **options)

    def request(
        self,
        method: HttpMethod | str,
        path: str = "/",
        *,
        headers: Mapping[str, str] | None = None,
        cookies: Sequence[Cookie] | str | None = None,
        session: dict[str, Any] | None = None,
        user: Any = None,
        auth: Any = None,
        request_media_type: RequestEncodingType | str = RequestEncodingType.JSON,
        data: Any = None,
        files: Files | None = None,
        query_params: Mapping[str, Any] | None = None,
        state: dict[str, Any] | None = None,
        path_params: dict[str, Any] | None = None,
        http_version: str | None = "1.1",
        route_handler: Any = None,
    ) -> Request[Any, Any, Any]:
        """A request for ``method`` and ``path`` with everything Litestar's factory takes.

        ``data`` is encoded as ``request_media_type`` says (JSON by default, with the app's
        type encoders; url-encoded; or multipart with ``files``: ``{name: content}`` or
        ``{name: (filename, content[, content_type])}``) and sets ``Content-Type``.
        """
        method = HttpMethod(str(method).upper())
        header_map = {key.lower(): value for key, value in (headers or {}).items()}
        body = b""
        if method not in _NO_BODY and (data or files):
            body, content_type = self._encode(data, files, str(request_media_type))
            header_map.setdefault("content-type", content_type)
            header_map.setdefault("content-length", str(len(body)))
        if cookies:
            header_map["cookie"] = (
                cookies
                if isinstance(cookies, str)
                else "; ".join(cookie.to_header(header="") for cookie in cookies)
            )
        scope: Scope = {
            "type": "http",
            "asgi": {"spec_version": "3.0", "version": "3.0"},
            "http_version": http_version or "1.1",
            "method": method.value,
            "scheme": self.scheme,
            "server": (self.server, self.port),
            "client": (self.server, self.port),
            "root_path": self.root_path.rstrip("/"),
            "path": path,
            "raw_path": path.encode("ascii"),
            "query_string": urlencode(query_params, doseq=True).encode() if query_params else b"",
            "headers": [
                (key.encode("latin-1"), value.encode("latin-1"))
                for key, value in header_map.items()
            ],
            "app": self.app,
            "litestar_app": self.app,
            "session": session if session is not None else {},
            "user": user,
            "auth": auth,
            "state": state if state is not None else {},
            "path_params": path_params if path_params is not None else {},
            "route_handler": route_handler or self._default_handler(method),
            "extensions": {},
            "path_template": "",
            "_body": body,
        }
        return Request(scope)

    # -- helpers ------------------------------------------------------------------------------

    def _default_handler(self, method: HttpMethod) -> Any:
        from trioweb.handlers.http_handlers import HTTPRouteHandler

        def _default_route_handler() -> None:
            return None

        handler = HTTPRouteHandler(
            "/", http_method=method, sync_to_thread=False, **(self.handler_kwargs or {})
        )(_default_route_handler)
        clone = handler.copy_for(self.app, [self.app])
        clone.on_registration(self.app, "/")
        return clone

    def _encode(self, data: Any, files: Files | None, media_type: str) -> tuple[bytes, str]:
        if media_type == RequestEncodingType.URL_ENCODED:
            plain = msgspec.json.decode(self._json(data)) if data else {}
            return urlencode(plain, doseq=True).encode(), media_type
        if media_type == RequestEncodingType.MULTI_PART:
            plain = msgspec.json.decode(self._json(data)) if data else {}
            return _multipart(plain, files)
        if media_type == RequestEncodingType.MESSAGEPACK:
            plain = msgspec.json.decode(self._json(data))
            return msgspec.msgpack.encode(plain), media_type
        return self._json(data), "application/json"

    def _json(self, data: Any) -> bytes:
        encoders = getattr(self.app, "layer_value", lambda name: None)("type_encoders")
        return encode_json(data, get_serializer(encoders or None))


def _multipart(fields: Mapping[str, Any], files: Files | None) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []

    def part(disposition: str, content: bytes, content_type: str | None = None) -> None:
        head = f"--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n"
        if content_type:
            head += f"Content-Type: {content_type}\r\n"
        parts.append(head.encode() + b"\r\n" + content + b"\r\n")

    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            text = item if isinstance(item, str) else msgspec.json.encode(item).decode()
            part(f'name="{name}"', text.encode())
    items = files.items() if isinstance(files, Mapping) else (files or [])
    for name, file in items:
        filename, content_type = name, "application/octet-stream"
        content: bytes | str
        if isinstance(file, tuple):
            filename, content = file[0], file[1]
            if len(file) == 3:
                content_type = file[2]
        else:
            content = file
        raw = content.encode() if isinstance(content, str) else content
        part(f'name="{name}"; filename="{filename}"', raw, content_type)
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
