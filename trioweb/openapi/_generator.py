"""Build the OpenAPI 3.1 document from the app's route table.

Called once, on the first request for the document (and again only if the routes were
rebuilt). Types are described by msgspec's JSON schema generator in one batch, so models
used in several places become one entry of ``components.schemas`` referenced by ``$ref``.
Types msgspec cannot describe become an unconstrained schema named after the type;
``UploadFile`` becomes a binary string.

What is described, per operation: tags, summary, description, operationId, the path, query,
header and cookie parameters of the handler and of its dependencies, the request body
(``data``), the success response (status, media type, return type), a 400 response when
the request can fail validation, ``raises=`` and ``responses=`` entries, ``deprecated`` and
``security``.
"""

from __future__ import annotations

import inspect
import re
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

import msgspec

from trioweb._kwargs import RESERVED, type_hints
from trioweb.datastructures import UploadFile
from trioweb.enums import MediaType
from trioweb.openapi.spec import Components, render
from trioweb.params import BodyKwarg, DependencyKwarg, ParameterKwarg
from trioweb.response.base import Response, status_allows_body
from trioweb.response.file import File
from trioweb.response.redirect import Redirect
from trioweb.response.streaming import Stream
from trioweb.response.template import Template
from trioweb.types.empty import Empty

if TYPE_CHECKING:
    from trioweb.app import TrioWeb
    from trioweb.handlers.http_handlers import HTTPRouteHandler
    from trioweb.openapi.config import OpenAPIConfig

__all__ = ("build_openapi_document",)

_PATH_PARAM: Final = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::[a-z]+)?\}")
_SEPARATORS: Final = re.compile(r"[!#$%&'*+\-.^_`|~:]+")
_METHOD_ORDER: Final = ("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE")
_REF_TEMPLATE: Final = "#/components/schemas/{name}"

_ERROR_SCHEMA: Final[dict[str, Any]] = {
    "properties": {
        "status_code": {"type": "integer"},
        "detail": {"type": "string"},
        "extra": {"additionalProperties": {}, "type": ["null", "object", "array"]},
    },
    "type": "object",
    "required": ["detail", "status_code"],
}


def _schema_hook(annotation: Any) -> dict[str, Any]:
    if isinstance(annotation, type) and issubclass(annotation, UploadFile):
        return {"type": "string", "format": "binary"}
    return {"title": getattr(annotation, "__name__", str(annotation))}


