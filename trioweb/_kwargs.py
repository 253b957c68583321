"""Per-handler parameter plans: built once at startup, run on every request.

A plan is a list of small extractor closures, one per handler parameter, chosen from the
signature when the app is built (no reflection per request). Extractors read from the
connection and convert with msgspec; conversion errors are collected and answered as one
400 in Litestar's shape.
"""

from __future__ import annotations

import inspect
import logging
import re
import sys
import types
import typing
from collections.abc import AsyncGenerator, Callable, Generator, Mapping, Sequence
from functools import partial
from typing import Any, Final, Literal, Union

import msgspec
import trio

from trioweb._lifecycle import run_sync_handler
from trioweb.datastructures import URL, UploadFile
from trioweb.datastructures.state import ImmutableState, State
from trioweb.di import Provide
from trioweb.enums import RequestEncodingType
from trioweb.exceptions import (
    ClientException,
    ImproperlyConfiguredException,
    InternalServerException,
    ValidationException,
)
from trioweb.serialization import default_deserializer
from trioweb.types import Empty

if typing.TYPE_CHECKING:
    from trioweb.connection import ASGIConnection
    from trioweb.params import BodyKwarg, DependencyKwarg, ParameterKwarg

__all__ = (
    "DEPENDENCY_CLEANUP_TIMEOUT",
    "Cleanup",
    "KwargsPlan",
    "abandon_dependencies",
    "build_plan",
    "close_dependencies",
)

RESERVED: Final = frozenset(
    {
        "request",
        "socket",
        "state",
        "scope",
        "headers",
        "cookies",
        "query",
        "body",
        "data",
        "nursery",
    }
)
_ERR_AT: Final = re.compile(r"`\$\.(.+)`$")

ErrorMessage = dict[str, str]
Cleanup = list[Generator[Any, None, None] | AsyncGenerator[Any, None]]
logger = logging.getLogger("trioweb")
DEPENDENCY_CLEANUP_TIMEOUT: Final = 5.0
"""Seconds the cleanup of one request's generator dependencies may take, all together."""


class _Invalid(Exception):
    """One parameter failed validation (collected into the 400)."""

    def __init__(self, message: ErrorMessage) -> None:
        self.message = message


class _Missing(Exception):
    """A required query, header, cookie or path parameter is absent."""

    def __init__(self, rank: int, exception: ValidationException) -> None:
        self.rank = rank
        self.exception = exception


# Litestar extracts headers, then path parameters, then cookies, then the query, and
# reports the first missing parameter in that order.
_MISSING_RANK: Final = {"header": 0, "path": 1, "cookie": 2, "query": 3}


def _message(exc: Exception, key: str, source: str | None) -> ErrorMessage:
    text = str(exc)
    msg: ErrorMessage = {"message": text.split(" - ")[0]}
    if source == "body":
        match = _ERR_AT.search(text)
        msg["key"] = match.group(1) if match else key
    else:
        msg["key"] = key
    if source:
        msg["source"] = source
    return msg


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) < len(typing.get_args(annotation)):
            return (args[0] if len(args) == 1 else Union[tuple(args)]), True  # noqa: UP007
    return annotation, False


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _is_sequence(annotation: Any) -> bool:
    inner, _ = _unwrap_optional(_strip_annotated(annotation))
    origin = typing.get_origin(inner)
    return origin in (list, tuple, set, frozenset) or inner in (list, tuple, set, frozenset)


def _with_constraints(annotation: Any, kwarg: ParameterKwarg | BodyKwarg | None) -> Any:
    if kwarg is None:
        return annotation
    meta: dict[str, Any] = {}
    for name in ("gt", "ge", "lt", "le", "multiple_of", "pattern", "min_length", "max_length"):
        value = getattr(kwarg, name, None)
        if value is not None:
            meta[name] = value
    if getattr(kwarg, "min_items", None) is not None:
        meta["min_length"] = kwarg.min_items
    if getattr(kwarg, "max_items", None) is not None:
        meta["max_length"] = kwarg.max_items
    if not meta:
        return annotation
    inner, optional = _unwrap_optional(annotation)
    constrained: Any = typing.Annotated[inner, msgspec.Meta(**meta)]
    return typing.Optional[constrained] if optional else constrained  # noqa: UP045


