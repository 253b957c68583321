"""``URL`` (an immutable parsed URL) and ``Address`` (a host and port pair).

As in Litestar, parsed URLs are cached: ``URL(string)`` and :meth:`URL.from_components`
return a shared instance for inputs seen recently, so the URL of a popular route is
parsed once, not on every request. :meth:`URL.from_scope` additionally keeps its result in
the scope for the rest of the connection.

Differences from Litestar, all where Litestar would fail or share mutable state:

* :attr:`URL.query_params` returns a new :class:`MultiDict` on each access (the parsed
  pairs are cached). Litestar hands out one cached, mutable ``MultiDict`` per URL
  instance, and since instances are shared, a handler that edits it changes the query
  parameters that later requests for the same URL see.
* an unparsable port (``host:abc``) gives ``port=None`` instead of ``ValueError``;
* a query string that is not UTF-8 is decoded as latin-1 instead of raising;
* a scheme without a known default port keeps an explicit server port.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Final, NamedTuple, cast
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

from trioweb.datastructures.multi_dicts import MultiDict

if TYPE_CHECKING:
    from typing import Self

__all__ = ("URL", "Address", "make_absolute_url")

_DEFAULT_SCHEME_PORTS: Final = {"http": 80, "https": 443, "ftp": 21, "ws": 80, "wss": 443}
_SCOPE_CACHE_KEY: Final = "_trioweb_url"
"""Scope key of the cached ``(scope parts the URL was built from, URL)`` pair."""
_CACHE_SIZE: Final = 1024


class Address(NamedTuple):
    """A network address."""

    host: str
    """The host."""
    port: int
    """The port."""


class _Unset(Enum):
    UNSET = 0


_UNSET: Final = _Unset.UNSET


def make_absolute_url(path: str | URL, base: str | URL) -> str:
    """Join ``path`` onto the scheme, host and path of ``base``."""
    url = base if isinstance(base, URL) else URL(base)
    return str(
        URL.from_components(
            scheme=url.scheme, netloc=url.netloc, path=url.path.rstrip("/") + str(path)
        )
    )


# The class goes in as ``Any``: mypy takes ``URL.__hash__ = None`` (instances are
# unhashable, as in Litestar) to mean the class object is unhashable too.
@lru_cache(maxsize=_CACHE_SIZE)
def _cached_url(cls: Any, url: str | SplitResult) -> URL:
    built: URL = cls._build(url)
    return built


@lru_cache(maxsize=_CACHE_SIZE)
def _cached_components(
    cls: Any, scheme: str, netloc: str, path: str, fragment: str, query: str
) -> URL:
    built: URL = cls(
        SplitResult(scheme=scheme, netloc=netloc, path=path, query=query, fragment=fragment)
    )
    return built


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_query(query: str) -> list[tuple[str, str]]:
    # As Litestar: the UTF-8 bytes of the query, read as latin-1, which is what a
    # request's raw query string gives; percent-escapes are then decoded as UTF-8.
    return parse_qsl(query.encode().decode("latin-1"), keep_blank_values=True, separator="&")


class URL:
    """An immutable URL with its components as attributes.

    Compares equal to another ``URL`` or a ``str`` with the same text.
    """

    __slots__ = (
        "_parsed_url",
        "_query_pairs",
        "fragment",
        "hostname",
        "netloc",
        "password",
        "path",
        "port",
        "query",
        "scheme",
        "username",
    )

    _parsed_url: str | None
    _query_pairs: list[tuple[str, str]] | None

    scheme: str
    """URL scheme."""
    netloc: str
    """Network location: ``user:password@host:port``."""
    path: str
    """Hierarchical path."""
    fragment: str
    """Fragment component."""
    query: str
    """Query string."""
    username: str | None
    """User name, if specified."""
    password: str | None
    """Password, if specified."""
    port: int | None
    """Port, if specified (and valid)."""
    hostname: str | None
    """Host name, lower-cased, if specified."""

    def __new__(cls, url: str | SplitResult) -> Self:
        """Parse ``url`` (or wrap an already split one); recent inputs share an instance."""
        return cast("Self", _cached_url(cast("Any", cls), url))

    @classmethod
    def _build(cls, url: str | SplitResult) -> URL:
        instance = object.__new__(cls)
        if isinstance(url, str):
            instance._parsed_url = url
            result = urlsplit(url)
        else:
            instance._parsed_url = None
            result = url
        instance.scheme = result.scheme
        instance.netloc = result.netloc
        instance.path = result.path
        instance.fragment = result.fragment
        instance.query = result.query
        instance.username = result.username
        instance.password = result.password
        try:
            instance.port = result.port
        except ValueError:
            instance.port = None
        instance.hostname = result.hostname
        instance._query_pairs = None
        return instance

    @classmethod
    def from_components(
        cls,
        scheme: str = "",
        netloc: str = "",
        path: str = "",
        fragment: str = "",
        query: str = "",
    ) -> Self:
        """Build a URL from its components."""
        return cast(
            "Self", _cached_components(cast("Any", cls), scheme, netloc, path, fragment, query)
        )

    @classmethod
    def from_scope(cls, scope: MutableMapping[str, Any]) -> Self:
        """Return the URL of an ASGI connection scope, built once and cached in the scope.

        The host comes from the ``Host`` header, else from ``scope["server"]`` (with the
        port unless it is the scheme's default). As in Litestar, the scheme is left out
        when the scope has no ``server``. The cached URL is rebuilt if the scope's path,
        root path, query string, scheme or headers list is replaced.
        """
        path = scope["path"]
        root_path = scope.get("root_path", "")
        query_string = scope.get("query_string", b"")
        scheme = scope.get("scheme", "http")
        raw_headers = scope.get("headers", ())
        key = (path, root_path, query_string, scheme, raw_headers, len(raw_headers))
        cached = scope.get(_SCOPE_CACHE_KEY)
        if cached is not None and _same_parts(cached[0], key):
            return cast("Self", cached[1])

        host = ""
        for name, value in raw_headers:
            if name == b"host":
                host = value.decode("latin-1")
                break
        server = scope.get("server")
        if server and not host:
            host, port = server
            if port != _DEFAULT_SCHEME_PORTS.get(scheme):
                host = f"{host}:{port}"
        try:
            query = query_string.decode()
        except UnicodeDecodeError:
            query = query_string.decode("latin-1")
        url = cls.from_components(
            scheme=scheme if server else "", netloc=host, path=root_path + path, query=query
        )
        scope[_SCOPE_CACHE_KEY] = (key, url)
        return url

    def with_replacements(
        self,
        scheme: str = "",
        netloc: str = "",
        path: str = "",
        query: str | Mapping[str, Any] | _Unset | None = _UNSET,
        fragment: str = "",
    ) -> Self:
        """Return a URL with the given components replaced (empty ones are kept).

        ``query`` may be a string or a multi-dict (encoded with every value); ``None`` or
        ``""`` removes the query.
        """
        if query is _UNSET:
            new_query = self.query
        elif isinstance(query, Mapping):
            new_query = urlencode(list(query.items()))
        else:
            new_query = query or ""
        return type(self).from_components(
            scheme=scheme or self.scheme,
            netloc=netloc or self.netloc,
            path=path or self.path,
            query=new_query,
            fragment=fragment or self.fragment,
        )

    @property
    def query_params(self) -> MultiDict[Any]:
        """The query parameters, as a new :class:`MultiDict` on each access.

        Edit the copy and pass it to :meth:`with_replacements` to change a URL's query.
        """
        pairs = self._query_pairs
        if pairs is None:
            pairs = self._query_pairs = _parse_query(self.query)
        return MultiDict(pairs)

    @property
    def _url(self) -> str:
        parsed = self._parsed_url
        if not parsed:
            parsed = self._parsed_url = urlunsplit(
                (self.scheme, self.netloc, self.path, self.query, self.fragment)
            )
        return parsed

    def __str__(self) -> str:
        return self._url

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str | URL):
            return str(self) == str(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._url!r})"


def _same_parts(cached: tuple[Any, ...], current: tuple[Any, ...]) -> bool:
    # Identity, not equality: a replaced value is a change even if equal, and identity
    # is the cheap check on the per-request path. The length catches in-place edits.
    return all(a is b for a, b in zip(cached[:5], current[:5], strict=True)) and (
        cached[5] == current[5]
    )
