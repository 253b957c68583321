"""``CSRFConfig``: double-submit-cookie CSRF protection (``csrf_config=``).

A safe request (GET, HEAD, OPTIONS by default) without the token cookie gets one: a random
value signed with ``secret`` (HMAC-SHA256). An unsafe request must send the same token back
in the ``header_name`` header (or a ``_csrf_token`` form field) and in the cookie, or it is
answered 403 ``CSRF token verification failed``. Handlers excluded by path (``exclude``)
or by ``opt`` (``exclude_from_csrf_key``) are not checked. The request's token is stored in
the scope under ``"_csrf_token"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ("CSRFConfig",)


@dataclass
class CSRFConfig:
    """How CSRF tokens are issued and checked."""

    secret: str
    """The key that signs tokens; keep it secret and stable across workers and restarts."""
    cookie_name: str = "csrftoken"
    """The cookie that carries the token."""
    cookie_path: str = "/"
    """The cookie's ``Path``."""
    header_name: str = "x-csrftoken"
    """The request header an unsafe request sends the token in."""
    cookie_secure: bool = False
    """The cookie's ``Secure`` flag."""
    cookie_httponly: bool = False
    """The cookie's ``HttpOnly`` flag (scripts that send the header must read the cookie)."""
    cookie_samesite: Literal["lax", "strict", "none"] = "lax"
    """The cookie's ``SameSite``."""
    cookie_domain: str | None = None
    """The cookie's ``Domain``."""
    safe_methods: set[str] = field(default_factory=lambda: {"GET", "HEAD", "OPTIONS"})
    """Methods that are not checked (they receive a token instead)."""
    exclude: str | list[str] | None = None
    """Path patterns (regular expressions) not to check."""
    exclude_from_csrf_key: str = "exclude_from_csrf"
    """A handler ``opt`` key that, when true, turns the check off for that handler."""
