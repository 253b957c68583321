"""``TemplateConfig``: which engine renders ``Template`` responses, built once with the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from inspect import isclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from trioweb.exceptions import ImproperlyConfiguredException
from trioweb.template.base import TemplateEngineProtocol

if TYPE_CHECKING:
    from trioweb.types import PathType

__all__ = ("TemplateConfig",)

EngineT = TypeVar("EngineT", bound=TemplateEngineProtocol[Any, Any])


@dataclass
class TemplateConfig(Generic[EngineT]):
    """Pass to the app as ``template_config=``.

    Either ``directory`` (with an ``engine`` class, Jinja by default) or a ready ``instance``
    of an engine; ``engine_callback`` may adjust an engine built from ``engine``.

    Error handling: ``ImproperlyConfiguredException`` (when the config is created) for an
    engine class without ``directory``, or both ``directory`` and ``instance``.
    """

    engine: type[EngineT] | EngineT | None = field(default=None)
    """An engine class (built with ``directory``) or an engine object."""
    directory: PathType | list[PathType] | None = field(default=None)
    """The directory, or directories, templates are loaded from."""
    engine_callback: Callable[[EngineT], None] | None = field(default=None)
    """Called with the engine built by :meth:`to_engine`, to register filters and the like."""
    instance: EngineT | None = field(default=None)
    """A ready engine, used as is."""

    def __post_init__(self) -> None:
        if isclass(self.engine) and not self.directory:
            raise ImproperlyConfiguredException(
                "directory is a required kwarg when passing a template engine class"
            )
        if self.instance is not None and self.directory is not None:
            raise ImproperlyConfiguredException("directory cannot be set if instance is")

    def to_engine(self) -> EngineT:
        """Build the engine from ``engine`` and ``directory`` and pass it to the callback.

        With neither ``engine`` nor ``instance`` but a ``directory``, the engine is Jinja's
        (Litestar requires ``engine``; this default is a convenience).

        Error handling: ``MissingDependencyException`` if the default engine is used and
        jinja2 is not installed.
        """
        engine: Any = self.engine
        if engine is None and self.directory is not None:
            from trioweb.contrib.jinja import JinjaTemplateEngine

            engine = JinjaTemplateEngine
        built = cast("EngineT", engine)
        if isclass(engine):
            factory: Any = engine
            built = factory(directory=self.directory, engine_instance=None)
        if callable(self.engine_callback):
            self.engine_callback(built)
        return built

    @cached_property
    def engine_instance(self) -> EngineT:
        """The engine the app renders with: ``instance`` if given, else :meth:`to_engine`."""
        return self.to_engine() if self.instance is None else self.instance
