"""``set_session_data`` / ``get_session_data`` for the test clients (Litestar's).

A client made with ``session_config=`` writes a session the way the app's middleware would:
the config's backend stores the data (in the app's store, for server-side sessions) and the
``Set-Cookie`` headers it produces go into the client's cookie jar; reading runs the backend's
loader over the client's cookies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from trioweb.exceptions import ImproperlyConfiguredException

if TYPE_CHECKING:
    from trioweb.middleware.session.base import BaseBackendConfig, BaseSessionBackend

__all__ = ("SessionData",)


class SessionData:
    """The session backend of a test client, and its two operations on the client's cookies."""

    __slots__ = ("_backend",)

    def __init__(self, config: BaseBackendConfig[Any] | None) -> None:
        self._backend: BaseSessionBackend[Any] | None = (
            config._backend_class(config=config) if config is not None else None
        )

    @property
    def backend(self) -> BaseSessionBackend[Any]:
        """The backend. Error handling: ``ImproperlyConfiguredException`` without a config."""
        if self._backend is None:
            raise ImproperlyConfiguredException(
                "Session has not been initialized for this TestClient instance. You can do so "
                "by passing a configuration object to TestClient: "
                "TestClient(app=app, session_config=...)"
            )
        return self._backend

    @staticmethod
    def _connection(app: Any, cookies: httpx.Cookies) -> Any:
        from trioweb.connection.base import ASGIConnection, parse_cookie_header

        scope: dict[str, Any] = {
            "type": "http",
            "method": "GET",
            "path": "/",
            "headers": [],
            "app": app,
            "route_handler": None,
            # as the app would parse them from a Cookie header (quotes removed)
            "_cookies": parse_cookie_header(
                "; ".join(f"{cookie.name}={cookie.value or ''}" for cookie in cookies.jar)
            ),
        }
        return ASGIConnection(scope)

    async def set(self, app: Any, base_url: httpx.URL, cookies: httpx.Cookies, data: Any) -> None:
        """Store ``data`` as the session and put its cookies in ``cookies``."""
        from trioweb.middleware.session.base import SESSION_ID_KEY

        backend = self.backend
        connection = self._connection(app, cookies)
        connection.scope[SESSION_ID_KEY] = backend.get_session_id(connection)
        message: dict[str, Any] = {"type": "http.response.start", "status": 200, "headers": []}
        await backend.store_in_message(data, message, connection)
        response = httpx.Response(
            200, headers=message["headers"], request=httpx.Request("GET", base_url)
        )
        cookies.extract_cookies(response)

    async def get(self, app: Any, cookies: httpx.Cookies) -> dict[str, Any]:
        """The session the client's cookies carry."""
        return await self.backend.load_from_connection(self._connection(app, cookies))
