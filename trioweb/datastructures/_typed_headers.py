"""Typed response headers: the ``Header`` base, ``CacheControlHeader`` and ``ETag``.

They are dataclasses, as in Litestar, and inherit its field order: ``documentation_only``
(from :class:`Header`) is the first positional field, so pass the other fields by
keyword (``ETag(value="abc")``, ``CacheControlHeader(max_age=60)``).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Final

import msgspec

from trioweb.exceptions import ImproperlyConfiguredException, ValidationException

__all__ = ("CacheControlHeader", "ETag", "Header")

_ETAG_RE: Final = re.compile(r'([Ww]/)?"(.+)"')
_PRINTABLE_ASCII_RE: Final = re.compile(r"[ -~]+")


@dataclass
class Header(ABC):
    """A response header with a typed representation."""

    HEADER_NAME: ClassVar[str] = ""
    """The header's name, lower-cased."""

    documentation_only: bool = False
    """Only describe the header in the OpenAPI schema; do not send it."""

    @abstractmethod
    def _get_header_value(self) -> str:
        """Render the header value."""

    @classmethod
    @abstractmethod
    def from_header(cls, header_value: str) -> Header:
        """Parse a header value."""

    def to_header(self, include_header_name: bool = False) -> str:
        """Render the header value, prefixed by ``"<name>: "`` if ``include_header_name``.

        Error handling:
            ``ImproperlyConfiguredException`` if the class has no ``HEADER_NAME``.
        """
        if not self.HEADER_NAME:
            raise ImproperlyConfiguredException("Missing header name")
        value = self._get_header_value()
        return f"{self.HEADER_NAME}: {value}" if include_header_name else value


@dataclass
class CacheControlHeader(Header):
    """A ``Cache-Control`` header; each field is one directive, ``None`` leaves it out."""

    HEADER_NAME: ClassVar[str] = "cache-control"

    max_age: int | None = None
    """The ``max-age`` directive."""
    s_maxage: int | None = None
    """The ``s-maxage`` directive."""
    no_cache: bool | None = None
    """The ``no-cache`` directive."""
    no_store: bool | None = None
    """The ``no-store`` directive."""
    private: bool | None = None
    """The ``private`` directive."""
    public: bool | None = None
    """The ``public`` directive."""
    no_transform: bool | None = None
    """The ``no-transform`` directive."""
    must_revalidate: bool | None = None
    """The ``must-revalidate`` directive."""
    proxy_revalidate: bool | None = None
    """The ``proxy-revalidate`` directive."""
    must_understand: bool | None = None
    """The ``must-understand`` directive."""
    immutable: bool | None = None
    """The ``immutable`` directive."""
    stale_while_revalidate: int | None = None
    """The ``stale-while-revalidate`` directive."""

    def _get_header_value(self) -> str:
        """Render the set directives in field order, ``", "``-separated.

        A boolean directive is rendered by name whatever its value (so ``False`` also
        emits it, as in Litestar); use ``None`` to leave a directive out.
        """
        directives = []
        for field in fields(self):
            name = field.name
            value = getattr(self, name)
            if value is None or name == "documentation_only":
                continue
            directive = name.replace("_", "-")
            directives.append(directive if isinstance(value, bool) else f"{directive}={value}")
        return ", ".join(directives)

    @classmethod
    def from_header(cls, header_value: str) -> CacheControlHeader:
        """Parse a ``Cache-Control`` value (directive names as the field names, ``-`` or ``_``).

        A directive without a value is ``True``; values are converted to the field type
        the way msgspec converts strings (``"60"`` to ``60``, ``"true"``/``"1"`` to ``True``).

        Error handling:
            ``ImproperlyConfiguredException`` for an unknown directive or a value of the
            wrong type.
        """
        field_names = {field.name for field in fields(cls)}
        kwargs: dict[str, Any] = {}
        for item in header_value.split(","):
            directive = item.strip()
            if not directive:
                continue
            key, equals, value = directive.partition("=")
            key = key.replace("-", "_")
            if key not in field_names:
                raise ImproperlyConfiguredException("Invalid cache-control header")
            kwargs[key] = value if equals else True
        try:
            return msgspec.convert(kwargs, CacheControlHeader, strict=False)
        except msgspec.ValidationError as exc:
            raise ImproperlyConfiguredException from exc

    @classmethod
    def prevent_storing(cls) -> CacheControlHeader:
        """A ``no-store`` header: no cache, private or shared, may store the response."""
        return cls(no_store=True)


@dataclass
class ETag(Header):
    """An ``ETag`` header: ``"<value>"``, or ``W/"<value>"`` when weak."""

    HEADER_NAME: ClassVar[str] = "etag"

    weak: bool = False
    """Whether this is a weak validator."""
    value: str | None = None
    """The entity tag, unquoted; printable ASCII only."""

    def __post_init__(self) -> None:
        """Validate the value.

        Error handling:
            ``ValidationException`` if ``value`` is missing (and not ``documentation_only``)
            or contains anything but printable ASCII.
        """
        if self.documentation_only is False and self.value is None:
            raise ValidationException("value must be set if documentation_only is false")
        if self.value and not _PRINTABLE_ASCII_RE.fullmatch(self.value):
            raise ValidationException("value must only contain ASCII printable characters")

    def _get_header_value(self) -> str:
        quoted = f'"{self.value}"'
        return f"W/{quoted}" if self.weak else quoted

    @classmethod
    def from_header(cls, header_value: str) -> ETag:
        """Parse an ``ETag`` (or ``If-None-Match`` entry) value, removing the quotes.

        Error handling:
            ``ImproperlyConfiguredException`` if the value is not a quoted tag, optionally
            prefixed by ``W/``, or the tag is not printable ASCII.
        """
        match = _ETAG_RE.match(header_value)
        if not match:
            raise ImproperlyConfiguredException
        weak, value = match.group(1, 2)
        try:
            return cls(weak=bool(weak), value=value)
        except ValueError as exc:
            raise ImproperlyConfiguredException from exc
