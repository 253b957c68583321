"""Server-side sessions: the data lives in a store, the client holds a random session id.

The store is the app's store named by the config's ``store`` (``"sessions"``): one the app
registered with ``TrioWeb(stores={"sessions": ...})``, or else a
:class:`~trioweb.stores.memory.MemoryStore` the app's registry creates on first use. As in
Litestar, every response of a route the middleware covers saves the session (an empty one
too) and sets the id cookie; ``request.clear_session()`` deletes the stored data and the
cookie (value ``null``, ``expires`` now). The id is ``session_id_bytes`` random bytes as hex.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from trioweb.datastructures import Cookie, MutableScopeHeaders
from trioweb.exceptions import ImproperlyConfiguredException, SerializationException
from trioweb.middleware.session.base import (
    ONE_DAY_IN_SECONDS,
    SESSION_ID_KEY,
    BaseBackendConfig,
    BaseSessionBackend,
    default_scopes,
)
from trioweb.types.empty import Empty

if TYPE_CHECKING:
    from trioweb.connection.base import ASGIConnection
    from trioweb.stores.base import Store
    from trioweb.types import Message

__all__ = ("ServerSideSessionBackend", "ServerSideSessionConfig")


class ServerSideSessionBackend(BaseSessionBackend["ServerSideSessionConfig"]):
    """Keeps the session in a store under a random id sent as a cookie."""

    __slots__ = ("_cookie_params",)

    def __init__(self, config: ServerSideSessionConfig) -> None:
        super().__init__(config)
        self._cookie_params = config._cookie_params()  # built once, not per response

    async def get(self, session_id: str, store: Store) -> bytes | None:
        """The stored session data (its expiry renewed with ``renew_on_access``)."""
        renew_for = self.config.max_age if self.config.renew_on_access else None
        return await store.get(session_id, renew_for=renew_for)

    async def set(self, session_id: str, data: bytes, store: Store) -> None:
        """Store ``data`` for ``max_age`` seconds."""
        await store.set(session_id, data, expires_in=self.config.max_age)

    async def delete(self, session_id: str, store: Store) -> None:
        """Forget the session (no error if unknown)."""
        await store.delete(session_id)

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        """The id from the cookie, else the one this connection already has, else a new one."""
        session_id = connection.cookies.get(self.config.key)
        if not session_id or session_id == "null":
            session_id = connection.scope.get(SESSION_ID_KEY) or self.generate_session_id()
        return session_id

    def generate_session_id(self) -> str:
        """A new random id: ``session_id_bytes`` bytes as hex."""
        return secrets.token_hex(self.config.session_id_bytes)

    async def store_in_message(
        self, scope_session: Any, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        """Save the session and set the id cookie; a cleared session is deleted."""
        store = self.config.get_store_from_app(connection.scope["app"])
        headers = MutableScopeHeaders.from_message(message)
        session_id = self.get_session_id(connection)
        params = self._cookie_params
        if scope_session is Empty:
            await self.delete(session_id, store)
            cookie = Cookie(key=self.config.key, value="null", expires=0, **params)
        else:
            await self.set(session_id, self.serialize_data(scope_session, connection.scope), store)
            cookie = Cookie(key=self.config.key, value=session_id, **params)
        headers.add("Set-Cookie", cookie.to_header(header=""))

    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        """The stored session of the id cookie; ``{}`` if none, expired or unreadable."""
        session_id = connection.cookies.get(self.config.key)
        if not session_id:
            return {}
        store = self.config.get_store_from_app(connection.scope["app"])
        data = await self.get(session_id, store)
        if data is None:
            return {}
        try:
            session = self.deserialize_data(data)
        except SerializationException:
            return {}
        return session if isinstance(session, dict) else {}


@dataclass
class ServerSideSessionConfig(BaseBackendConfig[ServerSideSessionBackend]):
    """Sessions kept in the app's store ``store``: ``ServerSideSessionConfig().middleware``."""

    _backend_class = ServerSideSessionBackend

    session_id_bytes: int = field(default=32)
    """Random bytes in a session id."""
    renew_on_access: bool = field(default=False)
    """Restart a session's expiry each time it is read."""
    key: str = field(default="session")
    max_age: int = field(default=ONE_DAY_IN_SECONDS * 14)
    scopes: set[str] = field(default_factory=default_scopes)
    path: str = field(default="/")
    domain: str | None = field(default=None)
    secure: bool = field(default=False)
    httponly: bool = field(default=True)
    samesite: Literal["lax", "strict", "none"] = field(default="lax")
    exclude: str | list[str] | None = field(default=None)
    exclude_opt_key: str = field(default="skip_session")
    store: str = "sessions"
    """The name of the app's store that holds the sessions."""

    def __post_init__(self) -> None:
        if len(self.key) < 1 or len(self.key) > 256:
            raise ImproperlyConfiguredException("key must be a string with a length between 1-256")
        if self.max_age < 1:
            raise ImproperlyConfiguredException("max_age must be greater than 0")

    def get_store_from_app(self, app: Any) -> Store:
        """The app's store named :attr:`store`."""
        return app.stores.get(self.store)  # type: ignore[no-any-return]
