"""``LoggingConfig``: standard-library logging set up from a dictionary (``logging_config=``).

The fields are Litestar's, with the ``trioweb`` logger where Litestar has ``litestar`` (a
``"litestar"`` entry in ``loggers`` configures both, so a migrated config keeps working).
The app applies it with :func:`logging.config.dictConfig` when it is built. Records go
through a :class:`~trioweb.logging.standard.QueueListenerHandler`, so a slow terminal never
blocks the event loop.

Exceptions: whatever the config, trioweb logs every unexpected error (an answer of 500 or
more) on the ``trioweb`` logger at ERROR with its traceback, unless ``log_exceptions`` is
``"never"`` or ``disable_stack_trace`` names it. On top of that, as in Litestar,
``exception_logging_handler`` is called for every exception turned into a response
(4xx included) when ``log_exceptions`` is ``"always"``, or ``"debug"`` and the app runs
with ``debug=True``.

Without a ``logging_config`` trioweb leaves logging alone; its error records then reach
stderr through Python's last-resort handler (Litestar instead installs its default config).
"""

from __future__ import annotations

import logging
import traceback
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Final, Literal

from trioweb.exceptions import ImproperlyConfiguredException

__all__ = (
    "BaseLoggingConfig",
    "LoggingConfig",
    "default_exception_logging_handler",
    "exception_is_logged",
)

ExceptionLoggingHandler = Callable[[logging.Logger, Any, list[str]], None]
"""``handler(logger, scope, traceback_lines)``, called for an exception to log."""

TRIOWEB_LOGGER: Final = "trioweb"

_STANDARD_FORMAT: Final = "%(levelname)s - %(asctime)s - %(name)s - %(module)s - %(message)s"


def _default_formatters() -> dict[str, dict[str, Any]]:
    return {"standard": {"format": _STANDARD_FORMAT}}


def _default_handlers() -> dict[str, dict[str, Any]]:
    return {
        "console": {"class": "logging.StreamHandler", "level": "DEBUG", "formatter": "standard"},
        "queue_listener": {
            "class": "trioweb.logging.standard.QueueListenerHandler",
            "level": "DEBUG",
            "formatter": "standard",
        },
    }


def _default_logger() -> dict[str, Any]:
    return {"level": "INFO", "handlers": ["queue_listener"], "propagate": False}


def default_exception_logging_handler(
    logger: logging.Logger, scope: Any, traceback_lines: list[str]
) -> None:
    """Log the exception being handled, with the connection type and path."""
    logger.error(
        "Uncaught exception (connection_type=%s, path=%r):\n%s",
        scope.get("type"),
        scope.get("path"),
        "".join(traceback_lines).rstrip(),
    )


class BaseLoggingConfig(ABC):
    """What the app needs from a logging configuration."""

    log_exceptions: Literal["always", "debug", "never"]
    exception_logging_handler: ExceptionLoggingHandler | None
    disable_stack_trace: set[int | type[Exception]]

    @abstractmethod
    def configure(self) -> Callable[..., logging.Logger]:
        """Apply the configuration; return a ``logging.getLogger``-like function."""

    @staticmethod
    def set_level(logger: logging.Logger, level: int) -> None:
        """Set ``logger``'s level."""
        logger.setLevel(level)


@dataclass
class LoggingConfig(BaseLoggingConfig):
    """A :func:`logging.config.dictConfig` configuration plus the exception-logging policy."""

    logging_module: str = "logging"
    """Only ``"logging"`` (the standard library) is supported."""
    version: Literal[1] = 1
    """The dictConfig schema version."""
    incremental: bool = False
    """Apply on top of the existing configuration."""
    disable_existing_loggers: bool = False
    """Disable loggers that exist when the configuration is applied."""
    filters: dict[str, dict[str, Any]] | None = None
    """dictConfig filters."""
    propagate: bool = True
    """Deprecated in Litestar, ignored; set ``propagate`` per logger."""
    formatters: dict[str, dict[str, Any]] = field(default_factory=_default_formatters)
    """dictConfig formatters; ``standard`` is always available."""
    handlers: dict[str, dict[str, Any]] = field(default_factory=dict)
    """dictConfig handlers; ``console`` and ``queue_listener`` are always available."""
    loggers: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {TRIOWEB_LOGGER: _default_logger()}
    )
    """dictConfig loggers; a ``trioweb`` logger is always configured."""
    root: dict[str, dict[str, Any] | list[Any] | str] = field(
        default_factory=lambda: {"handlers": ["queue_listener"], "level": "INFO"}
    )
    """The root logger's configuration (applied when ``configure_root_logger``)."""
    configure_root_logger: bool = True
    """Configure the root logger too."""
    log_exceptions: Literal["always", "debug", "never"] = "debug"
    """When ``exception_logging_handler`` is called (see the module docstring)."""
    disable_stack_trace: set[int | type[Exception]] = field(default_factory=set)
    """Status codes and exception types never logged."""
    traceback_line_limit: int = -1
    """Deprecated in Litestar, ignored."""
    exception_logging_handler: ExceptionLoggingHandler | None = None
    """``handler(logger, scope, traceback_lines)``; a default one logs at ERROR."""

    def __post_init__(self) -> None:
        if self.logging_module != "logging":
            raise ImproperlyConfiguredException(
                f"logging_module={self.logging_module!r} is not supported: trioweb configures "
                "the standard library's logging"
            )
        self.formatters.setdefault("standard", _default_formatters()["standard"])
        for name, handler in _default_handlers().items():
            self.handlers.setdefault(name, handler)
        if TRIOWEB_LOGGER not in self.loggers:
            litestar = self.loggers.get("litestar")
            self.loggers[TRIOWEB_LOGGER] = dict(litestar) if litestar else _default_logger()
        if self.log_exceptions != "never" and self.exception_logging_handler is None:
            self.exception_logging_handler = default_exception_logging_handler

    def configure(self) -> Callable[..., logging.Logger]:
        """Apply with ``dictConfig``; return ``logging.getLogger``."""
        skipped = {
            "logging_module",
            "configure_root_logger",
            "exception_logging_handler",
            "log_exceptions",
            "propagate",
            "traceback_line_limit",
            "disable_stack_trace",
        }
        if not self.configure_root_logger:
            skipped.add("root")
        values = {
            item.name: getattr(self, item.name)
            for item in fields(self)
            if item.name not in skipped and getattr(self, item.name) is not None
        }
        import logging.config

        logging.config.dictConfig(values)
        return logging.getLogger


def _silenced(config: BaseLoggingConfig, exc: BaseException) -> bool:
    details = {type(exc), getattr(exc, "status_code", None)}
    return not details.isdisjoint(config.disable_stack_trace)


def exception_is_logged(
    config: BaseLoggingConfig | None,
    logger: logging.Logger,
    exc: BaseException,
    scope: Any,
    *,
    debug: bool,
) -> bool:
    """Run the config's exception logging for ``exc``; whether the config took charge of it.

    True when the exception was logged here or must not be logged at all, so trioweb's own
    error log stays silent for it.
    """
    if config is None:
        return False
    if config.log_exceptions == "never" or _silenced(config, exc):
        return True
    handler = config.exception_logging_handler
    if handler is None or (config.log_exceptions == "debug" and not debug):
        return False
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    try:
        handler(logger, scope, lines)
    except Exception:
        logger.exception("the exception_logging_handler raised")
    return True
