"""OpenAPI: the document's configuration (:class:`OpenAPIConfig`) and spec objects.

Litestar's ``litestar.openapi`` paths: ``OpenAPIConfig``, ``ResponseSpec`` and
``trioweb.openapi.spec``.
"""

from trioweb.openapi.config import OpenAPIConfig
from trioweb.openapi.datastructures import ResponseSpec

__all__ = ("OpenAPIConfig", "ResponseSpec")
