"""``JinjaTemplateEngine``: render ``Template`` responses with jinja2 (the ``templates`` extra).

Built from a directory, the environment autoescapes everything (``autoescape=True``), as in
Litestar; an environment passed in is used as it is. ``url_for``, ``url_for_static_asset``
and ``csrf_token`` are registered as globals that read the ``request`` in the context.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from trioweb.exceptions import (
    ImproperlyConfiguredException,
    MissingDependencyException,
    TemplateNotFoundException,
)
from trioweb.template.base import (
    TemplateEngineProtocol,
    csrf_token,
    url_for,
    url_for_static_asset,
)

try:
    import jinja2
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingDependencyException("jinja2", extra="templates") from exc

if TYPE_CHECKING:
    from trioweb.types import PathType

__all__ = ("JinjaTemplateEngine",)


class JinjaTemplateEngine(TemplateEngineProtocol["jinja2.Template", Mapping[str, Any]]):
    """Templates loaded by jinja2 from ``directory``, or an existing ``Environment``."""

    def __init__(
        self,
        directory: PathType | list[PathType] | None = None,
        engine_instance: jinja2.Environment | None = None,
    ) -> None:
        """Error handling: ``ImproperlyConfiguredException`` unless exactly one is given."""
        if directory and engine_instance:
            raise ImproperlyConfiguredException(
                "You must provide either a directory or a jinja2 Environment instance."
            )
        if directory:
            loader = jinja2.FileSystemLoader(searchpath=directory)
            self.engine = jinja2.Environment(loader=loader, autoescape=True)
        elif engine_instance is not None:
            self.engine = engine_instance
        else:
            raise ImproperlyConfiguredException(
                "You must provide either a directory or a jinja2 Environment instance."
            )
        self.register_template_callable("url_for_static_asset", url_for_static_asset)
        self.register_template_callable("csrf_token", csrf_token)
        self.register_template_callable("url_for", url_for)

    def get_template(self, template_name: str) -> jinja2.Template:
        """Error handling: ``TemplateNotFoundException`` for an unknown name."""
        try:
            return self.engine.get_template(name=template_name)
        except jinja2.TemplateNotFound as exc:
            raise TemplateNotFoundException(template_name=template_name) from exc

    def render_string(self, template_string: str, context: Mapping[str, Any]) -> str:
        """Render ``template_string`` with this environment (autoescaping included)."""
        return self.engine.from_string(template_string).render(context)

    def register_template_callable(self, key: str, template_callable: Callable[..., Any]) -> None:
        """Expose ``template_callable`` as ``key``; it receives the render context first."""
        self.engine.globals[key] = jinja2.pass_context(template_callable)

    @classmethod
    def from_environment(cls, jinja2_environment: jinja2.Environment) -> JinjaTemplateEngine:
        """Wrap an existing ``jinja2.Environment``."""
        return cls(directory=None, engine_instance=jinja2_environment)
