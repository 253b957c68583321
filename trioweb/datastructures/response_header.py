"""``ResponseHeader``: a header set on every response of a layer, and documented in OpenAPI."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

from trioweb.exceptions import ImproperlyConfiguredException, LitestarDeprecationWarning

__all__ = ("ResponseHeader",)


def _warn_ignored(name: str) -> None:
    warnings.warn(
        f"Use of deprecated parameter {name!r}. Deprecated in litestar 2.13.1. "
        "This parameter will be removed in 4. "
        "This property is invalid for headers and will be ignored",
        LitestarDeprecationWarning,
        stacklevel=4,
    )


@dataclass
class ResponseHeader:
    """A response header: its value and its OpenAPI description.

    Field order is Litestar's: ``documentation_only`` comes before ``value``, so pass
    ``value`` by keyword.
    """

    name: str
    """Header name."""
    documentation_only: bool = False
    """Only describe the header in the OpenAPI schema; do not send it."""
    value: str | None = None
    """The value to send; required unless ``documentation_only``."""
    description: str | None = None
    """A description of the header for the OpenAPI schema (CommonMark allowed)."""
    required: bool = False
    """Whether the header is always present (OpenAPI)."""
    deprecated: bool = False
    """Whether the header is deprecated (OpenAPI)."""
    allow_empty_value: bool | None = None
    """Deprecated and ignored: it does not apply to headers."""
    style: str | None = None
    """How the value is serialized (OpenAPI ``style``)."""
    explode: bool | None = None
    """Whether arrays and objects are exploded (OpenAPI ``explode``)."""
    allow_reserved: bool | None = None
    """Deprecated and ignored: it does not apply to headers."""
    example: Any | None = None
    """An example value (OpenAPI)."""
    examples: dict[str, Any] | None = None
    """Named examples, as OpenAPI ``Example`` objects."""

    def __post_init__(self) -> None:
        """Check the value and normalise the deprecated flags.

        Error handling:
            ``ImproperlyConfiguredException`` if ``value`` is missing and the header is not
            ``documentation_only``. A ``LitestarDeprecationWarning`` is emitted when
            ``allow_reserved`` or ``allow_empty_value`` is given.
        """
        if not self.documentation_only and self.value is None:
            raise ImproperlyConfiguredException("value must be set if documentation_only is false")
        if self.allow_reserved is None:
            self.allow_reserved = False
        else:
            _warn_ignored("allow_reserved")
        if self.allow_empty_value is None:
            self.allow_empty_value = False
        else:
            _warn_ignored("allow_empty_value")

    def __hash__(self) -> int:
        return hash(self.name)
