"""``SecretString`` and ``SecretBytes``: values that print as ``******``.

Use them for parameters such as API keys or passwords, so that logs, reprs and error
messages never show the value; ``get_secret()`` returns it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Generic, TypeVar

__all__ = ("SecretBytes", "SecretString", "SecretT", "SecretValue")

SecretT = TypeVar("SecretT", bound=str | bytes)
"""The type of a secret: ``str`` or ``bytes``."""


class SecretValue(ABC, Generic[SecretT]):
    """A secret ``str`` or ``bytes`` that hides itself in ``str()`` and ``repr()``."""

    def __init__(self, secret_value: SecretT) -> None:
        self._secret_value = secret_value

    def get_secret(self) -> SecretT:
        """Return the secret itself."""
        return self._secret_value

    @abstractmethod
    def get_obscured(self) -> SecretT:
        """Return the stand-in shown instead of the secret."""

    def __str__(self) -> str:
        return str(self.get_obscured())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.get_obscured()!r})"


class SecretString(SecretValue[str]):
    """A secret string."""

    def get_obscured(self) -> str:
        """Return ``"******"``."""
        return "******"


class SecretBytes(SecretValue[bytes]):
    """A secret byte string."""

    def get_obscured(self) -> bytes:
        """Return ``b"******"``."""
        return b"******"
