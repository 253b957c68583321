"""Parameter markers: ``Parameter`` (query/header/cookie/path), ``Body``, ``Dependency``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trioweb.enums import RequestEncodingType
from trioweb.types import Empty

__all__ = (
    "Body",
    "BodyKwarg",
    "Dependency",
    "DependencyKwarg",
    "KwargDefinition",
    "Parameter",
    "ParameterKwarg",
)


@dataclass(frozen=True)
class KwargDefinition:
    """Constraints and documentation shared by every kind of parameter."""

    default: Any = Empty
    title: str | None = None
    description: str | None = None
    examples: list[Any] | None = None
    const: bool | None = None
    gt: float | None = None
    ge: float | None = None
    lt: float | None = None
    le: float | None = None
    multiple_of: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    lower_case: bool | None = None
    upper_case: bool | None = None
    read_only: bool | None = None
    schema_extra: dict[str, Any] | None = None
    schema_component_key: str | None = None
    include_in_schema: bool = True


@dataclass(frozen=True)
class ParameterKwarg(KwargDefinition):
    """Where a parameter comes from (``query``, ``header`` or ``cookie`` alias)."""

    query: str | None = None
    header: str | None = None
    cookie: str | None = None
    required: bool | None = None


@dataclass(frozen=True)
class BodyKwarg(KwargDefinition):
    """How the ``data`` body is encoded."""

    media_type: str | RequestEncodingType = RequestEncodingType.JSON
    multipart_form_part_limit: int | None = None


@dataclass(frozen=True)
class DependencyKwarg:
    """Marks a parameter as provided by dependency injection."""

    default: Any = Empty
    skip_validation: bool = False


def Parameter(
    annotation: Any = Empty,
    *,
    const: bool | None = None,
    cookie: str | None = None,
    default: Any = Empty,
    description: str | None = None,
    examples: list[Any] | None = None,
    ge: float | None = None,
    gt: float | None = None,
    header: str | None = None,
    le: float | None = None,
    lt: float | None = None,
    max_items: int | None = None,
    max_length: int | None = None,
    min_items: int | None = None,
    min_length: int | None = None,
    multiple_of: float | None = None,
    pattern: str | None = None,
    query: str | None = None,
    required: bool | None = None,
    title: str | None = None,
    **_: Any,
) -> Any:
    """Describe a query, header or cookie parameter (Litestar's ``Parameter``)."""
    return ParameterKwarg(
        const=const,
        cookie=cookie,
        default=default,
        description=description,
        examples=examples,
        ge=ge,
        gt=gt,
        header=header,
        le=le,
        lt=lt,
        max_items=max_items,
        max_length=max_length,
        min_items=min_items,
        min_length=min_length,
        multiple_of=multiple_of,
        pattern=pattern,
        query=query,
        required=required,
        title=title,
    )


def Body(
    *,
    media_type: str | RequestEncodingType = RequestEncodingType.JSON,
    multipart_form_part_limit: int | None = None,
    title: str | None = None,
    description: str | None = None,
    examples: list[Any] | None = None,
    **_: Any,
) -> Any:
    """Describe the request body (``data``) and its encoding."""
    return BodyKwarg(
        media_type=media_type,
        multipart_form_part_limit=multipart_form_part_limit,
        title=title,
        description=description,
        examples=examples,
    )


def Dependency(*, default: Any = Empty, skip_validation: bool = False) -> Any:
    """Mark a parameter as injected (optionally with a default)."""
    return DependencyKwarg(default=default, skip_validation=skip_validation)
