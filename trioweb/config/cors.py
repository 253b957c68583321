"""``CORSConfig``: cross-origin resource sharing for the whole app (``cors_config=``).

The answers follow Litestar 2: a request with an ``Origin`` header and method ``OPTIONS`` is
a preflight, answered by the CORS middleware before routing (204 with the preflight headers,
or 400 ``Disallowed CORS ...`` as text); any other request with an ``Origin`` gets the
simple headers on its response, errors and 404s included. Requests without ``Origin`` are
not touched.

Two deliberate differences from Litestar 2.25, both as later Litestar fixed them or as the
Fetch standard requires: with ``allow_credentials=True`` and every origin allowed, the
request's origin is echoed (with ``Vary: Origin``) instead of the ``*`` browsers reject
alongside credentials; and ``Origin`` is added to an existing ``Vary`` header instead of
replacing it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final, Literal

__all__ = ("CORSConfig",)

DEFAULT_ALLOWED_CORS_HEADERS: Final = frozenset(
    {"Accept", "Accept-Language", "Content-Language", "Content-Type"}
)
"""Headers a preflight always allows (the CORS-safelisted request headers)."""

_ALL_METHODS: Final = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def _origin_pattern(origin: str) -> str:
    """A regular expression for one allowed origin, where ``*`` matches anything."""
    return ".*".join(re.escape(part) for part in origin.split("*"))


@dataclass
class CORSConfig:
    """Which cross-origin requests browsers may make, and what they may read back."""

    allow_origins: list[str] = field(default_factory=lambda: ["*"])
    """Allowed origins; ``*`` inside an origin matches anything (``https://*.example.com``)."""
    allow_methods: list[Literal["*"] | str] = field(default_factory=lambda: ["*"])
    """Methods a preflight may ask for (``Access-Control-Allow-Methods``)."""
    allow_headers: list[str] = field(default_factory=lambda: ["*"])
    """Request headers a preflight may ask for (``Access-Control-Allow-Headers``)."""
    allow_credentials: bool = False
    """Send ``Access-Control-Allow-Credentials: true``."""
    allow_origin_regex: str | None = None
    """A regular expression an origin may fully match instead of being listed."""
    expose_headers: list[str] = field(default_factory=list)
    """Response headers scripts may read (``Access-Control-Expose-Headers``)."""
    max_age: int = 600
    """Seconds a browser may cache a preflight answer (``Access-Control-Max-Age``)."""

    def __post_init__(self) -> None:
        self.allow_headers = [header.lower() for header in self.allow_headers]

    @cached_property
    def allowed_origins_regex(self) -> re.Pattern[str]:
        """The listed origins and ``allow_origin_regex`` as one compiled pattern."""
        patterns = [_origin_pattern(origin) for origin in self.allow_origins]
        if self.allow_origin_regex:
            patterns.append(self.allow_origin_regex)
        return re.compile("|".join(patterns))

    @cached_property
    def is_allow_all_origins(self) -> bool:
        """``*`` is among the allowed origins."""
        return "*" in self.allow_origins

    @cached_property
    def is_allow_all_methods(self) -> bool:
        """``*`` is among the allowed methods."""
        return "*" in self.allow_methods

    @cached_property
    def is_allow_all_headers(self) -> bool:
        """``*`` is among the allowed headers."""
        return "*" in self.allow_headers

    @cached_property
    def echoes_origin(self) -> bool:
        """Answers name the request's origin rather than ``*``."""
        return not self.is_allow_all_origins or self.allow_credentials

    @cached_property
    def preflight_headers(self) -> dict[str, str]:
        """The headers of a successful preflight answer, before the per-request ones."""
        headers = {"Access-Control-Max-Age": str(self.max_age)}
        if self.echoes_origin:
            headers["Vary"] = "Origin"
        else:
            headers["Access-Control-Allow-Origin"] = "*"
        if self.allow_credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        if not self.is_allow_all_headers:
            allowed = set(self.allow_headers) | DEFAULT_ALLOWED_CORS_HEADERS
            headers["Access-Control-Allow-Headers"] = ", ".join(sorted(allowed))
        if self.allow_methods:
            methods = _ALL_METHODS if self.is_allow_all_methods else sorted(set(self.allow_methods))
            headers["Access-Control-Allow-Methods"] = ", ".join(methods)
        return headers

    @cached_property
    def simple_headers(self) -> dict[str, str]:
        """The headers added to every response to a request with an ``Origin``."""
        headers: dict[str, str] = {}
        if not self.echoes_origin:
            headers["Access-Control-Allow-Origin"] = "*"
        if self.allow_credentials:
            headers["Access-Control-Allow-Credentials"] = "true"
        if self.expose_headers:
            headers["Access-Control-Expose-Headers"] = ", ".join(sorted(set(self.expose_headers)))
        return headers

    def is_origin_allowed(self, origin: str) -> bool:
        """Whether ``origin`` may make cross-origin requests."""
        return self.is_allow_all_origins or self.allowed_origins_regex.fullmatch(origin) is not None