def _converter(
    annotation: Any, dec_hook: Callable[[Any, Any], Any] = default_deserializer
) -> Callable[[Any], Any] | None:
    """A function converting raw strings into ``annotation`` (None when no work is needed)."""
    if annotation in (str, Any, inspect.Parameter.empty, object):
        return None

    def convert(value: Any) -> Any:
        return msgspec.convert(value, annotation, strict=False, dec_hook=dec_hook)

    if annotation is int:
        return _convert_int
    return convert


def _convert_int(value: Any) -> Any:
    """``msgspec.convert(value, int, strict=False)`` without its cost for plain digits.

    A short run of ASCII digits without a leading zero is what msgspec would accept and
    ``int()`` gives the same number; anything else (signs, zeros, lists...) goes to msgspec.
    """
    if (
        type(value) is str
        and 0 < len(value) < 19
        and value.isdigit()
        and value.isascii()
        and (value[0] != "0" or len(value) == 1)
    ):
        return int(value)
    return msgspec.convert(value, int, strict=False, dec_hook=default_deserializer)


def decoding_hook(type_decoders: Sequence[Any] | None) -> Callable[[Any, Any], Any]:
    """msgspec's ``dec_hook`` with Litestar's layered ``type_decoders`` tried first.

    Each entry is ``(predicate(type) -> bool, decoder(type, value) -> value)``.
    """
    if not type_decoders:
        return default_deserializer
    pairs = tuple(type_decoders)

    def dec_hook(target_type: Any, value: Any) -> Any:
        for predicate, decoder in pairs:
            if predicate(target_type):
                return decoder(target_type, value)
        return default_deserializer(target_type, value)

    return dec_hook


# Plain slotted classes rather than dataclasses: these are built only at startup, and a
# dataclass costs about half a millisecond of import time each.


class _Param:
    __slots__ = (
        "alias",
        "annotation",
        "convert",
        "default",
        "kind",
        "many",
        "name",
        "optional",
        "required",
    )

    def __init__(
        self,
        name: str,
        annotation: Any,
        default: Any,
        kind: Literal["path", "query", "header", "cookie"],
        alias: str,
        many: bool,
        convert: Callable[[Any], Any] | None,
        required: bool,
        optional: bool = False,
    ) -> None:
        self.name = name
        self.annotation = annotation
        self.default = default
        self.kind = kind
        self.alias = alias
        self.many = many
        self.convert = convert
        self.required = required
        self.optional = optional


