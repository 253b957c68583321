"""Multi-value mappings: ``MultiDict``, ``ImmutableMultiDict``, ``FormMultiDict``.

Built on the `multidict <https://multidict.aio-libs.org>`_ package, as Litestar's are, so
every method and corner case (``add``, ``extend``, ``popall``, ``getone``, the views,
equality, ``repr``) behaves exactly as in a Litestar app, at the speed of multidict's C
implementation. :class:`MultiMixin` adds Litestar's two helpers, ``dict()`` and
``multi_items()``.

Ordering: Litestar walks ``set(self.keys())``, so its ``dict()`` and ``multi_items()`` come
out in hash order, which changes from one process to the next. Here keys come in the order
of their first occurrence and each key's values in insertion order: one of the orders
Litestar can produce, but the same on every run. ``copy()`` and ``mutable_copy()`` keep the
exact item order.
"""

from __future__ import annotations

import builtins
from abc import ABC
from collections.abc import Generator, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from multidict import MultiDict as _BaseMultiDict
from multidict import MultiDictProxy as _BaseMultiDictProxy
from multidict import MultiMapping

from trioweb.datastructures.upload_file import UploadFile

if TYPE_CHECKING:
    from typing import Self

__all__ = ("FormMultiDict", "ImmutableMultiDict", "MultiDict", "MultiMixin")

T = TypeVar("T")


class MultiMixin(MultiMapping[T], ABC):
    """Helpers shared by the multi-value mappings: ``dict()`` and ``multi_items()``."""

    def dict(self) -> builtins.dict[str, list[Any]]:
        """Return every key with the list of all its values."""
        return {key: self.getall(key) for key in self.keys()}

    def multi_items(self) -> Generator[tuple[str, T], None, None]:
        """Yield every ``(key, value)`` pair, duplicates included, grouped by key."""
        for key in self.keys():
            for value in self.getall(key):
                yield key, value


class MultiDict(_BaseMultiDict[T], MultiMixin[T]):
    """A mutable mapping that keeps every value given for a key (``multidict.MultiDict``)."""

    def __init__(
        self,
        args: MultiMapping[T] | Mapping[str, T] | Iterable[tuple[str, T]] | None = None,
    ) -> None:
        """Create from a multi-mapping, a mapping, or an iterable of ``(key, value)`` pairs."""
        super().__init__(args or {})

    def immutable(self) -> ImmutableMultiDict[T]:
        """Return an :class:`ImmutableMultiDict` with the same items."""
        return ImmutableMultiDict[T](self)

    def copy(self) -> Self:
        """Return a shallow copy."""
        return type(self)(list(self.items()))


class ImmutableMultiDict(_BaseMultiDictProxy[T], MultiMixin[T]):
    """A read-only mapping that keeps every value given for a key (``multidict.MultiDictProxy``)."""

    def __init__(
        self,
        args: MultiMapping[Any] | Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    ) -> None:
        """Create from a multi-mapping, a mapping, or an iterable of ``(key, value)`` pairs."""
        super().__init__(_BaseMultiDict(args or {}))

    def mutable_copy(self) -> MultiDict[T]:
        """Return a :class:`MultiDict` with the same items."""
        return MultiDict(list(self.items()))

    def copy(self) -> Self:  # type: ignore[override]
        """Return a shallow copy."""
        return type(self)(list(self.items()))


class FormMultiDict(ImmutableMultiDict[Any]):
    """The parsed body of a form: strings and :class:`UploadFile` values."""

    @classmethod
    def from_form_data(
        cls, form_data: builtins.dict[str, list[str] | str | UploadFile]
    ) -> FormMultiDict:
        """Create from parsed form data, where a list value stands for a repeated field."""
        items: list[tuple[str, Any]] = []
        for key, value in form_data.items():
            if isinstance(value, list):
                items.extend((key, item) for item in value)
            else:
                items.append((key, value))
        return cls(items)

    async def close(self) -> None:
        """Close every :class:`UploadFile` among the values."""
        for value in self.values():
            if isinstance(value, UploadFile):
                await value.close()
