"""``ASGIConnection``: what HTTP requests and WebSockets share (scope, URL, headers...).

Every property is computed on first use and cached in the scope, so a handler that does
not look at cookies pays nothing for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
from urllib.parse import parse_qsl

from trioweb.datastructures import URL, Address, Headers, MultiDict, State
from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.types.empty import Empty

if TYPE_CHECKING:
    from trioweb.app import TrioWeb
    from trioweb.types import Message, Receive, Scope, Send

__all__ = ("ASGIConnection", "empty_receive", "empty_send", "parse_cookie_header")

HandlerT = TypeVar("HandlerT")
UserT = TypeVar("UserT")
AuthT = TypeVar("AuthT")
StateT = TypeVar("StateT", bound=State)


async def empty_receive() -> Message:
    """A ``receive`` for connections made without one."""
    raise RuntimeError("this connection has no receive channel")


async def empty_send(message: Message) -> None:
    """A ``send`` for connections made without one."""
    raise RuntimeError("this connection has no send channel")


def parse_cookie_header(value: str) -> dict[str, str]:
    """Parse a ``Cookie`` header as browsers send it (lenient, like Starlette/Litestar)."""
    from http.cookies import _unquote  # imported on first use: it is slow to import

    cookies: dict[str, str] = {}
    for chunk in value.split(";"):
        key, sep, val = chunk.partition("=")
        if not sep:
            key, val = "", key
        key, val = key.strip(), val.strip()
        if key or val:
            cookies[key] = _unquote(val)
    return cookies


def _parse_query(raw: bytes) -> list[tuple[str, str]]:
    """``parse_qsl(..., keep_blank_values=True)``, without its cost when nothing is escaped.

    With no ``%`` and no ``+`` there is nothing to unquote, and splitting on ``&`` then on the
    first ``=`` gives exactly what ``parse_qsl`` gives (empty pieces skipped, a name without
    ``=`` gets ``""``), at a fraction of the cost (it is most of a small GET's parsing).
    """
    text = raw.decode("latin-1")
    if "%" in text or "+" in text:
        return parse_qsl(text, keep_blank_values=True)
    pairs = []
    for part in text.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((name, value))
    return pairs


class ASGIConnection(Generic[HandlerT, UserT, AuthT, StateT]):
    """The base of ``Request`` and ``WebSocket``."""

    __slots__ = ("receive", "scope", "send")

    def __init__(
        self, scope: Scope, receive: Receive = empty_receive, send: Send = empty_send
    ) -> None:
        self.scope = scope
        self.receive = receive
        self.send = send

    @property
    def app(self) -> TrioWeb:
        """The application that received this connection."""
        return cast("TrioWeb", self.scope["app"])

    @property
    def route_handler(self) -> HandlerT:
        """The route handler serving this connection."""
        return cast("HandlerT", self.scope["route_handler"])

    @property
    def state(self) -> StateT:
        """Connection state (seeded from the lifespan state)."""
        cached = self.scope.get("_state_obj")
        if cached is None:
            cached = self.scope["_state_obj"] = State(self.scope.setdefault("state", {}))
        return cast("StateT", cached)

    @property
    def url(self) -> URL:
        """The full URL of this connection."""
        return URL.from_scope(self.scope)

    @property
    def base_url(self) -> URL:
        """The URL up to the application's ``root_path``, with a trailing slash (as Litestar)."""
        cached = self.scope.get("_base_url")
        if cached is None:
            url = self.url
            scope = self.scope
            root_path = scope.get("app_root_path") or scope.get("root_path", "")
            cached = URL.from_components(scheme=url.scheme, netloc=url.netloc, path=root_path + "/")
            self.scope["_base_url"] = cached
        return cast("URL", cached)

    @property
    def headers(self) -> Headers:
        """The request headers (case-insensitive, multi-valued)."""
        return Headers.from_scope(self.scope)

    @property
    def query_params(self) -> MultiDict[Any]:
        """The query string parameters."""
        cached: MultiDict[Any] | None = self.scope.get("_query_params")
        if cached is None:
            raw = self.scope.get("query_string", b"")
            cached = MultiDict(_parse_query(raw) if raw else [])
            self.scope["_query_params"] = cached
        return cached

    @property
    def path_params(self) -> dict[str, Any]:
        """The typed path parameters of the matched route."""
        return cast("dict[str, Any]", self.scope.get("path_params", {}))

    @property
    def cookies(self) -> dict[str, str]:
        """The request cookies."""
        cached = self.scope.get("_cookies")
        if cached is None:
            cached = {}
            for name, value in self.scope.get("headers", ()):
                if name == b"cookie":
                    cached.update(parse_cookie_header(value.decode("latin-1")))
            self.scope["_cookies"] = cached
        return cast("dict[str, str]", cached)

    @property
    def client(self) -> Address | None:
        """The client's address, when the server knows it."""
        client = self.scope.get("client")
        return Address(*client) if client else None

    @property
    def auth(self) -> AuthT:
        """Authentication data set by an authentication middleware."""
        if "auth" not in self.scope:
            raise ImproperlyConfiguredException(
                "'auth' is not defined in scope, install an AuthMiddleware to set it"
            )
        return cast("AuthT", self.scope["auth"])

    @property
    def user(self) -> UserT:
        """The user set by an authentication middleware."""
        if "user" not in self.scope:
            raise ImproperlyConfiguredException(
                "'user' is not defined in scope, install an AuthMiddleware to set it"
            )
        return cast("UserT", self.scope["user"])

    @property
    def session(self) -> dict[str, Any]:
        """The session data set by a session middleware."""
        if "session" not in self.scope:
            raise ImproperlyConfiguredException(
                "'session' is not defined in scope, install a SessionMiddleware to set it"
            )
        return cast("dict[str, Any]", self.scope["session"])

    def set_session(self, value: Any) -> None:
        """Replace the session data (a dict, or a dataclass/Struct a session middleware
        serialises); the session middleware saves it in the response."""
        self.scope["session"] = value

    def clear_session(self) -> None:
        """End the session: the session middleware deletes its cookies (and stored data)."""
        self.scope["session"] = Empty
        self.scope["_session_id"] = Empty

    def get_session_id(self) -> str | None:
        """The server-side session id (``None`` without one, or after ``clear_session``)."""
        session_id = self.scope.get("_session_id")
        return None if session_id is Empty else cast("str | None", session_id)

    @property
    def logger(self) -> Any:
        """The application's logger."""
        import logging

        return logging.getLogger("trioweb")

    def url_for(self, name: str, **path_parameters: Any) -> str:
        """The absolute URL of the route handler named ``name``."""
        path = self.app.route_reverse(name, **path_parameters)
        return str(
            self.base_url.with_replacements(
                path=path.lstrip("/") and (self.scope.get("root_path", "") + path)
            )
        )

    def url_for_static_asset(self, name: str, file_path: str) -> str:
        """The absolute URL of ``file_path`` in the static files router named ``name``."""
        path = self.app.url_for_static_asset(name, file_path)
        return str(self.base_url.with_replacements(path=self.scope.get("root_path", "") + path))
