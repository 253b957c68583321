"""The root exception, and the framework's non-HTTP errors and warnings."""

from typing import Any

__all__ = (
    "LitestarDeprecationWarning",
    "LitestarException",
    "LitestarWarning",
    "MissingDependencyException",
    "SerializationException",
    "TrioWebException",
)


class LitestarException(Exception):
    """Base of every exception the framework raises.

    ``detail`` is the human-readable message. If it is not passed by keyword, the first truthy
    positional argument becomes the detail and the remaining ones stay in ``args``; falsy
    positional arguments (``None``, ``""``, ``0``) are dropped and the rest are converted to
    ``str``. A subclass may set a class-level ``detail`` as its default message.
    """

    detail: str

    def __init__(self, *args: Any, detail: str = "") -> None:
        str_args = [str(arg) for arg in args if arg]
        if not detail:
            if str_args:
                detail, *str_args = str_args
            elif hasattr(self, "detail"):
                detail = self.detail
        self.detail = detail
        super().__init__(*str_args)

    def __repr__(self) -> str:
        if self.detail:
            return f"{type(self).__name__} - {self.detail}"
        return type(self).__name__

    def __str__(self) -> str:
        return " ".join((*self.args, self.detail)).strip()


TrioWebException = LitestarException
"""The same class under trioweb's own name."""


class MissingDependencyException(LitestarException, ImportError):
    """An optional dependency needed by the feature in use is not installed."""

    def __init__(
        self, package: str, install_package: str | None = None, extra: str | None = None
    ) -> None:
        install = install_package or package
        super().__init__(
            f"Package {package!r} is not installed but required. You can install it by running "
            f"`pip install 'trioweb[{extra or install}]'` to install trioweb with the required "
            f"extra or 'pip install {install}' to install the package separately"
        )


class SerializationException(LitestarException):
    """Encoding or decoding a value failed."""


class LitestarWarning(UserWarning):
    """Base of the framework's warnings."""


class LitestarDeprecationWarning(DeprecationWarning):
    """A deprecated framework feature was used."""
