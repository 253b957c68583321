"""``MutableScopeHeaders``: edit the ``headers`` of an ASGI scope or message in place.

Middleware uses it to change an ``http.response.start`` message on its way out. Names are
matched without case and stored lower-cased; values are latin-1.

One deliberate difference from Litestar: setting a header that occurs three or more
times replaces all of them. Litestar deletes by index while the list shifts, removing the
wrong entries (or raising ``IndexError``).
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

__all__ = ("MutableScopeHeaders",)


class MutableScopeHeaders(MutableMapping[str, str]):
    """A case-insensitive, multi-valued, mutable view of the ``headers`` of a scope or message.

    Changes go straight into the underlying list (which is converted to a list first if
    it was another sequence), so a middleware can rewrite an ``http.response.start``
    message before passing it on.
    """

    __slots__ = ("headers",)

    def __init__(self, scope: MutableMapping[str, Any] | None = None) -> None:
        """Wrap ``scope["headers"]``, or a new empty list when ``scope`` is ``None``."""
        self.headers: list[tuple[bytes, bytes]]
        if scope is None:
            self.headers = []
            return
        headers = scope["headers"]
        if not isinstance(headers, list):
            headers = scope["headers"] = list(headers)
        self.headers = headers

    @classmethod
    def from_message(cls, message: MutableMapping[str, Any]) -> MutableScopeHeaders:
        """Wrap the headers of an ASGI message; ``ValueError`` if it has none."""
        if "headers" not in message:
            raise ValueError(f"Invalid message type: {message['type']!r}")
        return cls(message)

    @staticmethod
    def _encoded_name(key: str) -> bytes | None:
        try:
            return key.lower().encode("latin-1")
        except UnicodeEncodeError:
            return None  # no latin-1 header name can match

    def _find_indices(self, key: str) -> list[int]:
        name = self._encoded_name(key)
        if name is None:
            return []
        return [i for i, (candidate, _) in enumerate(self.headers) if candidate.lower() == name]

    def add(self, key: str, value: str) -> None:
        """Append a header, keeping any existing ones of the same name."""
        self.headers.append((key.lower().encode("latin-1"), value.encode("latin-1")))

    def getall(self, key: str, default: list[str] | None = None) -> list[str]:
        """Return every value of ``key``; ``default`` if absent, or ``KeyError`` without one."""
        name = self._encoded_name(key)
        values = (
            []
            if name is None
            else [
                value.decode("latin-1")
                for candidate, value in self.headers
                if candidate.lower() == name
            ]
        )
        if values:
            return values
        if default is not None:
            return default
        raise KeyError(key)

    def extend_header_value(self, key: str, value: str) -> None:
        """Append ``value`` to the comma-separated list in header ``key`` (added if absent).

        Repeated ``key`` headers are collapsed into one, carrying the first one's values.
        """
        existing = self.get(key)
        if existing is not None:
            value = f"{existing},{value}"
        self[key] = value

    def __getitem__(self, key: str) -> str:
        """Return the first value of ``key``."""
        name = self._encoded_name(key)
        if name is not None:
            for candidate, value in self.headers:
                if candidate.lower() == name:
                    return value.decode("latin-1")
        raise KeyError(key)

    def __setitem__(self, key: str, value: str) -> None:
        """Set header ``key`` to ``value``, in place of the first one, dropping any others."""
        entry = (key.lower().encode("latin-1"), value.encode("latin-1"))
        indices = self._find_indices(key)
        if not indices:
            self.headers.append(entry)
            return
        for i in reversed(indices[1:]):
            del self.headers[i]
        self.headers[indices[0]] = entry

    def __delitem__(self, key: str) -> None:
        """Remove every header named ``key``; no error if there is none."""
        for i in reversed(self._find_indices(key)):
            del self.headers[i]

    def __len__(self) -> int:
        """Return the number of header pairs, repeated names included."""
        return len(self.headers)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the header names, repeated names included."""
        return (name.decode("latin-1") for name, _ in self.headers)
