"""The ``Empty`` sentinel: "no value was given", distinct from ``None``.

Use it as a default where ``None`` is a meaningful value the caller may pass::

    def configure(timeout: float | None | EmptyType = Empty) -> None:
        if timeout is Empty:
            ...  # not given: inherit from the enclosing layer

``Empty`` is the single member of a private enum, so ``x is Empty`` narrows
``T | EmptyType`` to ``T`` under mypy, and the sentinel survives copying and pickling as itself.
Test it with ``is``: like Litestar's, it is truthy.
"""

from enum import Enum
from typing import Final, Literal, TypeAlias

__all__ = ("Empty", "EmptyType")


class _EmptyEnum(Enum):
    """Holds the one ``Empty`` sentinel."""

    EMPTY = 0

    def __repr__(self) -> str:
        return "Empty"


EmptyType: TypeAlias = Literal[_EmptyEnum.EMPTY]
"""The type of :data:`Empty`, for annotations."""

Empty: Final = _EmptyEnum.EMPTY
"""The "no value given" sentinel."""
