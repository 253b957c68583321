"""The Litestar app options trioweb accepts without acting on them, and those it refuses.

``TrioWeb(...)`` takes every keyword ``Litestar(...)`` takes. Those listed here are checked
when the app is built:

* documentation and debugging aids are accepted and have no effect (``include_in_schema``,
  ``tags``, ``security``, ``pdb_on_exception``, ``debugger_module``,
  ``experimental_features``, an empty ``plugins`` or ``listeners`` list, ...);
* a feature trioweb does not have yet raises ``ImproperlyConfiguredException`` when it is
  actually asked for (a non-empty ``plugins`` list, ``dto``, ...), so an app
  never runs believing it is protected or configured when it is not;
* any other keyword raises ``TypeError``, as a misspelt argument of a plain call does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, TypedDict

from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.types.empty import Empty

__all__ = ("AcceptedAppOptions", "check_app_options", "check_layer_options")


class AcceptedAppOptions(TypedDict, total=False):
    """Litestar app keywords accepted for compatibility (see the module docstring)."""

    debugger_module: Any
    dto: Any
    event_emitter_backend: Any
    experimental_features: Any
    include_in_schema: Any
    listeners: Any
    multipart_form_part_limit: int
    parameters: Any
    path: str | None
    pdb_on_exception: bool | None
    plugins: Any
    response_cache_config: Any
    return_dto: Any
    security: Any
    static_files_config: Any
    stores: Any
    tags: Any


def _always(_: Any) -> bool:
    return True


def _unset(value: Any) -> bool:
    return value is None or value is Empty


def _empty(value: Any) -> bool:
    return _unset(value) or (hasattr(value, "__len__") and len(value) == 0)


# name -> (is the value one trioweb can honour?, what to tell the user otherwise)
_OPTIONS: Final[dict[str, tuple[Callable[[Any], bool], str]]] = {
    "debugger_module": (_always, ""),
    "event_emitter_backend": (_always, ""),
    "experimental_features": (_always, ""),
    "include_in_schema": (_always, ""),
    "pdb_on_exception": (_always, ""),
    "security": (_always, ""),
    "tags": (_always, ""),
    "stores": (_always, ""),  # app.stores (trioweb.app)
    "dto": (_unset, "DTOs ('dto') are not supported yet"),
    "return_dto": (_unset, "DTOs ('return_dto') are not supported yet"),
    "listeners": (_empty, "event listeners ('listeners') are not supported yet"),
    "multipart_form_part_limit": (
        lambda value: isinstance(value, int) and value > 0,
        "'multipart_form_part_limit' must be a positive int",
    ),
    "parameters": (_empty, "app-level 'parameters' are not supported yet"),
    "path": (lambda value: value in (None, "", "/"), "an app 'path' prefix is not supported yet"),
    "plugins": (_empty, "'plugins' are not supported yet"),
    "response_cache_config": (_unset, "response caching is not supported yet"),
    "static_files_config": (
        _empty,
        "'static_files_config' is not supported yet; serve files from a route handler",
    ),
}


def check_app_options(options: Mapping[str, Any]) -> None:
    """Check the Litestar-only keywords given to ``TrioWeb``.

    Error handling: ``TypeError`` for a keyword Litestar does not have either;
    ``ImproperlyConfiguredException`` for a feature that is asked for but not supported.
    """
    for name, value in options.items():
        rule = _OPTIONS.get(name)
        if rule is None:
            raise TypeError(f"TrioWeb.__init__() got an unexpected keyword argument {name!r}")
        honoured, message = rule
        if not honoured(value):
            raise ImproperlyConfiguredException(f"{message} in trioweb")


#: Options of routers, controllers and handlers that trioweb refuses when they ask for something.
_LAYER_REFUSED: Final = ("dto", "return_dto", "parameters")


def check_layer_options(options: Mapping[str, Any], where: str) -> None:
    """Refuse ``dto``, ``return_dto`` and ``parameters`` on a router, controller or handler.

    Error handling: ``ImproperlyConfiguredException`` when one is set: a DTO that is ignored
    would send every field of a model (those the DTO excludes too), and layered parameters
    that are ignored would not be validated.
    """
    for name in _LAYER_REFUSED:
        if name in options:
            honoured, message = _OPTIONS[name]
            if not honoured(options[name]):
                raise ImproperlyConfiguredException(f"{message} in trioweb ({where})")
