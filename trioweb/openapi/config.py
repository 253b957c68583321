"""``OpenAPIConfig``: the document's metadata and where it is served (``openapi_config=``).

The schema is served as JSON at ``{path}/openapi.json`` (``/schema/openapi.json`` by
default), generated from the route table on the first request for it and then kept, so
neither startup nor other requests pay for it. ``openapi_config=None`` serves nothing.
Litestar's HTML viewers (Redoc, Swagger UI, ...) and the YAML variant are not served.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from trioweb.openapi.spec import (
    Components,
    Contact,
    ExternalDocumentation,
    License,
    SecurityRequirement,
    Server,
    Tag,
)

__all__ = ("OpenAPIConfig",)


@dataclass
class OpenAPIConfig:
    """The OpenAPI document's metadata."""

    title: str = "Litestar API"
    version: str = "1.0.0"
    create_examples: bool = False
    """Accepted; examples are not generated."""
    random_seed: int = 10
    """Accepted; examples are not generated."""
    contact: Contact | None = None
    description: str | None = None
    external_docs: ExternalDocumentation | None = None
    license: License | None = None
    security: list[SecurityRequirement] | None = None
    components: Components | list[Components] = field(default_factory=Components)
    servers: list[Server] = field(default_factory=lambda: [Server(url="/")])
    summary: str | None = None
    tags: list[Tag] | None = None
    terms_of_service: str | None = None
    use_handler_docstrings: bool = False
    """Use a handler's docstring as its description when it has none."""
    webhooks: dict[str, Any] | None = None
    operation_id_creator: Callable[..., str] | None = None
    """``creator(route_handler, http_method, path_components) -> str``; Litestar's rule when
    ``None``."""
    path: str | None = None
    """Where the schema is served; ``/schema`` when ``None``."""
    render_plugins: Sequence[Any] = ()
    """Accepted; only the JSON document is served."""
    openapi_router: Any = None
    """Accepted; not used."""
    openapi_controller: Any = None
    """Accepted; not used."""
    root_schema_site: Literal["redoc", "swagger", "elements", "rapidoc"] | None = None
    """Accepted; no HTML viewer is served."""
    enabled_endpoints: set[str] | None = None
    """``openapi.json`` is served unless this set leaves it out."""

    @property
    def schema_path(self) -> str:
        """The path prefix the document is served under."""
        return "/" + (self.path or "/schema").strip("/")
