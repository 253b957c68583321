"""Structural types: a logger, a dataclass instance, an instantiable collection."""

from collections.abc import Collection, Iterable
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

__all__ = ("DataclassProtocol", "InstantiableCollection", "Logger")

T_co = TypeVar("T_co", covariant=True)


class Logger(Protocol):
    """What the framework needs of a logger: stdlib ``logging.Logger`` and structlog both fit."""

    def debug(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log ``event`` at DEBUG level."""

    def info(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log ``event`` at INFO level."""

    def warning(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log ``event`` at WARNING level."""

    def warn(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log ``event`` at WARNING level (deprecated spelling)."""

    def error(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log ``event`` at ERROR level."""

    def fatal(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log ``event`` at CRITICAL level (alias spelling)."""

    def exception(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log ``event`` at ERROR level with the current exception's traceback."""

    def critical(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Log ``event`` at CRITICAL level."""

    def setLevel(self, level: int) -> None:
        """Set the minimum level this logger emits (stdlib spelling)."""


@runtime_checkable
class DataclassProtocol(Protocol):
    """Any dataclass instance (``isinstance`` works on it)."""

    __dataclass_fields__: ClassVar[dict[str, Any]]


@runtime_checkable
class InstantiableCollection(Collection[T_co], Protocol[T_co]):
    """A collection type whose constructor takes one iterable, like ``list`` or ``frozenset``."""

    def __init__(self, iterable: Iterable[T_co], /) -> None: ...