def _url_for_error(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    url = connection.url
    return str(URL.from_components(path=url.path, query=url.query))


def _make_getter(param: _Param) -> Callable[[ASGIConnection[Any, Any, Any, Any]], Any]:
    name, alias, kind, many, convert, default, required = (
        param.name,
        param.alias,
        param.kind,
        param.many,
        param.convert,
        param.default,
        param.required,
    )
    lookup_alias = alias.lower() if kind == "header" else alias
    rank = _MISSING_RANK[kind]
    # Litestar validates an absent parameter's None (its default when it has none): a
    # non-optional type then fails, e.g. ``Parameter(required=False)`` on a ``str``.
    validate_absent = default is None and not param.optional
    annotation = param.annotation

    def finish(value: Any) -> Any:
        if convert is None:
            return value
        try:
            return convert(value)
        except (msgspec.ValidationError, TypeError, ValueError) as exc:
            # Litestar names the parameter, not its alias, in the error
            raise _Invalid(_message(exc, name, kind)) from exc

    def missing(connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
        if required:
            raise _Missing(
                rank,
                ValidationException(
                    f"Missing required {kind} parameter {alias!r} for path "
                    f"{_url_for_error(connection)}"
                ),
            )
        if validate_absent:
            try:
                return msgspec.convert(None, annotation, strict=False)
            except msgspec.ValidationError as exc:
                raise _Invalid(_message(exc, name, kind)) from exc
        return default

    if kind == "path":
        if convert is None:  # the route already parsed it to the annotated type

            def get_parsed_path(connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
                return connection.scope["path_params"][name]

            return get_parsed_path

        def get_path(connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
            return finish(connection.scope["path_params"][name])

        return get_path

    if kind == "query":
        if convert is None and not many:  # a str (or Any) taken as it is

            def get_query_str(connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
                values = connection.query_params.getall(lookup_alias, None)
                return missing(connection) if values is None else values[-1]

            return get_query_str

        def get_query(connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
            values = connection.query_params.getall(lookup_alias, None)
            if values is None:
                return missing(connection)
            # a repeated scalar parameter takes its last value, as in Litestar
            return finish(values if many else values[-1])

        return get_query

    if kind == "header":

        def get_header(connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
            # headers are single-valued, as in Litestar (a list annotation fails validation)
            value = connection.headers.get(lookup_alias)
            return missing(connection) if value is None else finish(value)

        return get_header

    def get_cookie(connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
        value = connection.cookies.get(lookup_alias)
        return missing(connection) if value is None else finish(value)

    return get_cookie


class _Dependency:
    __slots__ = ("name", "plan", "provider")

    def __init__(self, name: str, provider: Provide, plan: KwargsPlan) -> None:
        self.name = name
        self.provider = provider
        self.plan = plan


class _Body:
    __slots__ = (
        "annotation",
        "dec_hook",
        "declared_msgpack",
        "default",
        "is_form",
        "is_raw",
        "json_decoder",
        "media_type",
        "msgpack_decoder",
        "name",
        "optional",
        "part_limit",
    )

    def __init__(
        self,
        name: str,
        annotation: Any,
        media_type: str,
        json_decoder: msgspec.json.Decoder[Any] | None,
        msgpack_decoder: msgspec.msgpack.Decoder[Any] | None,
        *,
        is_raw: bool,
        optional: bool,
        default: Any,
        part_limit: int | None = None,
        dec_hook: Callable[[Any, Any], Any] = default_deserializer,
    ) -> None:
        self.name = name
        self.annotation = annotation
        self.media_type = media_type
        self.json_decoder = json_decoder
        self.msgpack_decoder = msgpack_decoder
        self.is_raw = is_raw
        self.optional = optional
        self.default = default
        self.part_limit = part_limit
        self.dec_hook = dec_hook
        self.is_form = media_type in (
            RequestEncodingType.URL_ENCODED,
            RequestEncodingType.MULTI_PART,
        )
        self.declared_msgpack = media_type == RequestEncodingType.MESSAGEPACK


class KwargsPlan:
    """How to produce every keyword argument of one callable.

    ``trivial`` is ``is_trivial`` as it was when the plan was built (``build_plan`` sets it).
    """

    __slots__ = (
        "body",
        "constants",
        "dependencies",
        "path_param_names",
        "positions",
        "reserved",
        "sync_getters",
        "trivial",
        "wants_nursery",
    )

    def __init__(
        self,
        *,
        path_param_names: frozenset[str] = frozenset(),
        positions: dict[str, int] | None = None,
    ) -> None:
        self.sync_getters: list[
            tuple[str, Callable[[ASGIConnection[Any, Any, Any, Any]], Any]]
        ] = []
        self.reserved: list[tuple[str, str]] = []
        self.constants: list[tuple[str, Any]] = []
        self.body: _Body | None = None
        self.dependencies: list[_Dependency] = []
        self.wants_nursery = False
        self.path_param_names = path_param_names
        self.positions: dict[str, int] = positions if positions is not None else {}
        self.trivial = False

    @property
    def is_trivial(self) -> bool:
        """Nothing to extract: the callable takes no arguments from the request."""
        return not (
            self.sync_getters or self.reserved or self.body or self.dependencies or self.constants
        )

    async def resolve(
        self,
        connection: ASGIConnection[Any, Any, Any, Any],
        cleanups: Cleanup,
        cache: dict[str, Any],
        nursery: trio.Nursery | None = None,
    ) -> dict[str, Any]:
        """Build the keyword arguments; raise ``ValidationException`` with every problem.

        Litestar's order, which decides what a request with several problems answers: the
        body is read and decoded first (malformed: 400 with the decoder's message), then a
        missing parameter answers (headers, path, cookies, query), then dependencies are
        resolved, then every invalid value is reported at once, in signature order.
        """
        kwargs: dict[str, Any] = {}
        errors: list[tuple[str, ErrorMessage]] | None = None
        absent: _Missing | None = None
        body = self.body
        if body is not None:
            try:
                # the JSON / MessagePack case without a coroutine of its own
                kwargs[body.name] = (
                    await _read_form_body(body, connection)
                    if body.is_form
                    else _decode_body(body, connection, await connection.body())  # type: ignore[attr-defined]
                )
            except _Invalid as invalid:
                errors = [(body.name, invalid.message)]
        for name, getter in self.sync_getters:
            try:
                kwargs[name] = getter(connection)
            except _Invalid as invalid:
                if errors is None:
                    errors = []
                errors.append((name, invalid.message))
            except _Missing as missing:
                if absent is None or missing.rank < absent.rank:
                    absent = missing
        if absent is not None:
            raise absent.exception
        for name, value in self.constants:
            kwargs[name] = value
        for name, what in self.reserved:
            kwargs[name] = await _reserved(what, connection, nursery)
        for dependency in self.dependencies:
            kwargs[dependency.name] = await _provide(
                dependency, connection, cleanups, cache, nursery
            )
        if errors:
            positions = self.positions
            errors.sort(key=lambda item: positions.get(item[0], 0))
            method = connection.scope.get("method", "WEBSOCKET")
            raise ValidationException(
                detail=f"Validation failed for {method} {_url_for_error(connection)}",
                extra=[message for _, message in errors],
            )
        return kwargs


async def _reserved(
    what: str, connection: ASGIConnection[Any, Any, Any, Any], nursery: trio.Nursery | None
) -> Any:
    if what in ("request", "socket"):
        return connection
    if what == "state":
        return connection.app.state
    if what == "scope":
        return connection.scope
    if what == "headers":
        return dict(connection.headers.items())
    if what == "cookies":
        return connection.cookies
    if what == "query":
        return connection.query_params
    if what == "query_dict":
        # a ``query: dict[...]`` gets one value per key (the first), as Litestar converts it
        return dict(connection.query_params)
    if what == "body":
        return await connection.body()  # type: ignore[attr-defined]
    if what == "nursery":
        if nursery is None:
            raise InternalServerException("no connection nursery is open")
        return nursery
    raise AssertionError(what)


def _is_state_class(annotation: Any) -> bool:
    return (
        isinstance(annotation, type)
        and issubclass(annotation, ImmutableState)
        and annotation is not State
    )


def _typed_state(kind: type[Any], connection: ASGIConnection[Any, Any, Any, Any]) -> Any:
    return kind(connection.app.state)


_EMPTY_BODY: Final[ErrorMessage] = {"message": "'data'", "key": "data", "source": "body"}


async def _read_form(request: Any, media: str) -> Any:
    """The form, parsed by the declared encoding whatever the ``Content-Type`` says."""
    form = request.scope.get("_form")
    if form is None:
        from trioweb._multipart import parse_form

        form = request.scope["_form"] = await parse_form(request, media, request.content_type[1])
    return form


def _raise_if_malformed(payload: bytes, msgpack: bool) -> None:
    """Report a malformed body as such, even when the typed decoder failed on a type first."""
    try:
        (msgspec.msgpack.decode if msgpack else msgspec.json.decode)(payload)
    except msgspec.DecodeError as exc:
        raise ClientException(str(exc)) from exc


async def _read_form_body(body: _Body, request: Any) -> Any:
    """A form body, parsed by the declared encoding and converted to the annotation."""
    form = await _read_form(request, body.media_type)
    if body.is_raw:
        return form
    raw: Any = {
        key: (values[0] if len(values) == 1 else values) for key, values in form.dict().items()
    }
    if body.annotation is UploadFile:
        raw = next(iter(form.values()), None)
    elif _is_upload_list(body.annotation):
        raw = list(form.values())
    if not raw and body.optional:
        return body.default if body.default is not Empty else None
    try:
        return msgspec.convert(
            raw, body.annotation, strict=False, dec_hook=body.dec_hook
        )
    except msgspec.ValidationError as exc:
        raise _Invalid(_message(exc, "data", "body")) from exc


def _decode_body(body: _Body, request: Any, payload: bytes) -> Any:
    """A JSON or MessagePack body decoded into the annotation."""
    if not payload:
        if body.optional:
            return body.default if body.default is not Empty else None
        raise _Invalid(dict(_EMPTY_BODY))
    # The declared encoding decides; a JSON body also takes MessagePack by Content-Type.
    use_msgpack = (
        body.declared_msgpack or request.content_type[0] == RequestEncodingType.MESSAGEPACK
    )
    decoder: Any = body.msgpack_decoder if use_msgpack else body.json_decoder
    try:
        return decoder.decode(payload)
    except msgspec.ValidationError as exc:
        _raise_if_malformed(payload, use_msgpack)
        raise _Invalid(_message(exc, "data", "body")) from exc
    except msgspec.DecodeError as exc:
        raise ClientException(str(exc)) from exc


def _is_upload_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list and typing.get_args(annotation) == (UploadFile,)


async def _provide(
    dependency: _Dependency,
    connection: ASGIConnection[Any, Any, Any, Any],
    cleanups: Cleanup,
    cache: dict[str, Any],
    nursery: trio.Nursery | None,
) -> Any:
    provider = dependency.provider
    if provider.use_cache and provider.value is not _NOT_COMPUTED():
        return provider.value
    if dependency.name in cache:
        return cache[dependency.name]
    kwargs = (
        {}
        if dependency.plan.trivial
        else await dependency.plan.resolve(connection, cleanups, cache, nursery)
    )
    fn: Any = provider.dependency
    if provider.has_async_generator_dependency:
        agen = fn(**kwargs)
        value = await agen.__anext__()
        cleanups.append(agen)
    elif provider.has_sync_generator_dependency:
        gen = fn(**kwargs)
        value = next(gen)
        cleanups.append(gen)
    elif provider.is_async:
        value = await fn(**kwargs)
    elif provider.sync_to_thread:
        value = await run_sync_handler(lambda: fn(**kwargs))
    else:
        value = fn(**kwargs)
        if inspect.isawaitable(value):
            value = await value
    cache[dependency.name] = value
    if provider.use_cache:
        provider.value = value
    return value


def _NOT_COMPUTED() -> Any:
    from trioweb.di import _UNSET

    return _UNSET


def type_hints(
    fn: Callable[..., Any], namespace: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Resolve the annotations of ``fn`` (string annotations included)."""
    target: Any = fn
    if not (inspect.isfunction(target) or inspect.ismethod(target)) and callable(target):
        target = target if isinstance(target, type) else type(target).__call__
    try:
        return typing.get_type_hints(target, localns=dict(namespace or {}), include_extras=True)
    except Exception:  # unresolvable names: fall back to raw annotations
        return dict(getattr(target, "__annotations__", {}))


class _NeverInstantiated:
    """Stands in for the ``trioweb.params`` classes while that module is not imported."""


def _kwarg_classes() -> tuple[type[ParameterKwarg], type[BodyKwarg], type[DependencyKwarg]]:
    """``ParameterKwarg``, ``BodyKwarg``, ``DependencyKwarg``, without importing them.

    A signature can only hold their instances once ``trioweb.params`` is imported; until
    then (an app that never uses ``Parameter``, ``Body`` or ``Dependency``) no isinstance
    check can succeed, and the module's import is saved.
    """
    params = sys.modules.get("trioweb.params")
    if params is None:
        never: Any = _NeverInstantiated
        return never, never, never
    return params.ParameterKwarg, params.BodyKwarg, params.DependencyKwarg


def build_plan(
    fn: Callable[..., Any],
    *,
    path_params: Mapping[str, Any],
    dependencies: Mapping[str, Provide],
    namespace: Mapping[str, Any] | None = None,
    body_allowed: bool = True,
    type_decoders: Sequence[Any] | None = None,
    _seen: frozenset[str] = frozenset(),
) -> KwargsPlan:
    """Plan how to call ``fn`` from a connection. Raises at startup on configuration errors."""
    ParameterKwarg, BodyKwarg, DependencyKwarg = _kwarg_classes()
    dec_hook = decoding_hook(type_decoders)
    signature = inspect.signature(fn)
    hints = type_hints(fn, namespace)
    plan = KwargsPlan(
        path_param_names=frozenset(path_params),
        positions={name: index for index, name in enumerate(signature.parameters)},
    )
    for name, parameter in signature.parameters.items():
        if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        if name == "self" or name == "cls":
            continue
        annotation = hints.get(name, Any)
        default = parameter.default
        kwarg: Any = None
        if typing.get_origin(annotation) is typing.Annotated:
            for extra in typing.get_args(annotation)[1:]:
                if isinstance(extra, ParameterKwarg | BodyKwarg | DependencyKwarg):
                    kwarg = extra
            annotation = _strip_annotated(annotation)
        if isinstance(default, ParameterKwarg | BodyKwarg | DependencyKwarg):
            kwarg = default
            default = kwarg.default
        if isinstance(kwarg, ParameterKwarg):
            kwarg = kwarg.for_parameter(name)
        if default is inspect.Parameter.empty:
            default = Empty

        if name in dependencies and not isinstance(kwarg, ParameterKwarg):
            if name in _seen:
                raise ImproperlyConfiguredException(f"Dependency cycle detected at {name!r}")
            provider = dependencies[name]
            sub = build_plan(
                provider.dependency,
                path_params=path_params,
                dependencies=dependencies,
                namespace=namespace,
                body_allowed=body_allowed,
                type_decoders=type_decoders,
                _seen=_seen | {name},
            )
            plan.dependencies.append(_Dependency(name, provider, sub))
            plan.wants_nursery = plan.wants_nursery or sub.wants_nursery
            continue
        if isinstance(kwarg, DependencyKwarg):
            if default is Empty:
                raise ImproperlyConfiguredException(
                    f"Explicit dependency {name!r} for {getattr(fn, '__name__', fn)!r} has no "
                    "default value, or provided dependency."
                )
            plan.constants.append((name, default))
            continue
        if name == "nursery" or annotation is trio.Nursery:
            plan.reserved.append((name, "nursery"))
            plan.wants_nursery = True
            continue
        if name == "data":
            if not body_allowed:
                raise ImproperlyConfiguredException(
                    "'data' kwarg is unsupported for 'GET' request handlers"
                )
            media = kwarg.media_type if isinstance(kwarg, BodyKwarg) else RequestEncodingType.JSON
            inner, optional = _unwrap_optional(annotation)
            # ``data: bytes`` is a JSON string (base64), as in Litestar; the raw body is the
            # reserved ``body`` parameter. A form may be taken whole as a FormMultiDict.
            is_raw = getattr(inner, "__name__", "") == "FormMultiDict"
            plan.body = _Body(
                name,
                annotation,
                str(getattr(media, "value", media)),
                None
                if is_raw
                else msgspec.json.Decoder(annotation, strict=False, dec_hook=dec_hook),
                None
                if is_raw
                else msgspec.msgpack.Decoder(annotation, strict=False, dec_hook=dec_hook),
                is_raw=is_raw,
                optional=optional or default is not Empty,
                default=default,
                part_limit=(
                    kwarg.multipart_form_part_limit if isinstance(kwarg, BodyKwarg) else None
                ),
                dec_hook=dec_hook,
            )
            continue
        if name == "state" and _is_state_class(annotation):
            # Litestar: ``state: ImmutableState`` or a State subclass gets the app state
            # wrapped in that class (a State subclass shares the app's dict).
            plan.sync_getters.append((name, partial(_typed_state, annotation)))
            continue
        if name in RESERVED:
            what = name
            if name == "query" and (typing.get_origin(annotation) or annotation) in (dict, Mapping):
                what = "query_dict"
            plan.reserved.append((name, what))
            continue
        if name in path_params:
            kind: Literal["path", "query", "header", "cookie"] = "path"
            alias = name
        elif isinstance(kwarg, ParameterKwarg) and kwarg.header:
            kind, alias = "header", kwarg.header
        elif isinstance(kwarg, ParameterKwarg) and kwarg.cookie:
            kind, alias = "cookie", kwarg.cookie
        else:
            kind = "query"
            alias = kwarg.query if isinstance(kwarg, ParameterKwarg) and kwarg.query else name
        _, optional = _unwrap_optional(annotation)
        # Litestar's rule: required when marked so (or, unmarked, when there is no
        # default), and only ever for a non-optional, non-Any type without a default.
        marked = kwarg.required if isinstance(kwarg, ParameterKwarg) else None
        required = (
            (marked if marked is not None else default is Empty)
            and default in (Empty, None)
            and not optional
            and annotation not in (Any, inspect.Parameter.empty)
        )
        if default is Empty and optional:
            default = None
        target = _with_constraints(annotation, kwarg)
        many = kind == "query" and _is_sequence(annotation)
        same_as_route = kind == "path" and target is path_params.get(name)
        convert = None if same_as_route else _converter(target, dec_hook)
        param = _Param(
            name,
            target,
            None if default is Empty else default,
            kind,
            alias,
            many,
            convert,
            required,
            optional or annotation in (Any, inspect.Parameter.empty),
        )
        plan.sync_getters.append((name, _make_getter(param)))
    plan.trivial = plan.is_trivial
    return plan


async def close_dependencies(cleanups: Cleanup, error: BaseException | None = None) -> None:
    """Finish generator dependencies, newest first, shielded and time-boxed.

    When the handler raised ``error`` (or the streamed body failed with it), it is thrown
    into each generator at its ``yield`` (as Litestar does for a handler's error), so a
    dependency can roll back; a generator that lets it propagate is done. Otherwise each
    generator is resumed to run the code after its ``yield``.

    Error handling: an error raised by a dependency's cleanup is logged, never lost and
    never raised (the response has already gone out). A cleanup still running after
    :data:`DEPENDENCY_CLEANUP_TIMEOUT` seconds is cancelled and logged; the generators not
    reached by then are closed (``finally`` runs, the code after ``yield`` does not).
    """
    index = len(cleanups) - 1  # newest first
    with trio.move_on_after(DEPENDENCY_CLEANUP_TIMEOUT, shield=True) as deadline:
        while index >= 0:
            generator = cleanups[index]
            try:
                if error is not None:
                    if isinstance(generator, AsyncGenerator):
                        await generator.athrow(error)
                    else:
                        generator.throw(error)
                elif isinstance(generator, AsyncGenerator):
                    await generator.__anext__()
                else:
                    next(generator)
            except (StopIteration, StopAsyncIteration):
                pass
            except Exception as cleanup_error:
                if cleanup_error is not error:
                    logger.exception("error in the cleanup of a generator dependency")
            else:
                logger.error("generator dependency %r yielded more than once", generator)
                if isinstance(generator, AsyncGenerator):
                    await generator.aclose()
                else:
                    generator.close()
            index -= 1  # not reached when the deadline cancels the cleanup in progress
    if deadline.cancelled_caught:
        # cleanups[index] was being cleaned when the deadline struck: the Cancelled ended
        # it. The older ones never ran: close them (their finally blocks run, the code after
        # their yield does not), so none is left for the garbage collector to finalize.
        pending = cleanups[index::-1]
        names = [getattr(g, "__qualname__", repr(g)) for g in pending]
        logger.error(
            "the cleanup of generator dependency %s did not finish within %s s and was "
            "cancelled; closed without running their cleanup: %s",
            names[0],
            DEPENDENCY_CLEANUP_TIMEOUT,
            ", ".join(names[1:]) or "none",
        )
        await _close_generators(pending[1:])


async def abandon_dependencies(cleanups: Cleanup) -> None:
    """Close generator dependencies whose handler was cancelled (a server shutting down).

    Each is closed at its ``yield`` (``aclose()`` / ``close()``): its ``finally`` blocks run,
    the code after the ``yield`` does not, so nothing is committed for a handler that never
    finished, and nothing is left for the garbage collector to finalize later.

    Cancellation: shielded, bounded by :data:`DEPENDENCY_CLEANUP_TIMEOUT`.
    Error handling: an error raised while closing is logged, never raised.
    """
    await _close_generators(list(reversed(cleanups)))


async def _close_generators(generators: Cleanup) -> None:
    """Close each generator at its ``yield``, in order; shielded, bounded, errors logged."""
    with trio.move_on_after(DEPENDENCY_CLEANUP_TIMEOUT, shield=True):
        for generator in generators:
            try:
                if isinstance(generator, AsyncGenerator):
                    await generator.aclose()
                else:
                    generator.close()
            except Exception:
                logger.exception("error while closing a generator dependency")
