"""``AllowedHostsConfig``: refuse requests whose ``Host`` is not one of the app's.

Passed as ``allowed_hosts=`` (or a list of host names, which becomes this config). Checked,
as in Litestar, by route middleware: a matched route answers a foreign host with 400 (or,
for ``example.com`` when only ``www.example.com`` is listed, a redirect to the ``www``
name); unmatched paths answer 404 whatever the host.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trioweb.exceptions import ImproperlyConfiguredException

__all__ = ("AllowedHostsConfig",)


@dataclass
class AllowedHostsConfig:
    """The host names the app answers to."""

    allowed_hosts: list[str] = field(default_factory=lambda: ["*"])
    """Host names; ``*`` allows any host, ``*.example.com`` any subdomain of example.com."""
    exclude: str | list[str] | None = None
    """Path patterns (regular expressions) not to check."""
    exclude_opt_key: str | None = None
    """A handler ``opt`` key that, when true, turns the check off for that handler."""
    scopes: set[str] | None = None
    """Connection types to check (``{"http", "websocket"}`` when ``None``)."""
    www_redirect: bool = True
    """Redirect ``example.com`` to ``www.example.com`` when only the latter is listed."""

    def __post_init__(self) -> None:
        for host in self.allowed_hosts:
            if host != "*" and "*" in host and not host.startswith("*."):
                raise ImproperlyConfiguredException(
                    "domain wildcards can only appear in the beginning of the domain, e.g. "
                    "``*.example.com``"
                )
