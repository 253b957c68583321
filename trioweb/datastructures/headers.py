"""HTTP header types: request ``Headers``, ``MutableScopeHeaders``, and the typed headers.

:class:`Headers` is the read side: an immutable, case-insensitive multi-mapping over a
request's headers. It sits on the hot path of every request, so it keeps the raw ASGI
``(bytes, bytes)`` pairs as given and does the work only when asked:

* the first single-value lookup (``headers["accept"]``, ``get``, ``in``) builds one dict
  from lower-cased name to first raw value; a value is decoded from latin-1 the first
  time it is read, then kept decoded;
* the first multi-value operation (``getall``, iteration, views, ``dict()``) decodes the
  pairs once and groups them by lower-cased name.

:meth:`Headers.from_scope` keeps the instance in the scope, so every ``request.headers``
of one connection returns the same object.

It behaves like Litestar's ``Headers`` (a ``multidict.CIMultiDictProxy``): ``len`` counts
every pair, iteration and ``keys()`` give each name once (first spelling seen), ``items()``
and ``values()`` give every pair, lookups ignore case, and ``==`` follows multidict's
rules. :meth:`Headers.to_header_list` keeps the original order of the pairs (Litestar's
follows ``set()`` order, which varies between runs).

:class:`MutableScopeHeaders` is the write side, for middleware: a mutable view over the
``headers`` list of a scope or of an ``http.response.start`` message.

:class:`MutableScopeHeaders`, the typed headers (:class:`Header`,
:class:`CacheControlHeader`, :class:`ETag`) and :class:`Accept` live in private sibling
modules and are re-exported here, where Litestar has them.
"""

from __future__ import annotations

import builtins
from collections.abc import (
    Generator,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    MutableMapping,
    Sequence,
    ValuesView,
)
from enum import Enum
from typing import Any, Final, TypeAlias, TypeVar, overload

from multidict import CIMultiDict, CIMultiDictProxy, MultiMapping

from trioweb.datastructures._accept import Accept, MediaTypeHeader
from trioweb.datastructures._mutable_scope_headers import MutableScopeHeaders
from trioweb.datastructures._typed_headers import CacheControlHeader, ETag, Header
from trioweb.datastructures.multi_dicts import MultiMixin

__all__ = (
    "Accept",
    "CacheControlHeader",
    "ETag",
    "Header",
    "Headers",
    "MediaTypeHeader",
    "MutableScopeHeaders",
    "RawHeaders",
    "RawHeadersList",
)

RawHeaders: TypeAlias = Iterable[tuple[bytes, bytes]]
"""Headers as ASGI carries them: ``(name, value)`` byte pairs."""
RawHeadersList: TypeAlias = list[tuple[bytes, bytes]]
"""A list of ASGI header pairs (the form ``send`` takes)."""

_SCOPE_CACHE_KEY: Final = "_trioweb_headers"
"""Scope key of the cached ``(raw headers list, its length, Headers)`` triple."""

_T = TypeVar("_T")


class _Missing(Enum):
    MISSING = 0


_MISSING: Final = _Missing.MISSING


