"""Logging configuration (Litestar's ``litestar.logging``): :class:`LoggingConfig`."""

from trioweb.logging.config import BaseLoggingConfig, LoggingConfig

__all__ = ("BaseLoggingConfig", "LoggingConfig")
