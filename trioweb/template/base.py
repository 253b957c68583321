"""The template engine protocol and the helpers every engine registers.

An engine is built once, when the app is (``TemplateConfig.engine_instance``), and renders
on the trio thread: see :mod:`trioweb.response.template` for why rendering is not sent to a
worker thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Protocol, TypeVar, runtime_checkable

if TYPE_CHECKING:
    from trioweb.connection import Request
    from trioweb.types import PathType

__all__ = (
    "CSRF_TOKEN_SCOPE_KEY",
    "TemplateCallableType",
    "TemplateEngineProtocol",
    "TemplateProtocol",
    "csrf_token",
    "url_for",
    "url_for_static_asset",
)

CSRF_TOKEN_SCOPE_KEY = "_csrf_token"
"""Where the CSRF middleware leaves the request's token (see ``trioweb.config.csrf``)."""

P = ParamSpec("P")
R = TypeVar("R")
ContextType = TypeVar("ContextType")
ContextType_co = TypeVar("ContextType_co", covariant=True)

TemplateCallableType = Callable[Concatenate[ContextType, P], R]
"""A callable made available in templates; it receives the render context first."""


def _request(context: Mapping[str, Any]) -> Request[Any, Any, Any]:
    request: Request[Any, Any, Any] = context["request"]
    return request


def url_for(context: Mapping[str, Any], /, route_name: str, **path_parameters: Any) -> str:
    """The path of the route handler named ``route_name`` (``{{ url_for("book", id=1) }}``).

    Error handling: ``NoRouteMatchFoundException`` for an unknown name or missing parameters.
    """
    return _request(context).app.route_reverse(route_name, **path_parameters)


def csrf_token(context: Mapping[str, Any], /) -> str:
    """The request's CSRF token when ``csrf_config`` is set on the app, else ``""``."""
    token: str = _request(context).scope.get(CSRF_TOKEN_SCOPE_KEY, "")
    return token


def url_for_static_asset(context: Mapping[str, Any], /, name: str, file_path: str) -> str:
    """The path of ``file_path`` under the static files router named ``name``."""
    return _request(context).app.url_for_static_asset(name, file_path)


class TemplateProtocol(Protocol):
    """A loaded template: ``render(**context)`` returns the text."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render the template."""
        ...


TemplateType_co = TypeVar("TemplateType_co", bound=TemplateProtocol, covariant=True)


@runtime_checkable
class TemplateEngineProtocol(Protocol[TemplateType_co, ContextType_co]):
    """What ``TemplateConfig`` and ``Template`` need from an engine (Litestar's protocol)."""

    def __init__(self, directory: PathType | list[PathType] | None, engine_instance: Any) -> None:
        """Build from template ``directory`` (one or several), or wrap ``engine_instance``."""

    def get_template(self, template_name: str) -> TemplateType_co:
        """The template named ``template_name``.

        Error handling: ``TemplateNotFoundException`` when there is none.
        """
        ...

    def render_string(self, template_string: str, context: Mapping[str, Any]) -> str:
        """Render a template given as a string."""
        ...

    def register_template_callable(
        self, key: str, template_callable: TemplateCallableType[ContextType_co, P, R]
    ) -> None:
        """Make ``template_callable`` callable as ``key`` in templates."""
