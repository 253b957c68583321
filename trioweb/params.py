"""Parameter markers: ``Parameter`` (query/header/cookie/path), ``Body``, ``Dependency``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any, ClassVar, Literal, NewType, TypeAlias, TypeVar

from trioweb.datastructures.multi_dicts import MultiDict
from trioweb.enums import RequestEncodingType
from trioweb.types import Empty

T = TypeVar("T")

__all__ = (
    "Body",
    "BodyKwarg",
    "CookieParameter",
    "Dependency",
    "DependencyKwarg",
    "FromCookie",
    "FromHeader",
    "FromPath",
    "FromQuery",
    "HeaderParameter",
    "JSONBody",
    "KwargDefinition",
    "MsgPackBody",
    "MultipartBody",
    "Parameter",
    "ParameterKwarg",
    "PathParameter",
    "QueryParameter",
    "QueryParams",
    "RawBody",
    "RequestBody",
    "RequestCookies",
    "URLEncodedBody",
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
    name: str | None = None
    """The name on the wire (Litestar 2.25's ``QueryParameter(name=...)`` and siblings)."""

    param_type: ClassVar[Literal["query", "header", "cookie", "path"]] = "query"

    def for_parameter(self, parameter_name: str) -> ParameterKwarg:
        """This marker with its source spelt out for the handler parameter it annotates."""
        if self.param_type == "header" and not self.header:
            return replace(self, header=self.name or parameter_name)
        if self.param_type == "cookie" and not self.cookie:
            return replace(self, cookie=self.name or parameter_name)
        if self.param_type == "query" and self.name and not self.query:
            return replace(self, query=self.name)
        return self


@dataclass(frozen=True)
class QueryParameter(ParameterKwarg):
    """A query parameter, named ``name`` in the URL (default: the parameter's name)."""

    param_type: ClassVar[Literal["query", "header", "cookie", "path"]] = "query"


@dataclass(frozen=True)
class HeaderParameter(ParameterKwarg):
    """A header parameter, read from header ``name`` (default: the parameter's name)."""

    param_type: ClassVar[Literal["query", "header", "cookie", "path"]] = "header"


@dataclass(frozen=True)
class CookieParameter(ParameterKwarg):
    """A cookie parameter, read from cookie ``name`` (default: the parameter's name)."""

    param_type: ClassVar[Literal["query", "header", "cookie", "path"]] = "cookie"


@dataclass(frozen=True)
class PathParameter(ParameterKwarg):
    """A path parameter with constraints (its name is the one in the path template)."""

    param_type: ClassVar[Literal["query", "header", "cookie", "path"]] = "path"


FromQuery: TypeAlias = Annotated[T, QueryParameter()]
"""A query parameter: ``limit: FromQuery[int] = 10``."""
FromHeader: TypeAlias = Annotated[T, HeaderParameter()]
"""A header parameter named as the handler parameter."""
FromCookie: TypeAlias = Annotated[T, CookieParameter()]
"""A cookie parameter named as the handler parameter."""
FromPath: TypeAlias = Annotated[T, PathParameter()]
"""A path parameter."""


@dataclass(frozen=True)
class BodyKwarg(KwargDefinition):
    """How the ``data`` body is encoded."""

    media_type: str | RequestEncodingType = RequestEncodingType.JSON
    multipart_form_part_limit: int | None = None


JSONBody: TypeAlias = Annotated[T, BodyKwarg(media_type=RequestEncodingType.JSON)]
"""A JSON request body: ``data: JSONBody[Item]``."""
MsgPackBody: TypeAlias = Annotated[T, BodyKwarg(media_type=RequestEncodingType.MESSAGEPACK)]
"""A MessagePack request body."""
MultipartBody: TypeAlias = Annotated[T, BodyKwarg(media_type=RequestEncodingType.MULTI_PART)]
"""A ``multipart/form-data`` request body."""
URLEncodedBody: TypeAlias = Annotated[T, BodyKwarg(media_type=RequestEncodingType.URL_ENCODED)]
"""An ``application/x-www-form-urlencoded`` request body."""
RequestBody: TypeAlias = Annotated[T, BodyKwarg()]
"""A request body of the default media type (JSON)."""
RawBody = NewType("RawBody", bytes)
"""The raw request body, for the reserved ``body`` parameter."""
QueryParams = NewType("QueryParams", MultiDict[Any])
"""Every query parameter, for the reserved ``query`` parameter."""
RequestCookies = NewType("RequestCookies", dict[str, str])
"""Every cookie, for the reserved ``cookies`` parameter."""


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
