"""The session middleware and what its backends share (Litestar's names and behaviour).

``SessionMiddleware`` runs, like every route middleware, after routing: for a connection that
is not excluded (``exclude`` path patterns, a handler whose ``opt`` has ``exclude_opt_key``,
a scope type not in ``scopes``) it loads the session into ``scope["session"]`` (a dict, empty
when there is none or it cannot be read), then, when the app sends ``http.response.start``,
adds the ``Set-Cookie`` headers its backend derives from ``scope["session"]`` at that moment.
WebSocket connections get the session loaded; a WebSocket has no response to carry cookies,
so changes made there are not saved (as in Litestar).

``request.set_session(data)`` replaces the session, ``request.clear_session()`` ends it (the
cookies are deleted, a server-side session is removed from its store), and
``request.get_session_id()`` is the server-side session id (``None`` for cookie sessions).

Error handling: a cookie that cannot be read (tampered with, expired, from another secret, not
base64, not JSON) is an empty session, never an error.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

from trioweb.connection.base import ASGIConnection
from trioweb.enums import ScopeType
from trioweb.middleware.base import AbstractMiddleware, DefineMiddleware
from trioweb.serialization import decode_json, encode_json, get_serializer

if TYPE_CHECKING:
    from trioweb.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ("ONE_DAY_IN_SECONDS", "BaseBackendConfig", "BaseSessionBackend", "SessionMiddleware")

ONE_DAY_IN_SECONDS = 60 * 60 * 24

SESSION_ID_KEY = "_session_id"
"""Where the connection's session id lives in the scope (``request.get_session_id()``)."""

ConfigT = TypeVar("ConfigT", bound="BaseBackendConfig[Any]")
BackendT = TypeVar("BackendT", bound="BaseSessionBackend[Any]")


class BaseBackendConfig(ABC, Generic[BackendT]):
    """What every session config has; subclasses are dataclasses with Litestar's defaults."""

    _backend_class: type[BackendT]

    key: str
    """The cookie name (``session``); a cookie session too big for one cookie is sent as
    ``session-0``, ``session-1``, ..."""
    max_age: int
    """Seconds the cookie (and a server-side session) lives."""
    scopes: set[str]
    """The connection types the middleware handles (``http`` and ``websocket``)."""
    path: str
    """The cookie's ``Path``."""
    domain: str | None
    """The cookie's ``Domain``."""
    secure: bool
    """Send the cookie over HTTPS only."""
    httponly: bool
    """Hide the cookie from JavaScript."""
    samesite: Literal["lax", "strict", "none"]
    """The cookie's ``SameSite``."""
    exclude: str | list[str] | None
    """Path patterns the middleware skips."""
    exclude_opt_key: str
    """A handler with this key set in its ``opt`` is skipped."""

    @property
    def middleware(self) -> DefineMiddleware:
        """The middleware for this config: ``TrioWeb(middleware=[config.middleware])``."""
        return DefineMiddleware(SessionMiddleware, backend=self._backend_class(config=self))

    def _cookie_params(self, *, with_max_age: bool = True) -> dict[str, Any]:
        """The ``Cookie`` attributes the config sets (those not ``None``)."""
        params: dict[str, Any] = {
            "path": self.path,
            "domain": self.domain,
            "secure": self.secure,
            "httponly": self.httponly,
            "samesite": self.samesite,
        }
        if with_max_age:
            params["max_age"] = self.max_age
        return {name: value for name, value in params.items() if value is not None}


def default_scopes() -> set[str]:
    """Both connection types, as Litestar's default."""
    return {ScopeType.HTTP, ScopeType.WEBSOCKET}


class BaseSessionBackend(ABC, Generic[ConfigT]):
    """Loads a session from a connection and stores it in the response."""

    __slots__ = ("config",)

    def __init__(self, config: ConfigT) -> None:
        self.config = config

    @staticmethod
    def serialize_data(data: Any, scope: Scope | None = None) -> bytes:
        """``data`` as JSON, with the route's ``type_encoders``."""
        handler = scope.get("route_handler") if scope is not None else None
        encoders = getattr(handler, "resolved_type_encoders", None)
        return encode_json(data, get_serializer(encoders) if encoders else None)

    @staticmethod
    def deserialize_data(data: Any) -> dict[str, Any]:
        """The session dict from its JSON."""
        return cast("dict[str, Any]", decode_json(data))

    @abstractmethod
    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
        """The connection's session id (``None`` where sessions have none)."""

    @abstractmethod
    async def store_in_message(
        self, scope_session: Any, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        """Add the headers that save ``scope_session`` to the ``http.response.start`` message."""

    @abstractmethod
    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        """The session the connection carries (empty if none or unreadable)."""


class SessionMiddleware(AbstractMiddleware, Generic[BackendT]):
    """Loads ``scope["session"]`` and saves it in the response (see the module docstring)."""

    def __init__(self, app: ASGIApp, backend: BackendT) -> None:
        super().__init__(
            app=app,
            exclude=backend.config.exclude,
            exclude_opt_key=backend.config.exclude_opt_key,
            scopes=backend.config.scopes,
        )
        self.backend = backend

    def create_send_wrapper(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> Callable[[Message], Awaitable[None]]:
        """``send``, adding the session's cookies to ``http.response.start``."""
        backend = self.backend
        send = connection.send

        async def wrapped_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                await backend.store_in_message(
                    connection.scope.get("session"), message, connection
                )
            await send(message)

        return wrapped_send

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope, receive, send)
        scope["session"] = await self.backend.load_from_connection(connection)
        scope[SESSION_ID_KEY] = self.backend.get_session_id(connection)
        await self.app(scope, receive, self.create_send_wrapper(connection))
