"""Exceptions raised while building data transfer objects."""

from trioweb.exceptions.base_exceptions import LitestarException

__all__ = ("DTOFactoryException", "InvalidAnnotationException")


class DTOFactoryException(LitestarException):
    """Base of the DTO errors."""


class InvalidAnnotationException(DTOFactoryException):
    """A DTO was given a type argument it cannot handle."""
