"""``Accept``: content negotiation over a request's ``Accept`` header.

The rules are Litestar's, kept exactly because they decide which representation (and so
which bytes) a negotiating handler sends:

* the header is split on ``,``; each entry is parsed as a media type with parameters;
* entries are ordered by ``(quality, specificity)``, highest first, ties keeping header
  order. Quality is ``q`` in hundredths (100 when absent or unparsable); specificity is
  0 for ``*/*``, 1 for ``type/*``, 2 for a full type without parameters other than ``q``,
  3 for a full type with parameters;
* :meth:`Accept.best_match` walks the accepted entries in that order and, for each, the
  provided types in the caller's order, and returns the first provided type that matches,
  with any ``*`` in it filled in from the accepted entry.

Note that ``q=0`` only sorts an entry last: it still matches (Litestar does the same).
One deliberate difference: a ``q`` Litestar cannot convert (``q=inf``) raises
``OverflowError`` there; here it counts as absent, like any other unparsable ``q``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import suppress
from typing import Final, overload

__all__ = ("Accept", "MediaTypeHeader", "parse_content_header")

_TOKEN: Final = r"([A-Za-z0-9!#$%&'*+.^_`|~-]+)"
_QUOTED: Final = r'"([^"]*)"'
_PARAMETER_RE: Final = re.compile(rf";\s*{_TOKEN}=(?:{_TOKEN}|{_QUOTED})", re.ASCII)
# Firefox sends ``\"`` inside quoted parameters; it is kept as ``%22`` while the
# parameters are matched, then turned back into ``"``.
_ESCAPED_QUOTE_RE: Final = re.compile(r'\\"(?!; |\s*$)')


def parse_content_header(value: str) -> tuple[str, dict[str, str]]:
    """Split a ``Content-Type``-like value into its lower-cased type and its parameters.

    Parameter names are lower-cased; values keep their case and lose their quotes.
    """
    value = _ESCAPED_QUOTE_RE.sub("%22", value)
    head, semicolon, _ = value.partition(";")
    params: dict[str, str] = {}
    if semicolon:
        for match in _PARAMETER_RE.finditer(value, len(head)):
            name, token, quoted = match.groups()
            params[name.lower()] = token or quoted.replace("%22", '"')
    return head.strip().lower(), params


class MediaTypeHeader:
    """One media range of an ``Accept`` header (or a type offered by the server)."""

    __slots__ = ("_params_str", "maintype", "params", "subtype")

    def __init__(self, type_str: str) -> None:
        # The parameters are shown as written: the parsed dict loses their order.
        _, semicolon, rest = type_str.partition(";")
        self._params_str = semicolon + rest
        full_type, self.params = parse_content_header(type_str)
        self.maintype, _, self.subtype = full_type.partition("/")

    def __str__(self) -> str:
        return f"{self.maintype}/{self.subtype}{self._params_str}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    @property
    def priority(self) -> tuple[int, int]:
        """``(quality in hundredths, specificity)``; higher sorts first."""
        quality = 100
        q = self.params.get("q")
        if q is not None:
            with suppress(ValueError, OverflowError):
                quality = int(100 * float(q))
        if self.maintype == "*":
            specificity = 0
        elif self.subtype == "*":
            specificity = 1
        elif not self.params or (q is not None and len(self.params) == 1):
            specificity = 2
        else:
            specificity = 3
        return quality, specificity

    def match(self, other: MediaTypeHeader) -> bool:
        """Whether ``other`` satisfies this type: ``*`` matches anything, and every
        parameter of this type other than ``q`` must appear in ``other`` with the same value.
        """
        other_params = other.params
        for name, value in self.params.items():
            if name != "q" and other_params.get(name) != value:
                return False
        if self.subtype != "*" and other.subtype != "*" and self.subtype != other.subtype:
            return False
        return self.maintype == "*" or other.maintype == "*" or self.maintype == other.maintype

    def _filled_from(self, other: MediaTypeHeader) -> str:
        """Render this type with its ``*`` parts taken from ``other``."""
        maintype = other.maintype if self.maintype == "*" else self.maintype
        subtype = other.subtype if self.subtype == "*" else self.subtype
        return f"{maintype}/{subtype}{self._params_str}"


class Accept:
    """A parsed ``Accept`` header, its media ranges ordered by preference."""

    __slots__ = ("_accepted_types",)

    def __init__(self, accept_value: str) -> None:
        accepted = [MediaTypeHeader(item) for item in accept_value.split(",")]
        accepted.sort(key=lambda media_type: media_type.priority, reverse=True)
        self._accepted_types = accepted

    def __len__(self) -> int:
        return len(self._accepted_types)

    def __getitem__(self, key: int) -> str:
        return str(self._accepted_types[key])

    def __iter__(self) -> Iterator[str]:
        return map(str, self._accepted_types)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(self)!r})"

    @overload
    def best_match(self, provided_types: list[str], default: None = None) -> str | None: ...
    @overload
    def best_match(self, provided_types: list[str], default: str) -> str: ...
    def best_match(self, provided_types: list[str], default: str | None = None) -> str | None:
        """Return the provided type the client prefers, or ``default`` if none is acceptable.

        Provided types may contain ``*`` in either part; the result then takes that part
        from the accepted media range it matched. Otherwise the provided type is returned
        as given (with its parameters as written).
        """
        provided = [MediaTypeHeader(media_type) for media_type in provided_types]
        for accepted in self._accepted_types:
            for candidate in provided:
                if candidate.match(accepted):
                    return candidate._filled_from(accepted)
        return default

    def accepts(self, media_type: str) -> bool:
        """Whether the client accepts ``media_type``; :meth:`best_match` picks among several."""
        return self.best_match([media_type]) == media_type