class Headers(MultiMixin[str]):
    """An immutable, case-insensitive multi-dict of HTTP headers."""

    __slots__ = ("_groups", "_header_list", "_index", "_pairs", "_raw")

    # Exactly one of ``_raw`` (raw ASGI pairs, decoded lazily) and ``_pairs`` (str pairs)
    # is the source; in raw mode ``_pairs`` is the decoded copy, once built.
    _raw: Sequence[tuple[bytes, bytes]] | None
    _pairs: list[tuple[str, str]] | None
    # Lower-cased name -> first value. In raw mode both are bytes (a value is replaced by
    # its decoded str when first read); in str mode both are str. Names looked up are
    # added under their exact spelling, as str, with the decoded value.
    _index: dict[Any, Any] | None
    _groups: dict[str, tuple[str, list[str]]] | None
    _header_list: RawHeadersList | None

    def __init__(
        self,
        headers: Mapping[str, str] | RawHeaders | Iterable[tuple[str, str]] | None = None,
    ) -> None:
        """Create from a mapping, a multi-mapping, ``(str, str)`` pairs or raw ASGI pairs.

        Raw pairs are snapshotted, not decoded: decoding happens on first use.
        """
        self._raw = None
        self._pairs = None
        self._index = None
        self._groups = None
        self._header_list = None
        if headers is None:
            self._pairs = []
        elif isinstance(headers, Headers):
            self._raw = headers._raw
            self._pairs = headers._pairs
            self._index = headers._index
            self._groups = headers._groups
        elif isinstance(headers, Mapping):
            # A multi-mapping's items() has every pair; a plain mapping's has one per key.
            self._pairs = [(str(name), value) for name, value in headers.items()]
        else:
            pairs = list(headers)
            if pairs and not isinstance(pairs[0][0], str):
                self._raw = pairs  # type: ignore[assignment]
            else:
                self._pairs = pairs  # type: ignore[assignment]

    @classmethod
    def _from_raw(cls, raw: Sequence[tuple[bytes, bytes]]) -> Headers:
        """The constructor for raw ASGI pairs, without ``__init__``'s type dispatch."""
        headers = cls.__new__(cls)
        headers._raw = list(raw)
        headers._pairs = None
        headers._index = None
        headers._groups = None
        headers._header_list = None
        return headers

    @classmethod
    def from_scope(cls, scope: MutableMapping[str, Any]) -> Headers:
        """Return the headers of ``scope``, built once and cached in the scope.

        The cache is dropped when ``scope["headers"]`` is replaced by another list or
        changes length (a middleware that adds or removes a header before the next read).
        """
        raw = scope["headers"]
        cached = scope.get(_SCOPE_CACHE_KEY)
        if cached is not None and cached[0] is raw and cached[1] == len(raw):
            headers: Headers = cached[2]
            return headers
        headers = cls._from_raw(raw)
        scope[_SCOPE_CACHE_KEY] = (raw, len(raw), headers)
        return headers

    # -- lazily built views of the data ------------------------------------------------

    def _decoded(self) -> list[tuple[str, str]]:
        pairs = self._pairs
        if pairs is None:
            assert self._raw is not None
            pairs = self._pairs = [
                (name.decode("latin-1"), value.decode("latin-1")) for name, value in self._raw
            ]
        return pairs

    def _first_values(self) -> dict[Any, Any]:
        index = self._index
        if index is None:
            raw = self._raw
            # Built from the reversed pairs, so that a name's first value is the one kept.
            if raw is None:
                assert self._pairs is not None
                index = {name.lower(): value for name, value in reversed(self._pairs)}
            else:
                index = dict(reversed(raw))
                names = b"\x00".join(index)
                # Servers send lower-case ASCII names (ASGI asks them to); anything else
                # is folded the way ``str.lower`` folds it.
                if not names.isascii() or names != names.lower():
                    index = {
                        name.decode("latin-1").lower().encode("latin-1"): value
                        for name, value in reversed(raw)
                    }
            self._index = index
        return index

    def _index_key(self, key: str) -> Any:
        """``key`` as the index stores names: lower-cased, encoded in raw mode.

        ``None`` for a key no header name can match.
        """
        if not isinstance(key, str):
            raise TypeError("Headers keys should be either str or subclasses of str")
        lowered = key.lower()
        if self._raw is None:
            return lowered
        try:
            return lowered.encode("latin-1")
        except UnicodeEncodeError:
            return None

    def _grouped(self) -> dict[str, tuple[str, list[str]]]:
        groups = self._groups
        if groups is None:
            groups = {}
            for name, value in self._decoded():
                lowered = name.lower()
                group = groups.get(lowered)
                if group is None:
                    groups[lowered] = (name, [value])
                else:
                    group[1].append(value)
            self._groups = groups
        return groups

    # -- Mapping ---------------------------------------------------------------------------

    def __getitem__(self, key: str) -> str:
        """Return the first value of header ``key`` (any case); ``KeyError`` if absent."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    @overload
    def get(self, key: str, /) -> str | None: ...
    @overload
    def get(self, key: str, /, default: str) -> str: ...
    @overload
    def get(self, key: str, /, default: _T) -> str | _T: ...
    def get(self, key: str, /, default: object = None) -> object:
        """Return the first value of header ``key`` (any case), or ``default``."""
        index = self._index
        if index is None:
            index = self._first_values()
        # A key found once is also stored under its exact spelling (always a str, never
        # a raw name), so reading the same header again is a single dict lookup.
        if type(key) is str:
            value = index.get(key, _MISSING)
            if value is not _MISSING:
                return value
        index_key = self._index_key(key)
        value = index.get(index_key, _MISSING)
        if value is _MISSING:
            return default
        if isinstance(value, bytes):
            value = index[index_key] = value.decode("latin-1")
        index[key] = value
        return value

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        index = self._first_values()
        return key in index or self._index_key(key) in index

    def __iter__(self) -> Iterator[str]:
        """Iterate over the header names, each once, as first spelled."""
        return iter([name for name, _ in self._grouped().values()])

    def __len__(self) -> int:
        """Return the number of ``(name, value)`` pairs, repeated names included."""
        return len(self._raw) if self._raw is not None else len(self._decoded())

    def keys(self) -> KeysView[str]:
        """Each header name once, as first spelled; membership ignores case."""
        return _HeaderKeysView(self)

    def items(self) -> ItemsView[str, str]:
        """Every ``(name, value)`` pair in order, repeated names included."""
        return _HeaderItemsView(self)

    def values(self) -> ValuesView[str]:
        """Every value in order, those of repeated names included."""
        return _HeaderValuesView(self)

    # -- multi-mapping ---------------------------------------------------------------------

    @overload
    def getall(self, key: str) -> list[str]: ...
    @overload
    def getall(self, key: str, default: _T) -> list[str] | _T: ...
    def getall(self, key: str, default: object = _MISSING) -> object:
        """Return all values of header ``key`` (any case); ``KeyError`` if absent and no default."""
        if not isinstance(key, str):
            raise TypeError("Headers keys should be either str or subclasses of str")
        group = self._grouped().get(key.lower())
        if group is not None:
            return list(group[1])
        if default is _MISSING:
            raise KeyError(key)
        return default

    @overload
    def getone(self, key: str) -> str: ...
    @overload
    def getone(self, key: str, default: _T) -> str | _T: ...
    def getone(self, key: str, default: object = _MISSING) -> object:
        """Return the first value of header ``key``; ``KeyError`` if absent and no default."""
        try:
            return self[key]
        except KeyError:
            if default is _MISSING:
                raise
            return default

    def dict(self) -> builtins.dict[str, list[Any]]:
        """Return each header name (as first spelled) with the list of all its values."""
        return {name: list(values) for name, values in self._grouped().values()}

    def multi_items(self) -> Generator[tuple[str, str], None, None]:
        """Yield every ``(name, value)`` pair, grouped by name (as first spelled)."""
        for name, values in self._grouped().values():
            for value in values:
                yield name, value

    def copy(self) -> CIMultiDict[str]:
        """Return a mutable copy, as a ``multidict.CIMultiDict``."""
        return CIMultiDict(self._decoded())

    def to_header_list(self) -> RawHeadersList:
        """Return the headers as ASGI byte pairs with lower-cased names, in their original order.

        The list is built once and shared by every call; do not mutate it.
        """
        header_list = self._header_list
        if header_list is None:
            if self._raw is not None:
                header_list = [(name.lower(), value) for name, value in self._raw]
            else:
                header_list = [
                    (name.lower().encode("latin-1"), value.encode("latin-1"))
                    for name, value in self._decoded()
                ]
            self._header_list = header_list
        return header_list

    # -- comparison and display ------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        """Compare as multidict does.

        Against case-insensitive multi-dicts: the same pairs in the same order, names
        compared without case. Against other multi-mappings: the same pairs in the same
        order. Against a plain mapping: the same number of pairs and the same key/value
        pairs, order ignored, names compared exactly.
        """
        if isinstance(other, Headers | CIMultiDict | CIMultiDictProxy):
            theirs = other._decoded() if isinstance(other, Headers) else list(other.items())
            ours = self._decoded()
            return len(ours) == len(theirs) and all(
                name.lower() == other_name.lower() and value == other_value
                for (name, value), (other_name, other_value) in zip(ours, theirs, strict=True)
            )
        if isinstance(other, MultiMapping):
            return self._decoded() == list(other.items())
        if isinstance(other, Mapping):
            return len(self) == len(other) and builtins.dict(self._decoded()) == builtins.dict(
                other.items()
            )
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        body = ", ".join(f"{name!r}: {value!r}" for name, value in self._decoded())
        return f"<{type(self).__name__}({body})>"


class _HeaderKeysView(KeysView[str]):
    __slots__ = ("_headers",)

    def __init__(self, headers: Headers) -> None:
        super().__init__(headers)
        self._headers = headers

    def __len__(self) -> int:
        return len(self._headers._grouped())

    def __iter__(self) -> Iterator[str]:
        return iter(self._headers)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({list(self)!r})>"


class _HeaderItemsView(ItemsView[str, str]):
    __slots__ = ("_headers",)

    def __init__(self, headers: Headers) -> None:
        super().__init__(headers)
        self._headers = headers

    def __len__(self) -> int:
        return len(self._headers)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._headers._decoded())

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, tuple) or len(item) != 2 or not isinstance(item[0], str):
            return False
        return item[1] in self._headers.getall(item[0], ())

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({self._headers._decoded()!r})>"


class _HeaderValuesView(ValuesView[str]):
    __slots__ = ("_headers",)

    def __init__(self, headers: Headers) -> None:
        super().__init__(headers)
        self._headers = headers

    def __len__(self) -> int:
        return len(self._headers)

    def __iter__(self) -> Iterator[str]:
        return (value for _, value in self._headers._decoded())

    def __contains__(self, value: object) -> bool:
        return any(value == own for _, own in self._headers._decoded())

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({list(self)!r})>"
