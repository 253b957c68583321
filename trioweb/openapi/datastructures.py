"""``ResponseSpec``: an additional response a handler documents (``responses={404: ...}``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trioweb.enums import MediaType
from trioweb.openapi.spec import Example

__all__ = ("ResponseSpec",)


@dataclass
class ResponseSpec:
    """The body type and description of one documented response."""

    data_container: Any
    generate_examples: bool = True
    description: str = "Additional response"
    media_type: MediaType | str = MediaType.JSON
    examples: list[Example] | None = None
