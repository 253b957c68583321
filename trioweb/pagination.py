"""Paginated result containers and the abstract paginators that fill them.

Three schemes, as in ``litestar.pagination``:

- classic: ``page_size`` and ``current_page`` (1-based) -> :class:`ClassicPagination`;
- offset: ``limit`` and ``offset`` (0-based) -> :class:`OffsetPagination`;
- cursor: ``results_per_page`` and an opaque ``cursor`` -> :class:`CursorPagination`.

The containers are plain generic dataclasses; their field order is their JSON key order, so a
handler returning one sends the same bytes as Litestar, e.g.
``{"items":[...],"page_size":10,"current_page":1,"total_pages":5}``.

A paginator is a class you subclass with your data access (``get_items``, and ``get_total``
for the classic and offset schemes); calling the instance returns the filled container. The
async paginators await ``get_total`` and then ``get_items`` one after the other, never
concurrently, because both commonly share one database session that allows a single query at a
time.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Generic, TypeVar
from uuid import UUID

__all__ = (
    "AbstractAsyncClassicPaginator",
    "AbstractAsyncCursorPaginator",
    "AbstractAsyncOffsetPaginator",
    "AbstractSyncClassicPaginator",
    "AbstractSyncCursorPaginator",
    "AbstractSyncOffsetPaginator",
    "ClassicPagination",
    "CursorPagination",
    "OffsetPagination",
)

T = TypeVar("T")
C = TypeVar("C", int, str, UUID)


@dataclass(slots=True)
class ClassicPagination(Generic[T]):
    """One page of results, addressed by page number."""

    items: list[T]
    """The items on this page."""
    page_size: int
    """The maximum number of items per page."""
    current_page: int
    """This page's number, counting from 1."""
    total_pages: int
    """How many pages there are."""


@dataclass(slots=True)
class OffsetPagination(Generic[T]):
    """A slice of results, addressed by offset and limit."""

    items: list[T]
    """The items in this slice."""
    limit: int
    """The maximum number of items requested."""
    offset: int
    """The index of the first item in the whole result set, counting from 0."""
    total: int
    """How many items the whole result set has."""


@dataclass(slots=True)
class CursorPagination(Generic[C, T]):
    """A batch of results following a cursor."""

    items: list[T]
    """The items in this batch."""
    results_per_page: int
    """The maximum number of items requested."""
    cursor: C | None
    """The cursor marking the last item of this batch; pass it back to get the next batch."""


class AbstractSyncClassicPaginator(ABC, Generic[T]):
    """Builds :class:`ClassicPagination` pages from synchronous data access."""

    @abstractmethod
    def get_total(self, page_size: int) -> int:
        """Return the number of pages there are at ``page_size`` items per page."""
        raise NotImplementedError

    @abstractmethod
    def get_items(self, page_size: int, current_page: int) -> list[T]:
        """Return the items of page ``current_page`` (1-based), at most ``page_size`` of them."""
        raise NotImplementedError

    def __call__(self, page_size: int, current_page: int) -> ClassicPagination[T]:
        """Return page ``current_page`` with the total page count."""
        total_pages = self.get_total(page_size=page_size)
        items = self.get_items(page_size=page_size, current_page=current_page)
        return ClassicPagination(
            items=items, page_size=page_size, current_page=current_page, total_pages=total_pages
        )


class AbstractAsyncClassicPaginator(ABC, Generic[T]):
    """Builds :class:`ClassicPagination` pages from asynchronous data access."""

    @abstractmethod
    async def get_total(self, page_size: int) -> int:
        """Return the number of pages there are at ``page_size`` items per page."""
        raise NotImplementedError

    @abstractmethod
    async def get_items(self, page_size: int, current_page: int) -> list[T]:
        """Return the items of page ``current_page`` (1-based), at most ``page_size`` of them."""
        raise NotImplementedError

    async def __call__(self, page_size: int, current_page: int) -> ClassicPagination[T]:
        """Return page ``current_page`` with the total page count."""
        total_pages = await self.get_total(page_size=page_size)
        items = await self.get_items(page_size=page_size, current_page=current_page)
        return ClassicPagination(
            items=items, page_size=page_size, current_page=current_page, total_pages=total_pages
        )


class AbstractSyncOffsetPaginator(ABC, Generic[T]):
    """Builds :class:`OffsetPagination` slices from synchronous data access."""

    @abstractmethod
    def get_total(self) -> int:
        """Return the number of items in the whole result set."""
        raise NotImplementedError

    @abstractmethod
    def get_items(self, limit: int, offset: int) -> list[T]:
        """Return at most ``limit`` items starting at index ``offset`` (0-based)."""
        raise NotImplementedError

    def __call__(self, limit: int, offset: int) -> OffsetPagination[T]:
        """Return the slice at ``offset`` with the total item count."""
        total = self.get_total()
        items = self.get_items(limit=limit, offset=offset)
        return OffsetPagination(items=items, limit=limit, offset=offset, total=total)


class AbstractAsyncOffsetPaginator(ABC, Generic[T]):
    """Builds :class:`OffsetPagination` slices from asynchronous data access."""

    @abstractmethod
    async def get_total(self) -> int:
        """Return the number of items in the whole result set."""
        raise NotImplementedError

    @abstractmethod
    async def get_items(self, limit: int, offset: int) -> list[T]:
        """Return at most ``limit`` items starting at index ``offset`` (0-based)."""
        raise NotImplementedError

    async def __call__(self, limit: int, offset: int) -> OffsetPagination[T]:
        """Return the slice at ``offset`` with the total item count."""
        total = await self.get_total()
        items = await self.get_items(limit=limit, offset=offset)
        return OffsetPagination(items=items, limit=limit, offset=offset, total=total)


class AbstractSyncCursorPaginator(ABC, Generic[C, T]):
    """Builds :class:`CursorPagination` batches from synchronous data access."""

    @abstractmethod
    def get_items(self, cursor: C | None, results_per_page: int) -> tuple[list[T], C | None]:
        """Return up to ``results_per_page`` items after ``cursor``, and the next cursor.

        ``cursor`` is ``None`` for the first batch. The returned cursor marks the last item
        returned; ``None`` conventionally means there is nothing more.
        """
        raise NotImplementedError

    def __call__(self, cursor: C | None, results_per_page: int) -> CursorPagination[C, T]:
        """Return the batch after ``cursor``, carrying the cursor for the next one."""
        items, next_cursor = self.get_items(cursor=cursor, results_per_page=results_per_page)
        return CursorPagination(items=items, results_per_page=results_per_page, cursor=next_cursor)


class AbstractAsyncCursorPaginator(ABC, Generic[C, T]):
    """Builds :class:`CursorPagination` batches from asynchronous data access."""

    @abstractmethod
    async def get_items(self, cursor: C | None, results_per_page: int) -> tuple[list[T], C | None]:
        """Return up to ``results_per_page`` items after ``cursor``, and the next cursor.

        ``cursor`` is ``None`` for the first batch. The returned cursor marks the last item
        returned; ``None`` conventionally means there is nothing more.
        """
        raise NotImplementedError

    async def __call__(self, cursor: C | None, results_per_page: int) -> CursorPagination[C, T]:
        """Return the batch after ``cursor``, carrying the cursor for the next one."""
        items, next_cursor = await self.get_items(cursor=cursor, results_per_page=results_per_page)
        return CursorPagination(items=items, results_per_page=results_per_page, cursor=next_cursor)
