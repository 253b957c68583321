"""Session middleware (Litestar's ``litestar.middleware.session``).

:mod:`.client_side` keeps the session in the client's cookies, encrypted (``CookieBackendConfig``,
needs ``cryptography``); :mod:`.server_side` keeps it in a store and gives the client a session
id (``ServerSideSessionConfig``). Both are added with ``middleware=[config.middleware]``.
"""

from trioweb.middleware.session.base import SessionMiddleware

__all__ = ("SessionMiddleware",)
