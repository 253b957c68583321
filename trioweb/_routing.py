"""The route table: path templates compiled at startup into a segment trie.

Invariants: static segments are tried before parameters, parameters before ``path``
catch-alls; a path resolves to one ``Route`` (all methods of one path template) or none.
Trailing slashes are not significant (``/items/`` is ``/items``). A ``path`` catch-all
needs at least one segment (``/files`` does not match ``/files/{p:path}``).

Matching only splits the path; the raw parameter values are parsed by
:meth:`Route.parse_params` once the method is known to be served, so, as in Litestar, a
wrong method answers 405 before a malformed value answers 404.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final
from uuid import UUID

import msgspec

from trioweb.exceptions import ImproperlyConfiguredException, NotFoundException

__all__ = ("PARAM_TYPES", "Route", "RouteTable", "path_parameter_types")

_PARAM: Final = re.compile(r"^\{([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?\}$")


def _timedelta(value: str) -> timedelta:
    try:
        return msgspec.convert(value, timedelta)
    except msgspec.ValidationError:
        return timedelta(seconds=int(float(value)))


def _converter(target: type[Any]) -> Callable[[str], Any]:
    def convert(value: str) -> Any:
        return msgspec.convert(value, target)

    return convert


def _path(value: str) -> str:
    return "/" + value.strip("/")


# name -> (the type a handler receives, the parser of the raw segment). A ``path``
# value stays a ``str`` in ``path_params`` (as in Litestar); a handler annotated with
# ``Path`` gets it converted by its parameter plan.
PARAM_TYPES: Final[dict[str, tuple[type[Any], Callable[[str], Any]]]] = {
    "str": (str, str),
    "int": (int, int),
    "float": (float, float),
    "uuid": (UUID, UUID),
    "decimal": (Decimal, Decimal),
    "date": (date, _converter(date)),
    "datetime": (datetime, _converter(datetime)),
    "time": (time, _converter(time)),
    "timedelta": (timedelta, _timedelta),
    "path": (str, _path),
}
_PARSE_ERRORS: Final = (ValueError, TypeError, ArithmeticError)


# Plain slotted classes rather than dataclasses: a dataclass costs about half a
# millisecond of import time each.


class _ParamSegment:
    __slots__ = ("name", "parse", "type_name")

    def __init__(self, name: str, type_name: str, parse: Callable[[str], Any]) -> None:
        self.name = name
        self.type_name = type_name
        self.parse = parse

    def _key(self) -> tuple[str, str, Callable[[str], Any]]:
        return (self.name, self.type_name, self.parse)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _ParamSegment):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"_ParamSegment(name={self.name!r}, type_name={self.type_name!r})"


def _compile(path: str) -> list[str | _ParamSegment]:
    segments: list[str | _ParamSegment] = []
    for raw in path.strip("/").split("/"):
        if not raw:
            continue
        match = _PARAM.match(raw)
        if match is None:
            if "{" in raw or "}" in raw:
                raise ImproperlyConfiguredException(f"Invalid path parameter syntax in {path!r}")
            segments.append(raw)
            continue
        name, type_name = match.group(1), match.group(2) or "str"
        if type_name not in PARAM_TYPES:
            raise ImproperlyConfiguredException(
                "Path parameters should be declared with an allowed type, i.e. one of "
                f"{', '.join(PARAM_TYPES)} in path: '{path}'"
            )
        segments.append(_ParamSegment(name, type_name, PARAM_TYPES[type_name][1]))
    for seg in segments[:-1]:
        if isinstance(seg, _ParamSegment) and seg.type_name == "path":
            raise ImproperlyConfiguredException(f"A 'path' parameter must be last in {path!r}")
    return segments


def path_parameter_types(path: str) -> dict[str, type[Any]]:
    """``{"item_id": int, ...}`` for a path template."""
    return {
        seg.name: PARAM_TYPES[seg.type_name][0]
        for seg in _compile(path)
        if isinstance(seg, _ParamSegment)
    }


class Route:
    """Every handler of one path template, by method (and a mount, if any)."""

    __slots__ = ("allow", "handlers", "mount", "params", "path", "websocket")

    def __init__(self, path: str, params: list[_ParamSegment] | None = None) -> None:
        self.path = path
        self.handlers: dict[str, Any] = {}
        self.websocket: Any = None
        self.mount: Any = None
        self.params: list[_ParamSegment] = params if params is not None else []
        self.allow = ""

    def __repr__(self) -> str:
        return f"Route(path={self.path!r}, methods={sorted(self.handlers)!r})"

    def parse_params(self, raw: tuple[str, ...]) -> dict[str, Any]:
        """The typed path parameters from their raw values.

        Raises ``NotFoundException`` when a value does not parse to its declared type.
        """
        if not raw:
            return {}
        try:
            return {seg.name: seg.parse(value) for seg, value in zip(self.params, raw, strict=True)}
        except _PARSE_ERRORS as exc:
            raise NotFoundException() from exc

    def finalize(self) -> None:
        methods = set(self.handlers)
        if "GET" in methods:
            methods.add("HEAD")
        methods.add("OPTIONS")
        self.allow = ", ".join(sorted(methods))


class _Node:
    __slots__ = ("catch_all", "catch_all_route", "param", "param_segment", "route", "static")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.param: _Node | None = None
        self.param_segment: _ParamSegment | None = None
        self.catch_all: _ParamSegment | None = None
        self.catch_all_route: Route | None = None
        self.route: Route | None = None


class RouteTable:
    """Map a request path to a ``Route`` and its raw parameter values."""

    def __init__(self) -> None:
        self._static: dict[str, Route] = {}
        self._root = _Node()
        self._mounts: list[tuple[str, Route]] = []
        self.routes: list[Route] = []

    def add(self, path: str) -> Route:
        """The ``Route`` for ``path`` (created on first use)."""
        segments = _compile(path)
        node = self._root
        for seg in segments:
            if isinstance(seg, str):
                node = node.static.setdefault(seg, _Node())
            elif seg.type_name == "path":
                if node.catch_all_route is None:
                    node.catch_all = seg
                    node.catch_all_route = Route(
                        path, params=[s for s in segments if isinstance(s, _ParamSegment)]
                    )
                    self.routes.append(node.catch_all_route)
                elif node.catch_all is not None and node.catch_all.name != seg.name:
                    raise ImproperlyConfiguredException(f"Conflicting path parameters at {path!r}")
                return node.catch_all_route
            else:
                if node.param is None:
                    node.param = _Node()
                    node.param_segment = seg
                elif node.param_segment != seg:
                    raise ImproperlyConfiguredException(
                        f"Conflicting path parameters at {path!r}: "
                        f"{{{seg.name}:{seg.type_name}}} vs "
                        f"{{{node.param_segment.name}:{node.param_segment.type_name}}}"  # type: ignore[union-attr]
                    )
                node = node.param
        if node.route is None:
            node.route = Route(path, params=[s for s in segments if isinstance(s, _ParamSegment)])
            self.routes.append(node.route)
            if not any(isinstance(s, _ParamSegment) for s in segments):
                self._static["/" + "/".join(s for s in segments if isinstance(s, str))] = node.route
        return node.route

    def add_mount(self, path: str) -> Route:
        """A mount: the route for ``path`` and everything below it."""
        route = Route(path)
        self._mounts.append((path.rstrip("/"), route))
        self._mounts.sort(key=lambda item: len(item[0]), reverse=True)
        self.routes.append(route)
        return route

    def match(self, path: str) -> tuple[Route | None, tuple[str, ...]]:
        """Find the route for ``path`` and the raw values of its parameters.

        The values are parsed by :meth:`Route.parse_params`.
        """
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/") or "/"
        route = self._static.get(path)
        if route is not None:
            return route, ()
        parts = [p for p in path.split("/") if p]
        # The common case first: descending without ever backtracking (a static segment
        # where there is one, else the parameter) finds what the full search would find
        # first; only when it gets stuck does the full search run.
        node: _Node | None = self._root
        values: list[str] = []
        for index, part in enumerate(parts):
            assert node is not None
            child = node.static.get(part)
            if child is None:
                child = node.param
                if child is None:
                    if node.catch_all_route is not None:
                        values.append("/".join(parts[index:]))
                        return node.catch_all_route, tuple(values)
                    break
                values.append(part)
            node = child
        else:
            if node is not None and node.route is not None:
                return node.route, tuple(values)
        raw: list[str] = []
        found = self._walk(self._root, parts, 0, raw)
        if found is not None:
            return found, tuple(raw)
        for prefix, mount in self._mounts:
            if path == prefix or path.startswith(prefix + "/") or prefix == "":
                return mount, ()
        return None, ()

    def _walk(self, node: _Node, parts: list[str], index: int, raw: list[str]) -> Route | None:
        if index == len(parts):
            return node.route
        part = parts[index]
        child = node.static.get(part)
        if child is not None:
            found = self._walk(child, parts, index + 1, raw)
            if found is not None:
                return found
        if node.param is not None:
            raw.append(part)
            found = self._walk(node.param, parts, index + 1, raw)
            if found is not None:
                return found
            raw.pop()
        if node.catch_all_route is not None:
            raw.append("/".join(parts[index:]))
            return node.catch_all_route
        return None