class _Schemas:
    """Collects the types to describe; fills in every schema handed out at once."""

    def __init__(self) -> None:
        self._pending: list[tuple[Any, dict[str, Any]]] = []

    def schema_of(self, annotation: Any, **extra: Any) -> dict[str, Any]:
        """A schema for ``annotation`` (filled by :meth:`resolve`), with ``extra`` keys."""
        placeholder = dict(extra)
        self._pending.append((annotation, placeholder))
        return placeholder

    def resolve(self) -> dict[str, Any]:
        """Fill every schema handed out; return the named components."""
        annotations = [annotation for annotation, _ in self._pending]
        schemas: Sequence[dict[str, Any]]
        try:
            schemas, components = msgspec.json.schema_components(
                annotations, schema_hook=_schema_hook, ref_template=_REF_TEMPLATE
            )
        except Exception:  # one type msgspec refuses must not cost the whole document
            schemas, components = self._one_by_one(annotations)
        for (_, placeholder), schema in zip(self._pending, schemas, strict=True):
            extra = dict(placeholder)
            placeholder.clear()
            placeholder.update(schema)
            placeholder.update(extra)
        return components

    @staticmethod
    def _one_by_one(annotations: list[Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        schemas: list[dict[str, Any]] = []
        components: dict[str, Any] = {}
        for annotation in annotations:
            try:
                (schema,), found = msgspec.json.schema_components(
                    [annotation], schema_hook=_schema_hook, ref_template=_REF_TEMPLATE
                )
            except Exception:
                schema, found = {}, {}
            schemas.append(schema)
            components.update(found)
        return schemas, components


def _is_optional(annotation: Any) -> bool:
    return type(None) in typing.get_args(annotation)


def _strip_annotated(annotation: Any) -> tuple[Any, list[Any]]:
    extras: list[Any] = []
    while typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        annotation, extras = args[0], [*extras, *args[1:]]
    return annotation, extras


def _json_default(value: Any) -> Any:
    try:
        return msgspec.to_builtins(value)
    except (TypeError, msgspec.EncodeError):
        return None


class _Operation:
    """The parameters, body and error responses gathered for one handler."""

    def __init__(self, handler: HTTPRouteHandler, schemas: _Schemas) -> None:
        self.handler = handler
        self.schemas = schemas
        self.parameters: dict[tuple[str, str], dict[str, Any]] = {}
        self.body: dict[str, Any] | None = None
        dependencies: Mapping[str, Any] = getattr(handler, "resolved_dependencies", None) or {}
        self._dependencies = dependencies
        self._collect(handler.fn, frozenset())

    def _collect(self, fn: Callable[..., Any], seen: frozenset[str]) -> None:
        try:
            signature = inspect.signature(fn)
        except (TypeError, ValueError):
            return
        hints = type_hints(fn, self.handler.resolve("signature_namespace"))
        path_types: Mapping[str, Any] = getattr(self.handler, "path_parameters", {})
        for name, parameter in signature.parameters.items():
            if name in ("self", "cls") or parameter.kind in (
                inspect.Parameter.VAR_POSITIONAL,
                inspect.Parameter.VAR_KEYWORD,
            ):
                continue
            annotation, extras = _strip_annotated(hints.get(name, Any))
            default = parameter.default
            kwarg = next(
                (e for e in extras if isinstance(e, ParameterKwarg | BodyKwarg | DependencyKwarg)),
                None,
            )
            if isinstance(default, ParameterKwarg | BodyKwarg | DependencyKwarg):
                kwarg, default = default, default.default
            if isinstance(kwarg, ParameterKwarg):
                kwarg = kwarg.for_parameter(name)
            if default is inspect.Parameter.empty:
                default = Empty
            if isinstance(kwarg, DependencyKwarg):
                continue
            if name in self._dependencies and not isinstance(kwarg, ParameterKwarg):
                if name not in seen:
                    provider = self._dependencies[name]
                    self._collect(getattr(provider, "dependency", provider), seen | {name})
                continue
            if name == "data":
                self._add_body(annotation, kwarg, default)
                continue
            if (
                name in RESERVED
                or name == "nursery"
                or getattr(annotation, "__name__", "") in ("Nursery",)
            ):
                continue
            self._add_parameter(name, annotation, kwarg, default, path_types)

    def _add_body(self, annotation: Any, kwarg: Any, default: Any) -> None:
        media = kwarg.media_type if isinstance(kwarg, BodyKwarg) else MediaType.JSON
        media = str(getattr(media, "value", media))
        extra: dict[str, Any] = {}
        if isinstance(kwarg, BodyKwarg):
            if kwarg.title:
                extra["title"] = kwarg.title
            if kwarg.description:
                extra["description"] = kwarg.description
        self.body = {
            "content": {media: {"schema": self.schemas.schema_of(annotation, **extra)}},
            "required": default is Empty and not _is_optional(annotation),
        }

    def _add_parameter(
        self,
        name: str,
        annotation: Any,
        kwarg: ParameterKwarg | BodyKwarg | None,
        default: Any,
        path_types: Mapping[str, Any],
    ) -> None:
        if isinstance(kwarg, ParameterKwarg) and not kwarg.include_in_schema:
            return
        options = kwarg if isinstance(kwarg, ParameterKwarg) else None
        if name in path_types:
            where, alias = "path", name
            if annotation is Any:
                annotation = path_types[name]
        elif options is not None and options.header:
            where, alias = "header", options.header
        elif options is not None and options.cookie:
            where, alias = "cookie", options.cookie
        else:
            where, alias = "query", (options.query if options and options.query else name)
        extra: dict[str, Any] = {}
        if default is not Empty and default is not None:
            rendered = _json_default(default)
            if rendered is not None:
                extra["default"] = rendered
        if where == "path":
            required = True
        elif options is not None and options.required is not None:
            required = options.required
        else:
            required = default is Empty and not _is_optional(annotation)
        entry: dict[str, Any] = {
            "name": alias,
            "in": where,
            "schema": self.schemas.schema_of(annotation, **extra),
            "required": required,
        }
        if options is not None and options.description:
            entry["description"] = options.description
        self.parameters.setdefault((where, alias), entry)


def _operation_id(handler: HTTPRouteHandler, method: str, path: str, config: OpenAPIConfig) -> str:
    given = handler.options.get("operation_id")
    components = [
        match.group(1) if (match := _PATH_PARAM.fullmatch(part)) else part
        for part in path.strip("/").split("/")
        if part
    ]
    if callable(given):
        return str(given(handler, method, components))
    if given:
        return str(given)
    if config.operation_id_creator is not None:
        return str(config.operation_id_creator(handler, method, components))
    name = handler.handler_name
    namespace = method.title() + name.title() if len(handler.http_methods) > 1 else name.title()
    prefix = ""
    for component in components:
        if component.title() not in prefix:
            prefix += component.title()
    return _SEPARATORS.sub("", prefix + namespace)


def _response_type(annotation: Any) -> tuple[bool, Any]:
    """Whether the handler's return type describes a body, and the type of that body."""
    annotation, _ = _strip_annotated(annotation)
    if annotation in (None, type(None), inspect.Parameter.empty):
        return False, None
    origin = typing.get_origin(annotation) or annotation
    if isinstance(origin, type) and issubclass(origin, Response):
        args = typing.get_args(annotation)
        if origin is Response and args:
            return True, args[0]
        return False, None
    return True, annotation


def _header(description: str, **schema: str) -> dict[str, Any]:
    return {
        "schema": {"type": "string", **schema},
        "description": description,
        "required": False,
        "deprecated": False,
    }


# What Litestar documents for its response classes (``litestar/_openapi/responses.py``).
_FILE_HEADERS: Final = {
    "content-length": _header("File size in bytes"),
    "last-modified": _header("Last modified data-time in RFC 2822 format", format="date-time"),
    "etag": _header("Entity tag"),
}
_REDIRECT_HEADERS: Final = {"location": _header("target path for the redirect")}
_DEFAULT_DESCRIPTIONS: Final[dict[Any, str]] = {
    Stream: "Stream Response",
    Redirect: "Redirect Response",
    File: "File Download",
}


def _response_class_content(
    handler: HTTPRouteHandler, annotation: Any
) -> tuple[dict[str, Any] | None, dict[str, Any] | None] | None:
    """``(content, headers)`` for a handler returning a File, Redirect or Template, or None.

    Error handling: never raises; any other annotation gives None.
    """
    if not isinstance(annotation, type):
        return None
    media = handler.media_type
    media_text = str(getattr(media, "value", media)) if media else None
    if issubclass(annotation, Redirect):
        return None, dict(_REDIRECT_HEADERS)
    if issubclass(annotation, File):
        schema = {"type": "string", "contentMediaType": "application/octet-stream"}
        content_encoding = handler.options.get("content_encoding")
        if content_encoding:
            schema["contentEncoding"] = content_encoding
        content_media_type = handler.options.get("content_media_type")
        if content_media_type:
            schema["contentMediaType"] = content_media_type
        # Litestar's key is the handler's media type, "" when it has none
        return {media_text or "": {"schema": schema}}, dict(_FILE_HEADERS)
    if issubclass(annotation, Template):
        return {media_text or MediaType.HTML.value: {"schema": {"type": "string"}}}, None
    return None


def _status_description(status: int) -> str:
    try:
        return HTTPStatus(status).description
    except ValueError:
        return "Additional response"


def _operation(
    handler: HTTPRouteHandler,
    method: str,
    path: str,
    config: OpenAPIConfig,
    schemas: _Schemas,
) -> dict[str, Any]:
    options = handler.options
    gathered = _Operation(handler, schemas)
    operation: dict[str, Any] = {}
    tags = list(dict.fromkeys(handler.resolve("tags") or ()))
    if tags:
        operation["tags"] = tags
    operation["summary"] = options.get("summary") or _SEPARATORS.sub(
        "", handler.handler_name.title()
    )
    description = options.get("description")
    if description is None and config.use_handler_docstrings:
        doc = getattr(handler.fn, "__doc__", None)
        description = inspect.cleandoc(doc) if doc else None
    if description:
        operation["description"] = description
    operation["operationId"] = _operation_id(handler, method, path, config)
    if gathered.parameters:
        operation["parameters"] = list(gathered.parameters.values())
    if gathered.body is not None:
        operation["requestBody"] = gathered.body
    operation["responses"] = _responses(handler, gathered, schemas)
    operation["deprecated"] = bool(options.get("deprecated", False))
    security = handler.resolve("security")
    if security:
        operation["security"] = render(list(security))
    return operation


def _responses(
    handler: HTTPRouteHandler, gathered: _Operation, schemas: _Schemas
) -> dict[str, Any]:
    status = handler.status_code
    annotation = _strip_annotated(getattr(handler, "return_annotation", None))[0]
    success: dict[str, Any] = {
        "description": handler.options.get("response_description")
        or _DEFAULT_DESCRIPTIONS.get(annotation)
        or _status_description(status)
    }
    special = _response_class_content(handler, annotation)
    has_body, body_type = _response_type(annotation)
    if special is not None:
        content, headers = special
        if headers:
            success["headers"] = headers
        if content and status_allows_body(status):
            success["content"] = content
    elif has_body and status_allows_body(status):
        media = str(getattr(handler.media_type, "value", handler.media_type or MediaType.JSON))
        success["content"] = {media: {"schema": schemas.schema_of(body_type)}}
    responses: dict[str, Any] = {str(status): success}
    if gathered.parameters or gathered.body is not None:
        responses["400"] = _error_response(400, "Validation Exception")
    raises: Iterable[type[Exception]] = handler.options.get("raises") or ()
    for exception in raises:
        code = getattr(exception, "status_code", 500)
        responses.setdefault(str(code), _error_response(code, exception.__name__))
    extra: Mapping[int, Any] = handler.options.get("responses") or {}
    for code, spec in extra.items():
        entry: dict[str, Any] = {"description": getattr(spec, "description", "")}
        container = getattr(spec, "data_container", None)
        if container is not None:
            media = str(getattr(spec, "media_type", MediaType.JSON))
            entry["content"] = {media: {"schema": schemas.schema_of(container)}}
        responses[str(code)] = entry
    return responses


def _error_response(status: int, description: str) -> dict[str, Any]:
    schema = {**_ERROR_SCHEMA, "description": description}
    return {
        "description": _status_description(status),
        "content": {MediaType.JSON.value: {"schema": schema}},
    }


def _components(config: OpenAPIConfig) -> dict[str, Any]:
    given = config.components
    merged: dict[str, Any] = {}
    for components in given if isinstance(given, list) else [given]:
        for key, value in (
            components.to_schema() if isinstance(components, Components) else dict(components)
        ).items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            else:
                merged[key] = value
    return merged


def build_openapi_document(app: TrioWeb, config: OpenAPIConfig) -> dict[str, Any]:
    """The OpenAPI document of ``app`` as JSON-ready data."""
    schemas = _Schemas()
    paths: dict[str, dict[str, Any]] = {}
    for route in app.routes:
        handlers: dict[str, HTTPRouteHandler] = route.handlers
        if not handlers:
            continue
        path = _PATH_PARAM.sub(r"{\1}", route.path)
        item: dict[str, Any] = {}
        for method in sorted(handlers, key=lambda m: (_rank(m), m)):
            handler = handlers[method]
            if handler.resolve("include_in_schema", True) is False:
                continue
            item[method.lower()] = _operation(handler, method, route.path, config, schemas)
        if item:
            paths.setdefault(path, {}).update(item)
    generated = schemas.resolve()
    info: dict[str, Any] = {"title": config.title, "version": config.version}
    optional_info: tuple[tuple[str, Any], ...] = (
        ("summary", config.summary),
        ("description", config.description),
        ("termsOfService", config.terms_of_service),
        ("contact", config.contact),
        ("license", config.license),
    )
    for key, value in optional_info:
        if value is not None:
            info[key] = render(value)
    document: dict[str, Any] = {
        "info": info,
        "openapi": "3.1.0",
        "servers": render(config.servers),
        "paths": paths,
    }
    components = _components(config)
    schemas_section = components.setdefault("schemas", {})
    for name, schema in generated.items():
        schemas_section.setdefault(name, schema)
    document["components"] = components
    optional_document: tuple[tuple[str, Any], ...] = (
        ("security", config.security),
        ("tags", config.tags),
        ("externalDocs", config.external_docs),
        ("webhooks", config.webhooks),
    )
    for key, value in optional_document:
        if value is not None:
            document[key] = render(value)
    return document


def _rank(method: str) -> int:
    return _METHOD_ORDER.index(method) if method in _METHOD_ORDER else len(_METHOD_ORDER)
