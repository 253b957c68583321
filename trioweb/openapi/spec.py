"""The OpenAPI 3.1 objects an app configures by hand (Litestar's ``litestar.openapi.spec``).

Only the objects a config names are here: ``Contact``, ``License``, ``ExternalDocumentation``,
``Server`` and ``ServerVariable``, ``Tag``, ``Components``, ``SecurityScheme`` with
``OAuthFlows``/``OAuthFlow``, and ``Example``. The rest of the document is generated from the
route table as plain JSON-ready dictionaries. ``to_schema()`` renders an object as the JSON
the specification names (camelCase keys, ``None`` fields left out).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

__all__ = (
    "BaseSchemaObject",
    "Components",
    "Contact",
    "Example",
    "ExternalDocumentation",
    "License",
    "OAuthFlow",
    "OAuthFlows",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Tag",
)

SecurityRequirement = dict[str, list[str]]
"""``{"scheme name": ["scope", ...]}``."""


def _key(name: str) -> str:
    if name.endswith("_in"):
        return "in"
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def render(value: Any) -> Any:
    """``value`` as JSON-ready data: spec objects become dictionaries."""
    if isinstance(value, BaseSchemaObject):
        return value.to_schema()
    if isinstance(value, dict):
        return {str(k): render(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [render(item) for item in value]
    return value


class BaseSchemaObject:
    """A dataclass rendered as an OpenAPI object."""

    def to_schema(self) -> dict[str, Any]:
        """The object as the specification spells it."""
        out: dict[str, Any] = {}
        for item in fields(self):  # type: ignore[arg-type]
            value = getattr(self, item.name)
            if value is not None:
                out[_key(item.name)] = render(value)
        return out


@dataclass
class Contact(BaseSchemaObject):
    """Who to contact about the API."""

    name: str | None = None
    url: str | None = None
    email: str | None = None


@dataclass
class License(BaseSchemaObject):
    """The API's license."""

    name: str
    identifier: str | None = None
    url: str | None = None


@dataclass
class ExternalDocumentation(BaseSchemaObject):
    """A link to more documentation."""

    url: str
    description: str | None = None


@dataclass
class ServerVariable(BaseSchemaObject):
    """A variable in a server URL template."""

    default: str
    enum: list[str] | None = None
    description: str | None = None


@dataclass
class Server(BaseSchemaObject):
    """Where the API is served."""

    url: str
    description: str | None = None
    variables: dict[str, ServerVariable] | None = None


@dataclass
class Tag(BaseSchemaObject):
    """A tag operations can be grouped by."""

    name: str
    description: str | None = None
    external_docs: ExternalDocumentation | None = None


@dataclass
class Example(BaseSchemaObject):
    """An example value."""

    summary: str | None = None
    description: str | None = None
    value: Any = None
    external_value: str | None = None


@dataclass
class OAuthFlow(BaseSchemaObject):
    """One OAuth 2 flow."""

    authorization_url: str | None = None
    token_url: str | None = None
    refresh_url: str | None = None
    scopes: dict[str, str] | None = None


@dataclass
class OAuthFlows(BaseSchemaObject):
    """The OAuth 2 flows a security scheme supports."""

    implicit: OAuthFlow | None = None
    password: OAuthFlow | None = None
    client_credentials: OAuthFlow | None = None
    authorization_code: OAuthFlow | None = None


@dataclass
class SecurityScheme(BaseSchemaObject):
    """How clients authenticate."""

    type: Literal["apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"]
    description: str | None = None
    name: str | None = None
    security_scheme_in: Literal["query", "header", "cookie"] | None = None
    scheme: str | None = None
    bearer_format: str | None = None
    flows: OAuthFlows | None = None
    open_id_connect_url: str | None = None


@dataclass
class Components(BaseSchemaObject):
    """Reusable parts of the document; generated schemas are added to ``schemas``."""

    schemas: dict[str, Any] = field(default_factory=dict)
    responses: dict[str, Any] | None = None
    parameters: dict[str, Any] | None = None
    examples: dict[str, Any] | None = None
    request_bodies: dict[str, Any] | None = None
    headers: dict[str, Any] | None = None
    security_schemes: dict[str, Any] | None = None
    links: dict[str, Any] | None = None
    callbacks: dict[str, Any] | None = None
    path_items: dict[str, Any] | None = None
